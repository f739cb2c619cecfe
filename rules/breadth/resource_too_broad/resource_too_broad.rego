# METADATA
# title: S3 access reaches beyond the destination
# description: >-
#   The vendor's role or user is granted S3 actions on more than the
#   destination bucket and path: "*", arn:aws:s3:::*, other buckets, every
#   object of the bucket when uploads go under a prefix, or an Allow with
#   NotResource ("matches every resource except those specified",
#   reference_policies_elements_notresource.html). Supermetrics needs only
#   arn:aws:s3:::BUCKET and arn:aws:s3:::BUCKET/PREFIX*. Checked in the
#   principal's identity policies and in bucket-policy statements that name
#   it; a key policy's "Resource": "*" means the key itself and is never
#   flagged.
# schemas:
#   - input: schema.input
# custom:
#   id: resource-too-broad
#   severity: warning
#   remediation: >-
#     Scope the statement to arn:aws:s3:::BUCKET (ListBucket,
#     GetBucketLocation) and arn:aws:s3:::BUCKET/PREFIX* (PutObject,
#     DeleteObject).
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
#   example: |
#     {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::my-bucket/supermetrics/*"}
package smlint.rules.resource_too_broad

import data.smlint.lib
import rego.v1

# Whether a statement grants S3 actions (an Allow with "*", an s3: pattern
# or NotAction) and which of its resources reach past the destination (a
# probe ARN just outside it matches: another bucket, or the bucket outside
# the prefix) are decided in Go (internal/check/statement_facts.go, by
# iam.ActionMatches and iam.MatchResource): s.facts.grants_s3 and
# s.facts.s3_beyond_destination [{resource, reaches}]. Statements granting
# only account-level actions (s3:ListAllMyBuckets,
# s3:GetAccountPublicAccessBlock), which take "*" by definition, reach
# nothing there.

reason("other_buckets") := "other buckets"

reason("outside_prefix") := sprintf("objects outside the prefix %s", [input.setup.prefix])

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

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some i in d.statements_with.s3_beyond_destination
	s := d.statements[i]
	some r in s.facts.s3_beyond_destination
	vendor_statement(d, s)
	msg := sprintf("%s policy statement %s grants S3 actions on %s, which reaches %s; the destination is only %s and %s", [d.kind, lib.statement_ref(s), r.resource, reason(r.reaches), lib.bucket_arn, lib.object_path])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	some i in d.statements_with.not_resource
	s := d.statements[i]
	s.facts.grants_s3
	vendor_statement(d, s)
	msg := sprintf("%s policy statement %s is an Allow with NotResource (%s): it grants every other resource, not just %s and %s", [d.kind, lib.statement_ref(s), concat(", ", s.not_resource), lib.bucket_arn, lib.object_path])
}
