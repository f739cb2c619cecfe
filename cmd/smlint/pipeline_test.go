package main

import (
	"bytes"
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
