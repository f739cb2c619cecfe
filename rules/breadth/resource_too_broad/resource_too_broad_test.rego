package smlint.rules.resource_too_broad_test

import data.smlint.rules.resource_too_broad as rule
import rego.v1

stmt(actions, resources) := {
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow", "principal": null,
	"action": actions, "not_action": null, "resource": resources, "not_resource": null, "condition": [],
}

inp(kind, stmts) := {
	"setup": {"bucket": "b", "prefix": "p/", "role_arn": "arn:aws:iam::111122223333:role/r"},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": kind, "file": "policy.json", "line": 1, "statements": stmts}],
}

test_hit_star if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject"], ["*"])])
	count(fs) == 1
	some f in fs
	contains(f.message, "other buckets")
}

test_hit_whole_bucket_with_prefix if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject"], ["arn:aws:s3:::b/*"])])
	count(fs) == 1
	some f in fs
	contains(f.message, "outside the prefix p/")
}

test_hit_not_resource if {
	s := object.union(stmt(["s3:PutObject"], null), {"not_resource": ["arn:aws:s3:::secret/*"]})
	count(rule.findings) == 1 with input as inp("identity", [s])
}

test_near_miss_exact_destination if {
	count(rule.findings) == 0 with input as inp("identity", [
		stmt(["s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::b/p/*"]),
		stmt(["s3:ListBucket", "s3:GetBucketLocation"], ["arn:aws:s3:::b"]),
	])
}

test_near_miss_key_policy_star if {
	count(rule.findings) == 0 with input as inp("key", [stmt(["kms:*"], ["*"])])
}

test_near_miss_kms_statement_star if {
	count(rule.findings) == 0 with input as inp("identity", [stmt(["kms:GenerateDataKey"], ["*"])])
}
