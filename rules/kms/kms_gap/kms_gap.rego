# METADATA
# title: The uploader cannot use the KMS key
# description: >-
#   SSE-KMS applies (a key is configured, or the bucket's default encryption
#   uses a customer managed key), and S3, calling KMS with the uploader's
#   credentials, is refused: kms:GenerateDataKey (every upload; error) or
#   kms:Decrypt (multipart uploads, which SDKs use for large files; warning).
#   A key policy does not give the account access by itself: it must grant
#   the role or user directly, or carry the account-root "Enable IAM
#   policies" statement so that an identity policy can grant it
#   (key-policy-default.html). kms:ViaService and
#   kms:EncryptionContext:aws:s3:arn conditions must match what S3 sends; with
#   S3 Bucket Keys the context is the bucket ARN, not the object ARN
#   (bucket-key.html).
# schemas:
#   - input: schema.input
# custom:
#   id: kms-gap
#   severity: error
#   remediation: >-
#     Allow kms:GenerateDataKey and kms:Decrypt on the key to the role (or
#     user): either in the key policy directly, or in its identity policy when
#     the key policy has the account-root statement. Match kms:ViaService to
#     s3.REGION.amazonaws.com and the encryption context to the object ARN
#     (the bucket ARN with Bucket Keys).
#   docs: https://repost.aws/knowledge-center/s3-large-file-encryption-kms-key
#   example: |
#     {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
#      "Resource": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
package smlint.rules.kms_gap

import data.smlint.lib
import rego.v1

key_arn := input.sse_kms.key_arn

key_account := a.account if {
	startswith(key_arn, "arn:")
	a := smlint.arn(key_arn)
	a.valid
}

key_account := input.caller.account if not startswith(key_arn, "arn:")

# The IAM core's trace of a KMS request lists the statements whose Action or
# NotAction allows the call. key_root_statement: a key policy statement
# allows it to the account principal (the trace's principal match
# "account"), which delegates to the account's IAM policies
# (key-policy-default.html).
key_root_statement(r) if {
	some x in lib.traced(r, "key")
	x.trace.effect == "Allow"
	x.trace.principal == "account"
}

# identity_grant: an identity policy statement allows the call's action,
# whatever its Resource and conditions.
identity_grant(r) if {
	some x in lib.traced(r, "identity")
	x.trace.effect == "Allow"
}

kms_condition_keys := {"kms:viaservice", "kms:encryptioncontext:aws:s3:arn", "kms:encryptioncontextkeys", "kms:calleraccount"}

# Conditions on KMS-specific keys that the IAM core found false for the
# call S3 makes, in statements that would otherwise grant it, in trace order.
kms_conditions(r) := [[x.doc, x.stmt, c] |
	some kind in ["key", "identity"]
	some x in lib.traced(r, kind)
	x.trace.effect == "Allow"
	some tc in x.trace.conditions
	tc.result == "false"
	c := x.stmt.condition[tc.index]
	c.key_lower in kms_condition_keys
]

context_value := lib.bucket_arn if input.sse_kms.bucket_key

context_value := lib.object_path if not input.sse_kms.bucket_key

sent_value(c) := sprintf("s3.%s.amazonaws.com", [input.setup.region]) if c.key_lower == "kms:viaservice"

sent_value(c) := sprintf("%s (Bucket Keys are enabled, so the context is the bucket ARN, not the object ARN)", [context_value]) if {
	c.key_lower == "kms:encryptioncontext:aws:s3:arn"
	input.sse_kms.bucket_key
}

sent_value(c) := context_value if {
	c.key_lower == "kms:encryptioncontext:aws:s3:arn"
	not input.sse_kms.bucket_key
}

sent_value(c) := "aws:s3:arn" if c.key_lower == "kms:encryptioncontextkeys"

sent_value(c) := input.caller.account if c.key_lower == "kms:calleraccount"

need(r) := "every upload fails" if r.id == "kms-generate-data-key"

need(r) := "multipart uploads (which SDKs use for large files) fail" if r.id == "kms-decrypt"

severity(r) := "error" if r.id == "kms-generate-data-key"

severity(r) := "warning" if r.id == "kms-decrypt"

# why explains a refusal, with where to fix it. The request's kms detail
# holds the IAM core's answer for each policy alone (key policy without and
# with IAM delegation, identity policies), so the message blames the policy
# that actually refuses, not a condition that is in fact met. (Go sets it on
# every KMS request it evaluates: the others are unknown or refused.)
why(r) := [sprintf("the Deny statement %s in %s:%d matches", [b.sid, b.file, b.line]), {"file": b.file, "line": b.line, "sid": b.sid}] if {
	r.decision == "explicit_deny"
	some b in r.because
	b.effect == "Deny"
} else := [input.sse_kms.refused_why, lib.edit_location] if {
	input.sse_kms.refused == "state"
} else := [msg, key_location] if {
	d := r.kms
	not d.key_policy_delegates in {"allowed", "unknown"}
	not cross_account
	msg := sprintf("the key policy neither grants %s to %s nor delegates to IAM (no statement allows it to the account principal arn:aws:iam::%s:root, as the default \"Enable IAM User Permissions\" statement does), so no identity policy can grant it", [r.action, smlint.display(r.principal), key_account])
} else := [msg, key_location] if {
	d := r.kms
	not d.key_policy_delegates in {"allowed", "unknown"}
	cross_account
	msg := sprintf("the key belongs to account %s, not the role's account %s, and its key policy allows %s neither to %s nor to the account arn:aws:iam::%s:root", [input.sse_kms.key_account, input.caller.account, r.action, smlint.display(r.principal), input.caller.account])
} else := [msg, lib.edit_location] if {
	d := r.kms
	cross_account
	d.identity != "allowed"
	msg := sprintf("the key belongs to account %s, not the role's account %s: across accounts the key policy is not enough, the role's identity policy must also allow %s on %s, and none does (Allowing users in other accounts to use a KMS key)", [input.sse_kms.key_account, input.caller.account, r.action, smlint.display(key_arn)])
} else := [sprintf("the %s condition %s %s in %s policy statement %s is not met: S3 sends %s", [c.operator, c.key, concat(", ", c.values), d.kind, lib.statement_ref(s), sent_value(c)]), {"file": d.file, "line": c.line, "sid": s.sid}] if {
	blamed := [x | some x in kms_conditions(r); refusing_kind(r, x[0].kind)]
	count(blamed) > 0
	[d, s, c] := blamed[0]
} else := [sprintf("the key policy delegates to IAM (account-root statement) but no identity policy of %s allows %s on the key", [smlint.display(r.principal), r.action]), lib.edit_location] if {
	key_root_statement(r)
	not identity_grant(r)
} else := [sprintf("the key policy delegates to IAM but no identity policy of %s allows %s on the key", [smlint.display(r.principal), r.action]), lib.edit_location] if {
	r.kms.key_policy_delegates == "allowed"
	r.kms.identity != "allowed"
} else := [sprintf("no statement allows %s on the key for %s", [r.action, smlint.display(r.principal)]), key_location]

cross_account if input.sse_kms.cross_account == true

# refusing_kind: conditions are blamed only in the policy that refuses.
refusing_kind(r, "identity") if r.kms.identity != "allowed"

refusing_kind(r, "key") if not r.kms.key_policy_delegates in {"allowed", "unknown"}

key_location := {"file": d.file, "line": d.line} if {
	ds := lib.documents("key")
	count(ds) > 0
	d := ds[0]
} else := lib.edit_location

findings contains object.union(lib.finding(msg, loc), {"severity": severity(r), "resource": key_arn}) if {
	input.sse_kms.applies
	some r in input.requests
	r.id in {"kms-generate-data-key", "kms-decrypt"}
	lib.denied(r)
	object.get(input.sse_kms, "refused", "") != "region" # kms-key-mismatch reports the Region
	[reason, loc] := why(r)
	msg := sprintf("%s on KMS key %s is refused, so %s: %s%s", [r.action, smlint.display(key_arn), need(r), reason, grant_note(r)])
}

# grant_note: a grant for the caller that does not apply (its constraint
# does not hold for S3's encryption context), from the Go core.
grant_note(r) := sprintf("; %s", [r.kms.grant_note]) if {
	r.kms.grant_note != ""
} else := ""
