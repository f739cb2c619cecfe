package smlint.rules.kms_key_mismatch_test

import data.smlint.rules.kms_key_mismatch as rule
import rego.v1

key_a := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

key_b := "arn:aws:kms:eu-west-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab"

# Go's reading of each key reference the tests use (check.keyRefInput).
facts := {
	"": {"ref": "", "known": false, "key_id": "", "alias": false, "aws_managed": false},
	key_a: {"ref": key_a, "known": true, "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "alias": false, "aws_managed": false},
	key_b: {"ref": key_b, "known": true, "key_id": "9999abcd-12ab-34cd-56ef-1234567890ab", "alias": false, "aws_managed": false},
	"1234abcd-12ab-34cd-56ef-1234567890ab": {"ref": "1234abcd-12ab-34cd-56ef-1234567890ab", "known": true, "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "alias": false, "aws_managed": false},
	"9999abcd-12ab-34cd-56ef-1234567890ab": {"ref": "9999abcd-12ab-34cd-56ef-1234567890ab", "known": true, "key_id": "9999abcd-12ab-34cd-56ef-1234567890ab", "alias": false, "aws_managed": false},
	"alias/aws/s3": {"ref": "alias/aws/s3", "known": true, "key_id": "", "alias": true, "aws_managed": true},
	"alias/supermetrics": {"ref": "alias/supermetrics", "known": true, "key_id": "", "alias": true, "aws_managed": false},
	"alias/uploads": {"ref": "alias/uploads", "known": true, "key_id": "", "alias": true, "aws_managed": false},
	key_other_region: {"ref": key_other_region, "known": true, "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "alias": false, "aws_managed": false},
	"arn:aws:kms:eu-west-1:111122223333:key": {"ref": "arn:aws:kms:eu-west-1:111122223333:key", "known": true, "key_id": "", "alias": false, "aws_managed": false},
}

key_other_region := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

inp(configured, bucket_key_id, stmts) := {
	"setup": {"bucket": "b", "prefix": "", "region": "eu-west-1", "kms_key_arn": configured, "kms_key": facts[configured], "bucket_account": ""},
	"caller": {"arn": "arn:aws:iam::111122223333:role/r", "account": "111122223333"},
	"principal": null,
	"sse_kms": {"applies": configured != "", "key_arn": configured, "source": "config", "bucket_key": false},
	"buckets": [{"name": "b", "region": "eu-west-1", "sse_algorithm": "aws:kms", "kms_master_key_id": bucket_key_id, "kms_master_key": facts[bucket_key_id], "file": "enc.json", "line": 5}],
	"documents": [{"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": stmts}],
}

demand(op, v) := {
	"index": 0, "sid": "RequireKey", "line": 3, "effect": "Deny",
	"condition": [{"operator": op, "key": "s3:x-amz-server-side-encryption-aws-kms-key-id", "key_lower": "s3:x-amz-server-side-encryption-aws-kms-key-id", "values": [v], "line": 8}],
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
	i := json.patch(inp(key_other_region, key_other_region, []), [
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

# A configured reference that is neither a key ARN, a bare key id nor an
# alias names no key id: it is not compared with the bucket's key.
test_near_miss_malformed_configured_key if {
	count(rule.findings) == 0 with input as inp("arn:aws:kms:eu-west-1:111122223333:key", key_b, [])
}
