package check

import (
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/suppress"
)

// inlineSuppressions reads the inline suppressions (# smlint:ignore, and
// Metadata.smlint.ignore) of the templates the run read; a suppression
// without a rule or a reason is an input error.
func inlineSuppressions(in *load.Input) ([]suppress.Entry, []load.FileError) {
	var files []string
	for _, d := range in.Documents {
		files = append(files, d.File)
	}
	for _, p := range in.Principals {
		files = append(files, p.File)
		for _, d := range p.Identity {
			files = append(files, d.File)
		}
		if p.Trust != nil {
			files = append(files, p.Trust.File)
		}
	}
	entries, problems := suppress.Inline(files)
	var errs []load.FileError
	for _, p := range problems {
		errs = append(errs, load.FileError{File: p.File, Line: p.Line, Message: p.Message})
	}
	return entries, errs
}
