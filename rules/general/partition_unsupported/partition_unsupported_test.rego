package smlint.rules.partition_unsupported_test

import data.smlint.lib.testinput_test as testinput
import data.smlint.rules.partition_unsupported as rule
import rego.v1

# foreign is what internal/check/statement_facts.go computes for the
# statement's resources (its Go tests pin that: wildcards, variables, ARNs
# inside a resource).
inp(role, region, resource, foreign) := {
	"setup": {"role_arn": role, "kms_key_arn": "", "region": region},
	"vendor": {"partition": "aws", "display_name": "Supermetrics", "principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
	"principal": null,
	"documents": [testinput.indexed({"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": [{
		"index": 0, "sid": "Upload", "line": 3, "effect": "Allow", "resource": [resource],
		"facts": {"foreign_partition": foreign},
	}]})],
}

test_hit_china if {
	fs := rule.findings with input as inp("arn:aws-cn:iam::111122223333:role/r", "cn-north-1", "arn:aws-cn:s3:::b/*", [{"resource": "arn:aws-cn:s3:::b/*", "partition": "aws-cn"}])
	count(fs) == 3
	some f in fs
	f.message == `the resource of identity policy statement "Upload" arn:aws-cn:s3:::b/* is in the aws-cn partition, but Supermetrics' principal arn:aws:iam::043417694514:role/supermetrics-s3-role exists only in aws: it can never be granted access there`
}

test_hit_govcloud_region_only if {
	fs := rule.findings with input as inp("", "us-gov-west-1", "arn:aws:s3:::b/*", [])
	count(fs) == 1
}

test_hit_china_region_only if {
	fs := rule.findings with input as inp("", "cn-northwest-1", "arn:aws:s3:::b/*", [])
	count(fs) == 1
}

# A configured role ARN whose partition is a policy variable names no
# definite partition (smlint.arn definite_partition).
test_near_miss_variable_partition if {
	count(rule.findings) == 0 with input as inp("arn:${aws:partition}:iam::111122223333:role/r", "eu-west-1", "arn:aws:s3:::b/*", [])
}

test_near_miss_commercial if {
	count(rule.findings) == 0 with input as inp("arn:aws:iam::111122223333:role/r", "eu-west-1", "arn:*:s3:::b/*", [])
}

# A configured role ARN whose resource names another partition after a
# colon is still commercial: the partition is the ARN's second field
# (smlint.arn).
test_near_miss_other_partition_inside_role_resource if {
	count(rule.findings) == 0 with input as inp("arn:aws:iam::111122223333:role/arn:aws-cn:x", "eu-west-1", "arn:aws:s3:::b/*", [])
}

test_near_miss_deny_statement if {
	i := inp("", "eu-west-1", "arn:aws-cn:s3:::b/*", [{"resource": "arn:aws-cn:s3:::b/*", "partition": "aws-cn"}])
	s := object.union(i.documents[0].statements[0], {"effect": "Deny"})
	count(rule.findings) == 0 with input as object.union(i, {"documents": [object.union(i.documents[0], {"statements": [s]})]})
}
