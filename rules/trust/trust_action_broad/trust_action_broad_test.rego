package smlint.rules.trust_action_broad_test

import data.smlint.rules.trust_action_broad
import rego.v1

vendor := {
	"display_name": "Supermetrics",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
}

principal(aws) := {"wildcard": false, "aws": aws, "service": [], "federated": [], "canonical_user": []}

stmt(aws, action, not_action) := {"index": 0, "sid": "", "line": 5, "effect": "Allow", "principal": principal(aws), "action": action, "not_action": not_action, "condition": []}

inp(s) := {"vendor": vendor, "documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "statements": [s]}]}

test_hit_sts_star if {
	fs := trust_action_broad.findings with input as inp(stmt([vendor.principal_arn], ["sts:*"], null))
	count(fs) == 1
	some f in fs
	f.line == 5
	contains(f.message, "sts:AssumeRoleWithSAML")
}

test_hit_star_for_vendor_account if {
	count(trust_action_broad.findings) == 1 with input as inp(stmt(["043417694514"], ["*"], null))
}

test_hit_assume_role_prefix_wildcard if {
	count(trust_action_broad.findings) == 1 with input as inp(stmt([vendor.principal_arn], ["sts:AssumeRole*"], null))
}

test_hit_not_action if {
	some f in trust_action_broad.findings with input as inp(stmt([vendor.principal_arn], null, ["iam:*"]))
	contains(f.message, "NotAction")
}

test_near_miss_exact_assume_role if {
	count(trust_action_broad.findings) == 0 with input as inp(stmt([vendor.principal_arn], ["sts:AssumeRole", "sts:TagSession"], null))
}

test_near_miss_other_principal if {
	count(trust_action_broad.findings) == 0 with input as inp(stmt(["arn:aws:iam::999988887777:root"], ["sts:*"], null))
}
