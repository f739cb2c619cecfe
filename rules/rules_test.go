package rules_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/smlint/smlint/internal/engine"
)

// TestRego runs every *_test.rego beside the rules, with smlint's builtins,
// so `go test ./...` runs the Rego unit tests too.
func TestRego(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	for _, m := range mods {
		modules[m.File] = m.Module
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ch, err := tester.NewRunner().SetModules(modules).SetTimeout(time.Minute).RaiseBuiltinErrors(true).RunTests(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for r := range ch {
		ran++
		name := r.Package + "." + r.Name
		if r.Error != nil {
			t.Errorf("%s: error: %v", name, r.Error)
		} else if r.Fail {
			t.Errorf("%s: failed (%s:%d)", name, r.Location.File, r.Location.Row)
		}
	}
	if ran == 0 {
		t.Fatal("no Rego tests ran")
	}
	t.Logf("%d Rego tests", ran)
}

// TestEveryRuleHasHitAndNearMissTests: each rule package needs a test
// package with at least one test_hit… and one test_near_miss… case.
func TestEveryRuleHasHitAndNearMissTests(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]string{}
	var rulePkgs []string
	for _, m := range mods {
		pkg := strings.TrimPrefix(m.Module.Package.Path.String(), "data.")
		if strings.HasSuffix(pkg, "_test") {
			for _, r := range m.Module.Rules {
				tests[strings.TrimSuffix(pkg, "_test")] = append(tests[strings.TrimSuffix(pkg, "_test")], r.Head.Name.String())
			}
		} else if strings.HasPrefix(pkg, "smlint.rules.") {
			rulePkgs = append(rulePkgs, pkg)
		}
	}
	for _, pkg := range rulePkgs {
		hit, near := false, false
		for _, name := range tests[pkg] {
			hit = hit || strings.HasPrefix(name, "test_hit")
			near = near || strings.HasPrefix(name, "test_near_miss")
		}
		if !hit || !near {
			t.Errorf("%s: needs test_hit… and test_near_miss… tests (has %v)", pkg, tests[pkg])
		}
	}
}

// TestRegoFormatted keeps the Rego in `opa fmt` style.
func TestRegoFormatted(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		src, err := os.ReadFile(strings.TrimPrefix(m.File, "rules/"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := format.SourceWithOpts(m.File, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", m.File, err)
			continue
		}
		if string(want) != string(src) {
			t.Errorf("%s is not opa-fmt formatted (run `make fmt`)", m.File)
		}
	}
}

// TestRegoStrict compiles every module as `opa check --strict` would:
// unused variables and imports, deprecated built-ins and shadowing fail.
func TestRegoStrict(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	for _, m := range mods {
		modules[m.File] = m.Module
	}
	c := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(false)
	c.Compile(modules)
	if c.Failed() {
		for _, e := range c.Errors {
			t.Error(e)
		}
	}
}
