package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formatReport is the part of the JSON report the format tests read.
type formatReport struct {
	Setup struct {
		Bucket   string   `json:"bucket"`
		Inferred []string `json:"inferred"`
	} `json:"setup"`
	Upload   string `json:"upload"`
	Findings []struct {
		Rule      string `json:"rule"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		File      string `json:"file"`
		Line      int    `json:"line"`
		Principal string `json:"principal"`
	} `json:"findings"`
	Errors     []struct{ File, Message string } `json:"errors"`
	Principals []struct {
		Principal struct {
			ARN     string `json:"arn"`
			Address string `json:"address"`
			File    string `json:"file"`
			Line    int    `json:"line"`
		} `json:"principal"`
	} `json:"principals"`
}

// checkFixture runs `smlint check --format json` on a fixture folder with
// its .smlint.yaml.
func checkFixture(t *testing.T, name string) (formatReport, string) {
	t.Helper()
	dir := filepath.Join("..", "..", "fixtures", name)
	var stdout, stderr bytes.Buffer
	code := run([]string{"smlint", "check", "--format", "json", "--config", filepath.Join(dir, ".smlint.yaml"), dir},
		&stdout, &stderr, func(string) string { return "" })
	var rep formatReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\n%s", code, err, stderr.String())
	}
	return rep, stdout.String()
}

// lineText returns line n (1-based) of file, trimmed.
func lineText(t *testing.T, file string, n int) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("%s has no line %d", file, n)
	}
	return strings.TrimSpace(lines[n-1])
}

// TestFormatDirectoryInfersBucket: a repository given as one directory; the
// bucket comes from the inputs and the report says so, and the unrelated
// package.json and tsconfig.json (with comments) are skipped quietly.
func TestFormatDirectoryInfersBucket(t *testing.T) {
	rep, out := checkFixture(t, "format-directory-mixed")
	if rep.Setup.Bucket != "acme-growth-exports" {
		t.Errorf("bucket %q, want acme-growth-exports inferred", rep.Setup.Bucket)
	}
	if len(rep.Setup.Inferred) != 1 || rep.Setup.Inferred[0] != "bucket" {
		t.Errorf("setup.inferred = %v, want [bucket]", rep.Setup.Inferred)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %+v", rep.Errors)
	}
	for _, name := range []string{"package.json", "tsconfig.json"} {
		if strings.Contains(out, name) {
			t.Errorf("the report mentions %s", name)
		}
	}
	if rep.Upload != "allowed" {
		t.Errorf("upload %s", rep.Upload)
	}
}

// TestFormatFindingsNameTheirSource: findings from plans, templates and
// account exports point at the line of the file the user gave and name the
// Terraform address, CloudFormation logical id / CDK path, or role.
func TestFormatFindingsNameTheirSource(t *testing.T) {
	type want struct {
		rule, severity string
		principal      string // the finding's principal
		message        string // a substring of the message
		line           string // a substring of the line the finding names
		nextLines      string // or: a substring of one of the five lines after it
	}
	cases := []struct {
		fixture, file string
		address       string // the evaluated principal's address
		findings      []want
	}{
		{"format-terraform-plan-module", "plan.json", "aws_iam_role.supermetrics", []want{
			{rule: "unresolved-value", principal: "aws_iam_role.supermetrics",
				message: "aws_iam_role_policy.upload", line: `"policy": true`},
		}},
		{"format-cloudformation-yaml-unresolved", "supermetrics-role.yaml", "SupermetricsRole", []want{
			// AWS::AccountId is the account of role_arn: the role's ARN is known.
			{rule: "unresolved-value", principal: "arn:aws:iam::111122223333:role/supermetrics-upload",
				message: "Resource of statement WriteExports (SupermetricsRole) is not known: !Ref DestinationBucket has no value", line: "Resource: !Sub \"arn:aws:s3:::${DestinationBucket}/${ExportPrefix}*\""},
		}},
		{"format-cloudformation-yaml-short-tags", "supermetrics-destination.yaml", "SupermetricsRole", []want{
			{rule: "resource-too-broad", severity: "warning", principal: "arn:aws:iam::111122223333:role/prod-supermetrics-upload",
				message: "arn:aws:s3:::acme-sm-exports/*", line: "- Sid: WriteExports"},
		}},
		{"format-cdk-template", "SupermetricsExportStack.template.json", "SupermetricsExportStack/SupermetricsRole/Resource", []want{
			{rule: "resource-too-broad", principal: "arn:aws:iam::111122223333:role/supermetrics-cdk-upload",
				message: "arn:aws:s3:::acme-sm-cdk-exports/*", line: "{", nextLines: `"s3:Abort*"`},
		}},
		{"format-account-export-many-roles", "account-authorization-details.json", "", []want{
			{rule: "trust-too-broad", severity: "error", principal: "arn:aws:iam::111122223333:role/partner-data-drop",
				message: "any AWS principal", line: "{", nextLines: `"AWS": "*"`},
			{rule: "trust-too-broad", severity: "warning", principal: "arn:aws:iam::111122223333:role/supermetrics-upload-legacy",
				message: "arn:aws:iam::043417694514:root", line: "{", nextLines: `"AWS": "arn:aws:iam::043417694514:root"`},
		}},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			rep, _ := checkFixture(t, c.fixture)
			if c.address != "" {
				found := false
				for _, p := range rep.Principals {
					if p.Principal.Address == c.address {
						found = true
						if strings.ContainsRune(p.Principal.ARN, '\uffff') {
							t.Errorf("principal ARN carries the internal unknown marker: %q", p.Principal.ARN)
						}
					}
				}
				if !found {
					t.Errorf("no evaluated principal has address %s: %+v", c.address, rep.Principals)
				}
			}
			for _, w := range c.findings {
				matched := false
				for _, f := range rep.Findings {
					if f.Rule != w.rule || f.Principal != w.principal || !strings.Contains(f.Message, w.message) ||
						(w.severity != "" && f.Severity != w.severity) {
						continue
					}
					matched = true
					if filepath.Base(f.File) != c.file {
						t.Errorf("%s: file %s, want %s", w.rule, f.File, c.file)
						continue
					}
					got := lineText(t, f.File, f.Line)
					if !strings.Contains(got, w.line) {
						t.Errorf("%s names %s:%d = %q, want a line with %q", w.rule, f.File, f.Line, got, w.line)
					}
					if w.nextLines != "" {
						ok := false
						for i := 1; i <= 5; i++ {
							if strings.Contains(lineText(t, f.File, f.Line+i), w.nextLines) {
								ok = true
							}
						}
						if !ok {
							t.Errorf("%s names %s:%d, whose next lines lack %q", w.rule, f.File, f.Line, w.nextLines)
						}
					}
				}
				if !matched {
					t.Errorf("no %s finding for %s mentioning %q; findings:", w.rule, w.principal, w.message)
					for _, f := range rep.Findings {
						t.Logf("  %s %s %s:%d [%s] %s", f.Rule, f.Severity, f.File, f.Line, f.Principal, f.Message)
					}
				}
			}
		})
	}
}
