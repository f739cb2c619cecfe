# METADATA
# title: The trust policy lets too many principals assume the role
# description: >-
#   A trust Allow statement names every principal ("*" or {"AWS": "*"})
#   without a condition that restricts the caller to specific principals,
#   accounts or an organization (error): anyone with an AWS account can then
#   assume the role and write to the bucket. An sts:ExternalId condition does
#   not restrict the caller ("AWS does not treat the external ID as a
#   secret", id_roles_create_for-user_externalid.html), nor does a source-IP
#   condition alone. Trusting Supermetrics' whole account
#   (arn:aws:iam::043417694514:root or 043417694514) without an
#   aws:PrincipalArn condition naming its role is a warning: "Using the
#   account ARN in the Principal element does not limit permissions to only
#   the root user" (reference_policies_elements_principal.html), so every
#   role of that account that its administrators allow can assume yours.
# custom:
#   id: trust-too-broad
#   severity: error
#   remediation: >-
#     Name Supermetrics' role as the principal:
#     {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"}. If you
#     must trust the account (so the trust survives the vendor recreating its
#     role), add "Condition": {"ArnEquals": {"aws:PrincipalArn":
#     "arn:aws:iam::043417694514:role/supermetrics-s3-role"}}.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#   example: |
#     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::043417694514:root"},
#      "Action": "sts:AssumeRole",
#      "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::043417694514:role/supermetrics-s3-role"}}}
package smlint.rules.trust_too_broad

import data.smlint.lib
import rego.v1

trust_allows contains [d, s] if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	s.principal != null
}

# Condition keys that tie the caller to named principals, accounts or an
# organization.
restricting_keys := {
	"aws:principalarn", "aws:principalaccount", "aws:principalorgid",
	"aws:principalorgpaths", "aws:sourceaccount", "aws:sourcearn",
}

# Positive operators that require the key to be present with a listed value.
# …IfExists passes when the key is absent, and negated operators pass for
# every value not listed: neither restricts.
restricting_operators := {
	"stringequals", "stringequalsignorecase", "stringlike",
	"arnequals", "arnlike", "foranyvalue:stringequals", "foranyvalue:stringlike",
}

restricted(s) if {
	some c in s.condition
	lower(c.key) in restricting_keys
	lower(c.operator) in restricting_operators
	count(c.values) > 0
	not "*" in c.values
}

everyone(p) if p.wildcard

everyone(p) if "*" in p.aws

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in trust_allows
	everyone(s.principal)
	not restricted(s)
	msg := sprintf("the trust statement (%s) lets any AWS principal assume this role%s: restrict it to %s", [
		sid_label(s.sid), weak_condition_note(s), input.vendor.principal_arn,
	])
}

weak_condition_note(s) := "; its condition does not restrict who the caller is (an external ID is not a secret, and a source-IP condition does not name a principal)" if {
	count(s.condition) > 0
}

weak_condition_note(s) := "" if count(s.condition) == 0

vendor_account_forms := {
	input.vendor.account,
	sprintf("arn:%s:iam::%s:root", [object.get(input.vendor, "partition", "aws"), input.vendor.account]),
}

# The vendor's account without a condition naming the vendor's role.
findings contains object.union(lib.finding(msg, lib.at_statement(d, s)), {"severity": "warning"}) if {
	some [d, s] in trust_allows
	not everyone(s.principal)
	some v in s.principal.aws
	v in vendor_account_forms
	not names_vendor_role(s)
	msg := sprintf("the trust statement (%s) trusts %s whole account (%s): every role in it that its administrators allow can assume this role; add an ArnEquals aws:PrincipalArn condition for %s, or name that role as the principal", [
		sid_label(s.sid), lib.vendor_possessive, v, input.vendor.principal_arn,
	])
}

names_vendor_role(s) if {
	some c in s.condition
	lower(c.key) == "aws:principalarn"
	lower(c.operator) in {"arnequals", "arnlike", "stringequals", "stringlike"}
	count(c.values) > 0
	every v in c.values {
		v == input.vendor.principal_arn
	}
}

sid_label(sid) := sprintf("Sid %q", [sid]) if sid != ""

sid_label("") := "without Sid"
