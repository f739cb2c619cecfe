package smlint.rules.kms_gap_test

import data.smlint.rules.kms_gap as rule
import rego.v1

key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

role := "arn:aws:iam::111122223333:role/supermetrics-upload"

admin_only := {
	"index": 0, "sid": "KeyAdmins", "line": 4, "effect": "Allow",
	"principal": {"aws": ["arn:aws:iam::111122223333:role/admin"]},
	"action": ["kms:*"], "not_action": null, "resource": ["*"], "condition": [],
}

root_stmt := {
	"index": 1, "sid": "Enable IAM policies", "line": 12, "effect": "Allow",
	"principal": {"aws": ["arn:aws:iam::111122223333:root"]},
	"action": ["kms:*"], "not_action": null, "resource": ["*"], "condition": [],
}

identity_gdk := {
	"index": 0, "sid": "Kms", "line": 3, "effect": "Allow", "principal": null,
	"action": ["kms:GenerateDataKey"], "not_action": null, "resource": [key], "condition": [],
}

inp(key_stmts, id_stmts, decisions) := {
	"setup": {"bucket": "b", "prefix": "p/", "region": "eu-west-1", "role_arn": role},
	"caller": {"arn": role, "account": "111122223333"},
	"principal": null,
	"sse_kms": {"applies": true, "key_arn": key, "source": "config", "bucket_key": false},
	"documents": [
		{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": id_stmts},
		{"id": "doc-2", "kind": "key", "file": "key-policy.json", "line": 1, "statements": key_stmts},
	],
	"requests": [
		{"id": "kms-generate-data-key", "action": "kms:GenerateDataKey", "principal": role, "decision": decisions[0], "because": []},
		{"id": "kms-decrypt", "action": "kms:Decrypt", "principal": role, "decision": decisions[1], "because": []},
	],
}

# traced(doc, s, principal, stopped_at, conditions) is the IAM core's trace
# entry of statement s of document doc for a KMS request.
traced(doc, s, principal, stopped_at, conditions) := {
	"doc": doc, "index": s.index, "sid": s.sid, "line": s.line, "effect": s.effect,
	"action": "true", "resource": "true", "principal": principal, "principal_result": principal_result(principal),
	"result": trace_result(stopped_at), "stopped_at": stopped_at, "conditions": conditions,
}

principal_result("") := ""

principal_result("none") := "false"

principal_result(p) := "true" if not p in {"", "none"}

trace_result("") := "true"

trace_result(s) := "false" if s != ""

# with_trace gives request n (0 GenerateDataKey, 1 Decrypt) its trace.
with_trace(i, n, entries) := json.patch(i, [{"op": "add", "path": sprintf("/requests/%d/trace", [n]), "value": entries}])

test_hit_no_root_statement if {
	d := {"key_policy_direct": "implicit_deny", "key_policy_delegates": "implicit_deny", "identity": "allowed", "grant": ""}
	fs := rule.findings with input as with_detail(inp([admin_only], [identity_gdk], ["implicit_deny", "implicit_deny"]), d)
	count(fs) == 2
	some f in fs
	f.severity == "error"
	contains(f.message, "Enable IAM User Permissions")
	f.file == "key-policy.json"
	some g in fs
	g.severity == "warning"
	contains(g.message, "multipart")
}

# key-policy-default.html: the account-root statement delegates to IAM, and
# no identity statement allows kms:Decrypt.
test_hit_decrypt_missing_in_identity if {
	d := {"key_policy_direct": "implicit_deny", "key_policy_delegates": "allowed", "identity": "implicit_deny", "grant": ""}
	i := with_trace(with_detail(inp([root_stmt], [identity_gdk], ["allowed", "implicit_deny"]), d), 1, [traced("doc-2", root_stmt, "account", "", [])])
	fs := rule.findings with input as i
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.message, "(account-root statement) but no identity policy")
	f.file == "policy.json"
}

# An identity statement allows kms:Decrypt, but not on this key (the trace
# stops at its Resource): the key policy still delegates, the message does
# not claim that no identity statement names the action.
test_near_miss_identity_statement_for_another_key if {
	d := {"key_policy_direct": "implicit_deny", "key_policy_delegates": "allowed", "identity": "implicit_deny", "grant": ""}
	other := object.union(identity_gdk, {"action": ["kms:Decrypt"], "resource": ["arn:aws:kms:eu-west-1:111122223333:key/other"]})
	entries := [traced("doc-2", root_stmt, "account", "", []), object.union(traced("doc-1", other, "", "resource", []), {"resource": "false"})]
	fs := rule.findings with input as with_trace(with_detail(inp([root_stmt], [other], ["allowed", "implicit_deny"]), d), 1, entries)
	count(fs) == 1
	some f in fs
	not contains(f.message, "account-root statement")
	contains(f.message, "delegates to IAM but no identity policy")
}

bucket_key_cond := object.union(identity_gdk, {
	"action": ["kms:GenerateDataKey", "kms:Decrypt"],
	"condition": [{"operator": "StringLike", "key": "kms:EncryptionContext:aws:s3:arn", "key_lower": "kms:encryptioncontext:aws:s3:arn", "values": ["arn:aws:s3:::b/p/*"], "line": 9}],
})

# bucket-key.html: with Bucket Keys the context is the bucket ARN; the IAM
# core found the condition false for both calls.
bucket_key_input(result, stopped_at) := i if {
	d := {"key_policy_direct": "implicit_deny", "key_policy_delegates": "allowed", "identity": "implicit_deny", "grant": ""}
	conds := [{"index": 0, "result": result, "code": "compared", "text": ""}]
	entries := [traced("doc-2", root_stmt, "account", "", []), traced("doc-1", bucket_key_cond, "", stopped_at, conds)]
	base := with_detail(inp([root_stmt], [bucket_key_cond], ["implicit_deny", "implicit_deny"]), d)
	i := json.patch(with_trace(with_trace(base, 0, entries), 1, entries), [{"op": "replace", "path": "/sse_kms/bucket_key", "value": true}])
}

test_hit_bucket_key_context if {
	fs := rule.findings with input as bucket_key_input("false", "condition")
	count(fs) == 2
	some f in fs
	f.line == 9
	contains(f.message, "Bucket Keys")
}

# The same condition, met for the call (the identity side refuses for
# another reason, a permissions boundary say): the KMS condition is not blamed.
test_near_miss_met_kms_condition_not_blamed if {
	fs := rule.findings with input as bucket_key_input("true", "")
	count(fs) == 2
	every f in fs {
		not contains(f.message, "is not met")
		contains(f.message, "no identity policy")
	}
}

test_near_miss_both_allowed if {
	count(rule.findings) == 0 with input as inp([root_stmt], [identity_gdk], ["allowed", "allowed"])
}

test_near_miss_kms_not_in_play if {
	i := json.patch(inp([admin_only], [], ["implicit_deny", "implicit_deny"]), [{"op": "replace", "path": "/sse_kms/applies", "value": false}])
	count(rule.findings) == 0 with input as i
}

test_near_miss_unknown_is_another_rule if {
	count(rule.findings) == 0 with input as inp([], [], ["unknown", "unknown"])
}

# The IAM core's answers per policy (requests[].kms) decide whom to blame.
with_detail(i, d) := json.patch(i, [
	{"op": "add", "path": "/requests/0/kms", "value": d},
	{"op": "add", "path": "/requests/1/kms", "value": d},
])

via_service := object.union(identity_gdk, {
	"action": ["kms:GenerateDataKey", "kms:Decrypt"],
	"condition": [{"operator": "StringEquals", "key": "kms:ViaService", "key_lower": "kms:viaservice", "values": ["s3.eu-west-1.amazonaws.com"], "line": 7}],
})

# key-policy-default.html: without the account-principal statement IAM
# policies are ineffective; the identity policy's kms:ViaService condition is
# met (S3 in eu-west-1) and must not be blamed.
test_hit_key_policy_blamed_not_met_condition if {
	d := {"key_policy_direct": "implicit_deny", "key_policy_delegates": "implicit_deny", "identity": "allowed", "grant": ""}
	fs := rule.findings with input as with_detail(inp([admin_only], [via_service], ["implicit_deny", "implicit_deny"]), d)
	count(fs) == 2
	every f in fs {
		contains(f.message, "neither grants")
		not contains(f.message, "ViaService")
		not contains(f.message, "fail fail")
		f.file == "key-policy.json"
	}
}

# key-policy-modifying-external-accounts.html: the key policy names the role,
# but across accounts the identity policy must allow too.
test_hit_cross_account_identity_missing if {
	d := {"key_policy_direct": "allowed", "key_policy_delegates": "allowed", "identity": "implicit_deny", "grant": ""}
	i := json.patch(with_detail(inp([admin_only], [], ["implicit_deny", "implicit_deny"]), d), [
		{"op": "add", "path": "/sse_kms/cross_account", "value": true},
		{"op": "add", "path": "/sse_kms/key_account", "value": "444455556666"},
	])
	fs := rule.findings with input as i
	count(fs) == 2
	every f in fs {
		contains(f.message, "across accounts")
		contains(f.message, "444455556666")
	}
}

test_near_miss_region_reported_by_key_mismatch if {
	d := {"key_policy_direct": "allowed", "key_policy_delegates": "allowed", "identity": "allowed", "grant": ""}
	i := json.patch(with_detail(inp([root_stmt], [identity_gdk], ["implicit_deny", "implicit_deny"]), d), [
		{"op": "add", "path": "/sse_kms/refused", "value": "region"},
	])
	count(rule.findings) == 0 with input as i
}

# The key's account is the ARN's fifth field even when the alias holds a colon.
test_near_miss_key_account_colon_in_resource if {
	rule.key_account == "444455556666" with input as {"sse_kms": {"key_arn": "arn:aws:kms:eu-west-1:444455556666:alias/a:b"}, "caller": {"account": "111122223333"}}
}
