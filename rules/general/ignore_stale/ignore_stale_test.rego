package smlint.rules.ignore_stale_test

import data.smlint.rules.ignore_stale
import rego.v1

entry(code) := {
	"rule": "resource-to-broad", "file": ".smlint.yaml", "line": 4, "code": code,
	"suggestion": "resource-too-broad", "selector": "file iam/*.json", "inline": false,
}

test_hit_unknown_rule_with_suggestion if {
	fs := ignore_stale.findings with input as {"stale_ignores": [entry("unknown-rule")]}
	count(fs) == 1
	some f in fs
	f.file == ".smlint.yaml"
	f.line == 4
	contains(f.message, "resource-to-broad")
	contains(f.message, "did you mean resource-too-broad?")
}

test_hit_matched_nothing_names_the_selector if {
	e := object.union(entry("no-match"), {"rule": "resource-too-broad", "suggestion": ""})
	fs := ignore_stale.findings with input as {"stale_ignores": [e]}
	count(fs) == 1
	some f in fs
	contains(f.message, "matched no finding")
	contains(f.message, "file iam/*.json")
}

test_hit_inline_suppression if {
	e := object.union(entry("no-match"), {"inline": true, "file": "stack.yaml", "line": 12, "selector": "its resource"})
	fs := ignore_stale.findings with input as {"stale_ignores": [e]}
	some f in fs
	startswith(f.message, "inline suppression")
	f.file == "stack.yaml"
}

test_near_miss_no_stale_entries if {
	count(ignore_stale.findings) == 0 with input as {"stale_ignores": []}
}

# An expired entry is ignore-expired's, not this rule's.
test_near_miss_expired_entry_only if {
	count(ignore_stale.findings) == 0 with input as {"expired_ignores": [{
		"rule": "resource-to-broad", "file": ".smlint.yaml", "line": 4,
		"expires": "2026-01-31", "reason": "dedicated bucket",
	}]}
}
