package check

import (
	"runtime"
	"strconv"

	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/parallel"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/ruleinput"
)

// preparedDoc is one policy document as the rules see it, built once per
// run: its statement facts depend only on the document, the setup and the
// profile, never on the subject, so a managed policy attached to fifty
// roles of an account export is described and converted once, and the
// documents of a run are prepared on every core before the subjects run
// (a run of a thousand loose policies is one subject).
type preparedDoc struct {
	// input is the document's part of the rule input, kept only when the
	// run keeps its inputs (Options.KeepInput: --format input, tests).
	input *ruleinput.Document
	value engine.Value // the part converted for the engine
	// id is the ID input and value carry: the one the document has in the
	// first subject that lists it. Each subject numbers its documents
	// (docIDs); a subject that numbers it otherwise sets its own ID on a
	// copy, and a run of one subject (a directory of loose policies)
	// never has to.
	id string
}

// preparedDocs are the prepared documents of a run, by document.
type preparedDocs map[*policy.Document]*preparedDoc

// prepareDocs prepares every document of the subjects, in parallel.
func prepareDocs(subs []*subject, facts *factSource, keepInput bool) (preparedDocs, error) {
	out := preparedDocs{}
	var list []*policy.Document
	var ids []string
	for _, s := range subs {
		for _, e := range s.docIDs() {
			if _, ok := out[e.doc]; !ok {
				out[e.doc] = nil
				list = append(list, e.doc)
				ids = append(ids, e.id)
			}
		}
	}
	prepared := make([]preparedDoc, len(list))
	errs := make([]error, len(list))
	// One worker per core, each taking every workers-th document with a
	// facts source of its own (factSource.forWorker).
	workers := min(runtime.GOMAXPROCS(0), max(1, len(list)))
	parallel.For(workers, workers, func(w int) {
		facts := facts.forWorker()
		for i := w; i < len(list); i += workers {
			in := docInput(ids[i], list[i], facts)
			v, err := engine.Convert(&in)
			prepared[i], errs[i] = preparedDoc{value: v, id: ids[i]}, err
			if keepInput {
				prepared[i].input = &in
			}
		}
	})
	for i, d := range list {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[d] = &prepared[i]
	}
	return out, nil
}

// docID is a document of a subject with its ID in the subject's rule input.
type docID struct {
	doc *policy.Document
	id  string
}

// docIDs numbers the subject's documents in eachDocument's order, each
// once: doc-1, doc-2… (requests' because entries and keys name them so).
func (s *subject) docIDs() []docID {
	var out []docID
	seen := map[*policy.Document]bool{}
	s.eachDocument(func(d *policy.Document) {
		if d == nil || seen[d] {
			return
		}
		seen[d] = true
		out = append(out, docID{d, "doc-" + strconv.Itoa(len(out)+1)})
	})
	return out
}

// eachDocument calls f with every document of the subject, in the order
// the rule input lists them (trust, identity, boundary, bucket, key, SCP);
// f may see a document twice.
func (s *subject) eachDocument(f func(*policy.Document)) {
	f(s.trust)
	for _, group := range [][]*policy.Document{s.identity, s.boundary, s.bucket, s.key, s.scp} {
		for _, d := range group {
			f(d)
		}
	}
}
