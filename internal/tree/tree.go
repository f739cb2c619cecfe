package tree

import (
	"strconv"
)

// Kind is the JSON type of a Node, plus Unknown for values that a template or
// plan leaves unresolved (Terraform "known after apply", a CloudFormation
// reference without a value).
type Kind int

// The kinds of node.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
	Unknown
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	case Unknown:
		return "unknown"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is one value with its source line.
type Node struct {
	Kind Kind
	// Text is the string value for String, the literal for Number and Bool,
	// and a human description of why the value is unknown for Unknown.
	Text string
	// Items holds array elements.
	Items []*Node
	// Members holds object members in source order, duplicates included.
	Members []Member
	// Line is the 1-based line where the value starts (0 when not known).
	Line int
}

// Member is one key/value pair of an object.
type Member struct {
	Key     string
	KeyLine int
	Value   *Node
}

// Get returns the first member named key (case-sensitive), or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// GetLast returns the last member named key (case-sensitive), or nil.
func (n *Node) GetLast(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Path follows a chain of object keys (first copy of each) and returns the
// node it reaches, or nil.
func (n *Node) Path(keys ...string) *Node {
	cur := n
	for _, k := range keys {
		cur = cur.Get(k)
		if cur == nil {
			return nil
		}
	}
	return cur
}

// Str returns the string value and whether n is a String.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind != String {
		return "", false
	}
	return n.Text, true
}

// IsUnknown reports whether n is an unresolved value.
func (n *Node) IsUnknown() bool { return n != nil && n.Kind == Unknown }

// NewString builds a string node, for loaders that synthesise values (for
// example a resolved CloudFormation !Sub).
func NewString(s string, line int) *Node { return &Node{Kind: String, Text: s, Line: line} }

// NewUnknown builds an unresolved value saying why it is unknown.
func NewUnknown(why string, line int) *Node { return &Node{Kind: Unknown, Text: why, Line: line} }

// Walk calls fn for n and every descendant, depth first, stopping early
// when fn returns false for a node (its children are then skipped).
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, it := range n.Items {
		Walk(it, fn)
	}
	for _, m := range n.Members {
		Walk(m.Value, fn)
	}
}

// HasDuplicateKeys reports whether any object in n repeats a key.
func HasDuplicateKeys(n *Node) bool {
	dup := false
	Walk(n, func(x *Node) bool {
		if dup {
			return false
		}
		if x.Kind == Object && len(x.Members) > 1 {
			seen := make(map[string]bool, len(x.Members))
			for _, m := range x.Members {
				if seen[m.Key] {
					dup = true
					return false
				}
				seen[m.Key] = true
			}
		}
		return true
	})
	return dup
}
