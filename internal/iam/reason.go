package iam

// Reason explains part of an answer. Code is what Go and the rules read;
// Kind is the part of the policy or request it is about; Text is the English
// for reports. Codes are stable; texts may be reworded.
type Reason struct {
	Code ReasonCode
	Kind ReasonKind
	Text string
}

// String is the English text, so that a Reason prints as it always did.
func (r Reason) String() string { return r.Text }

// ReasonKind is the part of a policy or request a Reason is about.
type ReasonKind string

const (
	KindDocument   ReasonKind = "document"   // a whole document
	KindEffect     ReasonKind = "effect"     // Effect
	KindAction     ReasonKind = "action"     // Action / NotAction, or the request's action
	KindResource   ReasonKind = "resource"   // Resource / NotResource, or the request's resource
	KindPrincipal  ReasonKind = "principal"  // Principal / NotPrincipal, or the caller
	KindCondition  ReasonKind = "condition"  // one operator/key pair of a Condition block
	KindSCP        ReasonKind = "scp"        // SCP levels
	KindEvaluation ReasonKind = "evaluation" // the evaluation as a whole
)

// ReasonCode names one cause. Codes of undecided (Maybe) answers:
type ReasonCode string

const (
	// CodeDocumentUnknown: a whole document is not known (Terraform
	// "known after apply", a document named but not given).
	CodeDocumentUnknown ReasonCode = "document-unknown"
	// CodeReadingsDiffer: a document with duplicate JSON keys decides
	// differently under its first-copy and last-copy readings (SPEC §4).
	CodeReadingsDiffer ReasonCode = "readings-differ"
	// CodeValueUnknown: a value written in a policy (Effect, an action, a
	// resource, a principal, a condition operator, key or value) is not known.
	CodeValueUnknown ReasonCode = "value-unknown"
	// CodeRequestValueUnknown: a value of the request (its action, its
	// resource, a context value) is not known.
	CodeRequestValueUnknown ReasonCode = "request-value-unknown"
	// CodeElementMissing: a Deny statement lacks Action, Resource or
	// Principal, which IAM rejects; what it was meant to deny is not known.
	CodeElementMissing ReasonCode = "element-missing"
	// CodePartialKeySpace: a pattern covers only some of the object names
	// the vendor may write in the upload folder (the names are not known
	// in advance).
	CodePartialKeySpace ReasonCode = "partial-key-space"
	// CodeARNWildcardColon: whether a wildcard spans ':' in the resource
	// part of an ARN is not documented.
	CodeARNWildcardColon ReasonCode = "arn-wildcard-colon"
	// CodeVariableUnknown: a policy variable has no known value (or is
	// malformed, multivalued, or a value of the vendor's side).
	CodeVariableUnknown ReasonCode = "variable-unknown"
	// CodeVariableAbsent: a policy variable has no value in the request,
	// in a Deny, where "AWS might" treat the statement as invalid
	// (reference_policies_variables.html).
	CodeVariableAbsent ReasonCode = "variable-absent"
	// CodeCallerUnknown: the caller's ARN, account or session is not known.
	CodeCallerUnknown ReasonCode = "caller-unknown"
	// CodeLetterCase: a principal differs from the caller only in letter case.
	CodeLetterCase ReasonCode = "letter-case"
	// CodeSessionNameUnknown: a principal names a role session of the
	// caller's role, and the vendor's session name is not known.
	CodeSessionNameUnknown ReasonCode = "session-name-unknown"
	// CodeNotPrincipalUndecided: whether NotPrincipal lists every identity
	// AWS checks for the caller cannot be decided.
	CodeNotPrincipalUndecided ReasonCode = "notprincipal-undecided"
	// CodeOperatorUndefined: a condition operator IAM does not define.
	CodeOperatorUndefined ReasonCode = "operator-undefined"
	// CodeNoValues: a condition key with no values.
	CodeNoValues ReasonCode = "no-values"
	// CodeKeyValueUnknown: the request context value of a condition key is
	// not known.
	CodeKeyValueUnknown ReasonCode = "key-value-unknown"
	// CodeForeignValue: a condition on a value of the vendor's side holds
	// under some of its readings and not under others (SPEC §1).
	CodeForeignValue ReasonCode = "foreign-value"
	// CodeNullValueInvalid: a Null condition value that is neither true
	// nor false.
	CodeNullValueInvalid ReasonCode = "null-value-invalid"
	// CodeAnyValueIfExistsAbsent: ForAnyValue:…IfExists on an absent key
	// (ForAnyValue says false, IfExists says true).
	CodeAnyValueIfExistsAbsent ReasonCode = "foranyvalue-ifexists-absent"
	// CodeMultiValuedKey: an operator without ForAnyValue/ForAllValues
	// decides the several values of a key differently.
	CodeMultiValuedKey ReasonCode = "multi-valued-key"
	// CodeNotComparable: values that the operator cannot compare (not
	// numbers, dates, IP addresses).
	CodeNotComparable ReasonCode = "not-comparable"
	// CodeUndecided: a match that cannot be decided, with no more
	// particular cause.
	CodeUndecided ReasonCode = "undecided"
	// CodeSCPLevelUnknown: the organisation level of an SCP is not known
	// and the answer depends on it.
	CodeSCPLevelUnknown ReasonCode = "scp-level-unknown"
)

// Codes of decided answers:
const (
	// CodeSCPNoAllow: no SCP Allow matches at some level, which AWS
	// answers with an explicit deny (orgs_manage_policies_scps_evaluation.html).
	CodeSCPNoAllow ReasonCode = "scp-no-allow"
	// CodeKeyAbsent: the condition key is not in the request, and the
	// operator's rule for a missing key decided the condition.
	CodeKeyAbsent ReasonCode = "key-absent"
	// CodeCompared: the request's values were compared with the
	// condition's values.
	CodeCompared ReasonCode = "compared"
	// CodeNullCheck: a Null condition decided by the key's presence.
	CodeNullCheck ReasonCode = "null-check"
	// CodeIPRangePartial: the request's address range is partly inside the
	// listed CIDRs: false in an Allow, true in a Deny, so that Allowed holds
	// for every address of the range.
	CodeIPRangePartial ReasonCode = "ip-range-partial"
	// CodeForeignReadingsAgree: a condition on a value of the vendor's side
	// gives the same answer under every reading.
	CodeForeignReadingsAgree ReasonCode = "foreign-readings-agree"
)

func why(code ReasonCode, kind ReasonKind, text string) Reason {
	return Reason{Code: code, Kind: kind, Text: text}
}

// condWhy is a Reason about a condition.
func condWhy(code ReasonCode, text string) Reason { return why(code, KindCondition, text) }

// decided is the Reason of a decided condition: a code without text.
func decided(code ReasonCode) Reason { return Reason{Code: code, Kind: KindCondition} }

// Texts are the English texts of reasons, for reports.
func Texts(rs []Reason) []string {
	if rs == nil {
		return nil
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}

// HasCode reports whether some reason has code c.
func HasCode(rs []Reason, c ReasonCode) bool {
	for _, r := range rs {
		if r.Code == c {
			return true
		}
	}
	return false
}

// prefixed is r with its text after label ("bucket policy statement X: …").
func prefixed(label string, r Reason) Reason {
	r.Text = label + ": " + r.Text
	return r
}

// dedupe drops reasons whose text an earlier one has.
func dedupe(rs []Reason) []Reason {
	seen := map[string]bool{}
	out := rs[:0:0]
	for _, r := range rs {
		if !seen[r.Text] {
			seen[r.Text] = true
			out = append(out, r)
		}
	}
	return out
}

// unknownValue is the Reason for a policy value that is not known, the
// element named in the text ("Resource known after apply: …").
func unknownValue(kind ReasonKind, element, v string) Reason {
	return why(CodeValueUnknown, kind, element+" "+unknownWhy(v))
}
