package policy

import "strings"

// UsesVariables reports whether a statement of d writes a policy variable
// where IAM would substitute one under Version 2012-10-17: in the Resource
// or NotResource element or in a Condition value
// (reference_policies_variables.html: "You can use policy variables in the
// Resource element and in string comparisons in the Condition element").
// Under an older version, or none, such text is taken literally.
func UsesVariables(d *Document) bool {
	has := func(vs []string) bool {
		for _, v := range vs {
			if strings.Contains(v, "${") {
				return true
			}
		}
		return false
	}
	for _, st := range d.Statements {
		if has(st.Resource) || has(st.NotResource) {
			return true
		}
		for _, c := range st.Condition {
			if has(c.Values) {
				return true
			}
		}
	}
	return false
}
