package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/smlint/smlint/internal/engine"
)

// TestFixturesPrecompiledMatchSource runs the fixture table with the rules
// compiled at build time (internal/engine/rules.bin) and with the rules
// compiled from source at start-up, in JSON and text, and requires the same
// bytes and exit code from both.
func TestFixturesPrecompiledMatchSource(t *testing.T) {
	dirs, err := filepath.Glob("../../fixtures/*/expected.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	ctx := context.Background()
	pre, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !pre.Precompiled() {
		t.Fatal("the embedded rules did not load precompiled")
	}
	src, err := engine.New(ctx, engine.Options{CompileFromSource: true})
	if err != nil {
		t.Fatal(err)
	}
	saved := newEngine
	defer func() { newEngine = saved }()
	runWith := func(e *engine.Engine, args []string) (int, []byte) {
		newEngine = func(context.Context, engine.Options) (*engine.Engine, error) { return e, nil }
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr, func(string) string { return "" })
		return code, append(stdout.Bytes(), stderr.Bytes()...)
	}
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		var want expectation
		data, err := os.ReadFile(exp)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("%s: %v", exp, err)
		}
		for _, format := range []string{"json", "text"} {
			args := []string{"smlint", "check", "--format", format, "--config", filepath.Join(dir, ".smlint.yaml")}
			args = append(append(args, want.Args...), dir)
			c1, out1 := runWith(pre, args)
			c2, out2 := runWith(src, args)
			if c1 != c2 || !bytes.Equal(out1, out2) {
				t.Errorf("%s (%s): precompiled exit %d, %d bytes; from source exit %d, %d bytes\n%s\n---\n%s",
					filepath.Base(dir), format, c1, len(out1), c2, len(out2), out1, out2)
			}
		}
	}
}
