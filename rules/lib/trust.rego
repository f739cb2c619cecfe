# Shared helpers for rules about the role's trust policy: which trust
# statements are meant for the vendor's sts:AssumeRole call. The principal
# question is the Go core's (smlint.principal_match); whether the action
# covers it comes from the statement facts Go computes. (lib.rego holds the
# package annotation.)
package smlint.lib

import rego.v1

# vendor_caller is the vendor's role session as smlint.principal_match takes it.
vendor_caller := {"arn": input.vendor.principal_arn, "account": input.vendor.account}

# Trust documents the decision was made on (resolved ones).
trust_docs := [d | some d in documents("trust"); object.get(d, "unresolved", "") == ""]

# vendor_statement(s): an Allow whose principal may name the vendor and whose
# action covers the assume action, up to its conditions.
vendor_statement(s) if {
	s.effect == "Allow"
	smlint.principal_match(s.principal, vendor_caller) != "false"
	covers_assume(s)
}

# covers_assume(s): the statement's Action or NotAction covers the vendor's
# assume action (decided in Go with the IAM matcher: s.facts.covers_assume,
# for trust policy statements).
covers_assume(s) if s.facts.covers_assume
