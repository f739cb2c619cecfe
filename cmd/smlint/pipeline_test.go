package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"smlint"}, args...), &stdout, &stderr, func(string) string { return "" })
	return code, stdout.String(), stderr.String()
}

// A misconfigured job (an empty or mistyped directory, or one holding no
// policy) exits 2 and names the paths, instead of passing with verdict
// unknown.
func TestEmptyInputIsAnError(t *testing.T) {
	empty := t.TempDir()
	nonPolicy := t.TempDir()
	if err := os.WriteFile(filepath.Join(nonPolicy, "package.json"), []byte(`{"name": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		paths []string
		want  []string
	}{
		"empty directory":        {[]string{empty}, []string{empty, "no JSON, YAML or template file"}},
		"only a non-policy file": {[]string{nonPolicy}, []string{nonPolicy, "package.json", "none a policy"}},
		"two paths":              {[]string{empty, nonPolicy}, []string{empty + ", " + nonPolicy}},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runArgs(t, append([]string{"check", "--format", "json"}, tc.paths...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, "no policy document found in ") {
				t.Errorf("stderr %q lacks the message", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
			if stdout != "" {
				t.Errorf("a report was written for no input: %s", stdout)
			}
		})
	}
	// A missing path is an input error: reported, exit 2 (not this message).
	code, _, stderr := runArgs(t, "check", "-q", filepath.Join(empty, "missing"))
	if code != exitUsage || strings.Contains(stderr, "no policy document found") {
		t.Errorf("missing path: exit %d, stderr %q", code, stderr)
	}
}

// --fail-on unknown fails a run whose verdict is undecided; by default an
// unknown verdict exits 0 unless findings reach the level.
func TestFailOnUnknown(t *testing.T) {
	unknown := "../../fixtures/ip-condition-no-ranges-configured"
	good := "../../fixtures/good-role"
	for _, tc := range []struct {
		dir, failOn string
		want        int
	}{
		{unknown, "", exitOK},
		{unknown, "unknown", exitFindings},
		{unknown, "error,unknown", exitFindings},
		{unknown, "never,unknown", exitFindings},
		{unknown, "warning", exitFindings}, // its ip-condition-unverified warning
		{good, "unknown", exitOK},
		{good, "info,unknown", exitOK},
	} {
		args := []string{"check", "-q", "--config", filepath.Join(tc.dir, ".smlint.yaml")}
		if tc.failOn != "" {
			args = append(args, "--fail-on", tc.failOn)
		}
		if code, _, stderr := runArgs(t, append(args, tc.dir)...); code != tc.want {
			t.Errorf("%s --fail-on %q: exit %d, want %d (%s)", filepath.Base(tc.dir), tc.failOn, code, tc.want, stderr)
		}
	}
	for _, bad := range []string{"warn", "unknown,bogus", "error,warning", ""} {
		if code, _, stderr := runArgs(t, "check", "--fail-on", bad, good); code != exitUsage || !strings.Contains(stderr, "--fail-on") {
			t.Errorf("--fail-on %q: exit %d, stderr %q", bad, code, stderr)
		}
	}
}

// A .tf file named on the command line (what `smlint init --format
// terraform` writes, and what a pre-commit hook passes) is listed as not
// checked with how to make a plan: it does not hide the other files'
// results or change the exit code; alone, it is the empty-input error,
// which carries the same advice. Never "invalid JSON".
func TestTerraformSourceNamed(t *testing.T) {
	tf := filepath.Join(t.TempDir(), "supermetrics.tf")
	if err := os.WriteFile(tf, []byte("# smlint init\nresource \"aws_iam_role\" \"supermetrics\" {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := "../../fixtures/good-role"
	code, stdout, stderr := runArgs(t, "check", "--format", "json", "--config", filepath.Join(good, ".smlint.yaml"), good, tf)
	if code != exitOK || !strings.Contains(stdout, `"ready": true`) || !strings.Contains(stdout, "terraform show -json") {
		t.Errorf("good role + .tf: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	code, _, stderr = runArgs(t, "check", tf)
	if code != exitUsage || !strings.Contains(stderr, "terraform plan -out p && terraform show -json p > plan.json") {
		t.Errorf(".tf alone: exit %d, stderr %q", code, stderr)
	}
	for _, out := range []string{stdout, stderr} {
		if strings.Contains(out, "invalid JSON") || strings.Contains(out, "invalid character") {
			t.Errorf("output speaks of invalid JSON: %s", out)
		}
	}
}

// TestPartialSubsets runs every fixture file alone with --partial, as the
// per-file pre-commit hook does. A run on a subset must not report what
// the whole setup would not (no "no trust policy was given" noise, no
// "nothing grants" from a document not staged), and its verdict is the
// whole run's or unknown — never a false allowed.
func TestPartialSubsets(t *testing.T) {
	type finding struct {
		Rule, File string
		Line       int
	}
	type result struct {
		Upload   string    `json:"upload"`
		Findings []finding `json:"findings"`
	}
	check := func(t *testing.T, args ...string) (int, result) {
		t.Helper()
		code, stdout, stderr := runArgs(t, append([]string{"check", "--format", "json"}, args...)...)
		var r result
		if stdout != "" {
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, stderr)
			}
		}
		return code, r
	}
	files := 0
	for _, fx := range fixtureTable(t) {
		dir := fx.dir
		if len(fx.want.Args) > 0 {
			continue // --trust and friends name files; the hook passes none
		}
		t.Run(fx.name, func(t *testing.T) {
			cfg := filepath.Join(dir, ".smlint.yaml")
			_, full := check(t, "--config", cfg, dir)
			// By rule: a setup-level finding (role-arn-wrong, kms-key-mismatch)
			// is shown at the first document of the run, which differs.
			inFull := map[string]bool{}
			for _, f := range full.Findings {
				inFull[f.Rule] = true
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() || name == "expected.json" || strings.HasPrefix(name, ".") {
					continue
				}
				files++
				code, part := check(t, "--partial", "--config", cfg, filepath.Join(dir, name))
				if code == exitUsage {
					continue // an unreadable fixture file is its own test
				}
				if part.Upload != "" && part.Upload != "unknown" && part.Upload != full.Upload {
					t.Errorf("%s alone: verdict %s, the whole setup's is %s", name, part.Upload, full.Upload)
				}
				for _, f := range part.Findings {
					if !inFull[f.Rule] {
						t.Errorf("%s alone reports %s at %s:%d, which the whole setup does not", name, f.Rule, f.File, f.Line)
					}
				}
			}
		})
	}
	if files == 0 {
		t.Fatal("no fixture file was run alone")
	}
}

// `aws iam get-role ... | smlint check -`: the path "-" is standard input,
// named <stdin> in the report, and joins the files given beside it.
func TestStdin(t *testing.T) {
	good := "../../fixtures/good-role"
	data, err := os.ReadFile(filepath.Join(good, "get-role.json"))
	if err != nil {
		t.Fatal(err)
	}
	old := stdin
	defer func() { stdin = old }()
	stdin = bytes.NewReader(data)
	code, stdout, stderr := runArgs(t, "check", "--format", "json", "--config", filepath.Join(good, ".smlint.yaml"), "-", filepath.Join(good, "get-role-policy.json"))
	if code != exitOK || !strings.Contains(stdout, `"ready": true`) {
		t.Errorf("role on stdin + policy file: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	stdin = strings.NewReader(`{"Statement": [`)
	code, stdout, _ = runArgs(t, "check", "--format", "compact", "-")
	if code != exitUsage || !strings.Contains(stdout, "<stdin>:") {
		t.Errorf("broken JSON on stdin: exit %d\n%s", code, stdout)
	}
}
