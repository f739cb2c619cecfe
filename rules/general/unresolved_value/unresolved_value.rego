# METADATA
# title: The verdict depends on something unknown
# description: >-
#   A value or document the verdict depends on is not known: a Terraform
#   value "known after apply", a CloudFormation reference or parameter without
#   a value, or a document that was not given (the role's trust policy, its
#   permission policies, the KMS key policy). The affected requests are
#   unknown, and so is the verdict unless a known deny already decides it:
#   smlint never counts an unknown as allowed.
# schemas:
#   - input: schema.input
# custom:
#   id: unresolved-value
#   severity: warning
#   remediation: >-
#     Give the missing export (aws iam get-role, get-role-policy,
#     list-attached-role-policies, aws kms get-key-policy, ...), or a plan
#     with the value resolved (terraform plan after apply, CloudFormation
#     parameters), and run smlint again.
#   docs: https://developer.hashicorp.com/terraform/internals/json-format
#   example: |
#     aws kms get-key-policy --key-id KEY --policy-name default > key-policy.json
package smlint.rules.unresolved_value

import data.smlint.lib
import rego.v1

where(u) := sprintf(" (%s)", [u.address]) if u.address != ""

where(u) := "" if u.address == ""

# An unresolved value matters only when some request could not be decided:
# a plan whose unknowns leave every vendor request decided (the role's own
# ARN, say, when role_arn is configured) does not change the verdict.
verdict_open if {
	some r in input.requests
	r.decision == "unknown"
}

findings contains lib.finding(msg, {"file": u.file, "line": u.line}) if {
	verdict_open
	some u in input.unresolved
	msg := sprintf("%s%s is not known: %s; the verdict is unknown because of it", [u.what, where(u), u.reason])
}

findings contains lib.finding(msg, lib.edit_location) if {
	some r in input.requests
	r.decision == "unknown"
	some reason in r.reasons
	reason.code == "missing-document"
	msg := sprintf("%s (%s) is unknown: %s, so the verdict is unknown because of it", [r.action, r.id, reason.text])
}

# The upload key space: a grant or deny that covers only some of the file
# names the vendor may write directly in the folder (PREFIX*.csv) leaves the
# upload unknown; the IAM core's reason (code partial-key-space) names the
# statement.
findings contains lib.finding(msg, lib.edit_location) if {
	some r in input.requests
	r.id in {"put-object", "kms-generate-data-key", "kms-decrypt"}
	r.decision == "unknown"
	some reason in r.reasons
	reason.code == "partial-key-space"
	msg := sprintf("%s (%s) is unknown: %s, and Supermetrics' file names are not known in advance, so the verdict is unknown because of it", [r.action, r.id, reason.text])
}
