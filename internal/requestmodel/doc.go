// Package requestmodel holds what smlint assumes about the vendor (Supermetrics):
// the profile of facts shipped as data in rules/profile/, and the request
// model — the exact API calls the vendor makes and the request context they
// carry. Every assumption about what Supermetrics sends lives in
// requestmodel.go and nowhere else (SPEC §1), so a reader can audit them.
package requestmodel
