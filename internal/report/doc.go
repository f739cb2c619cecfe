// Package report renders a check.Report for people and machines: text
// (grouped by file, then the evaluated requests, then the verdict line),
// the stable JSON of SPEC §4, SARIF 2.1.0, and GitHub workflow annotations.
package report
