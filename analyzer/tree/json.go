package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
// DefaultLimits.
func FromJSON(data []byte) (*Node, error) { return FromJSONLimits(data, DefaultLimits) }

// FromJSONLimits is FromJSON with explicit limits.
//
// The text is read once: one pass validates it, counts lines and builds the
// tree (the previous builder let gjson re-scan every nested value once per
// level of nesting, and indexed lines separately). When that pass rejects
// the text, the problem is diagnosed as before, in the same order: nesting
// too deep anywhere, then invalid JSON anywhere, then the first value over a
// node or string limit.
func FromJSONLimits(data []byte, lim Limits) (*Node, error) {
	data, err := CheckText(data, lim)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	p := parser{s: string(data), line: 1, lim: lim}
	if root := p.parse(); root != nil {
		return root, nil
	}
	var idx *Lines
	lines := func() *Lines {
		if idx == nil {
			idx = NewLines(data)
		}
		return idx
	}
	if err := checkDepth(data, lim.MaxDepth, lines); err != nil {
		return nil, err
	}
	if !gjson.ValidBytes(data) {
		return nil, syntaxError(data, lines())
	}
	if p.err != nil {
		return nil, p.err
	}
	// The pass and gjson disagree on validity (never seen: the
	// differential test in json_single_test.go compares them).
	return nil, &Error{Line: p.line, Msg: "invalid JSON"}
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

// parser reads JSON text in one pass. Its results match the previous
// gjson-based builder exactly: a node's Line is the line of its first
// character, a member's KeyLine the line of its key's opening quote, strings
// are unescaped as gjson unescapes them, numbers and booleans keep their
// literal text, and nodes are counted (and limited) in document order.
type parser struct {
	s     string // the text; string values are substrings of it
	i     int    // offset of the next byte
	line  int    // 1-based line of offset i
	depth int
	lim   Limits
	nodes int
	// err is the first node or string limit exceeded (reported only when
	// the text is otherwise valid); a nil result with err nil means the
	// text is not valid JSON or nests too deep.
	err error

	slab    []Node   // nodes are allocated in blocks
	members []Member // members of the objects being read, innermost last
	items   []*Node  // items of the arrays being read, innermost last
}

// parse reads the whole text, or returns nil.
func (p *parser) parse() *Node {
	p.ws()
	n := p.value()
	if n == nil {
		return nil
	}
	p.ws()
	if p.i != len(p.s) {
		return nil
	}
	return n
}

// ws skips JSON white space, counting lines (a newline can only occur
// there: strings may not hold control characters).
func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\n':
			p.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		p.i++
	}
}

func (p *parser) node() *Node {
	if len(p.slab) == 0 {
		p.slab = make([]Node, 512)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	return n
}

// value reads the value starting at offset i (white space skipped).
func (p *parser) value() *Node {
	if p.i >= len(p.s) {
		return nil
	}
	p.nodes++
	if p.lim.MaxNodes > 0 && p.nodes > p.lim.MaxNodes {
		p.err = &Error{Line: p.line, Msg: fmt.Sprintf("more than %d values", p.lim.MaxNodes)}
		return nil
	}
	n := p.node()
	n.Line = p.line
	switch c := p.s[p.i]; c {
	case '{':
		if !p.object(n) {
			return nil
		}
	case '[':
		if !p.array(n) {
			return nil
		}
	case '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		n.Kind, n.Text = String, s
		if p.lim.MaxString > 0 && len(s) > p.lim.MaxString {
			p.err = &Error{Line: n.Line, Msg: fmt.Sprintf("a string of %d bytes, over the %d-byte limit", len(s), p.lim.MaxString)}
			return nil
		}
	case 't', 'f', 'n':
		lit := "null"
		switch c {
		case 't':
			lit, n.Kind = "true", Bool
		case 'f':
			lit, n.Kind = "false", Bool
		}
		if !strings.HasPrefix(p.s[p.i:], lit) {
			return nil
		}
		if n.Kind == Bool {
			n.Text = p.s[p.i : p.i+len(lit)]
		}
		p.i += len(lit)
	default:
		start := p.i
		if !p.number() {
			return nil
		}
		n.Kind, n.Text = Number, p.s[start:p.i]
	}
	return n
}

func (p *parser) object(n *Node) bool {
	n.Kind = Object
	p.depth++
	if p.depth > p.lim.MaxDepth {
		return false
	}
	p.i++
	base := len(p.members)
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return true
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return false
		}
		keyLine := p.line
		key, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return false
		}
		p.i++
		p.ws()
		v := p.value()
		if v == nil {
			return false
		}
		p.members = append(p.members, Member{Key: key, KeyLine: keyLine, Value: v})
		p.ws()
		if p.i >= len(p.s) {
			return false
		}
		if p.s[p.i] == ',' {
			p.i++
			p.ws()
			continue
		}
		if p.s[p.i] != '}' {
			return false
		}
		p.i++
		break
	}
	n.Members = make([]Member, len(p.members)-base)
	copy(n.Members, p.members[base:])
	clear(p.members[base:])
	p.members = p.members[:base]
	p.depth--
	return true
}

func (p *parser) array(n *Node) bool {
	n.Kind = Array
	p.depth++
	if p.depth > p.lim.MaxDepth {
		return false
	}
	p.i++
	base := len(p.items)
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return true
	}
	for {
		v := p.value()
		if v == nil {
			return false
		}
		p.items = append(p.items, v)
		p.ws()
		if p.i >= len(p.s) {
			return false
		}
		if p.s[p.i] == ',' {
			p.i++
			p.ws()
			continue
		}
		if p.s[p.i] != ']' {
			return false
		}
		p.i++
		break
	}
	n.Items = make([]*Node, len(p.items)-base)
	copy(n.Items, p.items[base:])
	clear(p.items[base:])
	p.items = p.items[:base]
	p.depth--
	return true
}

// str reads the string whose opening quote is at offset i and returns it
// unescaped.
func (p *parser) str() (string, bool) {
	start := p.i + 1
	i := start
	escaped := false
	for i < len(p.s) {
		c := p.s[i]
		switch {
		case c == '"':
			p.i = i + 1
			if escaped {
				return unescape(p.s[start:i]), true
			}
			return p.s[start:i], true
		case c < ' ':
			return "", false
		case c == '\\':
			escaped = true
			i++
			if i >= len(p.s) {
				return "", false
			}
			switch p.s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(p.s) || !isHex(p.s[i+1]) || !isHex(p.s[i+2]) || !isHex(p.s[i+3]) || !isHex(p.s[i+4]) {
					return "", false
				}
				i += 4
			default:
				return "", false
			}
		}
		i++
	}
	return "", false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a JSON number (RFC 8259 §6) at offset i.
func (p *parser) number() bool {
	s, i := p.s, p.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && isDigit(s[i]):
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	p.i = i
	return true
}

// unescape decodes the escapes of a valid JSON string body as gjson does:
// a \u escape that is a lone surrogate becomes U+FFFD.
func unescape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hexRune(s[i+1 : i+5])
			i += 5
			if r >= 0xD800 && r < 0xDC00 && len(s[i:]) >= 6 && s[i] == '\\' && s[i+1] == 'u' {
				if r2 := hexRune(s[i+2 : i+6]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = utf16.DecodeRune(r, r2)
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
			i--
		default: // '"', '\\', '/'
			out = append(out, s[i])
		}
	}
	return string(out)
}

func hexRune(h string) rune {
	n, _ := strconv.ParseUint(h, 16, 32)
	return rune(n)
}
