# METADATA
# title: Uploads are not allowed
# description: >-
#   No policy allows the vendor's s3:PutObject on the destination path, so
#   every upload fails with AccessDenied ("Save and test" fails). Decided by
#   the evaluation core: identity policies or the bucket policy must allow,
#   within any permissions boundary and SCP
#   (reference_policies_evaluation-logic.html).
# custom:
#   id: putobject-missing
#   severity: error
#   remediation: >-
#     Allow s3:PutObject on arn:aws:s3:::BUCKET/PREFIX* in the permission
#     policy of the role (or user) you give Supermetrics.
#   docs: https://docs.supermetrics.com/docs/about-amazon-s3-prerequisites
#   example: |
#     {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/supermetrics/*"}
package smlint.rules.putobject_missing

import data.smlint.lib
import rego.v1

findings contains lib.finding(msg, lib.edit_location) if {
	some r in lib.requests("put-object")
	r.decision == "implicit_deny"
	msg := sprintf("s3:PutObject on %s is not allowed: no statement grants it to %s", [lib.object_path, smlint.display(r.principal)])
}
