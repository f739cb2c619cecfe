package smlint.rules.ignore_expired_test

import data.smlint.rules.ignore_expired
import rego.v1

test_hit_expired_entry if {
	fs := ignore_expired.findings with input as {"expired_ignores": [{
		"rule": "resource-too-broad", "file": ".smlint.yaml", "line": 7,
		"expires": "2026-01-31", "reason": "dedicated bucket",
	}]}
	count(fs) == 1
	some f in fs
	f.line == 7
	contains(f.message, "resource-too-broad")
}

test_near_miss_no_expired_entries if {
	count(ignore_expired.findings) == 0 with input as {"expired_ignores": []}
}
