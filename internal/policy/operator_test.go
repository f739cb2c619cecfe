package policy

import "testing"

// TestParseOperator: the operator grammar of
// reference_policies_elements_condition_operators.html ("…IfExists" for
// every operator but Null) and of
// reference_policies_condition-single-vs-multi-valued-context-keys.html
// (ForAnyValue:/ForAllValues:), letter case ignored.
func TestParseOperator(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Operator
	}{
		{"StringEquals", Operator{Base: "stringequals"}},
		{" stringequals ", Operator{Base: "stringequals"}},
		{"ForAnyValue:NotIpAddressIfExists", Operator{Base: "notipaddress", Set: SetAnyValue, IfExists: true, Negated: true}},
		{"forallvalues:stringlike", Operator{Base: "stringlike", Set: SetAllValues}},
		{"ArnNotLikeIfExists", Operator{Base: "arnnotlike", IfExists: true, Negated: true}},
		{"StringNotEqualsIgnoreCase", Operator{Base: "stringnotequalsignorecase", Negated: true}},
		{"Null", Operator{Base: "null"}},
		{"NullIfExists", Operator{}},
		{"ForAnyValue:Null", Operator{}},
		{"NotIpAddressEquals", Operator{}},
		{"ForSomeValues:StringLike", Operator{}},
		{UnknownValue("known after apply"), Operator{}},
	} {
		got := ParseOperator(tt.in)
		if got != tt.want || got.Valid() != (tt.want.Base != "") {
			t.Errorf("ParseOperator(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
