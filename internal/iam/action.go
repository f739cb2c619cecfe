package iam

// ActionMatches reports whether an Action/NotAction pattern matches action.
// Service prefix and action name are case-insensitive ("iam:ListAccessKeys is
// the same as IAM:listaccesskeys"), and '*' and '?' may appear anywhere in the
// name (reference_policies_elements_action.html). An unresolved pattern never
// matches here; use MatchAction to tell "no" from "unknown".
func ActionMatches(pattern, action string) bool {
	return MatchAction(pattern, action) == True
}

// MatchAction is ActionMatches with Maybe for an unresolved pattern or action.
func MatchAction(pattern, action string) Tri {
	if pattern == "*" {
		return True
	}
	if isUnknown(pattern) || isUnknown(action) {
		return Maybe
	}
	return triOf(globMatch(plain(pattern), action, true))
}
