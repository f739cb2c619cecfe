# METADATA
# title: The IP allowlist locks out everyone but the vendor
# description: >-
#   A Deny with NotIpAddress on aws:SourceIp whose allowed list holds only
#   the vendor's ranges refuses every other address, including the
#   administrators' own ("Do not forget to add your own IP address to avoid
#   getting locked out", Supermetrics' S3 prerequisites). Checked for Denies
#   that reach beyond the vendor's principal: bucket policies and SCPs naming
#   every principal, and the IAM user's own policy in the access-key method
#   (reference_policies_condition-keys.html#condition-keys-sourceip).
# schemas:
#   - input: schema.input
# custom:
#   id: ip-allowlist-lockout
#   severity: warning
#   remediation: >-
#     Add your own public IP ranges (office, VPN, CI) to the NotIpAddress
#     list, or scope the Deny to the vendor's principal with an
#     aws:PrincipalArn condition.
#   docs: https://support.supermetrics.com/support/solutions/articles/19000118620
#   example: |
#     {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::my-bucket/*",
#      "Condition": {"NotIpAddress": {"aws:SourceIp": ["<vendor range>", "<your office range>"]}}}
package smlint.rules.ip_allowlist_lockout

import data.smlint.lib
import rego.v1

ranges := input.setup.vendor_ip_ranges

# reaches_others: the Deny applies to more principals than the vendor's.
reaches_others(d, _) if d.kind == "scp"

reaches_others(d, s) if {
	d.kind == "bucket"
	s.principal.wildcard
}

reaches_others(d, s) if {
	d.kind == "bucket"
	"*" in s.principal.aws
}

reaches_others(d, s) if {
	d.kind == "bucket"
	s.not_principal != null
}

reaches_others(d, _) if {
	d.kind in {"identity", "boundary"}
	input.setup.auth == "access-key"
}

findings contains lib.finding(msg, {"file": d.file, "line": c.line, "sid": s.sid}) if {
	count(ranges) > 0
	some d in input.documents
	some s in d.statements
	s.effect == "Deny"
	reaches_others(d, s)
	some c in s.condition
	c.key_lower == "aws:sourceip"
	c.op.base == "notipaddress"
	count(c.values) > 0
	count(smlint.ip_uncovered(c.values, ranges)) == 0
	msg := sprintf("%s policy statement %s denies every address outside %s, which are all vendor ranges: your own administrators are locked out too (add your own IP ranges to the list)", [d.kind, lib.statement_ref(s), concat(", ", c.values)])
}
