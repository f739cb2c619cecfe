package iam

import (
	"sync"
	"sync/atomic"
)

// ActionMatches reports whether an Action/NotAction pattern matches action.
// Service prefix and action name are case-insensitive ("iam:ListAccessKeys is
// the same as IAM:listaccesskeys"), and '*' and '?' may appear anywhere in the
// name (reference_policies_elements_action.html). An unresolved pattern never
// matches here; use MatchAction to tell "no" from "unknown".
func ActionMatches(pattern, action string) bool {
	return MatchAction(pattern, action) == True
}

// MatchAction is ActionMatches with Maybe for an unresolved pattern or action.
func MatchAction(pattern, action string) Tri {
	if pattern == "*" {
		return True
	}
	if isUnknown(pattern) || isUnknown(action) {
		return Maybe
	}
	return triOf(matchTokens(actionTokens(pattern), action, true))
}

// actionGlobs caches compiled action patterns: rules match the same few
// patterns against many actions (every statement against the probe
// actions, every pattern against a service's catalogue). Bounded so that
// hostile input cannot grow it without limit; past the bound patterns are
// compiled per call as before.
var (
	actionGlobs     sync.Map // pattern -> []token
	actionGlobCount atomic.Int64
)

const maxActionGlobs = 1 << 16

func actionTokens(pattern string) []token {
	if v, ok := actionGlobs.Load(pattern); ok {
		return v.([]token)
	}
	toks := compile(plain(pattern), globPlain, true)
	if actionGlobCount.Load() < maxActionGlobs {
		if _, loaded := actionGlobs.LoadOrStore(pattern, toks); !loaded {
			actionGlobCount.Add(1)
		}
	}
	return toks
}
