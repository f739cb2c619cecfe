package scaffold

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/requestmodel"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const testKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// goldenSetups are rendered in every format and compared with
// testdata/NAME.{json,tf,yaml}.
var goldenSetups = []struct {
	name     string
	setup    config.Setup
	roleName string
}{
	{name: "plain", setup: config.Setup{Bucket: "acme-data"}},
	{name: "prefix", setup: config.Setup{Bucket: "acme-data", Prefix: "/supermetrics/exports"}},
	{name: "kms", setup: config.Setup{Bucket: "acme-data", Prefix: "sm/", KMSKeyARN: testKey}},
	{name: "ip-ranges", setup: config.Setup{Bucket: "acme-data", Vendor: config.Vendor{IPRanges: []string{"203.0.113.7/24", "2001:db8::/32", "198.51.100.9"}}}},
	{name: "external-id", setup: config.Setup{Bucket: "acme-data", Vendor: config.Vendor{ExternalID: "sm-team-4711"}}},
	{name: "role-arn", setup: config.Setup{Bucket: "acme-data", Region: "eu-west-1", KMSKeyARN: testKey,
		RoleARN: "arn:aws:iam::444455556666:role/data/sm-upload", Vendor: config.Vendor{IPRanges: []string{"203.0.113.0/24"}, ExternalID: "x-1"}}},
	{name: "role-name", setup: config.Setup{Bucket: "acme-data"}, roleName: "my-sm-role"},
	{name: "special-prefix", setup: config.Setup{Bucket: "acme-data", Prefix: `odd$*?${x}"%{y}`}},
}

var goldenExt = map[string]string{"json": ".json", "terraform": ".tf", "cloudformation": ".yaml"}

func TestGolden(t *testing.T) {
	prof := requestmodel.Default()
	for _, g := range goldenSetups {
		s, err := Build(g.setup, prof, g.roleName)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		for _, format := range Formats {
			t.Run(g.name+"/"+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := s.Render(&buf, format); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", g.name+goldenExt[format])
				if *update {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/scaffold -update)", err)
				}
				if !bytes.Equal(buf.Bytes(), want) {
					t.Errorf("%s differs from the output (run go test ./internal/scaffold -update and review the diff):\n%s", path, buf.String())
				}
			})
		}
	}
}

func TestBuild(t *testing.T) {
	prof := requestmodel.Default()
	s, err := Build(config.Setup{Bucket: "b-1", Prefix: "p", KMSKeyARN: testKey,
		Vendor: config.Vendor{IPRanges: []string{"203.0.113.0/24"}}}, prof, "")
	if err != nil {
		t.Fatal(err)
	}
	if s.RoleName != DefaultRoleName || s.RoleARN != "arn:aws:iam::111122223333:role/"+DefaultRoleName || !s.RoleARNFromKey || s.Region != "eu-west-1" {
		t.Errorf("role %q %q region %q", s.RoleName, s.RoleARN, s.Region)
	}
	// Trust: the vendor principal, sts:AssumeRole, no condition.
	tr := s.Trust.Statement
	if len(tr) != 1 || tr[0].Principal["AWS"] != prof.PrincipalARN || len(tr[0].Action) != 1 || tr[0].Action[0] != "sts:AssumeRole" || tr[0].Condition != nil {
		t.Errorf("trust %+v", tr)
	}
	// The IP condition is on the S3 statements, never on the KMS one.
	for _, st := range s.Permission.Statement {
		_, hasIP := st.Condition["IpAddress"]
		if (st.Sid == SidKMS) == hasIP {
			t.Errorf("statement %s condition %v", st.Sid, st.Condition)
		}
	}
	if got := s.Permission.Statement[0].Resource[0]; got != "arn:aws:s3:::b-1/p/*" {
		t.Errorf("object resource %q", got)
	}
	if s.KeyStatement == nil || s.KeyStatement.Principal["AWS"] != s.RoleARN ||
		s.KeyStatement.Condition["StringEquals"]["kms:ViaService"][0] != "s3.eu-west-1.amazonaws.com" {
		t.Errorf("key statement %+v", s.KeyStatement)
	}

	// Without KMS: no KMS statement, no key statement.
	s, err = Build(config.Setup{Bucket: "b-1"}, prof, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Permission.Statement) != 2 || s.KeyStatement != nil || s.RoleARN != "" {
		t.Errorf("permission %+v key %+v role %q", s.Permission.Statement, s.KeyStatement, s.RoleARN)
	}
	// The external ID: StringEquals sts:ExternalId, nothing else.
	s, _ = Build(config.Setup{Bucket: "b-1", Vendor: config.Vendor{ExternalID: "abc"}}, prof, "")
	if c := s.Trust.Statement[0].Condition; len(c) != 1 || len(c["StringEquals"]) != 1 || c["StringEquals"]["sts:ExternalId"][0] != "abc" {
		t.Errorf("trust condition %v", c)
	}
}

func TestBuildErrors(t *testing.T) {
	prof := requestmodel.Default()
	for _, tc := range []struct {
		name  string
		setup config.Setup
		role  string
		want  string
	}{
		{"no bucket", config.Setup{}, "", "bucket is required"},
		{"bucket with slash", config.Setup{Bucket: "a/b"}, "", "not a bucket name"},
		{"access key", config.Setup{Bucket: "abc", Auth: config.AuthAccessKey}, "", "role method"},
		{"alias ARN", config.Setup{Bucket: "abc", KMSKeyARN: "arn:aws:kms:eu-west-1:111122223333:alias/sm"}, "", "alias"},
		{"key id", config.Setup{Bucket: "abc", KMSKeyARN: "1234abcd-12ab"}, "", "want a key ARN"},
		{"key in China", config.Setup{Bucket: "abc", KMSKeyARN: "arn:aws-cn:kms:cn-north-1:111122223333:key/x"}, "", "partition"},
		{"key region", config.Setup{Bucket: "abc", Region: "us-east-1", KMSKeyARN: testKey}, "", "bucket's region"},
		{"role ARN malformed", config.Setup{Bucket: "abc", RoleARN: "arn:aws:iam::111122223333:user/x"}, "", "want arn:aws:iam"},
		{"role ARN vendor account", config.Setup{Bucket: "abc", RoleARN: "arn:aws:iam::043417694514:role/SupermetricsS3IntegrationRole"}, "", "own account"},
		{"role ARN gov", config.Setup{Bucket: "abc", RoleARN: "arn:aws-us-gov:iam::111122223333:role/x"}, "", "partition"},
		{"role name differs", config.Setup{Bucket: "abc", RoleARN: "arn:aws:iam::111122223333:role/x"}, "y", "differs"},
		{"role name invalid", config.Setup{Bucket: "abc"}, "a/b", "role name"},
		{"role name too long", config.Setup{Bucket: "abc"}, strings.Repeat("r", 65), "role name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.setup, prof, tc.role)
			var ue *UsageError
			if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a UsageError containing %q", err, tc.want)
			}
		})
	}
}

func TestObjectResource(t *testing.T) {
	for _, tc := range []struct{ prefix, want string }{
		{"", "arn:aws:s3:::b/*"},
		{"a/", "arn:aws:s3:::b/a/*"},
		{"a*b?/", "arn:aws:s3:::b/a${*}b${?}/*"},
		{"${aws:username}/", "arn:aws:s3:::b/${$}{aws:username}/*"},
	} {
		if got := ObjectResource("b", tc.prefix); got != tc.want {
			t.Errorf("ObjectResource(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

func TestHCLString(t *testing.T) {
	for in, want := range map[string]string{
		`a`:         `"a"`,
		`${x}`:      `"$${x}"`,
		`%{if}`:     `"%%{if}"`,
		`q"<b>\`:    `"q\"<b>\\"`,
		"tab\there": `"tab\there"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
	}
}
