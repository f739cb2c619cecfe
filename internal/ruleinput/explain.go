package ruleinput

// The evaluation core's explanations (internal/iam reason.go and trace.go)
// and the facts Go reads from values, so that rules never re-derive IAM
// semantics: they test codes and results, never English text or names.

// Reason explains a request's decision.
type Reason struct {
	// Code is what rules test: internal/iam (reason.go) and internal/check
	// (reasons.go) list them ("missing-document", "partial-key-space", …).
	Code string `json:"code"`
	// Kind is the part of the policy or request the reason is about.
	Kind string `json:"kind"`
	// Text is the English, for messages only.
	Text string `json:"text"`
}

// StatementTrace is how one statement met a request, from the evaluation
// core's trace: only statements whose Effect and Action (or NotAction) may
// match the request are listed. Matching goes Action, Resource, Principal,
// Condition and stops at the first element that does not match.
type StatementTrace struct {
	// Doc and Index name the statement (documents[].id, statements[].index).
	Doc   string `json:"doc"`
	Index int    `json:"index"`
	Sid   string `json:"sid"`
	Line  int    `json:"line"`
	// Effect as written.
	Effect string `json:"effect"`
	Action string `json:"action" enum:"true,maybe"`
	// Resource is "false" when matching stopped there.
	Resource string `json:"resource" enum:"true,maybe,false"`
	// Principal is how a resource policy's Principal or NotPrincipal met
	// the caller: "" where the document takes none (identity, boundary,
	// SCP); "direct" ("*", the role ARN or id, a NotPrincipal that does not
	// spare the caller), "account" (delegates to the account's IAM
	// policies), "session" (the role session ARN), "user", or "none" (an
	// undecided value naming no identity).
	Principal       string `json:"principal" enum:",none,direct,account,session,user"`
	PrincipalResult string `json:"principal_result" enum:",true,maybe,false"`
	// Result: the statement applies to the request.
	Result string `json:"result" enum:"true,false,maybe"`
	// StoppedAt is the element that did not match: "resource" (the
	// statement grants the action on other resources only), "principal"
	// (to other principals only), "condition" (a condition is false), or
	// "" when none failed. Elements after it were not evaluated.
	StoppedAt string `json:"stopped_at" enum:",resource,principal,condition"`
	// Conditions are the statement's conditions, each evaluated, when
	// matching reached the Condition block (empty otherwise).
	Conditions []ConditionTrace `json:"conditions"`
}

// ConditionTrace is one condition's answer for the request.
type ConditionTrace struct {
	// Index is the condition's position in the statement's condition list.
	Index  int    `json:"index"`
	Result string `json:"result" enum:"true,false,maybe"`
	// Code says why ("compared", "key-absent", "key-value-unknown", …).
	Code string `json:"code"`
	// Text explains an undecided answer, for messages only.
	Text string `json:"text"`
}

// Operator is a condition operator as parsed when its document was read
// (policy.ParseOperator).
type Operator struct {
	// Valid: IAM defines the operator.
	Valid bool `json:"valid"`
	// Base is the lower-case operator without qualifiers ("notipaddress").
	Base string `json:"base"`
	// Set is the multivalued-key qualifier.
	Set      string `json:"set" enum:"foranyvalue,forallvalues,"`
	IfExists bool   `json:"if_exists"`
	// Negated marks the Not… operators.
	Negated bool `json:"negated"`
}

// KeyRef is a KMS key reference as the setup or a bucket's default
// encryption writes it, read in Go (KMS "Key identifiers (KeyId)").
type KeyRef struct {
	Ref string `json:"ref"`
	// Known: the reference is given and resolved.
	Known bool `json:"known"`
	// KeyID is the key id of a key ARN or a bare key id, "" otherwise.
	KeyID string `json:"key_id"`
	// Alias: an alias name (alias/NAME) or alias ARN.
	Alias bool `json:"alias"`
	// AWSManaged: the AWS managed key aws/s3.
	AWSManaged bool `json:"aws_managed"`
}
