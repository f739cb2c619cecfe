package check

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
)

// get-policy-version output ({"PolicyVersion": {"Document", "VersionId",
// "IsDefaultVersion", "CreateDate"}}) carries no ARN. Next to a role that
// names a permissions boundary whose document the run does not otherwise
// hold, such a file may be that boundary or an attached policy, and the two
// readings can decide differently (a boundary only caps, an attached policy
// grants: "Permissions boundaries for IAM entities",
// access_policies_boundaries.html). It is matched when something in the run
// says which (--boundary / --policy force the kind; an iam get-policy output
// whose DefaultVersionId pairs it with an ARN, in load.join; an empty
// list-attached-role-policies output: the role has no attached policy, so the
// file can only be the boundary); otherwise both readings are evaluated.

// asBoundary is d read as a permissions boundary.
func asBoundary(d *policy.Document) *policy.Document {
	b := *d
	b.Kind = policy.Boundary
	if d.Alternate != nil {
		alt := *d.Alternate
		alt.Kind = policy.Boundary
		b.Alternate = &alt
	}
	return &b
}

// versions places the run's get-policy-version documents for the subject's
// principal, and records managed policies that list-attached-role-policies
// names but the run lacks.
func (s *subject) versions(vs []*load.PolicyVersion, loose *subject, in *load.Input) {
	p := s.principal
	boundaryKnown := p.Boundary != nil || len(loose.boundary) > 0
	var unnamed []*load.PolicyVersion
	unnamedIdentity := 0
	for _, v := range vs {
		switch {
		case v.Doc.ARN != "" && v.Doc.ARN == p.BoundaryARN:
			if !boundaryKnown {
				s.boundary = append(s.boundary, asBoundary(v.Doc))
				boundaryKnown = true
			}
		case v.Doc.ARN != "":
			s.identity = append(s.identity, v.Doc)
		case p.BoundaryARN == "" || boundaryKnown:
			s.identity = append(s.identity, v.Doc)
			unnamedIdentity++
		default:
			unnamed = append(unnamed, v)
		}
	}
	switch {
	case len(unnamed) == 1 && in.AttachmentLists > 0 && len(in.Attachments) == 0:
		// list-attached-role-policies lists no attached policy: the file
		// can only be the boundary.
		s.boundary = append(s.boundary, asBoundary(unnamed[0].Doc))
	default:
		for _, v := range unnamed {
			s.ambiguous = append(s.ambiguous, v.Doc)
			unnamedIdentity++
			s.unresolved = append(s.unresolved, load.Unresolved{File: v.File, Line: v.Line,
				What: "which managed policy " + v.File + " (get-policy-version " + v.VersionID + ") holds",
				Reason: fmt.Sprintf("the output carries no ARN, and %s/%s names the permissions boundary %s, which the run does not otherwise hold: "+
					"the file may be that boundary or an attached policy, and the requests on which the two readings disagree are unknown. "+
					"Say which: --boundary %s (or --policy %s), or add `aws iam get-policy --policy-arn %s` output (its DefaultVersionId pairs it with the file), "+
					"or `aws iam list-attached-role-policies --role-name %s` output",
					p.Type, p.Name, p.BoundaryARN, v.File, v.File, p.BoundaryARN, p.Name)})
		}
	}
	s.missingAttachments(in, unnamedIdentity)
}

// missingAttachments: the managed policies a list-attached-role-policies
// output names (for the one principal of the run) whose documents are not
// among the inputs. Version files without an ARN may be any of them, so only
// the attachments that outnumber them are certainly missing.
func (s *subject) missingAttachments(in *load.Input, unnamed int) {
	have := map[string]bool{}
	for _, d := range s.identity {
		if d.ARN != "" {
			have[d.ARN] = true
		}
	}
	for _, d := range s.ambiguous {
		if d.ARN != "" {
			have[d.ARN] = true
		}
	}
	var missing []load.Attachment
	seen := map[string]bool{}
	for _, a := range in.Attachments {
		if a.PolicyARN == "" || have[a.PolicyARN] || seen[a.PolicyARN] {
			continue
		}
		seen[a.PolicyARN] = true
		missing = append(missing, a)
	}
	if len(missing) <= unnamed {
		return
	}
	owner := s.principal.Type + "/" + s.principal.Name
	var arns []string
	for _, a := range missing {
		arns = append(arns, a.PolicyARN)
	}
	for i := unnamed; i < len(missing); i++ {
		a := missing[i]
		label := a.PolicyARN
		if unnamed > 0 {
			label = "one of " + strings.Join(arns, ", ")
		}
		s.identity = append(s.identity, missingDoc(policy.Identity, a.PolicyARN, label, a.File, a.Line,
			"the managed policy "+label+" attached to "+owner+" is not among the inputs"))
		s.unresolved = append(s.unresolved, load.Unresolved{File: a.File, Line: a.Line,
			What: "the managed policy " + label + " attached to " + owner,
			Reason: "list-attached-role-policies names it, but its document is not among the inputs, so what it allows or denies is not known; " +
				exportCommands(a.PolicyARN)})
	}
}

// evaluate decides req under every reading of the subject's ambiguous
// version files: all of them attached policies (the boundary then stays
// unknown), or each in turn the boundary. When the readings disagree the
// answer is unknown.
func (s *subject) evaluate(req iam.Request, set iam.PolicySet) iam.Result {
	return s.evaluateWith(req, set, iam.Evaluate)
}

// evaluateTraced is evaluate with the trace of the first reading (every
// reading matches the same statements the same way; only which of them
// counts as the boundary differs).
func (s *subject) evaluateTraced(req iam.Request, set iam.PolicySet) (iam.Result, []iam.StatementTrace) {
	var trace []iam.StatementTrace
	res := s.evaluateWith(req, set, func(req iam.Request, set iam.PolicySet) iam.Result {
		res, tr := iam.EvaluateTraced(req, set)
		trace = tr
		return res
	})
	return res, trace
}

// evaluateWith is evaluate with first deciding the first reading.
func (s *subject) evaluateWith(req iam.Request, set iam.PolicySet, first func(iam.Request, iam.PolicySet) iam.Result) iam.Result {
	if len(s.ambiguous) == 0 {
		return first(req, set)
	}
	asIdentity := set
	asIdentity.Identity = append(append([]*policy.Document(nil), set.Identity...), s.ambiguous...)
	return s.evaluateReadings(req, set, first(req, asIdentity))
}

// evaluateReadings decides req with each ambiguous version file read as the
// boundary, against first, the answer with all of them attached policies.
func (s *subject) evaluateReadings(req iam.Request, set iam.PolicySet, first iam.Result) iam.Result {
	for i, d := range s.ambiguous {
		b := set
		b.Identity = append([]*policy.Document(nil), set.Identity...)
		for j, o := range s.ambiguous {
			if j != i {
				b.Identity = append(b.Identity, o)
			}
		}
		b.Boundary = []*policy.Document{asBoundary(d)}
		r := iam.Evaluate(req, b)
		if r.Decision != first.Decision {
			return iam.Result{Decision: iam.Unknown, Because: append(append([]iam.Match(nil), first.Because...), r.Because...),
				Reasons: append([]iam.Reason{reason(ReasonVersionReadings, iam.KindDocument, fmt.Sprintf(
					"%s (get-policy-version output without an ARN) may be the permissions boundary %s or an attached policy: "+
						"read as the boundary the request is %s, read as an attached policy it is %s; say which with --boundary or --policy, "+
						"or add `aws iam get-policy --policy-arn ARN` output",
					d.File, s.principal.BoundaryARN, r.Decision, first.Decision))}, append(first.Reasons, r.Reasons...)...)}
		}
	}
	return first
}
