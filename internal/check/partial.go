package check

import (
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/ruleinput"
)

// PartialReason is the reason of every request a partial run cannot decide.
const PartialReason = "only some of the setup's documents were given (--partial): the others may grant it"

// partialRequests is what a run on a subset of the setup's documents (a
// pre-commit hook's staged files) can conclude. An Allow or an explicit
// Deny in the given documents holds whatever the others say (an explicit
// Deny overrides every Allow; an Allow found is an Allow, though a Deny
// elsewhere may still override it, so it becomes unknown too). An implicit
// deny, or an unknown for want of a document, does not: a document not in
// the run may grant the request. Those become unknown with PartialReason,
// which the completeness findings (putobject-missing, bucket-actions-
// missing, unresolved-value "no trust policy was given", …) do not fire on.
// The role's trust policy alone decides sts:AssumeRole for a caller in
// another account (the vendor's side is not the customer's to give), so
// assume-role keeps its decision when the trust policy is in the run.
// (IAM policy evaluation logic: reference_policies_evaluation-logic.html,
// cross-account: reference_policies_evaluation-logic-cross-account.html.)
func partialRequests(reqs []RequestResult, hasTrust bool) []RequestResult {
	out := make([]RequestResult, len(reqs))
	for i, r := range reqs {
		if r.ID == "assume-role" && hasTrust {
			out[i] = r
			continue
		}
		if r.Decision != string(iam.ExplicitDeny) {
			r.Decision = string(iam.Unknown)
			r.explain(reason(ReasonPartialRun, kindRun, PartialReason))
		}
		out[i] = r
	}
	return out
}

// anyUnknown reports whether some request is undecided.
func anyUnknown(reqs []RequestResult) bool {
	for _, r := range reqs {
		if r.Decision == string(iam.Unknown) {
			return true
		}
	}
	return false
}

// partialUnresolved keeps, in a partial run, only the unresolved values that
// still matter: when the given documents decided every request before the
// run was made partial, its unknowns come from the documents not given, not
// from these values (a template whose unknown Condition no request depends
// on); and a KMS key that needs kms describe-key or list-aliases output to
// be resolved is waiting for a document that may be among those not given.
func partialUnresolved(list []ruleinput.Unresolved, wholeDecided bool, p *plan) []ruleinput.Unresolved {
	out := []ruleinput.Unresolved{}
	if wholeDecided {
		return out
	}
	for _, e := range list {
		if p.kms.unresolved != "" && e.Reason == p.kms.unresolved {
			continue
		}
		out = append(out, e)
	}
	return out
}
