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
	// Family is the comparison the operator performs, the same for an
	// operator and its Not… form (StringNotLike compares as StringLike).
	Family Family
}

// Family is the comparison a condition operator performs
// (reference_policies_elements_condition_operators.html: string, numeric,
// date, Boolean, binary, IP address, ARN and Null operators). The zero
// Family is that of an operator IAM does not define.
type Family uint8

// The families of the condition operators.
const (
	FamStringEquals   Family = iota + 1 // StringEquals, StringNotEquals
	FamStringEqualsIC                   // StringEqualsIgnoreCase, StringNotEqualsIgnoreCase
	FamStringLike                       // StringLike, StringNotLike
	FamNumEq                            // NumericEquals, NumericNotEquals
	FamNumLt                            // NumericLessThan
	FamNumLe                            // NumericLessThanEquals
	FamNumGt                            // NumericGreaterThan
	FamNumGe                            // NumericGreaterThanEquals
	FamDateEq                           // DateEquals, DateNotEquals
	FamDateLt                           // DateLessThan
	FamDateLe                           // DateLessThanEquals
	FamDateGt                           // DateGreaterThan
	FamDateGe                           // DateGreaterThanEquals
	FamBool                             // Bool
	FamBinary                           // BinaryEquals
	FamIP                               // IpAddress, NotIpAddress
	FamArn                              // ArnEquals, ArnLike, ArnNotEquals, ArnNotLike
	FamNull                             // Null
)

// Valid reports whether IAM defines the operator.
func (o Operator) Valid() bool { return o.Base != "" }

// Operator set qualifiers.
const (
	SetAnyValue  = "foranyvalue"
	SetAllValues = "forallvalues"
)

// baseOperator is what a base operator name says: the comparison and
// whether it is the Not… form.
type baseOperator struct {
	family  Family
	negated bool
}

// baseOperators are the operators IAM defines, lower case: the one list of
// the operator vocabulary, read by ParseOperator.
var baseOperators = map[string]baseOperator{
	"stringequals": {FamStringEquals, false}, "stringnotequals": {FamStringEquals, true},
	"stringequalsignorecase": {FamStringEqualsIC, false}, "stringnotequalsignorecase": {FamStringEqualsIC, true},
	"stringlike": {FamStringLike, false}, "stringnotlike": {FamStringLike, true},
	"numericequals": {FamNumEq, false}, "numericnotequals": {FamNumEq, true},
	"numericlessthan": {FamNumLt, false}, "numericlessthanequals": {FamNumLe, false},
	"numericgreaterthan": {FamNumGt, false}, "numericgreaterthanequals": {FamNumGe, false},
	"dateequals": {FamDateEq, false}, "datenotequals": {FamDateEq, true},
	"datelessthan": {FamDateLt, false}, "datelessthanequals": {FamDateLe, false},
	"dategreaterthan": {FamDateGt, false}, "dategreaterthanequals": {FamDateGe, false},
	"bool":         {FamBool, false},
	"binaryequals": {FamBinary, false},
	"ipaddress":    {FamIP, false}, "notipaddress": {FamIP, true},
	"arnequals": {FamArn, false}, "arnlike": {FamArn, false}, "arnnotequals": {FamArn, true}, "arnnotlike": {FamArn, true},
	"null": {FamNull, false},
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
	base, ok := baseOperators[n]
	if !ok || base.family == FamNull && (op.IfExists || op.Set != "") {
		return Operator{}
	}
	op.Base, op.Negated, op.Family = n, base.negated, base.family
	return op
}
