# METADATA
# title: The KMS key does not fit the bucket
# description: >-
#   The key entered in Supermetrics is not the one the bucket uses or demands:
#   it differs from the bucket's default encryption key, or from the key a
#   bucket-policy Deny requires in s3:x-amz-server-side-encryption-aws-kms-key-id;
#   it lives in another region than the bucket (S3 uses keys of the bucket's
#   own region); or an alias is given where a key ARN is needed (an alias in
#   KMSMasterKeyID "resolves the key within the requester's account",
#   API_ServerSideEncryptionByDefault.html; the key-id condition needs the
#   full key ARN, UsingKMSEncryption.html). The AWS managed aws/s3 key needs
#   nothing.
# schemas:
#   - input: schema.input
# custom:
#   id: kms-key-mismatch
#   severity: error
#   remediation: >-
#     Enter the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID) of the
#     bucket's default key, in the bucket's region, in Supermetrics and in
#     kms_key_arn; use the same ARN in KMSMasterKeyID and in the bucket
#     policy's key-id condition.
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
#   example: |
#     kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
package smlint.rules.kms_key_mismatch

import data.smlint.lib
import rego.v1

configured := input.setup.kms_key_arn

# The configured key and each bucket's default key as Go reads the reference
# (input.setup.kms_key, buckets[].kms_master_key): {ref, known, key_id (of a
# key ARN or a bare key id), alias, aws_managed (the aws/s3 key)}.
key := input.setup.kms_key

# The bucket's default encryption facts.
bucket_default contains b if {
	some b in input.buckets
	b.name in {input.setup.bucket, ""}
	startswith(b.sse_algorithm, "aws:kms")
	b.kms_master_key.known
}

# 1. Configured key vs the bucket's default key, compared by key id (a key
# ARN and the bare id name the same key: KMS "Key identifiers (KeyId)").
findings contains lib.finding(msg, {"file": b.file, "line": b.line}) if {
	key.known
	not key.alias
	some b in bucket_default
	not b.kms_master_key.aws_managed
	want := b.kms_master_key.key_id
	want != ""
	key.key_id != ""
	key.key_id != want
	msg := sprintf("the configured KMS key %s is not the bucket's default encryption key %s: uploads would be encrypted with a different key than the bucket's other objects (enter the bucket's key, or change the bucket default)", [configured, b.kms_master_key_id])
}

# 2. Configured key vs the key a bucket-policy Deny demands. Whether the
# condition holds is the IAM core's answer on the upload request (string
# operators compare case-sensitively, StringLike with wildcards:
# reference_policies_elements_condition_operators.html), not re-derived here.
findings contains lib.finding(msg, {"file": x.doc.file, "line": c.line, "sid": x.stmt.sid}) if {
	key.known
	some x in lib.statements("bucket")
	x.stmt.effect == "Deny"
	some c in x.stmt.condition
	c.key_lower == "s3:x-amz-server-side-encryption-aws-kms-key-id"
	denies_upload(x)
	msg := sprintf("bucket policy statement %s demands the KMS key %s %s, and the configured key %s does not qualify: the upload is denied", [lib.statement_ref(x.stmt), c.operator, concat(", ", c.values), configured])
}

denies_upload(x) if {
	some r in lib.requests("put-object")
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
	b.file == x.doc.file
	b.line == x.stmt.line
}

# 3. The key in another region than the bucket: "The AWS KMS key must be in
# the same Region as the bucket" (S3 "Specifying server-side encryption with
# AWS KMS"). The Go core decides it (key Region from the key ARN or
# describe-key, bucket Region from get-bucket-location or the setup) and
# refuses the KMS requests, so the verdict is denied too.
findings contains lib.finding(msg, lib.edit_location) if {
	input.sse_kms.applies
	input.sse_kms.refused == "region"
	msg := sprintf("KMS key %s: %s, so every upload is denied (use a key in the bucket's Region)", [smlint.display(input.sse_kms.key_arn), input.sse_kms.refused_why])
}

# 4. An alias where a key ARN is needed.
findings contains lib.finding(msg, lib.edit_location) if {
	key.known
	key.alias
	not key.aws_managed
	msg := sprintf("the configured KMS key %s is an alias: enter the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); a bucket-policy key-id condition and the key policy check cannot be matched against an alias", [configured])
}

cross_account if {
	input.setup.bucket_account != ""
	input.setup.bucket_account != input.caller.account
}

alias_severity := "error" if cross_account

alias_severity := "warning" if not cross_account

findings contains object.union(lib.finding(msg, {"file": b.file, "line": b.line}), {"severity": alias_severity}) if {
	some b in bucket_default
	b.kms_master_key.alias
	not b.kms_master_key.aws_managed
	msg := sprintf("the bucket's default KMSMasterKeyID is the alias %s, which S3 resolves in the requester's account, not the bucket's: give the key ARN", [b.kms_master_key_id])
}
