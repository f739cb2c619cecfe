package check

import (
	"strings"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// RequestResult is one evaluated vendor request (SPEC §4 "requests").
type RequestResult struct {
	ID        string    `json:"id"`
	Action    string    `json:"action"`
	Resource  string    `json:"resource"`
	Principal string    `json:"principal"`
	SourceIP  string    `json:"source_ip"`
	Decision  string    `json:"decision"`
	Because   []Because `json:"because"`
	// Reasons are the texts of Why, for reports.
	Reasons []string `json:"reasons,omitempty"`
	// ReasonCodes are the codes of Why, once each in order, for pipelines
	// that read the JSON report (docs/json-report.md).
	ReasonCodes []string `json:"reason_codes,omitempty"`
	// Why explains the decision with codes (reasons.go, internal/iam
	// reason.go), which rules and Go read instead of the English text.
	// Set both with explain.
	Why []iam.Reason `json:"-"`
	// Trace is how each statement met the request (iam.EvaluateTraced),
	// for every request the evaluation core decided.
	Trace []iam.StatementTrace `json:"-"`
	kms   *kmsDetail           // KMS requests: what each policy says (kms.go)
}

// Because is a statement that decided a request.
type Because struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Sid    string `json:"sid"`
	Effect string `json:"effect"`
	Kind   string `json:"kind"`
	Name   string `json:"name,omitempty"`
	doc    *policy.Document
}

// plan is the request set of one subject, with what each request needs.
type plan struct {
	caller iam.Caller
	// facts are the caller's organization and tags (requestmodel.Principal).
	facts   requestmodel.Principal
	roleARN string
	account string
	bucket  string
	prefix  string
	region  string
	kms     kmsPlan
	ranges  []string // "" alone when no vendor ranges are configured
	// bucketAccount owns the bucket when it differs from the caller's
	// account (then identity and bucket policy must both allow).
	bucketAccount string
	auth          string
	external      string
	accessKeyID   string // access-key method: the key the user hands over
}

// objectARN is the object resource the vendor writes: every key under the
// prefix (iam.AnyKey stands for "any continuation", so an Allow must cover
// all of them).
func objectARN(bucket, prefix string) string {
	return "arn:aws:s3:::" + bucket + "/" + prefix + iam.AnyKey
}

// normalisePrefix: the object resource the vendor writes: every key under the
// prefix. Normalised as Supermetrics' upload path: no leading slash, a
// trailing slash when non-empty.
func normalisePrefix(p string) string {
	p = strings.TrimLeft(p, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// evaluator runs the request model against one subject.
type evaluator struct {
	prof *requestmodel.Profile
	now  time.Time
}

// steps is the request plan of one subject (requestmodel.Plan): the same
// plan simulate cross-checks.
func (ev *evaluator) steps(p *plan) []requestmodel.Step {
	return ev.prof.Plan(requestmodel.PlanFor{RoleMethod: p.auth == config.AuthRole, Ranges: p.ranges, KMS: p.kms.applies})
}

// requests decides every step of the plan.
func (ev *evaluator) requests(s *subject, p *plan) []RequestResult {
	var out []RequestResult
	for _, st := range ev.steps(p) {
		call := requestmodel.Call{ID: st.ID, Action: st.Action, On: st.On, Need: st.Need}
		switch st.On {
		case requestmodel.OnRole:
			out = append(out, ev.assumeRole(s, p, st.SourceRange))
		case requestmodel.OnKey:
			out = append(out, ev.kmsCall(s, p, call))
		default:
			out = append(out, ev.s3(s, p, call, st.SourceRange))
		}
	}
	return out
}

func (ev *evaluator) assumeRole(s *subject, p *plan, srcIP string) RequestResult {
	rr := RequestResult{ID: requestmodel.AssumeRoleID, Action: ev.prof.AssumeAction, Resource: p.roleARN,
		Principal: ev.prof.PrincipalARN, SourceIP: srcIP}
	if rr.Resource == "" {
		rr.Resource = policy.UnknownValue("role ARN not configured")
	}
	if s.trust == nil {
		rr.Decision = string(iam.Unknown)
		rr.explain(reason(ReasonMissingDocument, iam.KindDocument, "no trust policy was given for the role"))
		return rr
	}
	req := iam.Request{
		Action:   ev.prof.AssumeAction,
		Resource: rr.Resource,
		Caller:   requestmodel.VendorCaller(ev.prof),
		Context: requestmodel.AssumeRoleContext(ev.prof, requestmodel.Target{Account: p.account, OrgID: p.facts.OrgID,
			Tags: p.facts.Tags, TagsKnown: p.facts.TagsKnown}, p.external, srcIP, ev.now),
	}
	set := iam.PolicySet{Resource: []*policy.Document{s.trust}, Mode: iam.ResourceMustAllow, IdentityOutsideView: true}
	res, trace := iam.EvaluateTraced(req, set)
	rr.Trace = trace
	return fill(rr, res)
}

func (ev *evaluator) s3(s *subject, p *plan, call requestmodel.Call, srcIP string) RequestResult {
	rr := RequestResult{ID: call.ID, Action: call.Action, Principal: p.caller.ARN, SourceIP: srcIP}
	if p.bucket == "" {
		rr.Resource = policy.UnknownValue("bucket not configured")
		rr.Decision = string(iam.Unknown)
		rr.explain(reason(ReasonNotConfigured, kindSetup, "the bucket is not configured (--bucket) and could not be inferred"))
		return rr
	}
	bucketARN := "arn:aws:s3:::" + p.bucket
	if call.On == "object" {
		rr.Resource = objectARN(p.bucket, p.prefix)
	} else {
		rr.Resource = bucketARN
	}
	if !s.complete && len(s.identity) == 0 && len(s.bucket) == 0 {
		rr.Decision = string(iam.Unknown)
		rr.explain(reason(ReasonMissingDocument, iam.KindDocument, "no permission policy or bucket policy was given"))
		return rr
	}
	sendsKey := ""
	if p.kms.sendsKey {
		sendsKey = p.kms.keyARN
	}
	req := iam.Request{
		Action:   call.Action,
		Resource: rr.Resource,
		Caller:   p.caller,
		Context: requestmodel.S3Context(p.facts, requestmodel.S3Call{Action: call.Action, Bucket: p.bucket,
			Prefix: p.prefix, KMSKeyARN: sendsKey, Region: p.region, BucketAccount: p.bucketAccount}, srcIP, ev.now),
	}
	mode := iam.SameAccount
	if p.bucketAccount != "" && p.account != "" && p.bucketAccount != p.account {
		mode = iam.CrossAccount
	}
	set := iam.PolicySet{Identity: s.identity, Resource: s.bucket, Boundary: s.boundary, Mode: mode}
	s.withSCPs(&set)
	res, trace := s.evaluateTraced(req, set)
	rr.Trace = trace
	return fill(rr, res)
}

// withSCPsSet is set with the subject's SCPs.
func (s *subject) withSCPsSet(set iam.PolicySet) iam.PolicySet {
	s.withSCPs(&set)
	return set
}

// withSCPs puts the subject's SCPs, by level, into set.
func (s *subject) withSCPs(set *iam.PolicySet) {
	if s.scps == nil {
		set.SCP = s.scp
		return
	}
	set.SCPLevels, set.SCPLevelNames, set.SCPLevelComplete = s.scps.levels, s.scps.names, s.scps.complete
	set.SCPUnplaced = s.scps.unplaced
}

func fill(rr RequestResult, res iam.Result) RequestResult {
	rr.Decision = string(res.Decision)
	rr.explain(res.Reasons...)
	for _, m := range res.Because {
		b := Because{doc: m.Document}
		if m.Statement != nil {
			b.Line, b.Sid, b.Effect = m.Statement.Line, m.Statement.Sid, string(m.Statement.Effect)
		} else if m.Document != nil {
			// A whole document that is not known (a Terraform policy known
			// only after apply) may apply: iam.Evaluate names the document
			// without a statement.
			b.Line = m.Document.Line
		}
		if m.Document != nil {
			b.File, b.Kind, b.Name = m.Document.File, string(m.Document.Kind), m.Document.Name
		}
		rr.Because = append(rr.Because, b)
	}
	return rr
}

// accessKeyDecides answers the access-key method's requests before any
// policy is read when the configured key itself decides them: AWS refuses
// every request signed with an Inactive key (IAM "Managing access keys for
// IAM users": an inactive key "can't be used to make calls"), and a key
// that the listing shows is not the user's signs as someone whose policies
// were not checked.
func accessKeyDecides(s *subject, p *plan) (iam.Decision, string) {
	if p.auth != config.AuthAccessKey || s.principal == nil || p.accessKeyID == "" {
		return "", ""
	}
	pr := s.principal
	for _, k := range pr.AccessKeys {
		if k.ID == p.accessKeyID && k.Status == "Inactive" {
			return iam.ImplicitDeny, "access key " + k.ID + " is Inactive: AWS refuses every request signed with it"
		}
		if k.ID == p.accessKeyID {
			return "", ""
		}
	}
	if pr.AccessKeysListed {
		return iam.Unknown, "access key " + p.accessKeyID + " is not one of " + pr.Name + "'s keys: its requests are made as a principal whose policies were not checked"
	}
	return "", ""
}

// capVerdict lowers a verdict to what the credential allows: denied when
// AWS refuses the key, unknown at best when the key's owner was not checked.
func capVerdict(v string, d iam.Decision) string {
	switch {
	case d == iam.ImplicitDeny || d == iam.ExplicitDeny:
		return VerdictDenied
	case d == iam.Unknown && v == VerdictAllowed:
		return VerdictUnknown
	}
	return v
}

// principalFacts are what the request context takes from the customer's
// role or user besides its identity (SPEC §1): the customer's organization
// id (setup organization_id, else the one organizations describe-organization
// output among the inputs names) and the principal's tags (from its export,
// else from the only list-role-tags / list-user-tags output when there is one
// subject to give it to).
func principalFacts(s *subject, in *load.Input, setup *config.Setup, caller iam.Caller) requestmodel.Principal {
	f := requestmodel.Principal{Caller: caller, OrgID: setup.OrganizationID}
	if f.OrgID == "" {
		for _, o := range in.Organizations {
			if f.OrgID != "" && f.OrgID != o.ID {
				f.OrgID = "" // two organizations: which is the account's is not known
				break
			}
			f.OrgID = o.ID
		}
	}
	switch {
	case s.principal != nil && s.principal.TagsKnown:
		f.Tags, f.TagsKnown = s.principal.Tags, true
	case len(in.TagLists) == 1 && s.soleSubject:
		f.Tags, f.TagsKnown = in.TagLists[0].Tags, !in.TagLists[0].Truncated
	case s.principal != nil:
		f.Tags = s.principal.Tags
	}
	return f
}
