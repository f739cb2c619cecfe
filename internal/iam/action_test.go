package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// reference_policies_elements_action.html: "The prefix and the action name
// are case insensitive"; '*' and '?' may appear anywhere in the name.
func TestMatchAction(t *testing.T) {
	cases := []struct {
		name            string
		pattern, action string
		want            Tri
	}{
		{"exact", "s3:PutObject", "s3:PutObject", True},
		{"case-insensitive prefix and name", "S3:putobject", "s3:PutObject", True},
		{"case-insensitive IAM example", "IAM:listaccesskeys", "iam:ListAccessKeys", True},
		{"star suffix s3:*Object", "s3:*Object", "s3:PutObject", True},
		{"star suffix s3:*Object does not match bucket action", "s3:*Object", "s3:ListBucket", False},
		{"question mark s3:Put?bject", "s3:Put?bject", "s3:PutObject", True},
		{"question mark is exactly one char", "s3:Put?bject", "s3:PutOObject", False},
		{"service star", "s3:*", "s3:PutObject", True},
		{"service star other service", "s3:*", "kms:Decrypt", False},
		{"everything", "*", "sts:AssumeRole", True},
		{"iam:*AccessKey* example", "iam:*AccessKey*", "iam:CreateAccessKey", True},
		{"different action", "s3:GetObject", "s3:PutObject", False},
		{"prefix only is not a match", "s3:Put", "s3:PutObject", False},
		{"unresolved pattern", policy.UnknownValue("var.action"), "s3:PutObject", Maybe},
		{"unresolved action", "s3:PutObject", policy.UnknownValue("x"), Maybe},
		{"star beats unresolved action", "*", policy.UnknownValue("x"), True},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MatchAction(c.pattern, c.action); got != c.want {
				t.Errorf("MatchAction(%q, %q) = %v, want %v", c.pattern, c.action, got, c.want)
			}
			if got := ActionMatches(c.pattern, c.action); got != (c.want == True) {
				t.Errorf("ActionMatches(%q, %q) = %v", c.pattern, c.action, got)
			}
		})
	}
}
