package smlint.rules.trust_action_broad_test

import data.smlint.rules.trust_action_broad
import rego.v1

vendor := {
	"display_name": "Supermetrics",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
}

principal(aws) := {"wildcard": false, "aws": aws, "service": [], "federated": [], "canonical_user": []}

# stmt(aws, action, not_action, patterns): patterns are the statement's
# assume_patterns fact as Go computes it (internal/check TestAssumeFacts).
stmt(aws, action, not_action, patterns) := {
	"index": 0, "sid": "", "line": 5, "effect": "Allow", "principal": principal(aws), "action": action,
	"not_action": not_action, "condition": [], "facts": {"covers_assume": true, "assume_patterns": patterns},
}

all_other := ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]

inp(s) := {"vendor": vendor, "documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "statements": [s]}]}

test_hit_sts_star if {
	fs := trust_action_broad.findings with input as inp(stmt([vendor.principal_arn], ["sts:*"], null, [{"action": "sts:*", "also_grants": all_other}]))
	count(fs) == 1
	some f in fs
	f.line == 5
	contains(f.message, "sts:AssumeRoleWithSAML")
}

test_hit_star_for_vendor_account if {
	count(trust_action_broad.findings) == 1 with input as inp(stmt(["043417694514"], ["*"], null, [{"action": "*", "also_grants": all_other}]))
}

test_hit_assume_role_prefix_wildcard if {
	count(trust_action_broad.findings) == 1 with input as inp(stmt([vendor.principal_arn], ["sts:AssumeRole*"], null, [{"action": "sts:AssumeRole*", "also_grants": ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]}]))
}

test_hit_not_action if {
	some f in trust_action_broad.findings with input as inp(stmt([vendor.principal_arn], null, ["iam:*"], []))
	contains(f.message, "NotAction")
}

test_near_miss_exact_assume_role if {
	count(trust_action_broad.findings) == 0 with input as inp(stmt([vendor.principal_arn], ["sts:AssumeRole", "sts:TagSession"], null, [{"action": "sts:AssumeRole", "also_grants": []}]))
}

test_near_miss_other_principal if {
	count(trust_action_broad.findings) == 0 with input as inp(stmt(["arn:aws:iam::999988887777:root"], ["sts:*"], null, [{"action": "sts:*", "also_grants": all_other}]))
}
