package smlint.rules.deleteobject_missing_test

import data.smlint.rules.deleteobject_missing
import rego.v1

base := {
	"setup": {"bucket": "b", "prefix": "p/"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": []}],
}

req(decision, because) := {"id": "delete-object", "action": "s3:DeleteObject", "decision": decision, "principal": "r", "because": because, "reasons": []}

test_hit_delete_not_allowed if {
	inp := object.union(base, {"requests": [req("implicit_deny", [])]})
	fs := deleteobject_missing.findings with input as inp
	count(fs) == 1
	some f in fs
	f.file == "policy.json"
	contains(f.message, "arn:aws:s3:::b/p/*")
	contains(f.message, "test")
}

test_hit_delete_explicitly_denied if {
	inp := object.union(base, {"requests": [req("explicit_deny", [{"file": "bucket.json", "line": 4, "sid": "NoDeletes", "effect": "Deny", "kind": "bucket", "name": ""}])]})
	some f in deleteobject_missing.findings with input as inp
	f.line == 4
	f.sid == "NoDeletes"
}

test_near_miss_delete_allowed if {
	inp := object.union(base, {"requests": [
		req("allowed", []),
		{"id": "put-object", "action": "s3:PutObject", "decision": "implicit_deny", "principal": "r", "because": [], "reasons": []},
	]})
	count(deleteobject_missing.findings) == 0 with input as inp
}
