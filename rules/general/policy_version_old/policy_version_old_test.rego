package smlint.rules.policy_version_old_test

import data.smlint.rules.policy_version_old
import rego.v1

doc(version, stmts) := {
	"id": "doc-1", "kind": "identity", "file": "policy.json", "line": 1, "name": "",
	"version": version, "aws_managed": false, "unresolved": "", "statements": stmts,
	"uses_variables": false,
}

# The document as Go describes it when a statement writes a variable.
with_variables(d) := object.union(d, {"uses_variables": true})

plain := {"sid": "", "line": 3, "effect": "Allow", "action": ["s3:PutObject"], "resource": ["arn:aws:s3:::b/*"], "condition": []}

with_variable := object.union(plain, {"resource": ["arn:aws:s3:::b/${aws:username}/*"]})

test_hit_missing_version if {
	fs := policy_version_old.findings with input as {"documents": [doc("", [plain])]}
	count(fs) == 1
	some f in fs
	f.file == "policy.json"
	f.line == 1
	contains(f.message, "no Version element")
	not contains(f.message, "literally")
}

test_hit_2008_with_variables if {
	some f in policy_version_old.findings with input as {"documents": [with_variables(doc("2008-10-17", [with_variable]))]}
	contains(f.message, "2008-10-17")
	contains(f.message, "taken literally")
}

# "${" where IAM substitutes nothing (a Sid, an action) leaves
# uses_variables false: no note.
test_near_miss_2008_dollar_brace_in_sid if {
	s := object.union(plain, {"sid": "${x}"})
	some f in policy_version_old.findings with input as {"documents": [doc("2008-10-17", [s])]}
	contains(f.message, "2008-10-17")
	not contains(f.message, "literally")
}

test_hit_bucket_policy_2008 if {
	d := object.union(doc("2008-10-17", [plain]), {"kind": "bucket", "name": "bucket policy"})
	some f in policy_version_old.findings with input as {"documents": [d]}
	contains(f.message, "the bucket policy uses")
}

test_near_miss_current_version if {
	count(policy_version_old.findings) == 0 with input as {"documents": [with_variables(doc("2012-10-17", [with_variable]))]}
}

test_near_miss_unresolved_document if {
	d := object.union(doc("", []), {"unresolved": "known after apply"})
	count(policy_version_old.findings) == 0 with input as {"documents": [d]}
}

test_near_miss_aws_managed if {
	d := object.union(doc("", [plain]), {"aws_managed": true})
	count(policy_version_old.findings) == 0 with input as {"documents": [d]}
}

# A Version a Terraform plan leaves unknown (the unresolved marker) is
# neither absent nor 2008-10-17: no finding.
test_near_miss_version_unknown_in_plan if {
	count(policy_version_old.findings) == 0 with input as {"documents": [doc("\uffffunknown:known after apply", [plain])]}
}
