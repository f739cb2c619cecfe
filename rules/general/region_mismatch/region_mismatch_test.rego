package smlint.rules.region_mismatch_test

import data.smlint.rules.region_mismatch as rule
import rego.v1

key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

inp(configured, bucket_region) := {
	"setup": {"bucket": "b", "region": configured},
	"principal": null,
	"documents": [],
	"sse_kms": {"applies": true, "key_arn": key},
	"keys": [{"arn": key, "region": "eu-west-1", "file": "describe-key.json", "line": 2}],
	"buckets": [{"name": "b", "region": bucket_region, "file": "location.json", "line": 2}],
}

test_hit_bucket_elsewhere if {
	fs := rule.findings with input as inp("us-east-1", "eu-west-1")
	count(fs) == 2
	some f in fs
	f.file == "location.json"
}

test_near_miss_same_region if {
	count(rule.findings) == 0 with input as inp("eu-west-1", "eu-west-1")
}

test_near_miss_key_alone_elsewhere_is_kms_key_mismatch if {
	count(rule.findings) == 0 with input as inp("us-east-1", "us-east-1")
}
