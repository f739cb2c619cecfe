package policy

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/smlint/smlint/internal/tree"
)

// Decoding: a tree node or a string (JSON, URL-encoded JSON) becomes a
// Document; the grammar reader, the validation and kind detection run on it
// from fromTree.

// ParseError is a policy document that could not be read at all (not JSON,
// not an object, URL-encoded twice). Grammar problems in a document that
// could be read are Problems on the Document instead.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// FromNode parses a policy document held in node n (an object, or a string
// holding JSON or URL-encoded JSON). kind is the role the caller knows the
// document plays, or "" to detect it from its shape (DetectKind). Statement
// and condition lines come from the node; a document held in a string gets
// the string's line for everything.
//
// A tree.Unknown node (a Terraform or CloudFormation value without a value)
// gives a Document whose Unresolved field holds the reason. Grammar problems
// are recorded in Document.Problems; an error is returned only when there is
// no document to speak of. Size quotas depend on how the document is attached
// and are applied by the caller with CheckQuota.
func FromNode(n *tree.Node, kind Kind, file string) (*Document, error) {
	if n == nil {
		return nil, &ParseError{File: file, Msg: "no policy document"}
	}
	switch n.Kind {
	case tree.Unknown:
		return &Document{Kind: kind, File: file, Line: n.Line, Unresolved: reasonOf(n)}, nil
	case tree.String:
		return FromText(n.Text, kind, file, n.Line)
	case tree.Object:
		if pe := tooManyStatements(n, file); pe != nil {
			return nil, pe
		}
		return fromTree(n, kind, file, n.Line, ""), nil
	}
	return nil, &ParseError{File: file, Line: n.Line,
		Msg: fmt.Sprintf("policy document is %s, want a JSON object or a string holding one", describe(n))}
}

// FromText parses a policy document held in a string (JSON text, or
// URL-encoded JSON text as the IAM API returns it: RFC 3986, decoded like
// Python's unquote so that '+' stays '+'), found at line of file. Every
// statement and condition gets that line.
//
// A string that is URL-encoded twice, or JSON-encoded twice, is an error
// rather than a guess: the user should look at how it was produced.
func FromText(text string, kind Kind, file string, line int) (*Document, error) {
	src, err := decodeText(text)
	if err != nil {
		return nil, &ParseError{File: file, Line: line, Msg: err.Error()}
	}
	// The document keeps src as its Source: its tree may share src's
	// strings instead of copying them.
	root, err := tree.FromJSONString(src)
	if err != nil {
		msg := err.Error()
		var te *tree.Error
		if errors.As(err, &te) && te.Line > 0 {
			msg = fmt.Sprintf("embedded policy document, its line %d: %s", te.Line, te.Msg)
		} else {
			msg = "embedded policy document: " + msg
		}
		return nil, &ParseError{File: file, Line: line, Msg: msg}
	}
	if root.Kind != tree.Object {
		return nil, &ParseError{File: file, Line: line,
			Msg: fmt.Sprintf("embedded policy document is %s, want a JSON object", describe(root))}
	}
	if pe := tooManyStatements(root, file); pe != nil {
		pe.Line = line
		return nil, pe
	}
	tree.Walk(root, func(x *tree.Node) bool {
		x.Line = line
		for i := range x.Members {
			x.Members[i].KeyLine = line
		}
		return true
	})
	return fromTree(root, kind, file, line, src), nil
}

// decodeText unwraps URL encoding and returns JSON text starting with '{'.
func decodeText(text string) (string, error) {
	t := strings.TrimLeft(text, " \t\r\n")
	switch {
	case t == "":
		return "", errors.New("policy document is an empty string")
	case t[0] == '{':
		return text, nil
	case t[0] == '"':
		return "", errors.New(`policy document is a JSON string inside a JSON string (encoded twice); decode it once before giving it to smlint`)
	case t[0] == '%':
		dec, err := url.PathUnescape(t)
		if err != nil {
			return "", fmt.Errorf("policy document looks URL-encoded but is not valid URL encoding: %v", err)
		}
		d := strings.TrimLeft(dec, " \t\r\n")
		switch {
		case strings.HasPrefix(d, "%"):
			return "", errors.New("policy document is URL-encoded more than once (it still starts with " +
				fmt.Sprintf("%.6q", d) + " after one decoding); decode it once, as the IAM API returns it")
		case strings.HasPrefix(d, "{"):
			return dec, nil
		}
		return "", fmt.Errorf("URL-decoded policy document does not start with '{' (starts with %.12q)", d)
	}
	return "", fmt.Errorf("string is not a JSON policy document (starts with %.12q)", t)
}

func describe(n *tree.Node) string {
	switch n.Kind {
	case tree.Array:
		return "an array"
	case tree.Object:
		return "an object"
	case tree.Null:
		return "null"
	case tree.Unknown:
		return "unknown (" + n.Text + ")"
	case tree.Number, tree.Bool:
		return fmt.Sprintf("a %s (%s)", n.Kind, n.Text)
	}
	return "a " + n.Kind.String()
}

func reasonOf(n *tree.Node) string {
	if n.Text == "" {
		return "value not known"
	}
	return n.Text
}

// MaxStatements bounds the statements of one document. No document IAM,
// S3 or KMS accepts comes near it: the API takes policy documents of at
// most 131,072 characters (API_RoleDetail.html; IAM-FACTS §5.1), the IAM
// quotas are far smaller (10,240 characters for a role's inline policies),
// and the shortest statement IAM parses takes about 20 characters. Without
// it, a hostile file of a million statements (18 MB, inside the tree
// limits) costs the rule engine minutes and gigabytes.
const MaxStatements = 10_000

// tooManyStatements refuses a document with more than MaxStatements
// statements, naming the line of the Statement element. It is a ParseError
// (the file is not analysed) rather than a Problem: a Problem keeps the
// statements, and evaluating them is the cost the limit exists to avoid.
func tooManyStatements(root *tree.Node, file string) *ParseError {
	var stmts *tree.Node
	for _, m := range root.Members {
		if m.Key == "Statement" && m.Value.Kind == tree.Array && len(m.Value.Items) > MaxStatements {
			stmts = m.Value
			break
		}
	}
	if stmts == nil {
		return nil
	}
	return &ParseError{File: file, Line: stmts.Line,
		Msg: fmt.Sprintf("policy document has %d statements, over the limit of %d (IAM accepts documents of at most 131,072 characters)", len(stmts.Items), MaxStatements)}
}

// fromTree builds the first-copy-wins Document, its grammar problems and,
// when keys are duplicated, the last-copy-wins Alternate.
func fromTree(root *tree.Node, kind Kind, file string, line int, src string) *Document {
	if src == "" {
		src = compact(root)
	}
	common := charProblems(root)
	dups := duplicateProblems(root)

	d, meta := read(root, kind, file, line, src, false)
	if kind == "" {
		d.Kind = DetectKind(d)
	}
	checkKind(d, d.Kind, meta)
	d.Problems = append(d.Problems, common...)
	if len(dups) > 0 {
		alt, altMeta := read(root, d.Kind, file, line, src, true)
		checkKind(alt, alt.Kind, altMeta)
		alt.Problems = append(alt.Problems, common...)
		sortProblems(alt.Problems)
		d.Alternate = alt
		d.Problems = append(d.Problems, dups...)
	}
	sortProblems(d.Problems)
	return d
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// compact serialises a tree as JSON without insignificant whitespace, for
// Document.Source when the document was an object in a larger file. The
// text is built in a scratch buffer kept between calls and copied once
// into the string: an account export serialises thousands of documents,
// and growing a fresh buffer for each allocated twice the text.
func compact(n *tree.Node) string {
	buf := compactScratch.Get().(*[]byte)
	*buf = appendCompact((*buf)[:0], n)
	s := string(*buf)
	compactScratch.Put(buf)
	return s
}

// compactScratch holds the buffers compact reuses (one per goroutine that
// needs one at a time; the pool is emptied by garbage collections).
var compactScratch = sync.Pool{New: func() any { return new([]byte) }}

func appendCompact(b []byte, n *tree.Node) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	switch n.Kind {
	case tree.Object:
		b = append(b, '{')
		for i, m := range n.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m.Key)
			b = append(b, ':')
			b = appendCompact(b, m.Value)
		}
		return append(b, '}')
	case tree.Array:
		b = append(b, '[')
		for i, it := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCompact(b, it)
		}
		return append(b, ']')
	case tree.String:
		return appendString(b, n.Text)
	case tree.Number, tree.Bool:
		return append(b, n.Text...)
	case tree.Unknown:
		return appendString(b, "(unknown: "+n.Text+")")
	}
	return append(b, "null"...)
}

// escaped marks the bytes appendString escapes: control characters,
// quote and backslash.
var escaped = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, everything else (UTF-8 included) as it is.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for {
		// Copy the run of bytes that need no escape in one step.
		i := 0
		for i < len(s) && !escaped[s[i]] {
			i++
		}
		b = append(b, s[:i]...)
		if i == len(s) {
			return append(b, '"')
		}
		switch c := s[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		s = s[i+1:]
	}
}
