package input

import (
	"errors"
	"reflect"
	"testing"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// A principal defined under a resource key is found by key and by name; a
// name the file does not define gets one incomplete principal, however
// often it is named; both are in the Input once, in the order they came.
func TestBuilderPrincipals(t *testing.T) {
	b := NewBuilder("plan.json", "", Deployment{})
	role := &Principal{Type: "role", Name: "uploads", Address: "aws_iam_role.u", Complete: true}
	b.AddPrincipal("aws_iam_role.u", role)
	unnamed := &Principal{Type: "role", Name: policy.UnknownValue("known after apply"), Address: "aws_iam_role.x"}
	b.AddPrincipal("aws_iam_role.x", unnamed)

	if b.PrincipalAt("aws_iam_role.u") != role || b.PrincipalNamed("role", "uploads", 9) != role {
		t.Error("defined role not found by key and by name")
	}
	if b.PrincipalNamed("user", "uploads", 9) == role {
		t.Error("a user found the role of the same name")
	}
	existing := b.PrincipalNamed("role", "existing", 12)
	if existing.Complete || existing.ARN != "" || existing.File != "plan.json" || existing.Line != 12 {
		t.Errorf("named-only principal = %+v", existing)
	}
	if again := b.PrincipalNamed("role", "existing", 30); again != existing {
		t.Error("a second mention made a second principal")
	}
	want := []*Principal{role, unnamed, b.PrincipalNamed("user", "uploads", 9), existing}
	if !reflect.DeepEqual(b.In.Principals, want) {
		t.Errorf("principals %v", b.In.Principals)
	}
}

// A managed policy is attached once per principal and key; its document is
// added when the input holds it.
func TestBuilderAttach(t *testing.T) {
	b := NewBuilder("t.json", "", Deployment{})
	p, q := &Principal{Type: "role", Name: "a"}, &Principal{Type: "role", Name: "b"}
	d := &policy.Document{Kind: policy.Identity, Origin: policy.OriginManaged}
	if !b.Attach(p, "Policy", "arn:aws:iam::111122223333:policy/p", d) || b.Attach(p, "Policy", "other", nil) {
		t.Error("second attachment under the same key was not refused")
	}
	if !b.Attached(p, "Policy") || b.Attached(q, "Policy") {
		t.Error("attachment recorded on the wrong principal")
	}
	b.Attach(q, "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess", nil)
	if !reflect.DeepEqual(p.AttachedPolicies, []string{"arn:aws:iam::111122223333:policy/p"}) || len(p.Identity) != 1 || p.Identity[0] != d {
		t.Errorf("p = %+v", p)
	}
	if len(q.AttachedPolicies) != 1 || len(q.Identity) != 0 {
		t.Errorf("q = %+v", q)
	}
}

// Buckets are found by resource key and by known name; keys the file
// defines by resource key and by known id or ARN, keys it only names not
// at all.
func TestBuilderBucketsAndKeys(t *testing.T) {
	b := NewBuilder("plan.json", "", Deployment{})
	data := &BucketFacts{Name: "data"}
	b.AddBucket("aws_s3_bucket.data", data)
	later := &BucketFacts{Name: policy.UnknownValue("known after apply")}
	b.AddBucket("aws_s3_bucket.later", later)
	if b.BucketAt("aws_s3_bucket.data") != data || b.BucketNamed("data") != data || b.BucketAt("aws_s3_bucket.later") != later {
		t.Error("bucket not found")
	}
	if b.BucketNamed(later.Name) != nil {
		t.Error("an unknown name was indexed")
	}
	k := &KeyFacts{ARN: "arn:aws:kms:eu-west-1:111122223333:key/1234", KeyID: "1234"}
	b.AddKey("aws_kms_key.k", k)
	named := &KeyFacts{KeyID: "5678"}
	b.AddKey("", named)
	if b.KeyAt("aws_kms_key.k") != k || b.KeyWithID("1234") != k || b.KeyWithID(k.ARN) != k {
		t.Error("defined key not found")
	}
	if b.KeyWithID("5678") != nil {
		t.Error("a key the file only names was indexed")
	}
	if len(b.In.Buckets) != 2 || len(b.In.Keys) != 2 {
		t.Errorf("buckets %d keys %d", len(b.In.Buckets), len(b.In.Keys))
	}
}

// Once parses a resource's document once per kind.
func TestBuilderOnce(t *testing.T) {
	b := NewBuilder("t.json", "", Deployment{})
	calls := 0
	parse := func() *policy.Document { calls++; return &policy.Document{} }
	first := b.Once("P", policy.Identity, parse)
	if b.Once("P", policy.Identity, parse) != first || calls != 1 {
		t.Errorf("parsed %d times", calls)
	}
	if b.Once("P", policy.Boundary, parse) == first || calls != 2 {
		t.Error("another kind shared the document")
	}
	nilParse := func() *policy.Document { calls++; return nil }
	b.Once("Broken", policy.Identity, nilParse)
	b.Once("Broken", policy.Identity, nilParse)
	if calls != 3 {
		t.Error("a document that failed to parse was parsed again (its error reported twice)")
	}
}

// Errors name the file and the line, and a parse error keeps the line the
// policy package gives.
func TestBuilderErrors(t *testing.T) {
	b := NewBuilder("t.json", "", Deployment{})
	b.Errorf(3, "bad %s", "thing")
	b.DocError(4, "aws_iam_policy.p", &policy.ParseError{File: "t.json", Line: 9, Msg: "not JSON"})
	if d := b.ParseDoc(&tree.Node{Kind: tree.Null, Line: 5}, policy.Identity, "inline policy x of role/r"); d != nil {
		t.Error("null parsed as a document")
	}
	want := []string{"t.json:3: bad thing", "t.json:4: aws_iam_policy.p: not JSON", "t.json:5: inline policy x of role/r is null"}
	var got []string
	for _, e := range b.In.Errors {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %q", got)
	}
	if fe := ErrorOf("f.json", &tree.Error{Line: 7, Msg: "unexpected end"}); fe.Line != 7 || fe.Message != "unexpected end" {
		t.Errorf("tree error %+v", fe)
	}
	if fe := ErrorOf("f.json", errors.New("plain")); fe.Line != 0 || fe.Message != "plain" {
		t.Errorf("plain error %+v", fe)
	}
}
