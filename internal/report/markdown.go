package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/smlint/smlint/internal/check"
)

// markdownReporter writes a GitHub-flavoured Markdown summary, for a job summary
// ($GITHUB_STEP_SUMMARY) or a pull request comment: the verdict, the
// findings table (severity, rule, where, what, fix), the evaluated
// requests, input errors and files not checked.
type markdownReporter struct{}

func (markdownReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	bw := bufio.NewWriter(w)
	vendor := opts.VendorName
	if vendor == "" {
		vendor = "Supermetrics"
	}
	answer := map[string]string{"allowed": "yes", "denied": "no", "unknown": "unknown"}[rep.Upload]
	icon := map[string]string{"allowed": "✅", "denied": "❌", "unknown": "❔"}[rep.Upload]
	fmt.Fprintf(bw, "## smlint: %s can upload: %s %s\n\n", vendor, answer, icon)
	ready := "not ready"
	if rep.Ready {
		ready = "ready"
	}
	fmt.Fprintf(bw, "Setup %s; %s.", ready, counts(rep))
	if rep.Setup.Bucket != "" {
		fmt.Fprintf(bw, " Destination `s3://%s/%s`.", mdCode(rep.Setup.Bucket), mdCode(rep.Setup.Prefix))
	}
	fmt.Fprint(bw, "\n\n")

	if len(rep.Findings) > 0 {
		fmt.Fprintln(bw, "| Severity | Rule | Where | Finding | Fix |")
		fmt.Fprintln(bw, "|---|---|---|---|---|")
		for _, f := range rep.Findings {
			where := "(setup)"
			if f.File != "" {
				where = "`" + mdCode(f.File)
				if f.Line > 0 {
					where += fmt.Sprintf(":%d", f.Line)
				}
				where += "`"
			}
			link := f.Rule
			if isBuiltin(opts, f.Rule) {
				link = "[" + f.Rule + "](" + RulesDocBase + f.Rule + ".md)"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", f.Severity, link, where, mdCell(display(f.Message)), mdCell(concreteFix(f.Remediation, rep.Setup)))
		}
		fmt.Fprintln(bw)
	}
	if len(rep.Requests) > 0 {
		fmt.Fprintln(bw, "<details><summary>Requests evaluated</summary>")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Request | Resource | Decision |")
		fmt.Fprintln(bw, "|---|---|---|")
		for _, r := range rep.Requests {
			fmt.Fprintf(bw, "| `%s` | `%s` | %s |\n", mdCode(r.Action), mdCode(display(r.Resource)), r.Decision)
		}
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "</details>")
		fmt.Fprintln(bw)
	}
	if cc := m.CrossCheck; cc != nil {
		fmt.Fprintf(bw, "<details><summary>IAM policy simulator cross-check: %s</summary>\n\n", cc.tally())
		if cc.PolicySourceARN != "" {
			fmt.Fprintf(bw, "iam:SimulatePrincipalPolicy for `%s`.\n\n", mdCode(cc.PolicySourceARN))
		}
		if cc.Error != "" {
			fmt.Fprintf(bw, "Not run: %s\n\n", mdCell(cc.Error))
		}
		if len(cc.Comparisons) > 0 {
			fmt.Fprintln(bw, "| Request | Resource | Source IP | smlint | Simulator | Result |")
			fmt.Fprintln(bw, "|---|---|---|---|---|---|")
			for _, r := range cc.Comparisons {
				_, result := statusColor(r.Status)
				if r.Limit != "" {
					result += ": " + r.Limit
				}
				if r.Note != "" {
					result += " (" + r.Note + ")"
				}
				fmt.Fprintf(bw, "| `%s` | `%s` | %s | %s | %s | %s |\n", mdCode(r.Action), mdCode(r.Resource), mdCell(r.SourceIP),
					mdCell(r.Smlint), mdCell(r.Simulator), mdCell(result))
			}
			fmt.Fprintln(bw)
		}
		for _, n := range cc.Notes {
			fmt.Fprintf(bw, "- %s\n", mdCell(n))
		}
		if len(cc.Notes) > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintln(bw, "</details>")
		fmt.Fprintln(bw)
	}
	for _, sec := range []struct {
		title string
		list  []fileErr
	}{{"Could not read", fileErrs(rep.Errors)}, {"Not checked", fileErrs(rep.NotChecked)}} {
		if len(sec.list) == 0 {
			continue
		}
		fmt.Fprintf(bw, "**%s**\n\n", sec.title)
		for _, e := range sec.list {
			fmt.Fprintf(bw, "- `%s`: %s\n", mdCode(e.Where), mdCell(e.Message))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

type fileErr struct{ Where, Message string }

func fileErrs[E interface{ Error() string }](es []E) []fileErr {
	out := []fileErr{}
	for _, e := range es {
		s := e.Error()
		where, msg := s, ""
		// FileError.Error is "file[:line]: message".
		if i := strings.Index(s, ": "); i >= 0 {
			where, msg = s[:i], s[i+2:]
		}
		out = append(out, fileErr{where, msg})
	}
	return out
}

func counts(rep *check.Report) string {
	n := map[string]int{}
	for _, f := range rep.Findings {
		n[f.Severity]++
	}
	plural := func(k int, one, many string) string {
		if k == 1 {
			return fmt.Sprintf("%d %s", k, one)
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	return plural(n["error"], "error", "errors") + ", " + plural(n["warning"], "warning", "warnings") + ", " + fmt.Sprintf("%d info", n["info"])
}

func isBuiltin(opts Options, id string) bool {
	for _, r := range opts.Rules {
		if r.ID == id {
			return r.Builtin
		}
	}
	return false
}

// mdCell makes text safe in a table cell: one line, pipes escaped, and
// HTML-significant characters escaped so an input cannot inject markup.
func mdCell(s string) string {
	s = oneLine(s)
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

// mdCode makes text safe inside `code`: one line, no backticks or pipes.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
