package load

import (
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// KMS inputs besides kms describe-key and kms get-key-policy (cli.go):
// kms list-aliases and kms list-grants output, as the AWS CLI prints them
// (awscli/examples/kms/list-aliases.rst, list-grants.rst; API_ListAliases,
// API_ListGrants in the KMS API Reference).

// AliasFacts is one alias from kms list-aliases.
type AliasFacts struct {
	Name        string // alias/NAME
	ARN         string // arn:aws:kms:REGION:ACCOUNT:alias/NAME
	TargetKeyID string // "" when the alias points at no key
	Region      string // from ARN
	Account     string // from ARN
	File        string
	Line        int
}

// GrantFacts is one KMS grant ("Grants in AWS KMS", API_GrantListEntry).
type GrantFacts struct {
	KeyID      string // key ARN (list-grants) or key id
	GrantID    string
	Name       string
	Grantee    string // GranteePrincipal
	Operations []string
	// Constraint is "" (none), "EncryptionContextEquals" or
	// "EncryptionContextSubset"; Context holds its pairs.
	Constraint string
	Context    map[string]string
	File       string
	Line       int
}

func init() {
	Register("kms list-aliases", detectListAliases, loadListAliases)
	Register("kms list-grants", detectListGrants, loadListGrants)
}

func detectListAliases(root *tree.Node) bool {
	a := root.Get("Aliases")
	return root.Kind == tree.Object && a != nil && a.Kind == tree.Array
}

func loadListAliases(file string, root *tree.Node, in *Input) {
	for _, it := range root.Get("Aliases").Items {
		if !isObject(it) {
			in.errorf(file, it.Line, "Aliases entry is %s, want an object", it.Kind)
			continue
		}
		a := &AliasFacts{Name: str(it, "AliasName"), ARN: str(it, "AliasArn"), TargetKeyID: str(it, "TargetKeyId"), File: file, Line: it.Line}
		if a.Name == "" && a.ARN == "" {
			in.errorf(file, it.Line, "Aliases entry has neither AliasName nor AliasArn")
			continue
		}
		a.Region, a.Account = arnParts(a.ARN)
		in.Aliases = append(in.Aliases, a)
	}
}

func detectListGrants(root *tree.Node) bool {
	g := root.Get("Grants")
	return root.Kind == tree.Object && g != nil && g.Kind == tree.Array
}

func loadListGrants(file string, root *tree.Node, in *Input) {
	for _, it := range root.Get("Grants").Items {
		if !isObject(it) {
			in.errorf(file, it.Line, "Grants entry is %s, want an object", it.Kind)
			continue
		}
		g := &GrantFacts{KeyID: str(it, "KeyId"), GrantID: str(it, "GrantId"), Name: str(it, "Name"),
			Grantee: str(it, "GranteePrincipal"), File: file, Line: it.Line}
		if ops := it.Get("Operations"); ops != nil && ops.Kind == tree.Array {
			for _, o := range ops.Items {
				if s, ok := o.Str(); ok {
					g.Operations = append(g.Operations, s)
				}
			}
		}
		if c := it.Get("Constraints"); isObject(c) {
			if !grantConstraint(in, file, g, c, "EncryptionContextEquals", "EncryptionContextSubset") {
				continue
			}
		}
		if g.Grantee == "" || g.KeyID == "" {
			in.errorf(file, it.Line, "Grants entry lacks KeyId or GranteePrincipal")
			continue
		}
		in.Grants = append(in.Grants, g)
	}
}

// grantConstraint reads the encryption-context constraint of a grant. A
// constraint smlint does not model makes the grant unusable for a decision:
// it is reported and the grant dropped (dropping it never widens access).
func grantConstraint(in *Input, file string, g *GrantFacts, c *tree.Node, names ...string) bool {
	for _, m := range c.Members {
		known := false
		for _, n := range names {
			if m.Key == n {
				known = true
			}
		}
		if !known {
			in.errorf(file, m.KeyLine, "grant %s: constraint %s is not modelled; the grant is ignored", g.GrantID, m.Key)
			return false
		}
		if !isObject(m.Value) {
			in.errorf(file, m.KeyLine, "grant %s: %s is %s, want an object", g.GrantID, m.Key, m.Value.Kind)
			return false
		}
		g.Constraint = m.Key
		g.Context = map[string]string{}
		for _, p := range m.Value.Members {
			v, ok := p.Value.Str()
			if !ok {
				v = policy.UnknownValue("encryption context value " + p.Key + " is not a string")
			}
			g.Context[p.Key] = v
		}
	}
	return true
}

// kmsGrant reads Terraform aws_kms_grant: key_id (an id, an ARN or a
// reference to an aws_kms_key of the plan), grantee_principal, operations and
// the constraints block (encryption_context_equals / encryption_context_subset).
// An unknown key id or grantee stays an unknown value: check treats the
// grant as one that may apply, so a request it could allow is unknown,
// never allowed.
func (p *tfPlan) kmsGrant(st *tfState, r *tfResource) {
	g := &GrantFacts{File: p.file, Line: r.line, Name: p.value(r, "", attr("name"))}
	if t := p.refTarget(r, attr("key_id")); t != nil {
		if kf := st.keys[t.res.addr]; kf != nil {
			g.KeyID = kf.ARN
			if g.KeyID == "" || policy.IsUnknown(g.KeyID) {
				g.KeyID = kf.KeyID
			}
		}
	}
	if g.KeyID == "" {
		g.KeyID = p.value(r, "key of "+r.addr, attr("key_id"))
	}
	g.Grantee = p.value(r, "grantee of "+r.addr, attr("grantee_principal"))
	g.GrantID = p.value(r, "", attr("grant_id"))
	ops, unk := r.get(attr("operations"))
	if unk {
		p.unresolved(r, r.lineOf(attr("operations")), "operations of "+r.addr, p.reason(r, attr("operations")))
	}
	for _, o := range items(ops) {
		if s, ok := o.Str(); ok {
			g.Operations = append(g.Operations, s)
		}
	}
	cs, unk := r.get(attr("constraints"))
	if unk {
		// Constraints unknown: the grant cannot be relied on.
		p.unresolved(r, r.lineOf(attr("constraints")), "constraints of "+r.addr, p.reason(r, attr("constraints")))
		return
	}
	for _, c := range items(cs) {
		for _, kv := range []struct{ tf, api string }{
			{"encryption_context_equals", "EncryptionContextEquals"},
			{"encryption_context_subset", "EncryptionContextSubset"},
		} {
			m := c.Get(kv.tf)
			if !isObject(m) || len(m.Members) == 0 {
				continue
			}
			g.Constraint = kv.api
			g.Context = map[string]string{}
			for _, e := range m.Members {
				v, ok := e.Value.Str()
				if !ok {
					v = policy.UnknownValue("encryption context value " + e.Key + " is not known")
				}
				g.Context[e.Key] = v
			}
		}
	}
	p.in.Grants = append(p.in.Grants, g)
}
