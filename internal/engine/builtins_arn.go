package engine

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/policy"
)

// The ARN builtin: rules read an ARN's parts from the Go core's parser
// (policy.ParseARN, arn:partition:service:region:account:resource, the
// resource keeping any further colons: reference-arns.html) instead of
// splitting ARNs by hand in Rego.
func init() {
	rego.RegisterBuiltin1(&rego.Function{
		Name: "smlint.arn",
		Description: `The parts of an ARN: {"valid", "partition", "definite_partition", "service", "region", "account", "account_id", ` +
			`"resource", "resource_type", "name", "well_formed_role"}. definite_partition is the partition unless it has a ` +
			`wildcard or a policy variable (then ""). valid is false (and the parts empty) unless it ` +
			`has six parts with a partition and a service; account_id says whether the account is a 12-digit id; ` +
			`resource_type and name are the resource's text before its first / and after its last / ("" without a /); ` +
			`well_formed_role says whether it is a well-formed IAM role ARN.`,
		Decl:    types.NewFunction(types.Args(types.A), types.A),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, _ := a.Value.(ast.String)
		return ast.NewTerm(arnObject(string(s))), nil
	})
	rego.RegisterBuiltin1(&rego.Function{
		Name: "smlint.region_partition",
		Description: `The partition of a Region outside the aws partition (cn-north-1: "aws-cn"), by its name ` +
			`prefix; "" for a Region of the aws partition or a name that is no Region.`,
		Decl:    types.NewFunction(types.Args(types.S), types.S),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, _ := a.Value.(ast.String)
		return ast.StringTerm(policy.RegionPartition(string(s))), nil
	})
	rego.RegisterBuiltin1(&rego.Function{
		Name: "smlint.id_shape",
		Description: `The shape of a bare IAM identifier: {"account_id", "digits", "unique_id_prefix", ` +
			`"temporary_access_key"}: whether it is a 12-digit account id, whether it is only digits (true for ""), ` +
			`the four-letter prefix of an IAM unique id (AROA, AIDA...) or "", and whether it is the access key id ` +
			`of temporary STS credentials (ASIA...).`,
		Decl:    types.NewFunction(types.Args(types.A), types.A),
		Memoize: true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		s, _ := a.Value.(ast.String)
		return ast.NewTerm(ast.NewObject(
			ast.Item(ast.StringTerm("account_id"), ast.BooleanTerm(policy.IsAccountID(string(s)))),
			ast.Item(ast.StringTerm("digits"), ast.BooleanTerm(isString(a) && policy.IsDigits(string(s)))),
			ast.Item(ast.StringTerm("unique_id_prefix"), ast.StringTerm(policy.UniqueIDPrefix(string(s)))),
			ast.Item(ast.StringTerm("temporary_access_key"), ast.BooleanTerm(isString(a) && policy.IsTemporaryAccessKeyID(string(s)))),
		)), nil
	})
}

// isString reports whether a term is a string: a non-string is no identifier.
func isString(a *ast.Term) bool {
	_, str := a.Value.(ast.String)
	return str
}

func arnObject(s string) ast.Object {
	a, ok := policy.ParseARN(s)
	definite, _ := policy.DefinitePartition(s)
	// resource_type and name are both "" for a resource without a / (root,
	// a bucket): the rules read them as the parts of type/path/name.
	typ, name := "", ""
	if strings.Contains(a.Resource, "/") {
		typ, name = a.ResourceType(), a.Name()
	}
	return ast.NewObject(
		ast.Item(ast.StringTerm("valid"), ast.BooleanTerm(ok)),
		ast.Item(ast.StringTerm("partition"), ast.StringTerm(a.Partition)),
		ast.Item(ast.StringTerm("definite_partition"), ast.StringTerm(definite)),
		ast.Item(ast.StringTerm("service"), ast.StringTerm(a.Service)),
		ast.Item(ast.StringTerm("region"), ast.StringTerm(a.Region)),
		ast.Item(ast.StringTerm("account"), ast.StringTerm(a.Account)),
		ast.Item(ast.StringTerm("account_id"), ast.BooleanTerm(policy.IsAccountID(a.Account))),
		ast.Item(ast.StringTerm("resource"), ast.StringTerm(a.Resource)),
		ast.Item(ast.StringTerm("resource_type"), ast.StringTerm(typ)),
		ast.Item(ast.StringTerm("name"), ast.StringTerm(name)),
		ast.Item(ast.StringTerm("well_formed_role"), ast.BooleanTerm(policy.IsRoleARN(s))),
	)
}
