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

key(id, status, age, unused) := {"id": id, "status": status, "create_date": "2026-01-01T00:00:00Z", "age_days": age, "unused_days": unused}

with_keys(configured, keys) := {
	"setup": {"auth": "access-key", "access_key_id": configured, "user": "uploader"},
	"caller": {"arn": "arn:aws:iam::111122223333:user/auditor"},
	"principal": {"type": "user", "name": "uploader", "arn": "arn:aws:iam::111122223333:user/uploader", "file": "keys.json", "line": 1, "access_keys": keys, "access_keys_listed": true},
	"documents": [],
}

test_hit_key_of_another_user if {
	fs := rule.findings with input as with_keys("AKIAIOSFODNN7EXAMPLE", [key("AKIAI44QH8DHBEXAMPLE", "Active", 10, 1)])
	count(fs) == 1
	some f in fs
	contains(f.message, "is not a key of user uploader")
}

test_hit_inactive_key if {
	fs := rule.findings with input as with_keys("AKIAIOSFODNN7EXAMPLE", [key("AKIAIOSFODNN7EXAMPLE", "Inactive", 10, 1)])
	count(fs) == 1
	some f in fs
	contains(f.message, "Inactive")
	not f.severity
}

test_hit_no_active_key if {
	fs := rule.findings with input as with_keys("", [key("AKIAIOSFODNN7EXAMPLE", "Inactive", 10, 1)])
	count(fs) == 1
}

test_hit_old_and_unused_key_warns if {
	fs := rule.findings with input as with_keys("AKIAIOSFODNN7EXAMPLE", [key("AKIAIOSFODNN7EXAMPLE", "Active", 400, 120)])
	count(fs) == 2
	every f in fs { f.severity == "warning" }
}

test_near_miss_fresh_active_key if {
	count(rule.findings) == 0 with input as with_keys("AKIAIOSFODNN7EXAMPLE", [key("AKIAIOSFODNN7EXAMPLE", "Active", 89, 1), key("AKIAI44QH8DHBEXAMPLE", "Inactive", 900, 900)])
}

test_near_miss_keys_not_listed if {
	inp := json.patch(with_keys("AKIAIOSFODNN7EXAMPLE", []), [{"op": "replace", "path": "/principal/access_keys_listed", "value": false}])
	count(rule.findings) == 0 with input as inp
}

# Only the account root ARN is the root user: a role in the same account,
# or a root-shaped ARN of another service, is not.
test_near_miss_root_arn_shapes if {
	rule.root_arn("arn:aws:iam::111122223333:root")
	not rule.root_arn("arn:aws:iam::111122223333:role/root")
	not rule.root_arn("arn:aws:sts::111122223333:root")
	not rule.root_arn("arn:aws:iam::11112222333:root")
}
