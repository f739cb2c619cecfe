package smlint.rules.ip_condition_blocks_vendor_test

import data.smlint.rules.ip_condition_blocks_vendor as rule
import rego.v1

deny_stmt := {
	"index": 0, "sid": "OnlyFromAllowedIPs", "line": 4, "effect": "Deny",
	"principal": {"wildcard": true, "aws": [], "service": [], "federated": [], "canonical_user": [], "other": {}},
	"action": ["s3:*"], "not_action": null,
	"resource": ["arn:aws:s3:::b/*"], "not_resource": null,
	"condition": [{"operator": "NotIpAddress", "op": {"valid": true, "base": "notipaddress", "set": "", "if_exists": false, "negated": true}, "key": "aws:SourceIp", "key_lower": "aws:sourceip", "values": ["203.0.113.0/24", "192.0.2.10/32"], "line": 9}],
}

allow_stmt := {
	"index": 0, "sid": "Put", "line": 3, "effect": "Allow", "principal": null,
	"action": ["s3:PutObject"], "not_action": null,
	"resource": ["arn:aws:s3:::b/p/*"], "not_resource": null,
	"condition": [{"operator": "IpAddressIfExists", "op": {"valid": true, "base": "ipaddress", "set": "", "if_exists": true, "negated": false}, "key": "aws:sourceip", "key_lower": "aws:sourceip", "values": ["203.0.113.0/25", "2001:db8::/32"], "line": 8}],
}

doc(kind, s) := {"id": "doc-1", "kind": kind, "file": "f.json", "line": 1, "statements": [s]}

base := {
	"setup": {"bucket": "b", "prefix": "p/", "role_arn": "arn:aws:iam::111122223333:role/r", "vendor_ip_ranges": ["203.0.113.0/24", "198.51.100.0/24", "2001:db8::/32"]},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r"},
	"principal": null,
}

put(ip, decision, because) := put_traced(ip, decision, because, [])

put_traced(ip, decision, because, trace) := {
	"id": "put-object", "action": "s3:PutObject", "resource": "arn:aws:s3:::b/p/x", "source_ip": ip,
	"decision": decision, "because": because, "reasons": [], "trace": trace,
}

# The IAM core's trace of statement doc-1 #0 on a request: it names the
# request, and its IP condition answered result.
names(result) := [{
	"doc": "doc-1", "index": 0, "sid": "Put", "line": 3, "effect": "Allow",
	"action": "true", "resource": "true", "principal": "", "principal_result": "", "result": result,
	"conditions": [{"index": 0, "result": result, "code": "compared", "text": ""}],
}]

test_hit_deny_notipaddress_names_the_missing_range if {
	b := [{"doc": "doc-1", "file": "f.json", "line": 4, "sid": "OnlyFromAllowedIPs", "effect": "Deny"}]
	inp := object.union(base, {
		"documents": [doc("bucket", deny_stmt)],
		"requests": [put("203.0.113.0/24", "allowed", []), put("198.51.100.0/24", "explicit_deny", b), put("2001:db8::/32", "explicit_deny", b)],
	})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	f.line == 9
	contains(f.message, "198.51.100.0/24, 2001:db8::/32")
	not contains(f.message, "range(s) 203.0.113.0/24")
}

test_hit_allow_ipaddress_partial_range if {
	inp := object.union(base, {
		"documents": [doc("identity", allow_stmt)],
		"requests": [
			put_traced("203.0.113.0/24", "implicit_deny", [], names("false")),
			put_traced("198.51.100.0/24", "implicit_deny", [], names("false")),
			put_traced("2001:db8::/32", "allowed", [], names("true")),
		],
	})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "203.0.113.0/24, 198.51.100.0/24")
	contains(f.message, "does not let through")
}

# reference_policies_elements_notaction.html: an Allow with NotAction grants
# every action it does not list, the upload included; the trace says so.
test_hit_allow_notaction_names_the_upload if {
	s := object.union(allow_stmt, {"action": null, "not_action": ["iam:*"], "resource": ["*"]})
	inp := object.union(base, {
		"documents": [doc("identity", s)],
		"requests": [
			put_traced("203.0.113.0/24", "implicit_deny", [], names("false")),
			put_traced("198.51.100.0/24", "implicit_deny", [], names("false")),
			put_traced("2001:db8::/32", "allowed", [], names("true")),
		],
	})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "does not let through")
}

test_near_miss_every_range_allowed if {
	inp := object.union(base, {
		"documents": [doc("identity", allow_stmt)],
		"requests": [
			put_traced("203.0.113.0/24", "allowed", [], names("true")),
			put_traced("198.51.100.0/24", "allowed", [], names("true")),
			put_traced("2001:db8::/32", "allowed", [], names("true")),
		],
	})
	count(rule.findings) == 0 with input as inp
}

test_near_miss_denied_for_another_reason if {
	# The statement does not name the upload (the trace leaves it out): its
	# condition is not why the upload is refused.
	other := object.union(allow_stmt, {"action": ["s3:GetObject"]})
	inp := object.union(base, {
		"documents": [doc("identity", other)],
		"requests": [put("203.0.113.0/24", "implicit_deny", []), put("198.51.100.0/24", "implicit_deny", []), put("2001:db8::/32", "implicit_deny", [])],
	})
	count(rule.findings) == 0 with input as inp
}

test_near_miss_ip_condition_holds_another_fails if {
	# The statement names the upload and its IP condition holds for every
	# range; another of its conditions refuses the upload.
	two := object.union(allow_stmt, {"condition": array.concat(allow_stmt.condition, [{"operator": "StringEquals", "op": {"valid": true, "base": "stringequals", "set": "", "if_exists": false, "negated": false}, "key": "sts:ExternalId", "key_lower": "sts:externalid", "values": ["x"], "line": 9}])})
	trace := [{
		"doc": "doc-1", "index": 0, "sid": "Put", "line": 3, "effect": "Allow",
		"action": "true", "resource": "true", "principal": "", "principal_result": "", "result": "false",
		"conditions": [{"index": 0, "result": "true", "code": "compared", "text": ""}, {"index": 1, "result": "false", "code": "key-absent", "text": ""}],
	}]
	inp := object.union(base, {
		"documents": [doc("identity", two)],
		"requests": [
			put_traced("203.0.113.0/24", "implicit_deny", [], trace),
			put_traced("198.51.100.0/24", "implicit_deny", [], trace),
			put_traced("2001:db8::/32", "implicit_deny", [], trace),
		],
	})
	count(rule.findings) == 0 with input as inp
}

test_near_miss_no_ranges_configured if {
	inp := object.union(base, {
		"setup": {"bucket": "b", "prefix": "p/", "vendor_ip_ranges": []},
		"documents": [doc("bucket", deny_stmt)],
		"requests": [put("", "unknown", [])],
	})
	count(rule.findings) == 0 with input as inp
}
