package report

import (
	"bytes"
	"encoding/json"
	"io"
)

// inputReporter writes the rule input of each evaluated principal
// (`--format input`, for rule authors: what `input` holds in a rule, as
// `conftest parse` shows what a policy sees), one JSON document per
// principal; the schema is rules/schema/input.json. The report must come
// from a run with check.Options.KeepInput (Format.RuleInput). Internal
// markers (an unresolved value, the any-file-name segment) are written as
// JSON escapes (\uffff, \ufffe): the same strings, visible in a terminal.
type inputReporter struct{}

func (inputReporter) Report(w io.Writer, m *Model, _ Options) error {
	for _, s := range m.Subjects {
		if s.Input == nil {
			continue
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s.Input); err != nil {
			return err
		}
		out := bytes.ReplaceAll(b.Bytes(), []byte("\uFFFF"), []byte(`\uffff`))
		out = bytes.ReplaceAll(out, []byte("\uFFFE"), []byte(`\ufffe`))
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	return nil
}
