package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/smlint/smlint/internal/report"
)

// formatUsage documents --format.
var formatUsage = "output `FORMAT`: " + strings.Join(report.Formats, " | ") +
	"; repeatable, FORMAT=FILE writes that one to FILE (--format text --format sarif=smlint.sarif)"

// outputFlags choose what is written where and how it looks; check and
// simulate share them.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		// A Generic flag, not a StringSlice: urfave/cli splits slice values
		// at commas, and a file name may hold one.
		&cli.GenericFlag{Name: "format", Aliases: []string{"f"}, Value: &formatList{}, DefaultText: "text", Usage: formatUsage},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report (the --format without =FILE) to `FILE`"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "`WHEN` to colour the text report: auto (a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR forces it), always, never"},
		&cli.BoolFlag{Name: "no-color", Usage: "no colour (--color never; also when NO_COLOR is set)"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "text: list the evaluated requests also when the upload works"},
	}
}

// formatList is the repeated --format flag's values, in order.
type formatList []string

// serialPrefix marks the list's own serialisation: urfave/cli copies a
// flag's value to its aliases (-f) through Set(Serialize()), which must
// replace the list, not add to it.
const serialPrefix = "smlint-formats:"

func (l *formatList) Set(v string) error {
	if list, ok := strings.CutPrefix(v, serialPrefix); ok {
		return json.Unmarshal([]byte(list), (*[]string)(l))
	}
	*l = append(*l, v)
	return nil
}

func (l *formatList) String() string { return strings.Join(*l, ", ") }

// Serialize is urfave/cli's Serializer.
func (l *formatList) Serialize() string {
	b, _ := json.Marshal([]string(*l))
	return serialPrefix + string(b)
}

// target is one report a run writes: a format, and the file it goes to
// ("" for standard output, or --output).
type target struct {
	format report.Format
	file   string
}

// outputTargets reads --format (FORMAT or FORMAT=FILE, repeatable; text
// when none), --output and --color. At most one format goes to standard
// output, and no two to the same file.
func outputTargets(c *cli.Context) ([]target, error) {
	switch c.String("color") {
	case "auto", "always", "never":
	default:
		return nil, usageErr("--color %q: want auto, always or never", c.String("color"))
	}
	var specs []string
	if l, ok := c.Generic("format").(*formatList); ok {
		specs = *l
	}
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var targets []target
	files := map[string]string{}
	toStdout := ""
	for _, spec := range specs {
		name, file, named := strings.Cut(spec, "=")
		f, ok := report.Lookup(name)
		if !ok {
			return nil, usageErr("--format %q: want one of %s, optionally =FILE", name, strings.Join(report.Formats, ", "))
		}
		if named && file == "" {
			return nil, usageErr("--format %s=: name the file after =", name)
		}
		if !named {
			if toStdout != "" {
				return nil, usageErr("--format %s and --format %s both write to standard output: give one a file (--format %s=FILE)", toStdout, name, name)
			}
			toStdout, file = name, c.String("output")
		}
		if file != "" {
			// Absolute now: --example runs from a temporary directory.
			if abs, err := filepath.Abs(file); err == nil {
				file = abs
			}
			key := file
			if other, dup := files[key]; dup {
				return nil, usageErr("--format %s and --format %s both write to %s", other, name, file)
			}
			files[key] = name
		}
		targets = append(targets, target{format: f, file: file})
	}
	if toStdout == "" && c.String("output") != "" {
		return nil, usageErr("--output %s: every --format names its own file; drop --output or one =FILE", c.String("output"))
	}
	return targets, nil
}

// keepInput: some target prints the rule input, which check then keeps.
func keepInput(targets []target) bool {
	for _, t := range targets {
		if t.format.RuleInput {
			return true
		}
	}
	return false
}

// writeReports renders m once per target, each with its own colour and
// width.
func writeReports(c *cli.Context, stdout io.Writer, getenv func(string) string, targets []target, m *report.Model, opts report.Options) error {
	for _, t := range targets {
		w, done := stdout, func() error { return nil }
		if t.file != "" {
			f, err := os.Create(t.file)
			if err != nil {
				return usageErr("--format %s: %v", t.format.Name, err)
			}
			w, done = f, f.Close
		}
		o := opts
		o.Color = useColor(c, t.format, w, getenv)
		o.Width = terminalWidth(w)
		err := t.format.Reporter.Report(w, m, o)
		if cerr := done(); err == nil {
			err = cerr
		}
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("writing the %s report: %w", t.format.Name, err)}
		}
	}
	return nil
}

// useColor decides colour for one output of a colour format: --no-color
// and --color never win, then --color always; under auto, NO_COLOR turns
// it off (no-color.org), FORCE_COLOR (any non-empty value) on
// (force-color.org), TERM=dumb off, else colour when w is a terminal.
func useColor(c *cli.Context, f report.Format, w io.Writer, getenv func(string) string) bool {
	switch {
	case !f.Color, c.Bool("no-color"), c.String("color") == "never":
		return false
	case c.String("color") == "always":
		return true
	case getenv("NO_COLOR") != "":
		return false
	case getenv("FORCE_COLOR") != "":
		return true
	case getenv("TERM") == "dumb":
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal (golang.org/x/term: the same
// test on every platform, consoles on Windows included).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is w's width in columns when it is a terminal, else 0 (no
// wrapping: pipes and files keep one line per item).
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
