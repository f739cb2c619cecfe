// Package rules embeds smlint's Rego rules, their tests, the shared Rego
// library and the vendor profiles, so that the binary carries everything it
// evaluates. The Go side only reads this file system; what the rules say
// lives in the .rego files and their # METADATA annotations.
package rules

import "embed"

// FS holds every rule directory, rules/lib and rules/profile.
//
//go:embed *
var FS embed.FS
