// Command gen writes rules/embed_files.go: one //go:embed line for every
// file the binary needs from rules/ — each rule and rules/lib module and the
// vendor profiles — and nothing else. A //go:embed pattern cannot leave out
// the *_test.rego files beside the rules, so the list is generated (run by
// `go generate ./rules`; TestEmbedListFresh fails when it is stale).
package main

import (
	"fmt"
	"os"

	"github.com/smlint/smlint/rules/embedlist"
)

func main() {
	src, err := embedlist.Render(os.DirFS("."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(embedlist.FileName, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
