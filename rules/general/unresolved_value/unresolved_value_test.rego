package smlint.rules.unresolved_value_test

import data.smlint.rules.unresolved_value as rule
import rego.v1

base := {"documents": [], "principal": null, "unresolved": [], "requests": []}

why(code, kind, text) := {"code": code, "kind": kind, "text": text}

unknown_put := {"id": "put-object", "action": "s3:PutObject", "decision": "unknown", "reasons": [why("value-unknown", "resource", "Resource is known after apply")]}

test_hit_terraform_value if {
	inp := object.union(base, {
		"requests": [unknown_put],
		"unresolved": [{"file": "plan.json", "line": 40, "address": "aws_s3_bucket_policy.p", "what": "bucket policy document", "reason": "known after apply"}],
	})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	f.line == 40
	contains(f.message, "verdict is unknown")
}

test_hit_missing_key_policy if {
	inp := object.union(base, {"requests": [{"id": "kms-generate-data-key", "action": "kms:GenerateDataKey", "decision": "unknown", "reasons": [why("missing-document", "document", "SSE-KMS applies but no key policy was given (kms get-key-policy)")]}]})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "no key policy was given")
}

test_near_miss_unknown_for_other_reason if {
	inp := object.union(base, {"requests": [{"id": "put-object", "action": "s3:PutObject", "decision": "unknown", "reasons": [why("key-value-unknown", "condition", "aws:SourceIp is not known")]}]})
	count(rule.findings) == 0 with input as inp
}

# The rule reads the reason code, not the prose: a reason that only reads like
# a missing document is not one.
test_near_miss_prose_without_code if {
	inp := object.union(base, {"requests": [{"id": "kms-generate-data-key", "action": "kms:GenerateDataKey", "decision": "unknown", "reasons": [why("undecided", "evaluation", "the statement says no key policy was given")]}]})
	count(rule.findings) == 0 with input as inp
}

test_near_miss_unresolved_value_but_every_request_decided if {
	inp := object.union(base, {
		"requests": [object.union(unknown_put, {"decision": "allowed", "reasons": []})],
		"unresolved": [{"file": "t.yaml", "line": 15, "address": "Role", "what": "ARN of role", "reason": "account not in the template"}],
	})
	count(rule.findings) == 0 with input as inp
}

partial_csv := why("partial-key-space", "resource", "identity policy statement S (line 7): Resource \"arn:aws:s3:::b/p/*.csv\" covers only some object names under arn:aws:s3:::b/p/*: the vendor's file names are not known")

# SPEC §1 "Upload key space": PREFIX*.csv covers some file names, not all.
test_hit_partial_key_space if {
	inp := object.union(base, {"requests": [{"id": "put-object", "action": "s3:PutObject", "decision": "unknown", "reasons": [partial_csv]}]})
	fs := rule.findings with input as inp
	count(fs) == 1
	some f in fs
	contains(f.message, "*.csv")
}

test_near_miss_partial_key_space_on_delete_only if {
	inp := object.union(base, {"requests": [{"id": "delete-object", "action": "s3:DeleteObject", "decision": "unknown", "reasons": [partial_csv]}]})
	count(rule.findings) == 0 with input as inp
}

# The code decides, not the words: a reason that only mentions file names is
# not a partial key space.
test_near_miss_prose_mentions_file_names if {
	inp := object.union(base, {"requests": [{"id": "put-object", "action": "s3:PutObject", "decision": "unknown", "reasons": [why("value-unknown", "resource", "the vendor's file names are not known")]}]})
	count(rule.findings) == 0 with input as inp
}
