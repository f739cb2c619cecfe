package engine

import (
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Value is part of a rule input already converted to what the rules see.
// A caller that hands the same part to many evaluations (a managed policy
// attached to many roles of an account export, or each of a thousand
// documents of one run) converts it once, possibly on another core, and
// composes inputs from the converted parts; Eval and Convert take a Value
// wherever a Go value is allowed and use it as it is.
//
// Values are immutable: evaluations on several goroutines may share one
// (OPA's objects and sets guard their lazy key sorting themselves).
type Value struct{ v ast.Value }

var valueType = reflect.TypeFor[Value]()

// Convert converts v as Eval would (see toValue).
func Convert(v any) (Value, error) {
	val, err := toValue(v)
	if err != nil {
		return Value{}, err
	}
	return Value{val}, nil
}

// String is the value of a string.
func String(s string) Value { return Value{ast.InternedValue(s)} }

// Array is the array of vs, in order.
func Array(vs []Value) Value {
	slab := make([]ast.Term, len(vs))
	terms := make([]*ast.Term, len(vs))
	for i, v := range vs {
		slab[i].Value = v.v
		terms[i] = &slab[i]
	}
	return Value{ast.NewArray(terms...)}
}

// With is the object v with key set to val (added or replaced); v itself
// is unchanged and shares its other members with the result. v must be an
// object (a converted struct or map).
func (v Value) With(key string, val Value) Value {
	obj, ok := v.v.(ast.Object)
	if !ok {
		panic("engine: Value.With on a non-object")
	}
	k := ast.InternedTerm(key)
	pairs := make([][2]*ast.Term, 0, obj.Len()+1)
	replaced := false
	obj.Foreach(func(ok, ov *ast.Term) {
		if ok.Equal(k) {
			ov, replaced = &ast.Term{Value: val.v}, true
		}
		pairs = append(pairs, [2]*ast.Term{ok, ov})
	})
	if !replaced {
		pairs = append(pairs, [2]*ast.Term{k, {Value: val.v}})
	}
	return Value{ast.NewObject(pairs...)}
}
