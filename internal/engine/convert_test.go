package engine_test

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/ruleinput"
)

// managedDir is the 1,594 AWS managed policies of the bench cache (make
// bench, scripts/bench -prepare); tests and benchmarks that read it skip
// when it is absent.
const managedDir = "../../.cache/bench/managed"

// TestEveryInputConvertsAsItsJSON: on every fixture, and on the managed
// policies when the bench cache holds them, the value Convert gives for
// each subject's rule input and for each of its documents (what
// check.prepareDocs converts) is the value ast.InterfaceToValue gets from
// the JSON round trip of the same struct, which is what --format input
// prints.
func TestEveryInputConvertsAsItsJSON(t *testing.T) {
	exps, err := filepath.Glob("../../fixtures/*/expected.json")
	if err != nil || len(exps) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	dirs := make([]string, 0, len(exps)+1)
	for _, exp := range exps {
		dirs = append(dirs, filepath.Dir(exp))
	}
	if _, err := os.Stat(managedDir); err == nil && !testing.Short() {
		dirs = append(dirs, managedDir)
	}
	inputs, docs := 0, 0
	for _, dir := range dirs {
		for _, in := range inputsOf(t, dir) {
			sameAsJSON(t, dir, in)
			inputs++
			for i := range in.(*ruleinput.Input).Documents {
				sameAsJSON(t, dir, &in.(*ruleinput.Input).Documents[i])
				docs++
			}
		}
	}
	if inputs < len(exps) || docs < inputs {
		t.Errorf("compared %d inputs and %d documents for %d directories", inputs, docs, len(dirs))
	}
}

func sameAsJSON(t *testing.T, dir string, v any) {
	t.Helper()
	want, err := ast.InterfaceToValue(v) // the JSON round trip
	if err != nil {
		t.Fatal(err)
	}
	got, err := engine.Convert(v)
	if err != nil {
		t.Fatal(err)
	}
	if engine.AST(got).Compare(want) != 0 {
		t.Errorf("%s: a %T converts to\n%v\nits JSON is\n%v", filepath.Base(dir), v, engine.AST(got), want)
	}
}

// BenchmarkConvertDocuments converts each document of the managed policies
// one by one, as check.prepareDocs does on every `smlint check` of that
// directory (8,853 statements).
func BenchmarkConvertDocuments(b *testing.B) {
	if _, err := os.Stat(managedDir); err != nil {
		b.Skip("no bench cache: run go run ./scripts/bench -prepare")
	}
	var docs []*ruleinput.Document
	for _, in := range inputsOf(b, managedDir) {
		for i := range in.(*ruleinput.Input).Documents {
			docs = append(docs, &in.(*ruleinput.Input).Documents[i])
		}
	}
	// A run keeps every converted document until the rules have run: so
	// does the benchmark, one pass at a time, so that the collector works
	// on a heap of the same size.
	kept := make([]engine.Value, len(docs))
	b.ReportAllocs()
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		for i, d := range docs {
			v, err := engine.Convert(d)
			if err != nil {
				b.Fatal(err)
			}
			kept[i] = v
		}
	}
	// The garbage collector works on the other cores too: the process's
	// CPU time says what a run pays for conversion better than wall time
	// on a shared machine.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
