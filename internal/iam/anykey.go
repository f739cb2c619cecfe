package iam

import (
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// AnyKey ends an S3 object ARN that stands for every object the vendor may
// write under a prefix: "arn:aws:s3:::bucket/exports/" + AnyKey is the
// vendor's upload target, whose file names are not known in advance. The
// vendor writes its files directly into the configured folder (SPEC §1
// "Upload key space": PREFIX<name>, no further "/"), so AnyKey stands for a
// non-empty file name without '/'. It is a code point IAM never accepts in
// a policy (only U+0009, U+000A, U+000D, U+0020–U+00FF are allowed:
// reference_iam-quotas.html), so no pattern names it literally.
const AnyKey = "\uFFFE"

// matchAnyKey answers whether a Resource pattern matches base+X for every
// file name X (non-empty, no '/') (True), for none (False), or only for
// some (Maybe): an Allow on "b/exports/*.csv" covers some of the vendor's
// file names but not all, and a Deny on it may or may not hit an upload.
// "b/exports/*/*", "b/exports/sub/*" and the literal "b/exports/${aws:username}/*"
// of a Version 2008-10-17 policy cover only keys with a further "/": none.
//
// Every: a pattern's literal characters can only match inside base, so if
// it matches base followed by one AnyKey rune and base followed by more
// AnyKey runes than the pattern has characters, its trailing wildcards
// absorb any continuation (at most one '?' among them, and a '*').
// None: no way to consume all of base leaves pattern characters over that
// a file name can match ('*' and '?' match any character, including '/',
// reference_policies_elements_resource.html; a literal '/' left over
// matches no file name directly in the folder).
func matchAnyKey(pieces []piece, base string) Tri {
	n := 0
	for _, p := range pieces {
		n += len(p.text)
	}
	short := matchConcreteARN(pieces, base+AnyKey)
	long := matchConcreteARN(pieces, base+strings.Repeat(AnyKey, n+2))
	if short == True && long == True {
		return True
	}
	if !continuationPossible(compile(pieces, globPlain, false), base) {
		return False
	}
	return Maybe
}

// continuationPossible reports whether toks can consume all of base and
// still have tokens left to match a non-empty continuation without '/'. '*' and '?' are
// taken to match any character here (colons included), which can only turn
// a False into a Maybe.
func continuationPossible(toks []token, base string) bool {
	for i := range statesAfter(toks, base) {
		if i < len(toks) && !slashLeft(toks[i:]) {
			return true
		}
	}
	return false
}

// statesAfter runs toks over prefix as an NFA and returns the token
// positions it can be at afterwards ('*' and '?' match any character).
// A position below len(toks) means tokens are left for a continuation.
func statesAfter(toks []token, prefix string) map[int]bool {
	states := map[int]bool{}
	var add func(i int)
	add = func(i int) {
		if states[i] {
			return
		}
		states[i] = true
		if i < len(toks) && toks[i].kind == tokMany {
			add(i + 1)
		}
	}
	add(0)
	for _, r := range prefix {
		cur := states
		states = map[int]bool{}
		for i := range cur {
			if i >= len(toks) {
				continue
			}
			switch t := toks[i]; t.kind {
			case tokMany:
				add(i)
			case tokOne:
				add(i + 1)
			case tokLit:
				if t.r == r {
					add(i + 1)
				}
			}
		}
		if len(states) == 0 {
			return states
		}
	}
	return states
}

// slashLeft reports whether toks hold a literal '/', which no file name
// directly in the folder contains.
func slashLeft(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokLit && t.r == '/' {
			return true
		}
	}
	return false
}

// compareAnyKey compares a condition value with a request value that is
// base followed by any file name (see AnyKey): True when every name
// matches, False when none does, Maybe otherwise. ok is false for operator
// families it does not apply to. StringEquals compares case-sensitively and
// StringEqualsIgnoreCase without case; a literal value can equal at most one
// name, so it is never True (reference_policies_elements_condition_operators.html).
func compareAnyKey(f policy.Family, base string, pieces []piece) (t Tri, ok bool) {
	switch f {
	case policy.FamArn:
		return matchAnyKey(pieces, base), true
	case policy.FamStringLike:
		return matchAnyKeyPlain(pieces, base, false), true
	case policy.FamStringEquals, policy.FamStringEqualsIC:
		var lit []piece
		for _, p := range pieces {
			lit = append(lit, piece{text: p.text, literal: true})
		}
		return matchAnyKeyPlain(lit, base, f == policy.FamStringEqualsIC), true
	}
	return False, false
}

// matchAnyKeyPlain is matchAnyKey for string patterns, where '*' and '?'
// match any character.
func matchAnyKeyPlain(pieces []piece, base string, fold bool) Tri {
	n := 0
	for _, p := range pieces {
		n += len(p.text)
	}
	if globMatch(pieces, base+AnyKey, fold) && globMatch(pieces, base+strings.Repeat(AnyKey, n+2), fold) {
		return True
	}
	if fold {
		base = strings.ToLower(base)
	}
	if !continuationPossible(compile(pieces, globPlain, fold), base) {
		return False
	}
	return Maybe
}

// ValueEquals compares a literal value with a request value, case-sensitively,
// where the request value may end in AnyKey (an object ARN whose file name is
// not known): True when equal, False when no file name makes them equal,
// Maybe when one does. KMS grant constraints compare encryption context
// pairs this way ("an exact, case-sensitive match", grants.html).
func ValueEquals(literal, requestValue string) Tri {
	if isUnknown(literal) || isUnknown(requestValue) {
		return Maybe
	}
	if base, ok := strings.CutSuffix(requestValue, AnyKey); ok {
		return matchAnyKeyPlain([]piece{{text: literal, literal: true}}, base, false)
	}
	return triOf(literal == requestValue)
}
