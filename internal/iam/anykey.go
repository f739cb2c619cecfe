package iam

import "strings"

// AnyKey ends an S3 object ARN that stands for every object under a prefix:
// "arn:aws:s3:::bucket/exports/" + AnyKey is the vendor's upload target,
// whose file names are not known in advance. It is a code point IAM never
// accepts in a policy (only U+0009, U+000A, U+000D, U+0020–U+00FF are
// allowed: reference_iam-quotas.html), so no pattern names it literally.
const AnyKey = "\uFFFE"

// matchAnyKey answers whether a Resource pattern matches base+X for every
// non-empty key X (True), for none (False), or only for some (Maybe): an
// Allow on "b/exports/*.csv" covers some of the vendor's file names but not
// all, and a Deny on it may or may not hit an upload.
//
// Every: a pattern's literal characters can only match inside base, so if
// it matches base followed by one AnyKey rune and base followed by more
// AnyKey runes than the pattern has characters, its trailing wildcards
// absorb any continuation (at most one '?' among them, and a '*').
// None: no way to consume all of base leaves pattern characters over, so
// no non-empty continuation can complete a match.
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
// still have tokens left to match a non-empty continuation. '*' and '?' are
// taken to match any character here (colons included), which can only turn
// a False into a Maybe.
func continuationPossible(toks []token, base string) bool {
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
	for _, r := range base {
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
			return false
		}
	}
	for i := range states {
		if i < len(toks) {
			return true
		}
	}
	return false
}
