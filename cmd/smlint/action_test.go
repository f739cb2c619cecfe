package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// action is the part of action.yml the test reads.
type action struct {
	Inputs  map[string]struct{ Default string } `yaml:"inputs"`
	Outputs map[string]struct{ Value string }   `yaml:"outputs"`
	Runs    struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
			With  map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// TestActionDefinition checks action.yml as GitHub reads it: a composite
// action whose run steps name a shell, whose expressions name declared
// inputs and outputs the check step writes, with no expression pasted
// into a script (script injection), and which uploads SARIF with
// github/codeql-action/upload-sarif.
func TestActionDefinition(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	uploads := false
	written := map[string]bool{}
	for i, s := range a.Runs.Steps {
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %d (%s): needs exactly one of run and uses", i, s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %d (%s): a composite run step needs a shell", i, s.Name)
		}
		if expr.MatchString(s.Run) {
			t.Errorf("step %d (%s): an expression inside run: pass it through env", i, s.Name)
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads = true
			if s.With["sarif_file"] != "${{ inputs.sarif-file }}" {
				t.Errorf("upload-sarif uploads %q", s.With["sarif_file"])
			}
		}
		if s.ID == "check" {
			for _, m := range regexp.MustCompile(`echo "([a-z-]+)=`).FindAllStringSubmatch(s.Run, -1) {
				written[m[1]] = true
			}
		}
	}
	if !uploads {
		t.Error("no github/codeql-action/upload-sarif step")
	}
	var all []string
	for _, s := range a.Runs.Steps {
		all = append(all, s.If)
		for _, v := range s.Env {
			all = append(all, v)
		}
		for _, v := range s.With {
			all = append(all, v)
		}
	}
	for _, o := range a.Outputs {
		all = append(all, o.Value)
	}
	for _, text := range all {
		for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(text, -1) {
			if _, ok := a.Inputs[m[1]]; !ok {
				t.Errorf("%q names undeclared input %s", text, m[1])
			}
		}
		for _, m := range regexp.MustCompile(`steps\.check\.outputs\.([a-z-]+)`).FindAllStringSubmatch(text, -1) {
			if !written[m[1]] {
				t.Errorf("%q reads output %s, which the check step does not write", text, m[1])
			}
		}
	}
}

// TestActionScripts runs the action's shell steps with bash as the runner
// would (expressions evaluated into their env, GITHUB_* files in a temp
// directory) on the example setup and on the good role: the verdict and
// exit code outputs, the job summary, the SARIF file, and the final step's
// exit status.
func TestActionScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds smlint")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	a := readAction(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	runnerTemp := t.TempDir()
	for _, tc := range []struct {
		fixture, verdict, code string
	}{
		{"example", "denied", "1"},
		{"good-role", "allowed", "0"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			work := t.TempDir()
			src := filepath.Join(root, "fixtures", tc.fixture)
			entries, _ := os.ReadDir(src)
			for _, e := range entries {
				if !e.IsDir() && e.Name() != "expected.json" {
					copyFile(t, filepath.Join(src, e.Name()), filepath.Join(work, "iam", e.Name()))
				}
			}
			files := map[string]string{}
			for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH"} {
				files[f] = filepath.Join(work, "_"+f)
				if err := os.WriteFile(files[f], nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			inputs := map[string]string{}
			for k, v := range a.Inputs {
				inputs[k] = v.Default
			}
			inputs["paths"] = "iam"
			inputs["args"] = "--config iam/.smlint.yaml"
			outputs := map[string]string{}
			eval := func(s string) string {
				return expr.ReplaceAllStringFunc(s, func(m string) string {
					e := expr.FindStringSubmatch(m)[1]
					switch {
					case e == "github.action_path":
						return root
					case e == "github.action_ref":
						return "v1.2.3"
					case strings.HasPrefix(e, "inputs."):
						return inputs[strings.TrimPrefix(e, "inputs.")]
					case strings.HasPrefix(e, "steps.check.outputs."):
						return outputs[strings.TrimPrefix(e, "steps.check.outputs.")]
					}
					t.Fatalf("expression %q not modelled by the test", e)
					return ""
				})
			}
			finalCode := -1
			for _, s := range a.Runs.Steps {
				if s.Run == "" {
					continue
				}
				if s.If != "" && eval(s.If) != "inputs.fail == 'true' && steps.check.outputs.exit-code != '0'" {
					t.Fatalf("step %s: condition %q not modelled by the test", s.Name, s.If)
				}
				if s.If != "" && (inputs["fail"] != "true" || outputs["exit-code"] == "0") {
					continue
				}
				cmd := exec.Command("bash", "-e", "-c", s.Run)
				cmd.Dir = work
				cmd.Env = append(os.Environ(), "RUNNER_TEMP="+runnerTemp)
				for k, v := range files {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				for k, v := range s.Env {
					cmd.Env = append(cmd.Env, k+"="+eval(v))
				}
				out, err := cmd.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if s.If != "" {
					finalCode = code
					continue
				}
				if code != 0 {
					t.Fatalf("step %s exited %d:\n%s", s.Name, code, out)
				}
				if s.ID == "check" {
					data, _ := os.ReadFile(files["GITHUB_OUTPUT"])
					for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
						if k, v, ok := strings.Cut(l, "="); ok {
							outputs[k] = v
						}
					}
					if !strings.Contains(string(out), "Supermetrics can upload: ") {
						t.Errorf("the step log lacks the text report:\n%s", out)
					}
				}
				if s.Name == "Build smlint" && !strings.Contains(string(out), "smlint 1.2.3") {
					t.Errorf("built smlint does not report the action's version 1.2.3:\n%s", out)
				}
			}
			if outputs["verdict"] != tc.verdict || outputs["exit-code"] != tc.code {
				t.Errorf("outputs %v, want verdict %s exit-code %s", outputs, tc.verdict, tc.code)
			}
			// ready is "true" only for an allowed verdict, else "false" or unset.
			want := map[string]string{"allowed": "true"}[tc.verdict]
			if got := outputs["ready"]; got != want && (want != "" || got != "false") {
				t.Errorf("ready = %q", outputs["ready"])
			}
			summary, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
			answer := map[string]string{"denied": "no", "allowed": "yes"}[tc.verdict]
			if !strings.HasPrefix(string(summary), "## smlint: Supermetrics can upload: "+answer) {
				t.Errorf("job summary:\n%s", summary)
			}
			if tc.code != "0" && !strings.Contains(string(summary), "| Severity | Rule | Where | Finding | Fix |") {
				t.Errorf("job summary lacks the findings table:\n%s", summary)
			}
			sarif, err := os.ReadFile(filepath.Join(work, inputs["sarif-file"]))
			if err != nil {
				t.Fatalf("no SARIF file: %v", err)
			}
			var log struct{ Version string }
			if json.Unmarshal(sarif, &log) != nil || log.Version != "2.1.0" {
				t.Errorf("SARIF file is not a 2.1.0 log")
			}
			wantFinal := -1 // skipped
			if tc.code != "0" {
				wantFinal = 1
			}
			if finalCode != wantFinal {
				t.Errorf("final step exit %d, want %d (-1: skipped)", finalCode, wantFinal)
			}
		})
	}
}
