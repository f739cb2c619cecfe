package smlint.rules.trust_too_broad_test

import data.smlint.rules.trust_too_broad
import rego.v1

# input.trust_outsiders is computed in Go (internal/check/outsiders.go) by
# evaluating the trust for outsider probes; these tests feed it directly.

vendor := {
	"display_name": "Supermetrics", "partition": "aws",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
}

principal(wildcard, aws) := {"wildcard": wildcard, "aws": aws, "service": [], "federated": [], "canonical_user": []}

stmt(p, conds) := {"index": 0, "sid": "Trust", "line": 3, "effect": "Allow", "principal": p, "action": ["sts:AssumeRole"], "not_action": null, "condition": conds, "facts": {"covers_assume": true, "assume_patterns": [{"action": "sts:AssumeRole", "also_grants": []}]}}

loc := {"file": "trust.json", "line": 3, "sid": "Trust"}

outsider(kind, desc, vendor_account, decision) := {
	"kind": kind, "description": desc, "principal_arn": "arn:aws:iam::210987654321:role/supermetrics-s3-role",
	"account": "210987654321", "vendor_account": vendor_account, "decision": decision,
	"chosen": [], "chosen_external_id": false, "reasons": [], "statements": [loc],
}

same_name := outsider("same-role-name-other-account", "a role named supermetrics-s3-role in any AWS account", false, "allowed")

any_role := outsider("role-other-account", "any role in any AWS account", false, "allowed")

any_user := outsider("user-other-account", "any IAM user in any AWS account", false, "allowed")

vendor_role := outsider("vendor-account-role", "other roles in Supermetrics' account (043417694514)", true, "allowed")

vendor_user := outsider("vendor-account-user", "IAM users in Supermetrics' account (043417694514)", true, "allowed")

inp(s, os) := {
	"vendor": vendor,
	"documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "unresolved": "", "statements": [s]}],
	"trust_outsiders": os,
}

star_arn_like := stmt(principal(false, ["*"]), [{"operator": "StringLike", "key": "aws:PrincipalArn", "key_lower": "aws:principalarn", "values": ["arn:aws:iam::*:role/supermetrics-s3-role"], "line": 7}])

test_hit_same_role_name_any_account_is_error if {
	fs := trust_too_broad.findings with input as inp(star_arn_like, [same_name])
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 3
	f.sid == "Trust"
	contains(f.message, "a role named supermetrics-s3-role in any AWS account can assume this role")
	contains(f.message, "names any AWS principal")
}

test_hit_any_role_and_user_summarised if {
	s := stmt(principal(true, []), [])
	some f in trust_too_broad.findings with input as inp(s, [same_name, any_role, any_user, vendor_role, vendor_user])
	not f.severity
	contains(f.message, "every role and IAM user in any AWS account can assume this role")
}

test_hit_external_id_is_not_a_secret if {
	o := object.union(any_role, {"chosen": ["sts:ExternalId=abc"], "chosen_external_id": true})
	s := stmt(principal(false, ["*"]), [{"operator": "StringEquals", "key": "sts:ExternalId", "key_lower": "sts:externalid", "values": ["abc"], "line": 7}])
	some f in trust_too_broad.findings with input as inp(s, [o])
	contains(f.message, "sts:ExternalId=abc")
	contains(f.message, "an external ID is not a secret")
}

# A chosen value that is not an external ID (a role session name) is no
# secret either, but the note is about external IDs only.
test_near_miss_chosen_session_name_no_external_id_note if {
	o := object.union(any_role, {"chosen": ["sts:RoleSessionName=abc"]})
	s := stmt(principal(false, ["*"]), [{"operator": "StringEquals", "key": "sts:RoleSessionName", "key_lower": "sts:rolesessionname", "values": ["abc"], "line": 7}])
	some f in trust_too_broad.findings with input as inp(s, [o])
	contains(f.message, "sts:RoleSessionName=abc")
	not contains(f.message, "an external ID is not a secret")
}

test_hit_vendor_account_only_is_warning if {
	s := stmt(principal(false, ["arn:aws:iam::043417694514:root"]), [])
	fs := trust_too_broad.findings with input as inp(s, [vendor_role, vendor_user])
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.message, "whole account (arn:aws:iam::043417694514:root)")
	contains(f.message, "other roles in Supermetrics' account")
}

test_hit_mixed_vendor_and_other_account_is_error if {
	fs := trust_too_broad.findings with input as inp(star_arn_like, [vendor_role, same_name])
	count(fs) == 1
	some f in fs
	not f.severity
}

test_hit_possible_outsider_says_so if {
	o := object.union(any_role, {"decision": "unknown", "reasons": [{"code": "key-value-unknown", "kind": "condition", "text": "condition key aws:SourceIp has no known value"}]})
	some f in trust_too_broad.findings with input as inp(stmt(principal(true, []), []), [o])
	not f.severity
	contains(f.message, "any role in any AWS account may be able to assume this role")
	contains(f.message, "cannot rule it out: condition key aws:SourceIp has no known value")
}

test_hit_possible_vendor_account_only_is_warning if {
	o := object.union(vendor_role, {"decision": "unknown", "reasons": [{"code": "undecided", "kind": "evaluation", "text": "r"}]})
	some f in trust_too_broad.findings with input as inp(stmt(principal(false, ["043417694514"]), []), [o])
	f.severity == "warning"
	contains(f.message, "may be able to assume")
}

test_hit_findings_per_statement if {
	loc2 := {"file": "trust.json", "line": 9, "sid": "Second"}
	o2 := object.union(vendor_role, {"statements": [loc2]})
	fs := trust_too_broad.findings with input as inp(star_arn_like, [same_name, o2])
	count(fs) == 2
}

test_near_miss_no_outsiders if {
	s := stmt(principal(true, []), [{"operator": "ArnEquals", "key": "aws:PrincipalArn", "key_lower": "aws:principalarn", "values": [vendor.principal_arn], "line": 7}])
	count(trust_too_broad.findings) == 0 with input as inp(s, [])
}

test_near_miss_vendor_root_with_principal_arn if {
	s := stmt(principal(false, ["arn:aws:iam::043417694514:root"]), [{"operator": "ArnEquals", "key": "aws:PrincipalArn", "key_lower": "aws:principalarn", "values": [vendor.principal_arn], "line": 7}])
	count(trust_too_broad.findings) == 0 with input as inp(s, [])
}

test_near_miss_input_without_outsiders_field if {
	count(trust_too_broad.findings) == 0 with input as {"vendor": vendor, "documents": []}
}

test_hit_possible_only_through_unresolved_value_is_warning if {
	o := object.union(any_role, {"decision": "unknown", "unresolved": true, "reasons": [{"code": "value-unknown", "kind": "principal", "text": "Principal: known after apply: aws_iam_role.x.arn"}]})
	fs := trust_too_broad.findings with input as inp(stmt(principal(false, ["x"]), []), [o])
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.message, "known after apply")
}
