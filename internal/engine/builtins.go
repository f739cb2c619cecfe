package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// The builtins give rules the IAM evaluation core's answers, so no rule
// re-derives wildcard, ARN, principal or CIDR semantics in Rego. They are
// registered globally so that both the engine and the Rego unit-test runner
// see them.
func init() {
	rego.RegisterBuiltin2(&rego.Function{
		Name:        "smlint.action_matches",
		Description: "Whether an IAM action pattern (case-insensitive, * and ?) matches an action.",
		Decl:        types.NewFunction(types.Args(types.S, types.S), types.B),
		Memoize:     true,
	}, func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		p, ok1 := a.Value.(ast.String)
		act, ok2 := b.Value.(ast.String)
		if !ok1 || !ok2 {
			return ast.BooleanTerm(false), nil
		}
		return ast.BooleanTerm(iam.ActionMatches(string(p), string(act))), nil
	})
	rego.RegisterBuiltin2(&rego.Function{
		Name:        "smlint.actions_matching",
		Description: "The actions of a list (in order) that an IAM action pattern matches: smlint.action_matches over a list in one call.",
		Decl:        types.NewFunction(types.Args(types.S, types.NewArray(nil, types.A)), types.NewArray(nil, types.S)),
		Memoize:     true,
	}, func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		p, ok := a.Value.(ast.String)
		list, isArr := b.Value.(*ast.Array)
		out := []*ast.Term{}
		if !ok || !isArr {
			return ast.ArrayTerm(out...), nil
		}
		list.Foreach(func(x *ast.Term) {
			if act, ok := x.Value.(ast.String); ok && iam.ActionMatches(string(p), string(act)) {
				out = append(out, x)
			}
		})
		return ast.ArrayTerm(out...), nil
	})
	rego.RegisterBuiltin2(&rego.Function{
		Name:        "smlint.ip_uncovered",
		Description: "The ranges (CIDRs) that the CIDR list does not fully cover; invalid ranges count as uncovered.",
		Decl:        types.NewFunction(types.Args(types.NewArray(nil, types.S), types.NewArray(nil, types.S)), types.NewArray(nil, types.S)),
	}, func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		ranges := stringsOf(a)
		cidrs := stringsOf(b)
		out := []*ast.Term{}
		for _, r := range ranges {
			covered, _, err := iam.IPRangeCovered(r, cidrs)
			if err != nil || !covered {
				out = append(out, ast.StringTerm(r))
			}
		}
		return ast.ArrayTerm(out...), nil
	})
	rego.RegisterBuiltin1(&rego.Function{
		Name:        "smlint.is_unknown",
		Description: "Whether a value was left unresolved by the input (Terraform known after apply, a CloudFormation reference).",
		Decl:        types.NewFunction(types.Args(types.A), types.B),
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, ok := a.Value.(ast.String)
		return ast.BooleanTerm(ok && policy.IsUnknown(string(s))), nil
	})
	rego.RegisterBuiltin1(&rego.Function{
		Name:        "smlint.display",
		Description: "A value as people should read it: unresolved values become <unknown: reason>.",
		Decl:        types.NewFunction(types.Args(types.S), types.S),
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, _ := a.Value.(ast.String)
		return ast.StringTerm(Display(string(s))), nil
	})
}

// Display renders a value for people: an unresolved value becomes
// "<unknown: reason>", and the any-object marker "*".
func Display(s string) string {
	if policy.IsUnknown(s) {
		return "<unknown: " + policy.UnknownReason(s) + ">"
	}
	out := []rune{}
	for _, r := range s {
		if string(r) == iam.AnyKey {
			out = append(out, '*')
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

func triString(t iam.Tri) string {
	switch t {
	case iam.True:
		return "true"
	case iam.Maybe:
		return "maybe"
	}
	return "false"
}

func stringsOf(t *ast.Term) []string {
	var out []string
	switch v := t.Value.(type) {
	case *ast.Array:
		v.Foreach(func(x *ast.Term) {
			if s, ok := x.Value.(ast.String); ok {
				out = append(out, string(s))
			}
		})
	case ast.Set:
		v.Foreach(func(x *ast.Term) {
			if s, ok := x.Value.(ast.String); ok {
				out = append(out, string(s))
			}
		})
	}
	return out
}
