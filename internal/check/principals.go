package check

import (
	"strings"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// subject is one role or user to evaluate as its own setup, with every
// document that applies to it.
type subject struct {
	principal *load.Principal // nil when the inputs name no principal at all
	// complete is true when the input lists everything attached to the
	// principal (an account export, a plan, a template), so a missing
	// permission policy means none exists; loose files may be partial.
	complete bool
	trust    *policy.Document
	identity []*policy.Document
	boundary []*policy.Document
	bucket   []*policy.Document
	key      []*policy.Document
	scp      []*policy.Document
	// soleSubject: the only subject of the run, so a list-role-tags output
	// (which names no role) is its tag set.
	soleSubject bool
	// scps is scp placed at organisation levels.
	scps *scpSet
	// ambiguous are get-policy-version documents without an ARN that may be
	// the principal's permissions boundary or an attached policy: requests
	// are decided under both readings (versions.go).
	ambiguous []*policy.Document
	// unresolved are gaps of this subject (a named document the run lacks)
	// for rule unresolved-value, beside the input's own.
	unresolved []load.Unresolved
}

// subjects chooses what to evaluate. Principals from exports, plans and
// templates are kept when they matter for the setup: the role named by
// role_arn, or (role method) every role whose trust policy mentions the
// vendor, its account, or any principal "*"; (access-key method) the user
// named by `user`. Loose documents (files that are one policy) form one
// implicit principal, or join the single selected principal.
func subjects(in *load.Input, setup *config.Setup, prof *requestmodel.Profile) []*subject {
	var shared subject
	var loose subject
	isVersion := map[*policy.Document]*load.PolicyVersion{}
	for _, v := range in.Versions {
		isVersion[v.Doc] = v
	}
	var versions []*load.PolicyVersion
	for _, d := range in.Documents {
		if v := isVersion[d]; v != nil {
			versions = append(versions, v)
			continue
		}
		switch d.Kind {
		case policy.Bucket:
			shared.bucket = append(shared.bucket, d)
		case policy.Key:
			shared.key = append(shared.key, d)
		case policy.SCP:
			shared.scp = append(shared.scp, d)
		case policy.Trust:
			if loose.trust == nil {
				loose.trust = d
			} else {
				// Several loose trust policies: evaluate the first, and keep
				// the others visible to the rules as identity-less documents.
				loose.identity = append(loose.identity, d)
			}
		case policy.Boundary:
			loose.boundary = append(loose.boundary, d)
		default:
			loose.identity = append(loose.identity, d)
		}
	}
	for _, k := range in.Keys {
		if k.Policy != nil {
			shared.key = append(shared.key, k.Policy)
		}
	}

	var selected []*load.Principal
	for _, p := range in.Principals {
		if wanted(p, setup, prof) {
			selected = append(selected, p)
		}
	}
	// A lone principal from a per-role export (get-role) is the subject even
	// when its trust does not mention the vendor: that is the finding.
	if len(selected) == 0 && len(in.Principals) == 1 {
		selected = in.Principals
	}

	var out []*subject
	for _, p := range selected {
		s := &subject{principal: p, complete: p.Complete, trust: p.Trust}
		s.identity = append(s.identity, p.Identity...)
		if p.Boundary != nil {
			s.boundary = append(s.boundary, p.Boundary)
		}
		out = append(out, s)
	}
	if len(out) == 1 {
		out[0].versions(versions, &loose, in)
	} else {
		for _, v := range versions {
			loose.identity = append(loose.identity, v.Doc)
		}
	}
	hasLoose := loose.trust != nil || len(loose.identity) > 0 || len(loose.boundary) > 0
	switch {
	case len(out) == 1 && hasLoose:
		// get-role.json + policy.json: one role, documents in several files.
		s := out[0]
		if s.trust == nil {
			s.trust = loose.trust
		}
		s.identity = append(s.identity, loose.identity...)
		s.boundary = append(s.boundary, loose.boundary...)
		s.complete = false
	case hasLoose || len(out) == 0:
		loose.principal = nil
		out = append(out, &loose)
	}
	scps := scpsFor(in, shared.scp)
	for _, s := range out {
		s.soleSubject = len(out) == 1
		addMissing(s, in)
		s.bucket = shared.bucket
		s.key = shared.key
		s.scp = scps.all
		s.scps = scps
		s.unresolved = append(s.unresolved, scps.unresolved...)
	}
	return out
}

func wanted(p *load.Principal, setup *config.Setup, prof *requestmodel.Profile) bool {
	auth := setup.Auth
	if auth == "" {
		auth = config.AuthRole
	}
	if auth == config.AuthAccessKey {
		if p.Type != "user" {
			return false
		}
		return setup.User == "" || p.Name == setup.User || p.ARN == setup.User
	}
	if p.Type != "role" {
		return false
	}
	if setup.RoleARN != "" {
		return p.ARN == setup.RoleARN || (p.Name != "" && strings.HasSuffix(setup.RoleARN, "/"+p.Name))
	}
	return mentionsVendor(p.Trust, prof)
}

// Candidate reports whether a role with trust policy d is one an audit of a
// whole account evaluates (the same choice as for an account export): its
// trust names the vendor, its account, something like it, or everyone.
func Candidate(d *policy.Document, prof *requestmodel.Profile) bool { return mentionsVendor(d, prof) }

// mentionsVendor reports whether a trust policy names the vendor, its
// account, something that looks like it, or everyone: the roles an audit of
// a whole account must look at.
func mentionsVendor(d *policy.Document, prof *requestmodel.Profile) bool {
	if d == nil {
		return false
	}
	if d.Unresolved != "" {
		return true
	}
	for _, st := range d.Statements {
		for _, p := range []*policy.Principal{st.Principal, st.NotPrincipal} {
			if p == nil {
				continue
			}
			if p.Wildcard {
				return true
			}
			for _, v := range p.AWS {
				lv := strings.ToLower(v)
				if v == "*" || policy.IsUnknown(v) || strings.Contains(v, prof.Account) ||
					strings.Contains(lv, "supermetrics") || strings.HasPrefix(v, "AROA") {
					return true
				}
			}
		}
		for _, c := range st.Condition {
			for _, v := range c.Values {
				if strings.Contains(v, prof.Account) {
					return true
				}
			}
		}
	}
	return false
}
