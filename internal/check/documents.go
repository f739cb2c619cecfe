package check

import (
	"runtime"

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
	// run keeps its inputs (Options.KeepInput: --format input, tests); its
	// ID is empty, each subject numbers its documents.
	input *ruleinput.Document
	value engine.Value // the part converted for the engine
}

// preparedDocs are the prepared documents of a run, by document.
type preparedDocs map[*policy.Document]*preparedDoc

// prepareDocs prepares every document of the subjects, in parallel.
func prepareDocs(subs []*subject, facts *factSource, keepInput bool) (preparedDocs, error) {
	out := preparedDocs{}
	var list []*policy.Document
	add := func(d *policy.Document) {
		if d == nil {
			return
		}
		if _, ok := out[d]; !ok {
			out[d] = nil
			list = append(list, d)
		}
	}
	for _, s := range subs {
		s.eachDocument(add)
	}
	prepared := make([]preparedDoc, len(list))
	errs := make([]error, len(list))
	parallel.For(len(list), runtime.GOMAXPROCS(0), func(i int) {
		in := docInput("", list[i], facts)
		v, err := engine.Convert(&in)
		prepared[i], errs[i] = preparedDoc{value: v}, err
		if keepInput {
			prepared[i].input = &in
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
