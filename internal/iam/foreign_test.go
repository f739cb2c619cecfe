package iam

import (
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// A Foreign key is decided only when the reading "absent" (unless always
// present) and the reading "a fresh value equal to no literal" agree
// (SPEC §1; aws:PrincipalOrgID: "included in the request context only if the
// principal is a member of an organization", reference_policies_condition-keys.html).
func TestEvalConditionForeign(t *testing.T) {
	ctx := Context{
		"aws:principalorgid":    ForeignValue("o-", false),
		"aws:principalorgpaths": ForeignValue("o-", false),
		"aws:sourcevpce":        ForeignValue("vpce-", false),
		"sts:rolesessionname":   ForeignValue("", true),
		"aws:userid":            ForeignValue("AROAVENDOR:", true),
		"aws:principaltag/*":    ForeignValue("", false),
		"aws:resourceorgid":     present("o-customer01"),
		"aws:resourceaccount":   present("111122223333"),
		"aws:unknownkey":        unknownCV,
	}
	cases := []struct {
		name   string
		c      policy.Condition
		effect policy.Effect
		want   Tri
	}{
		// String equality: absent → false, fresh → equals no literal → false.
		{"StringEquals", cond("StringEquals", "aws:PrincipalOrgID", "o-customer01"), policy.Allow, False},
		{"StringNotEquals (deny outside the org)", cond("StringNotEquals", "aws:PrincipalOrgID", "o-customer01"), policy.Deny, True},
		{"StringEqualsIgnoreCase", cond("StringEqualsIgnoreCase", "aws:PrincipalOrgID", "O-CUSTOMER01"), policy.Allow, False},
		{"StringNotEqualsIgnoreCase", cond("StringNotEqualsIgnoreCase", "aws:PrincipalOrgID", "o-customer01"), policy.Deny, True},
		{"StringEquals with the customer's org as a variable", cond("StringEquals", "aws:PrincipalOrgID", "${aws:ResourceOrgID}"), policy.Allow, False},
		{"StringNotEquals with the customer's org as a variable", cond("StringNotEquals", "aws:PrincipalOrgID", "${aws:ResourceOrgID}"), policy.Deny, True},
		// IfExists: absent → true; fresh → the operator.
		{"StringEqualsIfExists disagrees", cond("StringEqualsIfExists", "aws:SourceVpce", "vpce-1a2b3c4d"), policy.Allow, Maybe},
		{"StringNotEqualsIfExists agrees", cond("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1a2b3c4d"), policy.Deny, True},
		{"StringEqualsIfExists on an always-present key", cond("StringEqualsIfExists", "sts:RoleSessionName", "supermetrics"), policy.Allow, False},
		// Null: absent → true, fresh → false.
		{"Null true", cond("Null", "aws:PrincipalOrgID", "true"), policy.Allow, Maybe},
		{"Null false", cond("Null", "aws:PrincipalOrgID", "false"), policy.Allow, Maybe},
		{"Null true on an always-present key", cond("Null", "sts:RoleSessionName", "true"), policy.Allow, False},
		{"Null false on an always-present key", cond("Null", "sts:RoleSessionName", "false"), policy.Allow, True},
		// StringLike: "*" matches every value, a literal none, a partial pattern some.
		{"StringLike star, absent possible", cond("StringLike", "aws:PrincipalOrgID", "*"), policy.Allow, Maybe},
		{"StringLike star, always present", cond("StringLike", "sts:RoleSessionName", "*"), policy.Allow, True},
		{"StringLike o-* on an always-present o- value", cond("StringLike", "aws:userid", "AROAVENDOR:*"), policy.Allow, True},
		{"StringLike literal", cond("StringLike", "sts:RoleSessionName", "supermetrics"), policy.Allow, False},
		{"StringLike partial pattern may match the vendor's value", cond("StringLike", "sts:RoleSessionName", "supermetrics*"), policy.Deny, Maybe},
		{"StringLike pattern the prefix excludes", cond("StringLike", "aws:userid", "AROACUSTOMER:*"), policy.Allow, False},
		{"StringNotLike org path of the customer (deny outside)", cond("StringNotLike", "aws:PrincipalOrgPaths", "o-customer01/*"), policy.Deny, Maybe},
		{"StringNotLike question marks of the right length", cond("StringNotLike", "sts:RoleSessionName", "??????"), policy.Deny, Maybe},
		{"StringLike ?* matches every non-empty value", cond("StringLike", "sts:RoleSessionName", "?*"), policy.Allow, True},
		{"StringLike ?? does not match every value", cond("StringLike", "sts:RoleSessionName", "??"), policy.Allow, Maybe},
		// Set operators.
		{"ForAnyValue:StringEquals", cond("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", "o-customer01/r-ab12/"), policy.Allow, False},
		{"ForAnyValue:StringNotEquals disagrees", cond("ForAnyValue:StringNotEquals", "aws:PrincipalOrgPaths", "o-customer01/r-ab12/"), policy.Deny, Maybe},
		{"ForAllValues:StringNotEquals", cond("ForAllValues:StringNotEquals", "aws:PrincipalOrgPaths", "o-customer01/r-ab12/"), policy.Deny, True},
		{"ForAllValues:StringEquals disagrees", cond("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", "o-customer01/r-ab12/"), policy.Allow, Maybe},
		{"ForAnyValue:StringLike org path", cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-customer01/*"), policy.Allow, Maybe},
		{"ForAnyValue:StringLike org path with the org id", cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-customer01/r-ab12/ou-ab12-11111111/*"), policy.Allow, Maybe},
		// Principal tags of the vendor: absent or a value the customer does not control.
		{"PrincipalTag StringEquals", cond("StringEquals", "aws:PrincipalTag/team", "data"), policy.Allow, False},
		{"PrincipalTag StringNotEquals", cond("StringNotEquals", "aws:PrincipalTag/team", "data"), policy.Deny, True},
		// Other families: the fresh value is not a number, a date or an address.
		{"NumericEquals", cond("NumericEquals", "aws:PrincipalTag/level", "3"), policy.Allow, Maybe},
		{"Bool", cond("Bool", "aws:PrincipalTag/admin", "true"), policy.Allow, False},
		{"IpAddress", cond("IpAddress", "sts:RoleSessionName", "10.0.0.0/8"), policy.Allow, Maybe},
		{"ArnLike literal", cond("ArnLike", "sts:RoleSessionName", "arn:aws:iam::111122223333:role/x"), policy.Allow, False},
		// A policy variable holding a value of the vendor's side.
		{"StringEquals its own variable", cond("StringEquals", "aws:userid", "${aws:userid}"), policy.Allow, Maybe},
		{"variable that may be absent", cond("StringEquals", "aws:ResourceAccount", "${aws:PrincipalTag/account}"), policy.Allow, Maybe},
		{"always-present variable against a known value", cond("StringEquals", "aws:ResourceAccount", "${sts:RoleSessionName}"), policy.Allow, False},
		{"unknown policy value", cond("StringEquals", "aws:PrincipalOrgID", "${aws:UnknownKey}"), policy.Allow, Maybe},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, why := EvalCondition(tc.c, ctx, policy.Version2012, tc.effect)
			if got != tc.want {
				t.Fatalf("%s %s %v: got %v (%s), want %v", tc.c.Operator, tc.c.Key, tc.c.Values, got, why, tc.want)
			}
			if got == Maybe && why.Text == "" {
				t.Fatalf("Maybe without a reason")
			}
			if strings.ContainsAny(why.Text, freshMarker+string(freshRune)) {
				t.Fatalf("reason leaks the fresh marker: %q", why)
			}
		})
	}
}

// A Resource with a variable of the vendor's side never matches the upload
// folder: absent, it matches nothing (reference_policies_variables.html);
// present, it names the session, not the folder.
func TestForeignVariableInResource(t *testing.T) {
	ctx := Context{"aws:userid": ForeignValue("AROACUSTOMERROLE:", true)}
	pieces, st, _ := expand("arn:aws:s3:::bucket/${aws:userid}/*", ctx, policy.Version2012)
	if st != varOK {
		t.Fatalf("state %v", st)
	}
	if got := matchARNPieces(pieces, "arn:aws:s3:::bucket/exports/"+AnyKey); got != False {
		t.Fatalf("upload folder: got %v, want false", got)
	}
	if got := matchARNPieces(pieces, "arn:aws:s3:::bucket/AROACUSTOMERROLE:supermetrics/x"); got != False {
		t.Fatalf("a concrete key: got %v, want false", got)
	}
}
