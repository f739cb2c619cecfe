package smlint.rules.bucket_actions_missing_test

import data.smlint.rules.bucket_actions_missing
import rego.v1

base := {
	"setup": {"bucket": "b", "prefix": "p/"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": []}],
}

req(id, action, decision) := {"id": id, "action": action, "decision": decision, "principal": "arn:aws:iam::111122223333:role/r", "because": [], "reasons": []}

test_hit_list_bucket_missing_names_it if {
	inp := object.union(base, {"requests": [
		req("list-bucket", "s3:ListBucket", "implicit_deny"),
		req("get-bucket-location", "s3:GetBucketLocation", "allowed"),
	]})
	fs := bucket_actions_missing.findings with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "s3:ListBucket on arn:aws:s3:::b ")
	f.file == "policy.json"
}

test_hit_both_missing if {
	inp := object.union(base, {"requests": [
		req("list-bucket", "s3:ListBucket", "implicit_deny"),
		req("get-bucket-location", "s3:GetBucketLocation", "implicit_deny"),
	]})
	count(bucket_actions_missing.findings) == 2 with input as inp
}

test_hit_explicit_deny_points_at_statement if {
	r := object.union(req("get-bucket-location", "s3:GetBucketLocation", "explicit_deny"), {"because": [{"file": "bucket.json", "line": 9, "sid": "DenyAll", "effect": "Deny", "kind": "bucket", "name": ""}]})
	inp := object.union(base, {"requests": [r]})
	some f in bucket_actions_missing.findings with input as inp
	f.file == "bucket.json"
	f.line == 9
	contains(f.message, "explicitly denied by statement \"DenyAll\"")
}

test_near_miss_both_allowed if {
	inp := object.union(base, {"requests": [
		req("list-bucket", "s3:ListBucket", "allowed"),
		req("get-bucket-location", "s3:GetBucketLocation", "allowed"),
		req("delete-object", "s3:DeleteObject", "implicit_deny"),
	]})
	count(bucket_actions_missing.findings) == 0 with input as inp
}

test_near_miss_unknown_is_not_a_finding if {
	inp := object.union(base, {"requests": [req("list-bucket", "s3:ListBucket", "unknown")]})
	count(bucket_actions_missing.findings) == 0 with input as inp
}
