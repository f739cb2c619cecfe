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
// than the rules' evaluation of a small input.
//
// Each Go type gets an encoder built once (encoderOf), so the reflection
// that finds fields, json names and kinds is not redone per value, and a
// conversion carves its terms from a few large allocations (converter):
// converting the 1,594 AWS managed policies is mostly allocation.
func toValue(v any) (ast.Value, error) {
	switch v := v.(type) {
	case nil:
		return ast.NullValue, nil
	case ast.Value:
		return v, nil
	case Value:
		return v.v, nil
	case map[string]any, []any:
		return ast.InterfaceToValue(v)
	}
	rv := reflect.ValueOf(v)
	c := converters.Get().(*converter)
	defer converters.Put(c)
	return encoderOf(rv.Type())(c, rv)
}

// emptyArray is every empty list of an input: values are immutable, and
// the rule input has many (five lists of facts a statement, most empty).
var emptyArray = ast.NewArray()

// A valueEncoder converts a value of the one type it was built for.
type valueEncoder func(c *converter, v reflect.Value) (ast.Value, error)

var encoders sync.Map // reflect.Type → valueEncoder

// encoderOf is the encoder of t, built on first use. A type that contains
// itself (through a pointer, slice or map) finds its own encoder under
// construction: it gets a stand-in that waits for the real one.
func encoderOf(t reflect.Type) valueEncoder {
	if e, ok := encoders.Load(t); ok {
		return e.(valueEncoder)
	}
	var (
		built sync.WaitGroup
		final valueEncoder
	)
	built.Add(1)
	standIn := valueEncoder(func(c *converter, v reflect.Value) (ast.Value, error) {
		built.Wait()
		return final(c, v)
	})
	if e, loaded := encoders.LoadOrStore(t, standIn); loaded {
		return e.(valueEncoder)
	}
	final = newEncoder(t)
	built.Done()
	encoders.Store(t, final)
	return final
}

func newEncoder(t reflect.Type) valueEncoder {
	if t == valueType {
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			if val := v.Interface().(Value).v; val != nil {
				return val, nil
			}
			return ast.NullValue, nil
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := encoderOf(t.Elem())
		return func(c *converter, v reflect.Value) (ast.Value, error) {
			if v.IsNil() {
				return ast.NullValue, nil
			}
			return elem(c, v.Elem())
		}
	case reflect.Interface:
		return func(c *converter, v reflect.Value) (ast.Value, error) {
			if v.IsNil() {
				return ast.NullValue, nil
			}
			e := v.Elem()
			return encoderOf(e.Type())(c, e)
		}
	case reflect.String:
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			return str(v.String()), nil
		}
	case reflect.Bool:
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			return ast.InternedValue(v.Bool()), nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		// OPA keeps one value of each small integer (line numbers, most).
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			return ast.InternedValue(v.Int()), nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			return ast.Number(strconv.FormatUint(v.Uint(), 10)), nil
		}
	case reflect.Float32, reflect.Float64:
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			b, err := json.Marshal(v.Interface())
			if err != nil {
				return nil, err
			}
			return ast.Number(b), nil
		}
	case reflect.Slice:
		list := listEncoder(t)
		return func(c *converter, v reflect.Value) (ast.Value, error) {
			if v.IsNil() {
				return ast.NullValue, nil
			}
			return list(c, v)
		}
	case reflect.Array:
		return listEncoder(t)
	case reflect.Map:
		return mapEncoder(t)
	case reflect.Struct:
		return structEncoder(t)
	}
	return failing(fmt.Errorf("rule input: values of type %s are not supported", t))
}

// failing is the encoder of a type that cannot be converted: the error
// comes when a value of it is met, as encoding/json's would.
func failing(err error) valueEncoder {
	return func(*converter, reflect.Value) (ast.Value, error) { return nil, err }
}

// wildcardList is every list of the one string "*": a statement's
// Resource, Action or Principal is that list more often than any other.
var wildcardList = ast.NewArray(ast.NewTerm(wildcard))

func listEncoder(t reflect.Type) valueEncoder {
	elem := encoderOf(t.Elem())
	ofStrings := t.Elem().Kind() == reflect.String
	return func(c *converter, v reflect.Value) (ast.Value, error) {
		n := v.Len()
		if n == 0 {
			return emptyArray, nil
		}
		if n == 1 && ofStrings && v.Index(0).String() == "*" {
			return wildcardList, nil
		}
		terms := c.termList(n)
		for i := range terms {
			e, err := elem(c, v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = c.term(e)
		}
		return ast.NewArray(terms...), nil
	}
}

func mapEncoder(t reflect.Type) valueEncoder {
	if t.Key().Kind() != reflect.String {
		err := fmt.Errorf("rule input: map key type %s is not a string", t.Key())
		return func(_ *converter, v reflect.Value) (ast.Value, error) {
			if v.IsNil() {
				return ast.NullValue, nil
			}
			return nil, err
		}
	}
	elem := encoderOf(t.Elem())
	return func(c *converter, v reflect.Value) (ast.Value, error) {
		if v.IsNil() {
			return ast.NullValue, nil
		}
		base := len(c.pairs)
		it := v.MapRange()
		for it.Next() {
			e, err := elem(c, it.Value())
			if err != nil {
				c.pairs = c.pairs[:base]
				return nil, err
			}
			c.pairs = append(c.pairs, [2]*ast.Term{c.term(str(it.Key().String())), c.term(e)})
		}
		return c.object(base), nil
	}
}

// jsonField is a struct field as encoding/json writes it.
type jsonField struct {
	index     int
	key       *ast.Term
	omitEmpty bool
	kind      reflect.Kind
	enc       valueEncoder
}

func structEncoder(t reflect.Type) valueEncoder {
	var fields []jsonField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Anonymous {
			// encoding/json flattens embedded structs; the rule input has
			// none, and copying those rules here is not worth it.
			return failing(fmt.Errorf("rule input: embedded field %s.%s is not supported", t, sf.Name))
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fields = append(fields, jsonField{index: i, key: ast.InternedTerm(name), omitEmpty: hasOpt(opts, "omitempty"), kind: sf.Type.Kind()})
	}
	// The field encoders are looked up once every field is known: a field
	// of the struct's own type then finds the finished list.
	for i := range fields {
		fields[i].enc = encoderOf(t.Field(fields[i].index).Type)
	}
	build := func(c *converter, v reflect.Value) (ast.Value, error) {
		base := len(c.pairs)
		for _, f := range fields {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			e, err := f.enc(c, fv)
			if err != nil {
				c.pairs = c.pairs[:base]
				return nil, err
			}
			c.pairs = append(c.pairs, [2]*ast.Term{f.key, c.term(e)})
		}
		return c.object(base), nil
	}
	return shared(fields, build)
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

// A converter is the state of one conversion. OPA's arrays and objects
// point to their terms, so a value of n members costs n terms besides the
// value itself: the converter hands them out of larger blocks, which the
// finished value then shares (they live as long as it does), and gathers
// each object's members in one scratch list that NewObject copies.
//
// Converters are reused (one conversion a document, a thousand documents a
// run), so a block's rest serves the next conversion instead of being
// wasted; values of several conversions then share a block, which lives
// until the last of them is dropped.
type converter struct {
	terms []ast.Term     // the unused rest of the current block of terms
	lists []*ast.Term    // the unused rest of the current block of arrays' members
	pairs [][2]*ast.Term // members of the objects under construction, innermost last
	key   []byte         // scratch for byContent's keys
	exact bool           // allocate terms and lists of the size asked (keeper)
}

var converters = sync.Pool{New: func() any { return new(converter) }}

// blockSize is the terms of a block (6 KiB): a statement of a policy
// takes a few dozen.
const blockSize = 256

func (c *converter) nextBlock(need int) int {
	if c.exact {
		return need
	}
	return max(blockSize, need)
}

// term is a new term holding v.
func (c *converter) term(v ast.Value) *ast.Term {
	if len(c.terms) == 0 {
		c.terms = make([]ast.Term, c.nextBlock(1))
	}
	t := &c.terms[0]
	c.terms = c.terms[1:]
	t.Value = v
	return t
}

// termList is n new slots for an array's members. Its capacity is n, so
// an append to the array (OPA's Array.Append) copies rather than writing
// into the block's next list.
func (c *converter) termList(n int) []*ast.Term {
	if len(c.lists) < n {
		c.lists = make([]*ast.Term, c.nextBlock(n))
	}
	l := c.lists[:n:n]
	c.lists = c.lists[n:]
	return l
}

// object is the object of the members gathered since base, which it
// removes from the scratch list.
func (c *converter) object(base int) ast.Object {
	obj := ast.NewObject(c.pairs[base:]...)
	c.pairs = c.pairs[:base]
	return obj
}

// str is the value of s. OPA interns some strings (builtin names, its
// keywords), which a rule input hardly holds: looking each string up in
// that table costs more than the allocation it would save. The empty
// string and IAM's wildcard, by far the most common, are made once.
func str(s string) ast.Value {
	switch s {
	case "":
		return ast.InternedEmptyStringValue
	case "*":
		return wildcard
	}
	return ast.String(s)
}

var wildcard ast.Value = ast.String("*")
