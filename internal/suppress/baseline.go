package suppress

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/smlint/smlint/internal/engine"
)

// Baseline is the file --write-baseline writes and --baseline reads: the
// fingerprints of accepted findings, so that a repository adopting smlint
// fails only on findings that are new. The fingerprint is the SARIF
// partialFingerprints value (report.Fingerprints): it leaves out line
// numbers, so a statement moving to another line keeps its entry. Rule,
// file and message are there for people reviewing the file, not matched.
type Baseline struct {
	Version     int             `json:"version"`
	Fingerprint string          `json:"fingerprint"`
	Findings    []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file,omitempty"`
	Message     string `json:"message"`
}

// baselineVersion is the file format's version.
const baselineVersion = 1

// NewBaseline records findings with their fingerprints (same order),
// sorted by file, rule and fingerprint so that the file diffs well.
func NewBaseline(fs []engine.Finding, fps []string, key string) *Baseline {
	b := &Baseline{Version: baselineVersion, Fingerprint: key, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for i, f := range fs {
		if seen[fps[i]] {
			continue
		}
		seen[fps[i]] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: fps[i], Rule: f.Rule, File: f.File, Message: engine.Display(f.Message)})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Write saves the baseline as indented JSON.
func (b *Baseline) Write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadBaseline reads a baseline file. A file written with another
// fingerprint algorithm is refused rather than read as matching nothing,
// which would fail every finding of an adopted repository at once.
func ReadBaseline(path, key string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: not a baseline file (JSON written by --write-baseline): %v", path, err)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, this smlint reads version %d", path, b.Version, baselineVersion)
	}
	if b.Fingerprint != key {
		return nil, fmt.Errorf("%s: fingerprints of kind %q, this smlint computes %q; write the baseline again with --write-baseline", path, b.Fingerprint, key)
	}
	return &b, nil
}

// Split returns the findings whose fingerprint (fps, same order) is not in
// the baseline, and those it hides.
func (b *Baseline) Split(fs []engine.Finding, fps []string) (kept, hidden []engine.Finding) {
	accepted := map[string]bool{}
	for _, e := range b.Findings {
		accepted[e.Fingerprint] = true
	}
	for i, f := range fs {
		if accepted[fps[i]] {
			hidden = append(hidden, f)
		} else {
			kept = append(kept, f)
		}
	}
	return kept, hidden
}
