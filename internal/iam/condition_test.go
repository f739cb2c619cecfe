package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

func cond(op, key string, vals ...string) policy.Condition {
	return policy.Condition{Operator: op, Key: key, Values: vals}
}

// Request context of the vendor's upload, as the request model builds it.
func uploadCtx() Context {
	return Context{
		"aws:sourceip":                    present("203.0.113.0/24"),
		"aws:securetransport":             present("true"),
		"aws:principalarn":                present(vendorRole),
		"aws:principalaccount":            present(vendorAcct),
		"aws:username":                    absent,
		"aws:multifactorauthpresent":      absent,
		"sts:externalid":                  absent,
		"s3:x-amz-server-side-encryption": absent,
		"s3:x-amz-acl":                    absent,
		"aws:currenttime":                 present("2026-03-01T12:00:00Z"),
		"aws:epochtime":                   present("1772366400"),
		"s3:max-keys":                     present("10"),
		"aws:principaltag/team":           present("Data"),
		"aws:tagkeys":                     present("team", "env"),
		"aws:calledvia":                   present(),
		"custom:bin":                      present("aGVsbG8="),
		"aws:vpcsourceip":                 absent,
		"aws:sourcearn":                   absent,
		"aws:principalorgid":              unknownCV,
		"aws:sourceipv6":                  present("2001:db8:1234:5678::/64"),
		"s3:resourceaccount":              present(policy.UnknownValue("account of bucket")),
	}
}

// reference_policies_elements_condition_operators.html and
// reference_policies_multi-value-conditions.html.
func TestEvalCondition(t *testing.T) {
	cases := []struct {
		name    string
		c       policy.Condition
		version string
		effect  policy.Effect
		want    Tri
	}{
		// String operators.
		{"StringEquals match", cond("StringEquals", "aws:PrincipalAccount", vendorAcct), "", policy.Allow, True},
		{"StringEquals is case-sensitive", cond("StringEquals", "aws:PrincipalTag/team", "data"), "", policy.Allow, False},
		{"StringEquals values OR'ed", cond("StringEquals", "aws:PrincipalTag/team", "x", "Data"), "", policy.Allow, True},
		{"StringNotEquals none match", cond("StringNotEquals", "aws:PrincipalTag/team", "x", "y"), "", policy.Allow, True},
		{"StringNotEquals one matches (NOR)", cond("StringNotEquals", "aws:PrincipalTag/team", "x", "Data"), "", policy.Allow, False},
		{"StringEqualsIgnoreCase", cond("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "DATA"), "", policy.Allow, True},
		{"StringNotEqualsIgnoreCase", cond("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "DATA"), "", policy.Allow, False},
		{"StringLike star", cond("StringLike", "aws:PrincipalArn", "arn:aws:iam::043417694514:role/*"), "", policy.Allow, True},
		{"StringLike question mark", cond("StringLike", "aws:PrincipalTag/team", "D?ta"), "", policy.Allow, True},
		{"StringLike case-sensitive", cond("StringLike", "aws:PrincipalTag/team", "d*"), "", policy.Allow, False},
		{"StringNotLike", cond("StringNotLike", "aws:PrincipalTag/team", "D*"), "", policy.Allow, False},
		{"StringEquals wildcard is literal", cond("StringEquals", "aws:PrincipalTag/team", "D*"), "", policy.Allow, False},
		// Missing keys: "the condition is false" ... negated "the condition is true".
		{"missing key StringEquals false", cond("StringEquals", "sts:ExternalId", "abc"), "", policy.Allow, False},
		{"missing key StringNotEquals true", cond("StringNotEquals", "s3:x-amz-server-side-encryption", "aws:kms"), "", policy.Deny, True},
		{"missing key StringLike false", cond("StringLike", "sts:ExternalId", "*"), "", policy.Allow, False},
		{"missing key StringNotLike true", cond("StringNotLike", "sts:ExternalId", "*"), "", policy.Allow, True},
		{"missing key ArnNotLike true", cond("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::*"), "", policy.Allow, True},
		{"missing key ArnLike false", cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"), "", policy.Allow, False},
		{"key not in context ArnNotLike is maybe", cond("ArnNotLike", "aws:SourceAccountArn", "arn:aws:s3:::*"), "", policy.Allow, Maybe},
		{"missing key NumericLessThan false", cond("NumericLessThan", "aws:MultiFactorAuthPresent", "1"), "", policy.Allow, False},
		{"missing key NotIpAddress true", cond("NotIpAddress", "aws:VpcSourceIp", "10.0.0.0/8"), "", policy.Deny, True},
		{"missing key Bool false", cond("Bool", "aws:MultiFactorAuthPresent", "true"), "", policy.Allow, False},
		// IfExists: "If the key is not present, evaluate the condition element as true."
		{"StringEqualsIfExists absent", cond("StringEqualsIfExists", "sts:ExternalId", "abc"), "", policy.Allow, True},
		{"StringEqualsIfExists present mismatch", cond("StringEqualsIfExists", "aws:PrincipalTag/team", "x"), "", policy.Allow, False},
		{"StringNotEqualsIfExists absent (Deny still applies)", cond("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", "aws:kms"), "", policy.Deny, True},
		{"BoolIfExists absent", cond("BoolIfExists", "aws:MultiFactorAuthPresent", "false"), "", policy.Deny, True},
		{"IfExists with unknown key is still maybe", cond("StringEqualsIfExists", "aws:PrincipalOrgID", "o-1"), "", policy.Allow, Maybe},
		// Null: true = absent, false = present.
		{"Null true on absent", cond("Null", "s3:x-amz-server-side-encryption", "true"), "", policy.Deny, True},
		{"Null false on absent", cond("Null", "s3:x-amz-server-side-encryption", "false"), "", policy.Deny, False},
		{"Null true on present", cond("Null", "aws:SourceIp", "true"), "", policy.Deny, False},
		{"Null false on present", cond("Null", "aws:SourceIp", "false"), "", policy.Deny, True},
		{"Null bad value", cond("Null", "aws:SourceIp", "yes"), "", policy.Deny, Maybe},
		{"NullIfExists is not an operator", cond("NullIfExists", "aws:SourceIp", "true"), "", policy.Deny, Maybe},
		// Numeric.
		{"NumericEquals", cond("NumericEquals", "s3:max-keys", "10"), "", policy.Allow, True},
		{"NumericNotEquals", cond("NumericNotEquals", "s3:max-keys", "10"), "", policy.Allow, False},
		{"NumericLessThan", cond("NumericLessThan", "s3:max-keys", "11"), "", policy.Allow, True},
		{"NumericLessThanEquals", cond("NumericLessThanEquals", "s3:max-keys", "10"), "", policy.Allow, True},
		{"NumericGreaterThan", cond("NumericGreaterThan", "s3:max-keys", "10"), "", policy.Allow, False},
		{"NumericGreaterThanEquals", cond("NumericGreaterThanEquals", "s3:max-keys", "10.0"), "", policy.Allow, True},
		{"Numeric bad policy value", cond("NumericEquals", "s3:max-keys", "ten"), "", policy.Allow, Maybe},
		{"Numeric NaN rejected", cond("NumericEquals", "s3:max-keys", "NaN"), "", policy.Allow, Maybe},
		// Date: ISO 8601 or epoch.
		{"DateLessThan ISO", cond("DateLessThan", "aws:CurrentTime", "2027-01-01T00:00:00Z"), "", policy.Allow, True},
		{"DateGreaterThan ISO", cond("DateGreaterThan", "aws:CurrentTime", "2027-01-01T00:00:00Z"), "", policy.Allow, False},
		{"DateEquals epoch vs ISO", cond("DateEquals", "aws:EpochTime", "2026-03-01T12:00:00Z"), "", policy.Allow, True},
		{"DateNotEquals", cond("DateNotEquals", "aws:CurrentTime", "1772366400"), "", policy.Allow, False},
		{"DateLessThanEquals", cond("DateLessThanEquals", "aws:CurrentTime", "2026-03-01T12:00:00Z"), "", policy.Allow, True},
		{"DateGreaterThanEquals date only", cond("DateGreaterThanEquals", "aws:CurrentTime", "2026-03-01"), "", policy.Allow, True},
		{"Date bad value", cond("DateEquals", "aws:CurrentTime", "tomorrow"), "", policy.Allow, Maybe},
		// Bool, Binary.
		{"Bool SecureTransport", cond("Bool", "aws:SecureTransport", "true"), "", policy.Allow, True},
		{"Bool deny insecure does not apply", cond("Bool", "aws:SecureTransport", "false"), "", policy.Deny, False},
		{"BinaryEquals", cond("BinaryEquals", "custom:bin", "aGVsbG8="), "", policy.Allow, True},
		{"BinaryEquals differs", cond("BinaryEquals", "custom:bin", "aGVsbG9v"), "", policy.Allow, False},
		// ARN operators (case-sensitive, component-wise).
		{"ArnEquals", cond("ArnEquals", "aws:PrincipalArn", vendorRole), "", policy.Allow, True},
		{"ArnLike wildcard", cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/supermetrics-s3-role"), "", policy.Allow, True},
		{"ArnLike case-sensitive", cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::043417694514:role/Supermetrics-s3-role"), "", policy.Allow, False},
		{"ArnNotEquals", cond("ArnNotEquals", "aws:PrincipalArn", vendorRole), "", policy.Deny, False},
		{"ArnNotLike other", cond("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:*"), "", policy.Deny, True},
		// IP: full containment, disjoint, partial (mixed) by effect.
		{"IpAddress covers range", cond("IpAddress", "aws:SourceIp", "203.0.0.0/16"), "", policy.Allow, True},
		{"IpAddress covers range with two halves", cond("IpAddress", "aws:SourceIp", "203.0.113.0/25", "203.0.113.128/25"), "", policy.Allow, True},
		{"IpAddress disjoint", cond("IpAddress", "aws:SourceIp", "198.51.100.0/24"), "", policy.Allow, False},
		{"IpAddress partial in Allow is false", cond("IpAddress", "aws:SourceIp", "203.0.113.0/25"), "", policy.Allow, False},
		{"IpAddress partial in Deny is true", cond("IpAddress", "aws:SourceIp", "203.0.113.0/25"), "", policy.Deny, True},
		{"NotIpAddress partial in Deny is true", cond("NotIpAddress", "aws:SourceIp", "203.0.113.0/25"), "", policy.Deny, True},
		{"NotIpAddress partial in Allow is false", cond("NotIpAddress", "aws:SourceIp", "203.0.113.0/25"), "", policy.Allow, False},
		{"NotIpAddress covered in Deny is false", cond("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), "", policy.Deny, False},
		{"NotIpAddress disjoint in Deny is true", cond("NotIpAddress", "aws:SourceIp", "192.0.2.0/24"), "", policy.Deny, True},
		{"bare address is /32", cond("IpAddress", "aws:SourceIp", "203.0.113.7"), "", policy.Deny, True},
		{"IPv6 covered", cond("IpAddress", "aws:SourceIpv6", "2001:DB8:1234::/48"), "", policy.Allow, True},
		{"IPv6 vs IPv4 list", cond("IpAddress", "aws:SourceIpv6", "203.0.113.0/24"), "", policy.Allow, False},
		{"IpAddress bad value", cond("IpAddress", "aws:SourceIp", "not-an-ip"), "", policy.Allow, Maybe},
		// Set operators.
		{"ForAllValues absent key is true", cond("ForAllValues:StringEquals", "s3:x-amz-acl", "private"), "", policy.Allow, True},
		{"ForAllValues empty key is true", cond("ForAllValues:StringEquals", "aws:CalledVia", "athena.amazonaws.com"), "", policy.Allow, True},
		{"ForAnyValue absent key is false", cond("ForAnyValue:StringEquals", "s3:x-amz-acl", "private"), "", policy.Allow, False},
		{"ForAnyValue one matches", cond("ForAnyValue:StringEquals", "aws:TagKeys", "env"), "", policy.Allow, True},
		{"ForAllValues not all match", cond("ForAllValues:StringEquals", "aws:TagKeys", "env"), "", policy.Allow, False},
		{"ForAllValues all match", cond("ForAllValues:StringEquals", "aws:TagKeys", "env", "team"), "", policy.Allow, True},
		{"ForAnyValue:StringNotEquals", cond("ForAnyValue:StringNotEquals", "aws:TagKeys", "env"), "", policy.Allow, True},
		{"multivalued key without set operator, mixed answers", cond("StringEquals", "aws:TagKeys", "env"), "", policy.Allow, Maybe},
		// Policy variables in condition values.
		{"variable in StringEquals (2012)", cond("StringEquals", "aws:PrincipalTag/team", "${aws:PrincipalTag/team}"), policy.Version2012, policy.Allow, True},
		{"variable literal under 2008", cond("StringEquals", "aws:PrincipalTag/team", "${aws:PrincipalTag/team}"), policy.Version2008, policy.Allow, False},
		{"variable in ArnEquals", cond("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::${aws:PrincipalAccount}:role/supermetrics-s3-role"), policy.Version2012, policy.Allow, True},
		{"absent variable in Allow does not apply", cond("StringNotEquals", "aws:PrincipalTag/team", "${aws:username}"), policy.Version2012, policy.Allow, False},
		{"absent variable in Deny is maybe", cond("StringNotEquals", "aws:PrincipalTag/team", "${aws:username}"), policy.Version2012, policy.Deny, Maybe},
		{"variables not substituted in Numeric", cond("NumericEquals", "s3:max-keys", "${s3:max-keys}"), policy.Version2012, policy.Allow, Maybe},
		// Unknowns.
		{"key not in context", cond("StringEquals", "aws:SourceVpce", "vpce-1"), "", policy.Allow, Maybe},
		{"key with unknown value", cond("StringEquals", "aws:PrincipalOrgID", "o-1"), "", policy.Allow, Maybe},
		{"request value unresolved", cond("StringEquals", "s3:ResourceAccount", "111122223333"), "", policy.Allow, Maybe},
		{"policy value unresolved", cond("StringEquals", "aws:PrincipalAccount", policy.UnknownValue("var.acct")), "", policy.Allow, Maybe},
		{"unresolved value does not hide a match", cond("StringEquals", "aws:PrincipalAccount", policy.UnknownValue("var.acct"), vendorAcct), "", policy.Allow, True},
		{"unknown operator", cond("StringStartsWith", "aws:PrincipalAccount", vendorAcct), "", policy.Allow, Maybe},
		{"operator name case-insensitive", cond("stringequals", "aws:PrincipalAccount", vendorAcct), "", policy.Allow, True},
		{"no values", cond("StringEquals", "aws:PrincipalAccount"), "", policy.Allow, Maybe},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, why := EvalCondition(c.c, uploadCtx(), c.version, c.effect)
			if got != c.want {
				t.Errorf("EvalCondition(%s %s %v) = %v (%s), want %v", c.c.Operator, c.c.Key, c.c.Values, got, why, c.want)
			}
			if got == Maybe && why.Text == "" {
				t.Errorf("Maybe without a reason")
			}
		})
	}
}

// Multiple operators and keys are AND'ed.
func TestEvalConditionsAnd(t *testing.T) {
	ctx := uploadCtx()
	both := []policy.Condition{
		cond("Bool", "aws:SecureTransport", "true"),
		cond("StringEquals", "aws:PrincipalAccount", vendorAcct),
	}
	if got, _ := EvalConditions(both, ctx, "", policy.Allow); got != True {
		t.Errorf("AND of two true conditions = %v", got)
	}
	withFalse := append(both, cond("StringEquals", "sts:ExternalId", "x"))
	if got, _ := EvalConditions(withFalse, ctx, "", policy.Allow); got != False {
		t.Errorf("AND with a false condition = %v", got)
	}
	withMaybe := append(both, cond("StringEquals", "aws:PrincipalOrgID", "o-1"))
	got, why := EvalConditions(withMaybe, ctx, "", policy.Allow)
	if got != Maybe || len(why) == 0 {
		t.Errorf("AND with an unknown condition = %v %v", got, why)
	}
	if got, _ := EvalConditions(nil, ctx, "", policy.Allow); got != True {
		t.Errorf("no conditions = %v", got)
	}
}
