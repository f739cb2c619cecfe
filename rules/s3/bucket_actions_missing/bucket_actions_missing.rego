# METADATA
# title: Bucket-level actions are not allowed
# description: >-
#   s3:ListBucket or s3:GetBucketLocation on the bucket ARN is not allowed to
#   the vendor. Supermetrics' setup guide grants both on arn:aws:s3:::BUCKET
#   (its example policy), so the destination setup may fail to verify the
#   bucket or its region. They are bucket actions: they need the bucket ARN,
#   not BUCKET/* (reference_policies_examples_s3_rw-bucket.html). Decided by
#   the evaluation core, implicit or explicit deny.
# schemas:
#   - input: schema.input
# custom:
#   id: bucket-actions-missing
#   severity: warning
#   remediation: >-
#     Allow s3:ListBucket and s3:GetBucketLocation on arn:aws:s3:::BUCKET (the
#     bucket ARN, without /*) in the permission policy of the role (or user)
#     you give Supermetrics, and make sure no Deny matches them.
#   docs: https://docs.supermetrics.com/docs/about-amazon-s3-prerequisites
#   example: |
#     {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::my-bucket"}
package smlint.rules.bucket_actions_missing

import data.smlint.lib
import rego.v1

checked := ["list-bucket", "get-bucket-location"]

findings contains lib.finding(msg, lib.edit_location) if {
	some id in checked
	some r in lib.requests(id)
	r.decision == "implicit_deny"
	msg := sprintf("%s on %s is not allowed: no statement grants it to %s", [r.action, lib.bucket_arn, smlint.display(r.principal)])
}

findings contains lib.finding(msg, lib.at_because(b)) if {
	some id in checked
	some r in lib.requests(id)
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
	msg := sprintf("%s on %s is explicitly denied by %s in %s:%d", [r.action, lib.bucket_arn, lib.statement_label(b), b.file, b.line])
}

findings contains lib.finding(msg, lib.edit_location) if {
	some id in checked
	some r in lib.requests(id)
	r.decision == "explicit_deny"
	not lib.has_deny_statement(r)
	msg := sprintf("%s on %s is explicitly denied: %s", [r.action, lib.bucket_arn, lib.reason_text(r)])
}
