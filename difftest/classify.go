// Package difftest compares smlint's IAM evaluation with an independent
// simulator (@cloud-copilot/iam-simulate) on generated cases; README.md
// says how it runs and DISAGREEMENTS.md who is right where they differ.
package difftest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
)

// Disagreement is one case on which smlint and the simulator differ.
type Disagreement struct {
	Case     Case
	Smlint   SmlintResult
	Sim      SimResult
	Category string
	// Original is the generated case before Minimize shrank it.
	Original *Case
}

// Detail prints the decisions and the case's documents for a test log.
func (d Disagreement) Detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  smlint: %s %v\n  simulator: %s %s\n", d.Smlint.Outcome, d.Smlint.Reasons, d.Sim.Outcome, d.Sim.Error)
	if len(d.Smlint.Rejected) > 0 {
		fmt.Fprintf(&b, "  smlint rejects: %v\n", d.Smlint.Rejected)
	}
	j, _ := json.Marshal(d.Case.Context)
	fmt.Fprintf(&b, "  context: %s\n", j)
	for i, doc := range d.Case.Identity {
		j, _ := json.Marshal(doc)
		fmt.Fprintf(&b, "  identity%d: %s\n", i, j)
	}
	if d.Case.ResourcePolicy != nil {
		j, _ := json.Marshal(d.Case.ResourcePolicy)
		fmt.Fprintf(&b, "  resource: %s\n", j)
	}
	for i, doc := range d.Case.Boundary {
		j, _ := json.Marshal(doc)
		fmt.Fprintf(&b, "  boundary%d: %s\n", i, j)
	}
	return b.String()
}

// size is the number of statements in a case, to show small cases first.
func (c Case) size() int {
	n := 0
	for _, d := range c.Identity {
		n += len(d.Statement)
	}
	for _, d := range c.Boundary {
		n += len(d.Statement)
	}
	if c.ResourcePolicy != nil {
		n += len(c.ResourcePolicy.Statement)
	}
	return n
}

// Row is one category of DISAGREEMENTS.md.
type Row struct {
	Key, Description, Verdict, Source, Status string
}

// ReadTable reads the checked-in table: rows of the form
// | `category` | description | verdict | source | status |
func ReadTable(path string) (map[string]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows := map[string]Row{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(s, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(s, "|"), "|")
		if len(cells) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 cells (category, description, verdict, source, status), have %d", path, line, len(cells))
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		r := Row{Key: strings.Trim(cells[0], "`"), Description: cells[1], Verdict: cells[2], Source: cells[3], Status: strings.Trim(cells[4], "*")}
		if _, dup := rows[r.Key]; dup {
			return nil, fmt.Errorf("%s:%d: category %s listed twice", path, line, r.Key)
		}
		rows[r.Key] = r
	}
	return rows, sc.Err()
}

// Classify names the category of a disagreement from the features of the
// (minimized) case that explain it. Rules are ordered from most to least
// specific; a disagreement no rule explains gets an "unclassified:" key, which
// is never in the table, so the test fails until someone looks at it.
func Classify(d Disagreement) string {
	c := d.Case
	sm, sim := d.Smlint.Outcome, d.Sim.Outcome
	switch {
	case sm == Rejected:
		return "smlint-rejects-generated-policy"
	case sim == Rejected:
		return "sim-rejects-generated-policy"
	}
	srcIP, _ := netip.ParseAddr(c.Context["aws:SourceIp"])
	stmts := c.statements()
	if srcIP.Is4() && anyCondition(stmts, func(op, key string, vals []string) bool {
		return isIPOp(op, key) && slices.Contains(vals, "0.0.0.0/0")
	}) {
		return "sim-ipv4-slash-zero"
	}
	if srcIP.Is6() && anyCondition(stmts, func(op, key string, vals []string) bool {
		if !isIPOp(op, key) || !strings.HasPrefix(strings.ToLower(op), "notipaddress") {
			return false
		}
		for _, v := range vals {
			if strings.Contains(v, ":") {
				return false
			}
		}
		return true
	}) {
		return "sim-notipaddress-ipv6-request-ipv4-list"
	}
	var principals []string
	notPrincipal := false
	wildcardAllow := false
	if c.ResourcePolicy != nil {
		for _, st := range c.ResourcePolicy.Statement {
			principals = append(principals, awsPrincipals(st.Principal)...)
			principals = append(principals, awsPrincipals(st.NotPrincipal)...)
			if st.NotPrincipal != nil {
				notPrincipal = true
			}
			if st.Effect == "Allow" && slices.Contains(awsPrincipals(st.Principal), "*") {
				wildcardAllow = true
			}
		}
	}
	for _, p := range principals {
		for _, me := range []string{c.Principal, c.CallerARN} {
			if p != me && strings.EqualFold(p, me) {
				return "principal-arn-letter-case"
			}
		}
	}
	// Resource-policy Allow statements that name the caller's own IAM user
	// or role session ARN, and ones naming both the role and its session.
	namesUnbounded, namesRoleAndSession := false, false
	if c.ResourcePolicy != nil {
		for _, st := range c.ResourcePolicy.Statement {
			ps := awsPrincipals(st.Principal)
			if st.Effect != "Allow" {
				continue
			}
			if slices.Contains(ps, c.Principal) && c.Principal != c.CallerARN || slices.Contains(ps, customerUser) && c.Principal == customerUser {
				namesUnbounded = true
			}
			if slices.Contains(ps, c.Principal) && slices.Contains(ps, c.CallerARN) && c.Principal != c.CallerARN {
				namesRoleAndSession = true
			}
		}
	}
	// A Deny whose NotResource holds a policy variable the request has no
	// value for (an absent aws:PrincipalTag/team).
	denyNotResourceVar := false
	for _, st := range stmts {
		if st.Effect != "Deny" {
			continue
		}
		for _, r := range list(st.NotResource) {
			if k, ok := variableKey(r); ok {
				if _, present := c.Context[k]; !present {
					denyNotResourceVar = true
				}
			}
		}
	}
	// Both readings of the vendor-side keys refuse the call, one by an
	// explicit and one by an implicit deny; smlint says it is refused
	// without claiming which.
	if sim == Unknown && (sm == ImplicitDeny || sm == ExplicitDeny) &&
		strings.Contains(d.Sim.Error, "absent "+string(ImplicitDeny)+", fresh value "+string(ExplicitDeny)) ||
		sim == Unknown && (sm == ImplicitDeny || sm == ExplicitDeny) &&
			strings.Contains(d.Sim.Error, "absent "+string(ExplicitDeny)+", fresh value "+string(ImplicitDeny)) {
		return "foreign-readings-deny-differently"
	}
	// A pattern with literal text on a vendor-side key: the vendor's value
	// may or may not match it; the simulator's one fresh value does not.
	if sm == Unknown && sim != Unknown && len(c.Foreign) > 0 && anyCondition(stmts, func(op, key string, vals []string) bool {
		if _, foreign := c.Foreign[key]; !foreign || !strings.Contains(strings.ToLower(op), "like") {
			return false
		}
		for _, v := range vals {
			if strings.ContainsAny(v, "*?") && strings.Trim(v, "*?") != "" {
				return true
			}
		}
		return false
	}) {
		return "foreign-pattern-may-match"
	}
	if denyNotResourceVar && sm == ExplicitDeny && sim != ExplicitDeny {
		return "deny-notresource-variable-without-value"
	}
	boundaryGap := len(c.Boundary) > 0 && sm == ImplicitDeny && sim == Allowed
	switch {
	case boundaryGap && c.Kind == KindKMS && namesUnbounded:
		return "kms-key-policy-user-or-session-grant-vs-boundary"
	case boundaryGap && namesRoleAndSession:
		return "principal-role-and-session-listed-vs-boundary"
	case notPrincipal && len(c.Boundary) > 0 && sim == ExplicitDeny:
		return "notprincipal-deny-with-boundary"
	case notPrincipal && (sm == Unknown || sm == ExplicitDeny && sim != ExplicitDeny):
		return "notprincipal-partial-levels"
	case wildcardAllow && len(c.Boundary) > 0 && sm == ImplicitDeny && sim == Allowed:
		return "wildcard-principal-vs-boundary"
	}
	return fmt.Sprintf("unclassified:%s:%s-vs-%s", c.Kind, sm, sim)
}

// statements lists every statement of every document of the case.
func (c Case) statements() []Stmt {
	var out []Stmt
	for _, d := range c.Identity {
		out = append(out, d.Statement...)
	}
	for _, d := range c.Boundary {
		out = append(out, d.Statement...)
	}
	if c.ResourcePolicy != nil {
		out = append(out, c.ResourcePolicy.Statement...)
	}
	return out
}

func anyCondition(stmts []Stmt, f func(op, key string, vals []string) bool) bool {
	for _, st := range stmts {
		for op, keys := range st.Condition {
			for k, v := range keys {
				if f(op, k, list(v)) {
					return true
				}
			}
		}
	}
	return false
}

func isIPOp(op, key string) bool {
	o := strings.ToLower(op)
	return strings.EqualFold(key, "aws:SourceIp") && (strings.HasPrefix(o, "ipaddress") || strings.HasPrefix(o, "notipaddress"))
}

// awsPrincipals lists the AWS principal values of a Principal element, "*"
// for the bare wildcard.
func awsPrincipals(p any) []string {
	switch x := p.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case map[string]any:
		return list(x["AWS"])
	}
	return nil
}

// variableKey returns the context key of the first policy variable in s, in
// the case the generator writes it.
func variableKey(s string) (string, bool) {
	i := strings.Index(s, "${")
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(s[i:], '}')
	if j < 0 {
		return "", false
	}
	return s[i+2 : i+j], true
}
