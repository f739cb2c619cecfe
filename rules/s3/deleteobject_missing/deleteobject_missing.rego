# METADATA
# title: The test file cannot be deleted
# description: >-
#   s3:DeleteObject on the destination path is not allowed to the vendor.
#   Uploads still work, but "the permission deleteObject is useful, though not
#   required. This permission can automatically remove an empty file
#   generated in the setup testing phase": without it the empty test file
#   stays in the bucket. Decided by the evaluation core.
# schemas:
#   - input: schema.input
# custom:
#   id: deleteobject-missing
#   severity: info
#   remediation: >-
#     Allow s3:DeleteObject on arn:aws:s3:::BUCKET/PREFIX* next to s3:PutObject
#     if you want Supermetrics to remove its empty test file; otherwise delete
#     the file yourself after setup.
#   docs: https://docs.supermetrics.com/docs/about-amazon-s3-prerequisites
#   example: |
#     {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::my-bucket/supermetrics/*"}
package smlint.rules.deleteobject_missing

import data.smlint.lib
import rego.v1

findings contains lib.finding(msg, lib.edit_location) if {
	some r in lib.requests("delete-object")
	r.decision == "implicit_deny"
	msg := sprintf("s3:DeleteObject on %s is not allowed: the empty file Supermetrics writes when you test the destination stays behind", [lib.object_path])
}

findings contains lib.finding(msg, lib.at_because(b)) if {
	some r in lib.requests("delete-object")
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
	msg := sprintf("s3:DeleteObject on %s is explicitly denied (%s:%d): the empty file Supermetrics writes when you test the destination stays behind", [lib.object_path, b.file, b.line])
}

findings contains lib.finding(msg, lib.edit_location) if {
	some r in lib.requests("delete-object")
	r.decision == "explicit_deny"
	not lib.has_deny_statement(r)
	msg := sprintf("s3:DeleteObject on %s is explicitly denied (%s): the empty file Supermetrics writes when you test the destination stays behind", [lib.object_path, lib.reason_text(r)])
}
