package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHooks runs both hooks of .pre-commit-hooks.yaml under the
// real pre-commit (Debian package pre-commit; .ci/run installs it) on a
// scratch repository: a passing change and a failing one.
//
// pre-commit's golang language clones the hook repository and builds it
// with `go install ./...`. The test points `repo:` at a local git
// repository holding a snapshot of this checkout (tracked and untracked,
// not ignored files, committed), and reuses the module cache with
// GOPROXY=off, so it runs offline.
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: pre-commit hook test skipped")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		fmt.Fprintln(os.Stderr, "\n*** SKIPPED TestPreCommitHooks: pre-commit is not installed (apt-get install pre-commit); the hooks are NOT tested ***")
		t.Skip("pre-commit is not installed (apt-get install pre-commit): the hooks are not tested")
	}
	for _, tool := range []string{"git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	tmp := t.TempDir()
	modcache := strings.TrimSpace(cmdOut(t, "", nil, "go", "env", "GOMODCACHE"))
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"GOMODCACHE="+modcache, "GOPROXY=off", "GOFLAGS=-mod=mod",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "NO_COLOR=1")

	// The hook repository: a snapshot of this checkout.
	hooks := filepath.Join(tmp, "smlint")
	root := "../.."
	files := strings.Fields(cmdOut(t, root, env, "git", "ls-files", "-co", "--exclude-standard"))
	if len(files) == 0 {
		t.Fatal("git ls-files lists nothing")
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			if os.IsNotExist(err) {
				continue // deleted in the work tree
			}
			t.Fatal(err)
		}
		dst := filepath.Join(hooks, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmdOut(t, hooks, env, "git", "init", "-q")
	cmdOut(t, hooks, env, "git", "add", "-A")
	cmdOut(t, hooks, env, "git", "commit", "-q", "-m", "snapshot")
	rev := strings.TrimSpace(cmdOut(t, hooks, env, "git", "rev-parse", "HEAD"))

	// The user's repository: the setup guide's role in iam/.
	repo := filepath.Join(tmp, "infra")
	good := "../../fixtures/good-role"
	copyFile(t, filepath.Join(good, ".smlint.yaml"), filepath.Join(repo, ".smlint.yaml"))
	copyFile(t, filepath.Join(good, "get-role.json"), filepath.Join(repo, "iam", "get-role.json"))
	copyFile(t, filepath.Join(good, "get-role-policy.json"), filepath.Join(repo, "iam", "get-role-policy.json"))
	config := fmt.Sprintf(`repos:
  - repo: %s
    rev: %s
    hooks:
      - id: smlint
      - id: smlint-repo
        args: [iam/]
`, hooks, rev)
	if err := os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmdOut(t, repo, env, "git", "init", "-q")
	cmdOut(t, repo, env, "git", "add", "-A")
	cmdOut(t, repo, env, "git", "commit", "-q", "-m", "initial")

	precommit := func() (int, string) {
		cmd := exec.Command("pre-commit", "run", "--verbose", "--color", "never")
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatalf("pre-commit: %v\n%s", err, out)
		}
		return 0, string(out)
	}

	// A passing change: only the permission policy is staged. The per-file
	// hook sees it alone and stays quiet about the trust policy it was not
	// given; the whole-repo hook checks iam/ and passes.
	policy := filepath.Join(repo, "iam", "get-role-policy.json")
	data, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	cmdOut(t, repo, env, "git", "add", "iam/get-role-policy.json")
	code, out := precommit()
	t.Logf("passing change:\n%s", out)
	if code != 0 {
		t.Fatalf("passing change: pre-commit exit %d\n%s", code, out)
	}
	for _, hook := range []string{"smlint (staged IAM, S3 and KMS policy files)", "smlint (whole setup)"} {
		if !strings.Contains(out, hook) || !hookPassed(out, hook) {
			t.Errorf("passing change: hook %q did not run and pass:\n%s", hook, out)
		}
	}
	for _, noise := range []string{"no trust policy was given", "unresolved-value", "no policy document found"} {
		if strings.Contains(out, noise) {
			t.Errorf("passing change: a run on the staged file speaks of %q:\n%s", noise, out)
		}
	}
	cmdOut(t, repo, env, "git", "commit", "-q", "--no-verify", "-m", "policy")

	// A failing change: the trust policy names the setup guide's example
	// account's root instead of Supermetrics' role.
	role := filepath.Join(repo, "iam", "get-role.json")
	data, err = os.ReadFile(role)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "arn:aws:iam::043417694514:role/supermetrics-s3-role", "arn:aws:iam::999988887777:root", 1)
	if bad == string(data) {
		t.Fatal("the fixture's trust principal was not found")
	}
	if err := os.WriteFile(role, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cmdOut(t, repo, env, "git", "add", "iam/get-role.json")
	code, out = precommit()
	t.Logf("failing change:\n%s", out)
	if code == 0 {
		t.Fatalf("failing change: pre-commit passed\n%s", out)
	}
	if !strings.Contains(out, "trust-principal-wrong") || !strings.Contains(out, "iam/get-role.json") {
		t.Errorf("failing change: output does not name the rule and the file:\n%s", out)
	}
	for _, hook := range []string{"smlint (staged IAM, S3 and KMS policy files)", "smlint (whole setup)"} {
		if hookPassed(out, hook) {
			t.Errorf("failing change: hook %q passed:\n%s", hook, out)
		}
	}
}

// hookPassed reports whether pre-commit's summary line for hook says Passed.
func hookPassed(out, hook string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, hook) {
			return strings.HasSuffix(strings.TrimSpace(line), "Passed")
		}
	}
	return false
}

func cmdOut(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v\n%s%s", name, args, err, out, stderr)
	}
	return string(out)
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
