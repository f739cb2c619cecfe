package check

import (
	"strings"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

// The parts of the rule input that hand rules the evaluation core's answers
// (the trace, reason codes, parsed operators) and the key references read
// in Go, so that no rule re-derives IAM semantics.

// traceInput is a request's trace for the rules: the statements of the
// run's documents (ids) whose Effect and Action (or NotAction) may match
// the request, each with where matching stopped and its conditions'
// answers. A statement that stops at its Resource or Principal is kept:
// it grants the action, but elsewhere or to someone else, which is what
// putobject-missing and kms-gap explain. Statements whose action does not
// match are left out: no rule needs them, and the input stays small on
// runs with many documents.
func traceInput(trace []iam.StatementTrace, ids map[*policy.Document]string) []ruleinput.StatementTrace {
	out := []ruleinput.StatementTrace{}
	for _, t := range trace {
		id, ok := ids[t.Document]
		if !ok || t.StoppedAt == iam.KindEffect || t.StoppedAt == iam.KindAction {
			continue
		}
		conds := make([]ruleinput.ConditionTrace, len(t.Conditions))
		for i, c := range t.Conditions {
			conds[i] = ruleinput.ConditionTrace{Index: c.Index, Result: c.Result.String(), Code: string(c.Reason.Code), Text: c.Reason.Text}
		}
		st := t.Statement
		out = append(out, ruleinput.StatementTrace{
			Doc: id, Index: st.Index, Sid: st.Sid, Line: st.Line, Effect: string(st.Effect),
			Action: t.Action.String(), Resource: t.Resource.String(),
			Principal: string(t.Principal), PrincipalResult: principalResult(t),
			Result: t.Result.String(), StoppedAt: string(t.StoppedAt), Conditions: conds,
		})
	}
	return out
}

// principalResult is "" where the document takes no Principal.
func principalResult(t iam.StatementTrace) string {
	if t.Principal == iam.PrincipalNotChecked {
		return ""
	}
	return t.PrincipalResult.String()
}

// reasonsInput: [{code, kind, text}].
func reasonsInput(rs []iam.Reason) []ruleinput.Reason {
	out := make([]ruleinput.Reason, len(rs))
	for i, r := range rs {
		out[i] = ruleinput.Reason{Code: string(r.Code), Kind: string(r.Kind), Text: r.Text}
	}
	return out
}

// conditionInput is one operator-key pair of a statement's Condition block,
// with its key in lower case: context key names are not case-sensitive
// ("IAM JSON policy elements: Condition",
// reference_policies_elements_condition.html: aws:SourceIP is AWS:SourceIp),
// so rules compare key_lower, never the key as written.
func conditionInput(c policy.Condition) ruleinput.Condition {
	return ruleinput.Condition{
		Operator: c.Operator, Op: operatorInput(c.Op), Key: c.Key, KeyLower: strings.ToLower(c.Key),
		Values: strs(c.Values), Line: c.Line,
	}
}

// operatorInput is a condition operator as parsed when its document was read.
func operatorInput(op policy.Operator) ruleinput.Operator {
	return ruleinput.Operator{Valid: op.Valid(), Base: op.Base, Set: op.Set, IfExists: op.IfExists, Negated: op.Negated}
}

// keyRefInput reads a KMS key reference as the setup or a bucket's default
// encryption writes it (KMS "Key identifiers (KeyId)"): a key ARN or bare
// key id names a key id; alias/NAME and alias ARNs are aliases; alias/aws/s3
// is the AWS managed key.
func keyRefInput(ref string) ruleinput.KeyRef {
	out := ruleinput.KeyRef{Ref: ref, Known: ref != "" && !policy.IsUnknown(ref)}
	if out.Known {
		out.KeyID, out.Alias, out.AWSManaged = keyIDOf(ref), isAliasRef(ref), requestmodel.IsAWSManagedS3Key(ref)
	}
	return out
}
