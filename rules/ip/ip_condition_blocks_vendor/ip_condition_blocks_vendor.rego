# METADATA
# title: A source-IP condition blocks the vendor
# description: >-
#   An aws:SourceIp condition (IpAddress / NotIpAddress, with or without
#   IfExists, IPv4 or IPv6) in an identity, bucket or trust statement denies,
#   or fails to allow, one of the vendor's configured egress ranges. Every
#   range must pass: a range only partly inside an allowed list counts as
#   blocked, because some of the vendor's addresses are refused. The decision
#   per range comes from the evaluation core (one request per range); the
#   condition operators follow reference_policies_elements_condition_operators.html.
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

# Statements with an aws:SourceIp condition, with the document and condition.
ip_statements contains [d, s, c] if {
	some d in input.documents
	d.kind in kinds
	some s in d.statements
	some c in s.condition
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

# Requests a statement could grant: trust statements the assume-role step,
# other documents the S3 calls whose action and resource they name.
applies(d, s, r) if {
	d.kind == "trust"
	r.id == "assume-role"
	some a in lib.as_list(s.action)
	smlint.action_matches(a, r.action)
}

applies(d, s, r) if {
	d.kind in {"identity", "bucket"}
	r.id != "assume-role"
	some a in lib.as_list(s.action)
	smlint.action_matches(a, r.action)
	some res in lib.as_list(s.resource)
	smlint.resource_match(res, r.resource) != "false"
	names_caller(d, s)
}

names_caller(d, _) if d.kind == "identity"

names_caller(d, s) if {
	d.kind == "bucket"
	s.principal.wildcard
}

names_caller(d, s) if {
	d.kind == "bucket"
	some p in s.principal.aws
	p in {input.caller.arn, object.get(input, ["principal", "arn"], ""), input.setup.role_arn, "*"}
}

# The ranges an Allow's IP condition does not let through.
failing(c) := {x | some x in smlint.ip_uncovered(ranges, c.values)} if lib.base_operator(c.operator) == "ipaddress"

failing(c) := {x | some x in ranges} - {x | some x in smlint.ip_uncovered(ranges, c.values)} if {
	lib.base_operator(c.operator) == "notipaddress"
}

# Ranges refused for want of an Allow because this statement's condition
# leaves them out.
unallowed_ranges(d, s, c) := {r.source_ip |
	s.effect == "Allow"
	some r in input.requests
	r.source_ip != ""
	r.decision == "implicit_deny"
	r.source_ip in failing(c)
	applies(d, s, r)
}

blocked(d, s, _) := denied_ranges(d, s) if s.effect == "Deny"

blocked(d, s, c) := unallowed_ranges(d, s, c) if s.effect == "Allow"

verb(s) := "does not let through" if s.effect == "Allow"

verb(s) := "denies" if s.effect == "Deny"

findings contains object.union(lib.finding(msg, loc), {"resource": concat(", ", names)}) if {
	count(ranges) > 0
	some [d, s, c] in ip_statements
	bl := blocked(d, s, c)
	count(bl) > 0
	names := [x | some x in ranges; x in bl]
	uncovered := {x | some x in smlint.ip_uncovered(names, c.values)}
	detail := explain(c, names, uncovered)
	loc := {"file": d.file, "line": c.line, "sid": s.sid}
	msg := sprintf("%s condition on aws:SourceIp in %s policy statement %s %s the vendor range(s) %s%s: every range the vendor calls from must pass", [c.operator, d.kind, lib.statement_ref(s), verb(s), concat(", ", names), detail])
}

explain(c, names, uncovered) := sprintf(" (not wholly inside the listed %s)", [concat(", ", c.values)]) if {
	count(uncovered) > 0
	lib.base_operator(c.operator) == "notipaddress"
} else := sprintf(" (not wholly inside the listed %s)", [concat(", ", c.values)]) if {
	count(uncovered) > 0
	lib.base_operator(c.operator) == "ipaddress"
} else := sprintf(" (inside the listed %s)", [concat(", ", c.values)]) if {
	count(uncovered) < count(names)
} else := ""
