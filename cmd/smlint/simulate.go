package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/live"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/report"
	"github.com/smlint/smlint/internal/requestmodel"
)

// simulateCommand is `smlint simulate` (SPEC §3): read the setup from the
// live account, read-only, run the same rules as check, and cross-check
// with IAM's policy simulator.
func simulateCommand(stdout, stderr io.Writer, getenv func(string) string) *cli.Command {
	flags := append(append(setupFlags(), outputFlags()...),
		&cli.StringFlag{Name: "fail-on", Value: "error", Usage: failOnUsage},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra directory of Rego rules (repeatable)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "findings and verdict only (no cross-check table)"},
		&cli.StringFlag{Name: "profile", Usage: "AWS shared-config profile (default: the default credential chain, AWS_PROFILE)"},
		&cli.StringFlag{Name: "endpoint-url", Usage: "send every AWS call to this endpoint (a local fake; S3 uses path-style addressing)"},
		&cli.StringFlag{Name: "save", Usage: "write what was read to `DIR` in AWS CLI shapes (plus the cross-check), so that `smlint check --config DIR/.smlint.yaml DIR` replays the audit offline"},
		&cli.DurationFlag{Name: "timeout", Value: defaultSimulateTimeout, Usage: "bound on the whole run (reads and cross-check); on expiry what was read is analysed and the exit code is 2"},
	)
	return &cli.Command{
		Name:  "simulate",
		Usage: "read the role or user, its policies, the bucket policy, encryption and key policy from AWS (read-only), run the same rules, and cross-check with the IAM policy simulator",
		Description: "Uses the default AWS credential chain (or --profile). Without --role-arn (role method) it lists the account's " +
			"roles and evaluates every one whose trust policy names Supermetrics, its account or everyone. It only reads: " +
			"docs/simulate-read-only-policy.json is the minimal policy it needs (IAM, S3, KMS and Organizations Get/List/Describe " +
			"calls, iam:SimulatePrincipalPolicy). A read that is refused or times out leaves that document unknown (the verdict is " +
			"then unknown, never allowed) and is reported as an input error (exit 2); --timeout bounds the whole run.",
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
	targets, err := outputTargets(c)
	if err != nil {
		return err
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	setup, err := readSetup(c)
	if err != nil {
		return err
	}
	timeout := c.Duration("timeout")
	if timeout <= 0 {
		return usageErr("--timeout %s: want a positive duration such as 90s or 5m", timeout)
	}
	// Every AWS call of the run shares one deadline; the analysis after it
	// is local and runs on a context of its own.
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	callLog := &live.CallLog{}
	stopProgress := startProgress(stderr, callLog, c.Bool("quiet"))
	defer stopProgress()
	clients, err := live.Connect(ctx, live.ConnectOptions{Profile: c.String("profile"), EndpointURL: c.String("endpoint-url"),
		Region: setup.Region, CallTimeout: min(timeout, live.DefaultCallTimeout), Log: callLog})
	if err != nil {
		return &exitError{code: exitUsage, err: timeoutHint(err, timeout)}
	}
	prof := requestmodel.Default()
	// Without a role ARN (role method) the audit starts by finding the
	// roles that trust the vendor, as check does for an account export.
	snap, err := live.Discover(ctx, clients, setup, func(d *policy.Document) bool { return check.Candidate(d, prof) })
	if err != nil {
		return &exitError{code: exitUsage, err: timeoutHint(err, timeout)}
	}
	stopProgress()
	if !c.Bool("quiet") {
		var who []string
		for _, p := range snap.Principals {
			name := p.ARN
			if name == "" {
				name = p.Name
			}
			who = append(who, p.Type+" "+name)
		}
		if len(who) == 0 {
			who = []string{"no role or user"}
		}
		fmt.Fprintf(stderr, "smlint: read %s as %s (%d read-only calls)\n", strings.Join(who, ", "), snap.CallerARN, len(snap.Calls))
	}

	local := context.Background()
	eng, err := engine.New(local, engine.Options{RuleDirs: c.StringSlice("rules")})
	if err != nil {
		return usageErr("%v", err)
	}
	rules, err := ruleSelection(c, setup, eng) // only_rules / disable_rules of the config
	if err != nil {
		return err
	}
	rep, err := check.Run(local, snap.Input, check.Options{Setup: setup, Profile: prof, Engine: eng, Now: time.Now(), KeepInput: keepInput(targets), Rules: rules})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	var cc *live.CrossCheck
	if snap.TimedOut != "" {
		cc = &live.CrossCheck{Error: "not run: the read stopped when " + snap.TimedOut + " got no answer within --timeout " + timeout.String()}
	} else {
		cc, err = live.SimulateEach(ctx, clients, snap, rep.Setup, prof, rep)
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				return &exitError{code: exitUsage, err: timeoutHint(err, timeout)}
			}
			// The cross-check ran out of time: report what check decided,
			// say the cross-check is missing, and exit 2.
			cc = &live.CrossCheck{Error: "not finished: " + err.Error() + " (--timeout " + timeout.String() + ")"}
			rep.Errors = append(rep.Errors, load.FileError{File: "aws:iam:SimulatePrincipalPolicy", Message: cc.Error})
		}
	}

	if dir := c.String("save"); dir != "" {
		if err := live.Save(dir, snap, setup, cc); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		if !c.Bool("quiet") {
			fmt.Fprintf(stderr, "smlint: saved what was read to %s; replay with: smlint check --config %s %s\n", dir, filepath.Join(dir, ".smlint.yaml"), dir)
		}
	}

	opts := report.Options{Version: toolVersion(), Quiet: c.Bool("quiet"), Verbose: c.Bool("verbose"), Rules: eng.Rules(), VendorName: prof.DisplayName}
	if err := writeReports(c, stdout, getenv, targets, &report.Model{Report: rep, CrossCheck: cc}, opts); err != nil {
		return err
	}
	return exitFor(rep, failOn)
}

// defaultSimulateTimeout bounds a whole live run unless --timeout says
// otherwise: long enough for a role with many policies over a slow link,
// short enough that a stuck proxy does not hold a pipeline for long.
const defaultSimulateTimeout = 3 * time.Minute

// timeoutHint names the deadline when err is one.
func timeoutHint(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (no answer within --timeout %s)", err, timeout)
	}
	return err
}

// startProgress prints, on a terminal, one self-overwriting line saying
// which AWS call the run waits on, once the run has taken over a second.
// It returns the function that stops it and clears the line (safe to call
// more than once).
func startProgress(stderr io.Writer, log *live.CallLog, quiet bool) (stop func()) {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !isTerminal(f) {
		return func() {}
	}
	done := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\033[K")
				}
				return
			case <-tick.C:
				if time.Since(start) < time.Second {
					continue
				}
				op, since, n := log.Waiting()
				line := fmt.Sprintf("smlint: %d AWS calls done", n)
				if op != "" {
					line += fmt.Sprintf(", waiting on %s for %.1fs", op, time.Since(since).Seconds())
				}
				fmt.Fprint(f, "\r\033[K"+line)
				shown = true
			}
		}
	}()
	return func() {
		once.Do(func() { close(done); wg.Wait() })
	}
}
