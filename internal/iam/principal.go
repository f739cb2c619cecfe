package iam

import (
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// principalKind says how a Principal value matched the caller.
type principalKind uint8

const (
	kindNone     principalKind = iota
	kindWildcard               // "*" or {"AWS":"*"}
	kindAccount                // 123456789012 or arn:aws:iam::123456789012:root
	kindRole                   // the role ARN (or its unique id)
	kindUser                   // the user ARN (or its unique id)
	kindSession                // the role session ARN
)

// MatchPrincipal reports whether a Principal element matches the caller
// (reference_policies_elements_principal.html). viaAccount is true when the
// best match is the caller's account ("The account ARN and the shortened
// account ID behave the same way … Using the account ARN in the Principal
// element does not limit permissions to only the root user"): the resource
// policy then delegates to the account, whose IAM policies must allow too.
//
//   - "*" and {"AWS":"*"} match everyone;
//   - a role ARN matches the role's sessions; a session ARN only that session;
//     a user ARN that user. ARNs compare exactly; a compare that differs only
//     in letter case is Maybe (IAM names are unique ignoring case, and IAM
//     resolves principal ARNs to unique ids when the policy is saved);
//   - a bare unique id (AROA…, AIDA…) matches only the caller with that id:
//     IAM shows one when "AWS can no longer map it back to a valid ARN" (the
//     role was deleted), so it is not the current role;
//   - "You cannot use a wildcard to match part of a principal name or ARN":
//     such a value matches nothing;
//   - Service, Federated and CanonicalUser principals never match an AWS caller.
func MatchPrincipal(p *policy.Principal, c Caller) (Tri, bool) {
	t, k, _ := matchPrincipal(p, c)
	return t, t != False && k == kindAccount
}

// matchPrincipal returns the best match over the element's values, its kind,
// and reasons for a Maybe.
func matchPrincipal(p *policy.Principal, c Caller) (Tri, principalKind, []Reason) {
	if p == nil {
		return False, kindNone, nil
	}
	if p.Wildcard {
		return True, kindWildcard, nil
	}
	best, bestKind := False, kindNone
	var reasons []Reason
	for _, v := range p.AWS {
		t, k, why := matchAWSPrincipal(v, c)
		if why.Code != "" && t == Maybe {
			reasons = append(reasons, why)
		}
		switch {
		case t == True && (best != True || k.reach() > bestKind.reach()):
			best, bestKind = True, k
		case t == Maybe && best == False:
			best, bestKind = Maybe, k
		case t == Maybe && best == Maybe && k.reach() > bestKind.reach():
			bestKind = k
		}
	}
	return best, bestKind, reasons
}

// reach orders how far a same-account resource-policy grant reaches when
// several values of one Principal match: naming the user or the role
// session is "not limited by an implicit deny in an identity-based policy
// [or] a permissions boundary", naming the role is limited by the boundary,
// and naming the account only delegates to the identity policies
// (reference_policies_evaluation-logic.html). The widest match decides.
func (k principalKind) reach() int {
	switch k {
	case kindUser, kindSession:
		return 3
	case kindAccount:
		return 1
	case kindNone:
		return 0
	}
	return 2
}

// matchAWSPrincipal matches one value of the AWS principal type.
func matchAWSPrincipal(v string, c Caller) (Tri, principalKind, Reason) {
	if isUnknown(v) {
		return Maybe, kindNone, why(CodeValueUnknown, KindPrincipal, "Principal: "+unknownWhy(v))
	}
	v = strings.TrimSpace(v)
	if v == "*" {
		return True, kindWildcard, Reason{}
	}
	if strings.ContainsAny(v, "*?") {
		// Partial wildcards are not wildcards in a Principal.
		return False, kindNone, Reason{}
	}
	if policy.IsAccountID(v) {
		t, why := sameAccount(v, "", c)
		return t, kindAccount, why
	}
	if a, ok := policy.ParseARN(v); ok {
		switch svc, typ := a.Service, a.ResourceType(); {
		case svc == "iam" && a.Resource == "root":
			t, why := sameAccount(a.Account, a.Partition, c)
			return t, kindAccount, why
		case svc == "iam" && typ == "role":
			if c.Type != RoleSession {
				return False, kindNone, Reason{}
			}
			t, why := compareARN(v, c.ARN, "role")
			return t, kindRole, why
		case svc == "iam" && typ == "user":
			if c.Type != User {
				return False, kindNone, Reason{}
			}
			t, why := compareARN(v, c.ARN, "user")
			return t, kindUser, why
		case svc == "sts" && typ == "assumed-role":
			if c.Type != RoleSession {
				return False, kindNone, Reason{}
			}
			t, why := matchSession(v, c)
			return t, kindSession, why
		}
		return False, kindNone, Reason{}
	}
	if isUniqueID(v) {
		if c.UniqueID != "" && !isUnknown(c.UniqueID) && v == c.UniqueID {
			if c.Type == User {
				return True, kindUser, Reason{}
			}
			return True, kindRole, Reason{}
		}
		return False, kindNone, Reason{}
	}
	return False, kindNone, Reason{}
}

// compareARN compares a principal ARN with the caller's IAM ARN.
func compareARN(want, have, what string) (Tri, Reason) {
	if have == "" || isUnknown(have) {
		return Maybe, why(CodeCallerUnknown, KindPrincipal, "the caller's "+what+" ARN is not known")
	}
	if want == have {
		return True, Reason{}
	}
	if strings.EqualFold(want, have) {
		return Maybe, why(CodeLetterCase, KindPrincipal, "Principal "+want+" differs from "+have+" only in letter case")
	}
	return False, Reason{}
}

// matchSession compares an assumed-role ARN with the caller's session.
func matchSession(want string, c Caller) (Tri, Reason) {
	if c.SessionARN != "" && !isUnknown(c.SessionARN) {
		return compareARN(want, c.SessionARN, "session")
	}
	// Session name unknown: the session ARN can only be this session when it
	// names the caller's account and role.
	prefix, ok := sessionPrefix(c)
	if !ok {
		return Maybe, why(CodeCallerUnknown, KindPrincipal, "the caller's role session is not known")
	}
	if strings.HasPrefix(want, prefix) {
		return Maybe, why(CodeSessionNameUnknown, KindPrincipal, "Principal "+want+" names a role session; the vendor's session name is not known")
	}
	if strings.HasPrefix(strings.ToLower(want), strings.ToLower(prefix)) {
		return Maybe, why(CodeLetterCase, KindPrincipal, "Principal "+want+" differs from the caller's role only in letter case")
	}
	return False, Reason{}
}

// sessionPrefix is "arn:P:sts::A:assumed-role/NAME/" for a role caller.
func sessionPrefix(c Caller) (string, bool) {
	if isUnknown(c.ARN) {
		return "", false
	}
	a, ok := policy.ParseARN(c.ARN)
	if !ok || a.ResourceType() != "role" {
		return "", false
	}
	session := policy.ARN{Partition: a.Partition, Service: "sts", Account: a.Account, Resource: "assumed-role/" + a.Name() + "/"}
	return session.String(), true
}

// sameAccount reports whether account (and partition, when given) is the
// caller's.
func sameAccount(account, partition string, c Caller) (Tri, Reason) {
	have := c.Account
	havePart := ""
	if a, ok := policy.ParseARN(c.ARN); ok {
		havePart = a.Partition
		if have == "" {
			have = a.Account
		}
	}
	if have == "" || isUnknown(have) {
		return Maybe, why(CodeCallerUnknown, KindPrincipal, "the caller's account is not known")
	}
	if account != have {
		return False, Reason{}
	}
	if partition != "" && havePart != "" && partition != havePart {
		return False, Reason{}
	}
	return True, Reason{}
}

// isUniqueID recognises IAM unique ids: a four-letter prefix such as AROA
// (role) or AIDA (user) followed by upper-case letters and digits
// (reference_identifiers.html#identifiers-unique-ids).
func isUniqueID(s string) bool {
	if len(s) < 16 || s[0] != 'A' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// MatchNotPrincipal reports whether a statement with this NotPrincipal
// element applies to the caller. AWS may check each identity in the request
// in turn (account, then role, then session), so a Deny with NotPrincipal
// spares a caller only when every one of them is listed: "you must also
// specify the account ARN of the not-denied principal … If an assumed-role
// user … is being evaluated, AWS might validate the account first, then the
// role, and then the assumed-role user", and the page's example for a role
// lists the session ARN, the role ARN and the account ARN
// (reference_policies_elements_notprincipal.html). So:
//
//   - some identity of the caller is certainly not listed (for a role session:
//     the session ARN is missing, even when the role and the account are
//     listed): the statement applies (True);
//   - every identity is listed: the caller is spared (False);
//   - otherwise (a listed session ARN whose session name cannot be compared,
//     because the vendor's session name is not known): Maybe.
//
// "When you specify an assumed-role session in a NotPrincipal element, you
// cannot use a wildcard (*) to mean "all sessions". Principals must always
// name a specific session": assumed-role/NAME/* lists no session.
func MatchNotPrincipal(p *policy.Principal, c Caller) Tri {
	if p == nil {
		return False
	}
	if p.Wildcard {
		return False
	}
	levels := []principalKind{kindAccount}
	switch c.Type {
	case RoleSession:
		levels = append(levels, kindRole, kindSession)
	case User:
		levels = append(levels, kindUser)
	}
	all := true
	for _, lvl := range levels {
		l := False
		for _, v := range p.AWS {
			t, k, _ := matchAWSPrincipal(v, c)
			if k == kindWildcard {
				t = True
			} else if k != lvl {
				continue
			}
			l = or(l, t)
		}
		if l == False {
			// This identity is not excepted: AWS denies it, and with it
			// the caller.
			return True
		}
		if l != True {
			all = false
		}
	}
	if all {
		return False
	}
	return Maybe
}
