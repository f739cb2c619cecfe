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
func MatchStatement(doc *policy.Document, st *policy.Statement, req Request, resourcePolicy bool) (Tri, bool, []string) {
	t, k, reasons := matchStatement(doc, st, req, resourcePolicy)
	return t, t != False && k == kindAccount, reasons
}

func matchStatement(doc *policy.Document, st *policy.Statement, req Request, resourcePolicy bool) (Tri, principalKind, []string) {
	if doc == nil || st == nil {
		return False, kindNone, nil
	}
	var reasons []string
	out := True
	if isUnknown(string(st.Effect)) {
		// An unresolved Effect may be Deny: match as a Deny would, and
		// never better than Maybe.
		out = Maybe
		reasons = append(reasons, "Effect "+unknownWhy(string(st.Effect)))
		cp := *st
		cp.Effect = policy.Deny
		st = &cp
	} else if st.Effect != policy.Allow && st.Effect != policy.Deny {
		return False, kindNone, nil
	}
	add := func(t Tri, why ...string) bool {
		switch t {
		case False:
			out = False
			return false
		case Maybe:
			out = Maybe
			for _, w := range why {
				if w != "" {
					reasons = append(reasons, w)
				}
			}
		}
		return true
	}
	missing := func(elem string) Tri {
		if st.Effect == policy.Deny {
			reasons = append(reasons, "Deny statement without "+elem+": IAM rejects it, and what it was meant to deny is not known")
			return Maybe
		}
		return False
	}

	// Action / NotAction (reference_policies_elements_action.html, ..._notaction.html).
	switch {
	case st.Action != nil:
		t := False
		for _, a := range st.Action {
			t = or(t, MatchAction(a, req.Action))
		}
		if !add(t, actionWhy(st.Action, t)) {
			return False, kindNone, nil
		}
	case st.NotAction != nil:
		t := False
		for _, a := range st.NotAction {
			t = or(t, MatchAction(a, req.Action))
		}
		if !add(not(t), actionWhy(st.NotAction, t)) {
			return False, kindNone, nil
		}
	default:
		if !add(missing("Action")) {
			return False, kindNone, nil
		}
	}

	// Resource / NotResource (reference_policies_elements_resource.html,
	// ..._notresource.html), with policy variables.
	switch {
	case st.Resource != nil:
		t, why := matchResources(st.Resource, req, doc.Version, st.Effect, false)
		if !add(t, why...) {
			return False, kindNone, nil
		}
	case st.NotResource != nil:
		t, why := matchResources(st.NotResource, req, doc.Version, st.Effect, true)
		if !add(t, why...) {
			return False, kindNone, nil
		}
	case doc.Kind == policy.Trust:
		// Trust policies name no Resource: the role itself is the resource.
	default:
		if !add(missing("Resource")) {
			return False, kindNone, nil
		}
	}

	// Principal / NotPrincipal, only in resource-based policies.
	kind := kindNone
	if resourcePolicy {
		switch {
		case st.Principal != nil:
			t, k, why := matchPrincipal(st.Principal, req.Caller)
			kind = k
			if !add(t, why...) {
				return False, kindNone, nil
			}
		case st.NotPrincipal != nil:
			t := MatchNotPrincipal(st.NotPrincipal, req.Caller)
			kind = kindWildcard
			if !add(t, "NotPrincipal may list every identity AWS checks for the caller (account, role, role session), but that cannot be decided: the role session name or the caller's ARN is not known (reference_policies_elements_notprincipal.html)") {
				return False, kindNone, nil
			}
		default:
			if !add(missing("Principal")) {
				return False, kindNone, nil
			}
		}
	}

	// Condition.
	t, why := EvalConditions(st.Condition, req.Context, doc.Version, st.Effect)
	if !add(t, why...) {
		return False, kindNone, nil
	}
	if out != Maybe {
		reasons = nil
	}
	return out, kind, reasons
}

func actionWhy(patterns []string, t Tri) string {
	if t != Maybe {
		return ""
	}
	for _, p := range patterns {
		if isUnknown(p) {
			return "Action " + unknownWhy(p)
		}
	}
	return "the request's action is not known"
}

// matchResources matches a Resource (not=false) or NotResource (not=true)
// list. Each entry is OR'ed. An entry whose policy variable has no value
// "will not match any resource" (reference_policies_variables.html); in a
// NotResource of an Allow that would widen the grant, and AWS "might" instead
// treat the statement as invalid, so there the statement does not apply.
func matchResources(list []string, req Request, version string, effect policy.Effect, negate bool) (Tri, []string) {
	t := False
	var why []string
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
		return Maybe, []string{"the request's resource " + unknownWhy(req.Resource)}
	}
	for _, r := range list {
		if r == "*" {
			t = True
			break
		}
		if isUnknown(r) {
			t = or(t, Maybe)
			why = append(why, "Resource "+unknownWhy(r))
			continue
		}
		pieces, st, w := expand(r, req.Context, version)
		switch st {
		case varUnknown:
			t = or(t, Maybe)
			why = append(why, w)
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
				why = append(why, fmt.Sprintf("Resource %q covers only some object names under %s*: the vendor's file names are not known", r, base))
			} else {
				why = append(why, fmt.Sprintf("Resource %q against %q: wildcard spanning ':' in the resource part is not documented", r, req.Resource))
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
		why = nil
	}
	return t, why
}
