package smlint.rules.action_unknown_test

import data.smlint.lib.testinput_test as testinput
import data.smlint.rules.action_unknown as rule
import rego.v1

# The facts are what internal/check/statement_facts.go computes against the
# action table (its Go tests pin that computation, typos and near misses
# included); these tests pin how the rule reports them.
inp(unknown) := {"documents": [testinput.indexed({"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "statements": [{
	"index": 0, "sid": "Upload", "line": 3, "effect": "Allow",
	"action": [u.action | some u in unknown], "not_action": null,
	"facts": {"unknown_actions": unknown},
}]})]}

test_hit_typo if {
	fs := rule.findings with input as inp([{"action": "s3:PutObjects", "wildcard": false, "closest": "s3:PutObject"}])
	count(fs) == 1
	some f in fs
	f.line == 3
	f.message == `identity policy statement "Upload": s3:PutObjects is not an action of the service (did you mean s3:PutObject?), so it grants or denies nothing`
}

test_hit_wildcard_matching_nothing if {
	fs := rule.findings with input as inp([{"action": "kms:Frobnicate*", "wildcard": true, "closest": ""}])
	count(fs) == 1
	some f in fs
	contains(f.message, "kms:Frobnicate* matches no action of the service, so")
}

test_hit_no_close_name if {
	fs := rule.findings with input as inp([{"action": "iam:Xyzzy", "wildcard": false, "closest": ""}])
	count(fs) == 1
	some f in fs
	contains(f.message, "iam:Xyzzy is not an action of the service, so")
}

test_near_miss_no_unknown_actions if {
	count(rule.findings) == 0 with input as inp([])
}
