package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/internal/engine"
)

// rulesCommand prints the rule catalogue, read from the rules' # METADATA.
func rulesCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list the rule catalogue",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text | json"},
			&cli.StringSliceFlag{Name: "rules", Usage: "extra directory of Rego rules"},
		},
		Action: func(c *cli.Context) error {
			eng, err := engine.New(context.Background(), engine.Options{RuleDirs: c.StringSlice("rules")})
			if err != nil {
				return usageErr("%v", err)
			}
			switch c.String("format") {
			case "json":
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(eng.Rules())
			case "text":
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
				for _, r := range eng.Rules() {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
				}
				return tw.Flush()
			}
			return usageErr("--format %q: want text or json", c.String("format"))
		},
	}
}

// explainCommand prints what a rule checks, why, how to fix it, and an example.
func explainCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "explain a rule: what it checks, why, how to fix, with an example",
		ArgsUsage: "RULE",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("explain needs exactly one rule id (see smlint rules)")
			}
			eng, err := engine.New(context.Background(), engine.Options{})
			if err != nil {
				return usageErr("%v", err)
			}
			r, ok := eng.Rule(c.Args().First())
			if !ok {
				return usageErr("no rule %q%s (see smlint rules)", c.Args().First(), closestRule(eng.Rules(), c.Args().First()))
			}
			fmt.Fprintf(stdout, "%s (%s)\n%s\n\n", r.ID, r.Severity, r.Title)
			fmt.Fprintf(stdout, "What it checks\n  %s\n\n", wrap(r.Description, "  "))
			fmt.Fprintf(stdout, "How to fix\n  %s\n", wrap(r.Remediation, "  "))
			if r.Example != "" {
				fmt.Fprintf(stdout, "\nExample\n%s\n", indent(strings.TrimRight(r.Example, "\n"), "  "))
			}
			if r.Docs != "" {
				fmt.Fprintf(stdout, "\nSource\n  %s\n", r.Docs)
			}
			return nil
		},
	}
}

func wrap(s, pad string) string {
	words := strings.Fields(s)
	var b strings.Builder
	width := 0
	for _, w := range words {
		if width > 0 && width+len(w) > 76 {
			b.WriteString("\n" + pad)
			width = 0
		} else if width > 0 {
			b.WriteByte(' ')
			width++
		}
		b.WriteString(w)
		width += len(w)
	}
	return b.String()
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
