# METADATA
# title: An ignore entry has expired
# description: >-
#   An `ignore` entry in .smlint.yaml has passed its `expires` date. It no
#   longer suppresses anything, so the findings it covered are reported again;
#   this finding says why they came back.
# schemas:
#   - input: schema.input
# custom:
#   id: ignore-expired
#   severity: warning
#   remediation: >-
#     Fix the finding the entry covered, or renew the entry with a new expires
#     date and a reason that still holds.
#   docs: https://github.com/smlint/smlint/blob/main/docs/configuration.md#ignore-entries
#   example: |
#     ignore:
#       - rule: resource-too-broad
#         file: iam/supermetrics.json
#         reason: bucket is dedicated to Supermetrics
#         expires: 2027-06-30
package smlint.rules.ignore_expired

import data.smlint.lib
import rego.v1

findings contains lib.finding(msg, ig) if {
	some ig in input.expired_ignores
	msg := sprintf("ignore entry for %s expired on %s; its findings are reported again", [ig.rule, ig.expires])
}
