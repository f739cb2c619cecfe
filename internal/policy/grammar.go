package policy

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/tree"
)

// Grammar: reading the elements of a document (Version, Id, Statement and
// each statement's elements) into the model, under the first-copy or the
// last-copy reading of duplicated keys, with a Problem for each element of
// the wrong shape (reference_policies_grammar.html).

// reader reads one reading of a document: with last set, the last copy of a
// duplicated key wins (tree.Node.GetLast), otherwise the first (tree.Node.Get).
type reader struct {
	d    *Document
	last bool
	// per statement: which optional elements were written
	hasSid    []bool
	hasEffect []bool
	hasID     bool
}

func read(root *tree.Node, kind Kind, file string, line int, src string, last bool) (*Document, *reader) {
	d := &Document{Kind: kind, File: file, Line: line, Source: src}
	r := &reader{d: d, last: last}
	r.document(root)
	return d, r
}

// problem records a grammar error: IAM refuses to save the document.
func (r *reader) problem(line int, sid string, format string, args ...any) {
	r.d.Problems = append(r.d.Problems, Problem{Line: line, Sid: sid, Message: fmt.Sprintf(format, args...), Rejected: true})
}

// members returns one member per key in order of first appearance, holding
// the first or the last copy's value depending on the reading.
func (r *reader) members(n *tree.Node) []tree.Member {
	if !repeatsKey(n.Members) {
		return n.Members // the common case: nothing to choose, nothing to copy
	}
	var seen map[string]int
	out := make([]tree.Member, 0, len(n.Members))
	for _, m := range n.Members {
		if i, ok := seen[m.Key]; ok {
			if r.last {
				out[i] = m
			}
			continue
		}
		if seen == nil {
			seen = make(map[string]int, len(n.Members))
		}
		seen[m.Key] = len(out)
		out = append(out, m)
	}
	return out
}

// repeatsKey reports whether two members have the same key. Policy objects
// have a handful of keys: comparing each with the ones before it costs less
// than a map, which only objects of more than 16 keys get.
func repeatsKey(ms []tree.Member) bool {
	if len(ms) > 16 {
		seen := make(map[string]bool, len(ms))
		for _, m := range ms {
			if seen[m.Key] {
				return true
			}
			seen[m.Key] = true
		}
		return false
	}
	for i := 1; i < len(ms); i++ {
		for _, e := range ms[:i] {
			if e.Key == ms[i].Key {
				return true
			}
		}
	}
	return false
}

var topKeys = []string{"Version", "Id", "Statement"}
var stmtKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func unknownKeyHint(key string, valid []string) string {
	for _, v := range valid {
		if strings.EqualFold(v, key) {
			return fmt.Sprintf(" (element names are case-sensitive: write %q)", v)
		}
	}
	return " (valid: " + strings.Join(valid, ", ") + ")"
}

func (r *reader) document(root *tree.Node) {
	d := r.d
	var stmts *tree.Node
	for _, m := range r.members(root) {
		switch m.Key {
		case "Version":
			switch m.Value.Kind {
			case tree.String:
				d.Version = m.Value.Text
				if d.Version != Version2012 && d.Version != Version2008 {
					r.problem(m.Value.Line, "", "Version %q is not a policy language version: use %q", d.Version, Version2012)
				}
			case tree.Unknown:
				d.Version = UnknownValue(reasonOf(m.Value))
			default:
				r.problem(m.Value.Line, "", "Version is %s, want the string %q", describe(m.Value), Version2012)
			}
		case "Id":
			r.hasID = true
			switch m.Value.Kind {
			case tree.String:
				d.ID = m.Value.Text
			case tree.Unknown:
				d.ID = UnknownValue(reasonOf(m.Value))
			default:
				r.problem(m.Value.Line, "", "Id is %s, want a string", describe(m.Value))
			}
		case "Statement":
			stmts = m.Value
		default:
			r.problem(m.KeyLine, "", "unknown top-level element %q%s", m.Key, unknownKeyHint(m.Key, topKeys))
		}
	}
	if stmts == nil {
		r.problem(root.Line, "", "the document has no Statement element")
		return
	}
	switch stmts.Kind {
	case tree.Unknown:
		d.Unresolved = "Statement: " + reasonOf(stmts)
	case tree.Object:
		r.statement(stmts, 0)
	case tree.Array:
		if len(stmts.Items) == 0 {
			r.problem(stmts.Line, "", "Statement is an empty array")
		}
		if len(stmts.Items) > 1 {
			// Room for every statement: one allocation, not one per doubling.
			d.Statements = make([]*Statement, 0, len(stmts.Items))
			r.hasSid = make([]bool, 0, len(stmts.Items))
			r.hasEffect = make([]bool, 0, len(stmts.Items))
		}
		for i, it := range stmts.Items {
			switch it.Kind {
			case tree.Object:
				r.statement(it, i)
			case tree.Unknown:
				d.Unresolved = fmt.Sprintf("statement %d: %s", i+1, reasonOf(it))
			default:
				r.problem(it.Line, "", "statement %d is %s, want an object", i+1, describe(it))
			}
		}
		if len(d.Statements) == 0 {
			d.Statements = nil // as when none was appended
		}
	default:
		r.problem(stmts.Line, "", "Statement is %s, want an object or an array of objects", describe(stmts))
	}
	if d.Unresolved != "" {
		// The document's statements are not all known: evaluation must not
		// draw conclusions from the known subset (Document.Unresolved).
		d.Statements = nil
		r.hasSid, r.hasEffect = nil, nil
	}
}

func (r *reader) statement(n *tree.Node, idx int) {
	s := &Statement{Index: idx, Line: n.Line}
	hasSid, hasEffect := false, false
	for _, m := range r.members(n) {
		v := m.Value
		switch m.Key {
		case "Sid":
			hasSid = true
			switch v.Kind {
			case tree.String:
				s.Sid = v.Text
			case tree.Unknown:
				s.Sid = UnknownValue(reasonOf(v))
			default:
				r.problem(v.Line, "", "Sid is %s, want a string", describe(v))
			}
		case "Effect":
			hasEffect = true
			switch v.Kind {
			case tree.String:
				s.Effect = Effect(v.Text)
			case tree.Unknown:
				s.Effect = Effect(UnknownValue(reasonOf(v)))
			default:
				r.problem(v.Line, s.Sid, "Effect is %s, want \"Allow\" or \"Deny\"", describe(v))
				s.Effect = Effect(v.Text)
			}
		case "Principal":
			s.Principal = r.principal(v, "Principal", s.Sid)
		case "NotPrincipal":
			s.NotPrincipal = r.principal(v, "NotPrincipal", s.Sid)
		case "Action":
			s.Action = r.values(v, "Action", s.Sid, false)
		case "NotAction":
			s.NotAction = r.values(v, "NotAction", s.Sid, false)
		case "Resource":
			s.Resource = r.values(v, "Resource", s.Sid, false)
		case "NotResource":
			s.NotResource = r.values(v, "NotResource", s.Sid, false)
		case "Condition":
			s.Condition = r.conditions(v, s.Sid)
		default:
			r.problem(m.KeyLine, s.Sid, "unknown statement element %q%s", m.Key, unknownKeyHint(m.Key, stmtKeys))
		}
	}
	r.d.Statements = append(r.d.Statements, s)
	r.hasSid = append(r.hasSid, hasSid)
	r.hasEffect = append(r.hasEffect, hasEffect)
}

// values reads a string-or-array element. The result is non-nil whenever the
// element is present, even when it is broken, so that "missing" problems are
// not reported on top of "wrong type" ones. With scalars set, JSON numbers and
// booleans are kept as their literal text (condition values).
func (r *reader) values(n *tree.Node, what, sid string, scalars bool) []string {
	switch n.Kind {
	case tree.String:
		return []string{n.Text}
	case tree.Unknown:
		return []string{UnknownValue(reasonOf(n))}
	case tree.Number, tree.Bool:
		if scalars {
			return []string{n.Text}
		}
	case tree.Array:
		out := make([]string, 0, len(n.Items))
		for i, it := range n.Items {
			switch {
			case it.Kind == tree.String:
				out = append(out, it.Text)
			case it.Kind == tree.Unknown:
				out = append(out, UnknownValue(reasonOf(it)))
			case scalars && (it.Kind == tree.Number || it.Kind == tree.Bool):
				out = append(out, it.Text)
			default:
				r.problem(it.Line, sid, "%s[%d] is %s, want a string", what, i, describe(it))
			}
		}
		if len(n.Items) == 0 {
			r.problem(n.Line, sid, "%s is an empty array", what)
		}
		return out
	}
	r.problem(n.Line, sid, "%s is %s, want a string or an array of strings", what, describe(n))
	return []string{}
}

func (r *reader) principal(n *tree.Node, what, sid string) *Principal {
	p := &Principal{}
	switch n.Kind {
	case tree.String:
		if n.Text == "*" {
			p.Wildcard = true
		} else {
			r.problem(n.Line, sid, `%s is the string %q: write "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}`, what, n.Text)
		}
	case tree.Unknown:
		p.AWS = []string{UnknownValue(reasonOf(n))}
	case tree.Object:
		ms := r.members(n)
		if len(ms) == 0 {
			r.problem(n.Line, sid, "%s is an empty object", what)
		}
		for _, m := range ms {
			vals := r.values(m.Value, what+"."+m.Key, sid, false)
			switch m.Key {
			case "AWS":
				p.AWS = vals
			case "Service":
				p.Service = vals
			case "Federated":
				p.Federated = vals
			case "CanonicalUser":
				p.Canonical = vals
			default:
				if p.Other == nil {
					p.Other = map[string][]string{}
				}
				p.Other[m.Key] = vals
				r.problem(m.KeyLine, sid, "unknown principal type %q in %s (valid: AWS, Service, Federated, CanonicalUser)", m.Key, what)
			}
		}
	default:
		r.problem(n.Line, sid, "%s is %s, want \"*\" or an object", what, describe(n))
	}
	return p
}

func (r *reader) conditions(n *tree.Node, sid string) []Condition {
	switch n.Kind {
	case tree.Unknown:
		u := UnknownValue(reasonOf(n))
		return []Condition{{Operator: u, Op: ParseOperator(u), Key: u, Values: []string{u}, Line: n.Line}}
	case tree.Object:
	default:
		r.problem(n.Line, sid, "Condition is %s, want an object of operators", describe(n))
		return []Condition{}
	}
	out := []Condition{}
	for _, op := range r.members(n) {
		switch op.Value.Kind {
		case tree.Object:
		case tree.Unknown:
			u := UnknownValue(reasonOf(op.Value))
			out = append(out, Condition{Operator: op.Key, Op: ParseOperator(op.Key), Key: u, Values: []string{u}, Line: op.KeyLine})
			continue
		default:
			r.problem(op.Value.Line, sid, "Condition operator %s is %s, want an object of condition keys", op.Key, describe(op.Value))
			continue
		}
		keys := r.members(op.Value)
		if len(keys) == 0 {
			r.problem(op.Value.Line, sid, "Condition operator %s has no condition keys", op.Key)
		}
		for _, k := range keys {
			vals := r.values(k.Value, op.Key+"."+k.Key, sid, true)
			out = append(out, Condition{Operator: op.Key, Op: ParseOperator(op.Key), Key: k.Key, Values: vals, Line: k.KeyLine})
		}
	}
	return out
}
