package difftest

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var (
	flagN      = flag.Int("difftest.n", 0, "number of generated cases (default 2000, or DIFFTEST_N)")
	flagSeed   = flag.Uint64("difftest.seed", 0, "generator seed (default 20240601, or DIFFTEST_SEED)")
	flagUpdate = flag.Bool("difftest.update", false, "write disagreeing cases to testdata/failures/")
)

const (
	defaultN    = 2000
	defaultSeed = 20240601
	skipMessage = "difftest SKIPPED: node/npm not available — no differential evidence this run"
)

func settings(t *testing.T) (int, uint64) {
	n, seed := defaultN, uint64(defaultSeed)
	if v := os.Getenv("DIFFTEST_N"); v != "" {
		x, err := strconv.Atoi(v)
		if err != nil || x < 1 {
			t.Fatalf("DIFFTEST_N=%q: want a positive integer", v)
		}
		n = x
	}
	if v := os.Getenv("DIFFTEST_SEED"); v != "" {
		x, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DIFFTEST_SEED=%q: want an unsigned integer", v)
		}
		seed = x
	}
	if *flagN > 0 {
		n = *flagN
	}
	if *flagSeed != 0 {
		seed = *flagSeed
	}
	return n, seed
}

// TestDifferential decides generated cases with smlint and with
// @cloud-copilot/iam-simulate and fails on any disagreement whose category
// DISAGREEMENTS.md does not list.
func TestDifferential(t *testing.T) {
	n, seed := settings(t)
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	nodeDir, err := InstallSimulator(repo)
	if err != nil {
		fmt.Printf("\n*** %s (%v) ***\n\n", skipMessage, err)
		t.Skipf("%s (%v)", skipMessage, err)
	}
	known, err := ReadTable("DISAGREEMENTS.md")
	if err != nil {
		t.Fatal(err)
	}

	g := NewGenerator(seed)
	cases := make([]Case, n)
	for i := range cases {
		cases[i] = g.Case(i)
	}
	sim, err := RunSimulator(repo, nodeDir, cases, workers(n))
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}

	var agree int
	byCategory := map[string][]Disagreement{}
	for _, c := range cases {
		sm := EvaluateSmlint(c)
		sr := sim[c.ID]
		if sm.Outcome == sr.Outcome && sm.Outcome != Rejected {
			agree++
			continue
		}
		d := Disagreement{Case: c, Smlint: sm, Sim: sr}
		d.Category = Classify(d)
		byCategory[d.Category] = append(byCategory[d.Category], d)
	}
	var all []Disagreement
	for _, ds := range byCategory {
		all = append(all, ds...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Case.ID < all[j].Case.ID })
	if len(all) > 0 {
		smallest, err := Minimize(repo, nodeDir, all, 25)
		if err != nil {
			t.Fatalf("minimizing: %v", err)
		}
		byCategory = map[string][]Disagreement{}
		for i, d := range smallest {
			d.Category = Classify(d)
			d.Original = &all[i].Case
			byCategory[d.Category] = append(byCategory[d.Category], d)
		}
	}
	pct := 100 * float64(agree) / float64(n)
	summary := fmt.Sprintf("difftest: %d cases, %d agree (%.2f%%) [seed %d, @cloud-copilot/iam-simulate %s]", n, agree, pct, seed, simVersion(repo))
	fmt.Println(summary) // printed once, by make test's verbose run of this package

	cats := make([]string, 0, len(byCategory))
	for k := range byCategory {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	var failed []string
	for _, k := range cats {
		ds := byCategory[k]
		row, listed := known[k]
		status := "NOT LISTED in DISAGREEMENTS.md"
		if listed {
			status = row.Status
		}
		line := fmt.Sprintf("difftest:   %-40s %5d  (%s)", k, len(ds), status)
		fmt.Println(line)
		if !listed {
			failed = append(failed, k)
			for _, d := range ds[:min(3, len(ds))] {
				t.Errorf("unlisted disagreement %s: %s\n%s", k, d.Case.describe(), d.Detail())
			}
		}
		if *flagUpdate {
			writeFailures(t, k, ds)
		}
	}
	if len(failed) > 0 {
		t.Errorf("disagreement categories not in DISAGREEMENTS.md: %s (investigate them, fix smlint or add a row citing the AWS documentation; -difftest.update writes the cases to testdata/failures/)", strings.Join(failed, ", "))
	}
}

// simVersion reads the pinned simulator version from sim/package.json.
func simVersion(repo string) string {
	b, err := os.ReadFile(filepath.Join(repo, "difftest", "sim", "package.json"))
	if err != nil {
		return "?"
	}
	var p struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if json.Unmarshal(b, &p) != nil {
		return "?"
	}
	return p.Dependencies["@cloud-copilot/iam-simulate"]
}

// writeFailures writes up to 20 cases of a category, smallest first, to
// testdata/failures/<category>/.
func writeFailures(t *testing.T, category string, ds []Disagreement) {
	t.Helper()
	dir := filepath.Join("testdata", "failures", strings.NewReplacer(":", "_", "/", "_", " ", "_").Replace(category))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Case.size() < ds[j].Case.size() })
	for _, d := range ds[:min(20, len(ds))] {
		rec := map[string]any{
			"category":   d.Category,
			"smlint":     d.Smlint,
			"simulator":  d.Sim,
			"case":       d.Case,
			"simulation": toSimulation(d.Case).Simulation,
		}
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("case-%06d.json", d.Case.ID)), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGeneratorDeterministic: the same seed gives the same cases, so a CI
// failure can be replayed.
func TestGeneratorDeterministic(t *testing.T) {
	a, b := NewGenerator(7), NewGenerator(7)
	for i := 0; i < 200; i++ {
		x, _ := json.Marshal(a.Case(i))
		y, _ := json.Marshal(b.Case(i))
		if string(x) != string(y) {
			t.Fatalf("case %d differs between two generators with the same seed", i)
		}
	}
}

// TestGeneratedPoliciesParse: smlint's parser accepts every generated
// document without a problem IAM would reject.
func TestGeneratedPoliciesParse(t *testing.T) {
	g := NewGenerator(11)
	for i := 0; i < 500; i++ {
		c := g.Case(i)
		if r := EvaluateSmlint(c); r.Outcome == Rejected {
			t.Errorf("%s: smlint rejects a generated document: %v", c.describe(), r.Rejected)
		}
	}
}

// TestTableWellFormed: every row of DISAGREEMENTS.md has a status, a verdict
// and an AWS documentation URL.
func TestTableWellFormed(t *testing.T) {
	rows, err := ReadTable("DISAGREEMENTS.md")
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range rows {
		if !strings.Contains(r.Source, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: no AWS documentation URL", k)
		}
		switch {
		case r.Status == "fixed", r.Status == "accepted", strings.HasPrefix(r.Status, "smlint bug"):
		default:
			t.Errorf("%s: status %q is not fixed, accepted or smlint bug — open", k, r.Status)
		}
	}
}
