package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// organizations describe-policy: Policy.Content is the SCP as JSON text
// (Organizations API DescribePolicy).
func TestDescribePolicy(t *testing.T) {
	in := Bytes("scp.json", []byte(`{"Policy":{"PolicySummary":{"Id":"p-3kx9d2lq","Arn":"arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-3kx9d2lq","Name":"DataServices","Description":"","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false},
"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}}`), "")
	noErrors(t, in)
	if len(in.Documents) != 1 || in.Documents[0].Kind != policy.SCP || len(in.Documents[0].Statements) != 1 {
		t.Fatalf("documents %+v", in.Documents)
	}
	if len(in.SCPs) != 1 || in.SCPs[0].ID != "p-3kx9d2lq" || in.SCPs[0].Doc != in.Documents[0] {
		t.Fatalf("SCPs %+v", in.SCPs)
	}
	// Near miss: an RCP is not evaluated, so it stands as a document that
	// is not known (never as absent).
	rcp := Bytes("rcp.json", []byte(`{"Policy":{"PolicySummary":{"Id":"p-r1","Arn":"arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/resource_control_policy/p-r1","Name":"NoPublicS3","Type":"RESOURCE_CONTROL_POLICY","AwsManaged":false},"Content":"{}"}}`), "")
	if len(rcp.Documents) != 1 || rcp.Documents[0].Unresolved == "" || len(rcp.Unresolved) != 1 {
		t.Fatalf("RCP: documents %+v unresolved %+v", rcp.Documents, rcp.Unresolved)
	}
}

func TestPoliciesForTarget(t *testing.T) {
	in := Bytes("list.json", []byte(`{"Policies":[{"Id":"p-FullAWSAccess","Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","Name":"FullAWSAccess","Description":"Allows access to every operation","Type":"SERVICE_CONTROL_POLICY","AwsManaged":true},
{"Id":"p-9q8w7e6r","Arn":"arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-9q8w7e6r","Name":"RegionLockdown","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false}]}`), "")
	noErrors(t, in)
	if len(in.SCPLists) != 1 || len(in.SCPLists[0].Policies) != 2 || !in.SCPLists[0].Policies[0].AWSManaged || in.SCPLists[0].Policies[1].ID != "p-9q8w7e6r" {
		t.Fatalf("lists %+v", in.SCPLists)
	}
	// Near miss: iam list-policies output has Policies too, with PolicyName.
	iam := Bytes("iam.json", []byte(`{"Policies":[{"PolicyName":"x","PolicyId":"ANPA1","Arn":"arn:aws:iam::111122223333:policy/x","DefaultVersionId":"v1"}]}`), "")
	if len(iam.SCPLists) != 0 {
		t.Fatalf("iam list-policies read as an SCP list: %+v", iam.SCPLists)
	}
}

// iam get-policy pairs a get-policy-version output (no ARN) with its ARN by
// DefaultVersionId, only when the pairing is unique.
func TestGetPolicyPairsVersion(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gp := write("get-policy.json", `{"Policy":{"PolicyName":"workload-boundary","PolicyId":"ANPAW3EXAMPLE","Arn":"arn:aws:iam::111122223333:policy/workload-boundary","Path":"/","DefaultVersionId":"v3","AttachmentCount":0,"PermissionsBoundaryUsageCount":1,"IsAttachable":true}}`)
	v3 := write("v3.json", `{"PolicyVersion":{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]},"VersionId":"v3","IsDefaultVersion":true,"CreateDate":"2025-10-02T09:14:51+00:00"}}`)
	in := Paths([]string{gp, v3}, Options{})
	noErrors(t, in)
	if len(in.Versions) != 1 || in.Versions[0].Doc.ARN != "arn:aws:iam::111122223333:policy/workload-boundary" {
		t.Fatalf("versions %+v", in.Versions)
	}
	// Two version files with the same id: which one the get-policy names is
	// not known, so neither is paired.
	other := write("other-v3.json", `{"PolicyVersion":{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]},"VersionId":"v3","IsDefaultVersion":true}}`)
	in = Paths([]string{gp, v3, other}, Options{})
	for _, v := range in.Versions {
		if v.Doc.ARN != "" {
			t.Errorf("%s paired with %s although two files are v3", v.File, v.Doc.ARN)
		}
	}
}

// "Versioning IAM policies": only the default version is in force.
func TestNonDefaultVersionIgnored(t *testing.T) {
	in := Bytes("v1.json", []byte(`{"PolicyVersion":{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]},"VersionId":"v1","IsDefaultVersion":false}}`), policy.Identity)
	noErrors(t, in)
	if len(in.Documents) != 0 || len(in.NotChecked) != 1 || !strings.Contains(in.NotChecked[0].Message, "not the default version") {
		t.Fatalf("documents %d, not checked %+v", len(in.Documents), in.NotChecked)
	}
}

// A declared SCP (--scp root:FILE) that cannot be read stands as an SCP that
// is not known, at its level.
func TestUnreadableDeclaredSCP(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "scp.json")
	if err := os.WriteFile(p, []byte(`{"Version":"2012-10-17","Statement":[`), 0o644); err != nil {
		t.Fatal(err)
	}
	in := Paths([]string{p}, Options{Kinds: map[string]policy.Kind{p: policy.SCP}, Levels: map[string]string{p: "root"}})
	if len(in.Errors) != 1 || len(in.Documents) != 1 || in.Documents[0].Kind != policy.SCP || in.Documents[0].Unresolved == "" {
		t.Fatalf("errors %v documents %+v", in.Errors, in.Documents)
	}
	if len(in.SCPs) != 1 || in.SCPs[0].Level != "root" {
		t.Fatalf("SCPs %+v", in.SCPs)
	}
}
