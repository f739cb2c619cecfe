package main

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/live"
)

// TestReadOnlyPolicyDocumented: docs/simulate-read-only-policy.json, which
// README.md shows verbatim, grants exactly the IAM actions of
// live.Operations, and `smlint check` itself accepts it as a valid policy
// (no policy-invalid, no action-unknown, no input error).
func TestReadOnlyPolicyDocumented(t *testing.T) {
	const file = "../../docs/simulate-read-only-policy.json"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var granted, needed []string
	for _, st := range doc.Statement {
		granted = append(granted, st.Action...)
	}
	for _, op := range live.Operations {
		if op.Action != "" {
			needed = append(needed, op.Action)
		}
	}
	sort.Strings(granted)
	sort.Strings(needed)
	if !reflect.DeepEqual(granted, needed) {
		t.Errorf("the policy grants %v\nsimulate needs     %v", granted, needed)
	}

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, bytes.TrimSpace(data)) {
		t.Error("README.md does not show docs/simulate-read-only-policy.json verbatim")
	}
	for _, op := range live.Operations {
		name := op.API[strings.IndexByte(op.API, ':')+1:]
		if !bytes.Contains(readme, []byte("`"+name+"`")) && !bytes.Contains(readme, []byte(":"+name+"`")) {
			t.Errorf("README.md's live-audit section does not list %s", op.API)
		}
	}

	var stdout, stderr bytes.Buffer
	code := run([]string{"smlint", "check", "--format", "json", "--policy", file}, &stdout, &stderr, func(string) string { return "" })
	var got struct {
		Findings []struct{ Rule, Message string } `json:"findings"`
		Errors   []struct{ Message string }       `json:"errors"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout.String(), stderr.String())
	}
	if len(got.Errors) > 0 {
		t.Errorf("input errors: %+v", got.Errors)
	}
	for _, f := range got.Findings {
		if f.Rule == "policy-invalid" || f.Rule == "action-unknown" {
			t.Errorf("%s: %s", f.Rule, f.Message)
		}
		if strings.Contains(f.Message, "simulate-read-only-policy") && f.Rule == "policy-version-old" {
			t.Errorf("%s: %s", f.Rule, f.Message)
		}
	}
}
