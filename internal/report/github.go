package report

import (
	"fmt"
	"io"
	"strings"
)

// githubReporter writes workflow commands that GitHub Actions shows as annotations
// on the changed lines (docs.github.com: workflow commands, "Setting an
// error message").
type githubReporter struct{}

func (githubReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	level := map[string]string{"error": "error", "warning": "warning", "info": "notice"}
	for _, f := range rep.Findings {
		props := []string{}
		if f.File != "" {
			props = append(props, "file="+escapeProp(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
		}
		props = append(props, "title="+escapeProp("smlint "+f.Rule))
		msg := display(f.Message)
		if f.Remediation != "" {
			msg += "\nFix: " + oneLine(f.Remediation)
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level[f.Severity], strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	for _, e := range rep.Errors {
		props := "file=" + escapeProp(e.File)
		if e.Line > 0 {
			props += fmt.Sprintf(",line=%d", e.Line)
		}
		fmt.Fprintf(w, "::error %s,title=smlint input error::%s\n", props, escapeData(e.Message))
	}
	verdict := map[string]string{"allowed": "yes", "denied": "no", "unknown": "unknown"}[rep.Upload]
	_, err := fmt.Fprintf(w, "::notice title=smlint verdict::Supermetrics can upload: %s (ready: %t)\n", verdict, rep.Ready)
	return err
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
