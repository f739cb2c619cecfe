package main

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestFixturesSARIF runs every fixture with --format sarif and validates
// the log against the official SARIF 2.1.0 schema vendored in
// internal/report/testdata, and that every result has a location with a
// repository-relative URI and a start line (GitHub code scanning rejects
// the whole upload otherwise).
func TestFixturesSARIF(t *testing.T) {
	f, err := os.Open("../../internal/report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtureTable(t) {
		t.Run(fx.name, func(t *testing.T) {
			want := fx.want
			var stdout, stderr bytes.Buffer
			run(fx.checkArgs("sarif"), &stdout, &stderr, func(string) string { return "" })
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(stdout.Bytes()))
			if err != nil {
				t.Fatalf("output is not JSON: %v\nstderr: %s", err, stderr.String())
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("SARIF does not validate: %v", err)
			}
			var log struct {
				Runs []struct {
					Results []struct {
						RuleID    string `json:"ruleId"`
						Locations []struct {
							Physical struct {
								Artifact struct {
									URI       string `json:"uri"`
									URIBaseID string `json:"uriBaseId"`
								} `json:"artifactLocation"`
								Region struct {
									StartLine int `json:"startLine"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"locations"`
						PartialFingerprints map[string]string `json:"partialFingerprints"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &log); err != nil || len(log.Runs) != 1 {
				t.Fatalf("runs: %v (%v)", len(log.Runs), err)
			}
			if len(want.Rules) > 0 && len(log.Runs[0].Results) == 0 {
				t.Errorf("no results, want findings of %v", want.Rules)
			}
			for i, r := range log.Runs[0].Results {
				if len(r.Locations) == 0 {
					t.Errorf("result %d (%s) has no location", i, r.RuleID)
					continue
				}
				l := r.Locations[0].Physical
				if l.Artifact.URI == "" || l.Artifact.URIBaseID != "%SRCROOT%" || l.Region.StartLine < 1 {
					t.Errorf("result %d (%s): location %+v, want a repository-relative URI and a line", i, r.RuleID, l)
				}
				if len(r.PartialFingerprints) == 0 {
					t.Errorf("result %d (%s) has no partialFingerprints", i, r.RuleID)
				}
			}
		})
	}
}
