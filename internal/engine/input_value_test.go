package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/requestmodel"
)

// inputsOf runs check on dir and returns every subject's rule input.
func inputsOf(b testing.TB, dir string) []any {
	b.Helper()
	setup := config.Setup{}
	if s, err := config.Read(dir + "/" + config.FileName); err == nil {
		setup = *s
	}
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	in := load.Paths([]string{dir}, load.Options{})
	rep, err := check.Run(context.Background(), in, check.Options{Setup: setup, Profile: requestmodel.Default(), Engine: e, KeepInput: true})
	if err != nil {
		b.Fatal(err)
	}
	var out []any
	for _, s := range rep.Subjects {
		out = append(out, s.Input)
	}
	return out
}

// TestRealInputsConvertAsTheirJSON: on real runs (an unresolved
// CloudFormation template, several roles of an account export, KMS, an
// access key), the value the rules get is the one --format input prints.
func TestRealInputsConvertAsTheirJSON(t *testing.T) {
	n := 0
	for _, dir := range []string{"good-role", "format-cloudformation-yaml-unresolved", "format-account-export-many-roles",
		"kms-grant-allows", "access-key-temporary-sts-key", "trust-breadth-any-account-same-name"} {
		for _, in := range inputsOf(t, "../../fixtures/"+dir) {
			want, err := ast.InterfaceToValue(in) // the JSON round trip
			if err != nil {
				t.Fatal(err)
			}
			got, err := engine.ToValue(in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("%s: the rules' input differs from its JSON", dir)
			}
			n++
		}
	}
	if n < 6 {
		t.Errorf("compared %d inputs", n)
	}
}

// TestComposedInputsMatchWholeConversion: on every fixture, the input the
// engine evaluated, composed from documents prepared once per run
// (check.preparedDoc), is the subject's rule input converted whole, and
// the rules spread over goroutines one package each (EvalParallel) find
// what the one query over all rules (Eval) finds.
func TestComposedInputsMatchWholeConversion(t *testing.T) {
	dirs, err := filepath.Glob("../../fixtures/*/expected.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		setup := config.Setup{}
		if s, err := config.Read(dir + "/" + config.FileName); err == nil {
			setup = *s
		}
		rep, err := check.Run(context.Background(), load.Paths([]string{dir}, load.Options{}),
			check.Options{Setup: setup, Profile: requestmodel.Default(), Engine: e, KeepInput: true})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, s := range rep.Subjects {
			want, err := engine.ToValue(s.Input)
			if err != nil {
				t.Fatal(err)
			}
			if got := engine.AST(s.Value); got == nil || got.Compare(want) != 0 {
				t.Errorf("%s: the evaluated input differs from the rule input converted whole", filepath.Base(dir))
			}
			// One query for all rules, and one per rule on two and on
			// three goroutines: the same findings in the same order.
			one, err := e.Eval(context.Background(), s.Input)
			if err != nil {
				t.Fatal(err)
			}
			for _, workers := range []int{2, 3} {
				spread, err := e.EvalParallel(context.Background(), s.Value, workers)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(one, spread) {
					t.Errorf("%s: EvalParallel(%d) found\n%v\nEval found\n%v", filepath.Base(dir), workers, spread, one)
				}
			}
			n++
		}
	}
	if n < len(dirs) {
		t.Errorf("compared %d inputs for %d fixtures", n, len(dirs))
	}
}

// BenchmarkInputConversion compares ways of handing the typed rule input to
// OPA: the direct conversion Eval uses, ast.InterfaceToValue (a JSON round
// trip for structs), json.Marshal + ast.ValueFromReader, and, as the floor
// of the former hand-built maps, ast.InterfaceToValue on ready-made
// map[string]any values (building those maps is not counted). The managed
// policies workload is the bench cache (make bench), skipped when absent.
func BenchmarkInputConversion(b *testing.B) {
	workloads := map[string]string{"good-role": "../../fixtures/good-role", "managed": "../../.cache/bench/managed"}
	for _, name := range []string{"good-role", "managed"} {
		dir := workloads[name]
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		inputs := inputsOf(b, dir)
		maps := make([]any, len(inputs))
		for i, in := range inputs {
			data, _ := json.Marshal(in)
			var m map[string]any
			d := json.NewDecoder(bytes.NewReader(data))
			d.UseNumber()
			if err := d.Decode(&m); err != nil {
				b.Fatal(err)
			}
			maps[i] = m
		}
		run := func(variant string, conv func(any) (ast.Value, error), over []any) {
			b.Run(name+"/"+variant, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					for _, in := range over {
						if _, err := conv(in); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
		run("direct", engine.ToValue, inputs)
		run("interface-to-value", ast.InterfaceToValue, inputs)
		run("marshal-value-from-reader", func(in any) (ast.Value, error) {
			data, err := json.Marshal(in)
			if err != nil {
				return nil, err
			}
			return ast.ValueFromReader(bytes.NewReader(data))
		}, inputs)
		run("maps-floor", ast.InterfaceToValue, maps)
	}
}
