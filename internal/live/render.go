package live

import "github.com/smlint/smlint/internal/report"

// The cross-check's rows are part of the report model (report.Model), so
// that every reporter that shows them reads the same data; live fills them.
type (
	// CrossCheck is report.CrossCheck.
	CrossCheck = report.CrossCheck
	// Comparison is report.Comparison.
	Comparison = report.Comparison
)

// Comparison statuses (report.Status…).
const (
	StatusAgree       = report.StatusAgree
	StatusDisagree    = report.StatusDisagree
	StatusKnownLimit  = report.StatusKnownLimit
	StatusNotCompared = report.StatusNotCompared
)
