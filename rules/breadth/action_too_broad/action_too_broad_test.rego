package smlint.rules.action_too_broad_test

import data.smlint.rules.action_too_broad as rule
import rego.v1

stmt(actions) := {
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow", "principal": null,
	"action": actions, "not_action": null, "resource": ["arn:aws:s3:::b/*"], "not_resource": null, "condition": [],
}

inp(kind, stmts) := {
	"setup": {"bucket": "b", "prefix": "", "role_arn": "arn:aws:iam::111122223333:role/r"},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r"},
	"principal": null,
	"documents": [{"id": "doc-1", "kind": kind, "file": "policy.json", "line": 1, "statements": stmts}],
}

test_hit_s3_star if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:*"])])
	count(fs) == 1
	some f in fs
	contains(f.message, "s3:DeleteBucket")
}

test_hit_iam_and_acl if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:PutObjectAcl", "iam:PassRole"])])
	count(fs) == 1
	some f in fs
	contains(f.message, "iam:PassRole")
	contains(f.message, "s3:PutObjectAcl")
}

test_hit_not_action if {
	s := object.union(stmt(null), {"not_action": ["iam:*"]})
	count(rule.findings) == 1 with input as inp("identity", [s])
}

test_near_miss_exact_actions if {
	count(rule.findings) == 0 with input as inp("identity", [stmt(["s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation", "kms:GenerateDataKey", "kms:Decrypt"])])
}

test_near_miss_narrow_wildcard if {
	count(rule.findings) == 0 with input as inp("identity", [stmt(["s3:List*", "s3:GetBucketLocation"])])
}

test_near_miss_key_policy if {
	count(rule.findings) == 0 with input as inp("key", [stmt(["kms:*"])])
}

# SPEC §5: an extra read such as s3:GetObject on the destination is at most info.
test_near_miss_extra_getobject_is_info if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:GetObject"])])
	count(fs) == 1
	every f in fs {
		f.severity == "info"
		contains(f.message, "s3:GetObject")
	}
}

test_hit_get_star_with_bucket_policy_rights_is_warning if {
	fs := rule.findings with input as inp("identity", [stmt(["s3:PutObject", "s3:Get*", "s3:PutBucketPolicy"])])
	count(fs) == 1
	every f in fs {
		not f.severity == "info"
		contains(f.message, "s3:PutBucketPolicy")
	}
}
