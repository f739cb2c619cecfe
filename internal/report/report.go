package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
)

// Formats lists the output formats.
var Formats = []string{"text", "json", "sarif", "github", "markdown", "compact", "junit"}

// Options configure rendering.
type Options struct {
	Version    string
	Color      bool
	Quiet      bool // text: findings and the verdict line only
	Rules      []engine.Rule
	VendorName string
	// Root is the repository root (absolute) SARIF URIs are relative to;
	// empty means the working directory. See RepoRoot.
	Root string
	// WorkDir is the directory relative file names are relative to; empty
	// means the working directory.
	WorkDir string
	// Inputs are the paths given on the command line.
	Inputs []string
}

// Write renders rep in format to w.
func Write(w io.Writer, format string, rep *check.Report, opts Options) error {
	switch format {
	case "", "text":
		return Text(w, rep, opts)
	case "json":
		return JSON(w, rep, opts)
	case "sarif":
		return SARIF(w, rep, opts)
	case "github":
		return GitHub(w, rep, opts)
	case "markdown":
		return Markdown(w, rep, opts)
	case "compact":
		return Compact(w, rep, opts)
	case "junit":
		return JUnit(w, rep, opts)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// RepoRoot is the repository root for dir: the nearest directory upward
// holding .git (a directory, or a file in a worktree or submodule, as git
// rev-parse --show-toplevel finds it), else dir itself.
func RepoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// display renders values for people (unresolved values, the any-key marker).
func display(s string) string { return engine.Display(s) }
