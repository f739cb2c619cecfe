package report

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

var compactLine = regexp.MustCompile(`^[^\n]+:[1-9][0-9]*:1: (error|warning|info) [a-z0-9-]+: \S`)

// compact: one clickable path:line:col line per finding and input error,
// in the report's order, then the verdict.
func TestCompactStructure(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			lines := strings.Split(strings.TrimSuffix(string(render(t, "compact", rep, options(t))), "\n"), "\n")
			if want := len(rep.Findings) + len(rep.Errors) + 1; len(lines) != want {
				t.Fatalf("%d lines, want %d", len(lines), want)
			}
			for i, l := range lines[:len(lines)-1] {
				if !compactLine.MatchString(l) {
					t.Errorf("line %d is not path:line:col: severity rule: message: %q", i+1, l)
				}
				if i < len(rep.Findings) {
					f := rep.Findings[i]
					if f.File != "" && !strings.HasPrefix(l, f.File+":") || !strings.Contains(l, " "+f.Rule+": ") {
						t.Errorf("line %d %q is not finding %s at %s", i+1, l, f.Rule, f.File)
					}
				}
			}
			if !strings.HasPrefix(lines[len(lines)-1], "Supermetrics can upload: ") {
				t.Errorf("last line %q", lines[len(lines)-1])
			}
		})
	}
}

// junit: the XML parses back, counts add up, every finding and input error
// is a test case, and the verdict case fails unless the upload is allowed.
func TestJUnitStructure(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			var doc junitSuites
			if err := xml.Unmarshal(render(t, "junit", rep, options(t)), &doc); err != nil {
				t.Fatalf("invalid XML: %v", err)
			}
			cases, failures, errs, skipped := 0, 0, 0, 0
			for _, s := range doc.Suites {
				if s.Tests != len(s.Cases) {
					t.Errorf("suite %s: tests=%d, %d cases", s.Name, s.Tests, len(s.Cases))
				}
				for _, c := range s.Cases {
					cases++
					switch {
					case c.Failure != nil:
						failures++
					case c.Error != nil:
						errs++
					case c.Skipped != nil:
						skipped++
					}
				}
			}
			if want := len(rep.Findings) + len(rep.Errors) + 1; cases != want || doc.Tests != want {
				t.Errorf("%d cases (tests=%d), want %d", cases, doc.Tests, want)
			}
			if doc.Failures != failures || doc.Errors != errs || doc.Skipped != skipped || errs != len(rep.Errors) {
				t.Errorf("totals %d/%d/%d, cases %d/%d/%d, input errors %d", doc.Failures, doc.Errors, doc.Skipped, failures, errs, skipped, len(rep.Errors))
			}
			verdict := doc.Suites[0].Cases[0]
			if (verdict.Failure == nil) != (rep.Upload == "allowed") {
				t.Errorf("verdict case %+v for upload %s", verdict, rep.Upload)
			}
		})
	}
}
