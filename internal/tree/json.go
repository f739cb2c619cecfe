package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
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

// Lines maps byte offsets of a text to 1-based line numbers. Only error
// messages and YAML need it (the JSON parser counts lines as it goes); the
// offsets are 32-bit, as texts are far below 2 GB (DefaultLimits.MaxBytes).
type Lines struct{ starts []int32 }

// NewLines indexes the line starts of text.
func NewLines(text []byte) *Lines {
	starts := make([]int32, 1, bytes.Count(text, []byte{'\n'})+1)
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, int32(i+1))
		}
	}
	return &Lines{starts: starts}
}

// Line returns the 1-based line holding byte offset off.
func (l *Lines) Line(off int) int {
	return sort.Search(len(l.starts), func(i int) bool { return int(l.starts[i]) > off })
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
// that a 100,000-deep document is refused in linear time. Only the error
// path uses it (see FromJSONLimits).
func checkDepth(data []byte, maxDepth int, lines func() *Lines) error {
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
			if depth > maxDepth {
				return &Error{Line: lines().Line(i), Msg: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
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

// FromJSONLimits is FromJSON with explicit limits. The tree keeps no
// reference to data: the caller may drop the file once it is parsed.
// Strings are copied once each (see parser.keep): a 23 MB account export
// holds 6.4 MB of strings in 407,000 values but only 1.5 MB of distinct
// ones, so the tree does not keep the whole file alive for a few of its
// bytes, and later stages (policies, rule input) share the copies.
//
// Valid input is read in one pass (parser below): validation, line numbers
// and the tree together, each byte looked at once, with gjson decoding the
// strings that hold escapes. Invalid input is diagnosed by a second,
// slower look (diagnose) so that the error is the same whichever problem
// the pass met first: a text problem (size, encoding, NUL) anywhere, then
// nesting too deep anywhere, then invalid JSON anywhere, then the first
// value over a node or string limit.
func FromJSONLimits(data []byte, lim Limits) (*Node, error) {
	return fromJSON(data, lim, nil, copyStrings)
}

// FromJSONKeeping is FromJSON for a caller that hands data over and does
// not change it afterwards. A text of at most arenaBlock bytes (a policy
// file) is then not copied: the tree's strings are slices of data, which
// stays in memory while any of them does, as the one block of copies
// FromJSON would make for such a text would (see parser.keep). A longer
// text is read as FromJSON reads it.
func FromJSONKeeping(data []byte) (*Node, error) {
	return fromJSON(data, DefaultLimits, nil, shareSmall)
}

// FromJSONString is FromJSON on a string, whose strings are slices of s
// (none is copied): for a caller that keeps s anyway, as a policy
// document keeps the text it was read from (policy.FromText).
func FromJSONString(s string) (*Node, error) {
	// The parser only reads data: this view of s is never written.
	return fromJSON(unsafe.Slice(unsafe.StringData(s), len(s)), DefaultLimits, nil, shareAll)
}

// sharing says whether the tree's strings may be slices of the text.
type sharing int

const (
	copyStrings sharing = iota // never: the caller may drop or reuse the text
	shareSmall                 // for a text of at most arenaBlock bytes
	shareAll                   // always
)

// FromJSONPassing is FromJSON that calls passed(n) as it reads, every
// megabyte or so, with n the length of a growing prefix of data it is
// past: the tree holds no reference to those bytes (see FromJSONLimits),
// and the parser reads them again only to diagnose an invalid text. A
// caller holding a large file in mapped memory hands those pages back to
// the system while the rest is parsed, instead of having the whole file
// and the whole tree resident at the end.
func FromJSONPassing(data []byte, passed func(n int)) (*Node, error) {
	return fromJSON(data, DefaultLimits, passed, copyStrings)
}

// blocksFrom is the size of text from which the tree's memory is prepared
// on another goroutine (blocks.go).
const blocksFrom = 1 << 20

// passedEvery is how many bytes the parser reads between calls of its
// passed function.
const passedEvery = 1 << 20

func fromJSON(data []byte, lim Limits, passed func(n int), share sharing) (*Node, error) {
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		_, err := CheckText(data, lim)
		return nil, err
	}
	text := bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	p := parser{s: unsafe.String(unsafe.SliceData(text), len(text)), line: 1, lim: lim, build: true,
		shared: share == shareAll || share == shareSmall && len(text) <= arenaBlock}
	if len(text) >= blocksFrom {
		p.blocks = newBlockSupplier()
		defer close(p.blocks.stop)
	}
	if passed != nil {
		bom := len(data) - len(text)
		p.passed = func(n int) { passed(bom + n) }
		p.nextPassed = passedEvery
	}
	root := p.document()
	if p.bad {
		return nil, diagnose(data, lim)
	}
	if p.limitErr != nil {
		return nil, p.limitErr
	}
	return root, nil
}

// diagnose names the problem of a text the parser refused, in the order
// FromJSONLimits documents.
func diagnose(data []byte, lim Limits) error {
	data, err := CheckText(data, lim)
	if err != nil {
		return err
	}
	var idx *Lines
	lines := func() *Lines {
		if idx == nil {
			idx = NewLines(data)
		}
		return idx
	}
	if err := checkDepth(data, lim.MaxDepth, lines); err != nil {
		return err
	}
	return syntaxError(data, lines())
}

// syntaxError locates a JSON syntax error with the standard library, which
// reports the offset of the problem.
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

// parser reads JSON text (RFC 8259, UTF-8) in one forward pass. Newlines
// can only stand between tokens (a string holds none unescaped), so the
// line count is kept by the white-space skipper and costs nothing extra.
//
// Members and items of the object or array being read are collected on
// shared stacks and copied into a slice of the exact length when it
// closes: a 23 MB export has 360,000 values, and growing each slice by
// append would allocate about twice the memory, half of it garbage.
type parser struct {
	s     string // the text; nodes' strings are slices of it
	pos   int
	line  int
	depth int
	lim   Limits
	nodes int
	// bad: the text is not JSON within the limits that stop reading
	// (depth); diagnose says why.
	bad bool
	// limitErr is the first value over MaxNodes or MaxString; reading
	// goes on without building (build false) to validate the rest.
	limitErr error
	build    bool
	members  []Member
	items    []*Node
	slab     []Node
	// shared: strings are slices of s, not copies (FromJSONKeeping).
	shared bool
	// recent remembers copies by a hash of their text (see keep).
	recent []string // length a power of two
	arena  []byte
	// passed, when set, is called with p.pos once p.pos reaches
	// nextPassed (see FromJSONPassing).
	passed     func(n int)
	nextPassed int
	// blocks, for a large text, supplies the memory of nodes, members and
	// items ahead of the parser (blocks.go); memberSlab and itemSlab are
	// what is left of its current blocks.
	blocks     *blockSupplier
	memberSlab []Member
	itemSlab   []*Node
}

// recentSize is the most copies keep remembers (fewer for small texts,
// one slot per 256 bytes, so that a one-policy file does not pay for a
// table sized for an export). Keys and most values
// of policies repeat often (Effect, Allow, Action, s3:GetObject, the same
// ARNs); a table of this size, one slot per hash, finds most repeats of a
// 23 MB export (6.4 MB of strings, 1.5 MB distinct) at the cost of one
// hash a string, where a map of every distinct string cost more time than
// the copying it saved.
const recentSize = 4096

var recentSeed = maphash.MakeSeed()

// arenaBlock is the size of the blocks keep packs copies into.
const arenaBlock = 16 << 10

// keep returns a copy of s, a slice of the text, that does not reference
// the text, reusing an earlier copy of the same string when the table of
// recent ones holds it. Copies are packed into shared blocks (one
// allocation for many strings). A shared text is its own copy.
func (p *parser) keep(s string) string {
	if len(s) == 0 {
		return ""
	}
	if p.shared {
		return s
	}
	if p.recent == nil {
		size := 16
		for size < recentSize && size*256 < len(p.s) {
			size *= 2
		}
		p.recent = make([]string, size)
	}
	slot := &p.recent[maphash.String(recentSeed, s)&uint64(len(p.recent)-1)]
	if *slot == s {
		return *slot
	}
	if len(s) > cap(p.arena)-len(p.arena) {
		// The copies of one text never exceed the text: a small file
		// gets a block of its own size, not 16 KiB (1,594 policies of
		// 5.5 KiB on average kept 25 MiB of blocks live).
		p.arena = make([]byte, 0, max(len(s), min(arenaBlock, len(p.s))))
	}
	start := len(p.arena)
	p.arena = append(p.arena, s...)
	c := unsafe.String(&p.arena[start], len(s))
	*slot = c
	return c
}

// document reads one value and the white space around it.
func (p *parser) document() *Node {
	p.space()
	root := p.value()
	p.space()
	if p.pos != len(p.s) {
		p.bad = true
	}
	return root
}

// space skips JSON white space, counting lines.
func (p *parser) space() {
	s, i, line := p.s, p.pos, p.line
	for i < len(s) {
		switch s[i] {
		case ' ':
			i++
			// Indentation comes in runs (an AWS CLI export is indented
			// by four spaces a level): eight at a time.
			for i+8 <= len(s) && eightSpaces(s[i:i+8]) {
				i += 8
			}
			continue
		case '\t', '\r':
		case '\n':
			line++
		default:
			p.pos, p.line = i, line
			return
		}
		i++
	}
	p.pos, p.line = i, line
}

// eightSpaces reports whether the eight bytes of s are spaces, in one
// comparison (the compiler reads them as one word).
func eightSpaces(s string) bool {
	_ = s[7]
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	return w == 0x2020202020202020
}

// node hands out a Node from a block allocated for many: one allocation
// per block instead of one per value. Blocks are sized to the rest of the
// text (nodesAhead) so that a one-policy file does not pay for a block
// sized for an export.
func (p *parser) node(k Kind) *Node {
	if len(p.slab) == 0 {
		if p.blocks != nil {
			p.slab = <-p.blocks.nodes
		} else {
			p.slab = make([]Node, p.nodesAhead())
		}
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Line = k, p.line
	return n
}

// nodesAhead is how many nodes a new block of a small text holds: as many
// as the rest of the text is expected to need, from the values per byte
// read so far (one per 32 bytes before the first: a pretty-printed policy
// has one per 35), with a margin, 16 to nodeBlock. Blocks that grew by
// doubling whatever the text left 7.5 MB of the 17.5 MB of nodes of 1,594
// policy files unused.
func (p *parser) nodesAhead() int {
	left := len(p.s) - p.pos
	est := left / 32
	if p.nodes > 1 && p.pos > 0 {
		est = left * (p.nodes - 1) / p.pos
	}
	return min(max(est+est/8+4, 16), nodeBlock)
}

// newMembers returns a slice of k members, from the supplied blocks when
// there are some (full: an append by a reader copies it elsewhere).
func (p *parser) newMembers(k int) []Member {
	if p.blocks == nil || k > memberBlock/4 {
		return make([]Member, k)
	}
	if len(p.memberSlab) < k {
		p.memberSlab = <-p.blocks.members
	}
	m := p.memberSlab[:k:k]
	p.memberSlab = p.memberSlab[k:]
	return m
}

// newItems is newMembers for the items of an array.
func (p *parser) newItems(k int) []*Node {
	if p.blocks == nil || k > itemBlock/4 {
		return make([]*Node, k)
	}
	if len(p.itemSlab) < k {
		p.itemSlab = <-p.blocks.items
	}
	it := p.itemSlab[:k:k]
	p.itemSlab = p.itemSlab[k:]
	return it
}

// count counts a value against MaxNodes; false once over it.
func (p *parser) count() bool {
	p.nodes++
	if p.lim.MaxNodes > 0 && p.nodes > p.lim.MaxNodes && p.limitErr == nil {
		p.limitErr = &Error{Line: p.line, Msg: fmt.Sprintf("more than %d values", p.lim.MaxNodes)}
		p.build = false
	}
	return p.build
}

// value reads the value at p.pos (white space already skipped). It
// returns nil once building has stopped or the text is bad.
func (p *parser) value() *Node {
	if p.bad || p.pos >= len(p.s) {
		p.bad = true
		return nil
	}
	build := p.count()
	switch c := p.s[p.pos]; {
	case c == '{':
		return p.object(build)
	case c == '[':
		return p.array(build)
	case c == '"':
		line := p.line
		text, ok := p.str()
		if !ok {
			return nil
		}
		if p.lim.MaxString > 0 && len(text) > p.lim.MaxString && p.limitErr == nil {
			p.limitErr = &Error{Line: line, Msg: fmt.Sprintf("a string of %d bytes, over the %d-byte limit", len(text), p.lim.MaxString)}
			p.build = false
		}
		if !p.build {
			return nil
		}
		n := p.node(String)
		n.Text = text
		return n
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		if !p.number() || !build {
			return nil
		}
		n := p.node(Number)
		n.Text = p.keep(p.s[start:p.pos])
		return n
	default:
		var lit string
		kind := Bool
		switch c {
		case 't':
			lit = "true"
		case 'f':
			lit = "false"
		case 'n':
			lit, kind = "null", Null
		}
		if lit == "" || !strings.HasPrefix(p.s[p.pos:], lit) {
			p.bad = true
			return nil
		}
		p.pos += len(lit)
		if !build {
			return nil
		}
		n := p.node(kind)
		if kind == Bool {
			n.Text = lit
		}
		return n
	}
}

// enter counts one level of nesting; false (and the text bad) beyond
// MaxDepth.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > p.lim.MaxDepth {
		p.bad = true
		return false
	}
	return true
}

func (p *parser) object(build bool) *Node {
	var n *Node
	if build {
		n = p.node(Object)
	}
	if !p.enter() {
		return nil
	}
	p.pos++ // {
	p.space()
	mark := len(p.members)
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		p.depth--
		return n
	}
	for {
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			p.bad = true
			return nil
		}
		keyLine := p.line
		key, ok := p.str()
		if !ok {
			return nil
		}
		p.space()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			p.bad = true
			return nil
		}
		p.pos++
		p.space()
		v := p.value()
		if p.bad {
			return nil
		}
		if p.build {
			p.members = append(p.members, Member{Key: key, KeyLine: keyLine, Value: v})
		}
		if !p.more('}') {
			if p.bad {
				return nil
			}
			break
		}
	}
	p.depth--
	if !p.build {
		return nil
	}
	n.Members = p.newMembers(len(p.members) - mark)
	copy(n.Members, p.members[mark:])
	clear(p.members[mark:]) // the stack must not keep nodes alive
	p.members = p.members[:mark]
	return n
}

// more reads what follows a member or an item: a comma (true: another
// follows) or the closing bracket (false). Anything else marks the input
// bad (false).
func (p *parser) more(closing byte) bool {
	if p.passed != nil && p.pos >= p.nextPassed {
		p.passed(p.pos)
		p.nextPassed = p.pos + passedEvery
	}
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == ',' {
		p.pos++
		p.space()
		return true
	}
	if p.pos < len(p.s) && p.s[p.pos] == closing {
		p.pos++
		return false
	}
	p.bad = true
	return false
}

func (p *parser) array(build bool) *Node {
	var n *Node
	if build {
		n = p.node(Array)
	}
	if !p.enter() {
		return nil
	}
	p.pos++ // [
	p.space()
	mark := len(p.items)
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		p.depth--
		return n
	}
	for {
		v := p.value()
		if p.bad {
			return nil
		}
		if p.build {
			p.items = append(p.items, v)
		}
		if !p.more(']') {
			if p.bad {
				return nil
			}
			break
		}
	}
	p.depth--
	if !p.build {
		return nil
	}
	n.Items = p.newItems(len(p.items) - mark)
	copy(n.Items, p.items[mark:])
	clear(p.items[mark:])
	p.items = p.items[:mark]
	return n
}

// strStop marks the bytes that end the fast scan of a string: the closing
// quote, a backslash, control characters (not allowed unescaped) and the
// first byte of a multi-byte UTF-8 sequence (checked for validity).
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str reads the string at p.pos (an opening quote) and returns its value:
// a slice of the text when it holds no escape, otherwise decoded by gjson.
func (p *parser) str() (string, bool) {
	s := p.s
	start := p.pos
	escaped := false
	i := start + 1
	for {
		for i < len(s) && !strStop[s[i]] {
			i++
		}
		if i >= len(s) {
			p.bad = true
			return "", false
		}
		switch c := s[i]; {
		case c == '"':
			p.pos = i + 1
			if !escaped {
				return p.keep(s[start+1 : i]), true
			}
			return gjson.Parse(s[start:p.pos]).Str, true // a new string
		case c == '\\':
			escaped = true
			if i+1 >= len(s) {
				p.bad = true
				return "", false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(s) || !isHex(s[i+2]) || !isHex(s[i+3]) || !isHex(s[i+4]) || !isHex(s[i+5]) {
					p.bad = true
					return "", false
				}
				i += 6
			default:
				p.bad = true
				return "", false
			}
		case c < 0x20:
			p.bad = true
			return "", false
		default: // c >= 0x80
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				p.bad = true
				return "", false
			}
			i += size
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at p.pos.
func (p *parser) number() bool {
	s, i := p.s, p.pos
	digits := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		p.bad = true
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			p.bad = true
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			p.bad = true
			return false
		}
	}
	p.pos = i
	return true
}
