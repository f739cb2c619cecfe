package check

import (
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/suppress"
)

// inlineSuppressions reads the inline suppressions (# smlint:ignore, and
// Metadata.smlint.ignore) of the templates the run read; a suppression
// without a rule or a reason is an input error.
func inlineSuppressions(in *load.Input) ([]suppress.Entry, []load.FileError) {
	// A template's documents are named (a logical id or CDK path) and its
	// principals have an address; a file that is one policy has neither,
	// so a directory of plain policies is not read a second time.
	var files []string
	for _, d := range in.Documents {
		if d.Name != "" {
			files = append(files, d.File)
		}
	}
	for _, p := range in.Principals {
		if p.Address != "" {
			files = append(files, p.File)
		}
	}
	entries, problems := suppress.Inline(files)
	var errs []load.FileError
	for _, p := range problems {
		errs = append(errs, load.FileError{File: p.File, Line: p.Line, Message: p.Message})
	}
	return entries, errs
}
