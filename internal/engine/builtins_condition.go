package engine

import (
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// smlint.condition_blockers tells a rule which conditions of a statement the
// vendor's call does not satisfy, each decided by iam.EvalCondition against
// the request model's context (requestmodel.AssumeRoleContext), so that a rule can
// name the blocking condition key without re-deriving condition semantics
// (reference_policies_elements_condition_operators.html) in Rego.
//
// request is an object:
//
//	{"id": "assume-role", "source_ip": "203.0.113.0/24" or "",
//	 "external_id": "" or the configured value, "version": the document's Version,
//	 "principal_arn": vendor role ARN, "account": vendor account,
//	 "role_account", "organization_id": the customer's, optional}
//
// Missing principal_arn/account fall back to the embedded Supermetrics
// profile. Only "assume-role" is modelled; any other id gives [].
//
// The answer lists the conditions that do not hold (result "false") or cannot
// be decided (result "maybe"), in statement order:
//
//	[{"operator", "key", "values", "line", "result", "reason"}]
func init() {
	rego.RegisterBuiltin2(&rego.Function{
		Name: "smlint.condition_blockers",
		Description: `The conditions of a statement that the vendor's call does not satisfy ("false") ` +
			`or that cannot be decided ("maybe"), evaluated by the IAM core with the request model's context.`,
		Decl: types.NewFunction(types.Args(types.A, types.A), types.NewArray(nil, types.A)),
	}, func(bctx rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		st, ok1 := a.Value.(ast.Object)
		req, ok2 := b.Value.(ast.Object)
		if !ok1 || !ok2 {
			return ast.ArrayTerm(), nil
		}
		if objString(req, "id") != "assume-role" {
			return ast.ArrayTerm(), nil
		}
		prof := &requestmodel.Profile{PrincipalARN: objString(req, "principal_arn"), Account: objString(req, "account")}
		if prof.PrincipalARN == "" || prof.Account == "" {
			def := requestmodel.Default()
			if prof.PrincipalARN == "" {
				prof.PrincipalARN = def.PrincipalARN
			}
			if prof.Account == "" {
				prof.Account = def.Account
			}
		}
		now := time.Now()
		if bctx.Time != nil {
			if ns, ok := bctx.Time.Value.(ast.Number); ok {
				if n, ok := ns.Int64(); ok {
					now = time.Unix(0, n)
				}
			}
		}
		// The customer role's account, organization and tags are not in
		// the request object: the keys that take them stay unknown, so a
		// condition on them is never named as blocking.
		target := requestmodel.Target{Account: objString(req, "role_account"), OrgID: objString(req, "organization_id")}
		ctx := requestmodel.AssumeRoleContext(prof, target, objString(req, "external_id"), objString(req, "source_ip"), now)
		effect := policy.Effect(objString(st, "effect"))
		version := objString(req, "version")

		out := []*ast.Term{}
		ct := st.Get(ast.StringTerm("condition"))
		if ct == nil {
			return ast.ArrayTerm(), nil
		}
		conds, ok := ct.Value.(*ast.Array)
		if !ok {
			return ast.ArrayTerm(), nil
		}
		conds.Foreach(func(t *ast.Term) {
			c, ok := t.Value.(ast.Object)
			if !ok {
				return
			}
			cond := policy.Condition{
				Operator: objString(c, "operator"),
				Key:      objString(c, "key"),
				Values:   stringsOf(c.Get(ast.StringTerm("values"))),
			}
			res, why := iam.EvalCondition(cond, ctx, version, effect)
			if res == iam.True {
				return
			}
			entry := ast.NewObject(
				ast.Item(ast.StringTerm("operator"), ast.StringTerm(cond.Operator)),
				ast.Item(ast.StringTerm("key"), ast.StringTerm(cond.Key)),
				ast.Item(ast.StringTerm("values"), termOr(c.Get(ast.StringTerm("values")), ast.ArrayTerm())),
				ast.Item(ast.StringTerm("line"), termOr(c.Get(ast.StringTerm("line")), ast.IntNumberTerm(0))),
				ast.Item(ast.StringTerm("result"), ast.StringTerm(triString(res))),
				ast.Item(ast.StringTerm("reason"), ast.StringTerm(why.Text)),
			)
			out = append(out, ast.NewTerm(entry))
		})
		return ast.ArrayTerm(out...), nil
	})
}

// objString reads a string field of an object, "" when absent or not a string.
func objString(o ast.Object, key string) string {
	if v := o.Get(ast.StringTerm(key)); v != nil {
		if s, ok := v.Value.(ast.String); ok {
			return string(s)
		}
	}
	return ""
}

func termOr(t, def *ast.Term) *ast.Term {
	if t == nil {
		return def
	}
	return t
}
