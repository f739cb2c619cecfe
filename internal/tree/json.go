package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Limits bound the work a single input may cause. They are generous for real
// exports (a 20 MB account export parses well inside them) and stop hostile
// files before they cost unbounded time or memory.
type Limits struct {
	MaxBytes  int // whole input
	MaxDepth  int // nesting of arrays and objects
	MaxString int // one string value, in bytes
	MaxNodes  int // total values
}

// DefaultLimits are used by FromJSON.
var DefaultLimits = Limits{
	MaxBytes:  32 << 20,
	MaxDepth:  128,
	MaxString: 1 << 20,
	MaxNodes:  8_000_000,
}

// Error is an input problem at a 1-based line (0 when no line applies).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Lines maps byte offsets of a text to 1-based line numbers.
type Lines struct{ starts []int }

// NewLines indexes the line starts of text.
func NewLines(text []byte) *Lines {
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &Lines{starts: starts}
}

// Line returns the 1-based line holding byte offset off.
func (l *Lines) Line(off int) int {
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CheckText rejects inputs that are not UTF-8 text within limits, naming the
// line of the first problem. A UTF-8 byte-order mark is accepted and removed.
func CheckText(data []byte, lim Limits) ([]byte, error) {
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return nil, &Error{Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit", len(data), lim.MaxBytes)}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(data) >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)) {
		return nil, &Error{Line: 1, Msg: "file is UTF-16 encoded; save it as UTF-8"}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, &Error{Line: NewLines(data).Line(i), Msg: "file contains a NUL byte (binary, or UTF-16 without a byte-order mark)"}
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return nil, &Error{Line: NewLines(data).Line(i), Msg: "file is not valid UTF-8"}
	}
	return data, nil
}

// checkDepth scans JSON text for nesting beyond max without recursion, so
// that a 100,000-deep document is refused in linear time.
func checkDepth(data []byte, max int, lines func() *Lines) error {
	depth, inStr, esc := 0, false, false
	for i, c := range data {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > max {
				return &Error{Line: lines().Line(i), Msg: fmt.Sprintf("nesting deeper than %d levels", max)}
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// FromJSON parses JSON text into a Node tree with source lines, within
// DefaultLimits. data must not be modified afterwards (see FromJSONLimits).
func FromJSON(data []byte) (*Node, error) { return FromJSONLimits(data, DefaultLimits) }

// FromJSONLimits is FromJSON with explicit limits. The nodes' strings share
// data's memory (no second copy of the file): data must not be modified
// afterwards. JSON is read with gjson
// (a fixed choice of the project). Problems are diagnosed in this order:
// nesting too deep anywhere, then invalid JSON anywhere, then the first
// value over a node or string limit.
//
// Cost: gjson's ForEach finds the end of each value by scanning it, and the
// builder then walks into it, so text is scanned once per level of nesting
// (measured on a 22 MB account export: about 0.5 s; a hand-written
// single-pass parser did it in 0.2 s but was dropped to keep JSON reading on
// gjson).
func FromJSONLimits(data []byte, lim Limits) (*Node, error) {
	data, err := CheckText(data, lim)
	if err != nil {
		return nil, err
	}
	var idx *Lines
	lines := func() *Lines {
		if idx == nil {
			idx = NewLines(data)
		}
		return idx
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	if err := checkDepth(data, lim.MaxDepth, lines); err != nil {
		return nil, err
	}
	if !gjson.ValidBytes(data) {
		return nil, syntaxError(data, lines())
	}
	b := builder{lines: &lineCursor{data: data, line: 1}, lim: lim}
	// gjson.ParseBytes would copy the file into a string; the nodes' strings
	// would then keep that copy alive beside data. Parse data in place.
	root := b.build(gjson.Parse(unsafe.String(unsafe.SliceData(data), len(data))))
	if b.err != nil {
		return nil, b.err
	}
	return root, nil
}

// syntaxError locates a JSON syntax error with the standard library, which
// reports the offset gjson does not.
func syntaxError(data []byte, lines *Lines) error {
	var v json.RawMessage
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset) - 1
		if off < 0 {
			off = 0
		}
		return &Error{Line: lines.Line(off), Msg: "invalid JSON: " + se.Error()}
	}
	if err != nil {
		return &Error{Msg: "invalid JSON: " + err.Error()}
	}
	return &Error{Msg: "invalid JSON"}
}

// lineCursor answers Lines.Line for offsets that mostly increase, as the
// builder visits values in source order: it counts the newlines since the
// previous offset, so the whole build counts each byte once and needs no
// line index (a 23 MB export has 2 million lines: 16 MB of offsets). An
// offset before the previous one counts again from the start.
type lineCursor struct {
	data []byte
	off  int
	line int
}

// Line is 1 + the number of newlines before off, as Lines.Line.
func (c *lineCursor) Line(off int) int {
	off = min(max(off, 0), len(c.data))
	if off < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line
}

// builder turns gjson results into Nodes, counting values against the limits.
type builder struct {
	lines *lineCursor
	lim   Limits
	nodes int
	err   error
}

func (b *builder) build(r gjson.Result) *Node {
	if b.err != nil {
		return nil
	}
	b.nodes++
	if b.lim.MaxNodes > 0 && b.nodes > b.lim.MaxNodes {
		b.err = &Error{Line: b.lines.Line(r.Index), Msg: fmt.Sprintf("more than %d values", b.lim.MaxNodes)}
		return nil
	}
	n := &Node{Line: b.lines.Line(r.Index)}
	switch {
	case r.IsObject():
		n.Kind = Object
		r.ForEach(func(k, v gjson.Result) bool {
			keyLine := b.lines.Line(k.Index) // before the value: offsets in order
			child := b.build(v)
			n.Members = append(n.Members, Member{Key: k.String(), KeyLine: keyLine, Value: child})
			return b.err == nil
		})
	case r.IsArray():
		n.Kind = Array
		r.ForEach(func(_, v gjson.Result) bool {
			n.Items = append(n.Items, b.build(v))
			return b.err == nil
		})
	case r.Type == gjson.String:
		n.Kind = String
		n.Text = r.Str
		if b.lim.MaxString > 0 && len(n.Text) > b.lim.MaxString {
			b.err = &Error{Line: n.Line, Msg: fmt.Sprintf("a string of %d bytes, over the %d-byte limit", len(n.Text), b.lim.MaxString)}
		}
	case r.Type == gjson.Number:
		n.Kind = Number
		n.Text = r.Raw
	case r.Type == gjson.True || r.Type == gjson.False:
		n.Kind = Bool
		n.Text = r.Raw
	default:
		n.Kind = Null
	}
	return n
}
