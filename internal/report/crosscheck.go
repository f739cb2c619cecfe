package report

import (
	"fmt"
	"io"
	"strings"
)

// Statuses of a cross-check row.
const (
	StatusAgree       = "agree"
	StatusDisagree    = "disagree"
	StatusKnownLimit  = "known_limit"  // differs where the simulator (or the live read) is documented not to see
	StatusNotCompared = "not_compared" // smlint says unknown, or the simulator gave no answer
)

// Comparison is one simulated request with smlint's and IAM's answers.
type Comparison struct {
	// Principal is the role or user simulated (several after discovery).
	Principal string `json:"principal,omitempty"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	// VendorRange is the configured vendor range this row stands for, and
	// SourceIP the address simulated as aws:SourceIp: the range's first
	// address. Both are "" when no ranges are configured.
	VendorRange string `json:"vendor_range"`
	SourceIP    string `json:"source_ip"`
	Smlint      string `json:"smlint"`
	// Simulator is allowed | implicit_deny | explicit_deny, or "" when the
	// simulator gave no answer (see Note).
	Simulator string `json:"simulator"`
	Agree     bool   `json:"agree"`
	Status    string `json:"status"`
	// Limit names the documented simulator limit a disagreement falls under.
	Limit                string   `json:"limit,omitempty"`
	Note                 string   `json:"note,omitempty"`
	MatchedStatements    []string `json:"matched_statements,omitempty"`
	MissingContextValues []string `json:"missing_context_values,omitempty"`
}

// CrossCheck is the result of comparing a report with the simulator
// (internal/live fills it).
type CrossCheck struct {
	PolicySourceARN string
	Comparisons     []Comparison
	// Notes say what was simulated and what the simulator cannot see.
	Notes []string
	// Error is set when the simulator could not be called at all
	// (AccessDenied on iam:SimulatePrincipalPolicy); Comparisons are then
	// not_compared.
	Error string
}

// rows is the JSON "simulator" array: never null.
func (cc *CrossCheck) rows() []Comparison {
	if cc.Comparisons == nil {
		return []Comparison{}
	}
	return cc.Comparisons
}

// title names the cross-check and the principal it simulated.
func (cc *CrossCheck) title() string {
	t := "IAM policy simulator cross-check"
	if cc.PolicySourceARN != "" {
		t += " (iam:SimulatePrincipalPolicy for " + cc.PolicySourceARN + ")"
	}
	return t
}

// statusColor is the colour and the words of a row's status.
func statusColor(status string) (string, string) {
	switch status {
	case StatusAgree:
		return green, status
	case StatusDisagree:
		return red, status
	case StatusKnownLimit:
		return yellow, "known limit"
	case StatusNotCompared:
		return dim, "not compared"
	}
	return dim, status
}

// tally is "N agree, N disagree, N known limit, N not compared".
func (cc *CrossCheck) tally() string {
	n := map[string]int{}
	for _, r := range cc.Comparisons {
		n[r.Status]++
	}
	return fmt.Sprintf("%d agree, %d disagree, %d known limit, %d not compared",
		n[StatusAgree], n[StatusDisagree], n[StatusKnownLimit], n[StatusNotCompared])
}

// writeCrossCheckText prints the cross-check section that follows the
// text report.
func writeCrossCheckText(w io.Writer, cc *CrossCheck, p painter) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.paint(bold, cc.title()))
	if cc.Error != "" {
		fmt.Fprintf(w, "  %s\n", p.paint(yellow, "not run: "+cc.Error))
	}
	if len(cc.Comparisons) > 0 {
		fmt.Fprintf(w, "  %-20s %-15s %-13s %-13s %s\n", "action", "source ip", "smlint", "simulator", "result")
	}
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, r := range cc.Comparisons {
		code, result := statusColor(r.Status)
		fmt.Fprintf(w, "  %-20s %-15s %-13s %-13s %s\n", r.Action, dash(r.SourceIP), dash(r.Smlint), dash(r.Simulator), p.paint(code, result))
		fmt.Fprintf(w, "  %20s %s %s\n", "", p.paint(dim, "on"), r.Resource)
		if r.Limit != "" {
			fmt.Fprintf(w, "  %20s %s %s\n", "", p.paint(dim, "limit"), r.Limit)
		}
		if r.Note != "" {
			fmt.Fprintf(w, "  %20s %s %s\n", "", p.paint(dim, "note"), r.Note)
		}
		if len(r.MissingContextValues) > 0 {
			fmt.Fprintf(w, "  %20s %s %s\n", "", p.paint(dim, "missing context"), strings.Join(r.MissingContextValues, ", "))
		}
	}
	if len(cc.Notes) > 0 {
		fmt.Fprintln(w, "  Notes:")
		for _, n := range cc.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
	fmt.Fprintf(w, "  %s\n", cc.tally())
}
