package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
)

const (
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

type painter bool

func (p painter) paint(color, s string) string {
	if !p {
		return s
	}
	return color + s + reset
}

func severityColor(s string) string {
	switch s {
	case "error":
		return red
	case "warning":
		return yellow
	}
	return cyan
}

func decisionColor(d string) string {
	switch d {
	case "allowed":
		return green
	case "unknown":
		return yellow
	}
	return red
}

// textReporter writes the human report: findings grouped by file, then
// each evaluated request with its decision and deciding statement, then the
// verdict line `<Vendor> can upload: yes|no|unknown`, then the simulator's
// cross-check of a live run.
type textReporter struct{}

func (textReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	vendorName := opts.VendorName
	if vendorName == "" {
		vendorName = "Supermetrics"
	}

	byFile := map[string][]engine.Finding{}
	var files []string
	for _, f := range rep.Findings {
		if _, ok := byFile[f.File]; !ok {
			files = append(files, f.File)
		}
		byFile[f.File] = append(byFile[f.File], f)
	}
	sort.Strings(files)
	for _, file := range files {
		name := file
		if name == "" {
			name = "(setup)"
		}
		fmt.Fprintln(bw, p.paint(bold, name))
		for _, f := range byFile[file] {
			loc := ""
			if f.Line > 0 {
				loc = fmt.Sprintf("%d", f.Line)
			}
			sid := ""
			if f.Sid != "" {
				sid = " [" + f.Sid + "]"
			}
			fmt.Fprintf(bw, "  %5s  %s  %s%s  %s\n", loc, p.paint(severityColor(f.Severity), fmt.Sprintf("%-7s", f.Severity)),
				f.Rule, sid, display(f.Message))
			if f.Remediation != "" && !opts.Quiet {
				fmt.Fprintf(bw, "         %s %s\n", p.paint(dim, "fix:"), oneLine(f.Remediation))
			}
		}
		fmt.Fprintln(bw)
	}

	if !opts.Quiet {
		for _, s := range rep.Subjects {
			title := "Requests"
			if s.Principal != nil {
				title += " for " + s.Principal.Type + " " + display(labelOf(s.Principal))
			}
			fmt.Fprintln(bw, p.paint(bold, title))
			for _, r := range s.Requests {
				src := ""
				if r.SourceIP != "" {
					src = " from " + r.SourceIP
				}
				fmt.Fprintf(bw, "  %s  %-22s %s%s\n", p.paint(decisionColor(r.Decision), fmt.Sprintf("%-13s", r.Decision)),
					r.Action, display(r.Resource), src)
				if r.Decision == "unknown" {
					for _, why := range r.Reasons {
						fmt.Fprintf(bw, "  %13s  %s %s\n", "", p.paint(dim, "why"), display(why))
					}
				}
				switch {
				case len(r.Because) > 0:
					for _, b := range r.Because {
						fmt.Fprintf(bw, "  %13s  %s %s\n", "", p.paint(dim, "by"), becauseText(b))
					}
				case len(r.Reasons) > 0 && r.Decision != "unknown":
					for _, why := range r.Reasons {
						fmt.Fprintf(bw, "  %13s  %s %s\n", "", p.paint(dim, "why"), display(why))
					}
				case r.Decision == "implicit_deny":
					fmt.Fprintf(bw, "  %13s  %s\n", "", p.paint(dim, "no statement allows it"))
				}
			}
			fmt.Fprintln(bw)
		}
	}

	if len(rep.Errors) > 0 {
		fmt.Fprintln(bw, p.paint(bold, "Could not read"))
		for _, e := range rep.Errors {
			fmt.Fprintf(bw, "  %s\n", p.paint(red, e.Error()))
		}
		fmt.Fprintln(bw)
	}

	if len(rep.NotChecked) > 0 {
		fmt.Fprintln(bw, p.paint(bold, "Not checked"))
		for _, e := range rep.NotChecked {
			fmt.Fprintf(bw, "  %s: %s\n", e.File, e.Message)
		}
		fmt.Fprintln(bw)
	}

	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	fmt.Fprintf(bw, "%s, %s, %s", plural(counts["error"], "error"), plural(counts["warning"], "warning"), plural(counts["info"], "info"))
	if len(rep.Suppressed) > 0 {
		fmt.Fprintf(bw, " (%d suppressed)", len(rep.Suppressed))
	}
	if len(rep.Setup.Inferred) > 0 {
		fmt.Fprintf(bw, "; inferred from the inputs: %s", strings.Join(rep.Setup.Inferred, ", "))
	}
	fmt.Fprintln(bw)
	verdict := map[string]string{"allowed": "yes", "denied": "no", "unknown": "unknown"}[rep.Upload]
	color := decisionColor(rep.Upload)
	if rep.Upload == "allowed" && !rep.Ready {
		verdict = "yes, but the setup is not ready (errors above)"
		color = yellow
	}
	fmt.Fprintf(bw, "%s can upload: %s\n", vendorName, p.paint(bold+color, verdict))
	if m.CrossCheck != nil && !opts.Quiet {
		writeCrossCheckText(bw, m.CrossCheck, p)
	}
	return bw.Flush()
}

func labelOf(p *check.PrincipalInfo) string {
	if p.ARN != "" {
		return p.ARN
	}
	if p.Address != "" {
		return p.Address
	}
	return p.Name
}

func becauseText(b check.Because) string {
	s := fmt.Sprintf("%s statement", b.Effect)
	if b.Sid != "" {
		s += " " + b.Sid
	}
	where := b.Kind + " policy"
	if b.Name != "" {
		where = b.Name
		if !strings.Contains(b.Name, b.Kind) {
			where = b.Kind + " policy " + b.Name
		}
	}
	return s + fmt.Sprintf(" (%s) %s:%d", where, b.File, b.Line)
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
