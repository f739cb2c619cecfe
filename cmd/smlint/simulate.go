package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/live"
	"github.com/smlint/smlint/internal/report"
	"github.com/smlint/smlint/internal/requestmodel"
)

// simulateCommand is `smlint simulate` (SPEC §3): read the setup from the
// live account, read-only, run the same rules as check, and cross-check
// with IAM's policy simulator.
func simulateCommand(stdout, stderr io.Writer, getenv func(string) string) *cli.Command {
	flags := append(setupFlags(),
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text | json | sarif | github (the cross-check is printed for text and json)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to FILE"},
		&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "error | warning | info | never"},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra directory of Rego rules (repeatable)"},
		&cli.BoolFlag{Name: "no-color", Usage: "no colour (also when NO_COLOR is set)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "findings and verdict only (no cross-check table)"},
		&cli.StringFlag{Name: "profile", Usage: "AWS shared-config profile (default: the default credential chain, AWS_PROFILE)"},
		&cli.StringFlag{Name: "endpoint-url", Usage: "send every AWS call to this endpoint (a local fake; S3 uses path-style addressing)"},
	)
	return &cli.Command{
		Name:  "simulate",
		Usage: "read the role or user, its policies, the bucket policy, encryption and key policy from AWS (read-only), run the same rules, and cross-check with the IAM policy simulator",
		Description: "Uses the default AWS credential chain (or --profile). Needs read access: iam:GetRole/GetUser and the " +
			"policy List/Get calls, s3:GetBucketPolicy, s3:GetEncryptionConfiguration, s3:GetBucketLocation, " +
			"kms:DescribeKey, kms:GetKeyPolicy, iam:SimulatePrincipalPolicy, iam:GetContextKeysForPrincipalPolicy. " +
			"A read that is denied is reported as an input error and the rest is still checked.",
		Flags: flags,
		Action: func(c *cli.Context) error {
			return runSimulate(c, stdout, stderr, getenv)
		},
	}
}

func runSimulate(c *cli.Context, stdout, stderr io.Writer, getenv func(string) string) error {
	if c.Args().Len() > 0 {
		return usageErr("simulate takes no PATH (it reads the account): got %q", c.Args().First())
	}
	format := c.String("format")
	if !contains(report.Formats, format) {
		return usageErr("--format %q: want one of %s", format, strings.Join(report.Formats, ", "))
	}
	failOn := c.String("fail-on")
	if failOn != "never" && engine.SeverityRank(failOn) == 0 {
		return usageErr("--fail-on %q: want error, warning, info or never", failOn)
	}
	setup, err := readSetup(c)
	if err != nil {
		return err
	}
	ctx := context.Background()
	clients, err := live.Connect(ctx, live.ConnectOptions{Profile: c.String("profile"), EndpointURL: c.String("endpoint-url"), Region: setup.Region})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	snap, err := live.Read(ctx, clients, setup)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if !c.Bool("quiet") {
		who := snap.Principal.ARN
		if who == "" {
			who = snap.Principal.Name
		}
		fmt.Fprintf(stderr, "smlint: read %s %s as %s (%d read-only calls)\n", snap.Principal.Type, who, snap.CallerARN, len(snap.Calls))
	}

	eng, err := engine.New(ctx, engine.Options{RuleDirs: c.StringSlice("rules")})
	if err != nil {
		return usageErr("%v", err)
	}
	prof := requestmodel.Default()
	rep, err := check.Run(ctx, snap.Input, check.Options{Setup: setup, Profile: prof, Engine: eng, Now: time.Now()})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	cc, err := live.Simulate(ctx, clients, snap, rep.Setup, prof, rep)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	out, closeOut, err := openOutput(c, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	color := useColor(c, format, stdout, getenv)
	opts := report.Options{Version: toolVersion(), Color: color, Quiet: c.Bool("quiet"), Rules: eng.Rules(), VendorName: prof.DisplayName}
	switch format {
	case "json":
		var buf bytes.Buffer
		if err := report.Write(&buf, format, rep, opts); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		merged, err := live.AddToJSON(buf.Bytes(), cc)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		if _, err := out.Write(merged); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	default:
		if err := report.Write(out, format, rep, opts); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		if format == "text" && !c.Bool("quiet") {
			if err := live.WriteText(out, cc, color); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
		}
	}
	return exitFor(rep, failOn)
}
