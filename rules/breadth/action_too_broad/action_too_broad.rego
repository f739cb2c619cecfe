# METADATA
# title: The vendor can do more than upload
# description: >-
#   The vendor's role or user is allowed actions it does not need: "*",
#   "s3:*", any IAM or STS action, bucket-policy, bucket-ACL, object-ACL or
#   delete-bucket rights, or actions of other services; or an Allow with
#   NotAction, which grants every action not listed
#   (reference_policies_elements_notaction.html). Supermetrics needs
#   s3:PutObject, s3:DeleteObject, s3:ListBucket and s3:GetBucketLocation,
#   plus kms:GenerateDataKey and kms:Decrypt with SSE-KMS. An extra read
#   action such as s3:GetObject, and nothing more, is only info (reads beyond
#   the destination are reported by resource-too-broad).
# schemas:
#   - input: schema.input
# custom:
#   id: action-too-broad
#   severity: warning
#   remediation: >-
#     List only the actions Supermetrics uses: s3:PutObject, s3:DeleteObject,
#     s3:ListBucket, s3:GetBucketLocation (and kms:GenerateDataKey,
#     kms:Decrypt on the key).
#   docs: https://docs.supermetrics.com/docs/about-amazon-s3-prerequisites
#   example: |
#     {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::my-bucket/supermetrics/*"}
package smlint.rules.action_too_broad

import data.smlint.lib
import rego.v1

# What each Action pattern grants beyond the need is decided in Go
# (internal/check/statement_facts.go, by iam.ActionMatches against probe
# actions: everything, IAM, bucket policy or ACL, deleting the bucket, other
# services; and object reads) and read from s.facts: beyond_need and
# extra_reads, each [{action, examples, only_itself}], sorted by action.

# examples names what a pattern grants, unless it is the one action itself.
examples(x) := "" if {
	x.only_itself
} else := sprintf(" (e.g. %s)", [concat(", ", array.slice(x.examples, 0, 3))])

# vendor_statement(d, s): s grants to the vendor's role or user: every
# statement of its identity policies, and the bucket-policy statements that
# name it. (Statements are visited where they are, not collected into a set
# of [document, statement] pairs: ordering such a set compares whole
# documents.)
vendor_statement(d, _) if d.kind == "identity"

vendor_statement(d, s) if {
	d.kind == "bucket"
	some p in s.principal.aws
	p in lib.caller_arns
}

findings contains object.union(lib.finding(msg, lib.at_statement(d, s)), {"severity": "info"}) if {
	some d in input.documents
	some i in d.statements_with.extra_reads
	s := d.statements[i]
	s.effect == "Allow"
	count(s.facts.beyond_need) == 0
	s.not_action == null
	vendor_statement(d, s)
	parts := [sprintf("%s%s", [x.action, examples(x)]) | some x in s.facts.extra_reads]
	msg := sprintf("%s policy statement %s also allows reading objects, which uploading does not need: %s", [d.kind, lib.statement_ref(s), concat("; ", parts)])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some i in d.statements_with.beyond_need
	s := d.statements[i]
	s.effect == "Allow"
	vendor_statement(d, s)
	parts := [sprintf("%s%s", [x.action, examples(x)]) | some x in s.facts.beyond_need]
	msg := sprintf("%s policy statement %s allows more than uploading needs: %s", [d.kind, lib.statement_ref(s), concat("; ", parts)])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some i in d.statements_with.not_action
	s := d.statements[i]
	s.effect == "Allow"
	vendor_statement(d, s)
	msg := sprintf("%s policy statement %s is an Allow with NotAction (%s): it grants every other action of every service on its resources", [d.kind, lib.statement_ref(s), concat(", ", s.not_action)])
}
