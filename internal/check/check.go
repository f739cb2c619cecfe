package check

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
	"github.com/smlint/smlint/internal/suppress"
)

// Verdict values (SPEC §4).
const (
	VerdictAllowed = "allowed"
	VerdictDenied  = "denied"
	VerdictUnknown = "unknown"
)

// Options configure Run.
type Options struct {
	Setup   config.Setup
	Profile *requestmodel.Profile
	Engine  *engine.Engine
	Now     time.Time
	// Partial: the inputs are a subset of the setup's documents (a
	// pre-commit hook's staged files), see partialRequests.
	Partial bool
	// KeepInput keeps each subject's rule input in Subject.Input
	// (`--format input`).
	KeepInput bool
	// Rules selects the rules whose findings are reported (--only,
	// --disable-rule); the zero value reports every rule.
	Rules suppress.Selection
}

// Subject is the result for one evaluated role or user.
type Subject struct {
	Principal       *PrincipalInfo   `json:"principal,omitempty"`
	Setup           config.Setup     `json:"setup"`
	Ready           bool             `json:"ready"`
	Upload          string           `json:"upload"`
	MultipartUpload string           `json:"multipart_upload"`
	Requests        []RequestResult  `json:"requests"`
	Findings        []engine.Finding `json:"findings"`
	Suppressed      []engine.Finding `json:"suppressed,omitempty"`
	// Input is the rule input of this subject, with Options.KeepInput.
	Input *ruleinput.Input `json:"-"`
	// Value is Input as the engine saw it, composed from the documents
	// prepared once per run, with Options.KeepInput (a test compares it
	// with Input converted whole).
	Value engine.Value `json:"-"`
	// usedIgnores are the indexes of the suppression entries that covered
	// a finding of this subject (for ignore-stale).
	usedIgnores []int
}

// PrincipalInfo names the evaluated principal.
type PrincipalInfo struct {
	Type    string `json:"type"`
	ARN     string `json:"arn"`
	Name    string `json:"name"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Address string `json:"address,omitempty"`
}

// Report is a whole run.
type Report struct {
	Setup           config.Setup     `json:"setup"`
	Ready           bool             `json:"ready"`
	Upload          string           `json:"upload"`
	MultipartUpload string           `json:"multipart_upload"`
	Requests        []RequestResult  `json:"requests"`
	Findings        []engine.Finding `json:"findings"`
	Suppressed      []engine.Finding `json:"suppressed,omitempty"`
	// Baselined are the findings a --baseline file accepted (hidden from
	// Findings and the exit code; Ready is not changed), and Baseline that
	// file.
	Baselined   []engine.Finding `json:"baselined,omitempty"`
	Baseline    string           `json:"-"`
	Errors      []load.FileError `json:"errors"`
	NotChecked  []load.FileError `json:"not_checked"`
	Subjects    []*Subject       `json:"principals"`
	Assumptions []string         `json:"assumptions"`
}

// Run evaluates every subject of in concurrently with the one prepared query.
func Run(ctx context.Context, in *load.Input, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	setup := opts.Setup
	if setup.Auth == "" {
		setup.Auth = config.AuthRole
	}
	setup.Prefix = normalisePrefix(setup.Prefix)
	inferSetup(&setup, in)
	subs := subjects(in, &setup, opts.Profile)
	entries := suppress.FromConfig(setup.Ignore)
	inline, inlineErrs := inlineSuppressions(in)
	entries = append(entries, inline...)
	prepared, err := prepareDocs(subs, newFactSource(&setup, opts.Profile), opts.KeepInput)
	if err != nil {
		return nil, err
	}
	// The rules of a subject are spread over the cores the subjects leave
	// idle: a run of one subject (a directory of loose policies) uses them
	// all for its one evaluation.
	ruleWorkers := max(1, runtime.GOMAXPROCS(0)/max(1, len(subs)))
	results := make([]*Subject, len(subs))
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, s := range subs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = runSubject(ctx, s, in, setup, entries, opts, prepared, ruleWorkers)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	rep := &Report{Setup: setup, Errors: append(append([]load.FileError(nil), in.Errors...), inlineErrs...), NotChecked: in.NotChecked, Subjects: results, Assumptions: requestmodel.Assumptions}
	combine(rep)
	if err := reportStale(ctx, rep, entries, opts); err != nil {
		return nil, err
	}
	return rep, nil
}

// spreadRulesFrom is the number of statements from which a subject's rules
// are spread over idle cores. Preparing the per-rule queries costs about
// 5-6 ms once. Since the rules enter through the statements_with index they
// take about 7 µs a statement (63 ms on the 8,853 statements of the AWS
// managed policies), and on two cores the wall is action-too-broad's share
// (42 ms): spreading saves about a third, 2.4 µs a statement, so it pays
// from some 2,000 statements; a setup of a few policies never pays it.
const spreadRulesFrom = 2000

// statementCount is the number of statements of the subject's documents
// (a document the subject has twice counts twice).
func statementCount(s *subject) int {
	n := 0
	s.eachDocument(func(d *policy.Document) {
		if d != nil {
			n += len(d.Statements)
		}
	})
	return n
}

// inputValue converts the subject's rule input for the engine from its
// documents as prepared once per run (docValues, in the order of
// input.Documents) and the rest converted now.
func inputValue(input *ruleinput.Input, docValues []engine.Value) (engine.Value, error) {
	rest := *input
	rest.Documents = nil
	v, err := engine.Convert(&rest)
	if err != nil {
		return engine.Value{}, fmt.Errorf("building rule input: %w", err)
	}
	return v.With("documents", engine.Array(docValues)), nil
}

// reportStale adds the ignore-stale findings: entries naming an unknown
// rule or covering no finding of any subject. Whether an entry matched is
// known only once every subject's rules have run, so rule ignore-stale
// reads its input in a second, small evaluation of its own.
func reportStale(ctx context.Context, rep *Report, entries []suppress.Entry, opts Options) error {
	if len(entries) == 0 || !opts.Rules.Active(ruleIgnoreStale) {
		return nil
	}
	used := map[int]bool{}
	for _, s := range rep.Subjects {
		for _, i := range s.usedIgnores {
			used[i] = true
		}
	}
	var known []string
	for _, r := range opts.Engine.Rules() {
		known = append(known, r.ID)
	}
	stale := suppress.Stale(entries, used, known, opts.Rules.Active, opts.Now, opts.Partial)
	if len(stale) == 0 {
		return nil
	}
	fs, err := opts.Engine.Eval(ctx, map[string]any{"stale_ignores": stale})
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Rule == ruleIgnoreStale {
			rep.Findings = append(rep.Findings, f)
		}
	}
	engine.SortFindings(rep.Findings)
	return nil
}

// ruleIgnoreStale is the id of rules/general/ignore_stale.
const ruleIgnoreStale = "ignore-stale"

// combine folds the subjects into the top-level verdict: the best upload
// verdict among the candidates (allowed > unknown > denied), and ready only
// when that holds and no error finding remains anywhere — a second role that
// anyone can assume makes the account not ready.
func combine(rep *Report) {
	rep.Upload, rep.MultipartUpload = VerdictDenied, VerdictDenied
	if len(rep.Subjects) == 0 {
		rep.Upload, rep.MultipartUpload = VerdictUnknown, VerdictUnknown
	}
	rank := map[string]int{VerdictDenied: 0, VerdictUnknown: 1, VerdictAllowed: 2}
	errorsLeft := false
	for _, s := range rep.Subjects {
		if rank[s.Upload] > rank[rep.Upload] {
			rep.Upload = s.Upload
		}
		if rank[s.MultipartUpload] > rank[rep.MultipartUpload] {
			rep.MultipartUpload = s.MultipartUpload
		}
		rep.Requests = append(rep.Requests, s.Requests...)
		rep.Findings = append(rep.Findings, s.Findings...)
		rep.Suppressed = append(rep.Suppressed, s.Suppressed...)
		for _, f := range s.Findings {
			if f.Severity == "error" {
				errorsLeft = true
			}
		}
	}
	rep.Findings = dedupe(rep.Findings)
	rep.Suppressed = dedupe(rep.Suppressed)
	if len(rep.Subjects) == 1 {
		rep.Setup = rep.Subjects[0].Setup
	}
	rep.Ready = rep.Upload == VerdictAllowed && !errorsLeft
}

// dedupe drops findings repeated across subjects (a bucket-policy finding
// is found once per evaluated role).
func dedupe(fs []engine.Finding) []engine.Finding {
	seen := map[engine.Finding]bool{}
	out := fs[:0:0]
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	engine.SortFindings(out)
	return out
}

func runSubject(ctx context.Context, s *subject, in *load.Input, setup config.Setup, entries []suppress.Entry, opts Options, prepared preparedDocs, ruleWorkers int) (*Subject, error) {
	p := makePlan(s, in, &setup, opts.Profile)
	ev := &evaluator{prof: opts.Profile, now: opts.Now}
	reqs := ev.requests(s, p)
	wholeDecided := !anyUnknown(reqs)
	if opts.Partial {
		reqs = partialRequests(reqs, s.trust != nil)
		// A subset of the setup's files lacks documents by design: the
		// gaps a whole run reports (a named boundary or attached policy
		// not given) are not findings of a partial run.
		s.unresolved = nil
	}
	out := &Subject{Setup: setup, Requests: reqs}
	if s.principal != nil {
		out.Principal = &PrincipalInfo{Type: s.principal.Type, ARN: s.principal.ARN, Name: s.principal.Name,
			File: s.principal.File, Line: s.principal.Line, Address: s.principal.Address}
	}
	out.Upload, out.MultipartUpload = verdicts(reqs, ev.steps(p))
	// The policies may allow the upload while the credential itself cannot
	// sign it (access-key method): the verdict follows the credential, and
	// the request rows keep what the policies decide.
	if d, _ := accessKeyDecides(s, p); d != "" {
		out.Upload, out.MultipartUpload = capVerdict(out.Upload, d), capVerdict(out.MultipartUpload, d)
	}
	input, docValues := buildInput(s, in, p, &setup, opts.Profile, reqs, opts.Now, prepared)
	input.ExpiredIgnores = suppress.Expired(entries, opts.Now)
	if opts.Partial {
		input.Unresolved = partialUnresolved(input.Unresolved, wholeDecided, p)
	}
	input.TrustOutsiders = outsidersInput(trustOutsiders(s.trust, opts.Profile, requestmodel.Target{Account: p.account, OrgID: p.facts.OrgID,
		Tags: p.facts.Tags, TagsKnown: p.facts.TagsKnown}, p.roleARN, p.external, opts.Now))
	if opts.KeepInput {
		out.Input = input
	}
	value, err := inputValue(input, docValues)
	if err != nil {
		return nil, err
	}
	if opts.KeepInput {
		out.Value = value
	}
	if statementCount(s) < spreadRulesFrom {
		ruleWorkers = 1
	}
	findings, err := opts.Engine.EvalParallel(ctx, value, ruleWorkers)
	if err != nil {
		return nil, err
	}
	if out.Principal != nil {
		label := principalLabel(out.Principal)
		for i := range findings {
			if findings[i].Principal == "" {
				findings[i].Principal = label
			}
		}
		// The report is read by people and tools: never print the internal
		// marker of an unresolved ARN (a role a Terraform plan creates).
		if policy.IsUnknown(out.Principal.ARN) {
			out.Principal.ARN = "<unknown: " + policy.UnknownReason(out.Principal.ARN) + ">"
		}
	}
	findings = selected(findings, opts.Rules)
	out.Findings, out.Suppressed, out.usedIgnores = suppress.Apply(findings, entries, opts.Now)
	out.Upload, out.MultipartUpload = reconcile(out.Upload, out.MultipartUpload, out.Findings)
	hasError := false
	for _, f := range out.Findings {
		if f.Severity == "error" {
			hasError = true
		}
	}
	out.Ready = out.Upload == VerdictAllowed && !hasError
	return out, nil
}

func principalLabel(p *PrincipalInfo) string {
	if p.ARN != "" && !policy.IsUnknown(p.ARN) {
		return p.ARN
	}
	if p.Address != "" {
		return p.Address
	}
	return p.Type + "/" + p.Name
}

// verdicts combines requests: upload needs the assume-role step, the
// PutObject and kms:GenerateDataKey (where SSE-KMS applies) allowed from
// every source range; multipart also needs kms:Decrypt.
func verdicts(reqs []RequestResult, steps []requestmodel.Step) (upload, multipart string) {
	// Which verdict each request counts toward comes from the plan (the
	// calls' need in the profile), not from a list of ids here.
	countsToward := map[string]map[string]bool{}
	for _, st := range steps {
		for _, c := range st.Counts {
			if countsToward[c] == nil {
				countsToward[c] = map[string]bool{}
			}
			countsToward[c][st.ID] = true
		}
	}
	fold := func(ids map[string]bool) string {
		v := VerdictAllowed
		for _, r := range reqs {
			if !ids[r.ID] {
				continue
			}
			switch iam.Decision(r.Decision) {
			case iam.Allowed:
			case iam.Unknown:
				if v == VerdictAllowed {
					v = VerdictUnknown
				}
			default:
				v = VerdictDenied
			}
		}
		return v
	}
	return fold(countsToward[requestmodel.VerdictUpload]), fold(countsToward[requestmodel.VerdictMultipart])
}

// selected keeps the findings of the rules the run reports.
func selected(fs []engine.Finding, sel suppress.Selection) []engine.Finding {
	out := fs[:0]
	for _, f := range fs {
		if sel.Active(f.Rule) {
			out = append(out, f)
		}
	}
	return out
}

// makePlan fixes the caller, resources and KMS facts of one subject.
func makePlan(s *subject, in *load.Input, setup *config.Setup, prof *requestmodel.Profile) *plan {
	p := &plan{bucket: setup.Bucket, prefix: setup.Prefix, region: setup.Region, auth: setup.Auth,
		external: setup.Vendor.ExternalID, bucketAccount: setup.BucketAccount, accessKeyID: setup.AccessKeyID}
	if p.external == "" {
		p.external = prof.ExternalID
	}
	p.ranges = setup.Vendor.IPRanges
	if len(p.ranges) == 0 {
		p.ranges = prof.IPRanges
	}
	if len(p.ranges) == 0 {
		p.ranges = []string{""}
	}
	// The principal's own ARN wins, unless the input left it unresolved
	// (a plan that creates the role): then the configured ARN, which the
	// user will paste into Supermetrics, names it.
	arn := setup.RoleARN
	if setup.Auth == config.AuthAccessKey {
		arn = ""
	}
	if s.principal != nil && s.principal.ARN != "" && (arn == "" || !policy.IsUnknown(s.principal.ARN)) {
		arn = s.principal.ARN
	}
	parsed, _ := policy.ParseARN(arn)
	if setup.Auth == config.AuthAccessKey {
		if arn == "" && setup.User != "" {
			arn = policy.UnknownValue("account of user " + setup.User + " not known")
		}
		p.caller = iam.Caller{Type: iam.User, ARN: arn, Account: parsed.Account}
	} else {
		p.roleARN = arn
		p.caller = iam.Caller{Type: iam.RoleSession, ARN: arn, Account: parsed.Account,
			SessionARN: policy.UnknownValue("the vendor's role session name is not published")}
	}
	if s.principal != nil {
		p.caller.UniqueID = s.principal.ID
		if p.caller.Account == "" {
			p.caller.Account = s.principal.Account
		}
	}
	if p.caller.ARN == "" {
		p.caller.ARN = policy.UnknownValue("role ARN not configured")
	}
	if p.caller.Account == "" && setup.AccountID != "" {
		p.caller.Account = setup.AccountID
	}
	if p.caller.Account == "" {
		p.caller.Account = policy.UnknownValue("account not known")
	}
	p.account = p.caller.Account
	p.facts = principalFacts(s, in, setup, p.caller)
	p.kms = kmsFor(in, setup, p.caller)
	return p
}

// inferSetup fills unset setup fields that the inputs decide unambiguously,
// and records which.
func inferSetup(setup *config.Setup, in *load.Input) {
	if setup.Bucket == "" {
		names := map[string]bool{}
		for _, b := range in.Buckets {
			if b.Name != "" && !policy.IsUnknown(b.Name) {
				names[b.Name] = true
			}
		}
		if len(names) == 0 {
			for _, d := range allDocs(in) {
				for _, st := range d.Statements {
					if st.Effect != policy.Allow || !mentionsPut(st) {
						continue
					}
					for _, r := range st.Resource {
						if n := bucketOf(r); n != "" {
							names[n] = true
						}
					}
				}
			}
		}
		if len(names) == 1 {
			for n := range names {
				setup.Bucket = n
			}
			setup.Inferred = append(setup.Inferred, "bucket")
		}
	}
	inferPrefix(setup, in)
	if setup.Region == "" {
		for _, b := range in.Buckets {
			if b.Region != "" && (b.Name == "" || b.Name == setup.Bucket) {
				setup.Region = b.Region
				setup.Inferred = append(setup.Inferred, "region")
				break
			}
		}
	}
	sort.Strings(setup.Inferred)
}

// inferPrefix sets the upload folder when no prefix is configured and every
// Allow of s3:PutObject on the bucket names the same folder
// (arn:aws:s3:::BUCKET/FOLDER/*, no wildcard before the final "*"). Grants on
// several folders, on single keys or on the whole bucket leave it unset.
func inferPrefix(setup *config.Setup, in *load.Input) {
	if setup.Prefix != "" || setup.Bucket == "" {
		return
	}
	objects := "arn:aws:s3:::" + setup.Bucket + "/"
	folders := map[string]bool{}
	for _, d := range allDocs(in) {
		for _, st := range d.Statements {
			if st.Effect != policy.Allow || !mentionsPut(st) {
				continue
			}
			for _, r := range st.Resource {
				rest, ok := strings.CutPrefix(r, objects)
				if !ok {
					continue
				}
				folder, ok := strings.CutSuffix(rest, "*")
				if !ok || strings.ContainsAny(folder, "*?$") {
					return
				}
				folders[folder] = true
			}
		}
	}
	if len(folders) != 1 {
		return
	}
	for f := range folders {
		if f != "" && strings.HasSuffix(f, "/") {
			setup.Prefix = f
			setup.Inferred = append(setup.Inferred, "prefix")
		}
	}
}

func allDocs(in *load.Input) []*policy.Document {
	docs := append([]*policy.Document(nil), in.Documents...)
	for _, p := range in.Principals {
		docs = append(docs, p.Identity...)
	}
	return docs
}

var putObjectAction = newProbeAction("s3:PutObject")

func mentionsPut(st *policy.Statement) bool {
	for _, a := range st.Action {
		if a != "*" && a != "s3:*" && patternMatches(a, putObjectAction) {
			return true
		}
	}
	return false
}

// bucketOf returns the bucket named by an S3 object or bucket ARN without
// wildcards in the bucket name, or "".
func bucketOf(arn string) string {
	a, ok := policy.ParseARN(arn)
	if !ok || a.Partition != "aws" || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return ""
	}
	name, _, _ := strings.Cut(a.Resource, "/")
	if name == "" || strings.ContainsAny(name, "*?$") {
		return ""
	}
	return name
}
