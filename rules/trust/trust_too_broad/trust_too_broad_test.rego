package smlint.rules.trust_too_broad_test

import data.smlint.rules.trust_too_broad
import rego.v1

vendor := {
	"display_name": "Supermetrics", "partition": "aws",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
}

principal(wildcard, aws) := {"wildcard": wildcard, "aws": aws, "service": [], "federated": [], "canonical_user": []}

stmt(p, conds) := {"index": 0, "sid": "Trust", "line": 3, "effect": "Allow", "principal": p, "action": ["sts:AssumeRole"], "not_action": null, "condition": conds}

inp(s) := {
	"vendor": vendor,
	"documents": [{"id": "doc-1", "kind": "trust", "file": "trust.json", "line": 1, "unresolved": "", "statements": [s]}],
}

test_hit_star_principal if {
	fs := trust_too_broad.findings with input as inp(stmt(principal(true, []), []))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 3
	contains(f.message, "any AWS principal")
}

test_hit_aws_star_with_external_id_only if {
	c := {"operator": "StringEquals", "key": "sts:ExternalId", "values": ["abc"], "line": 7}
	some f in trust_too_broad.findings with input as inp(stmt(principal(false, ["*"]), [c]))
	contains(f.message, "external ID is not a secret")
}

test_hit_star_with_source_ip_only if {
	c := {"operator": "IpAddress", "key": "aws:SourceIp", "values": ["203.0.113.0/24"], "line": 7}
	count(trust_too_broad.findings) == 1 with input as inp(stmt(principal(true, []), [c]))
}

test_hit_star_with_ifexists_is_not_restricting if {
	c := {"operator": "StringEqualsIfExists", "key": "aws:SourceAccount", "values": ["043417694514"], "line": 7}
	count(trust_too_broad.findings) == 1 with input as inp(stmt(principal(true, []), [c]))
}

test_hit_vendor_account_root_is_warning if {
	fs := trust_too_broad.findings with input as inp(stmt(principal(false, ["arn:aws:iam::043417694514:root"]), []))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.message, "whole account")
}

test_hit_vendor_account_bare_id_is_warning if {
	some f in trust_too_broad.findings with input as inp(stmt(principal(false, ["043417694514"]), []))
	f.severity == "warning"
}

test_hit_vendor_account_with_other_role_in_condition if {
	c := {"operator": "ArnLike", "key": "aws:PrincipalArn", "values": ["arn:aws:iam::043417694514:role/*"], "line": 7}
	count(trust_too_broad.findings) == 1 with input as inp(stmt(principal(false, ["043417694514"]), [c]))
}

test_near_miss_star_with_principal_arn_condition if {
	c := {"operator": "ArnEquals", "key": "aws:PrincipalArn", "values": [vendor.principal_arn], "line": 7}
	count(trust_too_broad.findings) == 0 with input as inp(stmt(principal(true, []), [c]))
}

test_near_miss_star_with_org_condition if {
	c := {"operator": "StringEquals", "key": "aws:PrincipalOrgID", "values": ["o-abc123"], "line": 7}
	count(trust_too_broad.findings) == 0 with input as inp(stmt(principal(false, ["*"]), [c]))
}

test_near_miss_vendor_root_with_principal_arn if {
	c := {"operator": "ArnEquals", "key": "aws:PrincipalArn", "values": [vendor.principal_arn], "line": 7}
	count(trust_too_broad.findings) == 0 with input as inp(stmt(principal(false, ["arn:aws:iam::043417694514:root"]), [c]))
}

test_near_miss_vendor_role if {
	count(trust_too_broad.findings) == 0 with input as inp(stmt(principal(false, [vendor.principal_arn]), []))
}

test_near_miss_deny_star if {
	s := object.union(stmt(principal(true, []), []), {"effect": "Deny"})
	count(trust_too_broad.findings) == 0 with input as inp(s)
}
