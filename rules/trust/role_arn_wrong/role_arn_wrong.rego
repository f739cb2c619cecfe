# METADATA
# title: The role ARN for Supermetrics is wrong
# description: >-
#   The role ARN you will paste into Supermetrics (role_arn) is not a valid
#   IAM role ARN (arn:aws:iam::<12-digit account>:role/<optional path/>name,
#   reference_identifiers.html#identifiers-arns), sits in Supermetrics' own
#   account 043417694514 (copied from the setup guide's example instead of
#   your role's ARN), or is not the role whose trust policy was checked.
# schemas:
#   - input: schema.input
# custom:
#   id: role-arn-wrong
#   severity: error
#   remediation: >-
#     Copy the ARN from your role's summary page in the IAM console (or `aws
#     iam get-role --role-name NAME --query Role.Arn`): it has your own
#     account id and your role's name, e.g.
#     arn:aws:iam::111122223333:role/supermetrics-upload.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
#   example: |
#     role_arn: arn:aws:iam::111122223333:role/supermetrics-upload
package smlint.rules.role_arn_wrong

import data.smlint.lib
import rego.v1

role_arn := input.setup.role_arn

checked if {
	object.get(input.setup, "auth", "role") != "access-key"
	role_arn != ""
	not smlint.is_unknown(role_arn)
}

# IAM role ARN: partition, empty region, 12-digit account, role/ then an
# optional path (/-delimited, printable ASCII) and a name of 1-64 of
# [A-Za-z0-9+=,.@_-] (reference_identifiers.html, API_CreateRole.html).
# (decided in Go: policy.IsRoleARN)
well_formed if smlint.arn(role_arn).well_formed_role

location := {"file": input.principal.file, "line": input.principal.line} if {
	input.principal != null
	object.get(input.principal, "file", "") != ""
} else := {"file": "", "line": 0}

findings contains lib.finding(msg, location) if {
	checked
	not well_formed
	msg := sprintf("role_arn %q is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<name>%s", [role_arn, malformed_hint])
}

malformed_hint := " (it names a user, not a role)" if {
	smlint.arn(role_arn).resource_type == "user"
} else := " (it is a role session ARN from STS; use the role's IAM ARN)" if {
	smlint.arn(role_arn).resource_type == "assumed-role"
} else := " (it is a bare unique id, not an ARN)" if {
	smlint.id_shape(role_arn).unique_id_prefix != ""
} else := " (the account id must have 12 digits)" if {
	a := smlint.arn(role_arn)
	a.service == "iam"
	a.region == ""
	smlint.id_shape(a.account).digits
	a.resource_type == "role"
} else := ""

account := smlint.arn(role_arn).account

findings contains lib.finding(msg, location) if {
	checked
	well_formed
	account == input.vendor.account
	msg := sprintf("role_arn %q is in %s own account %s (copied from the setup guide's example?): give the ARN of the role you created in your account", [
		role_arn, lib.vendor_possessive, account,
	])
}

# The role whose trust policy was checked is a different one.
findings contains lib.finding(msg, location) if {
	checked
	input.principal != null
	input.principal.type == "role"
	arn := object.get(input.principal, "arn", "")
	arn != ""
	not smlint.is_unknown(arn)
	arn != role_arn
	msg := sprintf("role_arn %q is not the role whose policies were checked (%s): Supermetrics would assume a different role", [role_arn, arn])
}

findings contains lib.finding(msg, location) if {
	checked
	well_formed
	input.principal != null
	input.principal.type == "role"
	not known_arn(input.principal)
	name := object.get(input.principal, "name", "")
	name != ""
	not smlint.is_unknown(name)
	given := smlint.arn(role_arn).name
	name != given
	msg := sprintf("role_arn %q names role %q, but the role whose policies were checked is %q", [role_arn, given, name])
}

known_arn(p) if {
	arn := object.get(p, "arn", "")
	arn != ""
	not smlint.is_unknown(arn)
}
