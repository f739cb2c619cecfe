package smlint.rules.kms_key_mismatch_test

import data.smlint.rules.kms_key_mismatch as rule
import rego.v1

key_a := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

key_b := "arn:aws:kms:eu-west-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab"

inp(configured, bucket_key_id, stmts) := {
	"setup": {"bucket": "b", "prefix": "", "region": "eu-west-1", "kms_key_arn": configured, "bucket_account": ""},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r", "account": "111122223333"},
	"principal": null,
	"sse_kms": {"applies": configured != "", "key_arn": configured, "source": "config", "bucket_key": false},
	"buckets": [{"name": "b", "region": "eu-west-1", "sse_algorithm": "aws:kms", "kms_master_key_id": bucket_key_id, "file": "enc.json", "line": 5}],
	"documents": [{"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": stmts}],
}

demand(op, v) := {
	"index": 0, "sid": "RequireKey", "line": 3, "effect": "Deny",
	"condition": [{"operator": op, "key": "s3:x-amz-server-side-encryption-aws-kms-key-id", "values": [v], "line": 8}],
}

test_hit_differs_from_bucket_default if {
	fs := rule.findings with input as inp(key_a, "9999abcd-12ab-34cd-56ef-1234567890ab", [])
	count(fs) == 1
	some f in fs
	f.file == "enc.json"
}

test_near_miss_bare_id_of_same_key if {
	count(rule.findings) == 0 with input as inp(key_a, "1234abcd-12ab-34cd-56ef-1234567890ab", [])
}

test_near_miss_aws_managed_default if {
	count(rule.findings) == 0 with input as inp(key_a, "alias/aws/s3", [])
}

put(decision) := [{"id": "put-object", "decision": decision, "because": [{"file": "bucket-policy.json", "line": 3, "sid": "RequireKey", "effect": "Deny"}]}]

test_hit_bucket_policy_demands_other_key if {
	i := object.union(inp(key_a, key_a, [demand("StringNotEquals", key_b)]), {"requests": put("explicit_deny")})
	fs := rule.findings with input as i
	count(fs) == 1
	some f in fs
	f.line == 8
}

test_near_miss_bucket_policy_demands_this_key if {
	i := object.union(inp(key_a, key_a, [demand("StringNotEquals", key_a)]), {"requests": [{"id": "put-object", "decision": "allowed", "because": []}]})
	count(rule.findings) == 0 with input as i
}

test_hit_alias_configured if {
	fs := rule.findings with input as inp("alias/supermetrics", "", [])
	count(fs) == 1
	some f in fs
	contains(f.message, "alias")
}

test_hit_key_in_other_region if {
	k := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	i := json.patch(inp(k, k, []), [
		{"op": "add", "path": "/sse_kms/refused", "value": "region"},
		{"op": "add", "path": "/sse_kms/refused_why", "value": "the KMS key is in us-east-1 but the bucket is in eu-west-1: S3 uses only KMS keys in the bucket's own Region"},
	])
	fs := rule.findings with input as i
	count(fs) == 1
	some f in fs
	contains(f.message, "us-east-1")
}

test_hit_bucket_default_alias_is_warning_same_account if {
	fs := rule.findings with input as inp("", "alias/uploads", [])
	count(fs) == 1
	some f in fs
	f.severity == "warning"
}

test_near_miss_key_in_bucket_region if {
	i := json.patch(inp(key_a, key_a, []), [{"op": "add", "path": "/sse_kms/refused", "value": ""}])
	count(rule.findings) == 0 with input as i
}

# An alias whose name holds a colon is still an alias of the same Region
# (smlint.arn keeps the resource part whole: reference-arns.html).
test_near_miss_alias_with_colon_same_region if {
	a := "arn:aws:kms:eu-west-1:111122223333:alias/a:b"
	rule.is_alias(a)
	rule.region_of(a) == "eu-west-1"
	not rule.is_alias(key_a)
}
