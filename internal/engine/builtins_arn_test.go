package engine

import (
	"context"
	"regexp"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
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
