package awscli

import (
	"slices"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// KMS inputs besides kms describe-key and kms get-key-policy (cli.go):
// kms list-aliases and kms list-grants output, as the AWS CLI prints them
// (awscli/examples/kms/list-aliases.rst, list-grants.rst; API_ListAliases,
// API_ListGrants in the KMS API Reference).

func detectListAliases(root *tree.Node) bool {
	a := root.Get("Aliases")
	return root.Kind == tree.Object && a != nil && a.Kind == tree.Array
}

func loadListAliases(root *tree.Node, b *input.Builder) {
	for _, it := range root.Get("Aliases").Items {
		if !input.IsObject(it) {
			b.Errorf(it.Line, "Aliases entry is %s, want an object", it.Kind)
			continue
		}
		a := &input.AliasFacts{Name: input.Str(it, "AliasName"), ARN: input.Str(it, "AliasArn"), TargetKeyID: input.Str(it, "TargetKeyId"), File: b.File, Line: it.Line}
		if a.Name == "" && a.ARN == "" {
			b.Errorf(it.Line, "Aliases entry has neither AliasName nor AliasArn")
			continue
		}
		arn, _ := policy.ParseARN(a.ARN)
		a.Region, a.Account = arn.Region, arn.Account
		b.In.Aliases = append(b.In.Aliases, a)
	}
}

func detectListGrants(root *tree.Node) bool {
	g := root.Get("Grants")
	return root.Kind == tree.Object && g != nil && g.Kind == tree.Array
}

func loadListGrants(root *tree.Node, b *input.Builder) {
	for _, it := range root.Get("Grants").Items {
		if !input.IsObject(it) {
			b.Errorf(it.Line, "Grants entry is %s, want an object", it.Kind)
			continue
		}
		g := &input.GrantFacts{KeyID: input.Str(it, "KeyId"), GrantID: input.Str(it, "GrantId"), Name: input.Str(it, "Name"),
			Grantee: input.Str(it, "GranteePrincipal"), File: b.File, Line: it.Line}
		if ops := it.Get("Operations"); ops != nil && ops.Kind == tree.Array {
			for _, o := range ops.Items {
				if s, ok := o.Str(); ok {
					g.Operations = append(g.Operations, s)
				}
			}
		}
		if c := it.Get("Constraints"); input.IsObject(c) {
			if !grantConstraint(b, g, c, "EncryptionContextEquals", "EncryptionContextSubset") {
				continue
			}
		}
		if g.Grantee == "" || g.KeyID == "" {
			b.Errorf(it.Line, "Grants entry lacks KeyId or GranteePrincipal")
			continue
		}
		b.In.Grants = append(b.In.Grants, g)
	}
}

// grantConstraint reads the encryption-context constraint of a grant. A
// constraint smlint does not model makes the grant unusable for a decision:
// it is reported and the grant dropped (dropping it never widens access).
func grantConstraint(b *input.Builder, g *input.GrantFacts, c *tree.Node, names ...string) bool {
	for _, m := range c.Members {
		if !slices.Contains(names, m.Key) {
			b.Errorf(m.KeyLine, "grant %s: constraint %s is not modelled; the grant is ignored", g.GrantID, m.Key)
			return false
		}
		if !input.IsObject(m.Value) {
			b.Errorf(m.KeyLine, "grant %s: %s is %s, want an object", g.GrantID, m.Key, m.Value.Kind)
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
