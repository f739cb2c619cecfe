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

# Actions nobody uploading files needs, as probes for a pattern: the rights
# SPEC §5 names (everything, IAM, bucket policy or ACL, deleting the bucket,
# other services).
probes := [
	"s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketAcl",
	"s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock",
	"iam:CreateUser", "iam:PassRole", "sts:AssumeRole",
	"kms:ScheduleKeyDeletion", "kms:PutKeyPolicy",
	"ec2:RunInstances", "lambda:InvokeFunction", "dynamodb:Scan",
]

needed := {"s3:putobject", "s3:deleteobject", "s3:listbucket", "s3:getbucketlocation", "kms:generatedatakey", "kms:decrypt"}

# Extra reads: not needed, but only info.
read_probes := ["s3:GetObject", "s3:GetObjectVersion"]

# What a pattern grants beyond the need, as example actions.
extra(a) := smlint.actions_matching(a, probes)

extra_reads(a) := [p | some p in read_probes; smlint.action_matches(a, p)]

# examples names what a pattern grants, unless it is the one action itself.
examples(a, ex) := "" if {
	count(ex) == 1
	lower(ex[0]) == lower(a)
} else := sprintf(" (e.g. %s)", [concat(", ", array.slice(ex, 0, 3))])

vendor_statements contains [x.doc, x.stmt] if {
	some x in lib.statements("identity")
}

vendor_statements contains [x.doc, x.stmt] if {
	some x in lib.statements("bucket")
	some p in x.stmt.principal.aws
	p in lib.caller_arns
}

# broad lists the statement's patterns that grant more than needed.
broad(s) := {a: ex |
	some a in lib.as_list(s.action)
	not lower(a) in needed
	not smlint.is_unknown(a)
	ex := extra(a)
	count(ex) > 0
}

# reads lists the patterns that grant only extra reads.
reads(s) := {a: ex |
	some a in lib.as_list(s.action)
	not lower(a) in needed
	not smlint.is_unknown(a)
	count(extra(a)) == 0
	ex := extra_reads(a)
	count(ex) > 0
}

findings contains object.union(lib.finding(msg, lib.at_statement(d, s)), {"severity": "info"}) if {
	some [d, s] in vendor_statements
	s.effect == "Allow"
	count(broad(s)) == 0
	s.not_action == null
	r := reads(s)
	count(r) > 0
	parts := [sprintf("%s%s", [a, examples(a, ex)]) | some a, ex in r]
	msg := sprintf("%s policy statement %s also allows reading objects, which uploading does not need: %s", [d.kind, lib.statement_ref(s), concat("; ", parts)])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in vendor_statements
	s.effect == "Allow"
	b := broad(s)
	count(b) > 0
	parts := [sprintf("%s%s", [a, examples(a, ex)]) | some a, ex in b]
	msg := sprintf("%s policy statement %s allows more than uploading needs: %s", [d.kind, lib.statement_ref(s), concat("; ", parts)])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in vendor_statements
	s.effect == "Allow"
	s.not_action != null
	msg := sprintf("%s policy statement %s is an Allow with NotAction (%s): it grants every other action of every service on its resources", [d.kind, lib.statement_ref(s), concat(", ", s.not_action)])
}
