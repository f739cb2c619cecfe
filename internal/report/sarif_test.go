package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
)

// The official SARIF 2.1.0 schema (OASIS), vendored with its licence in
// testdata/sarif-schema-2.1.0.{json,LICENSE.md}.
var (
	// schemaPath is resolved when the package starts, before tests change
	// directory.
	schemaPath, _ = filepath.Abs(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	schemaOnce    sync.Once
	schema        *jsonschema.Schema
	schemaErr     error
)

// sarifSchema compiles the vendored schema, asserting formats (uri,
// uri-reference, date-time) so that a badly encoded URI fails.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open(schemaPath)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
		if schemaErr = c.AddResource(id, doc); schemaErr != nil {
			return
		}
		schema, schemaErr = c.Compile(id)
	})
	if schemaErr != nil {
		t.Fatalf("SARIF schema: %v", schemaErr)
	}
	return schema
}

// validSARIF validates out against the schema.
func validSARIF(t *testing.T, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

// sarifLog is the part of a log the tests read.
type sarifLog struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID      string `json:"id"`
					HelpURI string `json:"helpUri"`
					Help    struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					Properties struct {
						SecuritySeverity string   `json:"security-severity"`
						Precision        string   `json:"precision"`
						Tags             []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []sarifLoc `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			Locations           []sarifLoc        `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifLoc struct {
	Physical struct {
		Artifact struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

func decodeSARIF(t *testing.T, out []byte) sarifLog {
	t.Helper()
	var doc sarifLog
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("invalid SARIF JSON: %v", err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", doc.Version, len(doc.Runs))
	}
	return doc
}

func TestSARIFSchema(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			validSARIF(t, render(t, "sarif", run(t, sc), options(t)))
		})
	}
}

func TestSARIFStructure(t *testing.T) {
	builtin := map[string]bool{}
	for _, r := range testEngine(t).Rules() {
		builtin[r.ID] = r.Builtin
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rep := run(t, sc)
			doc := decodeSARIF(t, render(t, "sarif", rep, options(t)))
			run := doc.Runs[0]
			if d := run.Tool.Driver; d.Name != "smlint" || d.Version != "0.0.0-test" || d.SemanticVersion != "0.0.0-test" {
				t.Errorf("driver %s %s (semantic %s)", d.Name, d.Version, d.SemanticVersion)
			}
			seen := map[string]bool{}
			for _, r := range run.Tool.Driver.Rules {
				if seen[r.ID] {
					t.Errorf("rule %s listed twice", r.ID)
				}
				seen[r.ID] = true
				p := r.Properties
				if v, err := strconv.ParseFloat(p.SecuritySeverity, 64); err != nil || v < 0 || v > 10 {
					t.Errorf("rule %s: security-severity %q is not a number from 0 to 10", r.ID, p.SecuritySeverity)
				}
				switch p.Precision {
				case "very-high", "high", "medium", "low":
				default:
					t.Errorf("rule %s: precision %q", r.ID, p.Precision)
				}
				if len(p.Tags) < 2 || p.Tags[0] != "security" {
					t.Errorf("rule %s: tags %v, want security and the rule's area", r.ID, p.Tags)
				}
				if r.Help.Text == "" || r.Help.Markdown == "" {
					t.Errorf("rule %s: help lacks text or markdown", r.ID)
				}
				if builtin[r.ID] && r.HelpURI != RulesDocBase+r.ID+".md" {
					t.Errorf("rule %s: helpUri %q, want its page under docs/rules/", r.ID, r.HelpURI)
				}
			}
			if len(run.Results) != len(rep.Findings) {
				t.Fatalf("%d results, want one per finding (%d): input errors are notifications", len(run.Results), len(rep.Findings))
			}
			fps := map[string]bool{}
			for i, res := range run.Results {
				f := rep.Findings[i]
				rules := run.Tool.Driver.Rules
				if res.RuleID != f.Rule || res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != f.Rule {
					t.Errorf("result %d: %s at ruleIndex %d, finding is %s", i, res.RuleID, res.RuleIndex, f.Rule)
				}
				if want := sarifLevel(f.Severity); res.Level != want {
					t.Errorf("result %d: level %q, want %q", i, res.Level, want)
				}
				if len(res.Locations) != 1 {
					t.Errorf("result %d (%s): %d locations, want 1 (GitHub rejects a result without one)", i, f.Rule, len(res.Locations))
					continue
				}
				l := res.Locations[0].Physical
				if l.Artifact.URIBaseID != "%SRCROOT%" || l.Artifact.URI == "" || strings.HasPrefix(l.Artifact.URI, "/") {
					t.Errorf("result %d: uri %q base %q, want repository-relative under %%SRCROOT%%", i, l.Artifact.URI, l.Artifact.URIBaseID)
				}
				if f.File != "" && l.Artifact.URI != filepath.ToSlash(filepath.Clean(f.File)) {
					t.Errorf("result %d: uri %q, finding file %q", i, l.Artifact.URI, f.File)
				}
				if l.Region.StartLine < 1 || (f.Line > 0 && l.Region.StartLine != f.Line) {
					t.Errorf("result %d: startLine %d, finding line %d", i, l.Region.StartLine, f.Line)
				}
				fp := res.PartialFingerprints[fingerprintKey]
				if len(fp) != 32 {
					t.Errorf("result %d: partial fingerprint %q", i, fp)
				}
				if fps[fp] {
					t.Errorf("result %d (%s): fingerprint %s shared with another result", i, f.Rule, fp)
				}
				fps[fp] = true
			}
			if len(run.Invocations) != 1 {
				t.Fatalf("%d invocations, want 1", len(run.Invocations))
			}
			inv := run.Invocations[0]
			if inv.ExecutionSuccessful != (len(rep.Errors) == 0) {
				t.Errorf("executionSuccessful %v with %d input errors", inv.ExecutionSuccessful, len(rep.Errors))
			}
			if want := len(rep.Errors) + len(rep.NotChecked); len(inv.Notifications) != want {
				t.Errorf("%d notifications, want one per input error and not-checked file (%d)", len(inv.Notifications), want)
			}
			for i, e := range rep.Errors {
				n := inv.Notifications[i]
				if n.Level != "error" || !strings.Contains(n.Message.Text, e.Message) || len(n.Locations) != 1 {
					t.Errorf("notification %d: %+v for error %+v", i, n, e)
				}
			}
			if !strings.HasPrefix(run.AutomationDetails.ID, "smlint/") {
				t.Errorf("automationDetails.id %q", run.AutomationDetails.ID)
			}
			if run.OriginalURIBaseIDs["%SRCROOT%"].URI != "file:///repo/" {
				t.Errorf("originalUriBaseIds = %v", run.OriginalURIBaseIDs)
			}
		})
	}
}

// A finding about a setup value points at the .smlint.yaml line that set
// it; when a flag set it, at the first input; with no input, at the config.
func TestSARIFSetupFindingLocation(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".smlint.yaml")
	if err := os.WriteFile(cfg, []byte("bucket: b\n# the role\nrole_arn: arn:aws:iam::1:bad\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := config.Read(cfg)
	if err != nil {
		t.Fatal(err)
	}
	finding := engine.Finding{Rule: "role-arn-wrong", Severity: "error", Message: "role_arn is not an IAM role ARN"}
	trust := engine.Finding{Rule: "trust-too-broad", Severity: "warning", Message: "x", File: filepath.Join(dir, "b.json"), Line: 4}
	opts := Options{Root: dir, WorkDir: dir, Version: "1.0.0"}
	at := func(rep *check.Report) (string, int) {
		t.Helper()
		out := render(t, "sarif", rep, opts)
		validSARIF(t, out)
		l := decodeSARIF(t, out).Runs[0].Results[0].Locations[0].Physical
		return l.Artifact.URI, l.Region.StartLine
	}
	rep := &check.Report{Setup: *s, Findings: []engine.Finding{finding, trust}}
	if uri, line := at(rep); uri != ".smlint.yaml" || line != 3 {
		t.Errorf("role-arn-wrong from the config at %s:%d, want .smlint.yaml:3", uri, line)
	}
	flagged := *s
	flagged.Merge(config.Setup{RoleARN: "arn:aws:iam::1:role/x"})
	rep = &check.Report{Setup: flagged, Findings: []engine.Finding{finding, trust}}
	if uri, line := at(rep); uri != "b.json" || line != 1 {
		t.Errorf("role-arn-wrong from a flag at %s:%d, want the first input b.json:1", uri, line)
	}
	rep = &check.Report{Setup: flagged, Findings: []engine.Finding{finding}}
	if uri, line := at(rep); uri != ".smlint.yaml" || line != 1 {
		t.Errorf("role-arn-wrong with no input at %s:%d, want .smlint.yaml:1", uri, line)
	}
}

// URIs are percent-encoded (RFC 3986) and files outside the repository
// are absolute file: URIs; the schema's uri-reference format checks both.
func TestSARIFURIs(t *testing.T) {
	root := "/work/my repo"
	opts := Options{Root: root, WorkDir: root + "/sub", Version: "1.0.0"}
	rep := &check.Report{
		Findings: []engine.Finding{
			{Rule: "trust-too-broad", Severity: "warning", Message: "a", File: "políticas/trust 1.json", Line: 2},
			{Rule: "trust-too-broad", Severity: "warning", Message: "b", File: "/elsewhere/x%y.json", Line: 2},
			{Rule: "trust-too-broad", Severity: "warning", Message: "c", File: "../top:level.json", Line: 2},
		},
		Errors: []load.FileError{{File: "bad [1].json", Line: 3, Message: "invalid JSON"}},
	}
	out := render(t, "sarif", rep, opts)
	validSARIF(t, out)
	doc := decodeSARIF(t, out)
	want := []struct{ uri, base string }{
		{"sub/pol%C3%ADticas/trust%201.json", "%SRCROOT%"},
		{"file:///elsewhere/x%25y.json", ""},
		{"top%3Alevel.json", "%SRCROOT%"},
	}
	for i, w := range want {
		a := doc.Runs[0].Results[i].Locations[0].Physical.Artifact
		if a.URI != w.uri || a.URIBaseID != w.base {
			t.Errorf("result %d: uri %q base %q, want %q base %q", i, a.URI, a.URIBaseID, w.uri, w.base)
		}
	}
	n := doc.Runs[0].Invocations[0].Notifications
	if len(n) != 1 || n[0].Locations[0].Physical.Artifact.URI != "sub/bad%20%5B1%5D.json" {
		t.Errorf("notifications = %+v", n)
	}
	if doc.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful with an input error")
	}
	if got := doc.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///work/my%20repo/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
}

// The partial fingerprint does not change when the statement moves to
// another line, and does change for another statement or principal.
func TestSARIFFingerprintStable(t *testing.T) {
	base := engine.Finding{Rule: "trust-too-broad", Message: `trust policy statement "A" in trust.json:4 allows anyone`,
		File: "trust.json", Line: 4, Sid: "A", Principal: "arn:aws:iam::1:root"}
	moved := base
	moved.Line, moved.Message = 17, `trust policy statement "A" in trust.json:17 allows anyone`
	if fingerprint(base, "trust.json") != fingerprint(moved, "trust.json") {
		t.Error("fingerprint changed when the statement moved")
	}
	other := base
	other.Sid = "B"
	principal := base
	principal.Principal = "arn:aws:iam::2:root"
	for name, f := range map[string]engine.Finding{"sid": other, "principal": principal} {
		if fingerprint(base, "trust.json") == fingerprint(f, "trust.json") {
			t.Errorf("fingerprint unchanged for another %s", name)
		}
	}
	if fingerprint(base, "trust.json") == fingerprint(base, "other.json") {
		t.Error("fingerprint unchanged for another file")
	}
}

func TestRepoRoot(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := RepoRoot(sub); got != sub {
		t.Errorf("RepoRoot without .git = %q, want the directory itself", got)
	}
	// A worktree's .git is a file.
	if err := os.WriteFile(filepath.Join(dir, ".git"), []byte("gitdir: /x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := RepoRoot(sub); got != dir {
		t.Errorf("RepoRoot = %q, want %q", got, dir)
	}
}
