# METADATA
# title: The policy has no Version or an old one
# description: >-
#   A policy document without a Version element, or with "2008-10-17", is
#   read with the old policy language: "If you don't include the Version
#   element and set it to an appropriate version date, variables like
#   ${aws:username} are treated as literal strings"
#   (reference_policies_elements_version.html). Resources and condition
#   values that use ${…} then match only the literal text. S3's examples still
#   show 2008-10-17 in bucket policies; it is cheap to fix everywhere.
# schemas:
#   - input: schema.input
# custom:
#   id: policy-version-old
#   severity: warning
#   remediation: >-
#     Add "Version": "2012-10-17" as the first element of the policy document.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
#   example: |
#     {"Version": "2012-10-17", "Statement": [...]}
package smlint.rules.policy_version_old

import data.smlint.lib
import rego.v1

kind_label := {
	"identity": "permission policy",
	"boundary": "permissions boundary",
	"bucket": "bucket policy",
	"scp": "service control policy",
	"key": "key policy",
	"trust": "trust policy",
}

# Documents the user wrote and smlint could read: AWS managed policies are
# not theirs to change, and an unresolved document has no known text.
# (A Version a plan leaves unknown is neither absent nor 2008-10-17.)
candidate(d) if {
	not object.get(d, "aws_managed", false)
	object.get(d, "unresolved", "") == ""
}

# Each rule tests the version first: most documents pass no further.
findings contains lib.finding(msg, {"file": d.file, "line": d.line}) if {
	some d in input.documents
	object.get(d, "version", "") == ""
	candidate(d)
	msg := sprintf("the %s%s has no Version element, so IAM reads it as 2008-10-17%s", [label(d), name_suffix(d), variables_note(d)])
}

findings contains lib.finding(msg, {"file": d.file, "line": d.line}) if {
	some d in input.documents
	d.version == "2008-10-17"
	candidate(d)
	msg := sprintf("the %s%s uses Version 2008-10-17%s", [label(d), name_suffix(d), variables_note(d)])
}

label(d) := object.get(kind_label, d.kind, "policy")

name_suffix(d) := sprintf(" %q", [d.name]) if {
	object.get(d, "name", "") != ""
	d.name != "bucket policy"
} else := ""

# d.uses_variables: a Resource, NotResource or Condition value holds "${"
# (decided in Go: policy.UsesVariables, reference_policies_variables.html).
variables_note(d) := "; it uses ${...} variables that will be taken literally" if {
	d.uses_variables
} else := ""
