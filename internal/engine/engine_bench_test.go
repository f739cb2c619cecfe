package engine

import (
	"context"
	"testing"
)

// BenchmarkNew measures the start-up cost every `smlint check` pays once:
// decoding the rules compiled at build time and building their indices.
func BenchmarkNew(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		e, err := New(ctx, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !e.Precompiled() {
			b.Fatal("rules.bin did not load")
		}
	}
}

// BenchmarkNewFromSource is the fallback (and --rules) path: parsing and
// compiling every embedded rule.
func BenchmarkNewFromSource(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := New(ctx, Options{CompileFromSource: true}); err != nil {
			b.Fatal(err)
		}
	}
}
