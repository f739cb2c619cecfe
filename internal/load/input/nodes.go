package input

import (
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// Helpers for reading the parsed tree of an input file.

// Str returns the string member key of n ("" when absent or not a string).
func Str(n *tree.Node, key string) string {
	s, _ := n.Get(key).Str()
	return s
}

// StrOrUnknown is like Str but keeps an unknown value as its marker.
func StrOrUnknown(n *tree.Node, key string) string {
	v := n.Get(key)
	if v.IsUnknown() {
		return policy.UnknownValue(v.Text)
	}
	s, _ := v.Str()
	return s
}

// IsObject reports whether n is an object.
func IsObject(n *tree.Node) bool { return n != nil && n.Kind == tree.Object }

// Items returns the elements of an array node (nil for anything else).
func Items(n *tree.Node) []*tree.Node {
	if n == nil || n.Kind != tree.Array {
		return nil
	}
	return n.Items
}
