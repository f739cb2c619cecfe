# METADATA
# title: Shared helpers for smlint rules
# description: >-
#   Lookups over the rule input (requests, documents, the principal) and the
#   shape of a finding. IAM semantics are not derived here: the decisions in
#   input.requests come from the Go evaluation core, and matching questions go
#   to the smlint.* builtins.
# schemas:
#   - input: schema.input
package smlint.lib

import rego.v1

# requests(id) lists the evaluated vendor requests with that id (one per
# vendor source range).
requests(id) := [r | some r in input.requests; r.id == id]

# denied(r): the request is refused, explicitly or implicitly.
denied(r) if r.decision in {"implicit_deny", "explicit_deny"}

# has_deny_statement(r): a Deny statement is among the request's deciding
# statements (an SCP without a matching Allow denies with none).
has_deny_statement(r) if {
	some b in r.because
	b.effect == "Deny"
}

# documents of one kind.
documents(kind) := [d | some d in input.documents; d.kind == kind]

# doc(id) is the input document with that id.
doc(id) := d if {
	some d in input.documents
	d.id == id
}

# traced(r, kind) lists the statements of one kind of document that the IAM
# core's trace of request r lists (their Effect and Action or NotAction
# match the request), each with its document and trace entry; t.stopped_at
# says whether the Resource, Principal or a condition then did not match.
traced(r, kind) := [{"doc": d, "stmt": s, "trace": t} |
	some t in r.trace
	d := doc(t.doc)
	d.kind == kind
	some s in d.statements
	s.index == t.index
]

# statements of one kind of document, each with its document.
statements(kind) := [{"doc": d, "stmt": s} |
	some d in input.documents
	d.kind == kind
	some s in d.statements
]

# as_list turns an element that may be absent (null) into a list.
as_list(x) := [] if x == null

as_list(x) := x if x != null

# The place a user should edit to add a missing permission: the first
# permission policy of the principal, else the principal itself, else the
# trust policy, else nothing.
default edit_location := {"file": "", "line": 0}

edit_location := {"file": d.file, "line": d.line} if {
	ds := documents("identity")
	count(ds) > 0
	d := ds[0]
}

edit_location := {"file": input.principal.file, "line": input.principal.line} if {
	count(documents("identity")) == 0
	input.principal != null
}

edit_location := {"file": d.file, "line": d.line} if {
	count(documents("identity")) == 0
	input.principal == null
	ds := documents("trust")
	count(ds) > 0
	d := ds[0]
}

# finding builds a finding at a location object {file, line[, sid]}.
finding(msg, loc) := {
	"message": msg,
	"file": object.get(loc, "file", ""),
	"line": object.get(loc, "line", 0),
	"sid": object.get(loc, "sid", ""),
}

# at_statement is the location of a statement of a document.
at_statement(d, s) := {"file": d.file, "line": s.line, "sid": s.sid}

# at_because is the location of a deciding statement of a request.
at_because(b) := {"file": b.file, "line": b.line, "sid": b.sid}

# object_path is the upload destination as people write it.
object_path := sprintf("arn:aws:s3:::%s/%s*", [input.setup.bucket, input.setup.prefix])

bucket_arn := sprintf("arn:aws:s3:::%s", [input.setup.bucket])

# The vendor's principal ARN.
vendor_arn := input.vendor.principal_arn

# caller_arns: the ARNs that may stand for the caller in a policy's principal
# (the caller, the principal checked, the configured role).
caller_arns := {p | some p in [input.caller.arn, object.get(input, ["principal", "arn"], ""), input.setup.role_arn]; p != ""}

# ip_condition(c): an IpAddress or NotIpAddress condition on aws:SourceIp
# (c.op is the operator as parsed when the document was read, c.key_lower the
# key in lower case: key names are not case-sensitive).
ip_condition(c) if {
	c.key_lower == "aws:sourceip"
	c.op.base in {"ipaddress", "notipaddress"}
}

# reason_text is the English of a request's reasons, for messages (rules
# test reason codes, never this text).
reason_text(r) := concat("; ", [x.text | some x in r.reasons])
