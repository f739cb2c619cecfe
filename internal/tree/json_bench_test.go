package tree

import (
	"testing"

	"github.com/smlint/smlint/internal/load/loadtest"
)

func BenchmarkFromJSONAccountExport(b *testing.B) {
	data := loadtest.AccountExport(500, 1600, 2)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
