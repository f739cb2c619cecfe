package suppress

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/engine"
)

func writeTemplate(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const yamlTemplate = `AWSTemplateFormatVersion: "2010-09-09"
# smlint:ignore action-too-broad not on a resource: above Resources
Resources:
  # smlint:ignore trust-too-broad partner account, reviewed
  # another comment
  Role:   # smlint:ignore role-arn-wrong set by the pipeline
    Type: AWS::IAM::Role
    Properties:
      # smlint:ignore kms-gap key is managed elsewhere
      RoleName: r

  # smlint:ignore resource-too-broad the bucket is dedicated
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      smlint:
        ignore:
          - rule: action-too-broad
            reason: reviewed
            expires: 2027-06-30
          - "deleteobject-missing not needed here"
    Properties:
      PolicyDocument: {}
`

func TestInlineYAML(t *testing.T) {
	p := writeTemplate(t, "stack.yaml", yamlTemplate)
	entries, problems := Inline([]string{p, p})
	if len(problems) != 0 {
		t.Fatalf("problems: %+v", problems)
	}
	type row struct {
		rule, reason, expires string
		line, from, to        int
	}
	var got []row
	for _, e := range entries {
		got = append(got, row{e.Rule, e.Reason, e.Expires, e.Line, e.From, e.To})
	}
	want := []row{
		{"trust-too-broad", "partner account, reviewed", "", 4, 6, 10},
		{"role-arn-wrong", "set by the pipeline", "", 6, 6, 10},
		{"kms-gap", "key is managed elsewhere", "", 9, 6, 10},
		{"resource-too-broad", "the bucket is dedicated", "", 12, 13, 23},
		{"action-too-broad", "reviewed", "2027-06-30", 18, 13, 23},
		{"deleteobject-missing", "not needed here", "", 21, 13, 23},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n got %+v\nwant %+v", got, want)
	}
	// An entry covers findings inside its resource only.
	in := engine.Finding{Rule: "resource-too-broad", File: p, Line: 20}
	out := engine.Finding{Rule: "resource-too-broad", File: p, Line: 8}
	kept, sup, _ := Apply([]engine.Finding{in, out}, entries, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if len(sup) != 1 || sup[0] != in || len(kept) != 1 {
		t.Errorf("suppressed %+v kept %+v, want only the finding inside Policy", sup, kept)
	}
}

func TestInlineJSONMetadata(t *testing.T) {
	p := writeTemplate(t, "stack.json", `{
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Metadata": {"smlint": {"ignore": [{"rule": "trust-too-broad", "reason": "partner"}]}},
      "Properties": {"RoleName": "r"}
    }
  }
}`)
	entries, problems := Inline([]string{p})
	if len(problems) != 0 || len(entries) != 1 || entries[0].Rule != "trust-too-broad" || entries[0].From != 3 || entries[0].To != 6 {
		t.Errorf("entries %+v problems %+v", entries, problems)
	}
}

func TestInlineProblems(t *testing.T) {
	p := writeTemplate(t, "stack.yaml", `Resources:
  # smlint:ignore trust-too-broad
  Role:
    Type: AWS::IAM::Role
    Metadata:
      smlint:
        ignore:
          - rule: action-too-broad
          - "kms-gap"
  Other:  # smlint:ignore
    Type: AWS::IAM::Role
  Third:
    Type: AWS::IAM::Role
    Metadata:
      smlint:
        ignore: action-too-broad reviewed
`)
	entries, problems := Inline([]string{p})
	if len(entries) != 0 {
		t.Errorf("entries without a reason: %+v", entries)
	}
	lines := []int{}
	for _, pr := range problems {
		lines = append(lines, pr.Line)
		if pr.File != p {
			t.Errorf("problem in %s", pr.File)
		}
	}
	if !reflect.DeepEqual(lines, []int{2, 8, 9, 10, 16}) {
		t.Errorf("problems at lines %v, want 2 8 9 10 16: %+v", lines, problems)
	}
	if !strings.Contains(problems[0].Message, "no reason") || !strings.Contains(problems[3].Message, "names no rule") {
		t.Errorf("messages: %q, %q", problems[0].Message, problems[3].Message)
	}
}

// Files that are not templates, or too large to be one, are not read.
func TestInlineSkips(t *testing.T) {
	policy := writeTemplate(t, "policy.json", `{"Statement": [], "Note": "smlint:ignore x y"}`)
	plain := writeTemplate(t, "notes.txt", "Resources:\n  # smlint:ignore a b\n  R:\n    Type: A::B\n")
	big := writeTemplate(t, "big.yaml", "Resources:\n  # smlint:ignore a b\n  R:\n    Type: A::B\n"+strings.Repeat("#\n", maxTemplate/2))
	if entries, problems := Inline([]string{policy, plain, big, "-", ""}); len(entries)+len(problems) != 0 {
		t.Errorf("entries %+v problems %+v", entries, problems)
	}
}
