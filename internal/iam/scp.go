package iam

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// SCPs per organisation level (AWS Organizations User Guide, "SCP
// evaluation", orgs_manage_policies_scps_evaluation.html): "For a permission
// to be allowed for a specific account, there must be an explicit Allow
// statement at every level from the root through each OU in the direct path
// to the account (including the target account itself)", and "If a Deny
// statement in an SCP at any level applies, the request is denied".
//
// An organisation has at most seven levels: the root, OUs nested at most five
// deep ("Quotas for AWS Organizations": "OU maximum nesting in a root: five
// levels of OUs deep under a root"), and the account.
const maxSCPLevels = 7

// maxSCPAssignments bounds the assignments of unplaced SCPs that Evaluate
// tries; beyond it the answer is Unknown.
const maxSCPAssignments = 4096

type scpLevel struct {
	name     string
	docs     []*policy.Document
	complete bool
}

// scpLevels lists the non-empty SCP levels of set: SCP (one level, as before
// levels existed) and then SCPLevels.
func scpLevels(set PolicySet) []scpLevel {
	var out []scpLevel
	if len(set.SCP) > 0 {
		out = append(out, scpLevel{name: "SCPs", docs: set.SCP})
	}
	for i, docs := range set.SCPLevels {
		if len(docs) == 0 {
			continue
		}
		l := scpLevel{name: "#" + strconv.Itoa(i+1), docs: docs}
		if i < len(set.SCPLevelNames) && set.SCPLevelNames[i] != "" {
			l.name = set.SCPLevelNames[i]
		}
		if i < len(set.SCPLevelComplete) {
			l.complete = set.SCPLevelComplete[i]
		}
		out = append(out, l)
	}
	return out
}

// evaluateUnplaced decides a request whose SCPs are partly not placed at a
// level: under every assignment of the unplaced SCPs to the known levels or
// to new levels (set partitions, at most maxSCPLevels levels in all). When
// every assignment gives the same decision it is the answer; otherwise the
// answer is Unknown, with the two assignments that disagree.
func evaluateUnplaced(req Request, set PolicySet, tr *tracer) Result {
	fixed := 0
	for _, l := range set.SCPLevels {
		if len(l) > 0 {
			fixed++
		}
	}
	if len(set.SCP) > 0 {
		fixed++
	}
	// Indices of the non-empty given levels an unplaced SCP may join: not a
	// complete one (a list-policies-for-target output names every SCP of
	// its target, and the unplaced SCP is not among them).
	var joinable []int
	for i, l := range set.SCPLevels {
		if len(l) > 0 && !(i < len(set.SCPLevelComplete) && set.SCPLevelComplete[i]) {
			joinable = append(joinable, i)
		}
	}
	// An SCP with no Allow statement decides the same wherever it is
	// attached: its Deny applies at any level, and a level holding only
	// such SCPs is taken to hold FullAWSAccess too. Those are placed
	// together at one level of their own; only the others are tried at every
	// placement.
	var unplaced, denyOnly []*policy.Document
	for _, d := range set.SCPUnplaced {
		if d != nil && d.Unresolved == "" && !hasAllow(d) && (d.Alternate == nil || !hasAllow(d.Alternate)) {
			denyOnly = append(denyOnly, d)
		} else {
			unplaced = append(unplaced, d)
		}
	}
	if len(denyOnly) > 0 {
		set.SCPLevels = append(append([][]*policy.Document(nil), set.SCPLevels...), denyOnly)
		names := append([]string(nil), set.SCPLevelNames...)
		for len(names) < len(set.SCPLevels)-1 {
			names = append(names, "")
		}
		set.SCPLevelNames = append(names, "of the SCPs with only Deny statements")
		set.SCPUnplaced = unplaced
		if len(unplaced) == 0 {
			set.SCPUnplaced = nil
			return evaluateReadings(req, set, tr)
		}
	}
	var first *Result
	var firstAssign []int
	var disagree *Result
	var disagreeAssign []int
	count := 0
	tooMany := false
	assign := make([]int, len(unplaced))
	// assign[i] < len(joinable): joins given level joinable[assign[i]];
	// otherwise new level assign[i]-len(joinable).
	var walk func(i, fresh int) bool
	walk = func(i, fresh int) bool {
		if i == len(unplaced) {
			count++
			if count > maxSCPAssignments {
				tooMany = true
				return false
			}
			res := evaluateReadings(req, placeSCPs(set, unplaced, assign, joinable, fresh), tr)
			if first == nil {
				first, firstAssign = &res, append([]int(nil), assign...)
				return true
			}
			if res.Decision != first.Decision {
				disagree, disagreeAssign = &res, append([]int(nil), assign...)
				return false
			}
			return true
		}
		for c := 0; c < len(joinable)+fresh; c++ {
			assign[i] = c
			if !walk(i+1, fresh) {
				return false
			}
		}
		if fixed+fresh < maxSCPLevels {
			assign[i] = len(joinable) + fresh
			if !walk(i+1, fresh+1) {
				return false
			}
		}
		return true
	}
	walk(0, 0)
	names := make([]string, len(unplaced))
	for i, d := range unplaced {
		names[i] = docLabel(d)
	}
	advice := "label each SCP with its level: --scp root:FILE, --scp ou:FILE, --scp account:FILE, or `scps: [{level: root, file: FILE}]` in .smlint.yaml"
	switch {
	case tooMany:
		return Result{Decision: Unknown, Reasons: []Reason{why(CodeSCPLevelUnknown, KindSCP, fmt.Sprintf(
			"the level (root, OU, account) of %d SCPs is not known and there are too many ways to place them to try each: %s", len(unplaced), advice))}}
	case disagree != nil:
		return Result{Decision: Unknown, Because: append(append([]Match(nil), first.Because...), disagree.Because...),
			Reasons: append([]Reason{why(CodeSCPLevelUnknown, KindSCP, fmt.Sprintf(
				"the level (root, OU, account) of %s is not known, and the answer depends on it: %s the request is %s, %s it is %s (AWS requires an Allow at every level); %s",
				strings.Join(names, ", "), describePlacement(set, unplaced, firstAssign, joinable), first.Decision,
				describePlacement(set, unplaced, disagreeAssign, joinable), disagree.Decision, advice))},
				append(first.Reasons, disagree.Reasons...)...)}
	case first == nil:
		return evaluateReadings(req, set, tr)
	}
	return *first
}

// hasAllow reports whether d has an Allow statement (an invalid document's
// count too: an allow-list SCP that IAM would reject is no reason to assume
// FullAWSAccess, as in evaluateOnce).
func hasAllow(d *policy.Document) bool {
	for _, st := range d.Statements {
		if st != nil && st.Effect != policy.Deny {
			return true
		}
	}
	return false
}

// placeSCPs returns set with the unplaced SCPs put at the levels assign says.
func placeSCPs(set PolicySet, unplaced []*policy.Document, assign, joinable []int, fresh int) PolicySet {
	out := set
	out.SCPUnplaced = nil
	out.SCPLevels = make([][]*policy.Document, len(set.SCPLevels), len(set.SCPLevels)+fresh)
	for i, l := range set.SCPLevels {
		out.SCPLevels[i] = append([]*policy.Document(nil), l...)
	}
	names := append([]string(nil), set.SCPLevelNames...)
	for len(names) < len(set.SCPLevels) {
		names = append(names, "")
	}
	complete := append([]bool(nil), set.SCPLevelComplete...)
	for len(complete) < len(set.SCPLevels) {
		complete = append(complete, false)
	}
	for k := 0; k < fresh; k++ {
		out.SCPLevels = append(out.SCPLevels, nil)
		names = append(names, "of unknown place "+strconv.Itoa(k+1))
		complete = append(complete, false)
	}
	for i, d := range unplaced {
		c := assign[i]
		idx := len(set.SCPLevels) + c - len(joinable)
		if c < len(joinable) {
			idx = joinable[c]
		}
		out.SCPLevels[idx] = append(out.SCPLevels[idx], d)
	}
	out.SCPLevelNames, out.SCPLevelComplete = names, complete
	return out
}

// describePlacement says in words where an assignment puts the unplaced SCPs.
func describePlacement(set PolicySet, unplaced []*policy.Document, assign, joinable []int) string {
	var parts []string
	for i, d := range unplaced {
		c := assign[i]
		where := ""
		if c < len(joinable) {
			name := "#" + strconv.Itoa(joinable[c]+1)
			if joinable[c] < len(set.SCPLevelNames) && set.SCPLevelNames[joinable[c]] != "" {
				name = set.SCPLevelNames[joinable[c]]
			}
			where = "at level " + name
		} else {
			where = "at level " + strconv.Itoa(c-len(joinable)+1) + " of the unlabelled ones"
		}
		label := d.Name
		if label == "" {
			label = d.File
		}
		parts = append(parts, label+" "+where)
	}
	return "with " + strings.Join(parts, " and ")
}
