// Command gen writes internal/engine/rules.bin, the embedded rules compiled
// at build time (run by `go generate ./internal/engine`).
package main

import (
	"fmt"
	"os"

	"github.com/smlint/smlint/internal/engine"
)

func main() {
	data, err := engine.GenerateArtefact()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile("rules.bin", data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
