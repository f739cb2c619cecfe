package suppress

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
)

// Entry is one suppression: an `ignore` entry of .smlint.yaml, or an inline
// one read from a template (then it covers the lines From..To of InlineFile).
type Entry struct {
	Rule     string
	Sid      string
	Resource string
	Reason   string
	Expires  string
	// File is a path glob ("" matches every file), relative to Dir, the
	// absolute directory of the .smlint.yaml that declares it.
	File string
	Dir  string
	// InlineFile (absolute), From and To: an inline entry covers the
	// findings located in that file between those lines.
	InlineFile string
	From, To   int
	// Source and Line are where the entry is declared.
	Source string
	Line   int
}

// Inline reports whether the entry was read from a template.
func (e Entry) Inline() bool { return e.InlineFile != "" }

// Expired reports whether the entry has passed its expires date.
func (e Entry) Expired(now time.Time) bool {
	return config.Ignore{Expires: e.Expires}.Expired(now)
}

// FromConfig turns .smlint.yaml ignore entries into entries whose file
// globs are relative to the directory of their config file (the working
// directory for an entry without one).
func FromConfig(igs []config.Ignore) []Entry {
	out := make([]Entry, 0, len(igs))
	for _, ig := range igs {
		dir := "."
		if ig.Source != "" {
			dir = filepath.Dir(ig.Source)
		}
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		out = append(out, Entry{Rule: ig.Rule, Sid: ig.Sid, Resource: ig.Resource, Reason: ig.Reason,
			Expires: ig.Expires, File: ig.File, Dir: dir, Source: ig.Source, Line: ig.Line})
	}
	return out
}

// Matches reports whether the entry covers finding f (expiry aside).
func (e Entry) Matches(f engine.Finding) bool {
	if e.Rule != f.Rule {
		return false
	}
	if e.Inline() {
		return f.Line >= e.From && f.Line <= e.To && absPath(f.File) == e.InlineFile
	}
	if e.File != "" && !e.matchesFile(f.File) {
		return false
	}
	if e.Sid != "" && e.Sid != f.Sid {
		return false
	}
	if e.Resource != "" && e.Resource != f.Resource && e.Resource != f.Principal {
		return false
	}
	return true
}

// matchesFile matches the entry's glob against file (as the report names
// it: relative to the working directory, or absolute). The glob is a whole
// path relative to the config file's directory — `iam/*.json`, `**/trust.json`
// — never a suffix: `policy.json` does not match `iam/policy.json`.
func (e Entry) matchesFile(file string) bool {
	if file == "" {
		return false
	}
	pattern := filepath.ToSlash(filepath.Clean(e.File))
	if filepath.IsAbs(e.File) {
		ok, _ := doublestar.Match(pattern, filepath.ToSlash(absPath(file)))
		return ok
	}
	// Leading ".." steps move the base directory up, so that the rest is
	// matched against a path without "..": `../iam/*.json` from infra/ci
	// is `iam/*.json` from infra.
	dir := e.Dir
	for strings.HasPrefix(pattern, "../") {
		dir, pattern = filepath.Dir(dir), pattern[3:]
	}
	rel, err := filepath.Rel(dir, absPath(file))
	if err != nil {
		return false
	}
	ok, _ := doublestar.Match(pattern, filepath.ToSlash(rel))
	return ok
}

// GlobValid reports whether a file glob is well formed.
func GlobValid(glob string) bool {
	return doublestar.ValidatePattern(filepath.ToSlash(glob))
}

func absPath(file string) string {
	if file == "" || file == "-" || strings.HasPrefix(file, "<") {
		return file
	}
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return file
}

// Apply splits findings into those kept and those an unexpired entry
// suppresses, and returns the indexes of the entries that cover at least
// one finding (every entry that covers it, not only the first: a second
// entry for the same finding is redundant, not stale).
func Apply(fs []engine.Finding, entries []Entry, now time.Time) (kept, suppressed []engine.Finding, used []int) {
	hit := make([]bool, len(entries))
	for _, f := range fs {
		matched := false
		for i, e := range entries {
			if e.Expired(now) || !e.Matches(f) {
				continue
			}
			matched, hit[i] = true, true
		}
		if matched {
			suppressed = append(suppressed, f)
		} else {
			kept = append(kept, f)
		}
	}
	for i, h := range hit {
		if h {
			used = append(used, i)
		}
	}
	engine.SortFindings(kept)
	return kept, suppressed, used
}
