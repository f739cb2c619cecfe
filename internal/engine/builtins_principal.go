package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// Principal builtins: whether a statement's Principal element names a
// caller is decided by iam.MatchPrincipal, so that rules which diagnose trust
// policies (which statement is "the vendor's") never re-derive the Principal
// semantics of reference_policies_elements_principal.html in Rego.
func init() {
	rego.RegisterBuiltin2(&rego.Function{
		Name: "smlint.principal_match",
		Description: `Whether a statement's principal object (input shape: wildcard, aws, service, federated, ` +
			`canonical_user) names a role-session caller {arn, account}: "true", "false" or "maybe".`,
		Decl:    types.NewFunction(types.Args(types.A, types.A), types.S),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		p := principalFromTerm(a)
		if p == nil {
			return ast.StringTerm("false"), nil
		}
		caller := callerFromTerm(b)
		t, _ := iam.MatchPrincipal(p, caller)
		return ast.StringTerm(triString(t)), nil
	})
	rego.RegisterBuiltin2(&rego.Function{
		Name: "smlint.edit_distance",
		Description: "The Levenshtein distance between two strings (in runes), for naming near misses " +
			"such as a mistyped role name. Not an IAM semantic: never use it to decide a match.",
		Decl:    types.NewFunction(types.Args(types.S, types.S), types.N),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		x, ok1 := a.Value.(ast.String)
		y, ok2 := b.Value.(ast.String)
		if !ok1 || !ok2 {
			return nil, nil // undefined
		}
		return ast.IntNumberTerm(editDistance([]rune(string(x)), []rune(string(y)))), nil
	})
}

// principalFromTerm converts the rule input's principal object back into the
// policy model. null (no Principal element) gives nil.
func principalFromTerm(t *ast.Term) *policy.Principal {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return nil
	}
	p := &policy.Principal{}
	if w := obj.Get(ast.StringTerm("wildcard")); w != nil {
		if b, ok := w.Value.(ast.Boolean); ok {
			p.Wildcard = bool(b)
		}
	}
	list := func(key string) []string {
		if v := obj.Get(ast.StringTerm(key)); v != nil {
			return stringsOf(v)
		}
		return nil
	}
	p.AWS = list("aws")
	p.Service = list("service")
	p.Federated = list("federated")
	p.Canonical = list("canonical_user")
	return p
}

// callerFromTerm reads {arn, account} into the vendor-style caller: a role
// session whose session name is not known (vendor.VendorCaller).
func callerFromTerm(t *ast.Term) iam.Caller {
	c := iam.Caller{
		Type:       iam.RoleSession,
		SessionARN: policy.UnknownValue("the role session name is not known"),
	}
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return c
	}
	str := func(key string) string {
		if v := obj.Get(ast.StringTerm(key)); v != nil {
			if s, ok := v.Value.(ast.String); ok {
				return string(s)
			}
		}
		return ""
	}
	c.ARN = str("arn")
	c.Account = str("account")
	if c.ARN == "" {
		c.ARN = policy.UnknownValue("the caller's ARN is not known")
	}
	if c.Account == "" {
		c.Account = policy.UnknownValue("the caller's account is not known")
	}
	return c
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
