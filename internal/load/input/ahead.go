package input

import (
	"runtime"

	"github.com/smlint/smlint/internal/parallel"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// Parsing ahead. A format reads a file's documents in file order, so that
// errors and documents keep that order; but a document's parse depends on
// its node, its kind and the file name only (policy.FromNode), so the
// thousands of documents of an account export can be parsed first on
// every processor, and ParseDoc then takes each result in order instead
// of parsing.

// DocNode is a policy document a format will hand to ParseDoc, with the
// kind it will ask for.
type DocNode struct {
	Node *tree.Node
	Kind policy.Kind
}

type parsedDoc struct {
	doc *policy.Document
	err error
}

// aheadPerWorker is the fewest documents given to a goroutine: below it,
// starting one costs about what it saves.
const aheadPerWorker = 64

// ParseAhead parses docs concurrently for the ParseDoc calls to come. A
// document listed but never asked for is parsed for nothing; one asked for
// but not listed (or whose parse panicked here) is parsed by ParseDoc as
// before: the results do not depend on the list.
func (b *Builder) ParseAhead(docs []DocNode) {
	workers := min(runtime.GOMAXPROCS(0), len(docs)/aheadPerWorker)
	if workers < 2 {
		return
	}
	results := make([]parsedDoc, len(docs))
	parsed := make([]bool, len(docs))
	parallel.For(len(docs), workers, func(i int) {
		results[i], parsed[i] = parseAhead(docs[i], b.File)
	})
	b.ahead = make(map[DocNode]parsedDoc, len(docs))
	for i, d := range docs {
		if parsed[i] {
			b.ahead[d] = results[i]
		}
	}
}

// parseAhead parses one document; false when ParseDoc would not parse it
// (null) or the parse panicked, which ParseDoc then repeats where the
// file's loading recovers from panics.
func parseAhead(d DocNode, file string) (r parsedDoc, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	if d.Node == nil || d.Node.Kind == tree.Null {
		return r, false
	}
	r.doc, r.err = policy.FromNode(d.Node, d.Kind, file)
	return r, true
}

// fromNode is policy.FromNode, or its result from ParseAhead (taken once:
// a second call parses again, as it always did).
func (b *Builder) fromNode(n *tree.Node, kind policy.Kind) (*policy.Document, error) {
	key := DocNode{n, kind}
	if r, ok := b.ahead[key]; ok {
		delete(b.ahead, key)
		return r.doc, r.err
	}
	return policy.FromNode(n, kind, b.File)
}
