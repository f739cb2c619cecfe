package smlint.rules.trust_condition_blocks_test

import data.smlint.rules.trust_condition_blocks
import rego.v1

vendor := {
	"name": "supermetrics", "display_name": "Supermetrics",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
	"setup_guide_example_role_arn": "arn:aws:iam::043417694514:role/SupermetricsS3IntegrationRole",
}

vendor_principal := {"wildcard": false, "aws": [vendor.principal_arn], "service": [], "federated": [], "canonical_user": []}

stmt(conds) := {"index": 0, "sid": "Supermetrics", "line": 4, "effect": "Allow", "principal": vendor_principal, "action": ["sts:AssumeRole"], "not_action": null, "condition": conds, "facts": {"covers_assume": true, "assume_patterns": [{"action": "sts:AssumeRole", "also_grants": []}]}}

# The IAM core's trace of the vendor's statement (doc-1 #0) on the call:
# it names the call, and its conditions answered results, in order.
traced(results) := [{
	"doc": "doc-1", "index": 0, "sid": "Supermetrics", "line": 4, "effect": "Allow",
	"action": "true", "resource": "true", "principal": "direct", "principal_result": "true",
	"result": "false",
	"conditions": [{"index": i, "result": x, "code": "compared", "text": ""} | some i, x in results],
}]

inp(stmts, decision, external_id, source_ip) := inp_traced(stmts, decision, external_id, source_ip, [])

inp_traced(stmts, decision, external_id, source_ip, trace) := {
	"setup": {"bucket": "b", "prefix": "", "external_id": external_id},
	"vendor": vendor,
	"principal": null,
	"caller": {"type": "AssumedRole", "arn": "arn:aws:iam::111122223333:role/upload", "account": "111122223333"},
	"documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "version": "2012-10-17", "unresolved": "", "statements": stmts}],
	"requests": [{"id": "assume-role", "decision": decision, "principal": vendor.principal_arn, "source_ip": source_ip, "because": [], "reasons": [], "trace": trace}],
}

external_id_cond := {"operator": "StringEquals", "key": "sts:ExternalId", "key_lower": "sts:externalid", "values": ["abc-123"], "line": 9}

test_hit_external_id_not_sent if {
	fs := trust_condition_blocks.findings with input as inp_traced([stmt([external_id_cond])], "implicit_deny", "", "", traced(["false"]))
	count(fs) == 1
	some f in fs
	f.line == 9
	f.sid == "Supermetrics"
	contains(f.message, "sts:ExternalId")
	contains(f.message, "set vendor.external_id")
}

test_hit_external_id_differs if {
	some f in trust_condition_blocks.findings with input as inp_traced([stmt([external_id_cond])], "implicit_deny", "other", "", traced(["false"]))
	contains(f.message, "does not accept the configured external ID \"other\"")
}

test_hit_mfa if {
	c := {"operator": "Bool", "key": "aws:MultiFactorAuthPresent", "key_lower": "aws:multifactorauthpresent", "values": ["true"], "line": 0}
	some f in trust_condition_blocks.findings with input as inp_traced([stmt([c])], "implicit_deny", "", "", traced(["false"]))
	contains(f.message, "requires MFA")
	f.line == 4
}

test_hit_source_ip if {
	c := {"operator": "IpAddress", "key": "aws:SourceIp", "key_lower": "aws:sourceip", "values": ["198.51.100.0/24"], "line": 10}
	some f in trust_condition_blocks.findings with input as inp_traced([stmt([c])], "implicit_deny", "", "203.0.113.0/24", traced(["false"]))
	contains(f.message, "203.0.113.0/24")
}

test_hit_other_condition if {
	c := {"operator": "StringEquals", "key": "aws:PrincipalAccount", "key_lower": "aws:principalaccount", "values": ["111122223333"], "line": 11}
	some f in trust_condition_blocks.findings with input as inp_traced([stmt([c])], "implicit_deny", "", "", traced(["false"]))
	contains(f.message, "aws:PrincipalAccount")
	contains(f.message, "is false for")
}

test_hit_second_condition_only if {
	# Only the condition the core answered false is named.
	c := {"operator": "Bool", "key": "aws:SecureTransport", "key_lower": "aws:securetransport", "values": ["true"], "line": 8}
	fs := trust_condition_blocks.findings with input as inp_traced([stmt([c, external_id_cond])], "implicit_deny", "", "", traced(["true", "false"]))
	count(fs) == 1
	some f in fs
	f.line == 9
}

test_near_miss_undecided_condition if {
	# The session name is the vendor's choice: a pattern may or may not
	# match it (the core answers maybe), so it is not named as a blocker.
	c := {"operator": "StringLike", "key": "sts:RoleSessionName", "key_lower": "sts:rolesessionname", "values": ["supermetrics-*"], "line": 11}
	count(trust_condition_blocks.findings) == 0 with input as inp_traced([stmt([c])], "implicit_deny", "", "", traced(["maybe"]))
}

test_hit_explicit_deny if {
	b := {"file": "trust.json", "line": 12, "sid": "DenyAll", "effect": "Deny", "kind": "trust", "name": ""}
	i := inp([stmt([])], "explicit_deny", "", "")
	fs := trust_condition_blocks.findings with input as object.union(i, {"requests": [object.union(i.requests[0], {"because": [b]})]})
	count(fs) == 1
	some f in fs
	f.line == 12
	contains(f.message, "explicit Deny")
}

test_near_miss_external_id_configured if {
	count(trust_condition_blocks.findings) == 0 with input as inp_traced([stmt([external_id_cond])], "allowed", "abc-123", "", traced(["true"]))
}

test_near_miss_wrong_principal_is_another_rule if {
	# The statement does not name the vendor: the core's trace leaves it out.
	s := object.union(stmt([external_id_cond]), {"principal": {"wildcard": false, "aws": ["arn:aws:iam::999988887777:root"], "service": [], "federated": [], "canonical_user": []}})
	count(trust_condition_blocks.findings) == 0 with input as inp([s], "implicit_deny", "", "")
}

test_near_miss_secure_transport_condition_holds if {
	c := {"operator": "Bool", "key": "aws:SecureTransport", "key_lower": "aws:securetransport", "values": ["true"], "line": 0}
	count(trust_condition_blocks.findings) == 0 with input as inp_traced([stmt([c])], "implicit_deny", "", "", traced(["true"]))
}
