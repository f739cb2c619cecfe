// Package didyoumean picks the known name closest to a mistyped one, for
// "did you mean" hints on rule ids and config keys.
package didyoumean

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// Closest returns the candidate nearest to s by edit distance
// (case-insensitive, "_" and "-" alike), or "" when none is near enough:
// at most a third of the longer name, and at least two edits allowed, so
// `bukcet` finds `bucket` and `trust` finds nothing among long rule ids.
func Closest(s string, candidates []string) string {
	norm := func(x string) string { return strings.ReplaceAll(strings.ToLower(x), "_", "-") }
	want := norm(s)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(want, norm(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, max(len(s), len(best))/3)
	if best == "" || bestDist > limit {
		return ""
	}
	return best
}

// Hint is " (did you mean X?)" for the closest candidate, or "".
func Hint(s string, candidates []string) string {
	if c := Closest(s, candidates); c != "" && c != s {
		return " (did you mean " + c + "?)"
	}
	return ""
}
