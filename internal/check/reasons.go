package check

import (
	"slices"

	"github.com/smlint/smlint/internal/iam"
)

// Reason codes of the answers check gives without (or beside) the
// evaluation core, with the kinds they are about. The core's own codes are
// in internal/iam (reason.go); rules read codes, never the English text.
const (
	// ReasonMissingDocument: the request is unknown because a document it
	// needs (trust, permission, bucket or key policy) was not given.
	ReasonMissingDocument iam.ReasonCode = "missing-document"
	// ReasonNotConfigured: a setup value the request needs (the bucket) is
	// neither configured nor inferred.
	ReasonNotConfigured iam.ReasonCode = "not-configured"
	// ReasonKeyUnresolved: the SSE-KMS key cannot be named from the inputs.
	ReasonKeyUnresolved iam.ReasonCode = "key-unresolved"
	// ReasonKeyRefused: the key cannot serve the bucket (another Region,
	// disabled), so KMS refuses whatever the policies say.
	ReasonKeyRefused iam.ReasonCode = "key-refused"
	// ReasonGrant: what a KMS grant adds to an undecided request.
	ReasonGrant iam.ReasonCode = "kms-grant"
	// ReasonPartialRun: a --partial run lacks documents that may decide it.
	ReasonPartialRun iam.ReasonCode = "partial-run"
	// ReasonVersionReadings: a get-policy-version output without an ARN may
	// be the boundary or an attached policy, and the readings disagree.
	ReasonVersionReadings iam.ReasonCode = "version-readings-differ"
)

const (
	kindSetup iam.ReasonKind = "setup" // the configured setup
	kindKey   iam.ReasonKind = "key"   // the SSE-KMS key
	kindGrant iam.ReasonKind = "grant" // a KMS grant
	kindRun   iam.ReasonKind = "run"   // the run's inputs as a whole
)

// explain sets the request's reasons: Why for rules and Go, Reasons (the
// texts) for reports.
func (rr *RequestResult) explain(rs ...iam.Reason) {
	rr.Why = rs
	rr.Reasons = iam.Texts(rs)
	rr.ReasonCodes = nil
	for _, r := range rs {
		if r.Code != "" && !slices.Contains(rr.ReasonCodes, string(r.Code)) {
			rr.ReasonCodes = append(rr.ReasonCodes, string(r.Code))
		}
	}
}

// addReason appends one reason.
func (rr *RequestResult) addReason(r iam.Reason) {
	rr.explain(append(append([]iam.Reason(nil), rr.Why...), r)...)
}

func reason(code iam.ReasonCode, kind iam.ReasonKind, text string) iam.Reason {
	return iam.Reason{Code: code, Kind: kind, Text: text}
}
