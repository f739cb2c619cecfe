package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv is runArgs with an environment.
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"smlint"}, args...), &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

// Several outputs in one run: the text report on standard output, JSON and
// SARIF in files, all of the same analysis; a relative FILE is relative to
// the working directory even with --example (which runs elsewhere).
func TestSeveralFormatsInOneRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, stderr := runArgs(t, "check", "--example", "example", "--format", "text", "--format", "json=out/r.json",
		"--format", "sarif=smlint,1.sarif")
	// out/ does not exist: that file cannot be written, and the run says so.
	if code != exitUsage || !strings.Contains(stderr, "--format json: open ") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if err := os.Mkdir("out", 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runArgs(t, "check", "--example", "example", "--format", "text", "--format", "json=out/r.json",
		"--format", "sarif=smlint,1.sarif")
	if code != exitFindings || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Upload   string `json:"upload"`
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "r.json"))
	if err != nil || json.Unmarshal(b, &rep) != nil || rep.Upload != "denied" || len(rep.Findings) != 5 {
		t.Errorf("out/r.json: %v %+v", err, rep)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []any `json:"results"`
		} `json:"runs"`
	}
	b, err = os.ReadFile(filepath.Join(dir, "smlint,1.sarif")) // a comma is part of the name
	if err != nil || json.Unmarshal(b, &log) != nil || log.Version != "2.1.0" || len(log.Runs[0].Results) != len(rep.Findings) {
		t.Errorf("SARIF file: %v %+v", err, log)
	}
	for _, f := range rep.Findings {
		if !strings.Contains(stdout, f.Rule) {
			t.Errorf("text lacks %s, which the JSON of the same run has", f.Rule)
		}
	}
}

func TestOutputFlagStillWritesTheOneReport(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, stdout, stderr := runArgs(t, "check", "--example", "example", "--format", "json", "--output", "r.json")
	if code != exitFindings || stdout != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "r.json")); err != nil || !json.Valid(b) {
		t.Errorf("r.json: %v", err)
	}
	// --output is where the format without =FILE goes.
	code, stdout, _ = runArgs(t, "check", "--example", "example", "--format", "compact=c.txt", "--format", "text", "-o", "t.txt")
	if code != exitFindings || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "t.txt")); !strings.HasSuffix(string(b), "Supermetrics can upload: no\n") {
		t.Errorf("t.txt:\n%s", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "c.txt")); !strings.Contains(string(b), ":2:1: error putobject-denied: ") {
		t.Errorf("c.txt:\n%s", b)
	}
}

func TestFormatUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "text", "--format", "json"}, "both write to standard output"},
		{[]string{"--format", "json=r", "--format", "sarif=./r"}, "both write to"},
		{[]string{"--format", "jsn"}, `--format "jsn": want one of text, json,`},
		{[]string{"--format", "json="}, "name the file after ="},
		{[]string{"--format", "json=r", "--output", "o"}, "every --format names its own file"},
		{[]string{"--color", "sometimes"}, `--color "sometimes": want auto, always or never`},
	} {
		dir := t.TempDir()
		t.Chdir(dir)
		code, stdout, stderr := runArgs(t, append([]string{"check", "--example", "example"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", tc.args, code, stderr, stdout)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%v: a usage error wrote %d file(s)", tc.args, len(entries))
		}
	}
}

// Colour: forced by --color always or FORCE_COLOR, off with --no-color,
// --color never, NO_COLOR (which beats FORCE_COLOR) and TERM=dumb, off by
// default when standard output is not a terminal; never in JSON.
func TestColorChoice(t *testing.T) {
	for _, tc := range []struct {
		env   map[string]string
		args  []string
		color bool
	}{
		{nil, nil, false}, // a buffer is not a terminal
		{nil, []string{"--color", "always"}, true},
		{map[string]string{"FORCE_COLOR": "1"}, nil, true},
		{map[string]string{"FORCE_COLOR": "1", "TERM": "dumb"}, nil, true},
		{map[string]string{"TERM": "dumb"}, []string{"--color", "always"}, true},
		{map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "1"}, nil, false},
		{map[string]string{"NO_COLOR": "1"}, []string{"--color", "always"}, true},
		{map[string]string{"FORCE_COLOR": "1"}, []string{"--no-color"}, false},
		{map[string]string{"FORCE_COLOR": "1"}, []string{"--color", "never"}, false},
		{nil, []string{"--color", "always", "--no-color"}, false},
		{nil, []string{"--color", "always", "--format", "json"}, false},
	} {
		code, stdout, stderr := runEnv(t, tc.env, append([]string{"check", "--example", "example"}, tc.args...)...)
		if code != exitFindings {
			t.Fatalf("%v %v: exit %d %s", tc.env, tc.args, code, stderr)
		}
		if got := strings.Contains(stdout, "\x1b["); got != tc.color {
			t.Errorf("env %v, flags %v: colour %v, want %v", tc.env, tc.args, got, tc.color)
		}
	}
}

// The text report lists the evaluated requests when the upload fails, and
// on a working setup only with -v.
func TestVerboseListsRequests(t *testing.T) {
	good := filepath.Join("..", "..", "fixtures", "boundary-in-account-export")
	args := []string{"check", "--config", filepath.Join(good, ".smlint.yaml"), good}
	code, quiet, stderr := runArgs(t, args...)
	if code != exitOK || !strings.HasSuffix(quiet, "Supermetrics can upload: yes\n") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, quiet)
	}
	_, verbose, _ := runArgs(t, append(args, "-v")...)
	if strings.Contains(quiet, "Requests for ") || !strings.Contains(verbose, "Requests for ") {
		t.Errorf("requests without -v: %v, with -v: %v", strings.Contains(quiet, "Requests for "), strings.Contains(verbose, "Requests for "))
	}
	if _, failing, _ := runArgs(t, "check", "--example", "example"); !strings.Contains(failing, "Requests for ") {
		t.Error("a failing setup's report does not list the requests")
	}
}
