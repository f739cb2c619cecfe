package load

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/load/loadtest"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

func td(parts ...string) string { return filepath.Join(append([]string{"testdata"}, parts...)...) }

func stmtLines(d *policy.Document) []int {
	var out []int
	for _, s := range d.Statements {
		out = append(out, s.Line)
	}
	return out
}

func findPrincipal(t *testing.T, in *Input, typ, name string) *Principal {
	t.Helper()
	var found *Principal
	for _, p := range in.Principals {
		if p.Type == typ && p.Name == name {
			if found != nil {
				t.Fatalf("%s/%s appears twice", typ, name)
			}
			found = p
		}
	}
	if found == nil {
		t.Fatalf("no principal %s/%s among %d", typ, name, len(in.Principals))
	}
	return found
}

func noErrors(t *testing.T, in *Input) {
	t.Helper()
	if len(in.Errors) != 0 {
		t.Fatalf("errors: %v", in.Errors)
	}
}

// TestRawDocuments loads each raw document fixture on its own and checks the
// detected kind and the statement lines.
func TestRawDocuments(t *testing.T) {
	cases := []struct {
		file  string
		force policy.Kind
		kind  policy.Kind
		lines []int
	}{
		{"trust.json", "", policy.Trust, []int{4}},
		{"identity.json", "", policy.Identity, []int{4, 13}},
		{"identity.json", policy.Boundary, policy.Boundary, []int{4, 13}},
		{"identity.json", policy.SCP, policy.SCP, []int{4, 13}},
		{"bucket.json", "", policy.Bucket, []int{5, 14}},
		{"key.json", "", policy.Key, []int{5}},
		{"encoded.json", "", policy.Identity, []int{1, 1}},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+string(c.force), func(t *testing.T) {
			p := td("raw", c.file)
			in := Paths([]string{p}, Options{Kinds: map[string]policy.Kind{p: c.force}})
			noErrors(t, in)
			if len(in.Documents) != 1 || in.Files != 1 {
				t.Fatalf("%d documents, %d files", len(in.Documents), in.Files)
			}
			d := in.Documents[0]
			if d.Kind != c.kind || d.File != p || !reflect.DeepEqual(stmtLines(d), c.lines) {
				t.Errorf("kind %q file %q lines %v", d.Kind, d.File, stmtLines(d))
			}
			if len(d.Problems) != 0 {
				t.Errorf("problems: %+v", d.Problems)
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	cases := []struct {
		file string
		line int
		msg  string
	}{
		{"broken.json", 7, "invalid JSON"},
		{"double-encoded.json", 1, "URL-encoded more than once"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			in := Paths([]string{td("raw", c.file)}, Options{})
			if len(in.Errors) != 1 {
				t.Fatalf("errors %v", in.Errors)
			}
			// A file named on the command line that cannot be read stands
			// as documents that are not known, of every kind it could be
			// (SPEC §1), never as absent.
			if len(in.Documents) != 3 || len(in.Unresolved) != 1 {
				t.Fatalf("%d documents, %d unresolved; want 3 placeholders (trust, identity, bucket) and 1", len(in.Documents), len(in.Unresolved))
			}
			for _, d := range in.Documents {
				if !strings.Contains(d.Unresolved, "could not be read") || len(d.Statements) != 0 {
					t.Errorf("%s document: unresolved %q, %d statements", d.Kind, d.Unresolved, len(d.Statements))
				}
			}
			e := in.Errors[0]
			if e.File != td("raw", c.file) || e.Line != c.line || !strings.Contains(e.Message, c.msg) {
				t.Errorf("error = %v, want line %d %q", e, c.line, c.msg)
			}
		})
	}
}

func TestWrongTypesAndDuplicateKeys(t *testing.T) {
	in := Paths([]string{td("raw", "wrong-types.json"), td("raw", "dup-keys.json")}, Options{})
	noErrors(t, in)
	if len(in.Documents) != 2 {
		t.Fatalf("%d documents", len(in.Documents))
	}
	dup, wrong := in.Documents[0], in.Documents[1] // sorted by path
	if !strings.HasSuffix(dup.File, "dup-keys.json") {
		t.Fatalf("order: %s", dup.File)
	}
	if dup.Statements[0].Effect != policy.Allow || dup.Alternate == nil || dup.Alternate.Statements[0].Effect != policy.Deny {
		t.Errorf("dup readings: %+v / %+v", dup.Statements[0], dup.Alternate)
	}
	if len(dup.Problems) != 1 || dup.Problems[0].Line != 9 || !strings.Contains(dup.Problems[0].Message, `duplicate key "Effect"`) {
		t.Errorf("dup problems %+v", dup.Problems)
	}
	var lines []int
	for _, p := range wrong.Problems {
		lines = append(lines, p.Line)
	}
	if !reflect.DeepEqual(lines, []int{6, 12}) || !wrong.Invalid() {
		t.Errorf("wrong-types problems %+v", wrong.Problems)
	}
}

func TestCLIFormats(t *testing.T) {
	t.Run("get-role", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-role.json")}, Options{})
		noErrors(t, in)
		p := findPrincipal(t, in, "role", "supermetrics-upload")
		if p.ARN != "arn:aws:iam::111122223333:role/supermetrics-upload" || p.Account != "111122223333" || p.ID != "AROAQXAMPLEROLEID123" || p.Line != 2 {
			t.Errorf("%+v", p)
		}
		if p.BoundaryARN != "arn:aws:iam::111122223333:policy/upload-boundary" || p.Boundary != nil || p.Complete {
			t.Errorf("boundary %q %v complete %v", p.BoundaryARN, p.Boundary, p.Complete)
		}
		if p.Trust == nil || p.Trust.Kind != policy.Trust || !reflect.DeepEqual(stmtLines(p.Trust), []int{11}) || p.Trust.Name != "trust policy of role/supermetrics-upload" {
			t.Errorf("trust %+v", p.Trust)
		}
	})
	t.Run("get-role-policy", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-role-policy.json")}, Options{})
		noErrors(t, in)
		p := findPrincipal(t, in, "role", "supermetrics-upload")
		if len(p.Identity) != 1 || p.Identity[0].Kind != policy.Identity || !reflect.DeepEqual(stmtLines(p.Identity[0]), []int{7, 16}) ||
			p.Identity[0].Name != "inline policy s3-upload of role/supermetrics-upload" {
			t.Errorf("identity %+v", p.Identity)
		}
	})
	t.Run("get-user-policy", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-user-policy.json")}, Options{})
		noErrors(t, in)
		p := findPrincipal(t, in, "user", "supermetrics-uploader")
		if len(p.Identity) != 1 || p.Identity[0].Statements[1].Sid != "BucketLevel" {
			t.Errorf("identity %+v", p.Identity)
		}
	})
	t.Run("get-policy-version", func(t *testing.T) {
		f := td("cli", "get-policy-version.json")
		for _, force := range []policy.Kind{"", policy.Boundary} {
			in := Paths([]string{f}, Options{Kinds: map[string]policy.Kind{f: force}})
			noErrors(t, in)
			want := force
			if want == "" {
				want = policy.Identity
			}
			if len(in.Documents) != 1 || in.Documents[0].Kind != want || !reflect.DeepEqual(stmtLines(in.Documents[0]), []int{6}) {
				t.Errorf("force %q: %+v", force, in.Documents)
			}
		}
	})
	t.Run("list-attached-role-policies", func(t *testing.T) {
		in := Paths([]string{td("cli", "list-attached-role-policies.json")}, Options{})
		noErrors(t, in)
		if len(in.Attachments) != 2 || in.Attachments[1].PolicyARN != "arn:aws:iam::aws:policy/ReadOnlyAccess" || in.Attachments[0].Line != 3 {
			t.Errorf("%+v", in.Attachments)
		}
	})
	t.Run("get-bucket-policy", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-bucket-policy.json")}, Options{})
		noErrors(t, in)
		if len(in.Documents) != 1 {
			t.Fatal(in.Documents)
		}
		d := in.Documents[0]
		if d.Kind != policy.Bucket || d.Version != policy.Version2008 || len(d.Statements) != 2 || d.Statements[1].Line != 2 || len(d.Problems) != 0 {
			t.Errorf("%+v problems %+v", d, d.Problems)
		}
	})
	t.Run("get-key-policy", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-key-policy.json")}, Options{})
		noErrors(t, in)
		d := in.Documents[0]
		if d.Kind != policy.Key || d.Name != "key policy default" || d.Statements[0].Sid != "Enable IAM User Permissions" || len(d.Problems) != 0 {
			t.Errorf("%+v problems %+v", d, d.Problems)
		}
	})
	t.Run("bucket facts join", func(t *testing.T) {
		in := Paths([]string{td("cli", "get-bucket-encryption.json"), td("cli", "get-bucket-location.json")}, Options{})
		noErrors(t, in)
		if len(in.Buckets) != 1 {
			t.Fatalf("%d buckets", len(in.Buckets))
		}
		b := in.Buckets[0]
		if b.Region != "eu-west-1" || b.SSEAlgorithm != "aws:kms" || !b.BucketKeyEnabled || !strings.HasSuffix(b.KMSMasterKeyID, "key/1234abcd-12ab-34cd-56ef-1234567890ab") {
			t.Errorf("%+v", b)
		}
	})
	t.Run("describe-key", func(t *testing.T) {
		in := Paths([]string{td("cli", "describe-key.json")}, Options{})
		noErrors(t, in)
		k := in.Keys[0]
		if k.Region != "eu-west-1" || k.Account != "111122223333" || k.KeyManager != "CUSTOMER" || k.KeyID != "1234abcd-12ab-34cd-56ef-1234567890ab" || k.Line != 2 {
			t.Errorf("%+v", k)
		}
	})
}

func TestBucketLocation(t *testing.T) {
	cases := map[string]string{`{"LocationConstraint": null}`: "us-east-1", `{"LocationConstraint": ""}`: "us-east-1",
		`{"LocationConstraint": "EU"}`: "eu-west-1", `{"LocationConstraint": "ap-south-1"}`: "ap-south-1"}
	for src, want := range cases {
		in := Bytes("loc.json", []byte(src), "")
		if len(in.Buckets) != 1 || in.Buckets[0].Region != want {
			t.Errorf("%s: %+v", src, in.Buckets)
		}
	}
	in := Bytes("loc.json", []byte(`{"LocationConstraint": 5}`), "")
	if len(in.Errors) != 1 || in.Errors[0].Line != 1 {
		t.Errorf("wrong type: %v", in.Errors)
	}
}

// TestJoinPartialCLIFiles: a get-role and a get-role-policy of the same role
// become one principal, pointing at the get-role file.
func TestJoinPartialCLIFiles(t *testing.T) {
	in := Paths([]string{td("cli")}, Options{})
	noErrors(t, in)
	if in.Files != 10 {
		t.Errorf("files = %d", in.Files)
	}
	r := findPrincipal(t, in, "role", "supermetrics-upload")
	if r.Trust == nil || len(r.Identity) != 1 || !strings.HasSuffix(r.File, "get-role.json") || r.ARN == "" {
		t.Errorf("joined role %+v", r)
	}
	findPrincipal(t, in, "user", "supermetrics-uploader")
	if len(in.Principals) != 2 || len(in.Buckets) != 1 || len(in.Keys) != 1 || len(in.Documents) != 3 {
		t.Errorf("%d principals %d buckets %d keys %d documents", len(in.Principals), len(in.Buckets), len(in.Keys), len(in.Documents))
	}
}

func TestAccountExport(t *testing.T) {
	for _, f := range []string{"authorization-details.json", "authorization-details-api.json"} {
		t.Run(f, func(t *testing.T) {
			api := strings.Contains(f, "api")
			in := Paths([]string{td("account", f)}, Options{})
			noErrors(t, in)
			if len(in.Principals) != 3 || len(in.Documents) != 0 {
				t.Fatalf("%d principals, %d loose documents", len(in.Principals), len(in.Documents))
			}
			r := findPrincipal(t, in, "role", "supermetrics-upload")
			if !r.Complete || r.Account != "111122223333" || r.ID != "AROAQXAMPLEROLEID123" {
				t.Errorf("role %+v", r)
			}
			if r.Trust == nil || r.Trust.Kind != policy.Trust || len(r.Trust.Statements) != 1 {
				t.Fatalf("trust %+v", r.Trust)
			}
			if len(r.Identity) != 2 {
				t.Fatalf("role identity: %d", len(r.Identity))
			}
			inline, managed := r.Identity[0], r.Identity[1]
			if inline.Name != "inline policy s3-upload of role/supermetrics-upload" || managed.ARN != "arn:aws:iam::111122223333:policy/upload-extra" {
				t.Errorf("names %q %q", inline.Name, managed.ARN)
			}
			if managed.Statements[0].Sid != "KmsForUpload" {
				t.Errorf("non-default version used: %+v", managed.Statements[0])
			}
			if !reflect.DeepEqual(r.MissingPolicies, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}) || len(r.AttachedPolicies) != 2 {
				t.Errorf("missing %v attached %v", r.MissingPolicies, r.AttachedPolicies)
			}
			if r.Boundary == nil || r.Boundary.Kind != policy.Boundary || r.Boundary.Statements[0].Sid != "OnlyS3" {
				t.Errorf("boundary %+v", r.Boundary)
			}
			if !api {
				if r.Trust.Statements[0].Line != 87 || !reflect.DeepEqual(stmtLines(inline), []int{104, 113}) ||
					managed.Statements[0].Line != 200 || r.Boundary.Statements[0].Line != 233 {
					t.Errorf("lines: trust %d inline %v managed %d boundary %d", r.Trust.Statements[0].Line, stmtLines(inline),
						managed.Statements[0].Line, r.Boundary.Statements[0].Line)
				}
			} else if r.Trust.Statements[0].Line != r.Trust.Line {
				t.Errorf("encoded trust line %d vs %d", r.Trust.Statements[0].Line, r.Trust.Line)
			}

			u := findPrincipal(t, in, "user", "supermetrics-uploader")
			// inline, the group's inline deny, the group's attached managed (object form)
			var names []string
			for _, d := range u.Identity {
				names = append(names, d.Name)
			}
			want := []string{"inline policy s3-upload of user/supermetrics-uploader", "inline policy deny-delete-bucket of group/uploaders",
				"managed policy arn:aws:iam::111122223333:policy/upload-extra"}
			if !reflect.DeepEqual(names, want) {
				t.Errorf("user documents %q", names)
			}
			if !reflect.DeepEqual(u.Groups, []string{"uploaders"}) || !reflect.DeepEqual(u.MissingPolicies, []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}) {
				t.Errorf("groups %v missing %v", u.Groups, u.MissingPolicies)
			}
			if u.Identity[2] != managed {
				t.Error("managed policy parsed twice")
			}
			l := findPrincipal(t, in, "role", "lambda-exec")
			if len(l.Identity) != 0 || l.Trust.Statements[0].Principal.Service[0] != "lambda.amazonaws.com" {
				t.Errorf("lambda role %+v", l)
			}
		})
	}
}

func TestAccountExportJoinsCLIFile(t *testing.T) {
	in := Paths([]string{td("account", "authorization-details.json"), td("cli", "get-role-policy.json")}, Options{})
	noErrors(t, in)
	r := findPrincipal(t, in, "role", "supermetrics-upload")
	if len(r.Identity) != 2 || !strings.HasSuffix(r.File, "authorization-details.json") {
		t.Errorf("identity %d file %s", len(r.Identity), r.File)
	}
}

func TestAccountExportBadShapes(t *testing.T) {
	src := `{"RoleDetailList": [5, {"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
"AssumeRolePolicyDocument": "%257B", "RolePolicyList": {"PolicyName": "p"}, "AttachedManagedPolicies": "x"}],
"UserDetailList": null, "Policies": [{"Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"IsDefaultVersion": false, "Document": {}}]}]}`
	in := Bytes("export.json", []byte(src), "")
	if len(in.Principals) != 1 || in.Principals[0].Trust != nil {
		t.Fatalf("%+v", in.Principals)
	}
	var msgs []string
	for _, e := range in.Errors {
		msgs = append(msgs, e.Error())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"export.json:1: role entry is number", "export.json:2: trust policy of role/r: policy document is URL-encoded more than once",
		"export.json:2: inline policy p of role/r has no PolicyDocument", "export.json:2: AttachedManagedPolicies is string"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing %q in\n%s", want, joined)
		}
	}
}

func TestDirectoryWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(td("raw", "identity.json"))
	if err != nil {
		t.Fatal(err)
	}
	write("policies/identity.json", string(raw))
	write("policies/b/second.json", string(raw))
	write("package.json", `{"name": "x", "version": "1.0.0"}`)
	write("tsconfig.json", "{\n // comments\n \"compilerOptions\": {}\n}")
	write("node_modules/pkg/policy.json", string(raw))
	write(".git/policy.json", string(raw))
	write("notes.txt", "hello")
	write("broken/policy.json", "{\"Statement\": [\n}")
	write("template.yaml", "Resources: {}\n")
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "policies", "identity.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"cycle-b.json", "cycle-a.json"}, {"cycle-a.json", "cycle-b.json"}, {"missing", "dangling.json"}, {"missing", "dangling.txt"}} {
		if err := os.Symlink(filepath.Join(dir, l[0]), filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}

	in := Paths([]string{dir, filepath.Join(dir, "policies", "identity.json")}, Options{})
	var files []string
	for _, d := range in.Documents {
		files = append(files, strings.TrimPrefix(d.File, dir+string(filepath.Separator)))
	}
	if !reflect.DeepEqual(files, []string{"link.json", "policies/b/second.json", "policies/identity.json"}) {
		t.Errorf("documents from %q", files)
	}
	// A FIFO, a symbolic link loop and a dangling link with a data
	// extension are unreadable inputs (errors); a dangling link with another
	// name is skipped.
	errs := map[string]FileError{}
	for _, e := range in.Errors {
		errs[strings.TrimPrefix(e.File, dir+string(filepath.Separator))] = e
	}
	if len(in.Errors) != 5 || errs["broken/policy.json"].Line != 2 ||
		!strings.Contains(errs["pipe.json"].Message, "not a regular file") ||
		!strings.Contains(errs["cycle-a.json"].Message, "too many levels") || !strings.Contains(errs["cycle-b.json"].Message, "too many levels") ||
		!strings.Contains(errs["dangling.json"].Message, "broken symbolic link") {
		t.Errorf("errors %v", in.Errors)
	}
	skipped := map[string]string{}
	for _, s := range in.Skipped {
		skipped[filepath.Base(s.File)] = s.Message
	}
	for _, want := range []string{"package.json", "tsconfig.json", "loop", "dangling.txt", "template.yaml"} {
		if _, ok := skipped[want]; !ok {
			t.Errorf("%s not skipped: %v", want, skipped)
		}
	}

	// An explicitly named FIFO is an error, not a hang.
	in = Paths([]string{fifo}, Options{})
	if len(in.Errors) != 1 || !strings.Contains(in.Errors[0].Message, "not a regular file") {
		t.Errorf("fifo: %v", in.Errors)
	}
	in = Paths([]string{filepath.Join(dir, "missing.json")}, Options{})
	if len(in.Errors) != 1 || in.Errors[0].File == "" {
		t.Errorf("missing: %v", in.Errors)
	}
}

func TestExplicitFiles(t *testing.T) {
	cases := []struct {
		name, src string
		kind      policy.Kind
		err       string
		skipped   bool
	}{
		// Named explicitly, a valid file smlint cannot use is listed as not
		// checked (not an error: pre-commit hooks pass every changed file);
		// in a directory it is skipped: TestDirectoryWalk.
		{"package.json", `{"name": "x"}`, "", `not a policy document or an AWS CLI output, Terraform plan or CloudFormation template smlint reads (the top level is an object with "name")`, true},
		{"string.json", `"hello"`, "", "the top level is a string", true},
		{"forced.json", `{"name": "x"}`, policy.Trust, "given as a trust policy", false},
		{"nostatement.json", "{\"Version\": \"2012-10-17\"}", "", "no Statement", false},
		{"policy.yaml", "Statement: [", "", "invalid YAML", false},
		{"array.json", "[1, 2]", "", "the top level is an array", true},
		{"empty.json", "", "", "empty", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Bytes(c.name, []byte(c.src), c.kind)
			if c.skipped {
				if len(in.NotChecked) != 1 || len(in.Errors) != 0 || !strings.Contains(in.NotChecked[0].Message, c.err) {
					t.Errorf("not checked %v errors %v, want %q", in.NotChecked, in.Errors, c.err)
				}
				return
			}
			if len(in.Errors) != 1 || !strings.Contains(in.Errors[0].Message, c.err) || in.Errors[0].File != c.name {
				t.Errorf("errors %v, want %q", in.Errors, c.err)
			}
		})
	}
}

// TestFormatTableAndPanicRecovery: a format in the table loads the files
// it detects, and a format that panics costs only its file an error.
func TestFormatTableAndPanicRecovery(t *testing.T) {
	saved := formats
	defer func() { formats = saved }()
	formats = append([]input.Format{
		input.NewFormat("test-panics", func(root *tree.Node) bool { return root.Get("boom") != nil },
			func(root *tree.Node, b *input.Builder) { panic("kaboom") }),
		input.NewFormat("test-format", func(root *tree.Node) bool { return root.Get("custom") != nil },
			func(root *tree.Node, b *input.Builder) {
				b.AddBucket("", &BucketFacts{Name: "custom", File: b.File, Line: root.Line})
			}),
	}, saved...)
	in := Bytes("a.json", []byte(`{"custom": 1}`), "")
	if len(in.Buckets) != 1 || in.Buckets[0].Name != "custom" {
		t.Errorf("format in the table not used: %+v", in)
	}
	in = Bytes("b.json", []byte(`{"boom": 1}`), "")
	if len(in.Errors) != 1 || !strings.Contains(in.Errors[0].Message, "internal error") || !strings.Contains(in.Errors[0].Message, "kaboom") {
		t.Errorf("panic not recovered: %v", in.Errors)
	}
}

func TestQuotaAcrossJoinedInlinePolicies(t *testing.T) {
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::bucket/abcdefghij/*",`, 40), ",") + `]}]}`
	dir := t.TempDir()
	for i, name := range []string{"a", "b"} {
		src := `{"UserName":"u","PolicyName":"` + name + `","PolicyDocument":` + big + `}`
		if err := os.WriteFile(filepath.Join(dir, name+".json"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_ = i
	}
	in := Paths([]string{dir}, Options{})
	noErrors(t, in)
	u := findPrincipal(t, in, "user", "u")
	if len(u.Identity) != 2 || !u.Identity[0].Invalid() || !u.Identity[1].Invalid() ||
		!strings.Contains(u.Identity[0].Problems[0].Message, "inline policies of a user") {
		t.Errorf("user inline quota: %+v", u.Identity[0].Problems)
	}
}

// A group's inline policies count toward the group's quota, not toward the
// inline quota of each user in the group (reference_iam-quotas.html lists
// the two quotas apart): join counts only the user's own (OriginInline).
func TestQuotaLeavesGroupPoliciesToTheGroup(t *testing.T) {
	groupDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::bucket/abcdefghij/*",`, 70), ",") + `]}]}`
	own := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*"}]}`
	export := `{"UserDetailList":[{"UserName":"u","Arn":"arn:aws:iam::111122223333:user/u","GroupList":["g"],` +
		`"UserPolicyList":[{"PolicyName":"own","PolicyDocument":` + own + `}]}],` +
		`"GroupDetailList":[{"GroupName":"g","GroupPolicyList":[{"PolicyName":"big","PolicyDocument":` + groupDoc + `}]}]}`
	in := Bytes("export.json", []byte(export), "")
	noErrors(t, in)
	u := findPrincipal(t, in, "user", "u")
	if len(u.Identity) != 2 {
		t.Fatalf("identity documents %d", len(u.Identity))
	}
	for _, d := range u.Identity {
		if d.Invalid() {
			t.Errorf("%s (%s) over a quota: %+v", d.Name, d.Origin, d.Problems)
		}
	}
	if u.Identity[0].Origin != policy.OriginInline || u.Identity[1].Origin != policy.OriginGroup {
		t.Errorf("origins %s, %s", u.Identity[0].Origin, u.Identity[1].Origin)
	}
}

func FuzzLoadBytes(f *testing.F) {
	for _, dir := range []string{"raw", "cli", "account"} {
		entries, _ := os.ReadDir(td(dir))
		for _, e := range entries {
			data, err := os.ReadFile(td(dir, e.Name()))
			if err == nil && len(data) < 64<<10 {
				f.Add(e.Name(), data)
			}
		}
	}
	f.Add("x.json", []byte(`{"Role":{"RoleName":5,"AssumeRolePolicyDocument":null,"PermissionsBoundary":[]}}`))
	f.Add("x.json", []byte(`{"RoleDetailList":[{"RolePolicyList":[1,{}],"AttachedManagedPolicies":{}}],"Policies":[{"Arn":"a","PolicyVersionList":{}}]}`))
	f.Add("x.json", []byte(`{"ServerSideEncryptionConfiguration":{"Rules":{"ApplyServerSideEncryptionByDefault":5}}}`))
	f.Add("x.json", []byte(`{"PolicyVersion":{"Document":"%7B"},"KeyMetadata":{}}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		in := Bytes(name, data, "")
		for _, e := range in.Errors {
			if strings.Contains(e.Message, "internal error") {
				t.Fatalf("panic: %s", e.Message)
			}
		}
	})
}

func BenchmarkLoadAccountExport(b *testing.B) {
	data := loadtest.AccountExport(500, 1600, 2)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in := Bytes("export.json", data, "")
		if len(in.Errors) != 0 || len(in.Principals) != 600 {
			b.Fatalf("%d errors %v, %d principals", len(in.Errors), in.Errors[:min(3, len(in.Errors))], len(in.Principals))
		}
	}
}

// TestAccountExportParsedAhead: with two processors the account export's
// documents are parsed ahead concurrently (input.Builder.ParseAhead); the
// loaded Input is the same as with one, which parses them in file order.
func TestAccountExportParsedAhead(t *testing.T) {
	data := loadtest.AccountExport(50, 160, 2)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	inOrder := Bytes("export.json", data, "")
	runtime.GOMAXPROCS(2)
	ahead := Bytes("export.json", data, "")
	noErrors(t, ahead)
	if len(ahead.Principals) != 60 || !reflect.DeepEqual(inOrder, ahead) {
		t.Fatalf("loaded with two processors (%d principals) differs from one (%d)", len(ahead.Principals), len(inOrder.Principals))
	}
}
