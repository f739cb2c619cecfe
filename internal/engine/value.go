package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toValue converts a Go value to the ast.Value the rules see, exactly as
// encoding/json would write it (json names, omitempty, nil slices, maps and
// pointers as null), without the JSON round trip ast.InterfaceToValue makes
// for structs: encoding, decoding into maps and converting those cost more
// than the rules' evaluation of a small input. Struct layouts are read once
// per type.
func toValue(v any) (ast.Value, error) {
	switch v := v.(type) {
	case ast.Value:
		return v, nil
	case Value:
		return v.v, nil
	case map[string]any, []any:
		return ast.InterfaceToValue(v)
	}
	return valueOf(reflect.ValueOf(v))
}

// emptyArray is every empty list of an input: values are immutable, and
// the rule input has many (five lists of facts a statement, most empty).
var emptyArray = ast.NewArray()

// jsonField is a struct field as encoding/json writes it.
type jsonField struct {
	index     int
	key       *ast.Term
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type → []jsonField

func fieldsOf(t reflect.Type) ([]jsonField, error) {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField), nil
	}
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Anonymous {
			// encoding/json flattens embedded structs; the rule input has
			// none, and copying those rules here is not worth it.
			return nil, fmt.Errorf("rule input: embedded field %s.%s is not supported", t, sf.Name)
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		out = append(out, jsonField{index: i, key: ast.InternedTerm(name), omitEmpty: hasOpt(opts, "omitempty")})
	}
	fieldCache.Store(t, out)
	return out, nil
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

func valueOf(v reflect.Value) (ast.Value, error) {
	if v.IsValid() && v.Type() == valueType {
		if val := v.Interface().(Value).v; val != nil {
			return val, nil
		}
		return ast.NullValue, nil
	}
	switch v.Kind() {
	case reflect.Invalid:
		return ast.NullValue, nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		return valueOf(v.Elem())
	case reflect.String:
		return ast.InternedValue(v.String()), nil
	case reflect.Bool:
		return ast.InternedValue(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		// OPA keeps one value of each small integer (line numbers, most).
		return ast.InternedValue(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil, err
		}
		return ast.Number(b), nil
	case reflect.Slice:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		fallthrough
	case reflect.Array:
		if v.Len() == 0 {
			return emptyArray, nil
		}
		// One allocation for the terms of an array or object, not one each.
		slab := make([]ast.Term, v.Len())
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			e, err := valueOf(v.Index(i))
			if err != nil {
				return nil, err
			}
			slab[i].Value = e
			terms[i] = &slab[i]
		}
		return ast.NewArray(terms...), nil
	case reflect.Map:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("rule input: map key type %s is not a string", v.Type().Key())
		}
		slab := make([]ast.Term, 2*v.Len())
		pairs := make([][2]*ast.Term, 0, v.Len())
		it := v.MapRange()
		for i := 0; it.Next(); i += 2 {
			e, err := valueOf(it.Value())
			if err != nil {
				return nil, err
			}
			slab[i].Value, slab[i+1].Value = ast.InternedValue(it.Key().String()), e
			pairs = append(pairs, [2]*ast.Term{&slab[i], &slab[i+1]})
		}
		return ast.NewObject(pairs...), nil
	case reflect.Struct:
		fields, err := fieldsOf(v.Type())
		if err != nil {
			return nil, err
		}
		slab := make([]ast.Term, len(fields))
		pairs := make([][2]*ast.Term, 0, len(fields))
		for i, f := range fields {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			e, err := valueOf(fv)
			if err != nil {
				return nil, err
			}
			slab[i].Value = e
			pairs = append(pairs, [2]*ast.Term{f.key, &slab[i]})
		}
		return ast.NewObject(pairs...), nil
	}
	return nil, fmt.Errorf("rule input: values of type %s are not supported", v.Type())
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
