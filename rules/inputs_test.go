package rules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/smlint/smlint/internal/engine"
)

// captureBuiltin is called, in the rewritten tests, with every value a test
// puts in place of the input (or part of it).
const captureBuiltin = "smlint_test.capture_input"

// TestRegoTestInputsMatchSchema validates every `with input as …` (and
// `with input.x as …`) value of the Rego tests against the input schema, as
// trivy-checks does, so a test cannot pass on an input the rules never get
// (a misspelt field, a string where the input has a list). The values are
// mostly built by helper functions, so they are taken at run time: each
// expression carrying such a `with` is preceded by a call that hands the
// value to Go, and the tests are run. Test inputs are partial (a test
// gives what its rule reads), so the schema's required lists are dropped;
// unknown fields, types and enumerations are checked.
func TestRegoTestInputsMatchSchema(t *testing.T) {
	mods, err := engine.ModulesFS(os.DirFS("."), true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	withs := 0
	for _, m := range mods {
		mod := m.Module
		if strings.HasSuffix(mod.Package.Path.String(), "_test") {
			mod = mod.Copy()
			n, err := captureInputs(mod, m.File)
			if err != nil {
				t.Fatal(err)
			}
			withs += n
		}
		modules[m.File] = mod
	}
	if withs == 0 {
		t.Fatal("no `with input` in the Rego tests")
	}

	v := newInputValidator(t)
	var mu sync.Mutex
	captured := map[string]int{} // place → values captured there
	var problems []string
	capture := rego.Function3(&rego.Function{
		Name: captureBuiltin,
		Decl: types.NewFunction(types.Args(types.S, types.S, types.A), types.B),
	}, func(_ rego.BuiltinContext, where, path, value *ast.Term) (*ast.Term, error) {
		w, _ := ast.JSON(where.Value)
		p, _ := ast.JSON(path.Value)
		val, err := ast.JSON(value.Value)
		if err != nil {
			return nil, err
		}
		err = v.validate(p.(string), val)
		mu.Lock()
		defer mu.Unlock()
		captured[w.(string)]++
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: with %s as …: %v", w, p, err))
		}
		return ast.BooleanTerm(true), nil
	})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ch, err := tester.NewRunner().SetModules(modules).SetTimeout(time.Minute).
		AddCustomBuiltins([]*tester.Builtin{{Decl: &ast.Builtin{Name: captureBuiltin,
			Decl: types.NewFunction(types.Args(types.S, types.S, types.A), types.B)}, Func: capture}}).
		RunTests(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for r := range ch {
		if r.Error != nil {
			t.Errorf("%s.%s: %v", r.Package, r.Name, r.Error)
		} else if r.Fail {
			t.Errorf("%s.%s fails once its inputs are captured", r.Package, r.Name)
		}
	}
	sort.Strings(problems)
	seen := map[string]bool{}
	for _, p := range problems {
		if !seen[p] {
			seen[p] = true
			t.Error(p)
		}
	}
	// Every `with input` evaluated at least once: a value never captured
	// was never validated.
	if len(captured) < withs {
		t.Errorf("captured values at %d of the %d `with input` places", len(captured), withs)
	}
	t.Logf("%d `with input` places, values captured at %d", withs, len(captured))
}

// captureInputs rewrites mod so that each expression with a `with input…`
// modifier is preceded by a call of captureBuiltin on the value, and
// returns how many it found.
func captureInputs(mod *ast.Module, file string) (int, error) {
	n := 0
	_, err := ast.Transform(ast.NewGenericTransformer(func(x any) (any, error) {
		body, ok := x.(ast.Body)
		if !ok {
			return x, nil
		}
		var out ast.Body
		for _, e := range body {
			for _, w := range e.With {
				ref, ok := w.Target.Value.(ast.Ref)
				if !ok || !ref.HasPrefix(ast.InputRootRef) {
					continue
				}
				n++
				where := fmt.Sprintf("%s:%d", file, w.Location.Row)
				call := ast.NewExpr([]*ast.Term{
					ast.RefTerm(ast.VarTerm("smlint_test"), ast.StringTerm("capture_input")),
					ast.StringTerm(where), ast.StringTerm(ref.String()), w.Value.Copy(),
				})
				call.Location = e.Location
				out = append(out, call)
			}
			out = append(out, e)
		}
		for i, e := range out {
			e.Index = i
		}
		return out, nil
	}), mod)
	return n, err
}

// inputValidator checks values against the input schema, or against the
// part of it at a path (input.vendor), with no field required.
type inputValidator struct {
	root     map[string]any
	compiled map[string]*jsonschema.Schema
	mu       sync.Mutex
}

func newInputValidator(t *testing.T) *inputValidator {
	t.Helper()
	data, err := os.ReadFile("schema/input.json")
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	dropRequired(root)
	return &inputValidator{root: root, compiled: map[string]*jsonschema.Schema{}}
}

func dropRequired(x any) {
	switch x := x.(type) {
	case map[string]any:
		delete(x, "required")
		for _, v := range x {
			dropRequired(v)
		}
	case []any:
		for _, v := range x {
			dropRequired(v)
		}
	}
}

// validate checks value against the schema of path ("input",
// "input.vendor"; a path through a list or an unknown field is an error).
func (v *inputValidator) validate(path string, value any) error {
	v.mu.Lock()
	s, ok := v.compiled[path]
	if !ok {
		var err error
		s, err = v.compile(path)
		if err != nil {
			v.mu.Unlock()
			return err
		}
		v.compiled[path] = s
	}
	v.mu.Unlock()
	return s.Validate(value)
}

func (v *inputValidator) compile(path string) (*jsonschema.Schema, error) {
	node := any(v.root)
	for _, field := range strings.Split(path, ".")[1:] {
		m, _ := node.(map[string]any)
		if anyOf, ok := m["anyOf"].([]any); ok { // nullable: the non-null branch
			m, _ = anyOf[0].(map[string]any)
		}
		props, _ := m["properties"].(map[string]any)
		if props[field] == nil {
			return nil, fmt.Errorf("the input has no %s", path)
		}
		node = props[field]
	}
	doc, err := json.Marshal(node)
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(doc)))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(path+".json", inst); err != nil {
		return nil, err
	}
	return c.Compile(path + ".json")
}
