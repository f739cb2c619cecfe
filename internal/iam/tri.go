package iam

import (
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// String returns "true", "false" or "maybe".
func (t Tri) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	default:
		return "maybe"
	}
}

// and is Kleene conjunction: False dominates, then Maybe.
func and(ts ...Tri) Tri {
	out := True
	for _, t := range ts {
		switch t {
		case False:
			return False
		case Maybe:
			out = Maybe
		}
	}
	return out
}

// or is Kleene disjunction: True dominates, then Maybe.
func or(ts ...Tri) Tri {
	out := False
	for _, t := range ts {
		switch t {
		case True:
			return True
		case Maybe:
			out = Maybe
		}
	}
	return out
}

// not is Kleene negation: Maybe stays Maybe.
func not(t Tri) Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	default:
		return Maybe
	}
}

func triOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

// isUnknown reports whether s is, or contains, an unresolved value. The
// marker starts with U+FFFF, which a deployable IAM policy cannot contain
// (IAM accepts only U+0009, U+000A, U+000D and U+0020–U+00FF:
// reference_iam-quotas.html), so a string holding it anywhere (for example a
// Terraform interpolation spliced into an ARN) is unresolved as a whole.
func isUnknown(s string) bool {
	return policy.IsUnknown(s) || strings.ContainsRune(s, '\uFFFF')
}

// unknownWhy describes an unresolved value for a Reason.
func unknownWhy(s string) string {
	if r := policy.UnknownReason(s); r != "" {
		return r
	}
	if i := strings.IndexRune(s, '\uFFFF'); i >= 0 {
		if r := policy.UnknownReason(s[i:]); r != "" {
			return r
		}
	}
	return "value not known"
}
