package check

import (
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// The parts of the rule input that hand rules the evaluation core's answers
// (the trace, reason codes, parsed operators, key references), so that no
// rule re-derives IAM semantics.

// traceInput is a request's trace for the rules: the statements of the
// run's documents (ids) that name the request — Action, Resource and
// Principal may match, so only the Condition block (or nothing) decides
// whether they apply — each with its conditions' answers. Statements that
// do not name the request are left out: no rule needs them, and the input
// stays small on runs with many documents.
//
//	{doc, index, sid, line, effect, action, resource ("true"|"maybe"),
//	 principal ("" identity-side | "direct" | "account" | "session" | "user" | "none"),
//	 principal_result, result ("true"|"false"|"maybe"),
//	 conditions: [{index, result, code, text}]}
func traceInput(trace []iam.StatementTrace, ids map[*policy.Document]string) []any {
	out := []any{}
	for _, t := range trace {
		id, ok := ids[t.Document]
		if !ok || !t.Names() {
			continue
		}
		conds := make([]any, len(t.Conditions))
		for i, c := range t.Conditions {
			conds[i] = map[string]any{
				"index": c.Index, "result": c.Result.String(), "code": string(c.Reason.Code), "text": c.Reason.Text,
			}
		}
		st := t.Statement
		out = append(out, map[string]any{
			"doc": id, "index": st.Index, "sid": st.Sid, "line": st.Line, "effect": string(st.Effect),
			"action": t.Action.String(), "resource": t.Resource.String(),
			"principal": string(t.Principal), "principal_result": principalResult(t),
			"result": t.Result.String(), "conditions": conds,
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
func reasonsInput(rs []iam.Reason) []any {
	out := make([]any, len(rs))
	for i, r := range rs {
		out[i] = map[string]any{"code": string(r.Code), "kind": string(r.Kind), "text": r.Text}
	}
	return out
}

// operatorInput is a condition operator as parsed when its document was
// read: {valid, base, set, if_exists, negated}.
func operatorInput(op policy.Operator) map[string]any {
	return map[string]any{
		"valid": op.Valid(), "base": op.Base, "set": op.Set, "if_exists": op.IfExists, "negated": op.Negated,
	}
}

// keyRefInput describes a KMS key reference as the setup or a bucket's
// default encryption writes it: {ref, known, key_id (of a key ARN or a bare
// key id, "" otherwise), alias (an alias name or alias ARN), aws_managed
// (the aws/s3 key)} (KMS "Key identifiers (KeyId)").
func keyRefInput(ref string) map[string]any {
	known := ref != "" && !policy.IsUnknown(ref)
	out := map[string]any{"ref": ref, "known": known, "key_id": "", "alias": false, "aws_managed": false}
	if known {
		out["key_id"], out["alias"], out["aws_managed"] = keyIDOf(ref), isAliasRef(ref), requestmodel.IsAWSManagedS3Key(ref)
	}
	return out
}
