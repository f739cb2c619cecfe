package input

import "github.com/smlint/smlint/internal/tree"

// Format is one shape of input file (an AWS CLI output, a Terraform plan,
// a CloudFormation template, ...), recognised by the shape of its parsed
// tree. load tries the formats in the order of one table and loads a file
// with the first whose Detect says yes.
type Format interface {
	// Name is what the format is called in tests and messages.
	Name() string
	// Detect reports whether root, the parsed JSON or YAML of a file, has
	// this format's shape. It must not keep root or change it.
	Detect(root *tree.Node) bool
	// Load adds what root holds to b, reporting problems in b (never
	// panicking on input: a panic is recovered and reported as an
	// internal error for that file).
	Load(root *tree.Node, b *Builder)
}

// NewFormat makes a Format of a name and two functions.
func NewFormat(name string, detect func(root *tree.Node) bool, load func(root *tree.Node, b *Builder)) Format {
	return funcFormat{name, detect, load}
}

type funcFormat struct {
	name   string
	detect func(root *tree.Node) bool
	load   func(root *tree.Node, b *Builder)
}

func (f funcFormat) Name() string                     { return f.name }
func (f funcFormat) Detect(root *tree.Node) bool      { return f.detect(root) }
func (f funcFormat) Load(root *tree.Node, b *Builder) { f.load(root, b) }
