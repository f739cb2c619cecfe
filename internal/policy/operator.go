package policy

import "strings"

// Operator is a condition operator as IAM reads it
// (reference_policies_elements_condition_operators.html), parsed once when
// the document is read so that evaluation and rules never take operator
// names apart themselves.
type Operator struct {
	// Base is the lower-case operator without its qualifiers
	// ("notipaddress" for "ForAnyValue:NotIpAddressIfExists"); "" when IAM
	// defines no such operator (or the name is not known).
	Base string
	// Set is the multivalued-key qualifier: "foranyvalue", "forallvalues"
	// or "" (reference_policies_condition-single-vs-multi-valued-context-keys.html).
	Set string
	// IfExists: "If the policy key is present in the context of the
	// request, process the key as specified in the policy. If the key is
	// not present, evaluate the condition element as true."
	IfExists bool
	// Negated marks the Not… operators (StringNotEquals, NotIpAddress,
	// ArnNotLike, …): they hold when no policy value matches.
	Negated bool
}

// Valid reports whether IAM defines the operator.
func (o Operator) Valid() bool { return o.Base != "" }

// Operator set qualifiers.
const (
	SetAnyValue  = "foranyvalue"
	SetAllValues = "forallvalues"
)

// baseOperators are the operators IAM defines, lower case, each with
// whether it is negated.
var baseOperators = map[string]bool{
	"stringequals": false, "stringnotequals": true,
	"stringequalsignorecase": false, "stringnotequalsignorecase": true,
	"stringlike": false, "stringnotlike": true,
	"numericequals": false, "numericnotequals": true,
	"numericlessthan": false, "numericlessthanequals": false,
	"numericgreaterthan": false, "numericgreaterthanequals": false,
	"dateequals": false, "datenotequals": true,
	"datelessthan": false, "datelessthanequals": false,
	"dategreaterthan": false, "dategreaterthanequals": false,
	"bool":         false,
	"binaryequals": false,
	"ipaddress":    false, "notipaddress": true,
	"arnequals": false, "arnlike": false, "arnnotequals": true, "arnnotlike": true,
	"null": false,
}

// ParseOperator splits an operator name ("ForAnyValue:StringLikeIfExists")
// into its parts, ignoring letter case as IAM does. A name IAM does not
// define gives the zero Operator (Valid() is false). "…IfExists" exists for
// "any condition operator except the Null condition", and a set qualifier on
// Null is meaningless: both are not valid.
func ParseOperator(name string) Operator {
	var op Operator
	n := strings.ToLower(strings.TrimSpace(name))
	if rest, ok := strings.CutPrefix(n, SetAnyValue+":"); ok {
		op.Set, n = SetAnyValue, rest
	} else if rest, ok := strings.CutPrefix(n, SetAllValues+":"); ok {
		op.Set, n = SetAllValues, rest
	}
	if rest, ok := strings.CutSuffix(n, "ifexists"); ok {
		op.IfExists, n = true, rest
	}
	negated, ok := baseOperators[n]
	if !ok || n == "null" && (op.IfExists || op.Set != "") {
		return Operator{}
	}
	op.Base, op.Negated = n, negated
	return op
}
