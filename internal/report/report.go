package report

import (
	"fmt"
	"io"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
)

// Formats lists the output formats.
var Formats = []string{"text", "json", "sarif", "github"}

// Options configure rendering.
type Options struct {
	Version    string
	Color      bool
	Quiet      bool // text: findings and the verdict line only
	Rules      []engine.Rule
	VendorName string
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
	}
	return fmt.Errorf("unknown format %q (want one of text, json, sarif, github)", format)
}

// display renders values for people (unresolved values, the any-key marker).
func display(s string) string { return engine.Display(s) }
