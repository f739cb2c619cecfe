package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
)

// failOnUsage documents --fail-on.
const failOnUsage = "exit 1 on findings at or above LEVEL (error | warning | info | never); " +
	"add unknown (\"error,unknown\", or unknown alone) to exit 1 also when the verdict is unknown"

// partialUsage documents --partial.
const partialUsage = "the PATHs are only some of the setup's documents (a pre-commit hook's staged files): " +
	"no findings about what the others may grant or lack, and no error when none is a policy"

// failPolicy is a parsed --fail-on: a severity threshold ("" for never)
// and whether an unknown verdict fails the run.
type failPolicy struct {
	level   string
	unknown bool
}

// parseFailOn reads --fail-on: LEVEL, never, unknown, or LEVEL,unknown.
// "unknown" alone keeps the default level error.
func parseFailOn(s string) (failPolicy, error) {
	p := failPolicy{level: "error"}
	levelSet := false
	for _, part := range strings.Split(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		switch {
		case part == "unknown":
			p.unknown = true
		case part == "never" && !levelSet:
			p.level, levelSet = "", true
		case engine.SeverityRank(part) > 0 && !levelSet:
			p.level, levelSet = part, true
		default:
			return p, usageErr("--fail-on %q: want error, warning, info or never, optionally with unknown (error,unknown)", s)
		}
	}
	return p, nil
}

// exitFor maps a report to the exit codes of SPEC §3: 2 when an input could
// not be read, 1 for findings at or above --fail-on (or an unknown verdict
// with --fail-on unknown), else 0.
func exitFor(rep *check.Report, fail failPolicy) error {
	if len(rep.Errors) > 0 {
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	if fail.unknown && (rep.Upload == "unknown" || rep.Upload == "") {
		return &exitError{code: exitFindings, err: errors.New("")}
	}
	if fail.level != "" {
		for _, f := range rep.Findings {
			if engine.SeverityRank(f.Severity) >= engine.SeverityRank(fail.level) {
				return &exitError{code: exitFindings, err: errors.New("")}
			}
		}
	}
	return nil
}

// noDocuments reports whether the paths held nothing smlint analyses: no
// policy document, principal, bucket or key facts, and no attachment list.
func noDocuments(in *load.Input) bool {
	return len(in.Documents) == 0 && len(in.Principals) == 0 && len(in.Buckets) == 0 &&
		len(in.Keys) == 0 && len(in.Attachments) == 0
}

// emptyInputError is the usage error of a run whose paths held no policy
// document: a mistyped or empty directory must fail a pipeline, not pass
// it with verdict unknown. It names the paths and why the files in them
// were not used.
func emptyInputError(paths []string, in *load.Input) error {
	var b strings.Builder
	fmt.Fprintf(&b, "no policy document found in %s", strings.Join(paths, ", "))
	if in.Files == 0 {
		b.WriteString(" (no JSON, YAML or template file in it)")
	} else {
		fmt.Fprintf(&b, " (%d file(s) looked at, none a policy, AWS CLI export, Terraform plan or CloudFormation template)", in.Files)
	}
	notes := append(append([]load.FileError{}, in.NotChecked...), in.Skipped...)
	for i, e := range notes {
		if i == 3 {
			fmt.Fprintf(&b, "\n  … and %d more", len(notes)-3)
			break
		}
		fmt.Fprintf(&b, "\n  %s", e.Error())
	}
	return usageErr("%s", b.String())
}
