// Package engine runs smlint's Rego rules with the OPA Go library: it parses
// the embedded rules (and any user rule directories) once, reads the rule
// catalogue from their # METADATA annotations, compiles one prepared query
// that collects every rule's findings, and evaluates it per input.
package engine
