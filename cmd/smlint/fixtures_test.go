package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// expectation is a fixture folder's expected.json.
type expectation struct {
	Upload string   `json:"upload"`
	Ready  bool     `json:"ready"`
	Rules  []string `json:"rules"`
	Exit   *int     `json:"exit"`
	Args   []string `json:"args"`
	// Doc is the AWS documentation page that decides the scenario (every
	// adversarial fixture names one; see fixtures/embed.go).
	Doc string `json:"doc"`
	// MessageContains (optional) maps a rule id to texts that one of its
	// findings must contain: the finding blames the right policy.
	MessageContains map[string][]string `json:"message_contains"`
}

// fixture is one folder of the fixture table (fixtures/*/) and what its
// expected.json says of it.
type fixture struct {
	name, dir string
	want      expectation
}

// fixtureTable reads every fixture folder's expected.json; the tests that
// run the whole table take their folders and arguments from here.
func fixtureTable(t *testing.T) []fixture {
	t.Helper()
	exps, err := filepath.Glob("../../fixtures/*/expected.json")
	if err != nil || len(exps) == 0 {
		t.Fatalf("no fixtures (%v)", err)
	}
	out := make([]fixture, 0, len(exps))
	for _, exp := range exps {
		fx := fixture{dir: filepath.Dir(exp)}
		fx.name = filepath.Base(fx.dir)
		data, err := os.ReadFile(exp)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &fx.want); err != nil {
			t.Fatalf("%s: %v", exp, err)
		}
		out = append(out, fx)
	}
	return out
}

// checkArgs is the command line of `smlint check` on the fixture in the
// given output format: its configuration, its own arguments, its folder.
func (fx fixture) checkArgs(format string) []string {
	args := []string{"smlint", "check", "--format", format, "--config", filepath.Join(fx.dir, ".smlint.yaml")}
	return append(append(args, fx.want.Args...), fx.dir)
}

// TestFixtures runs `smlint check` on every fixture folder and asserts the
// verdict and the exact set of rule ids (the fixture table of SPEC §5).
func TestFixtures(t *testing.T) {
	for _, fx := range fixtureTable(t) {
		t.Run(fx.name, func(t *testing.T) {
			want := fx.want
			var stdout, stderr bytes.Buffer
			code := run(fx.checkArgs("json"), &stdout, &stderr, func(string) string { return "" })
			var got struct {
				Upload   string `json:"upload"`
				Ready    bool   `json:"ready"`
				Findings []struct {
					Rule    string `json:"rule"`
					Message string `json:"message"`
					File    string `json:"file"`
					Line    int    `json:"line"`
				} `json:"findings"`
				Errors []struct {
					File, Message string
				} `json:"errors"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("exit %d, output is not JSON: %v\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
			}
			ids := map[string]bool{}
			for _, f := range got.Findings {
				ids[f.Rule] = true
			}
			gotRules := []string{}
			for id := range ids {
				gotRules = append(gotRules, id)
			}
			sort.Strings(gotRules)
			wantRules := append([]string{}, want.Rules...)
			sort.Strings(wantRules)
			if got.Upload != want.Upload || got.Ready != want.Ready || !reflect.DeepEqual(gotRules, wantRules) {
				t.Errorf("upload=%s ready=%t rules=%v\nwant upload=%s ready=%t rules=%v", got.Upload, got.Ready, gotRules,
					want.Upload, want.Ready, wantRules)
				for _, f := range got.Findings {
					t.Logf("  %s %s:%d %s", f.Rule, f.File, f.Line, f.Message)
				}
				for _, e := range got.Errors {
					t.Logf("  error %s: %s", e.File, e.Message)
				}
			}
			for rule, texts := range want.MessageContains {
				found := false
				for _, f := range got.Findings {
					ok := f.Rule == rule
					for _, text := range texts {
						ok = ok && strings.Contains(f.Message, text)
					}
					found = found || ok
				}
				if !found {
					t.Errorf("no %s finding contains all of %q", rule, texts)
				}
			}
			if want.Exit != nil && code != *want.Exit {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, *want.Exit, stderr.String())
			}
			if want.Exit == nil && len(got.Errors) > 0 {
				t.Errorf("unexpected input errors: %+v", got.Errors)
			}
		})
	}
}
