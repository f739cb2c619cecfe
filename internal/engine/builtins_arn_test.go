package engine

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/smlint/smlint/internal/policy"
)

// evalARN runs smlint.arn through OPA, as a rule calls it.
func evalARN(t *testing.T, s string) map[string]any {
	t.Helper()
	r := rego.New(rego.Query(`x := smlint.arn(input.s)`), rego.Input(map[string]any{"s": s}))
	out, err := r.Eval(context.Background())
	if err != nil || len(out) != 1 {
		t.Fatalf("smlint.arn(%q): %v %v", s, out, err)
	}
	return out[0].Bindings["x"].(map[string]any)
}

// ARN format: reference-arns.html (the resource part may itself hold colons).
func TestARNBuiltin(t *testing.T) {
	for _, c := range []struct {
		in                                            string
		valid                                         bool
		partition, service, region, account, resource string
		role                                          bool
	}{
		{"arn:aws:kms:eu-west-1:111122223333:key/1234", true, "aws", "kms", "eu-west-1", "111122223333", "key/1234", false},
		{"arn:aws:kms:eu-west-1:111122223333:alias/a:b", true, "aws", "kms", "eu-west-1", "111122223333", "alias/a:b", false},
		{"arn:aws-cn:iam::111122223333:role/path/x/r-1", true, "aws-cn", "iam", "", "111122223333", "role/path/x/r-1", true},
		{"arn:aws:iam::111122223333:root", true, "aws", "iam", "", "111122223333", "root", false},
		{"arn:aws:s3:::bucket", true, "aws", "s3", "", "", "bucket", false},
		{"arn:aws:iam::111122223333", false, "", "", "", "", "", false},
		{"arn::iam::111122223333:role/r", false, "", "", "", "", "", false},
		{"111122223333", false, "", "", "", "", "", false},
		{"", false, "", "", "", "", "", false},
	} {
		got := evalARN(t, c.in)
		want := map[string]any{"valid": c.valid, "partition": c.partition, "service": c.service, "region": c.region,
			"account": c.account, "resource": c.resource, "well_formed_role": c.role}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("smlint.arn(%q).%s = %v, want %v", c.in, k, got[k], v)
			}
		}
	}
}

// IsRoleARN decides what role_arn_wrong's former regular expression
// decided (reference_identifiers.html, API_CreateRole.html).
func TestARNBuiltinRoleMatchesFormerRegex(t *testing.T) {
	re := regexp.MustCompile(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:role/([\x21-\x7e]+/)?[A-Za-z0-9+=,.@_-]{1,64}$`)
	long := "r123456789012345678901234567890123456789012345678901234567890123"
	for _, s := range []string{
		"arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/a/b/r", "arn:aws:iam::111122223333:role//r",
		"arn:aws:iam::111122223333:role/a//r", "arn:aws:iam::111122223333:role/", "arn:aws:iam::111122223333:role/a/",
		"arn:aws:iam::111122223333:role/" + long, "arn:aws:iam::111122223333:role/" + long + "x",
		"arn:aws:iam::11112222333:role/r", "arn:aws:iam:eu-west-1:111122223333:role/r", "arn:aws-x:iam::111122223333:role/r",
		"arn:aws:sts::111122223333:role/r", "arn:aws:iam::111122223333:user/r", "arn:aws:iam::111122223333:role/a:b/r",
		"arn:aws:iam::111122223333:role/r!", "arn:aws:iam::111122223333:role/a b/r", "arn:aws-iso-b:iam::111122223333:role/r",
		"arn:aws:iam::111122223333:assumed-role/r/s", "AROA1234567890ABCDEFG",
	} {
		if got, want := evalARN(t, s)["well_formed_role"], re.MatchString(s); got != want {
			t.Errorf("well_formed_role(%q) = %v, the former regex says %v", s, got, want)
		}
	}
}

// The resource's type and name, and whether the account is an account id:
// reference-arns.html (resource type/path/name) and
// reference_identifiers.html#identifiers-friendly-names (a role's or user's
// name is the last path segment).
func TestARNBuiltinTypeNameAccountID(t *testing.T) {
	unknown := policy.UnknownValue("known after apply: aws_iam_role.r.arn")
	for _, c := range []struct {
		in, typ, name string
		accountID     bool
	}{
		{"arn:aws:iam::111122223333:role/upload", "role", "upload", true},
		{"arn:aws:iam::111122223333:role/path/upload", "role", "upload", true},
		{"arn:aws:iam::111122223333:role/a/b/name", "role", "name", true},
		{"arn:aws:iam::111122223333:role/", "role", "", true},
		{"arn:aws:iam::111122223333:user/dev/uploader", "user", "uploader", true},
		{"arn:aws:iam::111122223333:root", "", "", true},
		{"arn:aws:sts::111122223333:assumed-role/r/session", "assumed-role", "session", true},
		{"arn:aws:kms:eu-west-1:111122223333:alias/a:b", "alias", "a:b", true},
		{"arn:aws:s3:::bucket/key/part", "bucket", "part", false},
		{"arn:aws:iam::11112222333:role/r", "role", "r", false},
		{"arn:aws:iam::11112222333x:role/r", "role", "r", false},
		{"arn:aws:iam::111122223333", "", "", false},
		{"role/a/b/name", "", "", false},
		{unknown, "", "", false}, // rules test smlint.is_unknown first; the marker is no ARN
	} {
		got := evalARN(t, c.in)
		if got["resource_type"] != c.typ || got["name"] != c.name || got["account_id"] != c.accountID {
			t.Errorf("smlint.arn(%q) = type %v name %v account_id %v, want %q %q %v",
				c.in, got["resource_type"], got["name"], got["account_id"], c.typ, c.name, c.accountID)
		}
	}
}

// The name field is what the rules formerly took by hand, the text after the
// last / of a role ARN, for every well-formed one.
func TestARNBuiltinNameMatchesFormerSplit(t *testing.T) {
	for _, s := range []string{
		"arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/a/b/r", "arn:aws:iam::111122223333:role/a//r",
		"arn:aws:iam::043417694514:role/supermetrics-s3-role", "arn:aws-cn:iam::111122223333:role/p.x/r@x",
	} {
		got := evalARN(t, s)
		if want := s[strings.LastIndexByte(s, '/')+1:]; got["well_formed_role"] != true || got["name"] != want {
			t.Errorf("smlint.arn(%q): name %v (well formed %v), want %q", s, got["name"], got["well_formed_role"], want)
		}
	}
}

func evalIDShape(t *testing.T, v any) map[string]any {
	t.Helper()
	r := rego.New(rego.Query(`x := smlint.id_shape(input.s)`), rego.Input(map[string]any{"s": v}))
	out, err := r.Eval(context.Background())
	if err != nil || len(out) != 1 {
		t.Fatalf("smlint.id_shape(%v): %v %v", v, out, err)
	}
	return out[0].Bindings["x"].(map[string]any)
}

// Account ids have 12 digits and IAM unique ids a four-letter prefix then
// at least twelve capitals or digits (reference_identifiers.html#identifiers-unique-ids);
// the shapes decide what the rules' former regular expressions decided.
func TestIDShapeBuiltin(t *testing.T) {
	account := regexp.MustCompile(`^[0-9]{12}$`)
	digits := regexp.MustCompile(`^[0-9]*$`)
	unique := regexp.MustCompile(`^A[A-Z]{3}[A-Z0-9]{12,}$`)
	role := regexp.MustCompile(`^AROA[A-Z0-9]{12,}$`)
	for _, s := range []string{
		"111122223333", "11112222333", "1111222233334", "", "12345678901a", "AROA3XFRBF535PLBIFPI4", "AROA3XFRBF535PL",
		"AROA3XFRBF535PLB", "AIDAJQABLZS4A3QDU576Q", "AKIAIOSFODNN7EXAMPLE", "A1BCDEFGHIJKLMNOP", "AR0A3XFRBF535PLBIFPI4",
		"aroa3xfrbf535plbifpi4", "AROA3XFRBF535PLBIFPI4\n", "AROA3XFRBF535PLBIFPI4!", "arn:aws:iam::111122223333:root",
		policy.UnknownValue("known after apply: x"), "١١١١٢٢٢٢٣٣٣٣",
	} {
		got := evalIDShape(t, s)
		prefix := ""
		if unique.MatchString(s) {
			prefix = s[:4]
		}
		if got["account_id"] != account.MatchString(s) || got["digits"] != digits.MatchString(s) || got["unique_id_prefix"] != prefix {
			t.Errorf("smlint.id_shape(%q) = %v, want account_id %v digits %v unique_id_prefix %q",
				s, got, account.MatchString(s), digits.MatchString(s), prefix)
		}
		if (got["unique_id_prefix"] == "AROA") != role.MatchString(s) {
			t.Errorf("smlint.id_shape(%q): AROA prefix disagrees with the former role-id regex", s)
		}
	}
	if got := evalIDShape(t, 12); got["account_id"] != false || got["digits"] != false || got["unique_id_prefix"] != "" {
		t.Errorf("smlint.id_shape(12) = %v, want no shape for a number", got)
	}
}
