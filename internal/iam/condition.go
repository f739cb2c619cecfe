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

// operatorOf is the condition's parsed operator, with the comparison it
// performs (Family). A condition built by hand rather than read from a
// document (tests) has no parsed operator yet and is parsed here; ok is
// false for an operator IAM does not define.
func operatorOf(c policy.Condition) (policy.Operator, bool) {
	op := c.Op
	if !op.Valid() {
		op = policy.ParseOperator(c.Operator)
	}
	return op, op.Valid()
}

// takesVariables: policy variables are supported in String, ARN and Bool
// condition values only (reference_policies_elements_condition_operators.html,
// "Policy variables – Supported / Not supported" per category).
func takesVariables(f policy.Family) bool {
	switch f {
	case policy.FamStringEquals, policy.FamStringEqualsIC, policy.FamStringLike, policy.FamArn, policy.FamBool:
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
func EvalCondition(c policy.Condition, ctx Context, version string, effect policy.Effect) (Tri, Reason) {
	return evalCondition(c, ctx, version, effect, nil)
}

// evalCondition is EvalCondition with the value of the condition key taken
// from over instead of ctx when over is not nil (one reading of a Foreign
// key: foreign.go). The Reason has a code for every answer and a text for
// an undecided one.
func evalCondition(c policy.Condition, ctx Context, version string, effect policy.Effect, over *ContextValue) (Tri, Reason) {
	op, ok := operatorOf(c)
	if !ok {
		return Maybe, condWhy(CodeOperatorUndefined, fmt.Sprintf("condition operator %q is not one IAM defines", c.Operator))
	}
	if isUnknown(c.Key) {
		return Maybe, condWhy(CodeValueUnknown, "condition key "+unknownWhy(c.Key))
	}
	if isUnknown(c.Operator) {
		return Maybe, condWhy(CodeValueUnknown, "condition operator "+unknownWhy(c.Operator))
	}
	if len(c.Values) == 0 {
		return Maybe, condWhy(CodeNoValues, fmt.Sprintf("%s %s has no values", c.Operator, c.Key))
	}
	cv, found := ctx.Lookup(c.Key)
	if over != nil {
		cv, found = *over, true
	}
	if found && cv.State == Foreign {
		return evalForeign(c, cv, ctx, version, effect)
	}
	if !found || cv.State == UnknownValue {
		return Maybe, condWhy(CodeKeyValueUnknown, fmt.Sprintf("condition key %s has no known value", c.Key))
	}
	present := cv.State == Present && len(cv.Values) > 0

	if op.Family == policy.FamNull {
		out := False
		unknown := ""
		for _, v := range c.Values {
			switch {
			case isUnknown(v):
				out = or(out, Maybe)
				unknown = v
			case strings.EqualFold(v, "true"):
				out = or(out, triOf(!present))
			case strings.EqualFold(v, "false"):
				out = or(out, triOf(present))
			default:
				return Maybe, condWhy(CodeNullValueInvalid, fmt.Sprintf("Null %s: value %q is neither true nor false", c.Key, v))
			}
		}
		if out == Maybe {
			return out, condWhy(CodeValueUnknown, "Null "+c.Key+": condition value "+unknownWhy(unknown))
		}
		return out, decided(CodeNullCheck)
	}

	if !present {
		switch {
		case op.Set == policy.SetAllValues:
			return True, decided(CodeKeyAbsent)
		case op.Set == policy.SetAnyValue && op.IfExists:
			return Maybe, condWhy(CodeAnyValueIfExistsAbsent, fmt.Sprintf("%s on absent key %s: ForAnyValue says false, IfExists says true", c.Operator, c.Key))
		case op.Set == policy.SetAnyValue:
			return False, decided(CodeKeyAbsent)
		case op.IfExists:
			return True, decided(CodeKeyAbsent)
		case op.Negated:
			return True, decided(CodeKeyAbsent)
		}
		return False, decided(CodeKeyAbsent)
	}

	// Resolve the policy values once (variables, unknowns).
	vals := make([]condValue, 0, len(c.Values))
	for _, v := range c.Values {
		cvv := condValue{raw: v}
		switch {
		case isUnknown(v):
			cvv.unknown = condWhy(CodeValueUnknown, "condition value "+unknownWhy(v))
		case takesVariables(op.Family):
			p, st, w := expand(v, ctx, version)
			switch st {
			case varOK:
				cvv.pieces = p
			case varUnknown:
				cvv.unknown = condWhy(CodeVariableUnknown, w)
			case varAbsent:
				if effect == policy.Deny {
					return Maybe, condWhy(CodeVariableAbsent, w+"; AWS may treat the statement as invalid")
				}
				return False, decided(CodeVariableAbsent)
			}
		default:
			cvv.pieces = plain(v)
		}
		vals = append(vals, cvv)
	}

	var results []Tri
	var reason Reason
	partial := false
	for _, rv := range cv.Values {
		t, w := evalOneValue(op, rv, vals, effect)
		switch {
		case w.Code == CodeIPRangePartial:
			partial = true
		case w.Text != "" && reason.Text == "":
			reason = w
		}
		results = append(results, t)
	}
	var out Tri
	switch op.Set {
	case policy.SetAllValues:
		out = and(results...)
	case policy.SetAnyValue:
		out = or(results...)
	default:
		// A single-valued operator facing several request values: only an
		// answer that holds for each of them is certain.
		out = results[0]
		for _, r := range results[1:] {
			if r != out {
				out = Maybe
				reason = condWhy(CodeMultiValuedKey, fmt.Sprintf("%s has several values and %s without ForAnyValue/ForAllValues decides them differently", c.Key, c.Operator))
			}
		}
	}
	switch {
	case out != Maybe && partial:
		return out, decided(CodeIPRangePartial)
	case out != Maybe:
		return out, decided(CodeCompared)
	case reason.Text == "":
		reason = condWhy(CodeUndecided, fmt.Sprintf("%s %s cannot be decided", c.Operator, c.Key))
	}
	return out, reason
}

// EvalConditions evaluates a whole Condition block: every operator/key pair
// must hold (logical AND). reasons explain a Maybe.
func EvalConditions(cs []policy.Condition, ctx Context, version string, effect policy.Effect) (Tri, []Reason) {
	out := True
	var reasons []Reason
	for _, c := range cs {
		t, why := EvalCondition(c, ctx, version, effect)
		if t == False {
			return False, nil
		}
		if t == Maybe {
			out = Maybe
			if why.Text != "" {
				reasons = append(reasons, why)
			}
		}
	}
	return out, reasons
}

// traceConditions is EvalConditions that evaluates every condition, for the
// trace, and returns each one's answer too.
func traceConditions(cs []policy.Condition, ctx Context, version string, effect policy.Effect) (Tri, []Reason, []ConditionTrace) {
	out := True
	var reasons []Reason
	trace := make([]ConditionTrace, len(cs))
	for i, c := range cs {
		t, why := EvalCondition(c, ctx, version, effect)
		trace[i] = ConditionTrace{Index: i, Result: t, Reason: why}
		out = and(out, t)
		if t == Maybe && why.Text != "" {
			reasons = append(reasons, why)
		}
	}
	if out == False {
		reasons = nil
	}
	return out, reasons, trace
}

// condValue is one policy value of a condition, resolved.
type condValue struct {
	raw     string
	pieces  []piece // after variable substitution
	unknown Reason  // Code set: the value is not known
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
func evalOneValue(op policy.Operator, rv string, vals []condValue, effect policy.Effect) (Tri, Reason) {
	if prefix, ok := strings.CutPrefix(rv, freshMarker); ok {
		return evalFresh(op, prefix, vals)
	}
	if isUnknown(rv) {
		if t := symbolCompare(op, rv, vals); t != Maybe {
			return t, Reason{}
		}
		return Maybe, condWhy(CodeRequestValueUnknown, "request value "+unknownWhy(rv))
	}
	var pos Tri
	var why Reason
	if op.Family == policy.FamIP {
		var mixed bool
		pos, mixed, why = matchIP(rv, vals)
		if mixed {
			// Part of the request's address range is inside the listed
			// CIDRs and part is not: choose the answer that keeps the
			// verdict safe for every address (see Context).
			return triOf(effect == policy.Deny), decided(CodeIPRangePartial)
		}
	} else {
		pos, why = anyValue(vals, func(v condValue) (Tri, Reason) {
			if v.unknown.Code != "" {
				return Maybe, v.unknown
			}
			return compareValue(op.Family, rv, v)
		})
	}
	if op.Negated {
		return not(pos), why
	}
	return pos, why
}

// anyValue ORs cmp over the policy values, stopping at the first True; why
// is the reason of the first undecided comparison.
func anyValue(vals []condValue, cmp func(condValue) (Tri, Reason)) (pos Tri, why Reason) {
	pos = False
	for _, v := range vals {
		t, w := cmp(v)
		if t == Maybe && why.Code == "" {
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
func compareValue(f policy.Family, rv string, v condValue) (Tri, Reason) {
	if base, ok := strings.CutSuffix(rv, AnyKey); ok {
		// The request value is an object ARN under the upload folder (the
		// SSE-KMS encryption context aws:s3:arn): the file name is not known.
		if t, ok := compareAnyKey(f, base, v.pieces); ok {
			if t == Maybe {
				return t, condWhy(CodePartialKeySpace, fmt.Sprintf("%q matches only some object names under %s*: the vendor's file names are not known", v.raw, base))
			}
			return t, Reason{}
		}
	}
	switch f {
	case policy.FamStringEquals:
		return triOf(rv == v.text()), Reason{}
	case policy.FamStringEqualsIC:
		return triOf(strings.EqualFold(rv, v.text())), Reason{}
	case policy.FamStringLike:
		return triOf(globMatch(v.pieces, rv, false)), Reason{}
	case policy.FamArn:
		t := arnLikePieces(v.pieces, rv)
		if t == Maybe {
			return t, condWhy(CodeARNWildcardColon, fmt.Sprintf("ARN pattern %q against %q: whether a wildcard spans ':' here is not documented", v.raw, rv))
		}
		return t, Reason{}
	case policy.FamBool:
		return triOf(strings.EqualFold(strings.TrimSpace(rv), strings.TrimSpace(v.text()))), Reason{}
	case policy.FamBinary:
		a, errA := base64.StdEncoding.DecodeString(rv)
		b, errB := base64.StdEncoding.DecodeString(v.raw)
		if errA != nil || errB != nil {
			return triOf(rv == v.raw), Reason{}
		}
		return triOf(bytes.Equal(a, b)), Reason{}
	case policy.FamNumEq, policy.FamNumLt, policy.FamNumLe, policy.FamNumGt, policy.FamNumGe:
		a, okA := parseNumber(rv)
		b, okB := parseNumber(v.raw)
		if !okA || !okB {
			return Maybe, condWhy(CodeNotComparable, fmt.Sprintf("cannot compare %q and %q as numbers", rv, v.raw))
		}
		switch f {
		case policy.FamNumEq:
			return triOf(a == b), Reason{}
		case policy.FamNumLt:
			return triOf(a < b), Reason{}
		case policy.FamNumLe:
			return triOf(a <= b), Reason{}
		case policy.FamNumGt:
			return triOf(a > b), Reason{}
		default:
			return triOf(a >= b), Reason{}
		}
	case policy.FamDateEq, policy.FamDateLt, policy.FamDateLe, policy.FamDateGt, policy.FamDateGe:
		a, okA := parseDate(rv)
		b, okB := parseDate(v.raw)
		if !okA || !okB {
			return Maybe, condWhy(CodeNotComparable, fmt.Sprintf("cannot compare %q and %q as dates", rv, v.raw))
		}
		switch f {
		case policy.FamDateEq:
			return triOf(a.Equal(b)), Reason{}
		case policy.FamDateLt:
			return triOf(a.Before(b)), Reason{}
		case policy.FamDateLe:
			return triOf(!a.After(b)), Reason{}
		case policy.FamDateGt:
			return triOf(a.After(b)), Reason{}
		default:
			return triOf(!a.Before(b)), Reason{}
		}
	}
	return Maybe, condWhy(CodeUndecided, "unsupported comparison")
}

// matchIP decides IpAddress for one request range against the policy CIDRs:
// True when the whole range is inside them, False when it is outside all of
// them, mixed when it is partly inside.
func matchIP(rv string, vals []condValue) (t Tri, mixed bool, why Reason) {
	r, err := ParseCIDR(rv)
	if err != nil {
		return Maybe, false, condWhy(CodeNotComparable, fmt.Sprintf("request value %q is not an IP address or CIDR", rv))
	}
	var known []netip.Prefix
	var unknown Reason
	for _, v := range vals {
		if v.unknown.Code != "" {
			unknown = v.unknown
			continue
		}
		p, err := ParseCIDR(v.raw)
		if err != nil {
			// IAM rejects such a value; which list it meant is not known.
			unknown = condWhy(CodeNotComparable, fmt.Sprintf("condition value %q is not an IP address or CIDR", v.raw))
			continue
		}
		known = append(known, p)
	}
	covered, partial := rangeCovered(r, known)
	switch {
	case covered:
		return True, false, Reason{}
	case unknown.Code != "":
		return Maybe, false, unknown
	case partial:
		return False, true, Reason{}
	}
	return False, false, Reason{}
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
func symbolCompare(op policy.Operator, rv string, vals []condValue) Tri {
	switch op.Family {
	case policy.FamStringEquals, policy.FamStringEqualsIC, policy.FamStringLike, policy.FamArn:
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
	if op.Negated {
		return not(pos)
	}
	return pos
}
