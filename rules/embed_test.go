package rules_test

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/smlint/smlint/rules"
	"github.com/smlint/smlint/rules/embedlist"
)

// TestEmbedListFresh fails when a rule was added, removed or renamed and
// embed_files.go was not regenerated: the binary would miss the rule.
func TestEmbedListFresh(t *testing.T) {
	want, err := embedlist.Render(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(embedlist.FileName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `go generate ./rules` (then `go generate ./internal/engine`)", embedlist.FileName)
	}
}

// TestEmbeddedIsOnlyWhatTheBinaryNeeds: no Rego tests, README or Go files
// in the binary, and every rule module and profile is there.
func TestEmbeddedIsOnlyWhatTheBinaryNeeds(t *testing.T) {
	var rego, profiles int
	err := fs.WalkDir(rules.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(path, "_test.rego"), strings.HasSuffix(path, ".go"), strings.HasSuffix(path, ".md"):
			t.Errorf("embedded but not needed by the binary: %s", path)
		case strings.HasSuffix(path, ".rego"):
			rego++
		case strings.HasPrefix(path, "profile/"):
			profiles++
		default:
			t.Errorf("unexpected embedded file: %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rego < 20 || profiles == 0 {
		t.Fatalf("embedded %d Rego modules and %d profiles; want every rule and the supermetrics profile", rego, profiles)
	}
}
