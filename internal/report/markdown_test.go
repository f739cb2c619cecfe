package report

import (
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
)

// Each finding is one table row whatever its text holds: pipes and new
// lines cannot break the table, and an input cannot inject HTML into a job
// summary.
func TestMarkdownEscaping(t *testing.T) {
	rep := &check.Report{Upload: "denied",
		Findings: []engine.Finding{{Rule: "policy-invalid", Severity: "error", File: "a|b.json", Line: 3,
			Message: "bad | value\n<img src=x onerror=alert(1)>", Remediation: "use `x` | y"}},
		Errors: []load.FileError{{File: "c.json", Line: 2, Message: "invalid <JSON>"}},
	}
	out := string(render(t, "markdown", rep, Options{}))
	if strings.Contains(out, "<img") || strings.Contains(out, "<JSON>") {
		t.Errorf("HTML from the input reaches the summary:\n%s", out)
	}
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| error |") {
			rows++
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 6 {
				t.Errorf("row has %d unescaped pipes, want 6: %s", n, l)
			}
		}
	}
	if rows != 1 {
		t.Errorf("%d finding rows, want 1:\n%s", rows, out)
	}
	if !strings.HasPrefix(out, "## smlint: Supermetrics can upload: no") || !strings.Contains(out, "- `c.json:2`: invalid &lt;JSON&gt;") {
		t.Errorf("verdict or error line missing:\n%s", out)
	}
}
