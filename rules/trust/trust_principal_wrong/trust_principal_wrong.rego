# METADATA
# title: The trust policy does not name Supermetrics' role
# description: >-
#   No statement of the role's trust policy lets Supermetrics' role
#   (arn:aws:iam::043417694514:role/supermetrics-s3-role) call sts:AssumeRole,
#   so Supermetrics cannot get credentials for the role. Role trust policies
#   "must explicitly allow access for principals"
#   (reference_policies_evaluation-logic.html), and a principal ARN has to
#   name the role exactly: "You cannot use a wildcard to match part of a
#   principal name or ARN" (reference_policies_elements_principal.html). The
#   decision comes from the evaluation core; the message names the near miss
#   (another account, a typo, a user instead of a role, your own account, the
#   setup guide's example ARN, a bare AROA… id left behind by a deleted role,
#   a Service or Federated principal, or no Allow statement at all).
# schemas:
#   - input: schema.input
# custom:
#   id: trust-principal-wrong
#   severity: error
#   remediation: >-
#     Add a trust statement that allows sts:AssumeRole to exactly
#     {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"} (copy the
#     ARN, letter case included), then save the trust policy again.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#   example: |
#     {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
#       "Principal": {"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
#       "Action": "sts:AssumeRole"}]}
package smlint.rules.trust_principal_wrong

import data.smlint.lib
import rego.v1

vendor_name := smlint.arn(input.vendor.principal_arn).name

has_vendor_statement if {
	some d in lib.trust_docs
	some s in d.statements
	lib.vendor_statement(s)
}

# The vendor's call is refused and no statement is meant for it.
principal_missing if {
	some r in lib.requests("assume-role")
	r.decision == "implicit_deny"
	not has_vendor_statement
}

# Principal values in Allow statements that do not name the vendor, with
# their diagnosis.
near_misses contains [d, s, msg] if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	s.principal != null
	some v in s.principal.aws
	smlint.principal_match(single(v), lib.vendor_caller) == "false"
	msg := sprintf("trust Principal %q %s", [v, diagnosis(v)])
}

near_misses contains [d, s, msg] if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	s.principal != null
	some typ in ["service", "federated"]
	some v in object.get(s.principal, typ, [])
	msg := sprintf("trust Principal {%q: %q} is a %s principal, not an AWS account principal: Supermetrics assumes the role from its own AWS role, {\"AWS\": %q}", [
		type_key[typ], v, type_key[typ], input.vendor.principal_arn,
	])
}

# The statement names the vendor but not the action.
near_misses contains [d, s, msg] if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	smlint.principal_match(s.principal, lib.vendor_caller) != "false"
	not lib.covers_assume(s)
	msg := sprintf("the trust statement for %s allows %s, not %s", [input.vendor.principal_arn, concat(", ", action_text(s)), input.vendor.assume_action])
}

type_key := {"service": "Service", "federated": "Federated"}

action_text(s) := s.action if s.action != null

action_text(s) := [sprintf("everything except %s", [concat(", ", s.not_action)])] if s.not_action != null

action_text(s) := ["no action"] if {
	s.action == null
	s.not_action == null
}

single(v) := {"wildcard": false, "aws": [v], "service": [], "federated": [], "canonical_user": []}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	principal_missing
	some [d, s, near] in near_misses
	msg := sprintf("%s cannot assume this role: %s", [input.vendor.display_name, near])
}

findings contains lib.finding(msg, {"file": d.file, "line": d.line}) if {
	principal_missing
	count(near_misses) == 0
	some d in lib.trust_docs
	not has_allow(d)
	msg := sprintf("%s cannot assume this role: the trust policy has no Allow statement, so nothing lets %s call %s", [
		input.vendor.display_name, input.vendor.principal_arn, input.vendor.assume_action,
	])
}

findings contains lib.finding(msg, {"file": d.file, "line": d.line}) if {
	principal_missing
	count(near_misses) == 0
	some d in lib.trust_docs
	has_allow(d)
	msg := sprintf("%s cannot assume this role: no trust statement names %s with %s", [
		input.vendor.display_name, input.vendor.principal_arn, input.vendor.assume_action,
	])
}

# A principal that differs from the vendor's role only in letter case: the
# core cannot decide it (IAM resolves a principal ARN to the role's unique id
# when the policy is saved; whether it does so ignoring case is not
# documented), so the decision is unknown. Name it anyway: it is a typo.
findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some r in lib.requests("assume-role")
	r.decision == "unknown"
	not vendor_named_exactly
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	s.principal != null
	some v in s.principal.aws
	v != input.vendor.principal_arn
	lower(v) == lower(input.vendor.principal_arn)
	msg := sprintf("%s may not be able to assume this role: trust Principal %q differs from %s only in letter case; write the ARN exactly", [
		input.vendor.display_name, v, input.vendor.principal_arn,
	])
}

vendor_named_exactly if {
	some d in lib.trust_docs
	some s in d.statements
	s.effect == "Allow"
	smlint.principal_match(s.principal, lib.vendor_caller) == "true"
	lib.covers_assume(s)
}

has_allow(d) if {
	some s in d.statements
	s.effect == "Allow"
}

# --- naming the near miss (string inspection only: the decision is the core's)

# The customer's account: whose role is being checked.
customer_account := a if {
	a := input.caller.account
	a != ""
	not smlint.is_unknown(a)
} else := a if {
	a := input.principal.account
	a != ""
	not smlint.is_unknown(a)
} else := ""

arn_account(v) := a.account if {
	a := smlint.arn(v)
	a.valid
}

arn_resource(v) := a.resource if {
	a := smlint.arn(v)
	a.valid
}

account_of(v) := v if smlint.id_shape(v).account_id

account_of(v) := arn_account(v) if arn_resource(v) == "root"

role_name(v) := a.name if {
	a := smlint.arn(v)
	a.valid
	a.resource_type == "role"
}

diagnosis(v) := sprintf("is the example ARN from the setup guide, not %s role %s", [lib.vendor_possessive, input.vendor.principal_arn]) if {
	v == input.vendor.setup_guide_example_role_arn
} else := sprintf("is a bare role unique id: IAM shows the id instead of the ARN when it can no longer map it back to a role, so the role this trust was written for was deleted or recreated (reference_policies_elements_principal.html); write the ARN %s again", [input.vendor.principal_arn]) if {
	smlint.id_shape(v).unique_id_prefix == "AROA"
} else := sprintf("is a bare unique id of a deleted IAM principal (IAM shows the id when it can no longer map it back to an ARN, reference_policies_elements_principal.html); write the ARN %s", [input.vendor.principal_arn]) if {
	smlint.id_shape(v).unique_id_prefix != ""
} else := sprintf("names an IAM user (:user/), not a role: %s calls from its role %s", [input.vendor.display_name, input.vendor.principal_arn]) if {
	smlint.arn(v).resource_type == "user"
} else := sprintf("differs from %s only in letter case", [input.vendor.principal_arn]) if {
	lower(v) == lower(input.vendor.principal_arn)
} else := sprintf("names the right role in account %s, which is your own account: use %s account %s", [arn_account(v), lib.vendor_possessive, input.vendor.account]) if {
	lower(role_name(v)) == lower(vendor_name)
	arn_account(v) != input.vendor.account
	arn_account(v) == customer_account
} else := sprintf("names a role with the right name in another account (%s): %s role is in account %s", [arn_account(v), lib.vendor_possessive, input.vendor.account]) if {
	lower(role_name(v)) == lower(vendor_name)
	arn_account(v) != input.vendor.account
} else := sprintf("has a role path the vendor's role does not have: use %s", [input.vendor.principal_arn]) if {
	role_name(v) == vendor_name
} else := sprintf("looks like a typo of the role name %s (%s role is %s)", [vendor_name, lib.vendor_possessive, input.vendor.principal_arn]) if {
	arn_account(v) == input.vendor.account
	smlint.edit_distance(lower(role_name(v)), lower(vendor_name)) <= 3
} else := sprintf("names another role in %s account; its role is %s", [lib.vendor_possessive, input.vendor.principal_arn]) if {
	arn_account(v) == input.vendor.account
	role_name(v)
} else := sprintf("is your own account (%s): it lets your own IAM principals assume the role, not %s", [account_of(v), input.vendor.display_name]) if {
	account_of(v) == customer_account
} else := sprintf("names a principal in your own account (%s), not %s role %s", [customer_account, lib.vendor_possessive, input.vendor.principal_arn]) if {
	arn_account(v) == customer_account
} else := sprintf("is account %s, not %s account %s", [account_of(v), lib.vendor_possessive, input.vendor.account]) if {
	account_of(v)
} else := sprintf("is not %s role %s", [lib.vendor_possessive, input.vendor.principal_arn])
