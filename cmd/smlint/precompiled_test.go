package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/smlint/smlint/internal/engine"
)

// TestFixturesPrecompiledMatchSource runs the fixture table with the rules
// compiled at build time (internal/engine/rules.bin) and with the rules
// compiled from source at start-up, in JSON and text, and requires the same
// bytes and exit code from both.
func TestFixturesPrecompiledMatchSource(t *testing.T) {
	fixtures := fixtureTable(t)
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
	for _, fx := range fixtures {
		for _, format := range []string{"json", "text"} {
			args := fx.checkArgs(format)
			c1, out1 := runWith(pre, args)
			c2, out2 := runWith(src, args)
			if c1 != c2 || !bytes.Equal(out1, out2) {
				t.Errorf("%s (%s): precompiled exit %d, %d bytes; from source exit %d, %d bytes\n%s\n---\n%s",
					fx.name, format, c1, len(out1), c2, len(out2), out1, out2)
			}
		}
	}
}
