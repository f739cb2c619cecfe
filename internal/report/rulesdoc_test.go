package report

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// rulesDocDir is resolved when the package starts, before tests change
// directory.
var rulesDocDir, _ = filepath.Abs(filepath.Join("..", "..", "docs", "rules"))

// TestRuleDocs fails when a page of docs/rules/ differs from what the
// rule's METADATA generates, a rule has no page, or a page has no rule.
// `make docs` (go test ./internal/report -run TestRuleDocs -update)
// regenerates them.
func TestRuleDocs(t *testing.T) {
	want := map[string]string{"README.md": RulesIndex(testEngine(t).Rules())}
	for _, r := range testEngine(t).Rules() {
		if r.Builtin {
			want[r.ID+".md"] = RulePage(r)
		}
	}
	if *update {
		if err := os.MkdirAll(rulesDocDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(rulesDocDir, "*.md"))
		for _, p := range old {
			if _, ok := want[filepath.Base(p)]; !ok {
				os.Remove(p)
			}
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(rulesDocDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var stale []string
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(rulesDocDir, name))
		if err != nil || string(got) != text {
			stale = append(stale, name)
		}
	}
	have, _ := filepath.Glob(filepath.Join(rulesDocDir, "*.md"))
	for _, p := range have {
		if _, ok := want[filepath.Base(p)]; !ok {
			stale = append(stale, filepath.Base(p)+" (no such rule)")
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("docs/rules is stale (run make docs): %s", strings.Join(stale, ", "))
	}
}

// Every page names the parts a reader needs.
func TestRulePageParts(t *testing.T) {
	for _, r := range testEngine(t).Rules() {
		if !r.Builtin {
			continue
		}
		page := RulePage(r)
		for _, part := range []string{"# " + r.ID + "\n", "Severity: **" + r.Severity + "**", "## What it checks", "## How to fix", "## Suppressing it", "rule: " + r.ID} {
			if !strings.Contains(page, part) {
				t.Errorf("%s: page lacks %q", r.ID, part)
			}
		}
		if r.Docs != "" && !strings.Contains(page, r.Docs) {
			t.Errorf("%s: page lacks its reference %s", r.ID, r.Docs)
		}
	}
}
