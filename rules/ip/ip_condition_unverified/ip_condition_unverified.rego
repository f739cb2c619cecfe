# METADATA
# title: Source-IP condition cannot be checked without the vendor's ranges
# description: >-
#   A statement that decides one of the vendor's calls carries an aws:SourceIp
#   condition, but no vendor IP ranges are configured, so whether the
#   vendor's addresses pass it is unknown and the verdict stays unknown.
#   smlint ships no IP ranges: the vendor does not publish them in a form it
#   can verify (reference_policies_condition-keys.html#condition-keys-sourceip).
# schemas:
#   - input: schema.input
# custom:
#   id: ip-condition-unverified
#   severity: warning
#   remediation: >-
#     Take the current egress ranges from the vendor's IP allowlisting page
#     and pass them with --vendor-ip-ranges (a CIDR list or a file of one CIDR
#     a line) or vendor.ip_ranges in .smlint.yaml.
#   docs: https://docs.supermetrics.com/docs/about-ip-address-allowlisting
#   example: |
#     # .smlint.yaml
#     vendor:
#       ip_ranges: ["<range from the vendor's page>", "<another range>"]
package smlint.rules.ip_condition_unverified

import data.smlint.lib
import rego.v1

# deciding holds [doc id, line, sid] of each statement that decides a vendor
# call: the evaluation core could not settle the call and names the statement
# among the reasons (KMS calls are left out: KMS sees S3's address, not the
# vendor's). Only the documents named here are visited.
deciding contains [b.doc, b.line, b.sid] if {
	some r in input.requests
	not startswith(r.id, "kms-")
	r.decision == "unknown"
	some b in r.because
}

deciding_docs contains id if some [id, _, _] in deciding

findings contains lib.finding(msg, {"file": d.file, "line": c.line, "sid": s.sid}) if {
	count(input.setup.vendor_ip_ranges) == 0
	some d in input.documents
	d.id in deciding_docs
	d.kind != "key"
	some i in d.statements_with.condition
	s := d.statements[i]
	[d.id, s.line, s.sid] in deciding
	some c in s.condition
	lib.ip_condition(c)
	msg := sprintf("%s policy statement %s has an aws:SourceIp condition (%s %s) but no vendor IP ranges are configured, so whether %s calls pass it is unknown: get the ranges from %s and pass them with --vendor-ip-ranges or vendor.ip_ranges in .smlint.yaml", [d.kind, lib.statement_ref(s), c.operator, concat(", ", c.values), lib.vendor_possessive, input.vendor.ip_allowlist_doc])
}
