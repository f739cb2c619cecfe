package engine

import (
	"encoding/binary"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Converted values are immutable, so equal parts of a rule input can be
// one value: an object costs OPA five allocations (seven past eight
// members, when its Go map outgrows one group) and a term per member,
// and most of a thousand policies' statements have the same empty facts
// and conditions with one of a few operators. shared wraps the encoder
// build of a struct with fields so that such values are made once:
//
//   - a struct of text, numbers and booleans only (a condition's parsed
//     operator) is kept by content, as long as its type has few distinct
//     values (past maxKept the type is built every time);
//   - a struct whose fields are all empty (no text, no number, no member)
//     is one of few values, told apart by which of its booleans are true
//     and which of its lists are null rather than empty (the statement
//     facts of most statements).
func shared(fields []jsonField, build valueEncoder) valueEncoder {
	if len(fields) == 0 || len(fields) > 64 {
		return build
	}
	scalars, empties := true, true
	for _, f := range fields {
		switch f.kind {
		case reflect.Bool, reflect.String,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
			scalars = false
		default:
			scalars, empties = false, false
		}
	}
	switch {
	case scalars:
		return byContent(fields, build)
	case empties:
		return byEmptyShape(fields, build)
	}
	return build
}

// keeper is the converter of a value that is kept: its terms are
// allocated each on its own, not carved from a block, so that a value kept
// for the whole run does not hold on to the block of the conversion that
// first made it, and to the rest of that conversion with it.
func keeper() *converter { return &converter{exact: true} }

// maxKept bounds the values kept of one type.
const maxKept = 256

// byContent keeps the values of a struct of scalars by their content.
func byContent(fields []jsonField, build valueEncoder) valueEncoder {
	var (
		mu   sync.RWMutex
		kept = map[string]ast.Value{}
		full atomic.Bool // the type has more than maxKept values
	)
	return func(c *converter, v reflect.Value) (ast.Value, error) {
		if full.Load() {
			return build(c, v)
		}
		c.key = contentKey(c.key[:0], v, fields)
		mu.RLock()
		val, ok := kept[string(c.key)]
		mu.RUnlock()
		if ok {
			return val, nil
		}
		val, err := build(keeper(), v)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if first, ok := kept[string(c.key)]; ok {
			return first, nil
		}
		if len(kept) == maxKept {
			full.Store(true)
		} else {
			kept[string(c.key)] = val
		}
		return val, nil
	}
}

// contentKey appends the fields of v to key, each in a form that says
// where it ends (strings with their length first), so that the key of two
// values is the same only when all their fields are.
func contentKey(key []byte, v reflect.Value, fields []jsonField) []byte {
	for _, f := range fields {
		fv := v.Field(f.index)
		switch f.kind {
		case reflect.Bool:
			b := byte(0)
			if fv.Bool() {
				b = 1
			}
			key = append(key, b)
		case reflect.String:
			s := fv.String()
			key = binary.AppendUvarint(key, uint64(len(s)))
			key = append(key, s...)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			key = binary.AppendVarint(key, fv.Int())
		default: // the unsigned integers (shared)
			key = binary.AppendUvarint(key, fv.Uint())
		}
	}
	return key
}

// maxShapes bounds the shapes kept of one type.
const maxShapes = 64

// shapeValue is the value of the structs of one empty shape.
type shapeValue struct {
	shape uint64
	val   ast.Value
}

// byEmptyShape keeps the values of a struct whose fields are all empty, by
// shape. A type has a handful: they are kept in a list that is replaced,
// never changed, so that finding one takes no lock (a sync.Map's hashing
// of the boxed shape cost more than the rest of the lookup).
func byEmptyShape(fields []jsonField, build valueEncoder) valueEncoder {
	var (
		kept atomic.Pointer[[]shapeValue]
		mu   sync.Mutex // held to replace kept
	)
	find := func(s uint64) ast.Value {
		if l := kept.Load(); l != nil {
			for _, sv := range *l {
				if sv.shape == s {
					return sv.val
				}
			}
		}
		return nil
	}
	return func(c *converter, v reflect.Value) (ast.Value, error) {
		s, ok := emptyShape(v, fields)
		if !ok {
			return build(c, v)
		}
		if val := find(s); val != nil {
			return val, nil
		}
		val, err := build(keeper(), v)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if first := find(s); first != nil {
			return first, nil
		}
		var l []shapeValue
		if old := kept.Load(); old != nil {
			l = *old
		}
		if len(l) < maxShapes {
			l = append(slices.Clip(l), shapeValue{s, val})
			kept.Store(&l)
		}
		return val, nil
	}
}

// emptyShape has a bit set for each field of v that is a true boolean or
// a null list or map. ok is false when a field is not empty.
func emptyShape(v reflect.Value, fields []jsonField) (shape uint64, ok bool) {
	for i, f := range fields {
		fv := v.Field(f.index)
		switch f.kind {
		case reflect.Bool:
			if fv.Bool() {
				shape |= 1 << i
			}
		case reflect.String:
			if fv.Len() != 0 {
				return 0, false
			}
		case reflect.Slice, reflect.Map:
			if fv.Len() != 0 {
				return 0, false
			}
			if fv.IsNil() {
				shape |= 1 << i
			}
		case reflect.Pointer, reflect.Interface:
			if !fv.IsNil() {
				return 0, false
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if fv.Int() != 0 {
				return 0, false
			}
		default: // the unsigned integers (shared)
			if fv.Uint() != 0 {
				return 0, false
			}
		}
	}
	return shape, true
}
