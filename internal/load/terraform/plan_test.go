package terraform

import (
	"os"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

const vendorRole = "arn:aws:iam::043417694514:role/supermetrics-s3-role"

func loadTF(t *testing.T, file string, src []byte) *input.Input {
	t.Helper()
	root, err := tree.FromJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	if !Detect(root) {
		t.Fatal("not detected as a Terraform plan")
	}
	b := input.NewBuilder(file, "", input.Deployment{})
	Load(root, b)
	return b.In
}

func principalAt(t *testing.T, in *input.Input, addr string) *input.Principal {
	t.Helper()
	for _, p := range in.Principals {
		if p.Address == addr {
			return p
		}
	}
	t.Fatalf("no principal %s", addr)
	return nil
}

func unknownReason(s string) string {
	if !policy.IsUnknown(s) {
		return "known: " + s
	}
	return policy.UnknownReason(s)
}

func TestTerraformPlanFixture(t *testing.T) {
	const file = "../testdata/terraform/plan.json"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	in := loadTF(t, file, data)
	if len(in.Errors) > 0 {
		t.Fatalf("errors: %v", in.Errors)
	}

	role := principalAt(t, in, "aws_iam_role.supermetrics")
	if role.Type != "role" || role.Name != "supermetrics-upload" || role.Line != 24 || !role.Complete {
		t.Errorf("role = %+v", role)
	}
	if got := unknownReason(role.ARN); got != "known after apply: aws_iam_role.supermetrics.arn" {
		t.Errorf("role ARN: %s", got)
	}
	tr := role.Trust
	if tr == nil || tr.Kind != policy.Trust || tr.Name != "aws_iam_role.supermetrics" || tr.Line != 31 || len(tr.Statements) != 1 {
		t.Fatalf("trust = %+v", tr)
	}
	if s := tr.Statements[0]; s.Line != 31 || s.Principal == nil || len(s.Principal.AWS) != 1 || s.Principal.AWS[0] != vendorRole {
		t.Errorf("trust statement = %+v", s)
	}

	// Two identity documents: the inline policy whose role is known only
	// after apply (linked through the configuration reference) and whose
	// content is unknown, and the managed policy rendered from the deferred
	// aws_iam_policy_document statements.
	type docWant struct {
		name, unresolved string
		stmtLines        []int
		resource         string
	}
	wantIdentity := []docWant{
		{name: "aws_iam_role_policy.kms", unresolved: "known after apply: module.s3.aws_kms_key.data.arn"},
		{name: "aws_iam_policy.upload", stmtLines: []int{112, 127}, resource: "known after apply: module.s3.aws_s3_bucket.data.arn"},
	}
	if len(role.Identity) != len(wantIdentity) {
		t.Fatalf("identity docs: %d", len(role.Identity))
	}
	for i, w := range wantIdentity {
		d := role.Identity[i]
		if d.Kind != policy.Identity || d.Name != w.name || d.Unresolved != w.unresolved || len(d.Statements) != len(w.stmtLines) {
			t.Errorf("identity[%d] = %s %q unresolved=%q, %d statements", i, d.Kind, d.Name, d.Unresolved, len(d.Statements))
			continue
		}
		for j, s := range d.Statements {
			if s.Line != w.stmtLines[j] {
				t.Errorf("%s statement %d line %d, want %d", w.name, j, s.Line, w.stmtLines[j])
			}
			if len(s.Resource) != 1 || unknownReason(s.Resource[0]) != w.resource {
				t.Errorf("%s statement %d resource %q", w.name, j, s.Resource)
			}
		}
	}
	if d := role.Identity[1]; d.Statements[0].Action[0] != "s3:PutObject" || d.Statements[1].Sid != "ListAndLocate" {
		t.Errorf("upload statements %+v %+v", d.Statements[0], d.Statements[1])
	}
	if len(role.AttachedPolicies) != 1 || unknownReason(role.AttachedPolicies[0]) != "known after apply: aws_iam_policy.upload.arn" || len(role.MissingPolicies) != 0 {
		t.Errorf("attached %q missing %q", role.AttachedPolicies, role.MissingPolicies)
	}

	user := principalAt(t, in, "aws_iam_user.legacy")
	if user.Type != "user" || user.Trust != nil || len(user.MissingPolicies) != 1 || user.MissingPolicies[0] != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" {
		t.Errorf("user = %+v", user)
	}

	if len(in.Documents) != 1 {
		t.Fatalf("documents: %d", len(in.Documents))
	}
	bp := in.Documents[0]
	if bp.Kind != policy.Bucket || bp.Name != "module.s3.aws_s3_bucket_policy.data" || len(bp.Statements) != 1 {
		t.Fatalf("bucket policy = %+v", bp)
	}
	if s := bp.Statements[0]; s.Effect != policy.Deny || s.Line != 235 || !s.Principal.Wildcard || len(s.Condition) != 1 || s.Condition[0].Key != "aws:SecureTransport" || len(s.Resource) != 2 {
		t.Errorf("bucket statement = %+v", s)
	}

	if len(in.Buckets) != 1 || len(in.Keys) != 1 {
		t.Fatalf("buckets %d keys %d", len(in.Buckets), len(in.Keys))
	}
	b, k := in.Buckets[0], in.Keys[0]
	if b.Name != "acme-sm-exports" || b.SSEAlgorithm != "aws:kms" || !b.BucketKeyEnabled || b.Line != 201 {
		t.Errorf("bucket = %+v", b)
	}
	// The bucket's key id and the key's ARN are both unknown, with the same
	// marker: the configuration links them.
	if !policy.IsUnknown(b.KMSMasterKeyID) || b.KMSMasterKeyID != k.ARN {
		t.Errorf("bucket key %q, key ARN %q", b.KMSMasterKeyID, k.ARN)
	}
	if k.Policy == nil || k.Policy.Kind != policy.Key || len(k.Policy.Statements) != 2 || k.KeyManager != "CUSTOMER" {
		t.Errorf("key = %+v", k)
	}

	wantUnresolved := []struct {
		addr, what, reason string
		line               int
	}{
		{"aws_iam_role.supermetrics", "ARN of role", "known after apply: aws_iam_role.supermetrics.arn", 335},
		{"aws_iam_user.legacy", "ARN of user", "known after apply: aws_iam_user.legacy.arn", 413},
		{"module.s3.aws_kms_key.data", "ARN of KMS key", "known after apply: module.s3.aws_kms_key.data.arn", 542},
		{"aws_iam_role_policy.kms", "identity policy document", "known after apply: module.s3.aws_kms_key.data.arn", 365},
		{"data.aws_iam_policy_document.upload", "Resource of statement PutObjects", "known after apply: module.s3.aws_s3_bucket.data.arn", 123},
		{"data.aws_iam_policy_document.upload", "Resource of statement ListAndLocate", "known after apply: module.s3.aws_s3_bucket.data.arn", 139},
		{"module.s3.data.aws_iam_policy_document.bucket", "Resource of statement DenyInsecureTransport", "known after apply: module.s3.aws_s3_bucket.data.arn", 261},
		{"module.s3.data.aws_iam_policy_document.bucket", "Resource of statement DenyInsecureTransport", "known after apply: module.s3.aws_s3_bucket.data.arn", 262},
		{"module.s3.aws_s3_bucket_server_side_encryption_configuration.data", "KMS key of bucket acme-sm-exports", "known after apply: module.s3.aws_kms_key.data.arn", 655},
	}
	if len(in.Unresolved) != len(wantUnresolved) {
		t.Errorf("unresolved: %d, want %d: %+v", len(in.Unresolved), len(wantUnresolved), in.Unresolved)
	}
	for i, w := range wantUnresolved {
		if i >= len(in.Unresolved) {
			break
		}
		u := in.Unresolved[i]
		if u.Address != w.addr || u.What != w.what || u.Reason != w.reason || u.Line != w.line || u.File != file {
			t.Errorf("unresolved[%d] = %+v, want %+v", i, u, w)
		}
	}
}

// planJSON wraps planned resources, their after_unknown maps and a
// configuration into a minimal plan.
func planJSON(resources, changes, config string) []byte {
	return []byte(`{"format_version":"1.2","terraform_version":"1.9.8",
"planned_values":{"root_module":{"resources":[` + resources + `]}},
"resource_changes":[` + changes + `],
"configuration":{"root_module":{"resources":[` + config + `]}}}`)
}

func TestTerraformPlanCases(t *testing.T) {
	trust := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"` + vendorRole + `\"},\"Action\":\"sts:AssumeRole\"}]}"`
	put := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"`
	cases := []struct {
		name  string
		plan  []byte
		check func(t *testing.T, in *input.Input)
	}{
		{
			name: "inline_policy blocks and a policy for a role outside the plan",
			plan: planJSON(`
{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"sm","assume_role_policy":`+trust+`,
 "inline_policy":[{"name":"put","policy":`+put+`}],"permissions_boundary":"arn:aws:iam::111122223333:policy/boundary"}},
{"address":"aws_iam_role_policy.other","mode":"managed","type":"aws_iam_role_policy","name":"other","values":{"role":"existing","name":"p","policy":`+put+`}}`,
				``, ``),
			check: func(t *testing.T, in *input.Input) {
				r := principalAt(t, in, "aws_iam_role.r")
				if len(r.Identity) != 1 || r.Identity[0].Name != `aws_iam_role.r.inline_policy["put"]` || len(r.Identity[0].Statements) != 1 {
					t.Errorf("inline = %+v", r.Identity)
				}
				if r.Boundary != nil || r.BoundaryARN != "arn:aws:iam::111122223333:policy/boundary" {
					t.Errorf("boundary %v %q", r.Boundary, r.BoundaryARN)
				}
				if len(in.Principals) != 2 {
					t.Fatalf("principals %d", len(in.Principals))
				}
				ex := in.Principals[1]
				if ex.Name != "existing" || ex.Address != "" || ex.Complete || len(ex.Identity) != 1 || ex.Identity[0].Name != "aws_iam_role_policy.other" {
					t.Errorf("existing role = %+v", ex)
				}
				if len(in.Unresolved) != 1 || in.Unresolved[0].What != "permissions boundary" {
					t.Errorf("unresolved %+v", in.Unresolved)
				}
			},
		},
		{
			name: "computed inline_policy of a new role is not a gap",
			plan: planJSON(`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"sm","assume_role_policy":`+trust+`}}`,
				`{"address":"aws_iam_role.r","change":{"actions":["create"],"after_unknown":{"arn":true,"inline_policy":true,"managed_policy_arns":true}}}`,
				`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","expressions":{"name":{"constant_value":"sm"}}}`),
			check: func(t *testing.T, in *input.Input) {
				r := principalAt(t, in, "aws_iam_role.r")
				if len(r.Identity) != 0 || len(r.MissingPolicies) != 0 {
					t.Errorf("identity %v missing %v", r.Identity, r.MissingPolicies)
				}
				if len(in.Unresolved) != 1 || in.Unresolved[0].What != "ARN of role" {
					t.Errorf("unresolved %+v", in.Unresolved)
				}
			},
		},
		{
			name: "unknown trust policy without a data source",
			plan: planJSON(`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"sm"}}`,
				`{"address":"aws_iam_role.r","change":{"actions":["create"],"after_unknown":{"assume_role_policy":true}}}`,
				`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","expressions":{"assume_role_policy":{"references":["var.x"]}}}`),
			check: func(t *testing.T, in *input.Input) {
				r := principalAt(t, in, "aws_iam_role.r")
				if r.Trust == nil || r.Trust.Unresolved != "known after apply: aws_iam_role.r.assume_role_policy" || r.Trust.Kind != policy.Trust {
					t.Errorf("trust %+v", r.Trust)
				}
			},
		},
		{
			name: "count instances pair by index",
			plan: planJSON(`
{"address":"aws_iam_role.r[0]","mode":"managed","type":"aws_iam_role","name":"r","index":0,"values":{"name":"a"}},
{"address":"aws_iam_role.r[1]","mode":"managed","type":"aws_iam_role","name":"r","index":1,"values":{"name":"b"}},
{"address":"aws_iam_role_policy.p[1]","mode":"managed","type":"aws_iam_role_policy","name":"p","index":1,"values":{"policy":`+put+`}}`,
				`{"address":"aws_iam_role_policy.p[1]","change":{"actions":["create"],"after_unknown":{"role":true}}}`,
				`{"address":"aws_iam_role_policy.p","mode":"managed","type":"aws_iam_role_policy","name":"p","expressions":{"role":{"references":["aws_iam_role.r[count.index].id","aws_iam_role.r"]}}}`),
			check: func(t *testing.T, in *input.Input) {
				if a := principalAt(t, in, "aws_iam_role.r[0]"); len(a.Identity) != 0 {
					t.Errorf("r[0] got %d docs", len(a.Identity))
				}
				if b := principalAt(t, in, "aws_iam_role.r[1]"); len(b.Identity) != 1 {
					t.Errorf("r[1] got %d docs", len(b.Identity))
				}
			},
		},
		{
			name: "state JSON with legacy bucket encryption and bucket policy",
			plan: []byte(`{"format_version":"1.0","terraform_version":"1.5.7","values":{"root_module":{"resources":[
{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"b","region":"eu-west-1","policy":` + put + `,
 "server_side_encryption_configuration":[{"rule":[{"apply_server_side_encryption_by_default":[{"sse_algorithm":"AES256","kms_master_key_id":""}],"bucket_key_enabled":false}]}]}}]}}}`),
			check: func(t *testing.T, in *input.Input) {
				if len(in.Buckets) != 1 || in.Buckets[0].SSEAlgorithm != "AES256" || in.Buckets[0].Region != "eu-west-1" {
					t.Errorf("buckets %+v", in.Buckets)
				}
				if len(in.Documents) != 1 || in.Documents[0].Kind != policy.Bucket || in.Documents[0].Name != "aws_s3_bucket.b.policy" {
					t.Errorf("documents %+v", in.Documents)
				}
			},
		},
		{
			name: "invalid embedded policy is a file error",
			plan: planJSON(`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"sm","assume_role_policy":"{not json"}}`, ``, ``),
			check: func(t *testing.T, in *input.Input) {
				if len(in.Errors) != 1 || !strings.Contains(in.Errors[0].Message, "aws_iam_role.r") || in.Errors[0].Line != 2 {
					t.Errorf("errors %+v", in.Errors)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, loadTF(t, "plan.json", c.plan))
		})
	}
}

func TestDetect(t *testing.T) {
	for src, want := range map[string]bool{
		`{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{}}`:         true,
		`{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{}}}`: true,
		`{"format_version":"1.2","planned_values":{}}`:                                     false,
		`{"Version":"2012-10-17","Statement":[]}`:                                          false,
		`[1]`: false,
	} {
		root, err := tree.FromJSON([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(root); got != want {
			t.Errorf("%s: %v", src, got)
		}
	}
}

func FuzzTerraformPlan(f *testing.F) {
	if data, err := os.ReadFile("../testdata/terraform/plan.json"); err == nil {
		f.Add(data)
	}
	f.Add(planJSON(`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"inline_policy":[{"name":1}],"managed_policy_arns":[null]}}`,
		`{"address":"aws_iam_role.r","change":{"after_unknown":{"inline_policy":[true],"permissions_boundary":true}}}`,
		`{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","expressions":{"permissions_boundary":{"references":["module.x.y","var.z","data.aws_iam_policy_document.d.json"]}}}`))
	f.Add([]byte(`{"format_version":"1","terraform_version":"1","planned_values":{"root_module":{"child_modules":[{"address":"module.a[\"x.y\"]","resources":[{"address":"module.a[\"x.y\"].aws_s3_bucket_policy.p","type":"aws_s3_bucket_policy","mode":"managed","name":"p","values":{"policy":"%7B%7D"}}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := tree.FromJSONLimits(data, tree.Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxString: 1 << 12, MaxNodes: 20000})
		if err != nil || !Detect(root) {
			return
		}
		Load(root, input.NewBuilder("plan.json", "", input.Deployment{}))
	})
}

// planPrior is a plan with a prior_state (the state before apply).
func planPrior(resources, prior, changes, config string) []byte {
	return []byte(`{"format_version":"1.2","terraform_version":"1.9.8",
"planned_values":{"root_module":{"resources":[` + resources + `]}},
"prior_state":{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{"resources":[` + prior + `]}}},
"resource_changes":[` + changes + `],
"configuration":{"root_module":{"resources":[` + config + `]}}}`)
}

// What exists after apply (developer.hashicorp.com/terraform/internals/json-format:
// planned_values "the planned state after applying", prior_state "the state
// before", resource_changes[].change.actions).
func TestTerraformPlanAfterApply(t *testing.T) {
	deny := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"`
	put := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"`
	bp := func(addr, name string) string {
		return `{"address":"` + addr + `","mode":"managed","type":"aws_s3_bucket_policy","name":"` + name + `","values":{"bucket":"b","policy":` + deny + `}}`
	}
	role := `{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"sm"}}`
	rp := func(addr, name string) string {
		return `{"address":"` + addr + `","mode":"managed","type":"aws_iam_role_policy","name":"` + name + `","values":{"role":"sm","name":"p","policy":` + put + `}}`
	}
	change := func(addr string, acts ...string) string {
		return `{"address":"` + addr + `","change":{"actions":["` + strings.Join(acts, `","`) + `"]}}`
	}
	cases := []struct {
		name                  string
		plan                  []byte
		docs, identity, skips int
	}{
		{"deleted bucket policy (only in prior_state) is gone",
			planPrior(``, bp("aws_s3_bucket_policy.p", "p"), change("aws_s3_bucket_policy.p", "delete"), ``), 0, 0, 1},
		{"no-op bucket policy stays",
			planPrior(bp("aws_s3_bucket_policy.p", "p"), bp("aws_s3_bucket_policy.p", "p"), change("aws_s3_bucket_policy.p", "no-op"), ``), 1, 0, 0},
		{"replaced bucket policy (delete, create) counts once",
			planPrior(bp("aws_s3_bucket_policy.p", "p"), bp("aws_s3_bucket_policy.p", "p"), change("aws_s3_bucket_policy.p", "delete", "create"), ``), 1, 0, 0},
		{"replaced bucket policy (create, delete) counts once",
			planPrior(bp("aws_s3_bucket_policy.p", "p"), bp("aws_s3_bucket_policy.p", "p"), change("aws_s3_bucket_policy.p", "create", "delete"), ``), 1, 0, 0},
		{"a delete listed in planned_values is still gone",
			planPrior(bp("aws_s3_bucket_policy.p", "p"), ``, change("aws_s3_bucket_policy.p", "delete"), ``), 0, 0, 1},
		{"moved resource counts once, under its new address",
			planPrior(role+`,`+rp("aws_iam_role_policy.new", "new"), role+`,`+rp("aws_iam_role_policy.old", "old"),
				change("aws_iam_role.r", "no-op")+`,{"address":"aws_iam_role_policy.new","previous_address":"aws_iam_role_policy.old","change":{"actions":["no-op"]}}`, ``), 0, 1, 1},
		{"forgotten resource (removed block, destroy = false) still exists in AWS",
			planPrior(``, bp("aws_s3_bucket_policy.p", "p"), change("aws_s3_bucket_policy.p", "forget"), ``), 1, 0, 0},
		{"deleted role policy grant is gone",
			planPrior(role, role+`,`+rp("aws_iam_role_policy.p", "p"), change("aws_iam_role.r", "no-op")+`,`+change("aws_iam_role_policy.p", "delete"), ``), 0, 0, 1},
		{"destroy plan: nothing exists after apply",
			planPrior(``, role+`,`+rp("aws_iam_role_policy.p", "p"), change("aws_iam_role.r", "delete")+`,`+change("aws_iam_role_policy.p", "delete"), ``), 0, 0, 2},
		{"count = 0: the configuration has the resource, the plan no instance",
			planPrior(role, ``, change("aws_iam_role.r", "create"),
				`{"address":"aws_iam_role_policy.p","mode":"managed","type":"aws_iam_role_policy","name":"p","count_expression":{"constant_value":0},"expressions":{"policy":{"constant_value":`+put+`},"role":{"references":["aws_iam_role.r.id","aws_iam_role.r"]}}}`), 0, 0, 0},
		{"for_each over an empty map: no instance",
			planPrior(role, ``, change("aws_iam_role.r", "create"),
				`{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","for_each_expression":{"constant_value":{}},"expressions":{"policy":{"constant_value":`+deny+`}}}`), 0, 0, 0},
		{"data source read into prior_state is kept",
			planPrior(``, `{"address":"data.aws_iam_policy_document.d","mode":"data","type":"aws_iam_policy_document","name":"d","values":{"json":`+deny+`}}`, ``, ``), 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := loadTF(t, "plan.json", c.plan)
			identity := 0
			for _, p := range in.Principals {
				identity += len(p.Identity)
			}
			if len(in.Documents) != c.docs || identity != c.identity || len(in.Skipped) != c.skips {
				t.Errorf("documents %d identity %d skipped %d (%+v); want %d %d %d", len(in.Documents), identity, len(in.Skipped), in.Skipped, c.docs, c.identity, c.skips)
			}
			for _, s := range in.Skipped {
				if s.Line == 0 || !strings.Contains(s.Message, "not counted") {
					t.Errorf("skipped %+v", s)
				}
			}
		})
	}
}

// Terraform aws_kms_grant (registry docs: key_id, grantee_principal,
// operations, constraints {encryption_context_equals|subset}): a reference to
// a key of the plan names that key; a grantee known only after apply stays
// an unknown value (check then answers unknown where it could allow).
func TestTerraformKMSGrant(t *testing.T) {
	key := `{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","values":{"arn":"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","key_id":"1234abcd-12ab-34cd-56ef-1234567890ab"}}`
	grant := `{"address":"aws_kms_grant.g","mode":"managed","type":"aws_kms_grant","name":"g","values":{"name":"uploads","key_id":"1234abcd-12ab-34cd-56ef-1234567890ab",
 "grantee_principal":"arn:aws:iam::111122223333:role/supermetrics-upload","operations":["GenerateDataKey","Decrypt"],
 "constraints":[{"encryption_context_equals":null,"encryption_context_subset":{"aws:s3:arn":"arn:aws:s3:::b"}}]}}`
	unknownGrantee := `{"address":"aws_kms_grant.u","mode":"managed","type":"aws_kms_grant","name":"u","values":{"name":"later","key_id":"1234abcd-12ab-34cd-56ef-1234567890ab","operations":["Decrypt"]}}`
	in := loadTF(t, "plan.json", planJSON(key+","+grant+","+unknownGrantee,
		`{"address":"aws_kms_grant.u","change":{"actions":["create"],"after_unknown":{"grantee_principal":true,"grant_id":true}}}`,
		`{"address":"aws_kms_grant.g","mode":"managed","type":"aws_kms_grant","name":"g","expressions":{"key_id":{"references":["aws_kms_key.k.key_id","aws_kms_key.k"]}}}`))
	if len(in.Grants) != 2 {
		t.Fatalf("grants = %+v", in.Grants)
	}
	g := in.Grants[0]
	if g.KeyID != "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" || g.Grantee != "arn:aws:iam::111122223333:role/supermetrics-upload" ||
		len(g.Operations) != 2 || g.Constraint != "EncryptionContextSubset" || g.Context["aws:s3:arn"] != "arn:aws:s3:::b" {
		t.Errorf("grant = %+v", g)
	}
	if u := in.Grants[1]; !policy.IsUnknown(u.Grantee) {
		t.Errorf("unknown grantee read as %q", u.Grantee)
	}
}
