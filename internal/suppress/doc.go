// Package suppress decides which findings a run reports: the ignore entries
// of .smlint.yaml (path globs relative to the file that declares them), inline
// suppressions in CloudFormation templates, baselines of accepted findings,
// the rule selection of --only / --disable-rule / --enable-rule, and which
// ignore entries are stale.
package suppress
