// Package ruleinput holds the rule input: the one document every Rego rule
// reads as `input`, as Go types with their JSON names. internal/check fills
// it, internal/engine hands it to the rules, and rules/schema/input.json is
// generated from these types (go generate) for the rules' type check.
package ruleinput

//go:generate go run ./gen
