package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
)

// SARIF 2.1.0 (docs.oasis-open.org/sarif/sarif/v2.1.0), built with the
// go-sarif object model, in the shape GitHub code scanning accepts
// (docs.github.com: "SARIF support for code scanning"):
//   - every result has a location: a finding without a file points at the
//     .smlint.yaml line that set the value, else at the first input;
//   - URIs are relative to the repository root under uriBaseId %SRCROOT%,
//     percent-encoded; files outside the root are absolute file: URIs;
//   - partialFingerprints do not change when lines move;
//   - rules carry security-severity, precision, tags, help.markdown and a
//     helpUri to the rule's page under docs/rules/;
//   - input errors and not-checked files are tool execution notifications,
//     not results.

// RulesDocBase is where the rule pages of docs/rules/ are published.
const RulesDocBase = "https://github.com/smlint/smlint/blob/main/docs/rules/"

// InformationURI is the tool's home page.
const InformationURI = "https://github.com/smlint/smlint"

// srcRoot is the uriBaseId of every repository-relative URI.
const srcRoot = "%SRCROOT%"

// fingerprintKey names the partial fingerprint's algorithm; bump the
// version when its inputs change.
const fingerprintKey = "smlintFinding/v1"

func sarifLevel(sev string) string {
	switch sev {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's 0–10 score: error 8.0 (high), warning 5.0
// (medium), info 2.0 (low), unless the rule's METADATA sets
// custom.security_severity.
func securitySeverity(r engine.Rule) string {
	if r.SecuritySeverity != "" {
		return r.SecuritySeverity
	}
	switch r.Severity {
	case "error":
		return "8.0"
	case "warning":
		return "5.0"
	}
	return "2.0"
}

// area is the rule's folder under rules/ (trust, s3, kms, …).
func area(r engine.Rule) string {
	dir := filepath.ToSlash(filepath.Dir(filepath.Dir(r.File)))
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir = dir[i+1:]
	}
	if dir == "." || dir == "" {
		return ""
	}
	return dir
}

// RuleHelpMarkdown is a rule's help as Markdown: what it checks, how to
// fix it, an example, the AWS page. The rule pages under docs/rules/ carry
// the same text.
func RuleHelpMarkdown(r engine.Rule) string {
	var b strings.Builder
	if r.Description != "" {
		b.WriteString(mdText(r.Description) + "\n\n")
	}
	if r.Remediation != "" {
		b.WriteString("**How to fix:** " + mdText(r.Remediation) + "\n\n")
	}
	if r.Example != "" {
		b.WriteString("Example:\n\n```\n" + strings.TrimRight(r.Example, "\n") + "\n```\n\n")
	}
	if r.Docs != "" {
		b.WriteString("AWS documentation: <" + r.Docs + ">\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func ruleText(r engine.Rule) string {
	parts := []string{}
	for _, p := range []string{oneLine(r.Description), oneLine(r.Remediation)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return r.Title
	}
	return strings.Join(parts, " Fix: ")
}

// sarifRule is a rule's reportingDescriptor.
func sarifRule(r engine.Rule) *sarif.ReportingDescriptor {
	title := r.Title
	if title == "" {
		title = r.ID
	}
	d := sarif.NewRule(r.ID).WithName(camel(r.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(title)).
		WithFullDescription(sarif.NewMultiformatMessageString(orDefault(oneLine(r.Description), title))).
		WithHelp(sarif.NewMultiformatMessageString(ruleText(r)).WithMarkdown(orDefault(RuleHelpMarkdown(r), title))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
	if r.Builtin {
		d.WithHelpURI(RulesDocBase + r.ID + ".md")
	} else if r.Docs != "" {
		d.WithHelpURI(r.Docs)
	}
	precision := r.Precision
	if precision == "" {
		precision = "high"
	}
	tags := []string{"security"}
	if a := area(r); a != "" {
		tags = append(tags, a)
	}
	d.WithProperties(sarif.Properties{
		"security-severity": securitySeverity(r),
		"precision":         precision,
		"tags":              tags,
	})
	return d
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// locator turns the report's file names into SARIF artifact locations.
type locator struct {
	root string // absolute repository root
	wd   string // what relative file names are relative to
}

// artifact is the location of file: repository-relative under %SRCROOT%
// when it lies inside the root, else an absolute file: URI.
func (l locator) artifact(file string) *sarif.ArtifactLocation {
	abs, err := file, error(nil)
	if !filepath.IsAbs(file) {
		if l.wd != "" {
			abs = filepath.Join(l.wd, file)
		} else {
			abs, err = filepath.Abs(file)
		}
	}
	if err == nil && l.root != "" {
		if rel, err := filepath.Rel(l.root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return sarif.NewArtifactLocation().WithUri(encodePath(filepath.ToSlash(rel))).WithUriBaseId(srcRoot)
		}
	}
	if err != nil {
		return sarif.NewArtifactLocation().WithUri(encodePath(filepath.ToSlash(file)))
	}
	return sarif.NewArtifactLocation().WithUri(fileURI(abs))
}

func (l locator) location(file string, line int) *sarif.Location {
	if line <= 0 {
		// GitHub places an alert on a line; a finding about the whole
		// file is shown at its start.
		line = 1
	}
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(l.artifact(file)).
		WithRegion(sarif.NewRegion().WithStartLine(line)))
}

// fileURI is the file: URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x on Windows
	}
	return "file://" + encodePath(p)
}

// encodePath percent-encodes a slash-separated path for a URI reference
// (RFC 3986): everything but unreserved characters, sub-delimiters, "@"
// and "/" is encoded as UTF-8 octets, ":" too so that a first segment is
// never read as a scheme.
func encodePath(p string) string {
	const keep = "-._~!$&'()*+,;=@/"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// setupKeys names, for rules about a setup value, the .smlint.yaml key
// that sets it.
var setupKeys = map[string]string{
	"role-arn-wrong":          "role_arn",
	"region-mismatch":         "region",
	"kms-key-mismatch":        "kms_key_arn",
	"access-key-unusable":     "access_key_id",
	"ip-condition-unverified": "vendor.ip_ranges",
	"ip-allowlist-lockout":    "vendor.ip_ranges",
}

// fallback is where a finding without a file is shown: the .smlint.yaml
// line that set the value the rule is about, else the first input file,
// else the config file, else the first path given.
func fallback(rep *check.Report, f engine.Finding, opts Options) (string, int) {
	if src := rep.Setup.Source; src != "" {
		if key, ok := setupKeys[f.Rule]; ok {
			if line := rep.Setup.Lines[key]; line > 0 {
				return src, line
			}
		}
	}
	if file := firstInput(rep); file != "" {
		return file, 1
	}
	if src := rep.Setup.Source; src != "" {
		return src, 1
	}
	if len(opts.Inputs) > 0 {
		return opts.Inputs[0], 1
	}
	return ".", 1
}

// firstInput is the first input file the report names (in sort order).
func firstInput(rep *check.Report) string {
	var files []string
	add := func(f string) {
		if f != "" && f != rep.Setup.Source {
			files = append(files, f)
		}
	}
	for _, f := range rep.Findings {
		add(f.File)
	}
	for _, r := range rep.Requests {
		for _, b := range r.Because {
			add(b.File)
		}
	}
	for _, s := range rep.Subjects {
		if s.Principal != nil {
			add(s.Principal.File)
		}
	}
	for _, e := range append(append([]load.FileError{}, rep.Errors...), rep.NotChecked...) {
		add(e.File)
	}
	if len(files) == 0 {
		return ""
	}
	sort.Strings(files)
	return files[0]
}

var (
	fileLineRef = regexp.MustCompile(`(\.[A-Za-z0-9]+):[0-9]+`)
	lineRef     = regexp.MustCompile(`\blines? [0-9]+`)
)

// fingerprint identifies a finding across commits: rule, file, statement
// (its Sid, or the message that names it by position), resource and
// principal, with every line number taken out so that moving a statement
// keeps the alert.
func fingerprint(f engine.Finding, uri string) string {
	msg := fileLineRef.ReplaceAllString(display(f.Message), "$1")
	msg = lineRef.ReplaceAllString(msg, "line")
	h := sha256.Sum256([]byte(strings.Join([]string{f.Rule, uri, f.Sid, display(f.Resource), display(f.Principal), msg}, "\x00")))
	return hex.EncodeToString(h[:16])
}

// automationID is runAutomationDetails.id: "smlint/<paths>/". GitHub
// takes what precedes the last "/" as the analysis category, so two jobs
// checking different folders do not replace each other's alerts.
func automationID(opts Options, l locator) string {
	var parts []string
	for _, p := range opts.Inputs {
		a := l.artifact(p)
		if a.URI != nil {
			parts = append(parts, strings.TrimSuffix(*a.URI, "/"))
		}
	}
	if len(parts) == 0 {
		return "smlint/"
	}
	return "smlint/" + strings.Join(parts, ",") + "/"
}

// findingLocation is where a result is shown: its file and line, else the
// fallback for a finding without a file.
func findingLocation(rep *check.Report, f engine.Finding, opts Options, loc locator) *sarif.Location {
	file, line := f.File, f.Line
	if file == "" {
		file, line = fallback(rep, f, opts)
	}
	return loc.location(file, line)
}

// newLocator resolves file names as opts says (see Options.Root, WorkDir).
func newLocator(opts Options) locator {
	loc := locator{root: opts.Root, wd: opts.WorkDir}
	if loc.wd == "" {
		if wd, err := os.Getwd(); err == nil {
			loc.wd = wd
		}
	}
	if loc.root == "" {
		loc.root = RepoRoot(loc.wd)
	}
	return loc
}

// Fingerprints are the SARIF partialFingerprints of rep.Findings, in order:
// what a baseline records (--write-baseline) and matches (--baseline), so
// that a baseline and code scanning agree on which finding is which.
func Fingerprints(rep *check.Report, opts Options) []string {
	loc := newLocator(opts)
	out := make([]string, len(rep.Findings))
	for i, f := range rep.Findings {
		l := findingLocation(rep, f, opts, loc)
		out[i] = fingerprint(f, *l.PhysicalLocation.ArtifactLocation.URI)
	}
	return out
}

// FingerprintKey names the fingerprint algorithm (SARIF partialFingerprints
// key); a baseline written under another key does not match.
const FingerprintKey = fingerprintKey

// sarifReporter writes a SARIF 2.1.0 log.
type sarifReporter struct{}

func (sarifReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	loc := newLocator(opts)
	run := sarif.NewRunWithInformationURI("smlint", InformationURI)
	driver := run.Tool.Driver
	driver.WithVersion(opts.Version)
	if semverLike.MatchString(opts.Version) {
		driver.WithSemanticVersion(opts.Version)
	}
	index := map[string]int{}
	addRule := func(r engine.Rule) {
		if _, ok := index[r.ID]; ok {
			return
		}
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule(r))
	}
	for _, r := range opts.Rules {
		addRule(r)
	}
	for _, f := range rep.Findings {
		addRule(engine.Rule{ID: f.Rule, Title: f.Rule, Severity: f.Severity, Remediation: f.Remediation, Docs: f.Docs})
	}
	for _, f := range rep.Findings {
		l := findingLocation(rep, f, opts, loc)
		res := sarif.NewRuleResult(f.Rule).WithRuleIndex(index[f.Rule]).WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(display(f.Message))).WithLocations([]*sarif.Location{l})
		res.WithPartialFingerPrints(map[string]any{fingerprintKey: fingerprint(f, *l.PhysicalLocation.ArtifactLocation.URI)})
		run.AddResult(res)
	}
	inv := run.AddInvocation(len(rep.Errors) == 0)
	inv.ToolExecutionNotifications = []*sarif.Notification{}
	for _, e := range rep.Errors {
		inv.AddTToolExecutionNotification(notification("error", "input-error", e, loc))
	}
	for _, e := range rep.NotChecked {
		inv.AddTToolExecutionNotification(notification("note", "not-checked", e, loc))
	}
	if len(inv.ToolExecutionNotifications) == 0 {
		inv.ToolExecutionNotifications = nil
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(automationID(opts, loc)))
	root := loc.root
	if root != "" {
		uri := fileURI(root)
		if !strings.HasSuffix(uri, "/") {
			uri += "/"
		}
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{srcRoot: sarif.NewArtifactLocation().WithUri(uri)})
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// semverLike matches a SemVer 2.0 version (semver.org).
var semverLike = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

func notification(level, id string, e load.FileError, loc locator) *sarif.Notification {
	n := sarif.NewNotification().WithLevel(level).WithTextMessage(e.Error()).
		WithDescriptor(sarif.NewReportingDescriptorReference().WithId(id))
	if e.File != "" {
		n.WithLocations([]*sarif.Location{loc.location(e.File, e.Line)})
	}
	return n
}

func camel(id string) string {
	parts := strings.Split(id, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}
