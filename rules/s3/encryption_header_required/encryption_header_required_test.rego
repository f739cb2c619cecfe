package smlint.rules.encryption_header_required_test

import data.smlint.rules.encryption_header_required as rule
import rego.v1

stmt(key) := {
	"index": 0, "sid": "DenyUnencrypted", "line": 4, "effect": "Deny",
	"condition": [{"operator": "StringNotEquals", "key": key, "key_lower": lower(key), "values": ["aws:kms"], "line": 9}],
}

inp(key, decision, kms_key) := {
	"setup": {"bucket": "b", "prefix": "", "kms_key_arn": kms_key},
	"documents": [{"id": "doc-1", "kind": "bucket", "file": "bucket-policy.json", "line": 1, "statements": [stmt(key)]}],
	"requests": [{
		"id": "put-object", "action": "s3:PutObject", "source_ip": "", "decision": decision,
		"because": [{"doc": "doc-1", "file": "bucket-policy.json", "line": 4, "sid": "DenyUnencrypted", "effect": "Deny"}],
	}],
}

test_hit_missing_sse_header if {
	fs := rule.findings with input as inp("s3:x-amz-server-side-encryption", "explicit_deny", "")
	count(fs) == 1
	some f in fs
	f.line == 9
	contains(f.message, "default bucket encryption does not help")
}

test_hit_key_configured_but_rejected if {
	fs := rule.findings with input as inp("s3:x-amz-server-side-encryption", "explicit_deny", "arn:aws:kms:eu-west-1:111122223333:key/k")
	some f in fs
	contains(f.message, "carries x-amz-server-side-encryption: aws:kms")
}

test_near_miss_upload_allowed if {
	count(rule.findings) == 0 with input as inp("s3:x-amz-server-side-encryption", "allowed", "")
}

test_near_miss_deny_on_other_key if {
	count(rule.findings) == 0 with input as inp("aws:SecureTransport", "explicit_deny", "")
}
