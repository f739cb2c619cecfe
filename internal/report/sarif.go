package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/smlint/smlint/internal/check"
)

// SARIF 2.1.0 (docs.oasis-open.org/sarif/sarif/v2.1.0): one run, the rule
// catalogue as tool.driver.rules, one result per finding with a region, and
// one per unreadable input.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	ShortDescription sarifText         `json:"shortDescription"`
	FullDescription  sarifText         `json:"fullDescription"`
	Help             sarifText         `json:"help"`
	HelpURI          string            `json:"helpUri,omitempty"`
	DefaultConfig    sarifRuleConfig   `json:"defaultConfiguration"`
	Properties       map[string]string `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
	Region   *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(sev string) string {
	switch sev {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

// SARIF writes a SARIF 2.1.0 log.
func SARIF(w io.Writer, rep *check.Report, opts Options) error {
	driver := sarifDriver{Name: "smlint", Version: opts.Version,
		InformationURI: "https://docs.supermetrics.com/docs/about-amazon-s3-prerequisites", Rules: []sarifRule{}}
	index := map[string]int{}
	for _, r := range opts.Rules {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: camel(r.ID),
			ShortDescription: sarifText{r.Title}, FullDescription: sarifText{oneLine(r.Description)},
			Help: sarifText{oneLine(r.Remediation)}, HelpURI: r.Docs,
			DefaultConfig: sarifRuleConfig{sarifLevel(r.Severity)},
		})
	}
	ensure := func(id, title string) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{ID: id, Name: camel(id), ShortDescription: sarifText{title},
			FullDescription: sarifText{title}, Help: sarifText{title}, DefaultConfig: sarifRuleConfig{"error"}})
		return index[id]
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range rep.Findings {
		i := ensure(f.Rule, f.Rule)
		res := sarifResult{RuleID: f.Rule, RuleIndex: i, Level: sarifLevel(f.Severity), Message: sarifText{display(f.Message)}}
		if f.File != "" {
			loc := sarifLocation{Physical: sarifPhysical{Artifact: sarifArtifact{URI: uri(f.File)}}}
			if f.Line > 0 {
				loc.Physical.Region = &sarifRegion{StartLine: f.Line}
			}
			res.Locations = []sarifLocation{loc}
		}
		run.Results = append(run.Results, res)
	}
	for _, e := range rep.Errors {
		i := ensure("input-error", "An input could not be read")
		res := sarifResult{RuleID: "input-error", RuleIndex: i, Level: "error", Message: sarifText{e.Message}}
		loc := sarifLocation{Physical: sarifPhysical{Artifact: sarifArtifact{URI: uri(e.File)}}}
		if e.Line > 0 {
			loc.Physical.Region = &sarifRegion{StartLine: e.Line}
		}
		res.Locations = []sarifLocation{loc}
		run.Results = append(run.Results, res)
	}
	run.Tool.Driver = driver
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func uri(path string) string {
	return strings.TrimPrefix(strings.ReplaceAll(path, "\\", "/"), "./")
}

func camel(id string) string {
	parts := strings.Split(id, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}
