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

// Model is what every reporter renders: the analysis of a run and, for a
// live run (simulate), the policy simulator's cross-check.
type Model struct {
	*check.Report
	// CrossCheck is simulate's comparison with iam:SimulatePrincipalPolicy;
	// nil for check, which has nothing to compare with.
	CrossCheck *CrossCheck
}

// A Reporter renders the model in one format.
type Reporter interface {
	Report(w io.Writer, m *Model, opts Options) error
}

// Format is one row of the table of output formats.
type Format struct {
	Name     string
	Reporter Reporter
	// Color: the format is read at a terminal, so colour applies to it.
	Color bool
	// RuleInput: the format prints the rule input, which check then keeps
	// (check.Options.KeepInput).
	RuleInput bool
}

// table holds the formats in the order --help lists them. A new format is
// one file with its Reporter and one row here.
var table = []Format{
	{Name: "text", Reporter: textReporter{}, Color: true},
	{Name: "json", Reporter: jsonReporter{}},
	{Name: "sarif", Reporter: sarifReporter{}},
	{Name: "github", Reporter: githubReporter{}},
	{Name: "markdown", Reporter: markdownReporter{}},
	{Name: "compact", Reporter: compactReporter{}},
	{Name: "junit", Reporter: junitReporter{}},
	{Name: "html", Reporter: htmlReporter{}},
	{Name: "input", Reporter: inputReporter{}, RuleInput: true},
}

// Formats lists the output formats' names, in the table's order.
var Formats = func() []string {
	names := make([]string, len(table))
	for i, f := range table {
		names[i] = f.Name
	}
	return names
}()

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	for _, f := range table {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Options configure rendering.
type Options struct {
	Version string
	Color   bool
	Quiet   bool // text: findings and the verdict line only
	// Verbose: text lists the evaluated requests also when the upload works.
	Verbose bool
	// Width is the terminal's width in columns text wraps to; 0: no wrapping.
	Width      int
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

// Write renders m in the named format to w.
func Write(w io.Writer, format string, m *Model, opts Options) error {
	f, ok := Lookup(format)
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	return f.Reporter.Report(w, m, opts)
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
