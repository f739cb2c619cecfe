# METADATA
# title: The trust statement grants more than sts:AssumeRole
# description: >-
#   A trust Allow statement that covers Supermetrics' role grants sts:* or *
#   (or any pattern that also matches other STS actions such as
#   sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity or sts:TagSession),
#   or uses NotAction. Supermetrics' setup guide grants sts:AssumeRole only;
#   session tags and source identity need their own actions in the trust
#   policy (id_session-tags.html), so a broad action lets the caller do more
#   than assume the role. Action patterns are matched by the IAM core
#   (reference_policies_elements_action.html).
# schemas:
#   - input: schema.input
# custom:
#   id: trust-action-broad
#   severity: warning
#   remediation: >-
#     Set "Action": "sts:AssumeRole" in the statement that trusts Supermetrics'
#     role.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
#   example: |
#     {"Effect": "Allow",
#      "Principal": {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
#      "Action": "sts:AssumeRole"}
package smlint.rules.trust_action_broad

import data.smlint.lib
import rego.v1

vendor_allows contains [d, s] if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	smlint.principal_match(s.principal, lib.vendor_caller) != "false"
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in vendor_allows

	# The Action entries that grant the assume action, each with the other
	# trust actions it also grants (Go: s.facts.assume_patterns).
	some p in s.facts.assume_patterns
	count(p.also_grants) > 0
	msg := sprintf("the trust statement for %s grants %q, which also allows %s: grant %s only", [
		input.vendor.display_name, p.action, concat(", ", p.also_grants), input.vendor.assume_action,
	])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in vendor_allows
	s.not_action != null
	msg := sprintf("the trust statement for %s uses NotAction (%s): it allows every other action; grant %s only", [
		input.vendor.display_name, concat(", ", s.not_action), input.vendor.assume_action,
	])
}
