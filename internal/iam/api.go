package iam

import "github.com/smlint/smlint/internal/policy"

// Decision is the outcome of evaluating one request (SPEC §4 vocabulary).
type Decision string

const (
	Allowed      Decision = "allowed"
	ImplicitDeny Decision = "implicit_deny"
	ExplicitDeny Decision = "explicit_deny"
	Unknown      Decision = "unknown"
)

// Tri is a three-valued truth: a statement or condition matches, does not,
// or cannot be decided from what is known.
type Tri int8

const (
	False Tri = iota
	True
	Maybe
)

// PrincipalType is the kind of identity that makes a request.
type PrincipalType string

const (
	RoleSession PrincipalType = "AssumedRole" // values follow aws:PrincipalType
	User        PrincipalType = "User"
	Root        PrincipalType = "Account"
)

// Caller is the identity that makes a request, as a Principal element sees it
// (reference_policies_elements_principal.html).
type Caller struct {
	Type PrincipalType
	// ARN is the IAM ARN of the role or user: arn:aws:iam::ACCT:role/PATH/NAME
	// or arn:aws:iam::ACCT:user/NAME. For a role session a Principal naming
	// the role ARN matches the session.
	ARN string
	// SessionARN is arn:aws:sts::ACCT:assumed-role/NAME/SESSION for a role
	// session. The session name the vendor uses is not known, so it is
	// normally an Unknown value (policy.UnknownValue).
	SessionARN string
	// Account is the 12-digit account id of the caller.
	Account string
	// UniqueID is the AROA…/AIDA… id when known ("" otherwise).
	UniqueID string
}

// ValueState says whether a request-context key is present.
type ValueState int8

const (
	Present ValueState = iota
	Absent
	UnknownValue // the key may or may not be present, or its value is not known
	// Foreign: a value on the vendor's side that the customer does not
	// control (the vendor's organization id, its VPC, the session name it
	// picks). It is evaluated under every reading: absent (unless
	// AlwaysPresent), and present with a fresh value that starts with Prefix
	// and equals no literal in the customer's policies (SPEC §1). A
	// condition is decided only when every reading gives the same answer
	// (see EvalCondition).
	Foreign
)

// ContextValue is one request-context key.
type ContextValue struct {
	State  ValueState
	Values []string
	// Prefix and AlwaysPresent describe a Foreign value: the text every such
	// value starts with ("o-" for an organization id), and whether AWS puts
	// the key in every request of this kind (aws:userid, sts:RoleSessionName),
	// so that "absent" is not one of its readings.
	Prefix        string
	AlwaysPresent bool
}

// ForeignValue is a Foreign context value (see Foreign).
func ForeignValue(prefix string, alwaysPresent bool) ContextValue {
	return ContextValue{State: Foreign, Prefix: prefix, AlwaysPresent: alwaysPresent}
}

// Context maps lower-case condition key names to their values. Keys that are
// not in the map are Unknown. A key ending in "/*" or ":*" (for example
// "aws:principaltag/*") gives the value of every key with that prefix that is
// not itself in the map. aws:SourceIp holds CIDR ranges: an IP condition that
// covers only part of a range is treated as not matching in an Allow
// statement and as matching in a Deny statement, so that a verdict of Allowed
// holds for every address in the range.
type Context map[string]ContextValue

// Request is one API call to evaluate.
type Request struct {
	Action   string // e.g. "s3:PutObject"
	Resource string // e.g. "arn:aws:s3:::bucket/prefix/file"
	Caller   Caller
	Context  Context
}

// Mode says how resource-policy statements combine with identity policies.
type Mode int8

const (
	// SameAccount: identity ∪ resource policy (S3 bucket in the caller's
	// account): either may allow (reference_policies_evaluation-logic.html).
	SameAccount Mode = iota
	// CrossAccount: both the caller's identity policies and the resource
	// policy must allow (reference_policies_evaluation-logic-cross-account.html).
	CrossAccount
	// ResourceMustAllow: role trust policies and KMS key policies must allow
	// explicitly. A resource statement that matches the caller only through
	// its account (arn:aws:iam::ACCT:root or the bare id) delegates to the
	// caller's identity policies, which must then allow too
	// (key-policy-default.html: "Without this permission, IAM policies that
	// allow access to the key are ineffective").
	ResourceMustAllow
)

// PolicySet is every document that applies to one request.
type PolicySet struct {
	Identity []*policy.Document // attached to the caller
	Resource []*policy.Document // bucket, key or trust policy of the resource
	Boundary []*policy.Document // caller's permissions boundary (nil: none)
	SCP      []*policy.Document // SCPs of the caller's account, taken as one level (nil: none)
	// SCPLevels are the SCPs of the caller's account by organisation level
	// (the root, each OU on the path, the account): every non-empty level
	// must allow, and a Deny at any level denies
	// (orgs_manage_policies_scps_evaluation.html). See scp.go.
	SCPLevels [][]*policy.Document
	// SCPLevelNames name the levels for messages (index-aligned with
	// SCPLevels; missing names are numbered).
	SCPLevelNames []string
	// SCPLevelComplete marks levels whose attached SCPs are all known (an
	// organizations list-policies-for-target output): such a level without
	// an Allow denies, where otherwise FullAWSAccess is assumed beside SCPs
	// that hold only Deny statements.
	SCPLevelComplete []bool
	// SCPUnplaced are SCPs whose level is not known. Pooling them into one
	// level is unsound (two allow-lists at different levels allow only what
	// both allow), so Evaluate decides under every assignment of them to
	// levels and answers Unknown when the assignments disagree.
	SCPUnplaced []*policy.Document
	Mode        Mode
	// IdentityOutsideView is true when the caller's identity policies live in
	// an account smlint cannot see (the vendor's role calling sts:AssumeRole):
	// they are then taken to allow, and only Resource (and deny anywhere) decide.
	IdentityOutsideView bool
}

// Match is a statement that took part in a decision.
type Match struct {
	Document  *policy.Document
	Statement *policy.Statement
	Result    Tri // True: it applies; Maybe: it may apply
}

// Result is the decision on one request with the statements that made it.
type Result struct {
	Decision Decision
	// Because lists the deciding statements: the matching Deny for an
	// explicit deny, the granting Allow(s) for allowed, the statements whose
	// match was undecidable for unknown; empty for an implicit deny.
	Because []Match
	// Reasons explain an Unknown decision ("condition key
	// aws:PrincipalOrgID has no known value", "Resource is known after
	// apply"), and an explicit deny by SCPs, each with a code.
	Reasons []Reason
}
