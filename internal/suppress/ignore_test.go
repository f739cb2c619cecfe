package suppress

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/ruleinput"
)

func TestApply(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fs := []engine.Finding{
		{Rule: "resource-too-broad", Severity: "warning", File: "./iam/policy.json", Line: 7, Sid: "S3"},
		{Rule: "resource-too-broad", Severity: "warning", File: "other/policy.json", Line: 3, Sid: "S3"},
		{Rule: "kms-gap", Severity: "error", File: "key.json", Line: 2, Resource: "arn:aws:kms:eu-west-1:111122223333:key/k"},
		{Rule: "trust-too-broad", Severity: "error", File: "role.json", Line: 4, Principal: "arn:aws:iam::111122223333:role/r"},
		{Rule: "resource-too-broad", Severity: "warning", File: "deep/er/iam/policy.json", Line: 1},
	}
	tests := []struct {
		name string
		igs  []config.Ignore
		want []int // indexes of fs suppressed
	}{
		{name: "none", igs: nil, want: nil},
		{name: "rule only suppresses every finding of the rule", igs: []config.Ignore{{Rule: "resource-too-broad"}}, want: []int{0, 1, 4}},
		{name: "file with leading ./ on the finding", igs: []config.Ignore{{Rule: "resource-too-broad", File: "iam/policy.json"}}, want: []int{0}},
		{name: "file with leading ./ on the entry", igs: []config.Ignore{{Rule: "resource-too-broad", File: "./other/policy.json"}}, want: []int{1}},
		{name: "base name is not a suffix match", igs: []config.Ignore{{Rule: "resource-too-broad", File: "policy.json"}}, want: nil},
		{name: "* stays in one directory", igs: []config.Ignore{{Rule: "resource-too-broad", File: "*/policy.json"}}, want: []int{0, 1}},
		{name: "** crosses directories", igs: []config.Ignore{{Rule: "resource-too-broad", File: "**/policy.json"}}, want: []int{0, 1, 4}},
		{name: "** in the middle", igs: []config.Ignore{{Rule: "resource-too-broad", File: "deep/**/policy.json"}}, want: []int{4}},
		{name: "sid and file both must match", igs: []config.Ignore{{Rule: "resource-too-broad", File: "iam/policy.json", Sid: "Other"}}, want: nil},
		{name: "resource", igs: []config.Ignore{{Rule: "kms-gap", Resource: "arn:aws:kms:eu-west-1:111122223333:key/k"}}, want: []int{2}},
		{name: "principal", igs: []config.Ignore{{Rule: "trust-too-broad", Resource: "arn:aws:iam::111122223333:role/r"}}, want: []int{3}},
		{name: "resource of another rule", igs: []config.Ignore{{Rule: "kms-gap", Resource: "arn:aws:iam::111122223333:role/r"}}, want: nil},
		{name: "expired", igs: []config.Ignore{{Rule: "kms-gap", Expires: "2026-02-28"}}, want: nil},
		{name: "expires today", igs: []config.Ignore{{Rule: "kms-gap", Expires: "2026-03-01"}}, want: []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, sup, used := Apply(append([]engine.Finding(nil), fs...), FromConfig(tt.igs), now)
			var want []engine.Finding
			for _, j := range tt.want {
				want = append(want, fs[j])
			}
			engine.SortFindings(sup)
			engine.SortFindings(want)
			if !reflect.DeepEqual(sup, want) {
				t.Errorf("suppressed = %+v, want %+v", sup, want)
			}
			if len(kept) != len(fs)-len(tt.want) {
				t.Errorf("kept %d findings, want %d", len(kept), len(fs)-len(tt.want))
			}
			if (len(used) > 0) != (len(tt.want) > 0) {
				t.Errorf("used entries %v, want some exactly when a finding was suppressed", used)
			}
		})
	}
}

// The glob is relative to the directory of the config file that declares
// the entry, wherever smlint runs from.
func TestFileGlobRelativeToConfig(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "infra", "iam"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	f := engine.Finding{Rule: "resource-too-broad", File: "infra/iam/policy.json"}
	tests := []struct {
		source, glob string
		want         bool
	}{
		{"infra/.smlint.yaml", "iam/policy.json", true},
		{"infra/.smlint.yaml", "iam/*.json", true},
		{".smlint.yaml", "infra/iam/policy.json", true},
		{".smlint.yaml", "iam/policy.json", false}, // a suffix of what was typed
		{"infra/iam/.smlint.yaml", "../iam/policy.json", true},
		{"other/.smlint.yaml", "../infra/**", true},
		{"other/.smlint.yaml", "iam/policy.json", false},
		{"infra/.smlint.yaml", filepath.Join(root, "infra/iam/*.json"), true}, // absolute glob
	}
	for _, tt := range tests {
		e := FromConfig([]config.Ignore{{Rule: f.Rule, File: tt.glob, Source: tt.source}})[0]
		if got := e.Matches(f); got != tt.want {
			t.Errorf("glob %q declared in %s: match %v, want %v", tt.glob, tt.source, got, tt.want)
		}
	}
	// The finding named by an absolute path matches the same way.
	abs := f
	abs.File = filepath.Join(root, f.File)
	if e := FromConfig([]config.Ignore{{Rule: f.Rule, File: "iam/*.json", Source: "infra/.smlint.yaml"}})[0]; !e.Matches(abs) {
		t.Error("an absolute finding path does not match")
	}
}

func TestExpired(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	got := Expired(FromConfig([]config.Ignore{
		{Rule: "a", Reason: "r", Expires: "2026-02-28", Source: "c.yaml", Line: 3},
		{Rule: "b", Reason: "r", Expires: "2026-03-01", Source: "c.yaml", Line: 6},
		{Rule: "c", Reason: "r", Source: "c.yaml", Line: 9},
	}), now)
	want := []ruleinput.ExpiredIgnore{{Rule: "a", File: "c.yaml", Line: 3, Expires: "2026-02-28", Reason: "r"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expired = %v, want %v", got, want)
	}
	if got := Expired(nil, now); got == nil || len(got) != 0 {
		t.Errorf("Expired(nil) = %#v, want an empty non-nil list (the rule input needs an array)", got)
	}
}

func TestStale(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	known := []string{"resource-too-broad", "kms-gap", "trust-too-broad"}
	entries := FromConfig([]config.Ignore{
		{Rule: "resource-too-broad", File: "iam/*.json", Source: "c.yaml", Line: 2},  // used
		{Rule: "resource-to-broad", Source: "c.yaml", Line: 5},                       // unknown, near a known id
		{Rule: "kms-gap", Source: "c.yaml", Line: 8},                                 // matched nothing
		{Rule: "trust-too-broad", Expires: "2026-01-01", Source: "c.yaml", Line: 11}, // expired: ignore-expired's
		{Rule: "nonsense", Source: "c.yaml", Line: 14},                               // unknown, nothing near
	})
	all := func(string) bool { return true }
	got := Stale(entries, map[int]bool{0: true}, known, all, now, false)
	type row struct {
		rule, code, suggestion string
		line                   int
	}
	var rows []row
	for _, g := range got {
		rows = append(rows, row{g.Rule, g.Code, g.Suggestion, g.Line})
	}
	want := []row{
		{"resource-to-broad", StaleUnknownRule, "resource-too-broad", 5},
		{"kms-gap", StaleNoMatch, "", 8},
		{"nonsense", StaleUnknownRule, "", 14},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("stale = %+v, want %+v", rows, want)
	}
	// A partial run reports only unknown rules; a rule the run does not
	// evaluate cannot match.
	for name, got := range map[string][]ruleinput.StaleIgnore{
		"partial":  Stale(entries, map[int]bool{0: true}, known, all, now, true),
		"disabled": Stale(entries, map[int]bool{0: true}, known, func(id string) bool { return id != "kms-gap" }, now, false),
	} {
		if len(got) != 2 {
			t.Errorf("%s: %d stale entries, want the two unknown rules: %v", name, len(got), got)
		}
	}
}

func TestSelection(t *testing.T) {
	known := []string{"a-rule", "b-rule", "c-rule"}
	tests := []struct {
		sel  Selection
		want []string
	}{
		{Selection{}, known},
		{Selection{Only: []string{"a-rule"}}, []string{"a-rule"}},
		{Selection{Disable: []string{"b-rule"}}, []string{"a-rule", "c-rule"}},
		{Selection{Disable: []string{"b-rule"}, Enable: []string{"b-rule"}}, known},
		{Selection{Only: []string{"a-rule"}, Enable: []string{"c-rule"}}, []string{"a-rule", "c-rule"}},
		{Selection{Only: []string{"a-rule", "b-rule"}, Disable: []string{"b-rule"}}, []string{"a-rule"}},
	}
	for _, tt := range tests {
		var got []string
		for _, id := range known {
			if tt.sel.Active(id) {
				got = append(got, id)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: active %v, want %v", tt.sel, got, tt.want)
		}
	}
	err := Selection{Disable: []string{"b-rul"}}.Check(known)
	if err == nil || err.Error() != `--disable-rule: unknown rule "b-rul" (did you mean b-rule?) (smlint rules lists them)` {
		t.Errorf("Check = %v", err)
	}
	if err := (Selection{Only: known}).Check(known); err != nil {
		t.Errorf("Check of known ids = %v", err)
	}
	if got := SplitIDs([]string{"a-rule, b-rule", "", "c-rule"}); !reflect.DeepEqual(got, known) {
		t.Errorf("SplitIDs = %v", got)
	}
}
