package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/fixtures"
	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/report"
	"github.com/smlint/smlint/internal/requestmodel"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// stdin is read for the path "-"; tests replace it.
var stdin io.Reader = os.Stdin

// newEngine builds the rule engine; the fuzz target swaps in a cached one so
// that each input costs one analysis, not one Rego compilation.
var newEngine = engine.New

// Exit codes (SPEC §3).
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// exitError carries an exit code through urfave/cli.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// toolVersion is a SemVer version: the one set at build time, else the
// module version `go install …@vX` records, else 0.0.0-dev with the VCS
// revision a source build records (`+<12 hex>[.dirty]`).
func toolVersion() string {
	if version != "" {
		return strings.TrimPrefix(version, "v")
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "0.0.0-dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return strings.TrimPrefix(v, "v")
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ".dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "0.0.0-dev"
	}
	return "0.0.0-dev+" + rev + dirty
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "smlint: internal error: %v\n%s", r, debug.Stack())
			code = exitUsage
		}
	}()
	app := newApp(stdout, stderr, getenv)
	if err := unknownCommand(app, args); err != nil {
		fmt.Fprintln(stderr, "smlint:", err)
		return exitUsage
	}
	err := app.Run(flagsFirst(app, args))
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "smlint:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "smlint:", err)
	return exitUsage
}

func setupFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "bucket", Usage: "destination bucket name"},
		&cli.StringFlag{Name: "prefix", Usage: "upload path (folder) inside the bucket"},
		&cli.StringFlag{Name: "region", Usage: "bucket region"},
		&cli.StringFlag{Name: "kms-key-arn", Usage: "customer managed KMS key ARN entered in Supermetrics"},
		&cli.StringFlag{Name: "role-arn", Usage: "role ARN you will paste into Supermetrics"},
		&cli.StringFlag{Name: "account-id", Usage: "your AWS account id, where templates are deployed (default: the account of --role-arn)"},
		&cli.StringFlag{Name: "auth", Usage: "role | access-key"},
		&cli.StringFlag{Name: "user", Usage: "IAM user name (access-key method)"},
		&cli.StringFlag{Name: "access-key-id", Usage: "access key id you will hand over (access-key method)"},
		&cli.StringFlag{Name: "vendor-ip-ranges", Usage: "Supermetrics egress CIDRs: a comma list, or @FILE with one CIDR a line"},
		&cli.StringFlag{Name: "external-id", Usage: "external ID your Supermetrics team gave you, if any"},
		&cli.StringFlag{Name: "organization-id", Usage: "your AWS Organizations id (o-…): the aws:PrincipalOrgID of your role or user"},
		&cli.StringFlag{Name: "config", Usage: "config file (default: .smlint.yaml found upward from the working directory, up to the repository root)"},
	}
}

func newApp(stdout, stderr io.Writer, getenv func(string) string) *cli.App {
	checkFlags := append(append(setupFlags(), outputFlags()...),
		&cli.StringFlag{Name: "fail-on", Value: "error", Usage: failOnUsage},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra directory of Rego rules (repeatable)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "findings and verdict only"},
		&cli.BoolFlag{Name: "partial", Usage: partialUsage},
		&cli.StringFlag{Name: "example", Usage: "check a bundled example setup instead of PATHs (see --example list)"},
		&cli.StringSliceFlag{Name: "trust", Usage: "treat FILE as a trust policy"},
		&cli.StringSliceFlag{Name: "policy", Usage: "treat FILE as a permission (identity) policy"},
		&cli.StringSliceFlag{Name: "bucket-policy", Usage: "treat FILE as the bucket policy"},
		&cli.StringSliceFlag{Name: "key-policy", Usage: "treat FILE as the KMS key policy"},
		&cli.StringSliceFlag{Name: "boundary", Usage: "treat FILE as the permissions boundary"},
		&cli.StringSliceFlag{Name: "scp", Usage: "treat FILE as a service control policy; LEVEL:FILE says where it is attached (root, ou, an OU id, account)"},
	)
	checkFlags = append(checkFlags, suppressFlags()...)
	checkCmd := &cli.Command{
		Name:        "check",
		Usage:       "analyse policy files, CLI exports, plans and templates (the default command)",
		ArgsUsage:   "PATH...",
		Description: checkDescription,
		Flags:       checkFlags,
		Action: func(c *cli.Context) error {
			return runCheck(c, stdout, getenv)
		},
	}
	app := &cli.App{
		Name:      "smlint",
		Usage:     "check that Supermetrics can upload into your S3 bucket, before you deploy",
		Version:   toolVersion(),
		Writer:    stdout,
		ErrWriter: stderr,
		// urfave/cli's own help command is a shared global that each App's
		// setup mutates (fish completion then recurses): smlint has its own.
		HideHelpCommand:      true,
		Suggest:              true,
		EnableBashCompletion: true,
		DefaultCommand:       "check",
		ExitErrHandler:       func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return &exitError{code: exitUsage, err: withFlagSuggestion(c, err)}
		},
		Commands: []*cli.Command{
			checkCmd,
			rulesCommand(stdout),
			explainCommand(stdout),
			initCommand(stdout),
			simulateCommand(stdout, stderr, getenv),
			completionCommand(stdout),
			helpCommand(),
			{
				Name:  "version",
				Usage: "print the version",
				Action: func(*cli.Context) error {
					fmt.Fprintln(stdout, "smlint", toolVersion())
					return nil
				},
			},
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = app.OnUsageError
	}
	return app
}

// readSetup merges, in increasing precedence: the vendor profile defaults,
// the config file, the flags.
func readSetup(c *cli.Context) (config.Setup, error) {
	var setup config.Setup
	path := c.String("config")
	if path == "" {
		if wd, err := os.Getwd(); err == nil {
			path = config.Find(wd)
		}
	}
	if path != "" {
		s, err := config.Read(path)
		if err != nil {
			return setup, usageErr("%v", err)
		}
		setup = *s
	}
	over := config.Setup{
		Bucket: c.String("bucket"), Prefix: c.String("prefix"), Region: c.String("region"),
		KMSKeyARN: c.String("kms-key-arn"), RoleARN: c.String("role-arn"), Auth: c.String("auth"),
		User: c.String("user"), AccessKeyID: c.String("access-key-id"), AccountID: c.String("account-id"),
		OrganizationID: c.String("organization-id"),
	}
	over.Vendor.ExternalID = c.String("external-id")
	if v := c.String("vendor-ip-ranges"); v != "" {
		ranges, err := config.ParseRangeList(v)
		if err != nil {
			return setup, usageErr("--vendor-ip-ranges: %v", err)
		}
		over.Vendor.IPRanges = ranges
	}
	setup.Merge(over)
	if err := setup.Validate(); err != nil {
		return setup, usageErr("%v", err)
	}
	return setup, nil
}

func runCheck(c *cli.Context, stdout io.Writer, getenv func(string) string) error {
	targets, err := outputTargets(c)
	if err != nil {
		return err
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	paths := c.Args().Slice()
	if ex := c.String("example"); ex != "" {
		if len(paths) > 0 {
			return usageErr("--example and PATHs cannot be combined")
		}
		dir, cleanup, err := fixtures.Extract(ex)
		if err != nil {
			return usageErr("%v", err)
		}
		defer cleanup()
		// Run from the extracted copy's parent so reports name the files as
		// "example/get-role.json", not a temporary path.
		if wd, err := os.Getwd(); err == nil {
			if os.Chdir(filepath.Dir(dir)) == nil {
				defer func() { _ = os.Chdir(wd) }() // the process ends after the report
				dir = filepath.Base(dir)
			}
		}
		paths = []string{dir}
		if !c.IsSet("config") {
			_ = c.Set("config", filepath.Join(dir, config.FileName))
		}
	}
	kinds := map[string]policy.Kind{}
	levels := map[string]string{}
	for flag, kind := range map[string]policy.Kind{
		"trust": policy.Trust, "policy": policy.Identity, "bucket-policy": policy.Bucket,
		"key-policy": policy.Key, "boundary": policy.Boundary, "scp": policy.SCP,
	} {
		for _, p := range c.StringSlice(flag) {
			if kind == policy.SCP {
				// --scp root:FILE, ou:FILE, ou-ab12-cdef3456:FILE, account:FILE
				// (Organizations "SCP evaluation": each level must allow).
				if label, file, ok := strings.Cut(p, ":"); ok {
					if _, known := check.LevelName(label); known {
						levels[filepath.Clean(file)] = label
						p = file
					}
				}
			}
			kinds[filepath.Clean(p)] = kind
			paths = append(paths, p)
		}
	}
	setup, err := readSetup(c)
	if err != nil {
		return err
	}
	for _, e := range setup.SCPs {
		if _, known := check.LevelName(e.Level); !known {
			return usageErr("scps: level %q of %s: want root, ou, an OU id (ou-…), account or an account id", e.Level, e.File)
		}
		levels[filepath.Clean(e.File)] = e.Level
		kinds[filepath.Clean(e.File)] = policy.SCP
		paths = append(paths, e.File)
	}
	if len(paths) == 0 {
		return usageErr("no PATH given: smlint check [flags] PATH... (try: smlint check --example %s)", fixtures.DefaultExample)
	}
	ctx := context.Background()
	engineReady := startEngine(ctx, engine.Options{RuleDirs: c.StringSlice("rules")})
	in := load.Paths(dedupePaths(paths), load.Options{Kinds: kinds, Deployment: deploymentOf(setup), Levels: levels, Stdin: stdin})
	eng, err := engineReady()
	if err != nil {
		return usageErr("%v", err)
	}
	rules, err := ruleSelection(c, setup, eng)
	if err != nil {
		return err
	}
	if noDocuments(in) && len(in.Errors) == 0 {
		if c.Bool("partial") {
			return nil // nothing staged that smlint reads
		}
		return emptyInputError(paths, in)
	}
	prof := requestmodel.Default()
	rep, err := check.Run(ctx, in, check.Options{Setup: setup, Profile: prof, Engine: eng, Now: time.Now(), Partial: c.Bool("partial"),
		KeepInput: keepInput(targets), Rules: rules})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	ropts := report.Options{Version: toolVersion(),
		Quiet: c.Bool("quiet"), Verbose: c.Bool("verbose"), Rules: eng.Rules(), VendorName: prof.DisplayName,
		Inputs: paths}
	if err := applyBaseline(c, rep, ropts); err != nil {
		return err
	}
	if err := writeReports(c, stdout, getenv, targets, &report.Model{Report: rep}, ropts); err != nil {
		return err
	}
	return exitFor(rep, failOn)
}

func dedupePaths(ps []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		k := filepath.Clean(p)
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// flagsFirst moves a subcommand's flags ahead of its positional arguments,
// so that `smlint check policy.json -q --format json` works as in tflint or
// trivy: urfave/cli v2 stops reading flags at the first positional
// argument. A lone "--" ends flag reordering.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	start := 1
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.Name == args[1] {
			cmd, start = c, 2
		}
	}
	if cmd == nil {
		switch args[1] {
		case "-h", "--help", "-v", "--version", "help", "h", "completion", "--generate-bash-completion":
			return args
		}
		for _, c := range app.Commands {
			if c.Name == app.DefaultCommand {
				cmd = c
			}
		}
		if cmd == nil {
			return args
		}
		// `smlint PATH --bucket b` means `smlint check PATH --bucket b`.
		args = append([]string{args[0], cmd.Name}, args[1:]...)
		start = 2
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, positional []string
	rest := args[start:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue[name] && i+1 < len(rest) {
			flags = append(flags, rest[i+1])
			i++
		}
	}
	out := append([]string{}, args[:start]...)
	out = append(out, flags...)
	return append(out, positional...)
}

// deploymentOf is where the user's templates are deployed: the configured
// account (else the account of the role ARN) and the bucket's Region.
func deploymentOf(s config.Setup) load.Deployment {
	d := load.Deployment{AccountID: s.AccountID, Region: s.Region}
	if d.AccountID == "" {
		if role, _ := policy.ParseARN(s.RoleARN); policy.IsAccountID(role.Account) {
			d.AccountID = role.Account
		}
	}
	return d
}
