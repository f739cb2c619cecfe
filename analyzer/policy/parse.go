package policy

import (
	"errors"

	"github.com/smlint/smlint/analyzer/tree"
)

// FromNode parses a policy document held in node n (an object, or a string
// holding JSON or URL-encoded JSON). kind is the role the caller knows the
// document plays, or "" to detect it from its shape. Statement lines come
// from the node; a document held in a string gets the string's line.
//
// Not yet implemented: owned by the loader work.
func FromNode(n *tree.Node, kind Kind, file string) (*Document, error) {
	return nil, errors.New("policy.FromNode: not implemented")
}

// FromText parses a policy document held in a string (JSON text, or
// URL-encoded JSON text as the IAM API returns it), found at line of file.
//
// Not yet implemented: owned by the loader work.
func FromText(text string, kind Kind, file string, line int) (*Document, error) {
	return nil, errors.New("policy.FromText: not implemented")
}
