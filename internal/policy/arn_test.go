package policy

import "testing"

// TestParseARN follows the IAM User Guide page "Identify AWS resources with
// Amazon Resource Names (ARNs)" (reference-arns.html): the formats
// arn:partition:service:region:account-id:resource-id,
// ...:resource-type/resource-id and ...:resource-type:resource-id; the
// partitions aws, aws-cn and aws-us-gov; ARNs that omit the Region, the
// account id or both.
func TestParseARN(t *testing.T) {
	for _, c := range []struct {
		name, in string
		ok       bool
		want     ARN
		typ      string // ResourceType
		last     string // Name
	}{
		{name: "resource-type/resource-id", in: "arn:aws:iam::123456789012:role/Vendor", ok: true,
			want: ARN{"aws", "iam", "", "123456789012", "role/Vendor"}, typ: "role", last: "Vendor"},
		{name: "resource path", in: "arn:aws:iam::123456789012:role/a/b/Vendor", ok: true,
			want: ARN{"aws", "iam", "", "123456789012", "role/a/b/Vendor"}, typ: "role", last: "Vendor"},
		{name: "region and account", in: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab", ok: true,
			want: ARN{"aws", "kms", "eu-west-1", "123456789012", "key/1234abcd-12ab"}, typ: "key", last: "1234abcd-12ab"},
		{name: "resource-type:resource-id keeps its colons", in: "arn:aws:lambda:us-east-1:123456789012:function:fn:1", ok: true,
			want: ARN{"aws", "lambda", "us-east-1", "123456789012", "function:fn:1"}, typ: "", last: "function:fn:1"},
		{name: "resource with colons and slashes", in: "arn:aws:s3:::b/a:b/c:d", ok: true,
			want: ARN{"aws", "s3", "", "", "b/a:b/c:d"}, typ: "b", last: "c:d"},
		{name: "no Region, no account (a bucket)", in: "arn:aws:s3:::my-bucket", ok: true,
			want: ARN{"aws", "s3", "", "", "my-bucket"}, typ: "", last: "my-bucket"},
		{name: "object", in: "arn:aws:s3:::my-bucket/in/key", ok: true,
			want: ARN{"aws", "s3", "", "", "my-bucket/in/key"}, typ: "my-bucket", last: "key"},
		{name: "root", in: "arn:aws:iam::123456789012:root", ok: true,
			want: ARN{"aws", "iam", "", "123456789012", "root"}, typ: "", last: "root"},
		{name: "AWS managed policy", in: "arn:aws:iam::aws:policy/service-role/X", ok: true,
			want: ARN{"aws", "iam", "", "aws", "policy/service-role/X"}, typ: "policy", last: "X"},
		{name: "aws-cn partition", in: "arn:aws-cn:s3:::b", ok: true,
			want: ARN{"aws-cn", "s3", "", "", "b"}, last: "b"},
		{name: "aws-us-gov partition", in: "arn:aws-us-gov:iam::123456789012:user/u", ok: true,
			want: ARN{"aws-us-gov", "iam", "", "123456789012", "user/u"}, typ: "user", last: "u"},
		{name: "empty resource keeps the shape", in: "arn:aws:s3:::", ok: true,
			want: ARN{"aws", "s3", "", "", ""}},

		{name: "too few parts", in: "arn:aws:s3::bucket"},
		{name: "two parts", in: "arn:aws"},
		{name: "empty string", in: ""},
		{name: "star", in: "*"},
		{name: "empty partition", in: "arn::iam::123456789012:root"},
		{name: "empty service", in: "arn:aws:::123456789012:root"},
		{name: "not arn", in: "urn:aws:iam::123456789012:root"},
		{name: "prefix letter case", in: "ARN:aws:iam::123456789012:root"},
		{name: "unresolved value", in: UnknownValue("known after apply: a:b:c:d:e:f")},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ParseARN(c.in)
			if ok != c.ok || got != c.want {
				t.Fatalf("ParseARN(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
			}
			if !ok {
				return
			}
			if s := got.String(); s != c.in {
				t.Errorf("String() = %q, want %q", s, c.in)
			}
			if typ := got.ResourceType(); typ != c.typ {
				t.Errorf("ResourceType() = %q, want %q", typ, c.typ)
			}
			if last := got.Name(); last != c.last {
				t.Errorf("Name() = %q, want %q", last, c.last)
			}
		})
	}
}

// TestIsTemporaryAccessKeyID follows id_credentials_access-keys.html: ASIA
// begins the key id of temporary STS credentials, AKIA a long-term key.
func TestIsTemporaryAccessKeyID(t *testing.T) {
	for id, want := range map[string]bool{
		"ASIAIOSFODNN7EXAMPLE": true, "AKIAIOSFODNN7EXAMPLE": false, "asiaiosfodnn7example": false, "": false, "ASI": false,
	} {
		if got := IsTemporaryAccessKeyID(id); got != want {
			t.Errorf("IsTemporaryAccessKeyID(%q) = %v, want %v", id, got, want)
		}
	}
}
