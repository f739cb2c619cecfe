# METADATA
# title: Uploads are explicitly denied
# description: >-
#   A Deny statement (in a permission policy, permissions boundary, bucket
#   policy or SCP) matches the vendor's s3:PutObject on the destination path.
#   "An explicit deny in any of these policies overrides the allow", so no
#   Allow anywhere can fix it (reference_policies_evaluation-logic.html).
#   Decided by the evaluation core; the finding points at the deciding
#   statement.
# schemas:
#   - input: schema.input
# custom:
#   id: putobject-denied
#   severity: error
#   remediation: >-
#     Narrow the Deny statement so it does not match uploads by the role (or
#     user) you give Supermetrics to arn:aws:s3:::BUCKET/PREFIX*: exclude the
#     role with an ArnNotEquals aws:PrincipalArn condition, or change the
#     condition that the upload fails (Supermetrics sends no ACL header and no
#     encryption header unless a KMS key is configured).
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
#   example: |
#     {"Sid": "DenyOthers", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
#      "Resource": "arn:aws:s3:::my-bucket/*",
#      "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/supermetrics-upload"}}}
package smlint.rules.putobject_denied

import data.smlint.lib
import rego.v1

kind_label := {
	"identity": "permission policy",
	"boundary": "permissions boundary",
	"bucket": "bucket policy",
	"scp": "service control policy (SCP)",
	"key": "key policy",
	"trust": "trust policy",
}

# The deciding Deny statement(s).
findings contains lib.finding(msg, lib.at_because(b)) if {
	some r in lib.requests("put-object")
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
	msg := sprintf("s3:PutObject on %s is explicitly denied by %s in the %s%s: an explicit Deny overrides every Allow", [
		lib.object_path, lib.statement_label(b), object.get(kind_label, b.kind, b.kind),
		name_suffix(b),
	])
}

# An SCP denies without a matching statement ("If the enforcement code does
# not find any applicable Allow statements in the SCPs, the request is
# explicitly denied"): point at the first SCP.
findings contains lib.finding(msg, loc) if {
	some r in lib.requests("put-object")
	r.decision == "explicit_deny"
	not lib.has_deny_statement(r)
	loc := scp_location
	msg := sprintf("s3:PutObject on %s is explicitly denied: %s", [lib.object_path, reason_text(r)])
}

default scp_location := {"file": "", "line": 0}

scp_location := {"file": d.file, "line": d.line} if {
	ds := lib.documents("scp")
	count(ds) > 0
	d := ds[0]
}

reason_text(r) := lib.reason_text(r) if count(r.reasons) > 0

reason_text(r) := "no SCP allows it (an SCP without a matching Allow denies explicitly)" if count(r.reasons) == 0

name_suffix(b) := sprintf(" %q", [b.name]) if {
	b.name != ""
	b.kind != "bucket"
}

name_suffix(b) := "" if b.name == ""

name_suffix(b) := "" if b.kind == "bucket"
