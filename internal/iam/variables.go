package iam

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// varState is the outcome of substituting the policy variables of one value.
type varState uint8

const (
	varOK      varState = iota // every variable has a value (or there are none)
	varAbsent                  // some variable has no value and no default
	varUnknown                 // some variable's value is not known
)

// expand substitutes policy variables in s (reference_policies_variables.html):
//   - only under Version 2012-10-17: "If you don't include the Version element
//     and set it to an appropriate version date, variables like
//     ${aws:username} are treated as literal strings" (also for 2008-10-17);
//   - ${*}, ${?} and ${$} stand for the literal characters;
//   - ${key, 'default'} uses default when the key has no value;
//   - key names are case-insensitive and looked up in the request context.
//
// The substituted text is literal: wildcards inside it do not act as wildcards.
// (IAM user names and tag values cannot contain '*' or '?', so the choice
// cannot change an answer for values AWS actually produces.)
func expand(s string, ctx Context, version string) (pieces []piece, st varState, why string) {
	if version != policy.Version2012 || !strings.Contains(s, "${") {
		return plain(s), varOK, ""
	}
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			if rest != "" {
				pieces = append(pieces, piece{text: rest})
			}
			return pieces, st, why
		}
		if i > 0 {
			pieces = append(pieces, piece{text: rest[:i]})
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			// "${" with no closing brace: IAM's handling is not documented.
			return nil, varUnknown, fmt.Sprintf("malformed policy variable in %q", s)
		}
		inner := rest[i+2 : i+j]
		rest = rest[i+j+1:]
		val, vs, vwhy := resolveVariable(inner, ctx)
		switch vs {
		case varOK:
			pieces = append(pieces, piece{text: val, literal: true})
		case varAbsent:
			if st == varOK {
				st, why = varAbsent, vwhy
			}
		case varUnknown:
			st, why = varUnknown, vwhy
		}
	}
}

// resolveVariable resolves the text between "${" and "}".
func resolveVariable(inner string, ctx Context) (string, varState, string) {
	switch strings.TrimSpace(inner) {
	case "*", "?", "$":
		return strings.TrimSpace(inner), varOK, ""
	}
	key, def, hasDef := inner, "", false
	if c := strings.IndexByte(inner, ','); c >= 0 {
		key = inner[:c]
		d := strings.TrimSpace(inner[c+1:])
		if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
			return "", varUnknown, fmt.Sprintf("malformed default value in policy variable ${%s}", inner)
		}
		// Inside the quotes a doubled '' stands for one quote.
		def, hasDef = strings.ReplaceAll(d[1:len(d)-1], "''", "'"), true
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return "", varUnknown, "empty policy variable ${}"
	}
	cv, found := ctx.Lookup(key)
	switch {
	case !found:
		if hasDef {
			// Present or absent, we cannot tell which text applies.
			return "", varUnknown, fmt.Sprintf("policy variable ${%s} has no known value", key)
		}
		return "", varUnknown, fmt.Sprintf("policy variable ${%s} has no known value", key)
	case cv.State == UnknownValue:
		return "", varUnknown, fmt.Sprintf("policy variable ${%s} has no known value", key)
	case cv.State == Foreign && cv.AlwaysPresent:
		// Some value the customer does not control: substituted as text that
		// no request value of the customer's side contains (foreign.go).
		return cv.Prefix + string(freshRune), varOK, ""
	case cv.State == Foreign:
		return "", varUnknown, fmt.Sprintf("policy variable ${%s} is a value on the vendor's side: it may be absent or hold any value", key)
	case cv.State == Absent || (cv.State == Present && len(cv.Values) == 0):
		if hasDef {
			return def, varOK, ""
		}
		return "", varAbsent, fmt.Sprintf("policy variable ${%s} has no value in this request", key)
	case len(cv.Values) > 1:
		return "", varUnknown, fmt.Sprintf("policy variable ${%s} refers to a multivalued key", key)
	case isUnknown(cv.Values[0]):
		return "", varUnknown, fmt.Sprintf("policy variable ${%s}: %s", key, unknownWhy(cv.Values[0]))
	}
	return cv.Values[0], varOK, ""
}

// Lookup finds a condition key. Key names are case-insensitive
// (reference_policies_elements_condition.html); Context keys are stored in
// lower case. A key that is not in the map falls back to the longest
// "prefix/*" or "prefix:*" entry it starts with (see Context). found is false
// when nothing applies, which means the value is unknown.
func (c Context) Lookup(key string) (v ContextValue, found bool) {
	if c == nil {
		return ContextValue{}, false
	}
	k := strings.ToLower(key)
	if v, ok := c[k]; ok {
		return v, true
	}
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == '/' || k[i] == ':' {
			if v, ok := c[k[:i+1]+"*"]; ok {
				return v, true
			}
		}
	}
	// Tolerate a caller that stored a key in mixed case.
	for ck, v := range c {
		if strings.EqualFold(ck, key) {
			return v, true
		}
	}
	return ContextValue{}, false
}
