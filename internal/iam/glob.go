package iam

import "strings"

// piece is a run of pattern text. Wildcards in a literal piece are plain
// characters: they come from ${*}, ${?}, ${$} or a substituted policy
// variable value (reference_policies_variables.html).
type piece struct {
	text    string
	literal bool
}

type tokKind uint8

const (
	tokLit  tokKind = iota // one exact rune
	tokOne                 // ?  one rune
	tokMany                // *  any run of runes
)

type token struct {
	kind    tokKind
	r       rune
	colonOK bool // the wildcard may match ':'
}

// globMode selects how '*' and '?' treat ':'.
type globMode uint8

const (
	// globPlain: '*' and '?' match any character (StringLike, actions).
	globPlain globMode = iota
	// globARNStrict: '*' and '?' stay inside one colon-delimited segment,
	// except a '*' that is the last character of its segment, which "can
	// expand to match beyond the colon boundaries"
	// (reference_policies_elements_resource.html).
	globARNStrict
	// globARNLoose: as strict for the first five segments; in the resource
	// part (after the fifth ':') every wildcard may match ':'. The resource
	// part of an ARN may itself contain colons (an S3 object key can); the
	// docs do not say whether a mid-segment '*' there spans them, so the
	// caller evaluates both modes and answers Maybe when they disagree.
	globARNLoose
	// globARNComponent: the ArnLike reading where "each of the six
	// colon-delimited components of the ARN is checked separately": no
	// wildcard crosses a colon in the first five components, and the sixth
	// (which keeps any further colons) matches as a whole.
	globARNComponent
)

// compile turns pattern pieces into tokens. fold lower-cases everything
// (action names are case-insensitive: reference_policies_elements_action.html).
func compile(pieces []piece, mode globMode, fold bool) []token {
	type raw struct {
		r       rune
		literal bool
	}
	var rs []raw
	for _, p := range pieces {
		t := p.text
		if fold {
			t = strings.ToLower(t)
		}
		for _, r := range t {
			rs = append(rs, raw{r, p.literal})
		}
	}
	toks := make([]token, 0, len(rs))
	colons := 0
	for i, x := range rs {
		if x.literal || (x.r != '*' && x.r != '?') {
			if x.r == ':' {
				colons++
			}
			toks = append(toks, token{kind: tokLit, r: x.r})
			continue
		}
		ok := false
		switch mode {
		case globPlain:
			ok = true
		case globARNStrict, globARNLoose:
			if x.r == '*' && (i+1 == len(rs) || rs[i+1].r == ':') {
				ok = true
			}
			if mode == globARNLoose && colons >= 5 {
				ok = true
			}
		case globARNComponent:
			ok = colons >= 5
		}
		if x.r == '*' {
			// Consecutive stars collapse (keeps the matcher small).
			if n := len(toks); n > 0 && toks[n-1].kind == tokMany {
				toks[n-1].colonOK = toks[n-1].colonOK || ok
				continue
			}
			toks = append(toks, token{kind: tokMany, colonOK: ok})
		} else {
			toks = append(toks, token{kind: tokOne, colonOK: ok})
		}
	}
	return toks
}

// matchTokens reports whether toks matches all of s. Dynamic programming over
// (token, rune) pairs: O(len(toks)·len(s)) time, O(len(s)) space, no
// backtracking blow-up on hostile patterns.
func matchTokens(toks []token, s string, fold bool) bool {
	if fold {
		s = strings.ToLower(s)
	}
	in := []rune(s)
	if literalOnly(toks) {
		if len(toks) != len(in) {
			return false
		}
		for i, t := range toks {
			if t.r != in[i] {
				return false
			}
		}
		return true
	}
	n := len(in)
	cur := make([]bool, n+1)
	next := make([]bool, n+1)
	cur[0] = true
	for _, t := range toks {
		for j := range next {
			next[j] = false
		}
		switch t.kind {
		case tokLit:
			for j := 1; j <= n; j++ {
				next[j] = cur[j-1] && in[j-1] == t.r
			}
		case tokOne:
			for j := 1; j <= n; j++ {
				next[j] = cur[j-1] && (t.colonOK || in[j-1] != ':')
			}
		case tokMany:
			next[0] = cur[0]
			for j := 1; j <= n; j++ {
				next[j] = cur[j] || (next[j-1] && (t.colonOK || in[j-1] != ':'))
			}
		}
		cur, next = next, cur
		alive := false
		for _, b := range cur {
			if b {
				alive = true
				break
			}
		}
		if !alive {
			return false
		}
	}
	return cur[n]
}

// globMatch matches s against a plain pattern where '*' and '?' match any
// character.
func globMatch(pieces []piece, s string, fold bool) bool {
	return matchTokens(compile(pieces, globPlain, fold), s, fold)
}

func plain(s string) []piece { return []piece{{text: s}} }

func literalOnly(toks []token) bool {
	for _, t := range toks {
		if t.kind != tokLit {
			return false
		}
	}
	return true
}
