package policy

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/tree"
)

func mustNode(t testing.TB, src string) *tree.Node {
	t.Helper()
	n, err := tree.FromJSON([]byte(src))
	if err != nil {
		t.Fatalf("tree: %v", err)
	}
	return n
}

func mustDoc(t *testing.T, src string, kind Kind) *Document {
	t.Helper()
	d, err := FromNode(mustNode(t, src), kind, "f.json")
	if err != nil {
		t.Fatalf("FromNode: %v", err)
	}
	return d
}

const vendorTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowSupermetrics",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
      "Action": "sts:AssumeRole",
      "Condition": {
        "Bool": {"aws:SecureTransport": true},
        "NumericLessThan": {
          "aws:MultiFactorAuthAge": 3600
        }
      }
    }
  ]
}`

func TestFromNodeTrustLinesAndValues(t *testing.T) {
	d := mustDoc(t, vendorTrust, "")
	if d.Kind != Trust {
		t.Fatalf("kind = %q, want trust", d.Kind)
	}
	if len(d.Problems) != 0 {
		t.Fatalf("problems: %+v", d.Problems)
	}
	if d.Version != Version2012 || d.Line != 1 || d.File != "f.json" {
		t.Errorf("doc = %q line %d file %q", d.Version, d.Line, d.File)
	}
	s := d.Statements[0]
	if s.Line != 4 || s.Sid != "AllowSupermetrics" || s.Effect != Allow {
		t.Errorf("statement = %+v", s)
	}
	if !reflect.DeepEqual(s.Principal.AWS, []string{"arn:aws:iam::043417694514:role/supermetrics-s3-role"}) {
		t.Errorf("principal = %+v", s.Principal)
	}
	if !reflect.DeepEqual(s.Action, []string{"sts:AssumeRole"}) || s.Resource != nil {
		t.Errorf("action %v resource %v", s.Action, s.Resource)
	}
	want := []Condition{
		{Operator: "Bool", Op: Operator{Base: "bool", Family: FamBool}, Key: "aws:SecureTransport", Values: []string{"true"}, Line: 10},
		{Operator: "NumericLessThan", Op: Operator{Base: "numericlessthan", Family: FamNumLt}, Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}, Line: 12},
	}
	if !reflect.DeepEqual(s.Condition, want) {
		t.Errorf("conditions = %+v", s.Condition)
	}
	if d.Alternate != nil {
		t.Error("Alternate without duplicate keys")
	}
}

func TestFromNodeSingleStatementAndArrays(t *testing.T) {
	d := mustDoc(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],
"Resource":["arn:aws:s3:::b/*"],"Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.7"]}}}}`, "")
	if d.Kind != Identity || len(d.Statements) != 1 {
		t.Fatalf("kind %q, %d statements", d.Kind, len(d.Statements))
	}
	s := d.Statements[0]
	if len(s.Action) != 2 || s.Resource[0] != "arn:aws:s3:::b/*" || s.Line != 1 {
		t.Errorf("%+v", s)
	}
	if got := s.Condition[0].Values; !reflect.DeepEqual(got, []string{"203.0.113.0/24", "198.51.100.7"}) {
		t.Errorf("condition values %v", got)
	}
	if s.Condition[0].Line != 2 {
		t.Errorf("condition line %d", s.Condition[0].Line)
	}
}

func TestDetectKind(t *testing.T) {
	cases := []struct {
		name, src string
		want      Kind
	}{
		{"identity", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, Identity},
		{"trust", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`, Trust},
		{"trust with resource still trust", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`, Trust},
		{"bucket by action", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, Bucket},
		{"bucket by resource", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*"}]}`, Bucket},
		{"key", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`, Key},
		{"key by star resource", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}]}`, Key},
		{"principal no resource", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}`, Trust},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := mustDoc(t, c.src, ""); d.Kind != c.want {
				t.Errorf("kind = %q, want %q", d.Kind, c.want)
			}
		})
	}
}

func TestFromText(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::a+b/*"}]}`
	enc := url.PathEscape(doc)
	enc = strings.ReplaceAll(enc, "+", "%2B")
	cases := []struct {
		name, text string
		wantErr    string
		resource   string
	}{
		{"plain", doc, "", "arn:aws:s3:::a+b/*"},
		{"encoded", enc, "", "arn:aws:s3:::a+b/*"},
		{"encoded with literal plus", strings.ReplaceAll(enc, "%2B", "+"), "", "arn:aws:s3:::a+b/*"},
		{"encoded lower case", strings.ToLower(enc[:3]) + enc[3:], "", "arn:aws:s3:::a+b/*"},
		{"double encoded", url.PathEscape(enc), "URL-encoded more than once", ""},
		{"json in json", `"{\"Statement\":[]}"`, "JSON string inside a JSON string", ""},
		{"bad escape", "%7B%ZZ", "not valid URL encoding", ""},
		{"empty", "  ", "empty string", ""},
		{"not json", "hello", "not a JSON policy document", ""},
		{"broken json", "{\n\"Statement\": [", "embedded policy document", ""},
		{"array", "%5B%5D", "does not start with '{'", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := FromText(c.text, "", "x.json", 7)
			if c.wantErr != "" {
				var pe *ParseError
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !errors.As(err, &pe) || pe.Line != 7 || pe.File != "x.json" {
					t.Fatalf("err = %v, want %q at x.json:7", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Kind != Identity || d.Statements[0].Resource[0] != c.resource || d.Statements[0].Line != 7 || d.Line != 7 {
				t.Errorf("doc %+v stmt %+v", d, d.Statements[0])
			}
			if !strings.HasPrefix(d.Source, "{") {
				t.Errorf("Source = %.20q", d.Source)
			}
		})
	}
}

func TestFromNodeStringNodeUsesStringLine(t *testing.T) {
	n := mustNode(t, "{\n\"Policy\":\n\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::b/*\\\",\\\"Condition\\\":{\\\"Bool\\\":{\\\"aws:SecureTransport\\\":\\\"true\\\"}}}]}\"}")
	d, err := FromNode(n.Get("Policy"), "", "p.json")
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != Bucket || d.Line != 3 || d.Statements[0].Line != 3 || d.Statements[0].Condition[0].Line != 3 {
		t.Errorf("kind %q lines %d %d", d.Kind, d.Line, d.Statements[0].Line)
	}
}

func TestFromNodeWrongRoot(t *testing.T) {
	for _, src := range []string{`[1]`, `5`, `null`, `true`} {
		_, err := FromNode(mustNode(t, src), "", "f")
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "want a JSON object") {
			t.Errorf("%s: err = %v", src, err)
		}
	}
	if _, err := FromNode(nil, "", "f"); err == nil {
		t.Error("nil node accepted")
	}
}

// problemLines returns "line:fragment" for each problem, for compact asserts.
func hasProblem(d *Document, line int, frag string, rejected bool) bool {
	for _, p := range d.Problems {
		if p.Line == line && strings.Contains(p.Message, frag) && p.Rejected == rejected {
			return true
		}
	}
	return false
}

func TestGrammarProblems(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		src  string
		line int
		frag string
		rej  bool
	}{
		{"unknown top key", "", "{\"Statement\":[],\n\"Foo\":1}", 2, `unknown top-level element "Foo"`, true},
		{"case of key", "", "{\"statement\":[]}", 1, `write "Statement"`, true},
		{"no statement", "", "{\n\"Version\":\"2012-10-17\"}", 1, "no Statement", true},
		{"statement null", "", "{\n\"Statement\":\nnull}", 3, "Statement is null", true},
		{"statement number", "", "{\"Statement\":5}", 1, "Statement is a number (5)", true},
		{"statement item string", "", "{\"Statement\":[\n\"x\"]}", 2, "statement 1 is a string", true},
		{"effect", "", "{\"Statement\":[\n{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, `Effect "allow" must be`, true},
		{"no effect", "", "{\"Statement\":[\n{\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, "has no Effect", true},
		{"both actions", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotAction\":\"s3:Get*\",\"Resource\":\"*\"}]}", 2, "both Action and NotAction", true},
		{"no action", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}", 2, "neither Action nor NotAction", true},
		{"action number", "", "{\"Statement\":[{\"Effect\":\"Allow\",\n\"Action\": 5,\"Resource\":\"*\"}]}", 2, "Action is a number (5)", true},
		{"action item bool", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\n true],\"Resource\":\"*\"}]}", 2, "Action[0] is a boolean", true},
		{"action empty", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}", 1, "Action is an empty array", true},
		{"action shape", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"PutObject\",\"Resource\":\"*\"}]}", 2, `action "PutObject"`, true},
		{"both resources", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"NotResource\":\"*\"}]}", 2, "both Resource and NotResource", true},
		{"missing resource identity", Identity, "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}", 2, "neither Resource nor NotResource", true},
		{"missing resource bucket", Bucket, "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]}", 2, "required in a bucket policy", true},
		{"principal in identity", Identity, "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, "not allowed in an identity-based policy", true},
		{"principal in scp", SCP, "{\"Statement\":[\n{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"x\"},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, "service control policy", true},
		{"notprincipal in trust", Trust, "{\"Statement\":[\n{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"x\"},\"Action\":\"sts:AssumeRole\"}]}", 2, "NotPrincipal is not allowed in a role trust", true},
		{"resource in trust", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}", 2, "not allowed in a role trust policy", true},
		{"no principal in bucket", Bucket, "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\"}]}", 2, "no Principal", true},
		{"id in identity", Identity, "{\"Id\":\"x\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 1, "Id is not allowed", true},
		{"version", "", "{\"Version\":\n\"2012-10-18\",\"Statement\":[]}", 2, `Version "2012-10-18"`, true},
		{"version type", "", "{\"Version\":\n2012,\"Statement\":[]}", 2, "Version is a number", true},
		{"sid chars identity", Identity, "{\"Statement\":[\n{\"Sid\":\"allow-put\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, "only letters and digits", true},
		{"empty sid trust", Trust, "{\"Statement\":[\n{\"Sid\":\"\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}", 2, "only letters and digits", true},
		{"duplicate sid", Bucket, "{\"Statement\":[{\"Sid\":\"a b\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"},\n{\"Sid\":\"a b\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 2, `duplicate Sid "a b" (first at line 1)`, true},
		{"malformed arn", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:mybucket\"}]}", 2, `resource "arn:aws:s3:mybucket" is not`, true},
		{"bare bucket name", "", "{\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"mybucket/*\"}]}", 2, "is not \"*\" or an ARN", true},
		{"principal type", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\n\"Aws\":\"x\"},\"Action\":\"sts:AssumeRole\"}]}", 2, `unknown principal type "Aws"`, true},
		{"principal string", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\n\"arn:aws:iam::1:root\",\"Action\":\"sts:AssumeRole\"}]}", 2, "write \"*\" or an object", true},
		{"condition type", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":\n[]}]}", 2, "Condition is an array", true},
		{"condition values null", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\nnull}}}]}", 2, "Bool.aws:SecureTransport is null", true},
		{"unknown statement key", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\n\"Resources\":\"*\"}]}", 2, `unknown statement element "Resources"`, true},
		{"character", "", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\n\"Resource\":\"arn:aws:s3:::b/\u2013*\"}]}", 2, "U+2013", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustDoc(t, c.src, c.kind)
			if !hasProblem(d, c.line, c.frag, c.rej) {
				t.Errorf("no problem %q at line %d (rejected=%v); got %+v", c.frag, c.line, c.rej, d.Problems)
			}
			if c.rej && !d.Invalid() {
				t.Error("Invalid() = false")
			}
		})
	}
}

func TestBucketPolicySidsAllowed(t *testing.T) {
	d := mustDoc(t, `{"Version":"2008-10-17","Id":"P1","Statement":[{"Sid":"","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
	{"Sid":"allow-read by x","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, "")
	if d.Kind != Bucket || len(d.Problems) != 0 || d.ID != "P1" {
		t.Errorf("kind %q problems %+v", d.Kind, d.Problems)
	}
	if !reflect.DeepEqual(d.Statements[0].Principal.AWS, []string{"*"}) {
		t.Errorf("principal %+v", d.Statements[0].Principal)
	}
}

func TestDuplicateKeys(t *testing.T) {
	src := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::b/*",
    "Effect": "Deny"
  }]
}`
	d := mustDoc(t, src, "")
	if d.Statements[0].Effect != Allow {
		t.Errorf("first reading effect %q", d.Statements[0].Effect)
	}
	if d.Alternate == nil || d.Alternate.Statements[0].Effect != Deny {
		t.Fatalf("alternate = %+v", d.Alternate)
	}
	if d.Alternate.Kind != Identity || d.Alternate.Alternate != nil || d.Alternate.Statements[0].Line != 3 {
		t.Errorf("alternate kind %q", d.Alternate.Kind)
	}
	if !hasProblem(d, 7, `duplicate key "Effect" (first at line 4)`, false) || !strings.Contains(d.Problems[0].Message, "parser-dependent") {
		t.Errorf("problems %+v", d.Problems)
	}
	if len(d.Alternate.Problems) != 0 {
		t.Errorf("alternate problems %+v", d.Alternate.Problems)
	}
}

func TestDuplicateConditionKeyLastWins(t *testing.T) {
	d := mustDoc(t, `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.1.1.1","aws:SourceIp":"2.2.2.2"}}}]}`, "")
	if got := d.Statements[0].Condition; len(got) != 1 || got[0].Values[0] != "1.1.1.1" {
		t.Errorf("first reading %+v", got)
	}
	if got := d.Alternate.Statements[0].Condition; len(got) != 1 || got[0].Values[0] != "2.2.2.2" {
		t.Errorf("last reading %+v", got)
	}
}

func TestUnknownNodes(t *testing.T) {
	d, err := FromNode(tree.NewUnknown("known after apply", 4), Bucket, "plan.json")
	if err != nil || d.Unresolved != "known after apply" || d.Line != 4 || d.Kind != Bucket {
		t.Fatalf("%+v %v", d, err)
	}
	root := mustNode(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"x","Principal":{"AWS":"x"}}]}`)
	st := root.Get("Statement").Items[0]
	st.Members[2].Value = tree.NewUnknown("aws_s3_bucket.b.arn", 1)
	st.Members[3].Value = tree.NewUnknown("!GetAtt Role.Arn", 1)
	d, err = FromNode(root, Bucket, "plan.json")
	if err != nil {
		t.Fatal(err)
	}
	s := d.Statements[0]
	if len(s.Resource) != 1 || UnknownReason(s.Resource[0]) != "aws_s3_bucket.b.arn" {
		t.Errorf("resource %q", s.Resource)
	}
	if len(s.Principal.AWS) != 1 || !IsUnknown(s.Principal.AWS[0]) {
		t.Errorf("principal %+v", s.Principal)
	}
	if len(d.Problems) != 0 {
		t.Errorf("problems %+v", d.Problems)
	}
	root.Members[1].Value.Items[0] = tree.NewUnknown("dynamic statement", 1)
	d, _ = FromNode(root, Bucket, "plan.json")
	if d.Unresolved == "" || len(d.Statements) != 0 {
		t.Errorf("unknown statement: %+v", d)
	}
}

func TestSizeAndQuota(t *testing.T) {
	if got := countSize("{ \"a b\" :\n [ 1 , \"é\" ] }"); got != len(`{"a b":[1,"é"]}`)-1 {
		t.Errorf("size = %d", got)
	}
	if got := countSize(`{"a\"  b":1}`); got != 12 {
		t.Errorf("escaped quote size = %d", got)
	}
	big := `{"Version":"2012-10-17","Statement":[{"Principal":{"AWS":"*"},"Effect":"Allow","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"` + strings.Repeat("x", 3000) + `"}}}]}`
	d := mustDoc(t, big, "")
	if d.Kind != Trust {
		t.Fatal(d.Kind)
	}
	CheckDefaultQuota(d, true)
	if len(d.Problems) != 1 || d.Problems[0].Rejected || !strings.Contains(d.Problems[0].Message, "default quota of 2048") {
		t.Errorf("deployed trust: %+v", d.Problems)
	}
	d = mustDoc(t, big, "")
	CheckDefaultQuota(d, false)
	if !d.Invalid() {
		t.Errorf("file trust over quota not rejected: %+v", d.Problems)
	}
	id := `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["` + strings.Repeat("arn:aws:s3:::bucket-name-here/*\",\"", 250) + `*"]}]}`
	d = mustDoc(t, id, Identity)
	CheckDefaultQuota(d, false)
	if len(d.Problems) != 1 || d.Problems[0].Rejected || !strings.Contains(d.Problems[0].Message, "inline role policy") {
		t.Errorf("identity 8k: %+v (size %d)", d.Problems, d.Size())
	}
	d.Problems = nil
	d.AWSManaged = true
	CheckQuota(QuotaManaged, true, d)
	if len(d.Problems) != 0 {
		t.Error("AWS managed policy counted")
	}
	a, b := mustDoc(t, id, Identity), mustDoc(t, id, Identity)
	CheckQuota(QuotaRoleInline, true, a, b)
	if !a.Invalid() || !b.Invalid() {
		t.Error("aggregate inline quota not applied to both")
	}
	if !IsAWSManagedARN("arn:aws:iam::aws:policy/AmazonS3FullAccess") || IsAWSManagedARN("arn:aws:iam::111122223333:policy/x") {
		t.Error("IsAWSManagedARN")
	}
}

func FuzzFromNode(f *testing.F) {
	seeds := []string{
		vendorTrust,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
		`{"Statement":null}`, `{"Statement":[1,"x",null,{}]}`, `"%7B%22Statement%22%3A%5B%5D%7D"`,
		`"%257B"`, `{"Statement":[{"Principal":{"AWS":[1]},"Condition":{"A":{"b":[true,null]}},"Effect":"Allow","Effect":"Deny"}]}`,
		`{"Statement":[{"Condition":{"X":5},"Action":{"a":1},"Resource":[[]]}],"Version":{}}`,
	}
	for _, s := range seeds {
		f.Add(s, "")
		f.Add(s, "trust")
	}
	f.Fuzz(func(t *testing.T, src, kind string) {
		n, err := tree.FromJSON([]byte(src))
		if err != nil {
			return
		}
		d, err := FromNode(n, Kind(kind), "fuzz.json")
		if err != nil {
			if d != nil {
				t.Fatal("document and error")
			}
			return
		}
		CheckDefaultQuota(d, false)
		_ = d.Invalid()
		for _, p := range d.Problems {
			if p.Message == "" {
				t.Fatal("empty problem message")
			}
		}
	})
}
