package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/util"

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

// inputSchemaSet is the schema set `opa check --schema schema` reads:
// schema/input.json (generated from internal/ruleinput) as schema.input,
// the schema every rule's METADATA declares for input.
func inputSchemaSet(t *testing.T) *ast.SchemaSet {
	t.Helper()
	data, err := os.ReadFile("schema/input.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema any
	if err := util.UnmarshalJSON(data, &schema); err != nil {
		t.Fatal(err)
	}
	ss := ast.NewSchemaSet()
	ss.Put(ast.MustParseRef("schema.input"), schema)
	return ss
}

// TestRegoStrict compiles every module as `opa check --strict --schema
// schema` would: unused variables and imports, deprecated built-ins and
// shadowing fail, and every rule is type-checked against the input schema
// its METADATA declares (a field the input does not have, or used as the
// wrong type, fails).
func TestRegoStrict(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	for _, m := range mods {
		modules[m.File] = m.Module
	}
	c := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(false).
		WithSchemas(inputSchemaSet(t)).WithUseTypeCheckAnnotations(true)
	c.Compile(modules)
	if c.Failed() {
		for _, e := range c.Errors {
			t.Error(e)
		}
	}
}

// TestRegoTypeCheckCatchesUnknownFields: the type check of TestRegoStrict
// is real: a rule reading a field the input does not have fails to compile.
func TestRegoTypeCheckCatchesUnknownFields(t *testing.T) {
	src := `# METADATA
# schemas:
#   - input: schema.input
package smlint.rules.typo

import rego.v1

findings contains {"message": "x"} if input.setup.bukcet == "b"
`
	m, err := ast.ParseModuleWithOpts("typo.rego", src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	c := ast.NewCompiler().WithSchemas(inputSchemaSet(t)).WithUseTypeCheckAnnotations(true)
	c.Compile(map[string]*ast.Module{"typo.rego": m})
	if !c.Failed() || !strings.Contains(c.Errors.Error(), "undefined ref: input.setup.bukcet") {
		t.Errorf("input.setup.bukcet compiled: %v", c.Errors)
	}
}

// TestRulesDeclareInputSchema: every rule module and rules/lib declare the
// input schema in their package METADATA, so TestRegoStrict type-checks
// them all.
func TestRulesDeclareInputSchema(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), false)
	if err != nil {
		t.Fatal(err)
	}
	want := ast.MustParseRef("schema.input")
	declared := map[string]bool{}
	for _, m := range mods {
		pkg := m.Module.Package.Path.String()
		for _, a := range m.Module.Annotations {
			for _, s := range a.Schemas {
				if a.Scope == "package" && s.Path.Equal(ast.InputRootRef) && s.Schema.Equal(want) {
					declared[pkg] = true
				}
			}
		}
	}
	n := 0
	for _, m := range mods {
		pkg := m.Module.Package.Path.String()
		if !strings.HasPrefix(pkg, "data.smlint.") {
			continue
		}
		n++
		if !declared[pkg] {
			t.Errorf("%s (%s): METADATA does not declare schemas: - input: schema.input", m.File, pkg)
		}
	}
	if n == 0 {
		t.Fatal("no rule modules")
	}
}

// TestRuleIDPackageDirectoryAgree: a rule's custom.id, its package
// (smlint.rules.<id with _>) and its place (rules/<area>/<id with _>/<id
// with _>.rego) say the same, so that a rule is found by any of them.
func TestRuleIDPackageDirectoryAgree(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), false)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range mods {
		pkg := strings.TrimPrefix(m.Module.Package.Path.String(), "data.")
		if !strings.HasPrefix(pkg, "smlint.rules.") {
			continue
		}
		n++
		id := ""
		for _, a := range m.Module.Annotations {
			if a.Scope == "package" {
				id, _ = a.Custom["id"].(string)
			}
		}
		if id == "" {
			t.Errorf("%s: no METADATA custom.id", m.File)
			continue
		}
		dir := strings.ReplaceAll(id, "-", "_")
		if want := "smlint.rules." + dir; pkg != want {
			t.Errorf("%s: rule %s is in package %s, want %s", m.File, id, pkg, want)
		}
		parts := strings.Split(filepath.ToSlash(m.File), "/")
		if len(parts) < 3 || parts[len(parts)-1] != dir+".rego" || parts[len(parts)-2] != dir {
			t.Errorf("%s: rule %s belongs in rules/<area>/%s/%s.rego", m.File, id, dir, dir)
		}
	}
	if n == 0 {
		t.Fatal("no rule modules")
	}
}
