package check

import (
	"testing"

	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
)

// A key policy applies to its own key only (KMS "Key policies in AWS KMS"):
// the policies of the input's other keys do not count for the bucket's key.
func TestForeignKeyPolicies(t *testing.T) {
	a, b, anon := &policy.Document{Name: "a"}, &policy.Document{Name: "b"}, &policy.Document{Name: "get-key-policy"}
	symA := policy.SymbolicValue("!GetAtt A.Arn is known after deployment", policy.NewARNSymbol+"t#A.Arn")
	symB := policy.SymbolicValue("!GetAtt B.Arn is known after deployment", policy.NewARNSymbol+"t#B.Arn")
	arnA, arnB := "arn:aws:kms:eu-west-1:111122223333:key/a", "arn:aws:kms:eu-west-1:111122223333:key/b"
	for _, c := range []struct {
		name string
		keys []*load.KeyFacts
		key  string
		want []*policy.Document
	}{
		{"known ARNs", []*load.KeyFacts{{ARN: arnA, Policy: a}, {ARN: arnB, Policy: b}}, arnA, []*policy.Document{a, anon}},
		{"template keys", []*load.KeyFacts{{ARN: symA, Policy: a}, {ARN: symB, Policy: b}}, symA, []*policy.Document{a, anon}},
		{"key not told apart", []*load.KeyFacts{{ARN: symA, Policy: a}, {ARN: arnB, Policy: b}}, symA, []*policy.Document{a, b, anon}},
		{"only another key's policy", []*load.KeyFacts{{ARN: arnB, Policy: b}}, arnA, []*policy.Document{a, anon}},
	} {
		k := kmsPlan{foreign: foreignKeyPolicies(&load.Input{Keys: c.keys}, c.key)}
		got := k.keyPolicies([]*policy.Document{a, b, anon})
		if len(got) != len(c.want) {
			t.Errorf("%s: %d policies, want %d", c.name, len(got), len(c.want))
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: policy %d = %s, want %s", c.name, i, got[i].Name, c.want[i].Name)
			}
		}
	}
}
