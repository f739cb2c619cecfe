package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Rule is one catalogue entry, read from a rule package's # METADATA block
// (scope package): title, description, and custom.id, custom.severity,
// custom.remediation, custom.docs, custom.example.
type Rule struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Severity    string `json:"severity"`
	Remediation string `json:"remediation"`
	Docs        string `json:"docs,omitempty"`
	Example     string `json:"example,omitempty"`
	// SecuritySeverity (custom.security_severity, "0.0"–"10.0") and
	// Precision (custom.precision: very-high | high | medium | low) feed
	// the SARIF rule properties GitHub code scanning ranks alerts by; empty
	// means the report's default for the severity.
	SecuritySeverity string `json:"security_severity,omitempty"`
	Precision        string `json:"precision,omitempty"`
	Package          string `json:"package"`
	File             string `json:"file"`
	// Builtin is false for rules loaded from a --rules directory.
	Builtin bool `json:"builtin"`
}

// Severities in decreasing order.
var Severities = []string{"error", "warning", "info"}

// SeverityRank orders severities: error 3, warning 2, info 1, unknown 0.
func SeverityRank(s string) int {
	switch s {
	case "error":
		return 3
	case "warning":
		return 2
	case "info":
		return 1
	}
	return 0
}

// rulesPrefix is the package prefix under which every rule lives:
// package smlint.rules.<name> declares `findings contains f if {...}`.
const rulesPrefix = "data.smlint.rules."

// ruleFromModule reads the catalogue entry of a rule module, or returns
// ok=false for modules that are not rules (libraries, tests).
func ruleFromModule(m *ast.Module, file string, builtin bool) (Rule, bool, error) {
	pkg := m.Package.Path.String()
	if !strings.HasPrefix(pkg, rulesPrefix) {
		return Rule{}, false, nil
	}
	r := Rule{Package: strings.TrimPrefix(pkg, rulesPrefix), File: file, Builtin: builtin}
	for _, a := range m.Annotations {
		if a.Scope != "package" {
			continue
		}
		r.Title = a.Title
		r.Description = strings.TrimSpace(a.Description)
		r.ID, _ = a.Custom["id"].(string)
		r.Severity, _ = a.Custom["severity"].(string)
		r.Remediation, _ = a.Custom["remediation"].(string)
		r.Docs, _ = a.Custom["docs"].(string)
		r.Example, _ = a.Custom["example"].(string)
		r.Precision, _ = a.Custom["precision"].(string)
		switch v := a.Custom["security_severity"].(type) {
		case string:
			r.SecuritySeverity = v
		case float64:
			r.SecuritySeverity = strconv.FormatFloat(v, 'f', 1, 64)
		case int:
			r.SecuritySeverity = strconv.Itoa(v) + ".0"
		}
	}
	if r.ID == "" {
		if builtin {
			return r, false, fmt.Errorf("%s: rule package %s has no # METADATA custom.id", file, pkg)
		}
		r.ID = strings.ReplaceAll(r.Package, "_", "-")
	}
	if r.Severity == "" {
		if builtin {
			return r, false, fmt.Errorf("%s: rule %s has no custom.severity", file, r.ID)
		}
		r.Severity = "warning"
	}
	if SeverityRank(r.Severity) == 0 {
		return r, false, fmt.Errorf("%s: rule %s has severity %q (want error, warning or info)", file, r.ID, r.Severity)
	}
	return r, true, nil
}

func sortRules(rs []Rule) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}
