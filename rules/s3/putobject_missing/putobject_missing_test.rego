package smlint.rules.putobject_missing_test

import data.smlint.rules.putobject_missing
import rego.v1

base := {
	"setup": {"bucket": "b", "prefix": "p/"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": []}],
}

test_hit_when_put_is_implicitly_denied if {
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "implicit_deny", "principal": "arn:aws:iam::111122223333:role/r", "because": []}]})
	fs := putobject_missing.findings with input as inp
	count(fs) == 1
	some f in fs
	f.file == "policy.json"
	contains(f.message, "arn:aws:s3:::b/p/*")
}

test_near_miss_explicit_deny_is_another_rule if {
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "explicit_deny", "principal": "r", "because": []}]})
	count(putobject_missing.findings) == 0 with input as inp
}

test_near_miss_allowed if {
	inp := object.union(base, {"requests": [{"id": "put-object", "decision": "allowed", "principal": "r", "because": []}]})
	count(putobject_missing.findings) == 0 with input as inp
}

# The vendor writes PREFIX<name>, no further "/" (SPEC §1 "Upload key space").
sub_stmt := {
	"index": 0, "sid": "Sub", "line": 4, "effect": "Allow", "principal": null, "action": ["s3:PutObject"], "not_action": null,
	"resource": ["arn:aws:s3:::b/p/*/*"], "not_resource": null, "condition": [],
}

# The IAM core's trace of the upload for sub_stmt, stopped at stopped_at.
sub_input(stopped_at) := object.union(base, {
	"documents": [{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": [sub_stmt]}],
	"requests": [{
		"id": "put-object", "decision": "implicit_deny", "principal": "r", "resource": "arn:aws:s3:::b/p/\ufffe", "because": [],
		"trace": [{
			"doc": "doc-1", "index": 0, "sid": "Sub", "line": 4, "effect": "Allow", "action": "true",
			"resource": resource_result(stopped_at), "principal": "", "principal_result": "", "result": "false",
			"stopped_at": stopped_at, "conditions": [],
		}],
	}],
})

resource_result("resource") := "false"

resource_result(s) := "true" if s != "resource"

test_hit_subfolder_only_grant_is_named if {
	fs := putobject_missing.findings with input as sub_input("resource")
	count(fs) == 1
	some f in fs
	contains(f.message, "sub-folder")
	contains(f.message, "arn:aws:s3:::b/p/*/*")
}

# The same statement, its Resource matching the upload (a condition fails
# instead): no sub-folder hint.
test_near_miss_grant_matching_destination_is_not_a_subfolder if {
	fs := putobject_missing.findings with input as sub_input("condition")
	count(fs) == 1
	some f in fs
	not contains(f.message, "sub-folder")
}
