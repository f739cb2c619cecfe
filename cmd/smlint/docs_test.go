package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/config"
)

// documented returns the `code` spans of a docs/ page.
func documented(t *testing.T, page string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../docs", page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = true
	}
	return out
}

// fieldPaths lists every field of a JSON value as a path
// ("requests[].because[].file").
func fieldPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			fieldPaths(sub, p, out)
		}
	case []any:
		for _, item := range x {
			fieldPaths(item, prefix+"[]", out)
		}
	}
}

// Every field the JSON report holds, on fixtures that between them fill
// every list (suppressed, baselined, errors, not_checked, reasons, a
// principal's address), is named in docs/json-report.md.
func TestJSONReportDocumented(t *testing.T) {
	doc := documented(t, "json-report.md")
	tmp := t.TempDir()
	base := filepath.Join(tmp, "baseline.json")
	tf := filepath.Join(tmp, "main.tf") // listed under not_checked
	if err := os.WriteFile(tf, []byte("resource \"aws_iam_role\" \"r\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{
		{"--config", "../../internal/report/testdata/input/example-ignores.smlint.yaml", "../../fixtures/example", "../../internal/report/testdata/input/broken.json"},
		{"--config", "../../fixtures/example/.smlint.yaml", "--write-baseline", base, "../../fixtures/example"},
		{"--config", "../../fixtures/format-cloudformation-yaml-unresolved/.smlint.yaml", "../../fixtures/format-cloudformation-yaml-unresolved"},
		{"--config", "../../fixtures/kms-bucket-default-alias-unresolved/.smlint.yaml", "../../fixtures/kms-bucket-default-alias-unresolved"},
		{"--config", "../../fixtures/inline-suppress-comment/.smlint.yaml", "../../fixtures/inline-suppress-comment", tf},
	}
	seen := map[string]bool{}
	for _, args := range runs {
		_, stdout, stderr := runArgs(t, append([]string{"check", "--format", "json"}, args...)...)
		var v any
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		fieldPaths(v, "", seen)
	}
	// Lists documented once for the shape they share.
	same := []struct{ from, to string }{
		{"suppressed[]", "findings[]"}, {"baselined[]", "findings[]"}, {"principals[].findings[]", "findings[]"},
		{"principals[].requests[]", "requests[]"}, {"not_checked[]", "errors[]"},
	}
	var missing []string
	for p := range seen {
		for _, s := range same {
			if rest, ok := strings.CutPrefix(p, s.from); ok && rest != "" {
				p = s.to + rest
			}
		}
		if !doc[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/json-report.md does not document: %s", strings.Join(missing, ", "))
	}
	for _, want := range []string{"suppressed[].rule", "baselined[].rule", "errors[].message", "not_checked[].file", "requests[].reasons", "principals[].principal.address"} {
		if !seen[want] {
			t.Errorf("no run filled %s: the check above does not cover it", want)
		}
	}
}

// Every .smlint.yaml key and every flag of `smlint check` is named in
// docs/configuration.md.
func TestConfigurationDocumented(t *testing.T) {
	doc := documented(t, "configuration.md")
	for _, k := range config.Keys() {
		if !doc[k] {
			t.Errorf("docs/configuration.md does not document the key %s", k)
		}
	}
	app := newApp(nil, nil, func(string) string { return "" })
	for _, cmd := range app.Commands {
		if cmd.Name != "check" {
			continue
		}
		for _, f := range cmd.Flags {
			name := f.Names()[0]
			if !doc["--"+name] {
				t.Errorf("docs/configuration.md does not document --%s", name)
			}
		}
	}
}
