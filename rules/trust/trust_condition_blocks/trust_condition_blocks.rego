# METADATA
# title: A trust condition blocks Supermetrics
# description: >-
#   The trust statement for Supermetrics' role exists, but the vendor's
#   sts:AssumeRole call cannot satisfy one of its conditions, or an explicit
#   Deny in the trust policy matches the call. Typical causes: an sts:ExternalId
#   condition when Supermetrics sends no external ID ("This key is present in
#   the request when the principal provides an external ID while assuming a
#   role", id_roles_create_for-user_externalid.html; a missing key makes the
#   condition false, reference_policies_elements_condition_operators.html), an
#   MFA condition (a service calling with a role session carries no MFA), or an
#   aws:SourceIp condition outside the vendor's egress ranges. The conditions
#   are evaluated by the IAM core with smlint's request model, on the very
#   request the verdict counts (its trace).
# schemas:
#   - input: schema.input
# custom:
#   id: trust-condition-blocks
#   severity: error
#   remediation: >-
#     Remove the condition the vendor cannot satisfy, or change it: keep an
#     sts:ExternalId condition only with the value your Supermetrics team gave
#     you (and set vendor.external_id to it), drop MFA conditions from the
#     vendor's statement, and list every Supermetrics egress range in source-IP
#     conditions. Narrow a Deny so it does not match the vendor's role.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#   example: |
#     {"Effect": "Allow",
#      "Principal": {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
#      "Action": "sts:AssumeRole"}
package smlint.rules.trust_condition_blocks

import data.smlint.lib
import rego.v1

# An explicit Deny decides the call: point at it.
findings contains lib.finding(msg, lib.at_because(b)) if {
	some r in lib.requests("assume-role")
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
	msg := sprintf("an explicit Deny in the trust policy (%s) matches %s %s: a Deny overrides every Allow", [
		sid_label(b.sid), lib.vendor_possessive, input.vendor.assume_action,
	])
}

# The vendor's statement is there, but one of its conditions is false for the
# vendor's call: the IAM core's trace of the call names the statement and
# says what each of its conditions answered.
findings contains lib.finding(msg, loc) if {
	some r in lib.requests("assume-role")
	r.decision == "implicit_deny"
	some d in lib.trust_docs
	some s in d.statements
	lib.vendor_statement(s)
	some t in r.trace
	t.doc == d.id
	t.index == s.index
	some tc in t.conditions
	tc.result == "false"
	c := s.condition[tc.index]
	loc := {"file": d.file, "line": condition_line(s, c), "sid": s.sid}
	msg := sprintf("the trust statement for %s (%s) has a condition its sts:AssumeRole call cannot satisfy: %s", [
		input.vendor.display_name, sid_label(s.sid), why(c, r),
	])
}

condition_line(_, c) := c.line if c.line > 0

condition_line(s, c) := s.line if c.line == 0

sid_label(sid) := sprintf("Sid %q", [sid]) if sid != ""

sid_label("") := "statement without Sid"

cond_text(c) := sprintf("%s %s %s", [c.operator, c.key, json.marshal(c.values)])

why(c, _) := sprintf("%s requires an external ID, but %s does not send an external ID unless your %s team gave you one: set vendor.external_id (or --external-id) if so, otherwise remove the condition", [
	cond_text(c), input.vendor.display_name, input.vendor.display_name,
]) if {
	c.key_lower == "sts:externalid"
	object.get(input.setup, "external_id", "") == ""
}

why(c, _) := sprintf("%s does not accept the configured external ID %q (vendor.external_id): use the value your %s team gave you", [
	cond_text(c), input.setup.external_id, input.vendor.display_name,
]) if {
	c.key_lower == "sts:externalid"
	object.get(input.setup, "external_id", "") != ""
}

why(c, _) := sprintf("%s requires MFA, but %s role session is a machine call that carries no MFA, so the condition never holds", [
	cond_text(c), lib.vendor_possessive,
]) if {
	c.key_lower in {"aws:multifactorauthpresent", "aws:multifactorauthage"}
}

why(c, r) := sprintf("%s does not let the vendor range %s through", [cond_text(c), r.source_ip]) if {
	c.key_lower == "aws:sourceip"
	r.source_ip != ""
}

why(c, _) := sprintf("%s is false for %s call", [cond_text(c), lib.vendor_possessive]) if {
	not c.key_lower in {"sts:externalid", "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:sourceip"}
}
