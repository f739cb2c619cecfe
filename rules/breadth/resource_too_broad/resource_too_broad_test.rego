package smlint.rules.resource_too_broad_test

import data.smlint.lib.testinput_test as testinput
import data.smlint.rules.resource_too_broad as rule
import rego.v1

# The facts are what internal/check/statement_facts.go computes for the
# actions and resources (its Go tests pin that computation); these tests pin
# which statements the rule reports and how.
no_facts := {"beyond_need": [], "extra_reads": [], "unknown_actions": [], "grants_s3": true, "s3_beyond_destination": [], "foreign_partition": []}

stmt(actions, resources, facts) := {
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow", "principal": null,
	"action": actions, "not_action": null, "resource": resources, "not_resource": null, "condition": [],
	"facts": object.union(no_facts, facts),
}

inp(kind, stmts) := {
	"setup": {"bucket": "b", "prefix": "p/", "role_arn": "arn:aws:iam::111122223333:role/r"},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r"},
	"principal": null,
	"documents": [testinput.indexed({"id": "doc-1", "kind": kind, "file": "policy.json", "line": 1, "statements": stmts})],
}

test_hit_star if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject"], ["*"], {"s3_beyond_destination": [{"resource": "*", "reaches": "other_buckets"}]})])
	count(fs) == 1
	some f in fs
	f.message == `identity policy statement "Upload" grants S3 actions on *, which reaches other buckets; the destination is only arn:aws:s3:::b and arn:aws:s3:::b/p/*`
}

test_hit_whole_bucket_with_prefix if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject"], ["arn:aws:s3:::b/*"], {"s3_beyond_destination": [{"resource": "arn:aws:s3:::b/*", "reaches": "outside_prefix"}]})])
	count(fs) == 1
	some f in fs
	contains(f.message, "on arn:aws:s3:::b/*, which reaches objects outside the prefix p/;")
}

test_hit_one_finding_per_resource if {
	reach := [{"resource": "*", "reaches": "other_buckets"}, {"resource": "arn:aws:s3:::b/*", "reaches": "outside_prefix"}]
	count(rule.findings) == 2 with input as inp("identity", [stmt(["s3:PutObject"], ["*", "arn:aws:s3:::b/*"], {"s3_beyond_destination": reach})])
}

test_hit_not_resource if {
	s := object.union(stmt(["s3:PutObject"], null, {}), {"not_resource": ["arn:aws:s3:::secret/*"]})
	fs := rule.findings with input as inp("identity", [s])
	count(fs) == 1
	some f in fs
	contains(f.message, "Allow with NotResource (arn:aws:s3:::secret/*)")
}

test_near_miss_not_resource_without_s3 if {
	s := object.union(stmt(["kms:Decrypt"], null, {"grants_s3": false}), {"not_resource": ["arn:aws:kms:*:*:key/other"]})
	count(rule.findings) == 0 with input as inp("identity", [s])
}

test_near_miss_exact_destination if {
	count(rule.findings) == 0 with input as inp("identity", [
		stmt(["s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::b/p/*"], {}),
		stmt(["s3:ListBucket", "s3:GetBucketLocation"], ["arn:aws:s3:::b"], {}),
	])
}

test_near_miss_bucket_policy_for_someone_else if {
	s := object.union(stmt(["s3:PutObject"], ["*"], {"s3_beyond_destination": [{"resource": "*", "reaches": "other_buckets"}]}), {"principal": {"aws": ["arn:aws:iam::999999999999:role/other"]}})
	count(rule.findings) == 0 with input as inp("bucket", [s])
}

test_near_miss_key_policy_star if {
	count(rule.findings) == 0 with input as inp("key", [stmt(["kms:*"], ["*"], {"grants_s3": false})])
}
