package smlint.rules.policy_invalid_test

import data.smlint.rules.policy_invalid as rule
import rego.v1

doc(problems, dup) := {
	"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "name": "SupermetricsUpload",
	"problems": problems, "duplicate_keys": dup, "statements": [],
}

test_hit_each_problem_at_its_line if {
	fs := rule.findings with input as {"documents": [doc(
		[
			{"line": 4, "sid": "Allow-Put", "message": "Sid \"Allow-Put\": IAM allows only letters and digits", "rejected": true, "duplicate_key": false},
			{"line": 9, "sid": "", "message": "duplicate key \"Resource\" (first at line 8)", "rejected": false, "duplicate_key": true},
		],
		true,
	)]}
	count(fs) == 2
	some f in fs
	f.line == 4
	f.severity == "error"
	some g in fs
	g.line == 9
	g.severity == "error"
}

test_hit_duplicate_keys_without_problem if {
	fs := rule.findings with input as {"documents": [doc([], true)]}
	count(fs) == 1
}

test_hit_tolerated_problem_is_warning if {
	fs := rule.findings with input as {"documents": [doc([{"line": 1, "sid": "", "message": "2300 characters: over the default quota", "rejected": false, "duplicate_key": false}], false)]}
	some f in fs
	f.severity == "warning"
}

# A tolerated problem whose text names a "duplicate key" (a Sid, say) is not a
# repeated key: Go says which problems are (duplicate_key), not the message.
test_near_miss_duplicate_key_in_text_is_still_warning if {
	msg := "Sid \"duplicate key\": IAM allows only letters and digits in a Sid"
	fs := rule.findings with input as {"documents": [doc([{"line": 1, "sid": "duplicate key", "message": msg, "rejected": false, "duplicate_key": false}], false)]}
	some f in fs
	f.severity == "warning"
}

test_near_miss_valid_document if {
	count(rule.findings) == 0 with input as {"documents": [doc([], false)]}
}
