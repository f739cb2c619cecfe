package iam

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// MatchStatement reports whether a statement applies to a request: its
// Effect is Allow or Deny, and Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal (only when resourcePolicy is true) and Condition all
// match (Kleene AND: False dominates, then Maybe). viaAccount is true when the
// Principal matched only through the caller's account (see MatchPrincipal).
// reasons explain a Maybe.
//
// A required element that is missing (IAM rejects such a statement) makes an
// Allow match nothing and a Deny Maybe, so that a broken document never
// produces Allowed. A trust policy has no Resource element
// (reference_policies_elements_resource.html: role trust policies do not
// take one); there a missing Resource matches.
func MatchStatement(doc *policy.Document, st *policy.Statement, req Request, resourcePolicy bool) (Tri, bool, []Reason) {
	t, k, reasons := matchStatement(doc, st, req, resourcePolicy, nil)
	return t, t != False && k == kindAccount, reasons
}

// matchStatement is MatchStatement with the principal kind. When tr is not
// nil it records each element's answer there, and evaluates every condition
// (not only up to the first false one) so that the trace has them all.
func matchStatement(doc *policy.Document, st *policy.Statement, req Request, resourcePolicy bool, tr *StatementTrace) (Tri, principalKind, []Reason) {
	if doc == nil || st == nil {
		return False, kindNone, nil
	}
	var reasons []Reason
	out := True
	stop := func(at ReasonKind) (Tri, principalKind, []Reason) {
		if tr != nil {
			tr.Result, tr.StoppedAt, tr.Reasons = False, at, nil
		}
		return False, kindNone, nil
	}
	if isUnknown(string(st.Effect)) {
		// An unresolved Effect may be Deny: match as a Deny would, and
		// never better than Maybe.
		out = Maybe
		reasons = append(reasons, why(CodeValueUnknown, KindEffect, "Effect "+unknownWhy(string(st.Effect))))
		cp := *st
		cp.Effect = policy.Deny
		st = &cp
	} else if st.Effect != policy.Allow && st.Effect != policy.Deny {
		return stop(KindEffect)
	}
	add := func(t Tri, why ...Reason) bool {
		switch t {
		case False:
			out = False
			return false
		case Maybe:
			out = Maybe
			for _, w := range why {
				if w.Code != "" {
					reasons = append(reasons, w)
				}
			}
		}
		return true
	}
	missing := func(elem string, kind ReasonKind) Tri {
		if st.Effect == policy.Deny {
			reasons = append(reasons, why(CodeElementMissing, kind, "Deny statement without "+elem+": IAM rejects it, and what it was meant to deny is not known"))
			return Maybe
		}
		return False
	}

	// Action / NotAction (reference_policies_elements_action.html, ..._notaction.html).
	var action Tri
	switch {
	case st.Action != nil:
		t := False
		for _, a := range st.Action {
			t = or(t, MatchAction(a, req.Action))
		}
		action = t
		add(t, actionWhy(st.Action, t))
	case st.NotAction != nil:
		t := False
		for _, a := range st.NotAction {
			t = or(t, MatchAction(a, req.Action))
		}
		action = not(t)
		add(action, actionWhy(st.NotAction, t))
	default:
		action = missing("Action", KindAction)
		add(action)
	}
	if tr != nil {
		tr.Action = action
	}
	if action == False {
		return stop(KindAction)
	}

	// Resource / NotResource (reference_policies_elements_resource.html,
	// ..._notresource.html), with policy variables.
	resource := True
	switch {
	case st.Resource != nil:
		t, whys := matchResources(st.Resource, req, doc.Version, st.Effect, false)
		resource = t
		add(t, whys...)
	case st.NotResource != nil:
		t, whys := matchResources(st.NotResource, req, doc.Version, st.Effect, true)
		resource = t
		add(t, whys...)
	case doc.Kind == policy.Trust:
		// Trust policies name no Resource: the role itself is the resource.
	default:
		resource = missing("Resource", KindResource)
		add(resource)
	}
	if tr != nil {
		tr.Resource = resource
	}
	if resource == False {
		return stop(KindResource)
	}

	// Principal / NotPrincipal, only in resource-based policies.
	kind := kindNone
	if resourcePolicy {
		var t Tri
		switch {
		case st.Principal != nil:
			var whys []Reason
			t, kind, whys = matchPrincipal(st.Principal, req.Caller)
			add(t, whys...)
		case st.NotPrincipal != nil:
			t = MatchNotPrincipal(st.NotPrincipal, req.Caller)
			kind = kindWildcard
			add(t, why(CodeNotPrincipalUndecided, KindPrincipal, "NotPrincipal may list every identity AWS checks for the caller (account, role, role session), but that cannot be decided: the role session name or the caller's ARN is not known (reference_policies_elements_notprincipal.html)"))
		default:
			t = missing("Principal", KindPrincipal)
			add(t)
		}
		if tr != nil {
			tr.Principal, tr.PrincipalResult = kind.match(), t
		}
		if t == False {
			return stop(KindPrincipal)
		}
	}

	// Condition.
	var t Tri
	var whys []Reason
	if tr != nil {
		t, whys, tr.Conditions = traceConditions(st.Condition, req.Context, doc.Version, st.Effect)
	} else {
		t, whys = EvalConditions(st.Condition, req.Context, doc.Version, st.Effect)
	}
	if !add(t, whys...) {
		return stop(KindCondition)
	}
	if out != Maybe {
		reasons = nil
	}
	if tr != nil {
		tr.Result, tr.Reasons = out, reasons
	}
	return out, kind, reasons
}

func actionWhy(patterns []string, t Tri) Reason {
	if t != Maybe {
		return Reason{}
	}
	for _, p := range patterns {
		if isUnknown(p) {
			return unknownValue(KindAction, "Action", p)
		}
	}
	return why(CodeRequestValueUnknown, KindAction, "the request's action is not known")
}

// matchResources matches a Resource (not=false) or NotResource (not=true)
// list. Each entry is OR'ed. An entry whose policy variable has no value
// "will not match any resource" (reference_policies_variables.html); in a
// NotResource of an Allow that would widen the grant, and AWS "might" instead
// treat the statement as invalid, so there the statement does not apply.
func matchResources(list []string, req Request, version string, effect policy.Effect, negate bool) (Tri, []Reason) {
	t := False
	var whys []Reason
	if isUnknown(req.Resource) {
		// Only "*" and the same symbolic value (the ARN a template's key
		// gets, named by both the bucket and the policy) decide an unknown
		// resource.
		t = False
		for _, r := range list {
			if r == "*" {
				return triOf(!negate), nil
			}
			t = or(t, symbolMatch(r, req.Resource))
		}
		if t != Maybe {
			if negate {
				t = not(t)
			}
			return t, nil
		}
		return Maybe, []Reason{why(CodeRequestValueUnknown, KindResource, "the request's resource "+unknownWhy(req.Resource))}
	}
	for _, r := range list {
		if r == "*" {
			t = True
			break
		}
		if isUnknown(r) {
			t = or(t, Maybe)
			whys = append(whys, unknownValue(KindResource, "Resource", r))
			continue
		}
		pieces, st, w := expand(r, req.Context, version)
		switch st {
		case varUnknown:
			t = or(t, Maybe)
			whys = append(whys, why(CodeVariableUnknown, KindResource, w))
			continue
		case varAbsent:
			if negate && effect != policy.Deny {
				return False, nil
			}
			continue
		}
		m := matchARNPieces(pieces, req.Resource)
		if m == Maybe {
			if base, ok := strings.CutSuffix(req.Resource, AnyKey); ok {
				whys = append(whys, why(CodePartialKeySpace, KindResource, fmt.Sprintf("Resource %q covers only some object names under %s*: the vendor's file names are not known", r, base)))
			} else {
				whys = append(whys, why(CodeARNWildcardColon, KindResource, fmt.Sprintf("Resource %q against %q: wildcard spanning ':' in the resource part is not documented", r, req.Resource)))
			}
		}
		t = or(t, m)
		if t == True {
			break
		}
	}
	if negate {
		t = not(t)
	}
	if t != Maybe {
		whys = nil
	}
	return t, whys
}
