package check

import (
	"regexp"
	"strings"

	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// scpSet is the SCPs of the run placed at organisation levels (Organizations
// "SCP evaluation", orgs_manage_policies_scps_evaluation.html: every level
// from the root through each OU to the account must allow; a Deny at any
// level denies).
type scpSet struct {
	levels   [][]*policy.Document
	names    []string
	complete []bool
	// unplaced are SCPs whose level nothing says: iam.Evaluate tries every
	// placement.
	unplaced []*policy.Document
	// all is every SCP document, for the rule input.
	all        []*policy.Document
	unresolved []load.Unresolved
}

var (
	ouID      = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	rootID    = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	accountID = regexp.MustCompile(`^[0-9]{12}$`)
)

// LevelName normalises an SCP level label: "root" (or a root id r-…),
// "account" (or a 12-digit account id), "ou" (one OU of the path) or an OU
// id ou-… (each its own level). ok is false for anything else.
func LevelName(label string) (name string, ok bool) {
	l := strings.TrimSpace(label)
	switch lower := strings.ToLower(l); {
	case lower == load.LevelRoot || rootID.MatchString(lower):
		return load.LevelRoot, true
	case lower == load.LevelAccount || accountID.MatchString(lower):
		return load.LevelAccount, true
	case lower == load.LevelOU:
		return load.LevelOU, true
	case ouID.MatchString(lower):
		return lower, true
	}
	return "", false
}

// fullAWSAccess is the AWS managed SCP p-FullAWSAccess, which Organizations
// attaches to every root, OU and account when SCPs are enabled; its content
// is published ("FullAWSAccess", orgs_manage_policies_scps_strategies.html).
const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func fullAWSAccessDoc(file string, line int) *policy.Document {
	n, err := tree.FromJSON([]byte(fullAWSAccess))
	if err != nil {
		return nil
	}
	d, err := policy.FromNode(n, policy.SCP, file)
	if err != nil {
		return nil
	}
	d.Line = line
	for _, st := range d.Statements {
		st.Line = line
	}
	d.Name = "FullAWSAccess (AWS managed SCP p-FullAWSAccess, content as AWS publishes it)"
	d.ARN = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	d.AWSManaged = true
	return d
}

// scpsFor places the run's SCP documents (docs) at levels: a level the user
// labelled the file with, else the level of a labelled
// list-policies-for-target output that names it, else (named by an
// unlabelled list) the list's own level; the rest are unplaced. A list names
// every SCP attached at its target, so its level is complete; a listed SCP
// the run lacks is a placeholder that is not known (SPEC §1).
func scpsFor(in *load.Input, docs []*policy.Document) *scpSet {
	out := &scpSet{}
	if len(docs) == 0 && len(in.SCPLists) == 0 {
		return out
	}
	info := map[*policy.Document]*load.SCPInfo{}
	for _, s := range in.SCPs {
		info[s.Doc] = s
	}
	index := map[string]int{}
	level := func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		index[name] = len(out.levels)
		out.levels = append(out.levels, nil)
		out.names = append(out.names, name)
		out.complete = append(out.complete, false)
		return index[name]
	}
	// Fixed order for stable messages: root, OUs, account.
	add := func(i int, d *policy.Document) {
		for _, e := range out.levels[i] {
			if e == d {
				return
			}
		}
		out.levels[i] = append(out.levels[i], d)
	}
	placed := map[*policy.Document]bool{}
	for _, d := range docs {
		s := info[d]
		if s == nil || s.Level == "" {
			continue
		}
		name, ok := LevelName(s.Level)
		if !ok {
			name = s.Level
		}
		add(level(name), d)
		placed[d] = true
	}
	for _, l := range in.SCPLists {
		name := "listed in " + l.File
		if l.Level != "" {
			if n, ok := LevelName(l.Level); ok {
				name = n
			} else {
				name = l.Level
			}
		}
		i := level(name)
		out.complete[i] = true
		for _, ref := range l.Policies {
			var found *policy.Document
			for _, d := range docs {
				s := info[d]
				if s != nil && ((ref.ID != "" && s.ID == ref.ID) || (ref.ARN != "" && s.ARN == ref.ARN)) {
					found = d
					break
				}
			}
			switch {
			case found != nil:
			case ref.ID == "p-FullAWSAccess" || strings.HasSuffix(ref.ARN, "/p-FullAWSAccess"):
				found = fullAWSAccessDoc(l.File, ref.Line)
			default:
				id := ref.ID
				if id == "" {
					id = ref.ARN
				}
				what := "the service control policy " + strings.TrimSpace(ref.Name+" ("+id+")")
				found = &policy.Document{Kind: policy.SCP, File: l.File, Line: ref.Line, ARN: ref.ARN,
					Name: strings.TrimSpace(ref.Name + " (" + id + ")"), Unresolved: "it is attached (" + name + ") but its document is not among the inputs"}
				out.unresolved = append(out.unresolved, load.Unresolved{File: l.File, Line: ref.Line, What: what,
					Reason: "list-policies-for-target names it, but its document is not among the inputs, so every request it could deny is unknown; " +
						"export it with `aws organizations describe-policy --policy-id " + id + "`"})
			}
			if found == nil {
				continue
			}
			// An SCP can be attached at several targets: a list naming it
			// puts it at the list's level too.
			add(i, found)
			placed[found] = true
		}
	}
	for _, d := range docs {
		if !placed[d] {
			out.unplaced = append(out.unplaced, d)
		}
	}
	// Placement matters only for SCPs with an Allow statement (a Deny
	// applies wherever it is attached), and only with two levels or more in
	// play.
	var placing []*policy.Document
	for _, d := range out.unplaced {
		if d.Unresolved != "" || scpHasAllow(d) {
			placing = append(placing, d)
		}
	}
	joinable := 0
	for i := range out.levels {
		if !out.complete[i] {
			joinable++
		}
	}
	if n := len(placing); n > 1 || n == 1 && joinable > 0 {
		var names []string
		for _, d := range placing {
			label := d.Name
			if label == "" {
				label = d.File
			}
			names = append(names, label)
		}
		d := placing[0]
		out.unresolved = append(out.unresolved, load.Unresolved{File: d.File, Line: d.Line,
			What: "the organisation level (root, OU, account) of " + strings.Join(names, ", "),
			Reason: "it is not given, and every level must allow (Organizations \"SCP evaluation\"), so a request whose answer depends on where they are attached is unknown; " +
				"label each file: --scp root:FILE, --scp ou:FILE, --scp account:FILE, or `scps: [{level: root, file: FILE}]` in .smlint.yaml"})
	}
	// Order levels root, OUs, account, then lists of unknown level.
	rank := func(n string) int {
		switch {
		case n == load.LevelRoot:
			return 0
		case n == load.LevelOU || strings.HasPrefix(n, "ou-"):
			return 1
		case n == load.LevelAccount:
			return 2
		}
		return 3
	}
	for a := 1; a < len(out.levels); a++ {
		for b := a; b > 0 && rank(out.names[b]) < rank(out.names[b-1]); b-- {
			out.levels[b], out.levels[b-1] = out.levels[b-1], out.levels[b]
			out.names[b], out.names[b-1] = out.names[b-1], out.names[b]
			out.complete[b], out.complete[b-1] = out.complete[b-1], out.complete[b]
		}
	}
	seen := map[*policy.Document]bool{}
	for _, l := range append(append([][]*policy.Document(nil), out.levels...), out.unplaced) {
		for _, d := range l {
			if !seen[d] {
				seen[d] = true
				out.all = append(out.all, d)
			}
		}
	}
	return out
}

func scpHasAllow(d *policy.Document) bool {
	for _, st := range d.Statements {
		if st != nil && st.Effect != policy.Deny {
			return true
		}
	}
	return false
}
