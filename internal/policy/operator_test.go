package policy

import (
	"strings"
	"testing"
)

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
		{"StringEquals", Operator{Base: "stringequals", Family: FamStringEquals}},
		{" stringequals ", Operator{Base: "stringequals", Family: FamStringEquals}},
		{"ForAnyValue:NotIpAddressIfExists", Operator{Base: "notipaddress", Set: SetAnyValue, IfExists: true, Negated: true, Family: FamIP}},
		{"forallvalues:stringlike", Operator{Base: "stringlike", Set: SetAllValues, Family: FamStringLike}},
		{"ArnNotLikeIfExists", Operator{Base: "arnnotlike", IfExists: true, Negated: true, Family: FamArn}},
		{"StringNotEqualsIgnoreCase", Operator{Base: "stringnotequalsignorecase", Negated: true, Family: FamStringEqualsIC}},
		{"Null", Operator{Base: "null", Family: FamNull}},
		{"NullIfExists", Operator{}},
		{"ForAnyValue:Null", Operator{}},
		{"NotIpAddressEquals", Operator{}},
		{"NumericLessThanEqualsIfExists", Operator{Base: "numericlessthanequals", IfExists: true, Family: FamNumLe}},
		{"DateNotEquals", Operator{Base: "datenotequals", Negated: true, Family: FamDateEq}},
		{"ForSomeValues:StringLike", Operator{}},
		{UnknownValue("known after apply"), Operator{}},
	} {
		got := ParseOperator(tt.in)
		if got != tt.want || got.Valid() != (tt.want.Base != "") {
			t.Errorf("ParseOperator(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestOperatorFamilies: every operator IAM defines compares in a family,
// and a Not… operator is the negation of the operator without "Not"
// (StringNotLike of StringLike, NotIpAddress of IpAddress, ArnNotEquals of
// ArnEquals: reference_policies_elements_condition_operators.html).
func TestOperatorFamilies(t *testing.T) {
	for name, op := range baseOperators {
		if op.family == 0 {
			t.Errorf("%s has no family", name)
		}
		positive := strings.Replace(name, "not", "", 1)
		if op.negated != (positive != name) {
			t.Errorf("%s: negated = %v", name, op.negated)
		}
		if pos, ok := baseOperators[positive]; op.negated && (!ok || pos.negated || pos.family != op.family) {
			t.Errorf("%s: the positive form %s is %+v (defined: %v), want family %d", name, positive, pos, ok, op.family)
		}
	}
}
