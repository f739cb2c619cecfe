package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

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

	if src := rep.Setup.Source; src != "" && !opts.Quiet {
		fmt.Fprintf(bw, "%s %s\n\n", p.paint(dim, "config:"), src)
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
		fixed := map[string]bool{} // a rule's fix is printed once per file
		for _, f := range byFile[file] {
			// path:line first, as compilers print it, so that a terminal
			// or an editor opens the file at the line.
			loc := "(setup)"
			if f.File != "" {
				loc = where(f.File, f.Line)
			}
			sid := ""
			if f.Sid != "" {
				sid = " [" + f.Sid + "]"
			}
			fmt.Fprintf(bw, "%s  %s  %s%s\n", p.paint(bold, loc), p.paint(severityColor(f.Severity), f.Severity), f.Rule, sid)
			writeWrapped(bw, "    ", "", display(f.Message), opts.Width)
			if f.Remediation != "" && !opts.Quiet && !fixed[f.Rule] {
				fixed[f.Rule] = true
				writeWrapped(bw, "    ", p.paint(dim, "fix:")+" ", concreteFix(f.Remediation, rep.Setup), opts.Width)
			}
		}
		fmt.Fprintln(bw)
	}

	// The requests explain a failure; when the upload works and the setup
	// is ready they are noise, unless asked for (-v).
	if !opts.Quiet && (opts.Verbose || rep.Upload != "allowed" || !rep.Ready) {
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
				const indent = "                 " // under the action column
				if r.Decision == "unknown" {
					for _, why := range r.Reasons {
						writeWrapped(bw, indent, p.paint(dim, "why")+" ", display(why), opts.Width)
					}
				}
				switch {
				case len(r.Because) > 0:
					for _, b := range r.Because {
						writeWrapped(bw, indent, p.paint(dim, "by")+" ", becauseText(b), opts.Width)
					}
				case len(r.Reasons) > 0 && r.Decision != "unknown":
					for _, why := range r.Reasons {
						writeWrapped(bw, indent, p.paint(dim, "why")+" ", display(why), opts.Width)
					}
				case r.Decision == "implicit_deny":
					fmt.Fprintf(bw, "%s%s\n", indent, p.paint(dim, "no statement allows it"))
				}
			}
			fmt.Fprintln(bw)
		}
	}

	if len(rep.Errors) > 0 {
		fmt.Fprintln(bw, p.paint(bold, "Could not read"))
		for _, e := range rep.Errors {
			writeWrapped(bw, "  ", "", p.paint(red, e.Error()), opts.Width)
		}
		fmt.Fprintln(bw)
	}

	if len(rep.NotChecked) > 0 {
		fmt.Fprintln(bw, p.paint(bold, "Not checked"))
		for _, e := range rep.NotChecked {
			writeWrapped(bw, "  ", "", e.File+": "+e.Message, opts.Width)
		}
		fmt.Fprintln(bw)
	}

	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	summary := fmt.Sprintf("%s, %s, %s", plural(counts["error"], "error"), plural(counts["warning"], "warning"), plural(counts["info"], "info"))
	if len(rep.Suppressed) > 0 {
		summary += fmt.Sprintf(" (%d suppressed)", len(rep.Suppressed))
	}
	if rep.Baseline != "" {
		summary += fmt.Sprintf(" (%d hidden by the baseline %s)", len(rep.Baselined), rep.Baseline)
	}
	if len(rep.Setup.Inferred) > 0 {
		summary += "; inferred from the inputs: " + strings.Join(rep.Setup.Inferred, ", ")
	}
	writeWrapped(bw, "", "", summary, opts.Width)
	// The verdict stays one line: scripts read the last line.
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

// writeWrapped writes lead+text indented, wrapped to width (0: one line).
// It wraps at spaces only and never splits a word, so an ARN or a file name
// stays whole to copy (charmbracelet/x/ansi.Wordwrap: display width of
// every grapheme, colour codes take no room; it also breaks after hyphens,
// which ARNs are full of, so hyphens are stood in for by a non-breaking
// one while wrapping — unless the text holds that character itself, which
// must then reach the reader unchanged).
func writeWrapped(w io.Writer, indent, lead, text string, width int) {
	line := lead + text
	if width > 0 && width-len(indent) >= minWrap {
		if strings.Contains(line, nonBreakingHyphen) {
			line = ansi.Wordwrap(line, width-len(indent), "")
		} else {
			line = strings.ReplaceAll(line, "-", nonBreakingHyphen)
			line = strings.ReplaceAll(ansi.Wordwrap(line, width-len(indent), ""), nonBreakingHyphen, "-")
		}
	}
	for _, l := range strings.Split(line, "\n") {
		fmt.Fprintf(w, "%s%s\n", indent, l)
	}
}

const nonBreakingHyphen = "\u2011"

// minWrap is the narrowest column worth wrapping to; narrower terminals get
// one line per item.
const minWrap = 30

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
