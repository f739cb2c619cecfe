package engine

import "github.com/open-policy-agent/opa/v1/ast"

// ToValue is toValue for the external benchmarks (input_value_test.go).
var ToValue = toValue

// AST is the value the rules see.
func AST(v Value) ast.Value { return v.v }
