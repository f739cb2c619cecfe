package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/policy"
)

// The ARN builtin: rules read an ARN's parts from the Go core's splitter
// (policy.SplitARN, arn:partition:service:region:account:resource, the
// resource keeping any further colons: reference-arns.html) instead of
// splitting ARNs by hand in Rego.
func init() {
	rego.RegisterBuiltin1(&rego.Function{
		Name: "smlint.arn",
		Description: `The parts of an ARN: {"valid", "partition", "service", "region", "account", "resource", ` +
			`"well_formed_role"}. valid is false (and the parts empty) unless it has six parts with a partition ` +
			`and a service; well_formed_role says whether it is a well-formed IAM role ARN.`,
		Decl:    types.NewFunction(types.Args(types.A), types.A),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, _ := a.Value.(ast.String)
		return ast.NewTerm(arnObject(string(s))), nil
	})
}

func arnObject(s string) ast.Object {
	partition, service, region, account, resource, ok := policy.SplitARN(s)
	return ast.NewObject(
		ast.Item(ast.StringTerm("valid"), ast.BooleanTerm(ok)),
		ast.Item(ast.StringTerm("partition"), ast.StringTerm(partition)),
		ast.Item(ast.StringTerm("service"), ast.StringTerm(service)),
		ast.Item(ast.StringTerm("region"), ast.StringTerm(region)),
		ast.Item(ast.StringTerm("account"), ast.StringTerm(account)),
		ast.Item(ast.StringTerm("resource"), ast.StringTerm(resource)),
		ast.Item(ast.StringTerm("well_formed_role"), ast.BooleanTerm(policy.IsRoleARN(s))),
	)
}
