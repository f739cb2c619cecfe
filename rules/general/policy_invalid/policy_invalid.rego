# METADATA
# title: Not a valid IAM policy
# description: >-
#   The document breaks the IAM policy grammar (reference_policies_grammar.html):
#   a wrong element or value type, an element the policy kind forbids
#   (Principal in an identity policy, Resource in a trust policy), a malformed
#   action or ARN, a Sid IAM refuses, repeated JSON keys, characters outside
#   IAM's set, or a size over the quota (reference_iam-quotas.html). IAM
#   refuses to save such a document, so smlint lets its Allow statements grant
#   nothing while its Deny statements still count. Repeated keys are evaluated
#   under both readings. Problems IAM tolerates (a size under an adjustable
#   quota's maximum) are warnings.
# schemas:
#   - input: schema.input
# custom:
#   id: policy-invalid
#   severity: error
#   remediation: >-
#     Fix the document as the message says, then validate it with IAM Access
#     Analyzer (aws accessanalyzer validate-policy) before deploying.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#   example: |
#     {"Version": "2012-10-17", "Statement": [{"Sid": "SupermetricsUpload", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
package smlint.rules.policy_invalid

import data.smlint.lib
import rego.v1

# A repeated key is an error although IAM's handling of it is undocumented:
# which copy wins depends on the parser (the problem says so, from Go).
duplicate_problem(p) if p.duplicate_key

severity(p) := "error" if p.rejected

severity(p) := "error" if duplicate_problem(p)

severity(p) := "warning" if {
	not p.rejected
	not duplicate_problem(p)
}

what(d) := sprintf("%s policy %s", [d.kind, d.name]) if d.name != ""

what(d) := sprintf("%s policy", [d.kind]) if d.name == ""

findings contains object.union(lib.finding(msg, {"file": d.file, "line": line, "sid": p.sid}), {"severity": severity(p)}) if {
	some d in input.documents
	some p in d.problems
	line := line_of(p, d)
	msg := sprintf("%s: %s", [what(d), p.message])
}

line_of(p, _) := p.line if p.line > 0

line_of(p, d) := d.line if p.line <= 0

findings contains lib.finding(msg, {"file": d.file, "line": d.line}) if {
	some d in input.documents
	d.duplicate_keys
	not any_duplicate_problem(d)
	msg := sprintf("%s repeats a JSON key: IAM's grammar forbids repeated keys and which copy wins is parser-dependent; smlint evaluates both readings", [what(d)])
}

any_duplicate_problem(d) if {
	some p in d.problems
	duplicate_problem(p)
}
