package smlint.rules.putobject_denied_test

import data.smlint.rules.putobject_denied
import rego.v1

base := {
	"setup": {"bucket": "b", "prefix": "p/"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": []}],
}

deny_because := {
	"doc": "doc-1", "file": "bucket-policy.json", "line": 7, "sid": "RequireBucketOwnerFullControl",
	"effect": "Deny", "kind": "bucket", "name": "bucket policy",
}

test_hit_bucket_policy_deny if {
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "explicit_deny", "principal": "r", "because": [deny_because], "reasons": []}]})
	fs := putobject_denied.findings with input as inp
	count(fs) == 1
	some f in fs
	f.file == "bucket-policy.json"
	f.line == 7
	f.sid == "RequireBucketOwnerFullControl"
	contains(f.message, "bucket policy")
	contains(f.message, "arn:aws:s3:::b/p/*")
}

test_hit_identity_deny_names_the_policy if {
	b := object.union(deny_because, {"kind": "identity", "name": "inline policy guard of role/r", "file": "guard.json", "sid": ""})
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "explicit_deny", "principal": "r", "because": [b], "reasons": []}]})
	some f in putobject_denied.findings with input as inp
	contains(f.message, "permission policy \"inline policy guard of role/r\"")
	contains(f.message, "a statement without Sid")
}

test_hit_scp_without_allow if {
	inp := object.union(base, {
		"documents": [{"id": "doc-2", "kind": "scp", "file": "scp.json", "line": 1, "statements": []}],
		"requests": [{"id": "put-object", "decision": "explicit_deny", "principal": "r", "because": [], "reasons": [{"code": "scp-no-allow", "kind": "scp", "text": "no SCP allows s3:PutObject"}]}],
	})
	some f in putobject_denied.findings with input as inp
	f.file == "scp.json"
	contains(f.message, "no SCP allows")
}

test_near_miss_implicit_deny_is_putobject_missing if {
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "implicit_deny", "principal": "r", "because": [], "reasons": []}]})
	count(putobject_denied.findings) == 0 with input as inp
}

test_near_miss_other_request_denied if {
	inp := object.union(base, {"requests": [
		{"id": "put-object", "decision": "allowed", "principal": "r", "because": [], "reasons": []},
		{"id": "delete-object", "decision": "explicit_deny", "principal": "r", "because": [deny_because], "reasons": []},
	]})
	count(putobject_denied.findings) == 0 with input as inp
}
