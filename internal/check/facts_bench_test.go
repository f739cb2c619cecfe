package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// BenchmarkStatementFacts computes the statement facts of the 1,594 AWS
// managed policies that `make bench` prepares (.cache/bench/managed; the
// benchmark is skipped without them), as one run does: the action cache
// warm after the first pass.
func BenchmarkStatementFacts(b *testing.B) {
	dir := filepath.Join("..", "..", ".cache", "bench", "managed")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("no .cache/bench/managed: run `go run ./scripts/bench -prepare`")
	}
	in := load.Paths([]string{dir}, load.Options{})
	var stmts []*policy.Statement
	for _, d := range allDocs(in) {
		stmts = append(stmts, d.Statements...)
	}
	fs := newFactSource(&config.Setup{}, requestmodel.Default())
	b.ReportMetric(float64(len(stmts)), "statements")
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			for _, st := range stmts {
				fs.facts(st, false)
			}
		}
	})
	// cold: the first run of a process, every action pattern new.
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			resetActionFacts()
			for _, st := range stmts {
				fs.facts(st, false)
			}
		}
	})
}
