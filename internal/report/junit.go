package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
)

// JUnit XML as GitLab (artifacts:reports:junit), Jenkins (junit step) and
// Azure Pipelines (PublishTestResults, JUnit) read it: one test suite per
// file with findings, one test case per finding (an error or warning is a
// failure, an info finding is skipped), an input error as an error, and a
// suite "smlint" whose case "<Vendor> can upload" fails unless the verdict
// is allowed.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitReporter writes the report as JUnit XML.
type junitReporter struct{}

func (junitReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	vendor := opts.VendorName
	if vendor == "" {
		vendor = "Supermetrics"
	}
	byFile := map[string]*junitSuite{}
	suite := func(name string) *junitSuite {
		if s, ok := byFile[name]; ok {
			return s
		}
		s := &junitSuite{Name: name}
		byFile[name] = s
		return s
	}
	for _, f := range rep.Findings {
		file, line := f.File, f.Line
		if file == "" {
			file, line = fallback(rep, f, opts)
		}
		s := suite(file)
		name := f.Rule
		if f.Sid != "" {
			name += " [" + f.Sid + "]"
		}
		c := junitCase{Name: name, Classname: file, File: file, Line: line}
		text := fmt.Sprintf("%s:%d: %s", file, line, display(f.Message))
		if f.Remediation != "" {
			text += "\nFix: " + oneLine(f.Remediation)
		}
		p := &junitProblem{Message: oneLine(display(f.Message)), Type: f.Severity, Text: text}
		if f.Severity == "info" {
			c.Skipped = p
			s.Skipped++
		} else {
			c.Failure = p
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	for _, e := range rep.Errors {
		s := suite(e.File)
		s.Tests++
		s.Errors++
		s.Cases = append(s.Cases, junitCase{Name: "input-error", Classname: e.File, File: e.File, Line: e.Line,
			Error: &junitProblem{Message: oneLine(e.Message), Type: "input-error", Text: e.Error()}})
	}
	verdict := junitCase{Name: vendor + " can upload", Classname: "smlint"}
	if rep.Upload != "allowed" {
		verdict.Failure = &junitProblem{Message: vendor + " can upload: " + map[string]string{"denied": "no", "unknown": "unknown"}[rep.Upload],
			Type: "verdict", Text: "verdict " + rep.Upload + "; see the findings"}
	}
	top := junitSuite{Name: "smlint", Tests: 1, Cases: []junitCase{verdict}}
	if verdict.Failure != nil {
		top.Failures = 1
	}
	out := junitSuites{Name: "smlint", Suites: []junitSuite{top}}
	names := make([]string, 0, len(byFile))
	for n := range byFile {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out.Suites = append(out.Suites, *byFile[n])
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
