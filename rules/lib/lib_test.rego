package smlint.lib_test

import data.smlint.lib
import rego.v1

vendor := {
	"name": "supermetrics", "display_name": "Supermetrics",
	"principal_arn": "arn:aws:iam::043417694514:role/supermetrics-s3-role",
	"account": "043417694514", "assume_action": "sts:AssumeRole",
}

vendor_principal := {"wildcard": false, "aws": [vendor.principal_arn], "service": [], "federated": [], "canonical_user": []}

other_principal := {"wildcard": false, "aws": ["arn:aws:iam::999999999999:role/other"], "service": [], "federated": [], "canonical_user": []}

stmt(principal, action, not_action) := {"index": 0, "sid": "", "line": 3, "effect": "Allow", "principal": principal, "action": action, "not_action": not_action, "condition": []}

# covering(s, covers) is s with the assume-action fact Go computes for it
# (internal/check TestAssumeFacts pins the matching itself).
covering(s, covers) := object.union(s, {"facts": {"covers_assume": covers, "assume_patterns": []}})

# --- text.rego

test_vendor_possessive_ending_in_s if {
	lib.vendor_possessive == "Supermetrics'" with input.vendor as vendor
}

test_vendor_possessive_other if {
	lib.vendor_possessive == "Acme's" with input.vendor as {"display_name": "Acme"}
}

test_statement_ref_sid if {
	lib.statement_ref({"sid": "Upload", "index": 0}) == `"Upload"`
}

test_statement_ref_position if {
	lib.statement_ref({"sid": "", "index": 1}) == "#2"
}

test_statement_label_sid if {
	lib.statement_label({"sid": "DenyAll"}) == `statement "DenyAll"`
}

test_statement_label_no_sid if {
	lib.statement_label({"sid": ""}) == "a statement without Sid"
}

# --- lib.rego

test_has_deny_statement if {
	lib.has_deny_statement({"because": [{"effect": "Allow"}, {"effect": "Deny"}]})
	not lib.has_deny_statement({"because": [{"effect": "Allow"}]})
	not lib.has_deny_statement({"because": []})
}

test_caller_arns if {
	arns := lib.caller_arns with input as {
		"caller": {"arn": "arn:aws:sts::1:assumed-role/r/s"},
		"principal": {"arn": "arn:aws:iam::1:role/r"},
		"setup": {"role_arn": ""},
	}
	arns == {"arn:aws:sts::1:assumed-role/r/s", "arn:aws:iam::1:role/r"}
}

test_caller_arns_no_principal if {
	arns := lib.caller_arns with input as {
		"caller": {"arn": "arn:aws:iam::1:user/u"},
		"principal": null,
		"setup": {"role_arn": "arn:aws:iam::1:role/r"},
	}
	arns == {"arn:aws:iam::1:user/u", "arn:aws:iam::1:role/r"}
}

test_ip_condition if {
	lib.ip_condition({"key": "aws:SourceIp", "key_lower": "aws:sourceip", "op": {"base": "notipaddress"}})
	lib.ip_condition({"key": "AWS:SOURCEIP", "key_lower": "aws:sourceip", "op": {"base": "ipaddress"}})
	not lib.ip_condition({"key": "aws:SourceIp", "key_lower": "aws:sourceip", "op": {"base": "stringequals"}})
	not lib.ip_condition({"key": "aws:VpcSourceIp", "key_lower": "aws:vpcsourceip", "op": {"base": "ipaddress"}})
}

test_reason_text if {
	lib.reason_text({"reasons": [{"code": "a", "kind": "k", "text": "one"}, {"code": "b", "kind": "k", "text": "two"}]}) == "one; two"
	lib.reason_text({"reasons": []}) == ""
}

# --- trust.rego

test_vendor_caller if {
	lib.vendor_caller == {"arn": vendor.principal_arn, "account": vendor.account} with input.vendor as vendor
}

test_trust_docs_skip_unresolved if {
	docs := lib.trust_docs with input.documents as [
		{"id": "doc-1", "kind": "trust", "unresolved": "", "statements": []},
		{"id": "doc-2", "kind": "trust", "unresolved": "not in the plan", "statements": []},
		{"id": "doc-3", "kind": "identity", "unresolved": "", "statements": []},
		{"id": "doc-4", "kind": "trust", "statements": []},
	]
	[d.id | some d in docs] == ["doc-1", "doc-4"]
}

test_covers_assume_reads_the_fact if {
	lib.covers_assume(covering(stmt(vendor_principal, ["sts:*"], null), true)) with input.vendor as vendor
	not lib.covers_assume(covering(stmt(vendor_principal, ["sts:TagSession"], null), false)) with input.vendor as vendor
}

test_vendor_statement if {
	lib.vendor_statement(covering(stmt(vendor_principal, ["sts:AssumeRole"], null), true)) with input.vendor as vendor
	not lib.vendor_statement(covering(stmt(other_principal, ["sts:AssumeRole"], null), true)) with input.vendor as vendor
	not lib.vendor_statement(covering(stmt(vendor_principal, ["sts:TagSession"], null), false)) with input.vendor as vendor
	not lib.vendor_statement(object.union(covering(stmt(vendor_principal, ["sts:AssumeRole"], null), true), {"effect": "Deny"})) with input.vendor as vendor
}
