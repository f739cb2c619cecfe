package iam

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/smlint/smlint/internal/policy"
)

// family is the comparison an operator performs
// (reference_policies_elements_condition_operators.html).
type family uint8

const (
	famStringEquals family = iota
	famStringEqualsIC
	famStringLike
	famNumEq
	famNumLt
	famNumLe
	famNumGt
	famNumGe
	famDateEq
	famDateLt
	famDateLe
	famDateGt
	famDateGe
	famBool
	famBinary
	famIP
	famArn
	famNull
)

type operator struct {
	fam     family
	negated bool
}

// operators maps lower-case base operator names to their meaning.
var operators = map[string]operator{
	"stringequals":              {famStringEquals, false},
	"stringnotequals":           {famStringEquals, true},
	"stringequalsignorecase":    {famStringEqualsIC, false},
	"stringnotequalsignorecase": {famStringEqualsIC, true},
	"stringlike":                {famStringLike, false},
	"stringnotlike":             {famStringLike, true},
	"numericequals":             {famNumEq, false},
	"numericnotequals":          {famNumEq, true},
	"numericlessthan":           {famNumLt, false},
	"numericlessthanequals":     {famNumLe, false},
	"numericgreaterthan":        {famNumGt, false},
	"numericgreaterthanequals":  {famNumGe, false},
	"dateequals":                {famDateEq, false},
	"datenotequals":             {famDateEq, true},
	"datelessthan":              {famDateLt, false},
	"datelessthanequals":        {famDateLe, false},
	"dategreaterthan":           {famDateGt, false},
	"dategreaterthanequals":     {famDateGe, false},
	"bool":                      {famBool, false},
	"binaryequals":              {famBinary, false},
	"ipaddress":                 {famIP, false},
	"notipaddress":              {famIP, true},
	"arnequals":                 {famArn, false},
	"arnlike":                   {famArn, false},
	"arnnotequals":              {famArn, true},
	"arnnotlike":                {famArn, true},
	"null":                      {famNull, false},
}

// setOp is the ForAnyValue:/ForAllValues: qualifier.
type setOp uint8

const (
	setNone setOp = iota
	setAny
	setAll
)

// parsedOp is an operator with its qualifiers.
type parsedOp struct {
	operator
	set      setOp
	ifExists bool
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
// Operator names are matched ignoring case.
func parseOperator(name string) (parsedOp, bool) {
	var op parsedOp
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case strings.HasPrefix(n, "foranyvalue:"):
		op.set, n = setAny, strings.TrimPrefix(n, "foranyvalue:")
	case strings.HasPrefix(n, "forallvalues:"):
		op.set, n = setAll, strings.TrimPrefix(n, "forallvalues:")
	}
	if strings.HasSuffix(n, "ifexists") {
		op.ifExists, n = true, strings.TrimSuffix(n, "ifexists")
	}
	base, ok := operators[n]
	if !ok {
		return op, false
	}
	op.operator = base
	if base.fam == famNull && (op.ifExists || op.set != setNone) {
		// "…IfExists" exists for "any condition operator except the Null
		// condition"; a set qualifier on Null is meaningless.
		return op, false
	}
	return op, true
}

// takesVariables: policy variables are supported in String, ARN and Bool
// condition values only (reference_policies_elements_condition_operators.html,
// "Policy variables – Supported / Not supported" per category).
func (f family) takesVariables() bool {
	switch f {
	case famStringEquals, famStringEqualsIC, famStringLike, famArn, famBool:
		return true
	}
	return false
}

// EvalCondition evaluates one operator/key pair of a Condition block against
// the request context. effect is the statement's Effect: it decides how an
// aws:SourceIp range that a CIDR list covers only in part counts (False in an
// Allow, True in a Deny), so that Allowed holds for every address in the
// range; and how a condition value whose policy variable has no value counts
// (False in an Allow, Maybe in a Deny: "If AWS cannot resolve a variable this
// might cause the entire statement to be invalid", reference_policies_variables.html).
//
// Semantics (reference_policies_elements_condition_operators.html and
// reference_policies_multi-value-conditions.html):
//   - the values of one key are OR'ed; a negated operator must match none;
//   - "If the key that you specify in a policy condition is not present in the
//     request context, the values do not match and the condition is false. If
//     the policy condition requires that the key is not matched, such as
//     StringNotLike or ArnNotLike, and the right key is not present, the
//     condition is true. This logic applies to all condition operators except
//     ...IfExists and Null check";
//   - …IfExists: "If the key is not present, evaluate the condition element as true";
//   - Null: true means the key is absent, false that it is present;
//   - ForAllValues: true when every request value matches, and when the key
//     is absent or empty; ForAnyValue: true when some request value matches,
//     false when the key is absent or empty.
//
// A key whose value is not known, an unresolved condition value and an
// operator IAM does not define all give Maybe, with reason.
func EvalCondition(c policy.Condition, ctx Context, version string, effect policy.Effect) (Tri, string) {
	return evalCondition(c, ctx, version, effect, nil)
}

// evalCondition is EvalCondition with the value of the condition key taken
// from over instead of ctx when over is not nil (one reading of a Foreign
// key: foreign.go).
func evalCondition(c policy.Condition, ctx Context, version string, effect policy.Effect, over *ContextValue) (Tri, string) {
	op, ok := parseOperator(c.Operator)
	if !ok {
		return Maybe, fmt.Sprintf("condition operator %q is not one IAM defines", c.Operator)
	}
	if isUnknown(c.Key) {
		return Maybe, "condition key " + unknownWhy(c.Key)
	}
	if isUnknown(c.Operator) {
		return Maybe, "condition operator " + unknownWhy(c.Operator)
	}
	if len(c.Values) == 0 {
		return Maybe, fmt.Sprintf("%s %s has no values", c.Operator, c.Key)
	}
	cv, found := ctx.Lookup(c.Key)
	if over != nil {
		cv, found = *over, true
	}
	if found && cv.State == Foreign {
		return evalForeign(c, cv, ctx, version, effect)
	}
	if !found || cv.State == UnknownValue {
		return Maybe, fmt.Sprintf("condition key %s has no known value", c.Key)
	}
	present := cv.State == Present && len(cv.Values) > 0

	if op.fam == famNull {
		out := False
		for _, v := range c.Values {
			switch {
			case isUnknown(v):
				out = or(out, Maybe)
			case strings.EqualFold(v, "true"):
				out = or(out, triOf(!present))
			case strings.EqualFold(v, "false"):
				out = or(out, triOf(present))
			default:
				return Maybe, fmt.Sprintf("Null %s: value %q is neither true nor false", c.Key, v)
			}
		}
		return out, ""
	}

	if !present {
		switch {
		case op.set == setAll:
			return True, ""
		case op.set == setAny && op.ifExists:
			return Maybe, fmt.Sprintf("%s on absent key %s: ForAnyValue says false, IfExists says true", c.Operator, c.Key)
		case op.set == setAny:
			return False, ""
		case op.ifExists:
			return True, ""
		case op.negated:
			return True, ""
		}
		return False, ""
	}

	// Resolve the policy values once (variables, unknowns).
	vals := make([]condValue, 0, len(c.Values))
	for _, v := range c.Values {
		cvv := condValue{raw: v}
		switch {
		case isUnknown(v):
			cvv.unknown = "condition value " + unknownWhy(v)
		case op.fam.takesVariables():
			p, st, why := expand(v, ctx, version)
			switch st {
			case varOK:
				cvv.pieces = p
			case varUnknown:
				cvv.unknown = why
			case varAbsent:
				if effect == policy.Deny {
					return Maybe, why + "; AWS may treat the statement as invalid"
				}
				return False, ""
			}
		default:
			cvv.pieces = plain(v)
		}
		vals = append(vals, cvv)
	}

	var results []Tri
	var reason string
	for _, rv := range cv.Values {
		t, why := evalOneValue(op, rv, vals, effect)
		if why != "" && reason == "" {
			reason = why
		}
		results = append(results, t)
	}
	var out Tri
	switch op.set {
	case setAll:
		out = and(results...)
	case setAny:
		out = or(results...)
	default:
		// A single-valued operator facing several request values: only an
		// answer that holds for each of them is certain.
		out = results[0]
		for _, r := range results[1:] {
			if r != out {
				out = Maybe
				reason = fmt.Sprintf("%s has several values and %s without ForAnyValue/ForAllValues decides them differently", c.Key, c.Operator)
			}
		}
	}
	if out != Maybe {
		reason = ""
	} else if reason == "" {
		reason = fmt.Sprintf("%s %s cannot be decided", c.Operator, c.Key)
	}
	return out, reason
}

// EvalConditions evaluates a whole Condition block: every operator/key pair
// must hold (logical AND).
func EvalConditions(cs []policy.Condition, ctx Context, version string, effect policy.Effect) (Tri, []string) {
	out := True
	var reasons []string
	for _, c := range cs {
		t, why := EvalCondition(c, ctx, version, effect)
		if t == False {
			return False, nil
		}
		if t == Maybe {
			out = Maybe
			if why != "" {
				reasons = append(reasons, why)
			}
		}
	}
	return out, reasons
}

// condValue is one policy value of a condition, resolved.
type condValue struct {
	raw     string
	pieces  []piece // after variable substitution
	unknown string  // non-empty: the value is not known
}

func (v condValue) text() string {
	var b strings.Builder
	for _, p := range v.pieces {
		b.WriteString(p.text)
	}
	return b.String()
}

// evalOneValue evaluates the operator for one request value against all
// policy values: OR over them for a positive operator, none of them for a
// negated one.
func evalOneValue(op parsedOp, rv string, vals []condValue, effect policy.Effect) (Tri, string) {
	if prefix, ok := strings.CutPrefix(rv, freshMarker); ok {
		return evalFresh(op, prefix, vals)
	}
	if isUnknown(rv) {
		if t := symbolCompare(op, rv, vals); t != Maybe {
			return t, ""
		}
		return Maybe, "request value " + unknownWhy(rv)
	}
	var pos Tri
	var why string
	if op.fam == famIP {
		var mixed bool
		pos, mixed, why = matchIP(rv, vals)
		if mixed {
			// Part of the request's address range is inside the listed
			// CIDRs and part is not: choose the answer that keeps the
			// verdict safe for every address (see Context).
			return triOf(effect == policy.Deny), ""
		}
	} else {
		pos, why = anyValue(vals, func(v condValue) (Tri, string) {
			if v.unknown != "" {
				return Maybe, v.unknown
			}
			return compareValue(op.fam, rv, v)
		})
	}
	if op.negated {
		return not(pos), why
	}
	return pos, why
}

// anyValue ORs cmp over the policy values, stopping at the first True; why
// is the reason of the first undecided comparison.
func anyValue(vals []condValue, cmp func(condValue) (Tri, string)) (pos Tri, why string) {
	pos = False
	for _, v := range vals {
		t, w := cmp(v)
		if t == Maybe && why == "" {
			why = w
		}
		pos = or(pos, t)
		if pos == True {
			break
		}
	}
	return pos, why
}

// compareValue compares one request value with one policy value.
func compareValue(f family, rv string, v condValue) (Tri, string) {
	if base, ok := strings.CutSuffix(rv, AnyKey); ok {
		// The request value is an object ARN under the upload folder (the
		// SSE-KMS encryption context aws:s3:arn): the file name is not known.
		if t, ok := compareAnyKey(f, base, v.pieces); ok {
			if t == Maybe {
				return t, fmt.Sprintf("%q matches only some object names under %s*: the vendor's file names are not known", v.raw, base)
			}
			return t, ""
		}
	}
	switch f {
	case famStringEquals:
		return triOf(rv == v.text()), ""
	case famStringEqualsIC:
		return triOf(strings.EqualFold(rv, v.text())), ""
	case famStringLike:
		return triOf(globMatch(v.pieces, rv, false)), ""
	case famArn:
		t := arnLikePieces(v.pieces, rv)
		if t == Maybe {
			return t, fmt.Sprintf("ARN pattern %q against %q: whether a wildcard spans ':' here is not documented", v.raw, rv)
		}
		return t, ""
	case famBool:
		return triOf(strings.EqualFold(strings.TrimSpace(rv), strings.TrimSpace(v.text()))), ""
	case famBinary:
		a, errA := base64.StdEncoding.DecodeString(rv)
		b, errB := base64.StdEncoding.DecodeString(v.raw)
		if errA != nil || errB != nil {
			return triOf(rv == v.raw), ""
		}
		return triOf(bytes.Equal(a, b)), ""
	case famNumEq, famNumLt, famNumLe, famNumGt, famNumGe:
		a, okA := parseNumber(rv)
		b, okB := parseNumber(v.raw)
		if !okA || !okB {
			return Maybe, fmt.Sprintf("cannot compare %q and %q as numbers", rv, v.raw)
		}
		switch f {
		case famNumEq:
			return triOf(a == b), ""
		case famNumLt:
			return triOf(a < b), ""
		case famNumLe:
			return triOf(a <= b), ""
		case famNumGt:
			return triOf(a > b), ""
		default:
			return triOf(a >= b), ""
		}
	case famDateEq, famDateLt, famDateLe, famDateGt, famDateGe:
		a, okA := parseDate(rv)
		b, okB := parseDate(v.raw)
		if !okA || !okB {
			return Maybe, fmt.Sprintf("cannot compare %q and %q as dates", rv, v.raw)
		}
		switch f {
		case famDateEq:
			return triOf(a.Equal(b)), ""
		case famDateLt:
			return triOf(a.Before(b)), ""
		case famDateLe:
			return triOf(!a.After(b)), ""
		case famDateGt:
			return triOf(a.After(b)), ""
		default:
			return triOf(!a.Before(b)), ""
		}
	}
	return Maybe, "unsupported comparison"
}

// matchIP decides IpAddress for one request range against the policy CIDRs:
// True when the whole range is inside them, False when it is outside all of
// them, mixed when it is partly inside.
func matchIP(rv string, vals []condValue) (t Tri, mixed bool, why string) {
	r, err := ParseCIDR(rv)
	if err != nil {
		return Maybe, false, fmt.Sprintf("request value %q is not an IP address or CIDR", rv)
	}
	var known []netip.Prefix
	unknown := ""
	for _, v := range vals {
		if v.unknown != "" {
			unknown = v.unknown
			continue
		}
		p, err := ParseCIDR(v.raw)
		if err != nil {
			// IAM rejects such a value; which list it meant is not known.
			unknown = fmt.Sprintf("condition value %q is not an IP address or CIDR", v.raw)
			continue
		}
		known = append(known, p)
	}
	covered, partial := rangeCovered(r, known)
	switch {
	case covered:
		return True, false, ""
	case unknown != "":
		return Maybe, false, unknown
	case partial:
		return False, true, ""
	}
	return False, false, ""
}

var numberRE = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// parseNumber accepts decimal integers and floats (no NaN, Inf or hex).
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !numberRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
}

// parseDate accepts the W3C profile of ISO 8601 and epoch (UNIX) time, the
// forms the Date condition operators take.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if numberRE.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f > 1e15 || f < -1e15 {
			return time.Time{}, false
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// symbolCompare decides a string or ARN operator whose request value is
// symbolic (policy.SameSymbol) against policy values that are all symbolic:
// the same identity is equal, ARNs of different new resources are not.
// Anything else is Maybe.
func symbolCompare(op parsedOp, rv string, vals []condValue) Tri {
	switch op.fam {
	case famStringEquals, famStringEqualsIC, famStringLike, famArn:
	default:
		return Maybe
	}
	pos := False
	for _, v := range vals {
		pos = or(pos, symbolMatch(v.raw, rv))
	}
	if pos == Maybe {
		return Maybe
	}
	if op.negated {
		return not(pos)
	}
	return pos
}

// OperatorParts is a condition operator as IAM reads it
// (reference_policies_elements_condition_operators.html): its base name
// (lower case, "notipaddress"), the set qualifier ("foranyvalue",
// "forallvalues" or ""), whether it ends in IfExists, and whether the base
// is a negated ("Not…") operator. Rules read this instead of taking
// operator names apart themselves.
type OperatorParts struct {
	Base     string
	Set      string
	IfExists bool
	Negated  bool
}

// ParseOperator parses a condition operator name once, the way evaluation
// does; ok is false for a name IAM does not accept.
func ParseOperator(name string) (OperatorParts, bool) {
	op, ok := parseOperator(name)
	if !ok {
		return OperatorParts{}, false
	}
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "foranyvalue:"), "forallvalues:")
	out := OperatorParts{Base: strings.TrimSuffix(n, "ifexists"), IfExists: op.ifExists, Negated: op.negated}
	switch op.set {
	case setAny:
		out.Set = "foranyvalue"
	case setAll:
		out.Set = "forallvalues"
	}
	return out, true
}
