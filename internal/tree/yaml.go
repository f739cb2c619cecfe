package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// cfnTags maps CloudFormation's YAML short-form tags to the long-form key
// they stand for (AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
// Any other application tag is refused: smlint reads templates, and an
// unknown tag is either a typo CloudFormation would also reject or a tag
// meant for some other tool's object constructor.
var cfnTags = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!FindInMap":    "Fn::FindInMap",
	"!GetAtt":       "Fn::GetAtt",
	"!GetAZs":       "Fn::GetAZs",
	"!ImportValue":  "Fn::ImportValue",
	"!Join":         "Fn::Join",
	"!Length":       "Fn::Length",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!Sub":          "Fn::Sub",
	"!ToJsonString": "Fn::ToJsonString",
	"!Transform":    "Fn::Transform",
	"!And":          "Fn::And",
	"!Equals":       "Fn::Equals",
	"!If":           "Fn::If",
	"!Not":          "Fn::Not",
	"!Or":           "Fn::Or",
}

// FromYAML parses YAML text (a CloudFormation template, for example) into a
// Node tree with source lines, within DefaultLimits.
//
// CloudFormation short-form tags become their long form (`!Ref X` is
// {"Ref": "X"}, `!GetAtt A.B` is {"Fn::GetAtt": ["A", "B"]}), so loaders see
// one shape for JSON and YAML templates. Aliases are expanded, and the
// expanded size and depth are checked against the limits before anything is
// built, so an alias bomb ("billion laughs") is refused in time linear in the
// file. Duplicate mapping keys are kept, like FromJSON does.
func FromYAML(data []byte) (*Node, error) { return FromYAMLLimits(data, DefaultLimits) }

// FromYAMLLimits is FromYAML with explicit limits.
func FromYAMLLimits(data []byte, lim Limits) (root *Node, err error) {
	data, err = CheckText(data, lim)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	doc, err := decodeYAML(data)
	if err != nil {
		return nil, err
	}
	top := doc
	if top.Kind == yaml.DocumentNode {
		if len(top.Content) == 0 {
			return nil, &Error{Line: 1, Msg: "file is empty"}
		}
		top = top.Content[0]
	}
	m := measurer{lim: lim, memo: map[*yaml.Node]extent{}, busy: map[*yaml.Node]bool{}}
	if _, err := m.measure(top); err != nil {
		return nil, err
	}
	c := converter{lim: lim}
	root = c.convert(top, 1)
	if c.err != nil {
		return nil, c.err
	}
	return root, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeYAML parses the first document into yaml.v3's node tree, which keeps
// duplicate keys and unexpanded aliases (decoding into Go values would
// reject the former and expand the latter). A second document is an error:
// a template is one document, and silently ignoring the rest could hide the
// policy the user meant.
func decodeYAML(data []byte) (doc *yaml.Node, err error) {
	defer func() {
		// yaml.v3 has panicked on malformed input in the past; input must
		// never crash the CLI.
		if r := recover(); r != nil {
			doc, err = nil, &Error{Msg: fmt.Sprintf("invalid YAML: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first yaml.Node
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Line: 1, Msg: "file is empty"}
		}
		return nil, yamlError(err, data)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil:
		return nil, &Error{Line: second.Line, Msg: "file holds more than one YAML document; smlint reads one document per file"}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(err, data)
	}
	return &first, nil
}

var yamlAnchorRE = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)

func yamlError(err error, data []byte) error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Line: line, Msg: "invalid YAML: " + m[2]}
	}
	e := &Error{Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	// yaml.v3 names the anchor but not the line; the first "*name" is it.
	if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			e.Line = NewLines(data).Line(i)
		}
	}
	return e
}

// extent is the size of a YAML node once its aliases are expanded: values
// (as Node counts them; a short-form tag adds its wrapper object) and depth.
type extent struct {
	nodes, depth int
	aliased      bool // an alias was expanded inside
}

// measurer computes extents with memoisation, so shared anchors are visited
// once however often they are referenced.
type measurer struct {
	lim  Limits
	memo map[*yaml.Node]extent
	busy map[*yaml.Node]bool
}

func (m *measurer) measure(n *yaml.Node) (extent, error) {
	if e, ok := m.memo[n]; ok {
		return e, nil
	}
	if m.busy[n] {
		return extent{}, &Error{Line: n.Line, Msg: "YAML alias refers to a node that contains it"}
	}
	m.busy[n] = true
	defer delete(m.busy, n)
	var e extent
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return e, &Error{Line: n.Line, Msg: fmt.Sprintf("YAML alias *%s has no anchor", n.Value)}
		}
		if m.busy[n.Alias] {
			return e, &Error{Line: n.Line, Msg: fmt.Sprintf("YAML alias *%s refers to a node that contains it", n.Value)}
		}
		t, err := m.measure(n.Alias)
		if err != nil {
			return e, err
		}
		e = t
		e.aliased = true
	case yaml.ScalarNode:
		e = extent{nodes: 1, depth: 0}
	default:
		e = extent{nodes: 1, depth: 1}
		for _, c := range n.Content {
			ce, err := m.measure(c)
			if err != nil {
				return e, err
			}
			// Saturate: a few levels of aliases can overflow an int.
			e.nodes += ce.nodes
			if e.nodes > 1<<40 {
				e.nodes = 1 << 40
			}
			e.depth = max(e.depth, ce.depth+1)
			e.aliased = e.aliased || ce.aliased
		}
	}
	if _, ok := cfnTags[n.Tag]; ok && n.Kind != yaml.AliasNode {
		e.nodes++
		e.depth++
	}
	if m.lim.MaxNodes > 0 && e.nodes > m.lim.MaxNodes {
		what := "values"
		if n.Kind == yaml.AliasNode {
			what = "values once alias *" + n.Value + " is expanded"
		} else if e.aliased {
			what = "values once its aliases are expanded"
		}
		return e, &Error{Line: n.Line, Msg: fmt.Sprintf("more than %d %s", m.lim.MaxNodes, what)}
	}
	if m.lim.MaxDepth > 0 && e.depth > m.lim.MaxDepth {
		return e, &Error{Line: n.Line, Msg: fmt.Sprintf("nesting deeper than %d levels", m.lim.MaxDepth)}
	}
	m.memo[n] = e
	return e, nil
}

// converter builds Nodes from a measured yaml.Node tree.
type converter struct {
	lim   Limits
	nodes int
	err   error
}

func (c *converter) fail(line int, format string, args ...any) *Node {
	if c.err == nil {
		c.err = &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	return nil
}

func (c *converter) convert(n *yaml.Node, depth int) *Node {
	if c.err != nil {
		return nil
	}
	// measure already bounded the expanded tree; these checks keep the
	// converter safe on its own.
	c.nodes++
	if c.lim.MaxNodes > 0 && c.nodes > c.lim.MaxNodes {
		return c.fail(n.Line, "more than %d values", c.lim.MaxNodes)
	}
	if c.lim.MaxDepth > 0 && depth > c.lim.MaxDepth+1 {
		return c.fail(n.Line, "nesting deeper than %d levels", c.lim.MaxDepth)
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return c.fail(n.Line, "YAML alias *%s has no anchor", n.Value)
		}
		c.nodes--
		return c.convert(n.Alias, depth)
	}
	tag := n.Tag
	if long, ok := cfnTags[tag]; ok {
		inner := c.untagged(n, depth+1)
		if inner == nil {
			return nil
		}
		if tag == "!GetAtt" && inner.Kind == String {
			// `!GetAtt Res.Attr`: the logical id has no dots, the attribute
			// may (`!GetAtt Db.Endpoint.Address`).
			res, attr, _ := strings.Cut(inner.Text, ".")
			inner = &Node{Kind: Array, Line: n.Line, Items: []*Node{NewString(res, n.Line), NewString(attr, n.Line)}}
		}
		return &Node{Kind: Object, Line: n.Line, Members: []Member{{Key: long, KeyLine: n.Line, Value: inner}}}
	}
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") && tag != "!" {
		return c.fail(n.Line, "unsupported YAML tag %s (only CloudFormation short forms such as !Ref, !Sub and !GetAtt are accepted)", tag)
	}
	if st := n.ShortTag(); (n.Kind == yaml.MappingNode && st != "!!map") || (n.Kind == yaml.SequenceNode && st != "!!seq") {
		return c.fail(n.Line, "unsupported YAML tag %s", st)
	}
	return c.untagged(n, depth)
}

// untagged converts n by its node kind and core-schema tag, ignoring a
// CloudFormation short-form tag (the caller wraps it).
func (c *converter) untagged(n *yaml.Node, depth int) *Node {
	switch n.Kind {
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.SequenceNode:
		out := &Node{Kind: Array, Line: n.Line, Items: make([]*Node, 0, len(n.Content))}
		for _, it := range n.Content {
			v := c.convert(it, depth+1)
			if c.err != nil {
				return nil
			}
			out.Items = append(out.Items, v)
		}
		return out
	case yaml.ScalarNode:
		return c.scalar(n)
	case yaml.AliasNode:
		return c.convert(n, depth)
	}
	return c.fail(n.Line, "unexpected YAML node")
}

func (c *converter) scalar(n *yaml.Node) *Node {
	if c.lim.MaxString > 0 && len(n.Value) > c.lim.MaxString {
		return c.fail(n.Line, "a string of %d bytes, over the %d-byte limit", len(n.Value), c.lim.MaxString)
	}
	out := &Node{Kind: String, Text: n.Value, Line: n.Line}
	if _, ok := cfnTags[n.Tag]; ok {
		return out // the operand of a short form is always text
	}
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp", "!!binary":
		// A timestamp stays text: `Version: 2012-10-17` is a policy
		// version, not a date.
	case "!!null":
		out.Kind, out.Text = Null, ""
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err == nil {
			out.Kind, out.Text = Bool, strconv.FormatBool(b)
		}
	case "!!int", "!!float":
		if num, ok := jsonNumber(n.Value); ok {
			out.Kind, out.Text = Number, num
		}
	case "!!merge":
		// "<<" as a value is just text.
	default:
		return c.fail(n.Line, "unsupported YAML tag %s", tag)
	}
	return out
}

// jsonNumber renders a YAML 1.2 number as JSON number text; .inf, .nan and
// other values JSON cannot hold stay strings.
func jsonNumber(s string) (string, bool) {
	clean := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return strconv.FormatInt(i, 10), true
	}
	if u, err := strconv.ParseUint(clean, 0, 64); err == nil {
		return strconv.FormatUint(u, 10), true
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || strings.ContainsAny(strings.ToLower(clean), "in") { // inf, nan
		return "", false
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

func (c *converter) mapping(n *yaml.Node, depth int) *Node {
	out := &Node{Kind: Object, Line: n.Line, Members: make([]Member, 0, len(n.Content)/2)}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		for k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return c.fail(k.Line, "a YAML mapping key must be a plain value, not a %s", yamlKindName(k.Kind))
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if c.lim.MaxString > 0 && len(k.Value) > c.lim.MaxString {
			return c.fail(k.Line, "a key of %d bytes, over the %d-byte limit", len(k.Value), c.lim.MaxString)
		}
		val := c.convert(v, depth+1)
		if c.err != nil {
			return nil
		}
		out.Members = append(out.Members, Member{Key: k.Value, KeyLine: k.Line, Value: val})
	}
	// Merge keys (`<<: *base`, yaml.org/type/merge.html): keys written in the
	// mapping win over merged ones.
	for _, v := range merges {
		srcs := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			srcs = v.Content
		}
		for _, s := range srcs {
			val := c.convert(s, depth)
			if c.err != nil {
				return nil
			}
			if val.Kind != Object {
				return c.fail(s.Line, "a YAML merge key (<<) needs a mapping, not a %s", val.Kind)
			}
			for _, m := range val.Members {
				if out.Get(m.Key) == nil {
					out.Members = append(out.Members, m)
				}
			}
		}
	}
	return out
}

func yamlKindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}
