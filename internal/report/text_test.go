package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
)

// findingHead is a finding's first line: path:line (clickable in terminals
// and editors), severity, rule, the statement's Sid.
var findingHead = regexp.MustCompile(`^(\S+:[1-9][0-9]*|\(setup\))  (error|warning|info)  [a-z0-9-]+( \[[^\]]+\])?$`)

// Every finding starts with its path:line, in the order of the report
// grouped by file, and its message follows it indented.
func TestTextFindingsLeadWithPathLine(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			lines := strings.Split(string(render(t, "text", rep, options(t))), "\n")
			var heads []string
			for _, l := range lines {
				if l != "" && !strings.HasPrefix(l, " ") && findingHead.MatchString(l) {
					heads = append(heads, l)
				}
			}
			if len(heads) != len(rep.Findings) {
				t.Fatalf("%d finding lines, %d findings", len(heads), len(rep.Findings))
			}
			for _, f := range rep.Findings {
				want := where(f.File, f.Line) + "  " + f.Severity + "  " + f.Rule
				found := false
				for _, h := range heads {
					found = found || strings.HasPrefix(h, want)
				}
				if !found {
					t.Errorf("no line starts with %q", want)
				}
			}
		})
	}
}

// A rule's fix is printed once per file, with the real bucket and folder.
func TestTextFixOncePerRulePerFile(t *testing.T) {
	fix := "Allow s3:PutObject on arn:aws:s3:::BUCKET/PREFIX*."
	f := func(file string, line int, rule string) engine.Finding {
		return engine.Finding{Rule: rule, Severity: "error", Message: "m", File: file, Line: line, Remediation: fix}
	}
	rep := &check.Report{Upload: "denied", Setup: config.Setup{Bucket: "acme", Prefix: "in/"},
		Findings: []engine.Finding{f("a.json", 3, "putobject-missing"), f("a.json", 9, "putobject-missing"), f("a.json", 12, "other-rule"),
			f("b.json", 1, "putobject-missing")}}
	out := renderModel(t, "text", &Model{Report: rep}, Options{})
	if n := strings.Count(out, "fix: Allow s3:PutObject on arn:aws:s3:::acme/in/*."); n != 3 {
		t.Errorf("%d fixes, want 3 (a.json twice, once per rule; b.json once):\n%s", n, out)
	}
	if strings.Contains(out, "BUCKET") {
		t.Error("a placeholder is left in a fix")
	}
	a := out[:strings.Index(out, "b.json:1")]
	if strings.Index(a, "fix:") > strings.Index(a, "a.json:9") {
		t.Error("the fix is not under the rule's first finding in the file")
	}
}

// Wrapped to the terminal's width: no line is longer unless it is one word
// (an ARN, a path) or a finding's path:line head; wrapping only moves
// spaces, so the words read back the same.
func TestTextWrapsToWidth(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			opts := options(t)
			opts.Verbose = true
			flat := string(render(t, "text", rep, opts))
			for _, width := range []int{60, 100} {
				opts.Width = width
				wrapped := string(render(t, "text", rep, opts))
				if strings.Join(strings.Fields(wrapped), " ") != strings.Join(strings.Fields(flat), " ") {
					t.Fatalf("width %d: wrapping changed the words", width)
				}
				for _, l := range strings.Split(wrapped, "\n") {
					if len([]rune(l)) <= width || findingHead.MatchString(l) || strings.HasPrefix(l, "Requests for ") || strings.HasPrefix(l, "config: ") ||
						strings.HasPrefix(l, "Supermetrics can upload: ") || strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
						continue // fits; a head, a title, the config file's path, the verdict (one line for scripts) or a request row (columns)
					}
					body := strings.TrimSpace(l)
					if body = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(body, "fix: "), "by "), "why "); strings.Contains(body, " ") {
						t.Errorf("width %d: a %d-column line of several words: %q", width, len([]rune(l)), l)
					}
				}
			}
		})
	}
}

// The requests are listed when the upload fails or the setup is not
// ready, and on a working setup only with -v.
func TestTextRequestsOnFailureOrVerbose(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			opts := options(t)
			plain := string(render(t, "text", rep, opts))
			opts.Verbose = true
			verbose := string(render(t, "text", rep, opts))
			works := rep.Upload == "allowed" && rep.Ready
			if got := strings.Contains(plain, "\nRequests for ") || strings.HasPrefix(plain, "Requests for "); got == works {
				t.Errorf("upload %s, ready %v: requests listed %v", rep.Upload, rep.Ready, got)
			}
			if len(rep.Subjects) > 0 && !strings.Contains(verbose, "Requests for ") {
				t.Error("-v does not list the requests")
			}
		})
	}
}
