package smlint.rules.action_too_broad_test

import data.smlint.lib.testinput_test as testinput
import data.smlint.rules.action_too_broad as rule
import rego.v1

# The facts are what internal/check/statement_facts.go computes for the
# actions (its Go tests pin that computation); these tests pin which
# statements the rule reports and how.
no_facts := {"beyond_need": [], "extra_reads": [], "unknown_actions": [], "grants_s3": true, "s3_beyond_destination": [], "foreign_partition": []}

stmt(actions, facts) := {
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow", "principal": null,
	"action": actions, "not_action": null, "resource": ["arn:aws:s3:::b/*"], "not_resource": null, "condition": [],
	"facts": object.union(no_facts, facts),
}

inp(kind, stmts) := {
	"setup": {"bucket": "b", "prefix": "", "role_arn": "arn:aws:iam::111122223333:role/r"},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r"},
	"principal": null,
	"documents": [testinput.indexed({"id": "doc-1", "kind": kind, "file": "policy.json", "line": 1, "statements": stmts})],
}

s3_star := {"action": "s3:*", "examples": ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock"], "only_itself": false}

test_hit_s3_star if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:*"], {"beyond_need": [s3_star]})])
	count(fs) == 1
	some f in fs
	f.message == `identity policy statement "Upload" allows more than uploading needs: s3:* (e.g. s3:DeleteBucket, s3:PutBucketPolicy, s3:DeleteBucketPolicy)`
}

test_hit_iam_and_acl_single_actions_listed_bare if {
	beyond := [
		{"action": "iam:PassRole", "examples": ["iam:PassRole"], "only_itself": true},
		{"action": "s3:PutObjectAcl", "examples": ["s3:PutObjectAcl"], "only_itself": true},
	]
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:PutObjectAcl", "iam:PassRole"], {"beyond_need": beyond})])
	count(fs) == 1
	some f in fs
	endswith(f.message, "allows more than uploading needs: iam:PassRole; s3:PutObjectAcl")
}

test_hit_not_action if {
	s := object.union(stmt(null, {}), {"not_action": ["iam:*"]})
	fs := rule.findings with input as inp("identity", [s])
	count(fs) == 1
	some f in fs
	contains(f.message, "Allow with NotAction (iam:*)")
}

test_near_miss_exact_actions if {
	count(rule.findings) == 0 with input as inp("identity", [stmt(["s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation", "kms:GenerateDataKey", "kms:Decrypt"], {})])
}

test_near_miss_deny_beyond_need if {
	s := object.union(stmt(["s3:*"], {"beyond_need": [s3_star]}), {"effect": "Deny"})
	count(rule.findings) == 0 with input as inp("identity", [s])
}

test_near_miss_key_policy if {
	kms := {"action": "kms:*", "examples": ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"], "only_itself": false}
	count(rule.findings) == 0 with input as inp("key", [stmt(["kms:*"], {"beyond_need": [kms]})])
}

test_near_miss_bucket_policy_for_someone_else if {
	s := object.union(stmt(["s3:*"], {"beyond_need": [s3_star]}), {"principal": {"aws": ["arn:aws:iam::999999999999:role/other"]}})
	count(rule.findings) == 0 with input as inp("bucket", [s])
}

test_hit_bucket_policy_for_the_role if {
	s := object.union(stmt(["s3:*"], {"beyond_need": [s3_star]}), {"principal": {"aws": ["arn:aws:iam::111122223333:role/r"]}})
	count(rule.findings) == 1 with input as inp("bucket", [s])
}

# SPEC §5: an extra read such as s3:GetObject on the destination is at most info.
test_near_miss_extra_getobject_is_info if {
	reads := [{"action": "s3:GetObject", "examples": ["s3:GetObject"], "only_itself": true}]
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:GetObject"], {"extra_reads": reads})])
	count(fs) == 1
	every f in fs {
		f.severity == "info"
		endswith(f.message, "also allows reading objects, which uploading does not need: s3:GetObject")
	}
}

test_hit_get_star_with_bucket_policy_rights_is_warning if {
	beyond := [{"action": "s3:PutBucketPolicy", "examples": ["s3:PutBucketPolicy"], "only_itself": true}]
	reads := [{"action": "s3:Get*", "examples": ["s3:GetObject", "s3:GetObjectVersion"], "only_itself": false}]
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:Get*", "s3:PutBucketPolicy"], {"beyond_need": beyond, "extra_reads": reads})])
	count(fs) == 1
	every f in fs {
		not f.severity == "info"
		contains(f.message, "s3:PutBucketPolicy")
	}
}
