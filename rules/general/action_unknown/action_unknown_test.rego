package smlint.rules.action_unknown_test

import data.smlint.rules.action_unknown as rule
import rego.v1

inp(actions) := {"documents": [{"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": [{
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow",
	"action": actions, "not_action": null,
}]}]}

test_hit_typo if {
	fs := rule.findings with input as inp(["s3:PutObjects", "s3:ListBucket"])
	count(fs) == 1
	some f in fs
	f.line == 3
	contains(f.message, "did you mean s3:PutObject?")
}

test_hit_wildcard_matching_nothing if {
	fs := rule.findings with input as inp(["kms:Frobnicate*"])
	count(fs) == 1
}

test_hit_iam_typo if {
	fs := rule.findings with input as inp(["iam:PassRoles"])
	count(fs) == 1
	some f in fs
	contains(f.message, "did you mean iam:PassRole?")
}

# Actions the former hand-compiled list missed, used in AWS managed policies.
test_near_miss_actions_aws_uses_in_managed_policies if {
	count(rule.findings) == 0 with input as inp(["s3:GetBucketAbac", "sts:TagGetWebIdentityToken", "iam:PassRole", "iam:Get*"])
}

test_near_miss_real_actions_and_other_services if {
	count(rule.findings) == 0 with input as inp(["s3:PutObject", "S3:putobject", "kms:GenerateDataKey*", "sts:AssumeRole", "ec2:NotCatalogued", "*"])
}
