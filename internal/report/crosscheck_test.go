package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// crossCheckSample has one row of each status, and a resource with the
// characters JSON's HTML escaping would rewrite.
var crossCheckSample = &CrossCheck{
	PolicySourceARN: "arn:aws:iam::111122223333:role/up",
	Comparisons: []Comparison{
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/<x>&y", Smlint: "allowed", Simulator: "allowed", Agree: true, Status: StatusAgree},
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Smlint: "allowed", Simulator: "implicit_deny", Status: StatusKnownLimit,
			Limit: "the simulator cannot evaluate resource-based policies"},
		{Action: "kms:Decrypt", Resource: "arn:aws:kms:eu-west-1:111122223333:key/k", Smlint: "unknown", Status: StatusNotCompared, Note: "no answer"},
		{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k", Smlint: "allowed", Simulator: "explicit_deny", Status: StatusDisagree},
	},
	Notes: []string{"aws:SourceIp is the first address of each vendor range"},
}

// The simulator rows are the last top-level key of the JSON report of a
// live run, after the SPEC §4 keys in their order, not HTML-escaped; check's
// report has no such key.
func TestJSONSimulatorSlot(t *testing.T) {
	rep := run(t, scenarios[0])
	plain := string(render(t, "json", rep, options(t)))
	if strings.Contains(plain, `"simulator"`) {
		t.Error("check's JSON report carries a simulator key")
	}
	out := renderModel(t, "json", &Model{Report: rep, CrossCheck: crossCheckSample}, options(t))
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	rows, ok := doc["simulator"].([]any)
	if !ok || len(rows) != 4 || rows[1].(map[string]any)["status"] != StatusKnownLimit {
		t.Fatalf("simulator = %#v", doc["simulator"])
	}
	if strings.Index(out, `"tool"`) >= strings.Index(out, `"assumptions"`) || strings.Index(out, `"assumptions"`) >= strings.Index(out, `"simulator"`) {
		t.Error("the simulator key is not after the report's own keys")
	}
	if !strings.Contains(out, "b/<x>&y") {
		t.Error("resource HTML-escaped in JSON")
	}
	if out[:strings.Index(out, `  "simulator"`)] != plain[:strings.LastIndex(plain, "\n}")]+",\n" {
		t.Error("the report's own keys changed when the simulator rows were added")
	}
	empty := renderModel(t, "json", &Model{Report: rep, CrossCheck: &CrossCheck{Error: "AccessDenied"}}, options(t))
	if !strings.Contains(empty, `"simulator": []`) {
		t.Error("a cross-check without rows is not an empty array")
	}
}

// The text report of a live run ends with the cross-check table (not in
// quiet mode): one row per comparison, its limit and note, the tally.
func TestTextCrossCheck(t *testing.T) {
	rep := run(t, scenarios[0])
	out := renderModel(t, "text", &Model{Report: rep, CrossCheck: crossCheckSample}, options(t))
	plain := string(render(t, "text", rep, options(t)))
	if !strings.HasPrefix(out, plain) {
		t.Fatal("the cross-check changed the report before it")
	}
	tail := out[len(plain):]
	for _, want := range []string{
		"\nIAM policy simulator cross-check (iam:SimulatePrincipalPolicy for arn:aws:iam::111122223333:role/up)\n",
		"  s3:ListBucket        -               allowed       implicit_deny known limit\n",
		"limit the simulator cannot evaluate resource-based policies",
		"note no answer", "  - aws:SourceIp is the first address",
		"  1 agree, 1 disagree, 1 known limit, 1 not compared\n",
	} {
		if !strings.Contains(tail, want) {
			t.Errorf("cross-check lacks %q:\n%s", want, tail)
		}
	}
	opts := options(t)
	opts.Quiet = true
	if q := renderModel(t, "text", &Model{Report: rep, CrossCheck: crossCheckSample}, opts); strings.Contains(q, "cross-check") {
		t.Error("quiet text carries the cross-check")
	}
}

// The Markdown summary of a live run carries the cross-check table after
// the requests, one row per comparison, with markup in the input escaped.
func TestMarkdownCrossCheck(t *testing.T) {
	rep := run(t, scenarios[0])
	plain := string(render(t, "markdown", rep, options(t)))
	out := renderModel(t, "markdown", &Model{Report: rep, CrossCheck: crossCheckSample}, options(t))
	if strings.Contains(plain, "cross-check") {
		t.Error("check's summary carries a cross-check")
	}
	for _, want := range []string{
		"<details><summary>IAM policy simulator cross-check: 1 agree, 1 disagree, 1 known limit, 1 not compared</summary>",
		"| `s3:ListBucket` | `arn:aws:s3:::b` |  | allowed | implicit_deny | known limit: the simulator cannot evaluate resource-based policies |",
		"| `kms:Decrypt` |", "(no answer)", "- aws:SourceIp is the first address",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "\n| `") != len(crossCheckSample.Comparisons)+countRows(plain) {
		t.Errorf("not one row per comparison:\n%s", out)
	}
}

func countRows(md string) int { return strings.Count(md, "\n| `") }
