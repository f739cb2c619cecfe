package iam

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// Evaluate decides one request against every document that applies to it,
// following the IAM policy evaluation logic
// (reference_policies_evaluation-logic.html; IAM-FACTS §2.4, §2.5):
//
//  1. An explicit Deny that matches in any document (identity, resource,
//     boundary, SCP) decides: ExplicitDeny, with that statement in Because.
//  2. SCPs, when given: some SCP Allow must match. "If the enforcement code
//     does not find any applicable Allow statements in the SCPs, the request
//     is explicitly denied, even if the denial is implicit": ExplicitDeny with
//     a Reason and no statement. SCP documents without a single Allow
//     statement are taken to sit beside the default FullAWSAccess SCP, which
//     AWS attaches to every root, OU and account unless removed (an export
//     of deny-list SCPs usually leaves it out).
//  3. A permissions boundary, when given: some boundary Allow must match.
//  4. The grant, by Mode: SameAccount, identity Allow or resource Allow (a
//     resource Allow that names the caller only through its account delegates
//     to the identity policies); CrossAccount, identity Allow and resource
//     Allow; ResourceMustAllow, a resource Allow naming the caller, or one
//     naming its account together with an identity Allow. In SameAccount, a
//     resource Allow naming the IAM user or the role session ARN is "not
//     limited by an implicit deny in an identity-based policy [or] a
//     permissions boundary"; one naming the role ARN is limited by the
//     boundary.
//
// Answers are three-valued and ordered from most to least informative safe
// answer: ExplicitDeny, then ImplicitDeny (no Allow can match, whatever an
// undecided Deny does), then Unknown (some match is undecided), then Allowed.
//
// Documents that IAM would reject (policy.Document.Invalid) grant nothing
// but their Deny statements count. An unresolved document (Unresolved != "")
// may allow or deny anything it could: it makes an otherwise Allowed answer
// Unknown. A document with duplicate JSON keys (Alternate != nil) is decided
// under both readings; when they disagree the answer is Unknown (SPEC §4).
func Evaluate(req Request, set PolicySet) Result {
	return evaluate(req, set, nil)
}

// evaluate is Evaluate recording the trace in tr when it is not nil.
func evaluate(req Request, set PolicySet, tr *tracer) Result {
	if len(set.SCPUnplaced) > 0 {
		return evaluateUnplaced(req, set, tr)
	}
	return evaluateReadings(req, set, tr)
}

// evaluateReadings decides one request under both readings of documents with
// duplicate keys.
func evaluateReadings(req Request, set PolicySet, tr *tracer) Result {
	var dups []*policy.Document
	for _, d := range allDocs(set) {
		if d != nil && d.Alternate != nil {
			dups = append(dups, d)
		}
	}
	first := evaluateOnce(req, set, tr)
	if len(dups) == 0 {
		return first
	}
	alt := set
	swap := func(ds []*policy.Document) []*policy.Document {
		out := make([]*policy.Document, len(ds))
		for i, d := range ds {
			out[i] = d
			if d != nil && d.Alternate != nil {
				out[i] = d.Alternate
			}
		}
		return out
	}
	alt.Identity, alt.Resource, alt.Boundary, alt.SCP = swap(set.Identity), swap(set.Resource), swap(set.Boundary), swap(set.SCP)
	alt.SCPLevels = make([][]*policy.Document, len(set.SCPLevels))
	for i, l := range set.SCPLevels {
		alt.SCPLevels[i] = swap(l)
	}
	second := evaluateOnce(req, alt, tr)
	if first.Decision == second.Decision {
		return first
	}
	names := make([]string, len(dups))
	for i, d := range dups {
		names[i] = docLabel(d)
	}
	res := Result{
		Decision: Unknown,
		Because:  append(append([]Match(nil), first.Because...), second.Because...),
		Reasons: append([]Reason{why(CodeReadingsDiffer, KindDocument, fmt.Sprintf(
			"duplicate JSON keys in %s: with the first copy of each key the request is %s, with the last copy %s",
			strings.Join(names, ", "), first.Decision, second.Decision))},
			append(first.Reasons, second.Reasons...)...),
	}
	return res
}

func allDocs(set PolicySet) []*policy.Document {
	var out []*policy.Document
	out = append(out, set.Identity...)
	out = append(out, set.Resource...)
	out = append(out, set.Boundary...)
	out = append(out, set.SCP...)
	for _, l := range set.SCPLevels {
		out = append(out, l...)
	}
	out = append(out, set.SCPUnplaced...)
	return out
}

// tally collects the statement matches of one category of documents.
type tally struct {
	allowTrue  []Match
	allowMaybe []Match
	allow      Tri // OR over Allow statements (and unresolved documents)
	// Resource policies only: the allow split by how the principal matched.
	direct, unbounded, viaAccount Tri
	hasAllow                      bool // some resolved document has an Allow statement
}

func evaluateOnce(req Request, set PolicySet, tr *tracer) Result {
	var denyTrue, denyMaybe []Match
	var reasons []Reason
	record := tr != nil && !tr.done
	if tr != nil {
		tr.done = true
	}

	scan := func(docs []*policy.Document, resourcePolicy bool) tally {
		tl := tally{allow: False, direct: False, unbounded: False, viaAccount: False}
		for _, d := range docs {
			if d == nil {
				continue
			}
			if d.Unresolved != "" {
				// It could deny or allow anything.
				reasons = append(reasons, why(CodeDocumentUnknown, KindDocument, fmt.Sprintf("%s is not known: %s", docLabel(d), d.Unresolved)))
				denyMaybe = append(denyMaybe, Match{Document: d, Result: Maybe})
				tl.allow = or(tl.allow, Maybe)
				tl.direct = or(tl.direct, Maybe)
				continue
			}
			invalid := d.Invalid()
			for _, st := range d.Statements {
				if st == nil {
					continue
				}
				if st.Effect == policy.Allow {
					// Counted even in an invalid document: an allow-list SCP
					// that IAM would reject is no reason to assume
					// FullAWSAccess.
					tl.hasAllow = true
				}
				var trace *StatementTrace
				if record {
					tr.stmts = append(tr.stmts, StatementTrace{Document: d, Statement: st})
					trace = &tr.stmts[len(tr.stmts)-1]
				}
				if resourcePolicy && st.Effect == policy.Deny && st.NotPrincipal != nil && len(set.Boundary) > 0 {
					// "a resource-based policy statement with Deny and
					// NotPrincipal will always deny any IAM principal that
					// has a permissions boundary policy attached"
					// (reference_policies_elements_notprincipal.html):
					// the listed exceptions do not spare the caller.
					spared := *st
					spared.NotPrincipal = nil
					spared.Principal = &policy.Principal{Wildcard: true}
					st = &spared
				}
				t, kind, whys := matchStatement(d, st, req, resourcePolicy, trace)
				if t == False {
					continue
				}
				m := Match{Document: d, Statement: st, Result: t}
				if t == Maybe {
					for _, w := range whys {
						reasons = append(reasons, prefixed(stmtLabel(d, st), w))
					}
				}
				effect := st.Effect
				if isUnknown(string(effect)) {
					// It may deny; it may also allow.
					denyMaybe = append(denyMaybe, Match{Document: d, Statement: st, Result: Maybe})
					if !invalid {
						tl.allowMaybe = append(tl.allowMaybe, m)
						tl.allow = or(tl.allow, Maybe)
						tl.direct = or(tl.direct, Maybe)
					}
					continue
				}
				switch effect {
				case policy.Deny:
					if t == True {
						denyTrue = append(denyTrue, m)
					} else {
						denyMaybe = append(denyMaybe, m)
					}
				case policy.Allow:
					if invalid {
						// IAM would reject the document: its Allow grants nothing.
						continue
					}
					if t == True {
						tl.allowTrue = append(tl.allowTrue, m)
					} else {
						tl.allowMaybe = append(tl.allowMaybe, m)
					}
					tl.allow = or(tl.allow, t)
					switch {
					case !resourcePolicy:
					case kind == kindAccount:
						tl.viaAccount = or(tl.viaAccount, t)
					case kind == kindUser || kind == kindSession:
						tl.unbounded = or(tl.unbounded, t)
						tl.direct = or(tl.direct, t)
					default:
						tl.direct = or(tl.direct, t)
					}
				}
			}
		}
		return tl
	}

	id := scan(set.Identity, false)
	rs := scan(set.Resource, true)
	bd := scan(set.Boundary, false)
	var scps []tally
	levels := scpLevels(set)
	for _, l := range levels {
		scps = append(scps, scan(l.docs, false))
	}

	if len(denyTrue) > 0 {
		return Result{Decision: ExplicitDeny, Because: denyTrue}
	}

	idAllow := id.allow
	if set.IdentityOutsideView {
		idAllow = True
	}
	boundaryOK := True
	if len(set.Boundary) > 0 {
		boundaryOK = bd.allow
	}
	scpOK := True
	failedLevel := ""
	for i, l := range levels {
		ok := scps[i].allow
		if !scps[i].hasAllow && !l.complete {
			// Deny-only SCPs: FullAWSAccess is assumed attached too.
			ok = or(ok, True)
		}
		if ok == False && failedLevel == "" {
			failedLevel = l.name
		}
		scpOK = and(scpOK, ok)
	}

	var grant Tri
	switch set.Mode {
	case CrossAccount:
		grant = and(idAllow, or(rs.direct, rs.viaAccount), boundaryOK)
	case ResourceMustAllow:
		// A key policy naming the user or the role session is, like any
		// same-account resource policy, not limited by the boundary
		// (reference_policies_evaluation-logic.html); trust policies are
		// evaluated for a caller from another account, with no boundary.
		grant = or(and(or(rs.direct, and(rs.viaAccount, idAllow)), boundaryOK), rs.unbounded)
	default: // SameAccount
		grant = or(and(or(idAllow, rs.direct), boundaryOK), rs.unbounded)
	}
	allow := and(grant, scpOK)

	if scpOK == False {
		where := ""
		if len(levels) > 1 || failedLevel != "SCPs" {
			where = " at level " + failedLevel
		}
		return Result{Decision: ExplicitDeny, Reasons: []Reason{why(CodeSCPNoAllow, KindSCP,
			fmt.Sprintf("no SCP%s allows %s: AWS then denies the request explicitly", where, req.Action))}}
	}
	if allow == False {
		return Result{Decision: ImplicitDeny}
	}
	if allow == Maybe || len(denyMaybe) > 0 {
		var because []Match
		because = append(because, denyMaybe...)
		for _, t := range append([]tally{id, rs, bd}, scps...) {
			because = append(because, t.allowMaybe...)
		}
		if len(reasons) == 0 {
			reasons = []Reason{why(CodeUndecided, KindEvaluation, "some statement's match cannot be decided")}
		}
		return Result{Decision: Unknown, Because: because, Reasons: dedupe(reasons)}
	}
	var because []Match
	for _, t := range append([]tally{id, rs, bd}, scps...) {
		because = append(because, t.allowTrue...)
	}
	return Result{Decision: Allowed, Because: because}
}

func docLabel(d *policy.Document) string {
	s := d.Kind
	label := string(s) + " policy"
	if d.Name != "" {
		label += " " + d.Name
	}
	if d.File != "" {
		label += fmt.Sprintf(" (%s:%d)", d.File, d.Line)
	}
	return label
}

func stmtLabel(d *policy.Document, st *policy.Statement) string {
	l := docLabel(d) + " statement"
	if st.Sid != "" {
		l += " " + st.Sid
	} else {
		l += fmt.Sprintf(" #%d", st.Index+1)
	}
	if st.Line > 0 && d.File != "" {
		l += fmt.Sprintf(" (line %d)", st.Line)
	}
	return l
}
