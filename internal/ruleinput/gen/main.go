// Command gen writes rules/schema/input.json, the JSON Schema of the rule
// input, from internal/ruleinput (run by go generate ./internal/ruleinput).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/smlint/smlint/internal/ruleinput/schema"
)

func main() {
	// go generate runs in internal/ruleinput.
	out, err := schema.Generate(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "ruleinput/gen:", err)
		os.Exit(1)
	}
	path := filepath.Join("..", "..", schema.Path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "ruleinput/gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "ruleinput/gen:", err)
		os.Exit(1)
	}
}
