package engine

import (
	"context"
	"testing"
)

// BenchmarkNew measures parsing and compiling every embedded rule: the
// start-up cost every `smlint check` pays once.
func BenchmarkNew(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
