# METADATA
# title: A bucket policy requires an upload header the vendor does not send
# description: >-
#   A Deny on s3:x-amz-server-side-encryption,
#   s3:x-amz-server-side-encryption-aws-kms-key-id or s3:x-amz-acl
#   (StringNotEquals, Null, ...) refuses the vendor's upload. These keys test
#   the request's headers: when a header is absent, StringNotEquals is true and
#   Null:true matches, so the upload is denied even though the bucket's
#   default encryption would have encrypted it (default encryption applies
#   only "if a PUT Object request doesn't specify any server-side
#   encryption", API_ServerSideEncryptionRule.html; missing-key rule in
#   reference_policies_elements_condition_operators.html). The request model
#   sends the SSE-KMS headers only when a KMS key is configured, and never an
#   ACL header.
# schemas:
#   - input: schema.input
# custom:
#   id: encryption-header-required
#   severity: error
#   remediation: >-
#     Rely on default bucket encryption instead of a header Deny, or add
#     "Null": {"s3:x-amz-server-side-encryption": "false"} to the Deny so it
#     only refuses a wrong header, not a missing one. If Supermetrics lets you
#     enter a KMS key ARN, enter the key the policy demands (and set
#     kms_key_arn).
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
#   example: |
#     {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*",
#      "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
#                    "Null": {"s3:x-amz-server-side-encryption": "false"}}}
package smlint.rules.encryption_header_required

import data.smlint.lib
import rego.v1

header_keys := {
	"s3:x-amz-server-side-encryption": "x-amz-server-side-encryption",
	"s3:x-amz-server-side-encryption-aws-kms-key-id": "x-amz-server-side-encryption-aws-kms-key-id",
	"s3:x-amz-acl": "x-amz-acl",
}

# What the vendor's upload carries for a header, in the request model.
sent(k) := "aws:kms" if {
	k == "s3:x-amz-server-side-encryption"
	input.setup.kms_key_arn != ""
}

sent(k) := input.setup.kms_key_arn if {
	k == "s3:x-amz-server-side-encryption-aws-kms-key-id"
	input.setup.kms_key_arn != ""
}

carries(k, h) := sprintf("carries %s: %s, which the condition rejects", [h, sent(k)])

carries(k, h) := sprintf("carries no %s header, so the key is absent and the condition matches; default bucket encryption does not help, because the condition tests the request header, not how the object ends up encrypted", [h]) if {
	not sent(k)
}

findings contains lib.finding(msg, {"file": d.file, "line": c.line, "sid": s.sid}) if {
	some r in lib.requests("put-object")
	r.decision == "explicit_deny"
	some b in r.because
	d := lib.doc(b.doc)
	some s in d.statements
	s.line == b.line
	s.sid == b.sid
	some c in s.condition
	h := header_keys[c.key_lower]
	msg := sprintf("%s policy statement %s denies uploads on %s %s %s; the vendor's upload %s", [d.kind, lib.statement_ref(s), c.operator, c.key, concat(", ", c.values), carries(c.key_lower, h)])
}
