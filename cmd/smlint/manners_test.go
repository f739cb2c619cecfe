package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandTypoSuggests(t *testing.T) {
	code, stdout, stderr := runArgs(t, "chek", "policy.json")
	if code != exitUsage || !strings.Contains(stderr, `Did you mean "check"?`) || stdout != "" {
		t.Errorf("smlint chek: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A directory named like a command's typo is a path, not a typo.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "chek"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if code, _, stderr := runArgs(t, "chek"); code != exitUsage || !strings.Contains(stderr, "no policy document found in chek") {
		t.Errorf("existing path chek: exit %d, stderr %q", code, stderr)
	}
}

func TestFlagTypoSuggests(t *testing.T) {
	code, _, stderr := runArgs(t, "check", "--formt", "json", "x.json")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "--format"?`) {
		t.Errorf("--formt: exit %d, stderr %q", code, stderr)
	}
}

func TestHelpCommand(t *testing.T) {
	code, stdout, stderr := runArgs(t, "help")
	if code != exitOK || !strings.Contains(stdout, "COMMANDS:") || !strings.Contains(stdout, "completion") {
		t.Errorf("smlint help: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	code, stdout, _ = runArgs(t, "help", "check")
	if code != exitOK || !strings.Contains(stdout, "--fail-on") || !strings.Contains(stdout, "--partial") {
		t.Errorf("smlint help check: exit %d\n%s", code, stdout)
	}
}

func TestVersionsAgree(t *testing.T) {
	_, a, _ := runArgs(t, "version")
	_, b, _ := runArgs(t, "--version")
	if a != b || !strings.HasPrefix(a, "smlint "+toolVersion()) {
		t.Errorf("smlint version %q, --version %q", a, b)
	}
	if !semverLike(toolVersion()) {
		t.Errorf("version %q is not SemVer", toolVersion())
	}
}

func semverLike(v string) bool {
	parts := strings.SplitN(strings.SplitN(strings.SplitN(v, "+", 2)[0], "-", 2)[0], ".", 3)
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := runArgs(t, "completion", shell)
		if code != exitOK || !strings.Contains(stdout, "smlint") {
			t.Errorf("completion %s: exit %d, stderr %q", shell, code, stderr)
		}
		if shell == "bash" {
			if _, err := exec.LookPath("bash"); err == nil {
				cmd := exec.Command("bash", "-n")
				cmd.Stdin = strings.NewReader(stdout)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("bash -n on the completion script: %v\n%s", err, out)
				}
			}
		}
	}
	if code, _, _ := runArgs(t, "completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
	// urfave/cli reads the word being completed from os.Args.
	oldArgs := os.Args
	defer func() { os.Args = oldArgs }()
	os.Args = []string{"smlint", "--generate-bash-completion"}
	_, stdout, _ := runArgs(t, "--generate-bash-completion")
	for _, c := range []string{"check", "explain", "completion"} {
		if !strings.Contains(stdout, c+"\n") {
			t.Errorf("command candidates lack %s:\n%s", c, stdout)
		}
	}
	os.Args = []string{"smlint", "check", "--fa", "--generate-bash-completion"}
	_, stdout, _ = runArgs(t, "check", "--fa", "--generate-bash-completion")
	if !strings.Contains(stdout, "--fail-on") {
		t.Errorf("flag candidates for --fa lack --fail-on:\n%s", stdout)
	}
}

func TestExplainSuggestsRule(t *testing.T) {
	code, _, stderr := runArgs(t, "explain", "role-arn-wong")
	if code != exitUsage || !strings.Contains(stderr, `Did you mean "role-arn-wrong"?`) {
		t.Errorf("explain role-arn-wong: exit %d, stderr %q", code, stderr)
	}
}
