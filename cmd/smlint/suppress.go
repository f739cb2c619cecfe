package main

import (
	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/report"
	"github.com/smlint/smlint/internal/suppress"
)

// suppressFlags are check's flags for rule selection and baselines.
func suppressFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "only", Usage: "report only these rules (repeatable, or a comma list)"},
		&cli.StringSliceFlag{Name: "disable-rule", Usage: "do not report this rule (repeatable, or a comma list)"},
		&cli.StringSliceFlag{Name: "enable-rule", Usage: "report this rule even if the config disables it or --only leaves it out"},
		&cli.StringFlag{Name: "baseline", Usage: "hide the findings recorded in FILE (written by --write-baseline): fail only on new ones"},
		&cli.StringFlag{Name: "write-baseline", Usage: "record every finding of this run in FILE, and report as if it were the baseline"},
	}
}

// ruleSelection merges the config's only_rules / disable_rules with the
// flags (--only replaces only_rules; --disable-rule adds to disable_rules)
// and refuses unknown rule ids with the closest known one.
func ruleSelection(c *cli.Context, setup config.Setup, eng *engine.Engine) (suppress.Selection, error) {
	sel := suppress.Selection{
		Only:    setup.OnlyRules,
		Disable: append(append([]string(nil), setup.DisableRules...), suppress.SplitIDs(c.StringSlice("disable-rule"))...),
		Enable:  suppress.SplitIDs(c.StringSlice("enable-rule")),
	}
	if only := suppress.SplitIDs(c.StringSlice("only")); len(only) > 0 {
		sel.Only = only
	}
	var known []string
	for _, r := range eng.Rules() {
		known = append(known, r.ID)
	}
	if err := sel.Check(known); err != nil {
		return sel, usageErr("%v", err)
	}
	return sel, nil
}

// applyBaseline writes the baseline (--write-baseline) and hides the
// findings it, or --baseline, records. Fingerprints are computed on the
// whole report, before anything is hidden, the same way SARIF computes them.
func applyBaseline(c *cli.Context, rep *check.Report, opts report.Options) error {
	write, read := c.String("write-baseline"), c.String("baseline")
	if write == "" && read == "" {
		return nil
	}
	fps := report.Fingerprints(rep, opts)
	var b *suppress.Baseline
	if write != "" {
		b = suppress.NewBaseline(rep.Findings, fps, report.FingerprintKey)
		if err := b.Write(write); err != nil {
			return usageErr("--write-baseline: %v", err)
		}
		read = write
	} else {
		var err error
		if b, err = suppress.ReadBaseline(read, report.FingerprintKey); err != nil {
			return usageErr("--baseline: %v", err)
		}
	}
	kept, hidden := b.Split(rep.Findings, fps)
	rep.Findings, rep.Baselined, rep.Baseline = kept, hidden, read
	if rep.Findings == nil {
		rep.Findings = []engine.Finding{}
	}
	gone := map[engine.Finding]bool{}
	for _, f := range hidden {
		gone[f] = true
	}
	for _, s := range rep.Subjects {
		out := s.Findings[:0:0]
		for _, f := range s.Findings {
			if !gone[f] {
				out = append(out, f)
			}
		}
		s.Findings = out
	}
	return nil
}
