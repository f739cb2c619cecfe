// Package tree holds a parsed JSON or YAML value together with the 1-based
// source line of every element, so that every later stage (policy parsing,
// evaluation, findings) can point the user at the line they must edit.
//
// Objects keep their keys in source order and keep duplicate keys: IAM's
// grammar forbids duplicates, and which copy wins is parser-dependent, so the
// policy parser needs to see both copies (SPEC §4).
package tree
