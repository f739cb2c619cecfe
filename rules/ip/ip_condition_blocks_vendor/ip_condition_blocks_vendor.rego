# METADATA
# title: A source-IP condition blocks the vendor
# description: >-
#   An aws:SourceIp condition (IpAddress / NotIpAddress, with or without
#   IfExists, IPv4 or IPv6) in an identity, bucket or trust statement denies,
#   or fails to allow, one of the vendor's configured egress ranges. Every
#   range must pass: a range only partly inside an allowed list counts as
#   blocked, because some of the vendor's addresses are refused. The decision
#   per range comes from the evaluation core (one request per range), and so
#   does which statements name each request (its trace: Action/NotAction,
#   Resource/NotResource, Principal) and what their IP condition answered;
#   the condition operators follow reference_policies_elements_condition_operators.html.
# schemas:
#   - input: schema.input
# custom:
#   id: ip-condition-blocks-vendor
#   severity: error
#   remediation: >-
#     Add every vendor range from the vendor's IP allowlisting page to the
#     aws:SourceIp list (IpAddress in an Allow, NotIpAddress in a Deny), as
#     whole CIDRs, IPv6 ranges included.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
#   example: |
#     {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
#      "Condition": {"NotIpAddress": {"aws:SourceIp": ["<vendor range 1>", "<vendor range 2>", "<your office range>"]}}}
package smlint.rules.ip_condition_blocks_vendor

import data.smlint.lib
import rego.v1

ranges := input.setup.vendor_ip_ranges

# KMS calls are made by S3, whose address KMS sees: key policies are left out.
kinds := {"identity", "bucket", "trust", "boundary", "scp"}

# Statements with an aws:SourceIp condition, with the document and the
# condition's index.
ip_statements contains [d, s, i, c] if {
	some d in input.documents
	d.kind in kinds
	some s in d.statements
	some i, c in s.condition
	lib.ip_condition(c)
}

same_statement(b, d, s) if {
	b.doc == d.id
	b.line == s.line
	b.sid == s.sid
}

# Ranges an explicit Deny with this statement refused.
denied_ranges(d, s) := {r.source_ip |
	some r in input.requests
	r.source_ip != ""
	r.decision == "explicit_deny"
	some b in r.because
	same_statement(b, d, s)
}

# Ranges refused for want of an Allow because this statement's IP condition
# does not hold for them, on a request the statement otherwise names: the
# IAM core's trace says the statement's Action/NotAction,
# Resource/NotResource and Principal match the request, and what the
# condition answered for that range.
unallowed_ranges(d, s, i) := {r.source_ip |
	s.effect == "Allow"
	some r in input.requests
	r.source_ip != ""
	r.decision == "implicit_deny"
	some t in r.trace
	t.doc == d.id
	t.index == s.index
	some tc in t.conditions
	tc.index == i
	tc.result == "false"
}

blocked(d, s, _) := denied_ranges(d, s) if s.effect == "Deny"

blocked(d, s, i) := unallowed_ranges(d, s, i) if s.effect == "Allow"

verb(s) := "does not let through" if s.effect == "Allow"

verb(s) := "denies" if s.effect == "Deny"

findings contains object.union(lib.finding(msg, loc), {"resource": concat(", ", names)}) if {
	count(ranges) > 0
	some [d, s, i, c] in ip_statements
	bl := blocked(d, s, i)
	count(bl) > 0
	names := [x | some x in ranges; x in bl]
	uncovered := {x | some x in smlint.ip_uncovered(names, c.values)}
	detail := explain(c, names, uncovered)
	loc := {"file": d.file, "line": c.line, "sid": s.sid}
	msg := sprintf("%s condition on aws:SourceIp in %s policy statement %s %s the vendor range(s) %s%s: every range the vendor calls from must pass", [c.operator, d.kind, lib.statement_ref(s), verb(s), concat(", ", names), detail])
}

explain(c, names, uncovered) := sprintf(" (not wholly inside the listed %s)", [concat(", ", c.values)]) if {
	count(uncovered) > 0
} else := sprintf(" (inside the listed %s)", [concat(", ", c.values)]) if {
	count(uncovered) < count(names)
} else := ""
