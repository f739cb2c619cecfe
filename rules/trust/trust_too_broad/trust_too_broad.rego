# METADATA
# title: The trust policy lets too many principals assume the role
# description: >-
#   The trust policy lets principals other than the vendor's role assume the
#   role. smlint decides it by evaluating the trust, as AWS would, for
#   principals that are not the vendor's role: a role with the same name in
#   another account, any role or user in an account the policy does not
#   name, principals matching the wildcards of its conditions, and other
#   roles and users of the vendor's account, each sending whatever values it
#   controls (external ID, session name, tags, MFA). Any of them admitted
#   from an account you do not control is an error ("AWS does not treat the
#   external ID as a secret", id_roles_create_for-user_externalid.html); only
#   other principals of the vendor's own account is a warning: "Using the
#   account ARN in the Principal element does not limit permissions to only
#   the root user" (reference_policies_elements_principal.html). A principal
#   the evaluation cannot rule out is reported too, and the message says so.
# schemas:
#   - input: schema.input
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

outsiders := object.get(input, "trust_outsiders", [])

# The statements that admit some outsider, as finding locations.
locations contains loc if {
	some o in outsiders
	o.decision in {"allowed", "unknown"}
	some loc in o.statements
}

# Outsiders admitted (or possibly admitted) by the statement at loc.
at(loc) := [o |
	some o in outsiders
	o.decision in {"allowed", "unknown"}
	loc in o.statements
]

findings contains f if {
	some loc in locations
	os := at(loc)
	some o in os
	serious(o)
	f := lib.finding(message(loc, os), loc)
}

findings contains object.union(lib.finding(message(loc, os), loc), {"severity": "warning"}) if {
	some loc in locations
	os := at(loc)
	every o in os {
		not serious(o)
	}
}

# An outsider from an account the customer does not control, admitted or
# not ruled out. One that is open only because a value is known after apply
# is a warning (unresolved-value names the value; the plan decides it).
serious(o) if {
	not o.vendor_account
	not plan_only(o)
}

plan_only(o) if {
	o.decision == "unknown"
	object.get(o, "unresolved", false)
}

message(loc, os) := sprintf("the trust statement (%s) %s%s%s: %s", [sid_label(loc.sid), names(loc), clauses(os), chosen_note(os), remedy(os)])

# What the statement's Principal names, for people: the conditions then
# failed to narrow it to the vendor's role.
names(loc) := sprintf("names any AWS principal (\"*\") and its conditions do not narrow it to %s role: ", [lib.vendor_possessive]) if {
	some s in statement_at(loc)
	everyone(s.principal)
} else := sprintf("trusts %s whole account (%s): ", [lib.vendor_possessive, v]) if {
	some s in statement_at(loc)
	some v in s.principal.aws
	v in vendor_account_forms
} else := ""

statement_at(loc) := [s |
	some d in lib.trust_docs
	d.file == loc.file
	some s in d.statements
	s.line == loc.line
	s.sid == loc.sid
	s.principal != null
]

everyone(p) if p.wildcard

everyone(p) if "*" in p.aws

vendor_account_forms := {
	input.vendor.account,
	sprintf("arn:%s:iam::%s:root", [object.get(input.vendor, "partition", "aws"), input.vendor.account]),
}

clauses(os) := concat("; ", [c | some c in [admitted_clause(os), possible_clause(os)]; c != ""])

# Any role and any user of a fresh account: every other description is
# one of them.
descriptions(os, decision) := ["every role and IAM user in any AWS account"] if {
	some r in os
	r.decision == decision
	r.kind == "role-other-account"
	some u in os
	u.decision == decision
	u.kind == "user-other-account"
} else := [o.description |
	some i, o in os
	o.decision == decision
	not earlier(os, i, o.description, decision)
]

earlier(os, i, d, decision) if {
	some j, p in os
	j < i
	p.decision == decision
	p.description == d
}

admitted_clause(os) := sprintf("%s can assume this role", [concat(", and ", ds)]) if {
	ds := descriptions(os, "allowed")
	count(ds) > 0
} else := ""

possible_clause(os) := sprintf("%s may be able to assume this role (the evaluation cannot rule it out: %s)", [concat(", and ", ds), reasons(os)]) if {
	ds := descriptions(os, "unknown")
	count(ds) > 0
} else := ""

# The IAM core's reasons for the unknown answers, in words (each text once).
reasons(os) := concat("; ", rs) if {
	rs := {r.text | some o in os; o.decision == "unknown"; some r in o.reasons}
	count(rs) > 0
} else := "some condition cannot be decided"

# The caller-controlled values an outsider sends to pass the conditions.
chosen(os) := sort({c | some o in os; o.decision == "allowed"; some c in o.chosen})

chosen_note(os) := "" if count(chosen(os)) == 0

chosen_note(os) := sprintf(" (a caller only has to send %s, which it chooses%s)", [concat(", ", chosen(os)), external_id_note(os)]) if {
	count(chosen(os)) > 0
}

external_id_note(os) := "; an external ID is not a secret" if {
	some o in os
	o.decision == "allowed"
	o.chosen_external_id
} else := ""

remedy(os) := sprintf("name %s as the principal, or add \"ArnEquals\": {\"aws:PrincipalArn\": \"%s\"} to the statement", [input.vendor.principal_arn, input.vendor.principal_arn]) if {
	some o in os
	not o.vendor_account
} else := sprintf("every role of %s account that its administrators allow can assume yours; add an ArnEquals aws:PrincipalArn condition for %s, or name that role as the principal", [lib.vendor_possessive, input.vendor.principal_arn])

sid_label(sid) := sprintf("Sid %q", [sid]) if sid != ""

sid_label("") := "without Sid"
