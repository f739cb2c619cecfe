package report

import (
	"encoding/json"
	"io"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
)

// jsonReport is the stable SPEC §4 shape, extended with per-principal
// results, suppressed findings and the request-model assumptions.
type jsonReport struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          jsonTool `json:"tool"`
	// ConfigFile is the .smlint.yaml the run read ("" for none).
	ConfigFile      string           `json:"config_file"`
	Setup           jsonSetup        `json:"setup"`
	Ready           bool             `json:"ready"`
	Upload          string           `json:"upload"`
	MultipartUpload string           `json:"multipart_upload"`
	Requests        []jsonRequest    `json:"requests"`
	Findings        []engine.Finding `json:"findings"`
	Errors          []jsonError      `json:"errors"`
	NotChecked      []jsonError      `json:"not_checked"`
	Principals      []jsonPrincipal  `json:"principals"`
	Suppressed      []engine.Finding `json:"suppressed"`
	// Baselined are the findings the --baseline file hid, BaselineFile
	// that file ("" for none).
	Baselined    []engine.Finding `json:"baselined"`
	BaselineFile string           `json:"baseline_file"`
	Assumptions  []string         `json:"assumptions"`
	// Simulator holds the cross-check rows of a live run (simulate); the
	// key is absent from check's report.
	Simulator *[]Comparison `json:"simulator,omitempty"`
}

// SchemaVersion is the JSON report's schema_version: it changes when a
// field is removed or changes meaning, not when one is added
// (docs/json-report.md).
const SchemaVersion = 1

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSetup struct {
	Bucket    string   `json:"bucket"`
	Prefix    string   `json:"prefix"`
	Region    string   `json:"region"`
	KMSKeyARN string   `json:"kms_key_arn"`
	Auth      string   `json:"auth"`
	RoleARN   string   `json:"role_arn"`
	User      string   `json:"user,omitempty"`
	IPRanges  []string `json:"vendor_ip_ranges"`
	Inferred  []string `json:"inferred,omitempty"`
}

type jsonRequest struct {
	ID        string          `json:"id"`
	Action    string          `json:"action"`
	Resource  string          `json:"resource"`
	Principal string          `json:"principal"`
	SourceIP  string          `json:"source_ip"`
	Decision  string          `json:"decision"`
	Because   []check.Because `json:"because"`
	Reasons   []string        `json:"reasons,omitempty"`
	// ReasonCodes are the machine-readable codes of Reasons (internal/iam
	// reason.go and internal/check reasons.go), once each.
	ReasonCodes []string `json:"reason_codes,omitempty"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type jsonPrincipal struct {
	Principal       *check.PrincipalInfo `json:"principal"`
	Ready           bool                 `json:"ready"`
	Upload          string               `json:"upload"`
	MultipartUpload string               `json:"multipart_upload"`
	Requests        []jsonRequest        `json:"requests"`
	Findings        []engine.Finding     `json:"findings"`
}

// jsonReporter writes the SPEC §4 document.
type jsonReporter struct{}

func (jsonReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	out := jsonReport{
		SchemaVersion:   SchemaVersion,
		Tool:            jsonTool{Name: "smlint", Version: opts.Version},
		ConfigFile:      rep.Setup.Source,
		Baselined:       findingsOf(rep.Baselined),
		BaselineFile:    rep.Baseline,
		Setup:           setupOf(rep.Setup),
		Ready:           rep.Ready,
		Upload:          rep.Upload,
		MultipartUpload: rep.MultipartUpload,
		Requests:        requestsOf(rep.Requests),
		Findings:        findingsOf(rep.Findings),
		Errors:          errorsOf(rep.Errors),
		NotChecked:      errorsOf(rep.NotChecked),
		Suppressed:      findingsOf(rep.Suppressed),
		Assumptions:     rep.Assumptions,
		Principals:      []jsonPrincipal{},
	}
	if m.CrossCheck != nil {
		rows := m.CrossCheck.rows()
		out.Simulator = &rows
	}
	for _, s := range rep.Subjects {
		out.Principals = append(out.Principals, jsonPrincipal{
			Principal: s.Principal, Ready: s.Ready, Upload: s.Upload, MultipartUpload: s.MultipartUpload,
			Requests: requestsOf(s.Requests), Findings: findingsOf(s.Findings),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func setupOf(s config.Setup) jsonSetup {
	ranges := s.Vendor.IPRanges
	if ranges == nil {
		ranges = []string{}
	}
	return jsonSetup{Bucket: s.Bucket, Prefix: s.Prefix, Region: s.Region, KMSKeyARN: s.KMSKeyARN,
		Auth: s.Auth, RoleARN: s.RoleARN, User: s.User, IPRanges: ranges, Inferred: s.Inferred}
}

func requestsOf(rs []check.RequestResult) []jsonRequest {
	out := []jsonRequest{}
	for _, r := range rs {
		b := r.Because
		if b == nil {
			b = []check.Because{}
		}
		out = append(out, jsonRequest{ID: r.ID, Action: r.Action, Resource: display(r.Resource),
			Principal: display(r.Principal), SourceIP: r.SourceIP, Decision: r.Decision, Because: b, Reasons: r.Reasons, ReasonCodes: r.ReasonCodes})
	}
	return out
}

func findingsOf(fs []engine.Finding) []engine.Finding {
	out := []engine.Finding{}
	for _, f := range fs {
		f.Message = display(f.Message)
		f.Resource = display(f.Resource)
		f.Principal = display(f.Principal)
		out = append(out, f)
	}
	return out
}

func errorsOf(es []load.FileError) []jsonError {
	out := []jsonError{}
	for _, e := range es {
		out = append(out, jsonError{File: e.File, Line: e.Line, Message: e.Message})
	}
	return out
}
