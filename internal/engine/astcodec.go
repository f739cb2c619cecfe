package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
)

// A compact binary form of compiled Rego modules, so that the binary can
// carry the compiler's output instead of compiling the rules at every run
// (see precompiled.go). OPA's own JSON form of the AST cannot carry `every`
// expressions and re-scans every nesting level, hence this codec: a string
// table, then the modules as a pre-order walk of varints. It covers every
// node kind compiled modules contain; encoding fails loudly on anything else,
// so a new Rego construct breaks `go generate`, never a run.

const codecMagic = "smlint-rego-ast/1\n"

// Term value tags.
const (
	tagNil byte = iota
	tagNull
	tagFalse
	tagTrue
	tagNumber
	tagString
	tagVar
	tagRef
	tagArray
	tagSet
	tagObject
	tagArrayCompr
	tagSetCompr
	tagObjectCompr
	tagCall
)

// Expression term kinds.
const (
	exprTerm byte = iota
	exprCall
	exprSome
	exprEvery
)

type encoder struct {
	buf     []byte
	strings map[string]uint64
	table   []string
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int)     { e.buf = binary.AppendVarint(e.buf, int64(v)) }
func (e *encoder) byte(b byte)   { e.buf = append(e.buf, b) }

func (e *encoder) bool(b bool) {
	if b {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) str(s string) {
	i, ok := e.strings[s]
	if !ok {
		i = uint64(len(e.table))
		e.strings[s] = i
		e.table = append(e.table, s)
	}
	e.uint(i)
}

func (e *encoder) loc(l *ast.Location) {
	if l == nil {
		e.byte(0)
		return
	}
	e.byte(1)
	e.str(l.File)
	e.int(l.Row)
	e.int(l.Col)
}

// terms writes a list as its length plus one, 0 for nil: an empty argument
// list (a function of no arguments) is not a missing one.
func (e *encoder) terms(ts []*ast.Term) error {
	if ts == nil {
		e.uint(0)
		return nil
	}
	e.uint(uint64(len(ts)) + 1)
	for _, t := range ts {
		if err := e.term(t); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) term(t *ast.Term) error {
	if t == nil {
		e.byte(tagNil)
		return nil
	}
	switch v := t.Value.(type) {
	case ast.Null:
		e.byte(tagNull)
	case ast.Boolean:
		if v {
			e.byte(tagTrue)
		} else {
			e.byte(tagFalse)
		}
	case ast.Number:
		e.byte(tagNumber)
		e.str(string(v))
	case ast.String:
		e.byte(tagString)
		e.str(string(v))
	case ast.Var:
		e.byte(tagVar)
		e.str(string(v))
	case ast.Ref:
		e.byte(tagRef)
		if err := e.terms(v); err != nil {
			return err
		}
	case ast.Call:
		e.byte(tagCall)
		if err := e.terms(v); err != nil {
			return err
		}
	case *ast.Array:
		e.byte(tagArray)
		ts := make([]*ast.Term, 0, v.Len())
		v.Foreach(func(x *ast.Term) { ts = append(ts, x) })
		if err := e.terms(ts); err != nil {
			return err
		}
	case ast.Set:
		e.byte(tagSet)
		ts := make([]*ast.Term, 0, v.Len())
		v.Foreach(func(x *ast.Term) { ts = append(ts, x) })
		if err := e.terms(ts); err != nil {
			return err
		}
	case ast.Object:
		e.byte(tagObject)
		e.uint(uint64(v.Len()))
		var err error
		v.Foreach(func(k, x *ast.Term) {
			if err == nil {
				err = e.term(k)
			}
			if err == nil {
				err = e.term(x)
			}
		})
		if err != nil {
			return err
		}
	case *ast.ArrayComprehension:
		e.byte(tagArrayCompr)
		if err := e.term(v.Term); err != nil {
			return err
		}
		if err := e.body(v.Body); err != nil {
			return err
		}
	case *ast.SetComprehension:
		e.byte(tagSetCompr)
		if err := e.term(v.Term); err != nil {
			return err
		}
		if err := e.body(v.Body); err != nil {
			return err
		}
	case *ast.ObjectComprehension:
		e.byte(tagObjectCompr)
		if err := e.term(v.Key); err != nil {
			return err
		}
		if err := e.term(v.Value); err != nil {
			return err
		}
		if err := e.body(v.Body); err != nil {
			return err
		}
	default:
		return fmt.Errorf("astcodec: term %v: unsupported value type %T", t, t.Value)
	}
	e.loc(t.Location)
	return nil
}

func (e *encoder) body(b ast.Body) error {
	if b == nil {
		e.uint(0)
		return nil
	}
	e.uint(uint64(len(b)) + 1)
	for _, x := range b {
		if err := e.expr(x); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) expr(x *ast.Expr) error {
	e.int(x.Index)
	e.bool(x.Negated)
	e.bool(x.Generated)
	e.loc(x.Location)
	e.uint(uint64(len(x.With)))
	for _, w := range x.With {
		if err := e.term(w.Target); err != nil {
			return err
		}
		if err := e.term(w.Value); err != nil {
			return err
		}
		e.loc(w.Location)
	}
	switch ts := x.Terms.(type) {
	case *ast.Term:
		e.byte(exprTerm)
		return e.term(ts)
	case []*ast.Term:
		e.byte(exprCall)
		return e.terms(ts)
	case *ast.SomeDecl:
		e.byte(exprSome)
		e.loc(ts.Location)
		return e.terms(ts.Symbols)
	case *ast.Every:
		e.byte(exprEvery)
		e.loc(ts.Location)
		for _, t := range []*ast.Term{ts.Key, ts.Value, ts.Domain} {
			if err := e.term(t); err != nil {
				return err
			}
		}
		return e.body(ts.Body)
	}
	return fmt.Errorf("astcodec: expression %v: unsupported terms %T", x, x.Terms)
}

func (e *encoder) rule(r *ast.Rule) error {
	// Annotations are left out: the catalogue is stored beside the modules,
	// and the compiler has already rewritten rego.metadata calls.
	e.bool(r.Default)
	e.loc(r.Location)
	h := r.Head
	e.str(string(h.Name))
	if err := e.terms(h.Reference); err != nil {
		return err
	}
	if err := e.terms(h.Args); err != nil {
		return err
	}
	if err := e.term(h.Key); err != nil {
		return err
	}
	if err := e.term(h.Value); err != nil {
		return err
	}
	e.bool(h.Assign)
	e.loc(h.Location)
	if err := e.body(r.Body); err != nil {
		return err
	}
	if r.Else == nil {
		e.byte(0)
		return nil
	}
	e.byte(1)
	return e.rule(r.Else)
}

func (e *encoder) module(m *ast.Module) error {
	if err := e.terms(m.Package.Path); err != nil {
		return err
	}
	e.loc(m.Package.Location)
	e.uint(uint64(len(m.Imports)))
	for _, imp := range m.Imports {
		if err := e.term(imp.Path); err != nil {
			return err
		}
		e.str(string(imp.Alias))
		e.loc(imp.Location)
	}
	e.uint(uint64(len(m.Rules)))
	for _, r := range m.Rules {
		if err := e.rule(r); err != nil {
			return err
		}
	}
	return nil
}

// encodeModules writes the modules, sorted by name, in the binary form.
func encodeModules(mods map[string]*ast.Module) ([]byte, error) {
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	e := &encoder{strings: map[string]uint64{}}
	e.uint(uint64(len(names)))
	for _, n := range names {
		e.str(n)
		if err := e.module(mods[n]); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
	}
	out := []byte(codecMagic)
	out = binary.AppendUvarint(out, uint64(len(e.table)))
	for _, s := range e.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, e.buf...), nil
}

type decoder struct {
	buf   []byte
	table []string
	err   error
	// locs and terms are slabs: compiled rules are many small nodes, and
	// one allocation per node would be most of the decoding time.
	locs  []ast.Location
	terms []ast.Term
}

var errCorrupt = errors.New("astcodec: corrupt or truncated data")

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.buf = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) int() int {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return int(v)
}

func (d *decoder) byte() byte {
	if len(d.buf) == 0 {
		d.fail()
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) str() string {
	i := d.uint()
	if i >= uint64(len(d.table)) {
		d.fail()
		return ""
	}
	return d.table[i]
}

// count reads a length and checks it against what is left, so corrupt
// data cannot ask for a huge allocation.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) loc() *ast.Location {
	if d.byte() == 0 {
		return nil
	}
	if len(d.locs) == 0 {
		d.locs = make([]ast.Location, 256)
	}
	l := &d.locs[0]
	d.locs = d.locs[1:]
	l.File = d.str()
	l.Row = d.int()
	l.Col = d.int()
	return l
}

func (d *decoder) newTerm(v ast.Value) *ast.Term {
	if len(d.terms) == 0 {
		d.terms = make([]ast.Term, 256)
	}
	t := &d.terms[0]
	d.terms = d.terms[1:]
	t.Value = v
	return t
}

func (d *decoder) termList() []*ast.Term {
	n := d.count()
	if n == 0 {
		return nil
	}
	ts := make([]*ast.Term, n-1)
	for i := range ts {
		ts[i] = d.term()
		if d.err != nil {
			return nil
		}
	}
	return ts
}

func (d *decoder) term() *ast.Term {
	var v ast.Value
	switch tag := d.byte(); tag {
	case tagNil:
		return nil
	case tagNull:
		v = ast.NullValue
	case tagFalse:
		v = ast.Boolean(false)
	case tagTrue:
		v = ast.Boolean(true)
	case tagNumber:
		v = ast.Number(d.str())
	case tagString:
		v = ast.String(d.str())
	case tagVar:
		v = ast.Var(d.str())
	case tagRef:
		v = ast.Ref(d.termList())
	case tagCall:
		v = ast.Call(d.termList())
	case tagArray:
		v = ast.NewArray(d.termList()...)
	case tagSet:
		v = ast.NewSet(d.termList()...)
	case tagObject:
		n := d.count()
		obj := ast.NewObject()
		for i := 0; i < n && d.err == nil; i++ {
			k := d.term()
			x := d.term()
			if k == nil || x == nil {
				d.fail()
				break
			}
			obj.Insert(k, x)
		}
		v = obj
	case tagArrayCompr:
		t := d.term()
		v = &ast.ArrayComprehension{Term: t, Body: d.body()}
	case tagSetCompr:
		t := d.term()
		v = &ast.SetComprehension{Term: t, Body: d.body()}
	case tagObjectCompr:
		k := d.term()
		x := d.term()
		v = &ast.ObjectComprehension{Key: k, Value: x, Body: d.body()}
	default:
		d.fail()
		return nil
	}
	if d.err != nil {
		return nil
	}
	t := d.newTerm(v)
	t.Location = d.loc()
	return t
}

func (d *decoder) body() ast.Body {
	n := d.count()
	if n == 0 {
		return nil
	}
	b := make(ast.Body, n-1)
	for i := range b {
		b[i] = d.expr()
		if d.err != nil {
			return nil
		}
	}
	return b
}

func (d *decoder) expr() *ast.Expr {
	x := &ast.Expr{Index: d.int(), Negated: d.bool(), Generated: d.bool(), Location: d.loc()}
	if n := d.count(); n > 0 {
		x.With = make([]*ast.With, n)
		for i := range x.With {
			t := d.term()
			v := d.term()
			x.With[i] = &ast.With{Target: t, Value: v, Location: d.loc()}
		}
	}
	switch d.byte() {
	case exprTerm:
		x.Terms = d.term()
	case exprCall:
		x.Terms = d.termList()
	case exprSome:
		l := d.loc()
		x.Terms = &ast.SomeDecl{Location: l, Symbols: d.termList()}
	case exprEvery:
		l := d.loc()
		k := d.term()
		v := d.term()
		dom := d.term()
		x.Terms = &ast.Every{Location: l, Key: k, Value: v, Domain: dom, Body: d.body()}
	default:
		d.fail()
	}
	return x
}

func (d *decoder) rule(m *ast.Module) *ast.Rule {
	r := &ast.Rule{Module: m, Default: d.bool(), Location: d.loc()}
	h := &ast.Head{Name: ast.Var(d.str())}
	h.Reference = ast.Ref(d.termList())
	h.Args = ast.Args(d.termList())
	h.Key = d.term()
	h.Value = d.term()
	h.Assign = d.bool()
	h.Location = d.loc()
	r.Head = h
	r.Body = d.body()
	if d.byte() == 1 && d.err == nil {
		r.Else = d.rule(m)
	}
	return r
}

func (d *decoder) module() *ast.Module {
	m := &ast.Module{Package: &ast.Package{}}
	m.Package.Path = ast.Ref(d.termList())
	m.Package.Location = d.loc()
	if n := d.count(); n > 0 {
		m.Imports = make([]*ast.Import, n)
		for i := range m.Imports {
			p := d.term()
			m.Imports[i] = &ast.Import{Path: p, Alias: ast.Var(d.str()), Location: d.loc()}
		}
	}
	n := d.count()
	m.Rules = make([]*ast.Rule, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		m.Rules = append(m.Rules, d.rule(m))
	}
	m.SetRegoVersionSpan(ast.RegoVersionSpanOf(ast.RegoV1))
	return m
}

// decodeModules reads what encodeModules wrote.
func decodeModules(data []byte) (map[string]*ast.Module, error) {
	if len(data) < len(codecMagic) || string(data[:len(codecMagic)]) != codecMagic {
		return nil, errors.New("astcodec: not a compiled-rules artefact")
	}
	d := &decoder{buf: data[len(codecMagic):]}
	n := d.count()
	d.table = make([]string, n)
	lens := make([]int, n)
	total := 0
	rest := d.buf
	for i := range lens {
		lens[i] = d.count()
		total += lens[i]
		if d.err != nil || total > len(d.buf) {
			return nil, errCorrupt
		}
		d.buf = d.buf[lens[i]:]
	}
	// One copy of the whole table, sliced into its strings.
	d.buf = rest
	all := make([]byte, 0, total)
	for i := range lens {
		d.uint()
		all = append(all, d.buf[:lens[i]]...)
		d.buf = d.buf[lens[i]:]
	}
	s := string(all)
	for i, l := range lens {
		d.table[i], s = s[:l], s[l:]
	}
	nm := d.count()
	mods := make(map[string]*ast.Module, nm)
	for i := 0; i < nm && d.err == nil; i++ {
		name := d.str()
		mods[name] = d.module()
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.buf) != 0 {
		return nil, errCorrupt
	}
	return mods, nil
}
