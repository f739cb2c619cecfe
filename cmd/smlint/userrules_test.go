package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// --rules DIR adds user Rego rules that read the same input document and are
// reported like built-in ones (SPEC §3), with their # METADATA.
func TestUserRules(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Uploads must go under a dated folder
# description: Company policy.
# custom:
#   id: acme-prefix-dated
#   severity: warning
#   remediation: Use a prefix like supermetrics/2026/.
package smlint.rules.acme_prefix_dated

import rego.v1

findings contains {"message": sprintf("prefix %q has no year", [input.setup.prefix])} if {
	not regex.match("[0-9]{4}/$", input.setup.prefix)
}
`
	if err := os.WriteFile(filepath.Join(dir, "acme.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	good := "../../fixtures/good-role"
	var stdout, stderr bytes.Buffer
	code := run([]string{"smlint", "check", "--format", "json", "--rules", dir, "--config", filepath.Join(good, ".smlint.yaml"), good},
		&stdout, &stderr, func(string) string { return "" })
	var rep struct {
		Findings []struct{ Rule, Severity, Message, Remediation string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d: %v %s", code, err, stderr.String())
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "acme-prefix-dated" || rep.Findings[0].Severity != "warning" ||
		rep.Findings[0].Remediation == "" {
		t.Fatalf("findings %+v", rep.Findings)
	}
	if code != exitOK {
		t.Errorf("exit %d, want 0 (a warning is below --fail-on error)", code)
	}

	// A rule directory that does not compile is a usage error.
	if err := os.WriteFile(filepath.Join(dir, "broken.rego"), []byte("package smlint.rules.broken\nfindings contains x if {"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"smlint", "check", "--rules", dir, good}, &stdout, &stderr, func(string) string { return "" }); code != exitUsage {
		t.Errorf("broken rule: exit %d, want 2 (stderr %s)", code, stderr.String())
	}
}
