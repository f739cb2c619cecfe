package report

import (
	_ "embed"
	"html/template"
	"io"
	"strings"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
)

// htmlPage is the page's template: one file, styles inline, no script, no
// external asset, so the page can be attached to an audit as it is.
//
//go:embed html.tmpl
var htmlPage string

var htmlTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"stateLabel": func(s string) string {
		return map[string]string{HopAllowed: "passes", HopDenied: "refuses", HopUnknown: "unknown", HopAbsent: "not on the path"}[s]
	},
	"stateMark": func(s string) string {
		return map[string]string{HopAllowed: "✓", HopDenied: "✗", HopUnknown: "?", HopAbsent: "–"}[s]
	},
	"answer": func(v string) string {
		return map[string]string{"allowed": "yes", "denied": "no", "unknown": "unknown"}[v]
	},
}).Parse(htmlPage))

// htmlReporter writes one self-contained page for an audit: the verdict,
// the access path of each evaluated principal drawn left to right (each hop
// green, red or grey with the statement that decided it and its file:line),
// the findings with their fixes, the requests, the simulator cross-check of
// a live run, input errors, and the assumptions. html/template escapes every
// value for its context: policy text is attacker-controlled.
type htmlReporter struct{}

// htmlModel is what the template reads.
type htmlModel struct {
	Vendor, Version, Upload, Multipart, Counts string
	Ready                                      bool
	Setup                                      []htmlField
	Paths                                      []htmlPath
	Findings                                   []htmlFinding
	Requests                                   []check.RequestResult
	CrossCheck                                 *CrossCheck
	Errors, NotChecked                         []fileErr
	Suppressed                                 int
	Assumptions                                []string
}

type htmlField struct{ Name, Value string }

type htmlPath struct {
	Title           string
	Upload, Verdict string
	Hops            []Hop
}

type htmlFinding struct {
	engine.Finding
	Where, DocsURL, Fix string
}

func (htmlReporter) Report(w io.Writer, m *Model, opts Options) error {
	rep := m.Report
	vendor := opts.VendorName
	if vendor == "" {
		vendor = "Supermetrics"
	}
	page := htmlModel{Vendor: vendor, Version: opts.Version, Upload: rep.Upload, Multipart: rep.MultipartUpload,
		Ready: rep.Ready, Counts: counts(rep), CrossCheck: m.CrossCheck, Errors: fileErrs(rep.Errors),
		NotChecked: fileErrs(rep.NotChecked), Suppressed: len(rep.Suppressed), Assumptions: rep.Assumptions}
	s := rep.Setup
	for _, f := range []htmlField{{"bucket", s.Bucket}, {"upload folder", s.Prefix}, {"region", s.Region},
		{"method", s.Auth}, {"role ARN", s.RoleARN}, {"IAM user", s.User}, {"KMS key", s.KMSKeyARN},
		{"vendor IP ranges", strings.Join(s.Vendor.IPRanges, ", ")}, {"inferred from the inputs", strings.Join(s.Inferred, ", ")}} {
		if f.Value != "" {
			page.Setup = append(page.Setup, f)
		}
	}
	for _, sub := range rep.Subjects {
		title := "Access path"
		if sub.Principal != nil {
			title += " for " + sub.Principal.Type + " " + display(labelOf(sub.Principal))
		}
		page.Paths = append(page.Paths, htmlPath{Title: title, Upload: sub.Upload, Hops: AccessPath(sub, s, opts.Rules)})
	}
	for _, f := range rep.Findings {
		hf := htmlFinding{Finding: f, Where: "(setup)", Fix: concreteFix(f.Remediation, s)}
		hf.Message = display(f.Message)
		if f.File != "" {
			hf.Where = where(f.File, f.Line)
		}
		if isBuiltin(opts, f.Rule) {
			hf.DocsURL = RulesDocBase + f.Rule + ".md"
		}
		page.Findings = append(page.Findings, hf)
	}
	for _, r := range rep.Requests {
		r.Resource = display(r.Resource)
		r.Principal = display(r.Principal)
		reasons := make([]string, len(r.Reasons)) // the report's own slice stays as it is
		for i, why := range r.Reasons {
			reasons[i] = display(why)
		}
		r.Reasons = reasons
		page.Requests = append(page.Requests, r)
	}
	return htmlTemplate.Execute(w, page)
}
