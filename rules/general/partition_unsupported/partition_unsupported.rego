# METADATA
# title: The setup is in a partition the vendor cannot reach
# description: >-
#   The bucket, role or key ARNs name the aws-cn or aws-us-gov partition, or
#   the configured region is a China or GovCloud region. The vendor's
#   principal exists only in the aws partition, and principals of one
#   partition cannot be granted access in another: IAM, STS and S3 are
#   separate per partition (reference-arns.html).
# schemas:
#   - input: schema.input
# custom:
#   id: partition-unsupported
#   severity: error
#   remediation: >-
#     Use a bucket and role in a commercial AWS region (partition aws), or ask
#     the vendor whether it supports your partition.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
#   example: |
#     role_arn: arn:aws:iam::111122223333:role/supermetrics-upload
package smlint.rules.partition_unsupported

import data.smlint.lib
import rego.v1

vendor_partition := object.get(input.vendor, "partition", "aws")

# partition_of is the partition an ARN names, when it names one (no
# wildcard or policy variable there): policy.DefinitePartition in Go.
partition_of(arn) := p if {
	p := smlint.arn(arn).definite_partition
	p != ""
}

foreign(v) if {
	not smlint.is_unknown(v)
	partition_of(v) != vendor_partition
}

# Configured values.
values contains [v, what, lib.edit_location] if {
	some [v, what] in [
		[input.setup.role_arn, "the configured role ARN"],
		[input.setup.kms_key_arn, "the configured KMS key ARN"],
		[object.get(input, ["principal", "arn"], ""), "the role or user's ARN"],
	]
	foreign(v)
	not duplicate_of_role(v, what)
}

findings contains lib.finding(msg, loc) if {
	some [v, what, loc] in values
	msg := sprintf("%s %s is in the %s partition, but %s principal %s exists only in %s: it can never be granted access there", [what, v, partition_of(v), lib.vendor_possessive, input.vendor.principal_arn, vendor_partition])
}

# Resources of the statements granting the vendor's calls: which ARNs name a
# definite partition other than the vendor's is decided in Go
# (internal/check/statement_facts.go, policy.DefinitePartition) and read from
# s.facts.foreign_partition [{resource, partition}].
findings contains lib.finding(msg, lib.at_statement(d, s)) if {
	some d in input.documents
	d.kind in {"identity", "bucket"}
	some i in d.statements_with.foreign_partition
	s := d.statements[i]
	s.effect == "Allow"
	some r in s.facts.foreign_partition
	what := sprintf("the resource of %s policy statement %s", [d.kind, lib.statement_ref(s)])
	msg := sprintf("%s %s is in the %s partition, but %s principal %s exists only in %s: it can never be granted access there", [what, r.resource, r.partition, lib.vendor_possessive, input.vendor.principal_arn, vendor_partition])
}

# The partition of the configured Region, by its name (policy.RegionPartition
# in Go: "" for the aws partition).
findings contains lib.finding(msg, lib.edit_location) if {
	r := input.setup.region
	p := smlint.region_partition(r)
	p != ""
	p != vendor_partition
	msg := sprintf("the configured region %s belongs to the %s partition, but %s principal exists only in %s", [r, p, lib.vendor_possessive, vendor_partition])
}

duplicate_of_role(v, what) if {
	what == "the role or user's ARN"
	v == input.setup.role_arn
}
