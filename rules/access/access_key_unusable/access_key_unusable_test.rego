package smlint.rules.access_key_unusable_test

import data.smlint.rules.access_key_unusable as rule
import rego.v1

inp(auth, key, arn) := {
	"setup": {"auth": auth, "access_key_id": key, "user": "uploader"},
	"caller": {"arn": arn},
	"principal": null,
	"documents": [],
}

test_hit_temporary_key if {
	fs := rule.findings with input as inp("access-key", "ASIAIOSFODNN7EXAMPLE", "arn:aws:iam::111122223333:user/uploader")
	count(fs) == 1
	some f in fs
	contains(f.message, "temporary")
}

test_hit_root_key if {
	fs := rule.findings with input as inp("access-key", "AKIAIOSFODNN7EXAMPLE", "arn:aws:iam::111122223333:root")
	count(fs) == 1
}

test_near_miss_user_key if {
	count(rule.findings) == 0 with input as inp("access-key", "AKIAIOSFODNN7EXAMPLE", "arn:aws:iam::111122223333:user/uploader")
}

test_near_miss_role_method if {
	count(rule.findings) == 0 with input as inp("role", "ASIAIOSFODNN7EXAMPLE", "arn:aws:iam::111122223333:role/r")
}
