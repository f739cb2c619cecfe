package policy

import "testing"

func TestSymbolicValues(t *testing.T) {
	a := SymbolicValue("!GetAtt K.Arn is known after deployment", NewARNSymbol+"t.yaml#K.Arn")
	b := SymbolicValue("!GetAtt L.Arn is known after deployment", NewARNSymbol+"t.yaml#L.Arn")
	p := SymbolicValue("!Ref P has no value", "cfn-param:P@t.yaml")
	q := SymbolicValue("!Ref Q has no value", "cfn-param:Q@t.yaml")
	if !IsUnknown(a) || UnknownReason(a) != "!GetAtt K.Arn is known after deployment" || Symbol(a) != NewARNSymbol+"t.yaml#K.Arn" {
		t.Errorf("a: unknown %v reason %q symbol %q", IsUnknown(a), UnknownReason(a), Symbol(a))
	}
	for _, c := range []struct {
		x, y     string
		same, ok bool
	}{
		{a, a, true, true},
		{a, SymbolicValue("another reason", NewARNSymbol+"t.yaml#K.Arn"), true, true},
		{a, b, false, true},  // ARNs of two new resources differ
		{p, q, false, false}, // two parameters may hold the same value
		{p, p, true, true},
		{a, UnknownValue("!GetAtt K.Arn is known after deployment"), false, false}, // no identity
		{a, "arn:aws:kms:eu-west-1:111122223333:key/k", false, false},
		{a + "/suffix", a + "/suffix", false, false}, // a string built from a symbol is not it
		{"x" + a, "x" + a, false, false},
	} {
		same, ok := SameSymbol(c.x, c.y)
		if same != c.same || ok != c.ok {
			t.Errorf("SameSymbol(%q, %q) = %v, %v; want %v, %v", c.x, c.y, same, ok, c.same, c.ok)
		}
	}
	// A reason that already carries an identity is re-tagged, not nested.
	if r := SymbolicReason(SymbolicReason("why", "one"), "two"); Symbol(UnknownValue(r)) != "two" || UnknownReason(UnknownValue(r)) != "why" {
		t.Errorf("retag %q", r)
	}
}
