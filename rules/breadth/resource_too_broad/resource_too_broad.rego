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

bucket := input.setup.bucket

prefix := input.setup.prefix

# Probe ARNs just outside the destination.
probes contains "arn:aws:s3:::some-other-bucket-smlint"

probes contains "arn:aws:s3:::some-other-bucket-smlint/x"

probes contains sprintf("arn:aws:s3:::%s-smlint-other/x", [bucket])

probes contains sprintf("arn:aws:s3:::%s/outside-prefix-smlint", [bucket]) if prefix != ""

reason(p) := "other buckets" if {
	not startswith(p, sprintf("arn:aws:s3:::%s/", [bucket]))
} else := sprintf("objects outside the prefix %s", [prefix])

s3_pattern(a) if a == "*"

s3_pattern(a) if {
	parts := split(a, ":")
	count(parts) == 2
	glob.match(lower(parts[0]), [], "s3")
}

# Only account-level actions, which take "*" by definition.
account_level_only(s) if {
	acts := lib.as_list(s.action)
	count(acts) > 0
	every a in acts {
		lower(a) in {"s3:listallmybuckets", "s3:getaccountpublicaccessblock"}
	}
}

grants_s3(s) if {
	s.effect == "Allow"
	some a in lib.as_list(s.action)
	s3_pattern(a)
}

grants_s3(s) if {
	s.effect == "Allow"
	s.not_action != null
}

# Statements granting to the vendor's role or user.
vendor_statements contains [d, s] if {
	some x in lib.statements("identity")
	d := x.doc
	s := x.stmt
}

vendor_statements contains [x.doc, x.stmt] if {
	some x in lib.statements("bucket")
	some p in x.stmt.principal.aws
	p in lib.caller_arns
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	bucket != ""
	some [d, s] in vendor_statements
	grants_s3(s)
	not account_level_only(s)
	some res in lib.as_list(s.resource)
	not smlint.is_unknown(res)
	reached := [p | some p in probes; smlint.resource_match(res, p) == "true"]
	count(reached) > 0
	msg := sprintf("%s policy statement %s grants S3 actions on %s, which reaches %s; the destination is only %s and %s", [d.kind, lib.statement_ref(s), res, reason(reached[0]), lib.bucket_arn, lib.object_path])
}

findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some [d, s] in vendor_statements
	grants_s3(s)
	s.not_resource != null
	msg := sprintf("%s policy statement %s is an Allow with NotResource (%s): it grants every other resource, not just %s and %s", [d.kind, lib.statement_ref(s), concat(", ", s.not_resource), lib.bucket_arn, lib.object_path])
}
