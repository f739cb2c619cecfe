package smlint.rules.ip_condition_unverified_test

import data.smlint.lib.testinput_test as testinput
import data.smlint.rules.ip_condition_unverified as rule
import rego.v1

stmt := {
	"index": 0, "sid": "OnlyOffice", "line": 4, "effect": "Deny",
	"action": ["s3:*"], "resource": ["arn:aws:s3:::b/*"],
	"condition": [{"operator": "NotIpAddress", "op": {"valid": true, "base": "notipaddress", "set": "", "if_exists": false, "negated": true}, "key": "aws:SourceIp", "key_lower": "aws:sourceip", "values": ["192.0.2.0/24"], "line": 9}],
}

inp(ranges, decision) := {
	"setup": {"bucket": "b", "prefix": "", "vendor_ip_ranges": ranges},
	"vendor": {"display_name": "Supermetrics", "ip_allowlist_doc": "https://docs.supermetrics.com/docs/about-ip-address-allowlisting"},
	"documents": [testinput.indexed({"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": [stmt]})],
	"requests": [{
		"id": "put-object", "action": "s3:PutObject", "source_ip": "", "decision": decision,
		"because": [{"doc": "doc-1", "file": "bucket-policy.json", "line": 4, "sid": "OnlyOffice", "effect": "Deny"}],
	}],
}

test_hit_unknown_because_of_ip_condition if {
	fs := rule.findings with input as inp([], "unknown")
	count(fs) == 1
	some f in fs
	f.line == 9
	contains(f.message, "about-ip-address-allowlisting")
	contains(f.message, "--vendor-ip-ranges")
}

test_near_miss_ranges_configured if {
	count(rule.findings) == 0 with input as inp(["203.0.113.0/24"], "unknown")
}

test_near_miss_condition_does_not_decide if {
	i := json.patch(inp([], "allowed"), [{"op": "replace", "path": "/requests/0/because", "value": []}])
	count(rule.findings) == 0 with input as i
}
