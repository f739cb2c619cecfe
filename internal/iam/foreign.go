package iam

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// Foreign values (SPEC §1): a context key whose value belongs to the vendor's
// side — its organization id (aws:PrincipalOrgID, "included in the request
// context only if the principal is a member of an organization"), its VPC
// endpoint, the session name it picks, its principal tags — is not unknowable:
// it is some value the customer does not control. It is evaluated under each
// of its readings:
//
//   - absent, unless the key is in every such request (ContextValue.AlwaysPresent);
//   - present with a fresh value: Prefix followed by text that equals no
//     literal in the customer's policies.
//
// A condition is decided when every reading gives the same answer, and Maybe
// (with the key named) otherwise. Evaluating readings per condition rather
// than per request is sound: each condition's answer holds under every
// reading, so any combination of them does too; it can only be less precise
// (two conditions that disagree in opposite ways stay Maybe).
//
// Why a state inside condition evaluation and not a second evaluation of the
// whole request with a made-up value: no single made-up value stands for
// "equals no literal". A pattern such as "o-a1b2*" may or may not match the
// vendor's organization id, so the fresh reading must answer Maybe for it,
// while "o-*" matches every organization id and "*" every value; only the
// per-operator comparison below can say which.

// freshMarker starts the request value that stands for the fresh reading of a
// Foreign key; the rest of the value is the key's Prefix. freshRune stands
// for fresh text inside a substituted policy variable. Both are code points
// IAM never accepts in a policy (only U+0009, U+000A, U+000D and
// U+0020–U+00FF: reference_iam-quotas.html), distinct from AnyKey (U+FFFE)
// and the unknown marker (U+FFFF).
const (
	freshRune   = '\uFFF0'
	freshMarker = "\uFFF1"
)

// evalForeign evaluates condition c on the Foreign key value cv under each
// of its readings.
func evalForeign(c policy.Condition, cv ContextValue, ctx Context, version string, effect policy.Effect) (Tri, Reason) {
	var readings []ContextValue
	if !cv.AlwaysPresent {
		readings = append(readings, ContextValue{State: Absent})
	}
	readings = append(readings, ContextValue{State: Present, Values: []string{freshMarker + cv.Prefix}})
	var out Tri
	var reason string
	disagree := false
	for i, r := range readings {
		t, why := evalCondition(c, ctx, version, effect, &r)
		if t == Maybe && reason == "" {
			reason = why.Text
		}
		if i == 0 {
			out = t
		} else if t != out {
			out, disagree = Maybe, true
		}
	}
	if out != Maybe {
		return out, decided(CodeForeignReadingsAgree)
	}
	side := fmt.Sprintf("%s %s: %s is a value on the vendor's side (", c.Operator, c.Key, c.Key)
	if cv.AlwaysPresent {
		side += "a value none of your policies name)"
	} else {
		side += "absent, or a value none of your policies name)"
	}
	if disagree || reason == "" {
		return Maybe, condWhy(CodeForeignValue, side+", and the condition holds under some of its readings and not under others")
	}
	return Maybe, condWhy(CodeForeignValue, side+": "+reason)
}

// evalFresh evaluates one operator for the fresh reading of a Foreign key
// (a value that starts with prefix and equals no literal in the policy)
// against the policy values.
func evalFresh(op policy.Operator, prefix string, vals []condValue) (Tri, Reason) {
	pos, why := anyValue(vals, func(v condValue) (Tri, Reason) {
		switch {
		case v.unknown.Code != "":
			return Maybe, v.unknown
		case strings.ContainsRune(v.text(), freshRune):
			// The policy value holds a substituted value of the vendor's
			// side too: whether the two are the same is not known.
			return Maybe, condWhy(CodeForeignValue, "a condition value is a policy variable of the vendor's side too")
		}
		return freshCompare(op.Family, prefix, v)
	})
	if op.Negated {
		return not(pos), why
	}
	return pos, why
}

// freshCompare compares a fresh value (prefix + text equal to no literal)
// with one policy value.
func freshCompare(f policy.Family, prefix string, v condValue) (Tri, Reason) {
	switch f {
	case policy.FamStringEquals, policy.FamStringEqualsIC, policy.FamBool, policy.FamBinary:
		// "A value equal to no literal in the customer's policies."
		return False, Reason{}
	case policy.FamStringLike:
		if t := freshGlob(v.pieces, prefix); t != Maybe {
			return t, Reason{}
		}
		return Maybe, condWhy(CodeForeignValue, fmt.Sprintf("the pattern %q may or may not match it", v.raw))
	case policy.FamArn:
		if !hasWildcard(v.pieces) {
			return False, Reason{}
		}
		return Maybe, condWhy(CodeForeignValue, fmt.Sprintf("the ARN pattern %q may or may not match it", v.raw))
	}
	return Maybe, condWhy(CodeForeignValue, fmt.Sprintf("whether it compares with %q is not known", v.raw))
}

// freshGlob answers whether StringLike pattern pieces match prefix+X for every
// non-empty X the customer does not control (True), for none (False), or
// for some (Maybe). A pattern without wildcards is a literal, which the fresh
// value does not equal. Otherwise, as matchAnyKey does for object names:
// fresh runes stand for X, and only wildcards can match them; a pattern that
// matches prefix+X for a one-rune X and a longer X than it has characters
// matches every X; a pattern that cannot consume prefix and leave tokens over
// (tokensLeftAfter)
// matches none; anything between (such as "o-a1b2*") may match the vendor's
// value.
func freshGlob(pieces []piece, prefix string) Tri {
	if !hasWildcard(pieces) {
		return False
	}
	toks := compile(pieces, globPlain, false)
	short := matchTokens(toks, prefix+string(freshRune), false)
	long := matchTokens(toks, prefix+strings.Repeat(string(freshRune), len(toks)+2), false)
	if short && long {
		return True
	}
	if !tokensLeftAfter(toks, prefix) {
		return False
	}
	return Maybe
}

// tokensLeftAfter reports whether toks can consume all of prefix and still
// have tokens left for a non-empty continuation (any characters, '/'
// included: a foreign value is not a file name). '*' and '?' match any
// character here, which can only turn a False into a Maybe.
func tokensLeftAfter(toks []token, prefix string) bool {
	for i := range statesAfter(toks, prefix) {
		if i < len(toks) {
			return true
		}
	}
	return false
}

// hasWildcard reports whether a pattern has a '*' or '?' that acts as one.
func hasWildcard(pieces []piece) bool {
	for _, p := range pieces {
		if !p.literal && strings.ContainsAny(p.text, "*?") {
			return true
		}
	}
	return false
}
