# METADATA
# title: An ignore entry names an unknown rule or matches nothing
# description: >-
#   An `ignore` entry in .smlint.yaml, or an inline `smlint:ignore`
#   suppression in a template, names a rule smlint does not have (a typo
#   suppresses nothing), or covered no finding in this run (the problem was
#   fixed, or its file glob, sid or resource no longer select the finding).
#   A stale entry hides nothing today, but would silently hide a new finding
#   that happens to match it tomorrow.
# schemas:
#   - input: schema.input
# custom:
#   id: ignore-stale
#   severity: warning
#   remediation: >-
#     Correct the rule id (see `smlint rules`), or the file glob — a path
#     relative to the directory of the .smlint.yaml that declares it, such as
#     `iam/*.json` or `**/trust.json`, never a bare suffix — or delete the
#     entry when the finding it covered is gone.
#   docs: https://github.com/smlint/smlint/blob/main/docs/configuration.md#ignore-entries
#   example: |
#     ignore:
#       - rule: resource-too-broad
#         file: iam/supermetrics.json   # relative to this file's directory
#         reason: bucket is dedicated to Supermetrics
package smlint.rules.ignore_stale

import data.smlint.lib
import rego.v1

findings contains lib.finding(msg, ig) if {
	some ig in input.stale_ignores
	ig.code == "unknown-rule"
	msg := sprintf("%s names rule %s, which smlint does not have%s; it suppresses nothing", [kind(ig), ig.rule, hint(ig)])
}

findings contains lib.finding(msg, ig) if {
	some ig in input.stale_ignores
	ig.code == "no-match"
	msg := sprintf("%s for %s%s matched no finding in this run; delete it or correct it", [kind(ig), ig.rule, scope(ig)])
}

kind(ig) := "inline suppression" if ig.inline

kind(ig) := "ignore entry" if not ig.inline

hint(ig) := sprintf(" (did you mean %s?)", [ig.suggestion]) if ig.suggestion != ""

hint(ig) := "" if ig.suggestion == ""

scope(ig) := sprintf(" (%s)", [ig.selector]) if ig.selector != ""

scope(ig) := "" if ig.selector == ""
