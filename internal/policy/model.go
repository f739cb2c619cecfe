package policy

import (
	"strconv"
	"strings"
)

// Kind says which role a document plays in an AWS authorization decision.
type Kind string

// The kinds of document.
const (
	Identity Kind = "identity" // attached to the vendor's role or user (inline or managed)
	Trust    Kind = "trust"    // a role's AssumeRolePolicyDocument
	Bucket   Kind = "bucket"   // S3 bucket policy
	Key      Kind = "key"      // KMS key policy
	Boundary Kind = "boundary" // permissions boundary of the role or user
	SCP      Kind = "scp"      // AWS Organizations service control policy
)

// Kinds lists every Kind, in report order.
var Kinds = []Kind{Trust, Identity, Boundary, Bucket, Key, SCP}

// Valid IAM policy language versions (IAM grammar: reference_policies_grammar.html).
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// unknownPrefix marks a string value that an input left unresolved. It starts
// with a code point that cannot occur in a deployable IAM policy (IAM accepts
// only U+0009, U+000A, U+000D and U+0020–U+00FF), so no real value collides.
const unknownPrefix = "\uFFFFunknown:"

// UnknownValue returns the marker for a value left unresolved, with the reason
// (for example `known after apply: aws_s3_bucket.data.arn`).
func UnknownValue(reason string) string { return unknownPrefix + reason }

// IsUnknown reports whether s is an unresolved value.
func IsUnknown(s string) bool { return strings.HasPrefix(s, unknownPrefix) }

// UnknownReason returns the reason given to UnknownValue, or "" for a known value.
func UnknownReason(s string) string {
	if !IsUnknown(s) {
		return ""
	}
	r := strings.TrimPrefix(s, unknownPrefix)
	if i := strings.Index(r, symbolSep); i >= 0 {
		r = r[:i]
	}
	return r
}

// symbolSep delimits the identity of a symbolic value (U+FFFE, which no
// deployable policy contains either).
const symbolSep = "\uFFFE"

// NewARNSymbol starts the identity of a symbolic value that is the ARN of a
// resource the input itself creates (a CloudFormation !GetAtt X.Arn): two
// such values with different identities name different resources, so they
// are different ARNs.
const NewARNSymbol = "new-arn:"

// SymbolicValue is an unknown value with an identity: the same id always
// stands for the same value (the ARN a template's key gets when deployed),
// so it equals itself although its text is not known. Only loaders that
// know a value is exactly the thing named (not a string built from it) may
// make one.
func SymbolicValue(reason, id string) string {
	return UnknownValue(SymbolicReason(reason, id))
}

// SymbolicReason is the reason text carrying id, for loaders that build
// unknown tree nodes (tree.NewUnknown) which later become UnknownValue.
func SymbolicReason(reason, id string) string {
	if i := strings.Index(reason, symbolSep); i >= 0 {
		reason = reason[:i]
	}
	return reason + symbolSep + id + symbolSep
}

// Symbol returns the identity of a symbolic value, "" for anything else
// (a known value, an unknown without identity, a string that merely
// contains a symbolic value).
func Symbol(s string) string {
	if !IsUnknown(s) {
		return ""
	}
	body := strings.TrimPrefix(s, unknownPrefix)
	i := strings.Index(body, symbolSep)
	if i < 0 || !strings.HasSuffix(body, symbolSep) || len(body) < i+2*len(symbolSep)+1 {
		return ""
	}
	id := body[i+len(symbolSep) : len(body)-len(symbolSep)]
	if strings.Contains(id, symbolSep) || strings.ContainsRune(body, '\uFFFF') {
		return ""
	}
	return id
}

// SameSymbol compares two values by identity: (true, true) when both are
// the same symbolic value, (false, true) when both are ARNs of different
// resources the input creates, ok=false when identity does not decide.
func SameSymbol(a, b string) (same, ok bool) {
	sa, sb := Symbol(a), Symbol(b)
	switch {
	case sa == "" || sb == "":
		return false, false
	case sa == sb:
		return true, true
	case strings.HasPrefix(sa, NewARNSymbol) && strings.HasPrefix(sb, NewARNSymbol):
		return false, true
	}
	return false, false
}

// Document is one policy document.
type Document struct {
	Kind Kind
	// File is the path the user gave; Line is the 1-based line where the
	// document (its JSON object or its embedding string) starts.
	File string
	Line int
	// Origin says how the document is attached to what it governs (an
	// inline policy, a managed policy, a group's policy, a trust policy, a
	// boundary, a resource policy, an organisation policy); OriginUnstated
	// when the input does not say (a file that is one document).
	Origin Origin
	// Name says which document this is inside the file, for people:
	// "inline policy s3-upload of role/supermetrics", a Terraform address,
	// a CloudFormation logical id. Empty for a file that is one document.
	Name string
	// Source is the exact text that was parsed (after unwrapping a JSON string
	// or URL-decoding), used for size quotas and character checks.
	Source string
	// Version and ID are the top-level elements; Version is "" when absent.
	Version string
	ID      string
	// Statements in document order.
	Statements []*Statement
	// ARN is the managed policy's ARN when the document is one and the input
	// says which ("" otherwise).
	ARN string
	// AWSManaged marks an AWS managed policy (arn:aws:iam::aws:policy/...):
	// never subject to customer size quotas.
	AWSManaged bool
	// Unresolved is non-empty when the whole document is unknown (its content
	// depends on a value known only after apply); Statements is then empty.
	Unresolved string
	// Problems are grammar problems found while parsing (rule policy-invalid).
	Problems []Problem
	// Alternate is the reading of the same document in which the last copy of
	// every duplicated JSON key wins; the Document itself is the first-copy
	// reading. Nil when the document has no duplicate keys. Evaluation decides
	// under both readings and answers unknown where they disagree (SPEC §4).
	Alternate *Document
}

// Origin says how a document is attached to the role, user or resource it
// governs, as the input that holds it says.
type Origin uint8

// The origins of a document.
const (
	OriginUnstated     Origin = iota // the input does not say (a file that is one document)
	OriginInline                     // an inline policy of a role or user
	OriginManaged                    // a managed policy (attached, or read by itself)
	OriginGroup                      // an inline policy of a group the user belongs to
	OriginTrust                      // a role's trust policy
	OriginBoundary                   // a permissions boundary (a managed policy used as one)
	OriginResource                   // a resource-based policy: a bucket or key policy
	OriginOrganization               // an AWS Organizations policy (SCP, RCP)
)

var originNames = [...]string{"unstated", "inline", "managed", "group", "trust", "boundary", "resource", "organization"}

func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return "origin(" + strconv.Itoa(int(o)) + ")"
}

// Invalid reports whether IAM would reject the document (a grammar problem).
// Its Allow statements then grant nothing, while its Deny statements still
// count (SPEC §4).
func (d *Document) Invalid() bool {
	for _, p := range d.Problems {
		if p.Rejected {
			return true
		}
	}
	return false
}

// Problem is one grammar finding on a document.
type Problem struct {
	Line    int
	Sid     string
	Message string
	// Rejected is true when IAM (or the owning service) refuses to save the
	// document with this problem, false for problems IAM tolerates.
	Rejected bool
	// DuplicateKey: the problem is a repeated key (duplicateProblems).
	DuplicateKey bool
}

// Effect is Allow or Deny.
type Effect string

// The two effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one statement of a Document. Each of the paired elements is
// either absent (nil) or present; the Not* forms are kept separate because
// their meaning is the complement (reference_policies_elements_notaction.html,
// ..._notresource.html, ..._notprincipal.html).
type Statement struct {
	Index int // 0-based position in the document
	Sid   string
	Line  int // 1-based line of the statement in File
	// Effect is Allow or Deny; any other text is kept as written and the
	// statement is reported by policy-invalid and ignored by evaluation.
	Effect Effect

	Principal    *Principal // nil when absent
	NotPrincipal *Principal

	Action    []string // nil when absent
	NotAction []string

	Resource    []string // nil when absent
	NotResource []string

	Condition []Condition // in source order
}

// HasAction reports whether the statement has an Action element.
func (s *Statement) HasAction() bool { return s.Action != nil }

// HasNotAction reports whether the statement has a NotAction element.
func (s *Statement) HasNotAction() bool { return s.NotAction != nil }

// HasResource reports whether the statement has a Resource element.
func (s *Statement) HasResource() bool { return s.Resource != nil }

// HasNotResource reports whether the statement has a NotResource element.
func (s *Statement) HasNotResource() bool { return s.NotResource != nil }

// Principal is the Principal or NotPrincipal element. "*" (any principal,
// anonymous included) is Wildcard; the object form maps a principal type
// (AWS, Service, Federated, CanonicalUser) to its values. {"AWS": "*"} is
// kept in AWS as "*" (same meaning as Wildcard for IAM principals:
// reference_policies_elements_principal.html).
type Principal struct {
	Wildcard  bool
	AWS       []string
	Service   []string
	Federated []string
	Canonical []string
	// Other holds principal types IAM does not define (a policy-invalid
	// problem), kept for the message.
	Other map[string][]string
}

// Condition is one operator/key pair of a Condition block, e.g.
// "StringEquals": {"sts:ExternalId": ["abc"]}. Operator keeps its qualifier
// ("ForAnyValue:StringLike", "IpAddressIfExists") exactly as written; Key keeps
// the case the author wrote (condition key names are case-insensitive:
// reference_policies_elements_condition.html).
type Condition struct {
	Operator string
	// Op is Operator parsed (ParseOperator), set when the document is read.
	Op     Operator
	Key    string
	Values []string // booleans and numbers as their JSON literal text
	Line   int
}
