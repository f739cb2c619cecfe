package load

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/load/awscli"
	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// FuzzAccountExport feeds `aws iam get-account-authorization-details`
// shapes to the account-export loader directly (no recover in between, so a
// panic fails the target). Whatever it reads, every error and principal
// names the file and a line inside it.
func FuzzAccountExport(f *testing.F) {
	for _, file := range []string{
		td("account", "authorization-details.json"),
		td("account", "authorization-details-api.json"),
		"../../fixtures/format-account-export-api-encoded/get-account-authorization-details.json",
	} {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::1:role/r","AssumeRolePolicyDocument":"%7B%22Statement%22%3A%5B%5D%7D","RolePolicyList":[{"PolicyName":"p","PolicyDocument":{"Statement":[]}}],"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::1:policy/m"}],"PermissionsBoundary":{"PermissionsBoundaryArn":"arn:aws:iam::1:policy/m"}}],` +
		`"Policies":[{"Arn":"arn:aws:iam::1:policy/m","DefaultVersionId":"v2","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":false,"Document":{}},{"VersionId":"v2","IsDefaultVersion":true,"Document":"%257B"}]}]}`))
	f.Add([]byte(`{"UserDetailList":[{"UserName":"u","Arn":"arn:aws:iam::1:user/u","GroupList":["g","g",5],"UserPolicyList":null,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/AmazonS3FullAccess"}]}],` +
		`"GroupDetailList":[{"GroupName":"g","GroupPolicyList":[{"PolicyName":"x","PolicyDocument":{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}}],"AttachedManagedPolicies":{}}]}`))
	f.Add([]byte(`{"RoleDetailList":[null,1,{"RoleName":[],"RolePolicyList":[1,{}],"AttachedManagedPolicies":{}}],"Policies":[{"Arn":"a","PolicyVersionList":{}},{"Arn":"a"}],"GroupDetailList":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := tree.FromJSONLimits(data, tree.Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxString: 1 << 12, MaxNodes: 20000})
		if err != nil || !awscli.AccountExport.Detect(root) {
			return
		}
		const file = "export.json"
		b := input.NewBuilder(file, "", Deployment{})
		awscli.AccountExport.Load(root, b)
		in := b.In
		join(in)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range in.Errors {
			if e.File != file || e.Line < 0 || e.Line > lines || e.Message == "" {
				t.Fatalf("error %+v", e)
			}
			if strings.Contains(e.Message, "internal error") {
				t.Fatalf("panic: %s", e.Message)
			}
		}
		for _, p := range in.Principals {
			if p.File != file || p.Line < 0 || p.Line > lines || (p.Type != "role" && p.Type != "user") {
				t.Fatalf("principal %s %q at %s:%d", p.Type, p.Name, p.File, p.Line)
			}
			for _, d := range append([]*policy.Document{p.Trust, p.Boundary}, p.Identity...) {
				if d != nil && (d.File != file || d.Line < 0 || d.Line > lines) {
					t.Fatalf("document %q of %s at %s:%d", d.Name, p.Name, d.File, d.Line)
				}
			}
		}
	})
}
