package report

import (
	"bufio"
	"fmt"
	"io"
)

// compactReporter writes one line per finding and input error in the form editors
// and terminals make clickable (vim's errorformat, VS Code problem
// matchers, gcc style): `path:line:col: severity rule: message`, then the
// verdict line. smlint knows lines, not columns: col is 1. A finding
// without a file is shown where SARIF shows it (the .smlint.yaml line that
// set the value, else the first input).
type compactReporter struct{}

func (compactReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	bw := bufio.NewWriter(w)
	for _, f := range rep.Findings {
		file, line := f.File, f.Line
		if file == "" {
			file, line = fallback(rep, f, opts)
		}
		if line <= 0 {
			line = 1
		}
		fmt.Fprintf(bw, "%s:%d:1: %s %s: %s\n", file, line, f.Severity, f.Rule, oneLine(display(f.Message)))
	}
	for _, e := range rep.Errors {
		line := e.Line
		if line <= 0 {
			line = 1
		}
		fmt.Fprintf(bw, "%s:%d:1: error input-error: %s\n", e.File, line, oneLine(e.Message))
	}
	vendor := opts.VendorName
	if vendor == "" {
		vendor = "Supermetrics"
	}
	answer := map[string]string{"allowed": "yes", "denied": "no", "unknown": "unknown"}[rep.Upload]
	fmt.Fprintf(bw, "%s can upload: %s\n", vendor, answer)
	return bw.Flush()
}
