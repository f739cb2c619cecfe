package suppress

import (
	"sort"
	"time"

	"github.com/smlint/smlint/internal/didyoumean"
	"github.com/smlint/smlint/internal/ruleinput"
)

// Why an entry is stale (the reason codes rule ignore-stale reads).
const (
	StaleUnknownRule = "unknown-rule"
	StaleNoMatch     = "no-match"
)

// Stale lists, as rule input (input.stale_ignores), the entries that name a
// rule the catalogue does not have, or that covered no finding of the run.
// Expired entries are left to ignore-expired; entries for a rule the run
// does not evaluate (--only, --disable-rule) cannot match and are not
// stale; a partial run (a pre-commit hook's staged files) only reports
// unknown rules, since the files an entry is about may not be staged.
func Stale(entries []Entry, used map[int]bool, known []string, active func(string) bool, now time.Time, partial bool) []ruleinput.StaleIgnore {
	knownSet := map[string]bool{}
	for _, id := range known {
		knownSet[id] = true
	}
	out := []ruleinput.StaleIgnore{}
	for i, e := range entries {
		if e.Expired(now) {
			continue
		}
		var code, suggestion string
		switch {
		case !knownSet[e.Rule]:
			code, suggestion = StaleUnknownRule, didyoumean.Closest(e.Rule, known)
		case used[i] || partial || !active(e.Rule):
			continue
		default:
			code = StaleNoMatch
		}
		out = append(out, ruleinput.StaleIgnore{Rule: e.Rule, File: e.Source, Line: e.Line, Code: code,
			Suggestion: suggestion, Selector: e.selector(), Inline: e.Inline()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// selector describes what the entry selects, for the message: "file
// iam/*.json, sid S3", or "" for every finding of the rule.
func (e Entry) selector() string {
	var parts []string
	if e.File != "" {
		parts = append(parts, "file "+e.File)
	}
	if e.Sid != "" {
		parts = append(parts, "sid "+e.Sid)
	}
	if e.Resource != "" {
		parts = append(parts, "resource "+e.Resource)
	}
	if e.Inline() {
		parts = append(parts, "its resource")
	}
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}

// Expired lists, as rule input (input.expired_ignores), the entries past
// their expires date.
func Expired(entries []Entry, now time.Time) []ruleinput.ExpiredIgnore {
	out := []ruleinput.ExpiredIgnore{}
	for _, e := range entries {
		if e.Expired(now) {
			out = append(out, ruleinput.ExpiredIgnore{Rule: e.Rule, File: e.Source, Line: e.Line,
				Expires: e.Expires, Reason: e.Reason})
		}
	}
	return out
}
