package smlint.rules.trust_principal_wrong_test

import data.smlint.rules.trust_principal_wrong
import rego.v1

vendor := {
	"name": "supermetrics", "display_name": "Supermetrics",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
	"setup_guide_example_role_arn": "arn:aws:iam::043417694514:role/SupermetricsS3IntegrationRole",
}

principal(aws) := {"wildcard": false, "aws": aws, "service": [], "federated": [], "canonical_user": []}

stmt(p) := {"index": 0, "sid": "Trust", "line": 4, "effect": "Allow", "principal": p, "action": ["sts:AssumeRole"], "not_action": null, "condition": [], "facts": {"covers_assume": true, "assume_patterns": [{"action": "sts:AssumeRole", "also_grants": []}]}}

inp(stmts, decision) := {
	"setup": {"bucket": "b", "prefix": "", "external_id": ""},
	"vendor": vendor,
	"principal": null,
	"caller": {"type": "AssumedRole", "arn": "arn:aws:iam::111122223333:role/upload", "account": "111122223333"},
	"documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "unresolved": "", "statements": stmts}],
	"requests": [{"id": "assume-role", "decision": decision, "principal": vendor.principal_arn, "because": [], "reasons": []}],
}

message_for(aws) := f.message if {
	some f in trust_principal_wrong.findings with input as inp([stmt(principal([aws]))], "implicit_deny")
}

test_hit_other_account_same_name if {
	fs := trust_principal_wrong.findings with input as inp([stmt(principal(["arn:aws:iam::999988887777:role/supermetrics-s3-role"]))], "implicit_deny")
	count(fs) == 1
	some f in fs
	f.line == 4
	f.file == "trust.json"
	contains(f.message, "another account (999988887777)")
}

test_hit_typo if {
	contains(message_for("arn:aws:iam::043417694514:role/supermetrics-s3-rol"), "typo")
}

test_hit_user_instead_of_role if {
	contains(message_for("arn:aws:iam::043417694514:user/supermetrics-s3-role"), "IAM user")
}

test_hit_own_account_root if {
	contains(message_for("arn:aws:iam::111122223333:root"), "your own account")
}

test_hit_own_account_id if {
	contains(message_for("111122223333"), "your own account")
}

test_hit_own_account_role_with_vendor_name if {
	contains(message_for("arn:aws:iam::111122223333:role/supermetrics-s3-role"), "your own account")
}

test_hit_setup_guide_example if {
	contains(message_for("arn:aws:iam::043417694514:role/SupermetricsS3IntegrationRole"), "example ARN from the setup guide")
}

test_hit_bare_unique_id if {
	msg := message_for("AROA3XFRBF535PLBIFPI4")
	contains(msg, "deleted or recreated")
	contains(msg, "reference_policies_elements_principal.html")
}

test_hit_path if {
	contains(message_for("arn:aws:iam::043417694514:role/service-role/supermetrics-s3-role"), "path")
}

test_hit_other_account if {
	contains(message_for("arn:aws:iam::999988887777:root"), "is account 999988887777")
}

test_hit_service_principal if {
	p := {"wildcard": false, "aws": [], "service": ["ec2.amazonaws.com"], "federated": [], "canonical_user": []}
	some f in trust_principal_wrong.findings with input as inp([stmt(p)], "implicit_deny")
	contains(f.message, `{"Service": "ec2.amazonaws.com"} is a Service principal`)
}

test_hit_vendor_named_but_wrong_action if {
	s := object.union(stmt(principal([vendor.principal_arn])), {
		"action": ["sts:AssumeRoleWithWebIdentity"],
		"facts": {"covers_assume": false, "assume_patterns": []},
	})
	some f in trust_principal_wrong.findings with input as inp([s], "implicit_deny")
	contains(f.message, "allows sts:AssumeRoleWithWebIdentity, not sts:AssumeRole")
}

test_hit_no_allow_statement if {
	s := object.union(stmt(principal(["arn:aws:iam::999988887777:root"])), {"effect": "Deny"})
	fs := trust_principal_wrong.findings with input as inp([s], "implicit_deny")
	count(fs) == 1
	some f in fs
	f.line == 1
	contains(f.message, "no Allow statement")
}

test_hit_case_difference_when_unknown if {
	fs := trust_principal_wrong.findings with input as inp([stmt(principal(["arn:aws:iam::043417694514:role/Supermetrics-S3-Role"]))], "unknown")
	count(fs) == 1
	some f in fs
	contains(f.message, "only in letter case")
}

test_near_miss_vendor_statement_with_failing_condition if {
	s := object.union(stmt(principal([vendor.principal_arn])), {"condition": [{"operator": "StringEquals", "key": "sts:ExternalId", "key_lower": "sts:externalid", "values": ["x"], "line": 8}]})
	count(trust_principal_wrong.findings) == 0 with input as inp([s], "implicit_deny")
}

test_near_miss_vendor_account_root_allowed if {
	count(trust_principal_wrong.findings) == 0 with input as inp([stmt(principal(["arn:aws:iam::043417694514:root"]))], "allowed")
}

test_near_miss_explicit_deny if {
	count(trust_principal_wrong.findings) == 0 with input as inp([stmt(principal(["arn:aws:iam::999988887777:root"]))], "explicit_deny")
}

test_near_miss_unknown_without_case_typo if {
	count(trust_principal_wrong.findings) == 0 with input as inp([stmt(principal(["arn:aws:iam::999988887777:root"]))], "unknown")
}

# A role ARN whose resource holds a colon: the account and resource come
# whole from smlint.arn, so the account named is the ARN's fifth field.
test_near_miss_colon_in_resource if {
	v := "arn:aws:iam::999988887777:role/a:b"
	trust_principal_wrong.arn_account(v) == "999988887777"
	trust_principal_wrong.arn_resource(v) == "role/a:b"
	not trust_principal_wrong.arn_account("arn:aws:iam::999988887777")
}
