package smlint.rules.ip_allowlist_lockout_test

import data.smlint.rules.ip_allowlist_lockout as rule
import rego.v1

stmt(values) := {
	"index": 0, "sid": "IPAllowlist", "line": 4, "effect": "Deny",
	"principal": {"wildcard": true, "aws": []}, "not_principal": null,
	"action": ["s3:*"], "resource": ["arn:aws:s3:::b/*"],
	"condition": [{"operator": "NotIpAddress", "op": op("notipaddress", "", false, true), "key": "aws:SourceIp", "key_lower": "aws:sourceip", "values": values, "line": 10}],
}

# op is a condition operator as Go parses it when the document is read.
op(base, set, if_exists, negated) := {"valid": base != "", "base": base, "set": set, "if_exists": if_exists, "negated": negated}

inp(values) := {
	"setup": {"auth": "role", "vendor_ip_ranges": ["203.0.113.0/24", "2001:db8::/32"]},
	"documents": [{"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": [stmt(values)]}],
}

test_hit_only_vendor_ranges if {
	fs := rule.findings with input as inp(["203.0.113.0/24", "2001:db8:1::/48"])
	count(fs) == 1
	some f in fs
	f.line == 10
	contains(f.message, "locked out")
}

test_near_miss_own_range_listed if {
	count(rule.findings) == 0 with input as inp(["203.0.113.0/24", "192.0.2.10/32"])
}

test_near_miss_role_identity_policy if {
	# A Deny in the dedicated role's own policy binds only that role.
	i := json.patch(inp(["203.0.113.0/24"]), [{"op": "replace", "path": "/documents/0/kind", "value": "identity"}])
	count(rule.findings) == 0 with input as i
}

test_hit_set_qualified_operator if {
	# ForAnyValue:/IfExists are parsed once, when the document is read
	# (policy.ParseOperator); the rule reads the parsed form (it used to
	# miss this form with its own normaliser).
	i := json.patch(inp(["203.0.113.0/24"]), [
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/operator", "value": "ForAnyValue:NotIpAddressIfExists"},
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/op", "value": op("notipaddress", "foranyvalue", true, true)},
	])
	count(rule.findings) == 1 with input as i
}

test_near_miss_operator_iam_rejects if {
	i := json.patch(inp(["203.0.113.0/24"]), [
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/operator", "value": "NotIpAddressEquals"},
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/op", "value": op("", "", false, false)},
	])
	count(rule.findings) == 0 with input as i
}

test_near_miss_allow_list_not_a_deny_list if {
	# IpAddress in a Deny refuses the listed ranges, not everyone else.
	i := json.patch(inp(["203.0.113.0/24"]), [
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/operator", "value": "IpAddress"},
		{"op": "replace", "path": "/documents/0/statements/0/condition/0/op", "value": op("ipaddress", "", false, false)},
	])
	count(rule.findings) == 0 with input as i
}
