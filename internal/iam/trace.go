package iam

import "github.com/smlint/smlint/internal/policy"

// The trace: how each statement of each document considered met one
// request, element by element, so that rules read the evaluation core's
// answer instead of re-deriving which statements apply to a request.
// Evaluate builds none; EvaluateTraced builds it beside the decision. It
// costs one StatementTrace per statement considered, and the conditions of
// the statements whose Action, Resource and Principal do not fail are all
// evaluated (Evaluate stops at the first false one).

// PrincipalMatch says how a resource policy's Principal or NotPrincipal met
// the caller (reference_policies_elements_principal.html).
type PrincipalMatch string

const (
	// PrincipalNotChecked: the document takes no Principal (identity
	// policies, boundaries, SCPs), or matching stopped before it.
	PrincipalNotChecked PrincipalMatch = ""
	// PrincipalNone: no value names the caller (or an undecided value
	// names no identity).
	PrincipalNone PrincipalMatch = "none"
	// PrincipalDirect: "*", the caller's role ARN or unique id, or a
	// NotPrincipal that does not spare the caller.
	PrincipalDirect PrincipalMatch = "direct"
	// PrincipalAccount: the caller's account (arn:…:root or the bare id),
	// which delegates to the account's IAM policies.
	PrincipalAccount PrincipalMatch = "account"
	// PrincipalSession: the caller's role session ARN.
	PrincipalSession PrincipalMatch = "session"
	// PrincipalUser: the caller's IAM user ARN (or its unique id).
	PrincipalUser PrincipalMatch = "user"
)

func (k principalKind) match() PrincipalMatch {
	switch k {
	case kindWildcard, kindRole:
		return PrincipalDirect
	case kindAccount:
		return PrincipalAccount
	case kindSession:
		return PrincipalSession
	case kindUser:
		return PrincipalUser
	}
	return PrincipalNone
}

// StatementTrace is how one statement met one request. Matching goes
// Effect, Action, Resource, Principal, Condition and stops at the first
// element that does not match (StoppedAt); the elements after it were not
// evaluated and hold False.
type StatementTrace struct {
	Document  *policy.Document
	Statement *policy.Statement
	// Action: Action or NotAction matched the request's action (NotAction:
	// the action is not listed).
	Action Tri
	// Resource: Resource or NotResource matched the request's resource
	// (True for a trust policy, which names no Resource).
	Resource Tri
	// Principal and PrincipalResult: how Principal / NotPrincipal met the
	// caller, in resource policies only.
	Principal       PrincipalMatch
	PrincipalResult Tri
	// Conditions has one entry per condition of the statement, in order,
	// when matching reached the Condition block.
	Conditions []ConditionTrace
	// Result: the statement applies to the request (Kleene AND of the
	// elements).
	Result Tri
	// StoppedAt is the element that did not match (KindEffect, KindAction,
	// KindResource, KindPrincipal, KindCondition), "" when none failed.
	StoppedAt ReasonKind
	// Reasons explain a Maybe Result.
	Reasons []Reason
}

// ConditionTrace is one condition's answer for the request.
type ConditionTrace struct {
	Index  int // in Statement.Condition
	Result Tri
	// Reason says why: a code for every answer (CodeCompared,
	// CodeKeyAbsent, …), and a text for an undecided one.
	Reason Reason
}

// Names reports whether the statement's Action, Resource and Principal
// all may match the request, so that only its conditions (or its Effect)
// decide whether it applies.
func (t StatementTrace) Names() bool {
	switch t.StoppedAt {
	case KindEffect, KindAction, KindResource, KindPrincipal:
		return false
	}
	return true
}

// tracer collects the trace of one request. Only the first evaluation of a
// request is recorded: later readings (duplicate keys, SCP placements, a
// boundary reading) match the same statements the same way.
type tracer struct {
	stmts []StatementTrace
	done  bool
}

// EvaluateTraced is Evaluate with the trace of every statement of every
// document considered (documents without statements, such as unresolved
// ones, are named in Result.Because, not traced).
func EvaluateTraced(req Request, set PolicySet) (Result, []StatementTrace) {
	tr := &tracer{}
	res := evaluate(req, set, tr)
	return res, tr.stmts
}
