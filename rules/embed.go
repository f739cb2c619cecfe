// Package rules holds smlint's Rego rules, their tests, the shared Rego
// library and the vendor profiles. The binary embeds the rules, rules/lib
// and the profiles (FS, in the generated embed_files.go) but not the tests,
// this README or Go files. The Go side only reads FS; what the rules say
// lives in the .rego files and their # METADATA annotations.
package rules

//go:generate go run ./gen
