# METADATA
# title: The configured region is not the bucket's
# description: >-
#   The region entered in the setup differs from the bucket's location
#   (get-bucket-location; a null LocationConstraint means us-east-1), or from
#   the region of the KMS key when the key and the bucket agree with each
#   other. Supermetrics addresses the bucket in the region you enter; a wrong
#   region makes S3 redirect or refuse the request, and kms:ViaService
#   conditions are checked for the wrong endpoint. A key in another region
#   than the bucket is kms-key-mismatch.
# schemas:
#   - input: schema.input
# custom:
#   id: region-mismatch
#   severity: warning
#   remediation: >-
#     Set region (and the region in Supermetrics) to the bucket's location,
#     from aws s3api get-bucket-location.
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
#   example: |
#     region: eu-west-1
package smlint.rules.region_mismatch

import data.smlint.lib
import rego.v1

configured := input.setup.region

known(x) if {
	x != ""
	not smlint.is_unknown(x)
}

location contains [b.region, b] if {
	some b in input.buckets
	b.name in {input.setup.bucket, ""}
	known(b.region)
}

findings contains lib.finding(msg, {"file": b.file, "line": b.line}) if {
	known(configured)
	some [r, b] in location
	r != configured
	msg := sprintf("the configured region is %s but the bucket %s is in %s", [configured, input.setup.bucket, r])
}

# The key's region: from describe-key when given, else from its ARN.
key_region := [k.region, {"file": k.file, "line": k.line}] if {
	input.sse_kms.applies
	some k in input.keys
	k.arn == input.sse_kms.key_arn
	known(k.region)
} else := [r, lib.edit_location] if {
	input.sse_kms.applies
	a := smlint.arn(input.sse_kms.key_arn)
	a.valid
	r := a.region
	known(r)
}

findings contains lib.finding(msg, loc) if {
	known(configured)
	[r, loc] := key_region
	r != configured
	some [br, _] in location
	br == r
	msg := sprintf("the configured region is %s but the KMS key %s and the bucket are both in %s", [configured, input.sse_kms.key_arn, r])
}
