package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// copyFixture copies a fixture folder (its .smlint.yaml included) into a
// temporary directory and returns the copy.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("../../fixtures", name)
	dst := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "expected.json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

type jsonRun struct {
	code     int
	Findings []struct {
		Rule, File string
		Line       int
	} `json:"findings"`
	Baselined []struct{ Rule string } `json:"baselined"`
	Baseline  string                  `json:"baseline_file"`
	Config    string                  `json:"config_file"`
	stderr    string
}

func checkJSON(t *testing.T, args ...string) jsonRun {
	t.Helper()
	code, stdout, stderr := runArgs(t, append([]string{"check", "--format", "json"}, args...)...)
	r := jsonRun{code: code, stderr: stderr}
	if stdout != "" {
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("report: %v\n%s", err, stdout)
		}
	}
	return r
}

func (r jsonRun) rules() []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	sort.Strings(out)
	return out
}

// A baseline written then read hides exactly the findings it recorded; a
// statement moving to another line keeps its entry; a new finding still
// fails the run.
func TestBaseline(t *testing.T) {
	dir := copyFixture(t, "example")
	cfg := filepath.Join(dir, ".smlint.yaml")
	base := filepath.Join(t.TempDir(), "baseline.json")

	before := checkJSON(t, "--config", cfg, dir)
	if before.code != exitFindings || len(before.Findings) != 5 {
		t.Fatalf("without a baseline: exit %d, findings %v", before.code, before.rules())
	}

	w := checkJSON(t, "--config", cfg, "--write-baseline", base, dir)
	if w.code != exitOK || len(w.Findings) != 0 || len(w.Baselined) != 5 || w.Baseline != base {
		t.Fatalf("--write-baseline: exit %d, findings %v, %d baselined, file %q", w.code, w.rules(), len(w.Baselined), w.Baseline)
	}
	var file struct {
		Version     int    `json:"version"`
		Fingerprint string `json:"fingerprint"`
		Findings    []struct {
			Fingerprint, Rule string
		} `json:"findings"`
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &file); err != nil || file.Version != 1 || file.Fingerprint != "smlintFinding/v1" || len(file.Findings) != 5 {
		t.Fatalf("baseline file: %v %+v", err, file)
	}

	r := checkJSON(t, "--config", cfg, "--baseline", base, dir)
	if r.code != exitOK || len(r.Findings) != 0 || len(r.Baselined) != 5 {
		t.Errorf("--baseline: exit %d, findings %v, %d baselined", r.code, r.rules(), len(r.Baselined))
	}
	code, text, _ := runArgs(t, "check", "--config", cfg, "--baseline", base, dir)
	if code != exitOK || !strings.Contains(text, "(5 hidden by the baseline "+base+")") {
		t.Errorf("text report (exit %d) does not say how many the baseline hid:\n%s", code, text)
	}

	// Moving every statement down three lines keeps the baseline's hold.
	policy := filepath.Join(dir, "get-role-policy.json")
	orig, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, append([]byte("\n\n\n"), orig...), 0o644); err != nil {
		t.Fatal(err)
	}
	moved := checkJSON(t, "--config", cfg, dir)
	shifted := false
	for _, f := range moved.Findings {
		for _, b := range before.Findings {
			if f.Rule == b.Rule && f.File == policy && b.File == policy && f.Line == b.Line+3 {
				shifted = true
			}
		}
	}
	if !shifted {
		t.Fatalf("the edit did not move a finding's line: %+v", moved.Findings)
	}
	r = checkJSON(t, "--config", cfg, "--baseline", base, dir)
	if r.code != exitOK || len(r.Findings) != 0 || len(r.Baselined) != 5 {
		t.Errorf("after moving lines: exit %d, findings %v, %d baselined", r.code, r.rules(), len(r.Baselined))
	}

	// A new grant of s3:* on everything is a new finding: it fails.
	grown := strings.Replace(string(orig), `"Statement": [`, `"Statement": [
            {"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},`, 1)
	if err := os.WriteFile(policy, []byte(grown), 0o644); err != nil {
		t.Fatal(err)
	}
	r = checkJSON(t, "--config", cfg, "--baseline", base, "--fail-on", "warning", dir)
	if r.code != exitFindings || len(r.Findings) == 0 {
		t.Fatalf("a new finding: exit %d, findings %v", r.code, r.rules())
	}
	for _, f := range r.Findings {
		if f.File != policy {
			t.Errorf("finding %s in %s is not new, yet the baseline did not hide it", f.Rule, f.File)
		}
	}
	if len(r.Baselined) == 0 {
		t.Error("the old findings are no longer hidden")
	}
}

func TestBaselineFileErrors(t *testing.T) {
	dir := "../../fixtures/example"
	cfg := filepath.Join(dir, ".smlint.yaml")
	bad := filepath.Join(t.TempDir(), "bad.json")
	for name, body := range map[string]string{
		"not JSON":          "fingerprints:\n",
		"other fingerprint": `{"version": 1, "fingerprint": "otherTool/v9", "findings": []}`,
		"other version":     `{"version": 7, "fingerprint": "smlintFinding/v1", "findings": []}`,
	} {
		if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runArgs(t, "check", "-q", "--config", cfg, "--baseline", bad, dir)
		if code != exitUsage || !strings.Contains(stderr, "--baseline: "+bad) {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
	code, _, stderr := runArgs(t, "check", "-q", "--config", cfg, "--baseline", filepath.Join(t.TempDir(), "missing.json"), dir)
	if code != exitUsage || !strings.Contains(stderr, "--baseline") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, stderr)
	}
}

// --only, --disable-rule and --enable-rule select the reported rules, in
// flags and in .smlint.yaml; an unknown id is a usage error with the
// closest known one.
func TestRuleSelection(t *testing.T) {
	dir := "../../fixtures/example"
	cfg := filepath.Join(dir, ".smlint.yaml")
	all := []string{"bucket-actions-missing", "encryption-header-required", "putobject-denied", "resource-too-broad", "trust-principal-wrong"}
	tests := []struct {
		name string
		args []string
		want []string
		code int
	}{
		{"none", nil, all, exitFindings},
		{"only one", []string{"--only", "resource-too-broad"}, []string{"resource-too-broad"}, exitOK},
		{"only a comma list", []string{"--only", "resource-too-broad,trust-principal-wrong"}, []string{"resource-too-broad", "trust-principal-wrong"}, exitFindings},
		{"disable two", []string{"--disable-rule", "putobject-denied", "--disable-rule", "trust-principal-wrong"},
			[]string{"bucket-actions-missing", "encryption-header-required", "resource-too-broad"}, exitFindings},
		{"enable undoes disable", []string{"--disable-rule", "putobject-denied", "--enable-rule", "putobject-denied"}, all, exitFindings},
		{"enable adds to only", []string{"--only", "resource-too-broad", "--enable-rule", "bucket-actions-missing"},
			[]string{"bucket-actions-missing", "resource-too-broad"}, exitOK}, // two warnings
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkJSON(t, append(append([]string{"--config", cfg}, tt.args...), dir)...)
			if got := r.rules(); strings.Join(got, " ") != strings.Join(tt.want, " ") || r.code != tt.code {
				t.Errorf("exit %d, rules %v; want exit %d, %v", r.code, got, tt.code, tt.want)
			}
		})
	}

	code, _, stderr := runArgs(t, "check", "-q", "--config", cfg, "--disable-rule", "resource-to-broad", dir)
	if code != exitUsage || !strings.Contains(stderr, `unknown rule "resource-to-broad" (did you mean resource-too-broad?)`) {
		t.Errorf("unknown rule: exit %d, stderr %q", code, stderr)
	}

	// In the config file, and the flag re-enables what it disables.
	conf := filepath.Join(t.TempDir(), ".smlint.yaml")
	orig, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, append(orig, []byte("disable_rules: [trust-principal-wrong, putobject-denied]\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := checkJSON(t, "--config", conf, dir); strings.Join(r.rules(), " ") != "bucket-actions-missing encryption-header-required resource-too-broad" {
		t.Errorf("disable_rules in the config: %v", r.rules())
	}
	if r := checkJSON(t, "--config", conf, "--enable-rule", "putobject-denied", dir); strings.Join(r.rules(), " ") != "bucket-actions-missing encryption-header-required putobject-denied resource-too-broad" {
		t.Errorf("--enable-rule over the config: %v", r.rules())
	}
	if err := os.WriteFile(conf, append(orig, []byte("disable_rules: [trust-principal-wrng]\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runArgs(t, "check", "-q", "--config", conf, dir)
	if code != exitUsage || !strings.Contains(stderr, "trust-principal-wrong?") {
		t.Errorf("unknown rule in the config: exit %d, stderr %q", code, stderr)
	}
}

// The report names the config file it read; discovery stops at the
// repository root.
func TestReportNamesConfig(t *testing.T) {
	dir := "../../fixtures/example"
	cfg := filepath.Join(dir, ".smlint.yaml")
	if r := checkJSON(t, "--config", cfg, dir); r.Config != cfg {
		t.Errorf("config_file = %q, want %q", r.Config, cfg)
	}
	_, text, _ := runArgs(t, "check", "--config", cfg, dir)
	if !strings.HasPrefix(text, "config: "+cfg+"\n") {
		t.Errorf("the text report does not start with the config file:\n%s", text)
	}
}
