package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/requestmodel"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// scenario is one realistic run of the real pipeline. Paths are relative to
// the repository root, where the tests run it, so reports name files the way
// a user running smlint there would see them.
type scenario struct {
	name    string
	paths   []string
	config  string // .smlint.yaml, relative to the repository root
	golden  bool
	upload  string // the verdict line's answer
	ready   bool
	subject int // how many principals are evaluated
}

var scenarios = []scenario{
	{name: "example", paths: []string{"fixtures/example"}, config: "fixtures/example/.smlint.yaml",
		golden: true, upload: "no", subject: 1},
	// Suppressed and expired ignore entries, and an input that cannot be read.
	{name: "example-ignores", paths: []string{"fixtures/example", "internal/report/testdata/input/broken.json"},
		config: "internal/report/testdata/input/example-ignores.smlint.yaml", golden: true, upload: "no", subject: 1},
	// Unresolved CloudFormation values: unknown markers must never show.
	{name: "unresolved", paths: []string{"fixtures/format-cloudformation-yaml-unresolved"},
		config: "fixtures/format-cloudformation-yaml-unresolved/.smlint.yaml", golden: true, upload: "unknown", subject: 1},
	// No setup at all: the bucket is inferred from the policy.
	{name: "terraform-no-setup", paths: []string{"fixtures/format-terraform-plan-good"}, golden: true},
	// A whole account: several principals; structural checks only.
	{name: "many-roles", paths: []string{"fixtures/format-account-export-many-roles"},
		config: "fixtures/format-account-export-many-roles/.smlint.yaml"},
}

// now fixes the date: ignore entries expire relative to it.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	engOnce sync.Once
	eng     *engine.Engine
	engErr  error

	repMu   sync.Mutex
	reports = map[string]*check.Report{}
)

// testdataDir is absolute, because the tests change directory.
func testdataDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testEngine(t *testing.T) *engine.Engine {
	t.Helper()
	engOnce.Do(func() { eng, engErr = engine.New(context.Background(), engine.Options{}) })
	if engErr != nil {
		t.Fatalf("engine.New: %v", engErr)
	}
	return eng
}

// run builds the scenario's report once, from the repository root.
func run(t *testing.T, sc scenario) *check.Report {
	t.Helper()
	repMu.Lock()
	defer repMu.Unlock()
	if rep, ok := reports[sc.name]; ok {
		return rep
	}
	e := testEngine(t)
	t.Chdir("../..")
	var setup config.Setup
	if sc.config != "" {
		s, err := config.Read(sc.config)
		if err != nil {
			t.Fatal(err)
		}
		setup = *s
	}
	if err := setup.Validate(); err != nil {
		t.Fatal(err)
	}
	in := load.Paths(sc.paths, load.Options{})
	rep, err := check.Run(context.Background(), in, check.Options{Setup: setup, Profile: requestmodel.Default(), Engine: e, Now: now, KeepInput: true})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	reports[sc.name] = rep
	return rep
}

// testRoot stands for the repository root in reports: the scenarios' file
// names are relative to it, and SARIF URIs come out the same on every
// machine.
const testRoot = "/repo"

func options(t *testing.T) Options {
	return Options{Version: "0.0.0-test", Rules: testEngine(t).Rules(), VendorName: requestmodel.Default().DisplayName,
		Root: testRoot, WorkDir: testRoot}
}

func render(t *testing.T, format string, rep *check.Report, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, &Model{Report: rep}, opts); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	return buf.Bytes()
}

// outputs are the renderings compared with golden files.
var outputs = []struct {
	name   string
	format string
	quiet  bool
	set    func(*Options) // nil: the defaults
}{
	{"text", "text", false, nil},
	{"text-quiet", "text", true, nil},
	{"text-80", "text", false, func(o *Options) { o.Width = 80 }},
	{"text-verbose", "text", false, func(o *Options) { o.Verbose = true }},
	{"text-color", "text", false, func(o *Options) { o.Color = true }},
	{"json", "json", false, nil},
	{"sarif", "sarif", false, nil},
	{"github", "github", false, nil},
	{"markdown", "markdown", false, nil},
	{"compact", "compact", false, nil},
	{"junit", "junit", false, nil},
	{"html", "html", false, nil},
}

func TestGolden(t *testing.T) {
	dir := testdataDir(t)
	for _, sc := range scenarios {
		if !sc.golden {
			continue
		}
		for _, o := range outputs {
			t.Run(sc.name+"/"+o.name, func(t *testing.T) {
				rep := run(t, sc)
				opts := options(t)
				opts.Quiet = o.quiet
				if o.set != nil {
					o.set(&opts)
				}
				got := render(t, o.format, rep, opts)
				path := filepath.Join(dir, sc.name+"."+o.name+".golden")
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (run go test -update if the change is intended):\n%s",
						o.name, path, firstDiff(string(want), string(got)))
				}
			})
		}
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n   got: " + g
		}
	}
	return "(no line differs)"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestScenarioVerdicts(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			if sc.subject > 0 && len(rep.Subjects) != sc.subject {
				t.Errorf("%d principals evaluated, want %d", len(rep.Subjects), sc.subject)
			}
			if sc.upload != "" {
				text := string(render(t, "text", rep, options(t)))
				if want := "Supermetrics can upload: " + sc.upload + "\n"; !strings.HasSuffix(text, want) {
					t.Errorf("text does not end with %q:\n%s", want, text)
				}
				if rep.Ready != sc.ready {
					t.Errorf("ready = %v, want %v", rep.Ready, sc.ready)
				}
			}
		})
	}
}

func TestExampleIgnores(t *testing.T) {
	var sc scenario
	for _, s := range scenarios {
		if s.name == "example-ignores" {
			sc = s
		}
	}
	rep := run(t, sc)
	if len(rep.Suppressed) != 1 || rep.Suppressed[0].Rule != "resource-too-broad" {
		t.Errorf("suppressed = %+v, want resource-too-broad only", rep.Suppressed)
	}
	var expired *engine.Finding
	for i, f := range rep.Findings {
		if f.Rule == "ignore-expired" {
			expired = &rep.Findings[i]
		}
	}
	if expired == nil {
		t.Fatal("no ignore-expired finding for the expired entry")
	}
	if expired.File != sc.config || expired.Line != 13 {
		t.Errorf("ignore-expired at %s:%d, want %s:13", expired.File, expired.Line, sc.config)
	}
	if len(rep.Errors) != 1 || !strings.HasSuffix(rep.Errors[0].File, "broken.json") {
		t.Errorf("errors = %+v, want broken.json", rep.Errors)
	}
	text := string(render(t, "text", rep, options(t)))
	for _, want := range []string{"(1 suppressed)", "Could not read", "broken.json"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// walkStrings calls f on every key and string value of a decoded JSON value.
func walkStrings(v any, path string, f func(path, s string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case []any:
		for i, e := range x {
			walkStrings(e, path+"["+itoa(i)+"]", f)
		}
	case map[string]any:
		for k, e := range x {
			f(path+" (key)", k)
			walkStrings(e, path+"."+k, f)
		}
	}
}

func TestJSONStructure(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			out := render(t, "json", rep, options(t))
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("invalid JSON: %v", err)
			}
			// SPEC §4 top-level keys.
			for _, k := range []string{"tool", "setup", "ready", "upload", "multipart_upload", "requests", "findings", "errors"} {
				if _, ok := doc[k]; !ok {
					t.Errorf("missing top-level key %q", k)
				}
			}
			for _, k := range []string{"requests", "findings", "errors"} {
				if _, ok := doc[k].([]any); !ok {
					t.Errorf("%q is %T, want an array (never null)", k, doc[k])
				}
			}
			if tool, _ := doc["tool"].(map[string]any); tool["name"] != "smlint" || tool["version"] != "0.0.0-test" {
				t.Errorf("tool = %v", doc["tool"])
			}
			setup, _ := doc["setup"].(map[string]any)
			for _, k := range []string{"bucket", "prefix", "region", "kms_key_arn", "auth", "role_arn"} {
				if _, ok := setup[k]; !ok {
					t.Errorf("setup lacks %q", k)
				}
			}
			for _, k := range []string{"upload", "multipart_upload"} {
				switch doc[k] {
				case "allowed", "denied", "unknown":
				default:
					t.Errorf("%s = %v", k, doc[k])
				}
			}
			if doc["ready"] != rep.Ready {
				t.Errorf("ready = %v, report says %v", doc["ready"], rep.Ready)
			}
			for i, r := range doc["requests"].([]any) {
				req := r.(map[string]any)
				switch req["decision"] {
				case "allowed", "implicit_deny", "explicit_deny", "unknown":
				default:
					t.Errorf("requests[%d].decision = %v", i, req["decision"])
				}
				if _, ok := req["because"].([]any); !ok {
					t.Errorf("requests[%d].because is %T, want an array", i, req["because"])
				}
			}
			walkStrings(doc, "$", func(path, s string) {
				if strings.ContainsRune(s, '\uFFFF') {
					t.Errorf("%s carries the internal unknown marker: %q", path, s)
				}
				if strings.ContainsRune(s, '\uFFFE') {
					t.Errorf("%s carries the internal any-key marker: %q", path, s)
				}
			})
		})
	}
}

func TestNoMarkersInAnyFormat(t *testing.T) {
	for _, sc := range scenarios {
		for _, format := range Formats {
			t.Run(sc.name+"/"+format, func(t *testing.T) {
				out := string(render(t, format, run(t, sc), options(t)))
				if i := strings.IndexAny(out, "\uFFFF\uFFFE"); i >= 0 {
					line := strings.Count(out[:i], "\n") + 1
					t.Errorf("line %d carries an internal marker: %q", line, strings.Split(out, "\n")[line-1])
				}
			})
		}
	}
}

func TestGitHubStructure(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			out := string(render(t, "github", rep, options(t)))
			if !strings.HasSuffix(out, "\n") {
				t.Fatal("output does not end with a newline")
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if want := len(rep.Findings) + len(rep.Errors) + 1; len(lines) != want {
				t.Errorf("%d lines, want %d (one per finding and input error, and the verdict)", len(lines), want)
			}
			for i, l := range lines {
				if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
					t.Errorf("line %d is not a workflow command: %q", i+1, l)
				}
			}
			for i, f := range rep.Findings {
				if f.Remediation != "" && !strings.Contains(lines[i], "%0AFix: ") {
					t.Errorf("line %d: remediation not on an escaped new line: %q", i+1, lines[i])
				}
			}
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "::notice title=smlint verdict::Supermetrics can upload: ") {
				t.Errorf("last line %q is not the verdict", last)
			}
		})
	}
}

func TestGitHubEscaping(t *testing.T) {
	rep := &check.Report{
		Upload: "denied",
		Findings: []engine.Finding{{Rule: "policy-invalid", Severity: "error", Message: "line one\nline two: 100% sure\r",
			File: "dir,with:odd%name.json", Line: 3, Remediation: "Fix\n  it"}},
		Errors: []load.FileError{{File: "bad,file.json", Line: 2, Message: "invalid JSON:\nunexpected end"}},
	}
	out := string(render(t, "github", rep, Options{}))
	want := "::error file=dir%2Cwith%3Aodd%25name.json,line=3,title=smlint policy-invalid::line one%0Aline two: 100%25 sure%0D%0AFix: Fix it\n" +
		"::error file=bad%2Cfile.json,line=2,title=smlint input error::invalid JSON:%0Aunexpected end\n" +
		"::notice title=smlint verdict::Supermetrics can upload: no (ready: false)\n"
	if out != want {
		t.Errorf("github output:\n got %q\nwant %q", out, want)
	}
}

func TestColor(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			for _, format := range Formats {
				for _, quiet := range []bool{false, true} {
					opts := options(t)
					opts.Quiet = quiet
					if out := render(t, format, rep, opts); bytes.Contains(out, []byte("\x1b")) {
						t.Errorf("%s (quiet %v) without Color carries an escape code", format, quiet)
					}
				}
			}
			opts := options(t)
			opts.Color = true
			colored := string(render(t, "text", rep, opts))
			if !strings.Contains(colored, "\x1b[") {
				t.Error("text with Color carries no colour code")
			}
			plain := string(render(t, "text", rep, options(t)))
			if stripANSI(colored) != plain {
				t.Error("text with Color differs from plain text by more than colour codes")
			}
		})
	}
}

// stripANSI removes SGR escape sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && s[j] != 'm' {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestQuiet(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			opts := options(t)
			opts.Quiet = true
			out := string(render(t, "text", rep, opts))
			for _, no := range []string{"Requests", "fix:"} {
				if strings.Contains(out, no) {
					t.Errorf("quiet text carries %q", no)
				}
			}
			for _, f := range rep.Findings {
				if !strings.Contains(out, f.Rule) {
					t.Errorf("quiet text lacks finding %s", f.Rule)
				}
			}
			if !strings.Contains(out, "Supermetrics can upload: ") {
				t.Error("quiet text lacks the verdict line")
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", &Model{Report: &check.Report{}}, Options{}); err == nil {
		t.Error("Write with format xml: want error")
	}
}

func renderModel(t *testing.T, format string, m *Model, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, m, opts); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	return buf.String()
}
