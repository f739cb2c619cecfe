package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// inputSchema compiles rules/schema/input.json, the schema generated from
// internal/ruleinput.
func inputSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../rules/schema/input.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("input.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("input.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inputDocs runs `smlint check --format input` on a fixture folder and
// returns the JSON documents it prints, one per evaluated principal.
func inputDocs(t *testing.T, dir string, extra []string) ([]any, []byte) {
	t.Helper()
	args := append([]string{"smlint", "check", "--format", "input", "--config", filepath.Join(dir, ".smlint.yaml")}, extra...)
	var stdout, stderr bytes.Buffer
	code := run(append(args, dir), &stdout, &stderr, func(string) string { return "" })
	if code == 2 {
		return nil, nil // a fixture of unreadable input: nothing evaluated
	}
	var docs []any
	dec := json.NewDecoder(bytes.NewReader(stdout.Bytes()))
	dec.UseNumber()
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("exit %d, output is not a stream of JSON documents: %v\nstderr: %s", code, err, stderr.String())
		}
		docs = append(docs, v)
	}
	return docs, stdout.Bytes()
}

// TestFixturesInput runs every fixture with --format input: one JSON
// document per principal that --format json reports, each valid against the
// generated schema with every field required and none unknown (so the
// schema says what the rules really get: a list never null where the schema
// says array), and no raw internal marker in the output.
func TestFixturesInput(t *testing.T) {
	schema := inputSchema(t)
	validated := 0
	for _, fx := range fixtureTable(t) {
		t.Run(fx.name, func(t *testing.T) {
			docs, out := inputDocs(t, fx.dir, fx.want.Args)
			if strings.ContainsAny(string(out), "\uFFFF\uFFFE") {
				t.Error("output carries a raw internal marker (want the JSON escape)")
			}
			for i, d := range docs {
				if err := schema.Validate(d); err != nil {
					t.Errorf("document %d does not validate against rules/schema/input.json: %v", i+1, err)
				}
				validated++
			}
		})
	}
	if validated == 0 {
		t.Fatal("no input document validated")
	}
}

// TestFormatInputOnePerPrincipal: an account export with several roles
// prints one input per role, in the order --format json lists them, each
// naming that role and carrying its own requests.
func TestFormatInputOnePerPrincipal(t *testing.T) {
	dir := "../../fixtures/format-account-export-many-roles"
	docs, _ := inputDocs(t, dir, nil)
	var stdout, stderr bytes.Buffer
	run([]string{"smlint", "check", "--format", "json", "--config", filepath.Join(dir, ".smlint.yaml"), dir}, &stdout, &stderr, func(string) string { return "" })
	var rep struct {
		Principals []struct {
			Principal struct {
				ARN string `json:"arn"`
			} `json:"principal"`
			Requests []struct {
				ID       string `json:"id"`
				Decision string `json:"decision"`
			} `json:"requests"`
		} `json:"principals"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("json: %v (%s)", err, stderr.String())
	}
	if len(rep.Principals) < 2 {
		t.Fatalf("fixture has %d principals, want several", len(rep.Principals))
	}
	if len(docs) != len(rep.Principals) {
		t.Fatalf("%d input documents for %d principals", len(docs), len(rep.Principals))
	}
	for i, d := range docs {
		in := d.(map[string]any)
		principal, _ := in["principal"].(map[string]any)
		if principal == nil || principal["arn"] != rep.Principals[i].Principal.ARN {
			t.Errorf("document %d: principal %v, want %s", i+1, principal, rep.Principals[i].Principal.ARN)
		}
		reqs, _ := in["requests"].([]any)
		if len(reqs) != len(rep.Principals[i].Requests) {
			t.Errorf("document %d: %d requests, want %d", i+1, len(reqs), len(rep.Principals[i].Requests))
			continue
		}
		for j, r := range reqs {
			r := r.(map[string]any)
			if w := rep.Principals[i].Requests[j]; r["id"] != w.ID || r["decision"] != w.Decision {
				t.Errorf("document %d request %d: %v %v, want %s %s", i+1, j, r["id"], r["decision"], w.ID, w.Decision)
			}
		}
	}
}
