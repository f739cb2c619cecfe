package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

// This file decides how broad a role's trust policy is by asking the
// evaluation core, not by reading patterns: would the trust let a principal
// that is NOT the vendor's role call sts:AssumeRole? Each outsider probe is a
// concrete IAM principal; the trust is evaluated for it exactly as for the
// vendor (iam.Evaluate, mode ResourceMustAllow, the request model's
// AssumeRole context), with the caller-side keys set as that outsider would
// send them.
//
// Pages:
//   - reference_policies_evaluation-logic.html ("Policy evaluation logic"):
//     the trust policy must allow the caller; an explicit Deny overrides.
//   - reference_policies_evaluation-logic-cross-account.html ("Cross
//     account resource access"): the outsider's own identity policy is in
//     the outsider's account, which the outsider controls, so it is taken to
//     allow (PolicySet.IdentityOutsideView).
//   - reference_policies_condition-keys.html ("AWS global condition keys"):
//     aws:PrincipalArn is the role ARN for a role session and the user ARN
//     for a user; aws:PrincipalAccount the caller's account;
//     aws:PrincipalOrgID/OrgPaths are present only when the caller's account
//     is in an organization; aws:SourceAccount/SourceArn only when a service
//     calls on behalf of a resource (not for a principal calling STS itself).
//   - reference_policies_elements_principal.html: "Using the account ARN in
//     the Principal element does not limit permissions to only the root user".
//   - id_credentials_temp_request.html ("Comparing the AWS STS API
//     operations"): AssumeRole is called by an IAM user or a role session;
//     the root user ("Roles may not be assumed by root accounts") and
//     unsigned (anonymous) requests cannot call it. So the probes are roles
//     and users: a trust "Principal": "*" admits any of them, which is
//     what makes it too broad, and there is no separate anonymous probe.

// Outsider kinds.
const (
	OutsiderSameName     = "same-role-name-other-account"
	OutsiderOtherRole    = "role-other-account"
	OutsiderOtherUser    = "user-other-account"
	OutsiderPatternRole  = "role-pattern-account"
	OutsiderPatternUser  = "user-pattern-account"
	OutsiderVendorRole   = "vendor-account-role"
	OutsiderVendorUser   = "vendor-account-user"
	outsiderProbeName    = "smlint-outsider"
	outsiderFreshValue   = "smlint-outsider-value"
	outsiderFreshOrgID   = "o-smlint0outsider"
	outsiderFreshOrgPath = "o-smlint0outsider/r-sm1t/ou-sm1t-smlint0o/"
	maxReadings          = 64
)

// Outsider is a principal other than the vendor's role that the trust
// admits (Decision allowed) or may admit (Decision unknown).
type Outsider struct {
	Kind         string
	Description  string // "a role named supermetrics-s3-role in any AWS account"
	PrincipalARN string
	Account      string
	// VendorAccount: the outsider is in the vendor's own account (another
	// role or a user there), not in an account anyone may own.
	VendorAccount bool
	Decision      iam.Decision
	// Chosen lists the caller-controlled key values under which the trust
	// admits the outsider ("sts:ExternalId=acme-7f3k29"); empty when it
	// admits it whatever they are.
	Chosen []string
	// ChosenExternalID: Chosen holds an sts:ExternalId value.
	ChosenExternalID bool
	// Reasons explain an unknown Decision, with the evaluation core's codes.
	Reasons []iam.Reason
	Because []Because
	// Unresolved: the answer is unknown because a value of the deciding
	// statements is known only after apply (a plan or template); the
	// unresolved-value rule names it.
	Unresolved bool
}

// probe is one outsider to ask about.
type probe struct {
	kind, desc    string
	caller        iam.Caller
	vendorAccount bool
}

// trustOutsiders evaluates the trust for every outsider probe and returns
// the ones it admits or may admit. customerAccount is the role's account
// (its own principals are not outsiders); externalID the configured one.
func trustOutsiders(trust *policy.Document, prof *requestmodel.Profile, target requestmodel.Target, roleARN, externalID string, now time.Time) []Outsider {
	customerAccount := target.Account
	if trust == nil || trust.Unresolved != "" || prof == nil || prof.PrincipalARN == "" {
		// An unresolved trust is reported as such by other rules; every
		// probe would only say "unknown" again.
		return nil
	}
	var out []Outsider
	readings := callerReadings(trust)
	set := iam.PolicySet{Resource: []*policy.Document{trust}, Mode: iam.ResourceMustAllow, IdentityOutsideView: true}
	sameName := iam.Decision("")
	vendorName := prof.PrincipalName()
	for _, pr := range outsiderProbes(trust, prof, customerAccount) {
		o, ok := evaluateProbe(pr, readings, set, prof, target, roleARN, externalID, now)
		if !ok {
			continue
		}
		if o.Kind == OutsiderSameName {
			sameName = o.Decision
		}
		// A pattern probe named like the vendor's role says nothing the
		// fixed same-name probe has not said already.
		if o.Kind == OutsiderPatternRole && sameName == o.Decision && strings.HasSuffix(o.PrincipalARN, ":role/"+vendorName) {
			continue
		}
		out = append(out, o)
	}
	return out
}

// evaluateProbe decides one probe under every reading of the caller-side
// keys: some outsider of that kind can pick (or has) each reading, so the
// trust admits it when any reading is Allowed.
func evaluateProbe(pr probe, readings []reading, set iam.PolicySet, prof *requestmodel.Profile, target requestmodel.Target, roleARN, externalID string, now time.Time) (Outsider, bool) {
	if roleARN == "" {
		roleARN = policy.UnknownValue("role ARN not configured")
	}
	o := Outsider{Kind: pr.kind, Description: pr.desc, PrincipalARN: pr.caller.ARN, Account: pr.caller.Account,
		VendorAccount: pr.vendorAccount}
	var maybe *iam.Result
	for _, rd := range readings {
		req := iam.Request{
			Action:   prof.AssumeAction,
			Resource: roleARN,
			Caller:   pr.caller,
			Context:  probeContext(pr.caller, prof, target, externalID, rd, now),
		}
		res := iam.Evaluate(req, set)
		switch res.Decision {
		case iam.Allowed:
			o.Decision = iam.Allowed
			o.Chosen = rd.chosen()
			_, o.ChosenExternalID = rd.chosenValue("sts:externalid")
			o.Because = becauseOf(res)
			return o, true
		case iam.Unknown:
			if maybe == nil {
				r := res
				maybe = &r
			}
		}
	}
	if maybe == nil {
		return o, false
	}
	o.Decision = iam.Unknown
	o.Reasons = maybe.Reasons
	o.Because = becauseOf(*maybe)
	for _, m := range maybe.Because {
		if m.Statement != nil && hasUnknownValue(m.Statement) {
			o.Unresolved = true
		}
	}
	return o, true
}

// hasUnknownValue reports whether a statement's principal or conditions
// hold a value the input left unresolved.
func hasUnknownValue(st *policy.Statement) bool {
	for _, p := range []*policy.Principal{st.Principal, st.NotPrincipal} {
		if p == nil {
			continue
		}
		for _, v := range p.AWS {
			if policy.IsUnknown(v) {
				return true
			}
		}
	}
	for _, c := range st.Condition {
		if policy.IsUnknown(c.Key) || policy.IsUnknown(c.Operator) {
			return true
		}
		for _, v := range c.Values {
			if policy.IsUnknown(v) {
				return true
			}
		}
	}
	return false
}

func becauseOf(res iam.Result) []Because {
	rr := fill(RequestResult{}, res)
	var allows []Because
	for _, b := range rr.Because {
		if b.Effect == string(policy.Allow) {
			allows = append(allows, b)
		}
	}
	if len(allows) > 0 {
		return allows
	}
	return rr.Because
}

// probeContext is the AssumeRole context the request model builds, for the
// outsider instead of the vendor, with the caller-side keys of one reading.
func probeContext(c iam.Caller, prof *requestmodel.Profile, target requestmodel.Target, externalID string, rd reading, now time.Time) iam.Context {
	p := *prof
	p.PrincipalARN, p.Account = c.ARN, c.Account
	ctx := requestmodel.AssumeRoleContext(&p, target, externalID, "", now)
	ctx["aws:principaltype"] = iam.ContextValue{State: iam.Present, Values: []string{string(c.Type)}}
	ctx["aws:principalarn"] = iam.ContextValue{State: iam.Present, Values: []string{c.ARN}}
	ctx["aws:principalaccount"] = iam.ContextValue{State: iam.Present, Values: []string{c.Account}}
	if c.Type == iam.User {
		user, _ := policy.ParseARN(c.ARN)
		ctx["aws:username"] = iam.ContextValue{State: iam.Present, Values: []string{user.Name()}}
	} else {
		ctx["aws:username"] = iam.ContextValue{State: iam.Absent}
	}
	// Its address is its own: it may or may not be inside a listed range.
	ctx["aws:sourceip"] = iam.ContextValue{State: iam.UnknownValue}
	// A principal calling STS itself: no service acts for a resource.
	ctx["aws:sourceaccount"] = iam.ContextValue{State: iam.Absent}
	ctx["aws:sourcearn"] = iam.ContextValue{State: iam.Absent}
	ctx["aws:sourceorgid"] = iam.ContextValue{State: iam.Absent}
	ctx["aws:sourceorgpaths"] = iam.ContextValue{State: iam.Absent}
	// Tags of its own principal and of its request are its own choice;
	// the keys a condition names get their readings below.
	ctx["aws:principaltag/*"] = iam.ContextValue{State: iam.Absent}
	ctx["aws:requesttag/*"] = iam.ContextValue{State: iam.Absent}
	for k, v := range rd.values {
		ctx[k] = v
	}
	return ctx
}

// reading is one assignment of the caller-side keys.
type reading struct {
	values map[string]iam.ContextValue
	order  []string
	names  map[string]string // lower-case key -> key as the policy writes it
}

// chosen lists the values the reading picks from the policy's literals, as
// "key=value" with the key as the policy writes it.
func (r reading) chosen() []string {
	var out []string
	for _, k := range r.order {
		if v, ok := r.chosenValue(k); ok {
			out = append(out, r.names[k]+"="+v)
		}
	}
	return out
}

// chosenValue is the value the reading gives the (lower-case) key when it is
// one of the policy's literals rather than absent or a fresh value.
func (r reading) chosenValue(k string) (string, bool) {
	v := r.values[k]
	if v.State == iam.Present && len(v.Values) == 1 && v.Values[0] != outsiderFreshValue &&
		v.Values[0] != outsiderFreshOrgID && v.Values[0] != outsiderFreshOrgPath {
		return v.Values[0], true
	}
	return "", false
}

// outsiderKeys are request-context keys whose value is the outsider's, not
// the customer's: the caller chooses them (external ID, session name,
// source identity, MFA, its tags) or they belong to its account (its
// organization). Each gets the readings "absent", "a fresh value equal to
// no literal of the policy", and, for the keys the caller chooses, each
// literal the policy compares it with ("AWS does not treat the external ID
// as a secret", id_roles_create_for-user_externalid.html).
var outsiderKeys = map[string]bool{
	"sts:externalid": true, "sts:rolesessionname": true, "sts:sourceidentity": true,
	"aws:sourceidentity": true, "aws:multifactorauthpresent": true, "aws:multifactorauthage": true,
	"aws:tagkeys": true, "sts:transitivetagkeys": true, "aws:userid": true,
	"aws:principalorgid": false, "aws:principalorgpaths": false,
}

// callerReadings lists the readings of the outsider-side keys that the
// trust's conditions name, as a cross product (at most maxReadings; beyond
// that the remaining keys are left unknown, which makes an answer Maybe
// rather than wrong).
func callerReadings(trust *policy.Document) []reading {
	type keyVals struct {
		key, name string
		vals      []iam.ContextValue
	}
	byKey := map[string]*keyVals{}
	var keys []string
	for _, st := range trust.Statements {
		if st == nil {
			continue
		}
		for _, c := range st.Condition {
			k := strings.ToLower(strings.TrimSpace(c.Key))
			chooses, known := outsiderKeys[k]
			tag := strings.HasPrefix(k, "aws:principaltag/") || strings.HasPrefix(k, "aws:requesttag/")
			if !known && !tag {
				continue
			}
			if tag {
				chooses = true
			}
			kv := byKey[k]
			if kv == nil {
				kv = &keyVals{key: k, name: c.Key}
				kv.vals = append(kv.vals, iam.ContextValue{State: iam.Absent})
				switch k {
				case "aws:principalorgid":
					kv.vals = append(kv.vals, present1(outsiderFreshOrgID))
				case "aws:principalorgpaths":
					kv.vals = append(kv.vals, present1(outsiderFreshOrgPath))
				case "aws:multifactorauthpresent":
					kv.vals = append(kv.vals, present1("true"), present1("false"))
				case "aws:multifactorauthage":
					kv.vals = append(kv.vals, present1("0"), present1("86400"))
				default:
					kv.vals = append(kv.vals, present1(outsiderFreshValue))
				}
				byKey[k] = kv
				keys = append(keys, k)
			}
			if !chooses || k == "aws:multifactorauthpresent" || k == "aws:multifactorauthage" {
				continue
			}
			for _, v := range c.Values {
				if v == "" || policy.IsUnknown(v) || strings.Contains(v, "${") {
					continue
				}
				dup := false
				for _, have := range kv.vals {
					if have.State == iam.Present && have.Values[0] == v {
						dup = true
					}
				}
				if !dup {
					kv.vals = append(kv.vals, present1(v))
				}
			}
		}
	}
	sort.Strings(keys)
	out := []reading{{values: map[string]iam.ContextValue{}, names: map[string]string{}}}
	for _, k := range keys {
		kv := byKey[k]
		if len(out)*len(kv.vals) > maxReadings {
			for i := range out {
				out[i].values[k] = iam.ContextValue{State: iam.UnknownValue}
			}
			continue
		}
		var next []reading
		for _, r := range out {
			for _, v := range kv.vals {
				n := reading{values: map[string]iam.ContextValue{}, order: append(append([]string(nil), r.order...), k),
					names: r.names}
				for kk, vv := range r.values {
					n.values[kk] = vv
				}
				n.values[k] = v
				next = append(next, n)
			}
		}
		for _, r := range next {
			r.names[k] = kv.name
		}
		out = next
	}
	return out
}

func present1(v string) iam.ContextValue {
	return iam.ContextValue{State: iam.Present, Values: []string{v}}
}

// outsiderProbes builds the principals to ask about: fixed ones (the
// vendor's role name, another role and a user in a fresh account nobody
// names; another role and a user in the vendor's account) and ones that the
// wildcards of the trust's condition values admit (an account id pattern
// such as "*4514", an ARN pattern such as arn:aws:iam::*:role/*), each
// filled in so that it is not the vendor's role.
func outsiderProbes(trust *policy.Document, prof *requestmodel.Profile, customerAccount string) []probe {
	part := prof.Partition
	if part == "" {
		part = "aws"
	}
	vendorAcct := prof.Account
	vendorName := prof.PrincipalName()
	display := prof.DisplayName
	if display == "" {
		display = "the vendor"
	}
	possessive := display + "'s"
	if strings.HasSuffix(display, "s") {
		possessive = display + "'"
	}
	text := trust.Source
	fresh := freshAccount(text, vendorAcct, customerAccount)
	iamARN := func(acct, res string) string { return "arn:" + part + ":iam::" + acct + ":" + res }
	role := func(acct, res string) iam.Caller {
		return iam.Caller{Type: iam.RoleSession, ARN: iamARN(acct, res), Account: acct,
			SessionARN: policy.UnknownValue("the outsider's session name is its own choice")}
	}
	user := func(acct, res string) iam.Caller {
		return iam.Caller{Type: iam.User, ARN: iamARN(acct, res), Account: acct}
	}
	probes := []probe{
		{OutsiderSameName, "a role named " + vendorName + " in any AWS account", role(fresh, "role/"+vendorName), false},
		{OutsiderOtherRole, "any role in any AWS account", role(fresh, "role/"+outsiderProbeName), false},
		{OutsiderOtherUser, "any IAM user in any AWS account", user(fresh, "user/"+outsiderProbeName), false},
		{OutsiderVendorRole, "other roles in " + possessive + " account (" + vendorAcct + ")", role(vendorAcct, "role/"+outsiderProbeName), true},
		{OutsiderVendorUser, "IAM users in " + possessive + " account (" + vendorAcct + ")", user(vendorAcct, "user/"+outsiderProbeName), true},
	}
	seen := map[string]bool{prof.PrincipalARN: true}
	for _, p := range probes {
		seen[p.caller.ARN] = true
	}
	add := func(p probe) {
		if seen[p.caller.ARN] || p.caller.Account == customerAccount {
			return
		}
		seen[p.caller.ARN] = true
		probes = append(probes, p)
	}
	for _, st := range trust.Statements {
		if st == nil {
			continue
		}
		for _, c := range st.Condition {
			for _, v := range c.Values {
				if !strings.ContainsAny(v, "*?") || strings.Contains(v, "${") || policy.IsUnknown(v) {
					continue
				}
				for _, pc := range patternCallers(v, part, vendorAcct, customerAccount, vendorName, text) {
					acct := pc.Account
					switch {
					case acct == vendorAcct && pc.Type == iam.RoleSession:
						add(probe{OutsiderVendorRole, probes[3].desc, pc, true})
					case acct == vendorAcct:
						add(probe{OutsiderVendorUser, probes[4].desc, pc, true})
					case pc.Type == iam.RoleSession:
						add(probe{OutsiderPatternRole, fmt.Sprintf("roles in other AWS accounts that match %q (such as account %s)", v, acct), pc, false})
					default:
						add(probe{OutsiderPatternUser, fmt.Sprintf("IAM users in other AWS accounts that match %q (such as account %s)", v, acct), pc, false})
					}
				}
			}
		}
	}
	return probes
}

// freshAccount is a 12-digit account id that appears nowhere in the trust
// policy and is neither the vendor's nor the customer's: "any account".
func freshAccount(text, vendor, customer string) string {
	for _, a := range []string{"210987654321", "987612345098", "555566667777", "313131313131"} {
		if a != vendor && a != customer && !strings.Contains(text, a) {
			return a
		}
	}
	return "864209753124"
}

// patternCallers turns one wildcard condition value into concrete
// principals that it matches and that are not the vendor's role: an
// account id pattern gives roles (named like the vendor's, and otherwise)
// in an account it matches; an IAM ARN pattern gives the role or user it
// matches with each wildcard filled in.
func patternCallers(v, part, vendorAcct, customerAcct, vendorName, text string) []iam.Caller {
	mk := func(acct, res string) (iam.Caller, bool) {
		arn := "arn:" + part + ":iam::" + acct + ":" + res
		switch {
		case strings.HasPrefix(res, "role/") && len(res) > len("role/"):
			return iam.Caller{Type: iam.RoleSession, ARN: arn, Account: acct,
				SessionARN: policy.UnknownValue("the outsider's session name is its own choice")}, true
		case strings.HasPrefix(res, "user/") && len(res) > len("user/"):
			return iam.Caller{Type: iam.User, ARN: arn, Account: acct}, true
		}
		return iam.Caller{}, false
	}
	var out []iam.Caller
	if isAccountPattern(v) {
		for _, acct := range fillAccount(v, vendorAcct, customerAcct, text) {
			for _, res := range []string{"role/" + vendorName, "role/" + outsiderProbeName} {
				if c, ok := mk(acct, res); ok {
					out = append(out, c)
				}
			}
		}
		return out
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || !globMatch(parts[0], "arn") || !globMatch(parts[2], "iam") {
		return nil
	}
	accts := []string{parts[4]}
	if strings.ContainsAny(parts[4], "*?") {
		accts = fillAccount(parts[4], vendorAcct, customerAcct, text)
		// The same pattern may also admit other principals of the vendor's
		// own account.
		if globMatch(parts[4], vendorAcct) {
			accts = append(accts, vendorAcct)
		}
	}
	var ress []string
	if strings.ContainsAny(parts[5], "*?") {
		fills := []string{outsiderProbeName}
		if strings.HasPrefix(parts[5], "*") || strings.HasPrefix(parts[5], "?") {
			// The wildcard may stand for the resource type itself.
			fills = append(fills, "role/"+outsiderProbeName, "user/"+outsiderProbeName)
		}
		for _, fill := range fills {
			r := strings.ReplaceAll(strings.ReplaceAll(parts[5], "*", fill), "?", "x")
			if globMatch(parts[5], r) {
				ress = append(ress, r)
			}
		}
		if globMatch(parts[5], "role/"+vendorName) {
			ress = append(ress, "role/"+vendorName)
		}
	} else {
		ress = []string{parts[5]}
	}
	for _, a := range accts {
		if !policy.IsAccountID(a) {
			continue
		}
		for _, r := range ress {
			if c, ok := mk(a, r); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

func isAccountPattern(v string) bool {
	if v == "" || v == "*" {
		return false
	}
	for _, r := range v {
		if (r < '0' || r > '9') && r != '*' && r != '?' {
			return false
		}
	}
	return true
}

// fillAccount gives a 12-digit account id that pat (digits, * and ?)
// matches, that is neither the vendor's nor the customer's account, and
// that the policy does not name: an account anyone may hold.
func fillAccount(pat, vendor, customer, text string) []string {
	fixed := 0
	for _, r := range pat {
		if r != '*' {
			fixed++
		}
	}
	if fixed > 12 || !strings.Contains(pat, "*") && fixed != 12 {
		return nil
	}
	for _, d := range "9876543210" {
		var b strings.Builder
		star := false
		for _, r := range pat {
			switch r {
			case '?':
				b.WriteRune(d)
			case '*':
				if !star {
					b.WriteString(strings.Repeat(string(d), 12-fixed))
					star = true
				}
			default:
				b.WriteRune(r)
			}
		}
		a := b.String()
		if policy.IsAccountID(a) && a != vendor && a != customer && !strings.Contains(text, a) && globMatch(pat, a) {
			return []string{a}
		}
	}
	return nil
}

// globMatch is a plain * and ? match, used only to check that a filled-in
// probe still matches the pattern it came from (the evaluator decides).
func globMatch(pat, s string) bool {
	if pat == "" {
		return s == ""
	}
	switch pat[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pat[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pat[1:], s[1:])
	}
	return s != "" && s[0] == pat[0] && globMatch(pat[1:], s[1:])
}

// outsidersInput is input.trust_outsiders (internal/ruleinput).
func outsidersInput(os []Outsider) []ruleinput.Outsider {
	out := make([]ruleinput.Outsider, 0, len(os))
	for _, o := range os {
		stmts := make([]ruleinput.Where, 0, len(o.Because))
		for _, b := range o.Because {
			stmts = append(stmts, ruleinput.Where{File: b.File, Line: b.Line, Sid: b.Sid})
		}
		out = append(out, ruleinput.Outsider{
			Kind: o.Kind, Description: o.Description, PrincipalARN: o.PrincipalARN,
			Account: o.Account, VendorAccount: o.VendorAccount, Decision: string(o.Decision),
			Chosen: strs(o.Chosen), ChosenExternalID: o.ChosenExternalID, Reasons: reasonsInput(o.Reasons), Statements: stmts,
			Unresolved: o.Unresolved,
		})
	}
	return out
}
