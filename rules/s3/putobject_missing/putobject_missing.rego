# METADATA
# title: Uploads are not allowed
# description: >-
#   No policy allows the vendor's s3:PutObject on the destination path, so
#   every upload fails with AccessDenied ("Save and test" fails). Decided by
#   the evaluation core: identity policies or the bucket policy must allow,
#   within any permissions boundary and SCP
#   (reference_policies_evaluation-logic.html).
# schemas:
#   - input: schema.input
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
	msg := sprintf("s3:PutObject on %s is not allowed: no statement grants it to %s%s", [lib.object_path, smlint.display(r.principal), subfolder_hint])
}

# A grant under the folder that covers no file directly in it (PREFIX*/*,
# PREFIX sub/*, a literal ${aws:username}/ of a Version 2008-10-17 policy):
# the vendor writes PREFIX<name>, no further "/". The IAM core's trace of
# the upload decides (reference_policies_elements_resource.html): the
# statement's Action or NotAction matches s3:PutObject, its Resource does
# not match the destination.
subfolder_hints := sort([h |
	folder := sprintf("arn:aws:s3:::%s/%s", [input.setup.bucket, input.setup.prefix])
	some r in lib.requests("put-object")
	some kind in ["identity", "bucket"]
	some x in lib.traced(r, kind)
	x.trace.effect == "Allow"
	x.trace.stopped_at == "resource"
	some res in lib.as_list(x.stmt.resource)
	startswith(res, folder)
	h := sprintf("; statement %s grants it only on %s, which covers no file directly in %s: Supermetrics writes its files into the folder itself, not into a sub-folder", [lib.statement_ref(x.stmt), res, input.setup.prefix])
])

subfolder_hint := subfolder_hints[0] if count(subfolder_hints) > 0

subfolder_hint := "" if count(subfolder_hints) == 0
