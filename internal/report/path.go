package report

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
)

// Hop states: what a hop of the access path does to the upload.
const (
	HopAllowed = "allowed" // lets the requests through, no error found there
	HopDenied  = "denied"  // refuses a request, or an error finding sits there
	HopUnknown = "unknown" // decides a request only on values the inputs leave open
	HopAbsent  = "absent"  // not on this setup's path (no KMS key, no trust for an access key)
)

// Hop is one step of the way from Supermetrics to the bucket: Supermetrics'
// role, the trust policy, the customer's role, its policies and boundary,
// the bucket policy, the KMS key.
type Hop struct {
	Title string
	// Subject names what the hop is (an ARN, a key).
	Subject string
	State   string
	// Lines are the statements or reasons that decided the hop's requests.
	Lines []HopLine
}

// HopLine is one request's answer at a hop: the statement that decided it
// (Where is its file:line) or why it is undecided.
type HopLine struct {
	State  string
	Action string
	Text   string
	Where  string
}

// policyKinds are the kinds of statement each hop owns (check.Because.Kind).
var (
	trustKinds    = []string{"trust"}
	identityKinds = []string{"identity", "boundary", "scp", "group"}
	bucketKinds   = []string{"bucket"}
	keyKinds      = []string{"key", "grant"}
)

// AccessPath lays out one subject's requests as the hops a request crosses,
// from Supermetrics' side to the KMS key. The colour of each hop comes from
// the decisions of the requests that cross it and the statements that made
// them; error findings of the rules about a hop (trust, access key, KMS, the
// role ARN) turn it red too.
func AccessPath(s *check.Subject, setup config.Setup, rules []engine.Rule) []Hop {
	var trust, s3, kms []check.RequestResult
	for _, r := range s.Requests {
		switch {
		case strings.HasPrefix(r.Action, "sts:"):
			trust = append(trust, r)
		case strings.HasPrefix(r.Action, "kms:"):
			kms = append(kms, r)
		default:
			s3 = append(s3, r)
		}
	}
	byHop := findingsByHop(s.Findings, rules)
	var hops []Hop

	accessKey := len(trust) == 0 && setup.Auth == "access-key"
	origin := Hop{Title: "Supermetrics' role", State: HopAllowed}
	if accessKey {
		origin.Title = "Supermetrics (access key)"
		origin.Subject = setup.AccessKeyID
		origin.Lines = []HopLine{{State: HopAllowed, Text: "calls S3 with the access key you hand over"}}
	} else {
		for _, r := range trust {
			origin.Subject = display(r.Principal)
		}
		origin.Lines = []HopLine{{State: HopAllowed, Text: "Supermetrics' side lets its role call sts:AssumeRole (an assumption, listed below)"}}
	}
	hops = append(hops, withFindings(origin, byHop["origin"]))

	if !accessKey {
		h := Hop{Title: "Trust policy", Subject: "sts:AssumeRole", State: HopAbsent}
		if len(trust) > 0 {
			h = requestHop(h, trust, trustKinds, true)
		}
		hops = append(hops, withFindings(h, byHop["trust"]))
	}

	role := Hop{Title: "Your role", State: HopUnknown}
	if accessKey {
		role.Title = "Your IAM user"
	}
	if p := s.Principal; p != nil {
		role.Subject = display(labelOf(p))
		role.State = HopAllowed
		name := p.Name
		if name == "" {
			name = display(labelOf(p))
		}
		line := HopLine{State: HopAllowed, Text: p.Type + " " + display(name) + " is among the inputs"}
		if p.File != "" {
			line.Where = where(p.File, p.Line)
		}
		role.Lines = []HopLine{line}
	} else {
		role.Lines = []HopLine{{State: HopUnknown, Text: "no role or user among the inputs"}}
	}
	hops = append(hops, withFindings(role, byHop["role"]))

	hops = append(hops, requestHop(Hop{Title: "Its policies and boundary", Subject: "identity policies, boundary, SCPs"}, s3, identityKinds, true))
	bucket := Hop{Title: "Bucket policy", Subject: bucketSubject(setup)}
	hops = append(hops, requestHop(bucket, s3, bucketKinds, false))

	key := Hop{Title: "KMS key", Subject: setup.KMSKeyARN, State: HopAbsent,
		Lines: []HopLine{{State: HopAbsent, Text: "no customer managed KMS key on the upload path"}}}
	if len(kms) > 0 {
		key = requestHop(Hop{Title: "KMS key", Subject: setup.KMSKeyARN}, kms, append(keyKinds, identityKinds...), true)
	}
	hops = append(hops, withFindings(key, byHop["key"]))
	return hops
}

func bucketSubject(s config.Setup) string {
	if s.Bucket == "" {
		return ""
	}
	return "arn:aws:s3:::" + s.Bucket
}

// requestHop colours a hop by the requests crossing it. Each request gives
// one line: the statements of this hop's kinds that decided it; or, when it
// was refused for want of an Allow, "no statement allows it" on a hop that
// grants (not the bucket policy, which may but need not); or, when
// it is unknown, the first reason. A request decided by another hop's
// statement is listed there, not here.
func requestHop(h Hop, reqs []check.RequestResult, kinds []string, grants bool) Hop {
	h.State = HopAllowed
	for _, r := range reqs {
		mine := statementsOf(r.Because, kinds)
		others := len(r.Because) > len(mine)
		switch r.Decision {
		case "allowed":
			if len(mine) == 0 {
				text := "no statement here denies it"
				if others {
					text += "; allowed elsewhere"
				}
				h.add(HopLine{State: HopAllowed, Action: r.Action, Text: text})
			}
			for _, b := range mine {
				h.add(HopLine{State: HopAllowed, Action: r.Action, Text: statementText(b), Where: where(b.File, b.Line)})
			}
		case "explicit_deny", "implicit_deny":
			if len(mine) > 0 {
				for _, b := range mine {
					h.add(HopLine{State: HopDenied, Action: r.Action, Text: statementText(b), Where: where(b.File, b.Line)})
				}
				h.State = HopDenied
				continue
			}
			if others || r.Decision == "explicit_deny" {
				h.add(HopLine{State: HopAbsent, Action: r.Action, Text: "refused elsewhere"})
				continue
			}
			if !grants {
				h.add(HopLine{State: HopAbsent, Action: r.Action, Text: "not granted here either"})
				continue
			}
			h.add(HopLine{State: HopDenied, Action: r.Action, Text: "no statement allows it"})
			h.State = HopDenied
		default:
			text := "undecided"
			if len(r.Reasons) > 0 {
				text = display(r.Reasons[0])
			}
			if len(mine) == 0 && others {
				h.add(HopLine{State: HopAbsent, Action: r.Action, Text: "undecided elsewhere"})
				continue
			}
			line := HopLine{State: HopUnknown, Action: r.Action, Text: text}
			if len(mine) > 0 {
				line.Where = where(mine[0].File, mine[0].Line)
			}
			h.add(line)
			if h.State != HopDenied {
				h.State = HopUnknown
			}
		}
	}
	return h
}

// add appends a line, or names its action on an equal line already there
// (the same statement or reason for several requests is one line).
func (h *Hop) add(l HopLine) {
	for i, o := range h.Lines {
		if o.State == l.State && o.Text == l.Text && o.Where == l.Where && o.Action != "" && l.Action != "" {
			h.Lines[i].Action += ", " + l.Action
			return
		}
	}
	h.Lines = append(h.Lines, l)
}

func statementsOf(bs []check.Because, kinds []string) []check.Because {
	var out []check.Because
	for _, b := range bs {
		for _, k := range kinds {
			if b.Kind == k {
				out = append(out, b)
			}
		}
	}
	return out
}

// statementText is "Allow SupermetricsBucket (inline policy x of role/y)".
func statementText(b check.Because) string {
	s := b.Effect
	if b.Sid != "" {
		s += " " + b.Sid
	} else {
		s += " statement"
	}
	name := b.Name
	if name == "" {
		name = b.Kind + " policy"
	}
	return s + " (" + display(name) + ")"
}

func where(file string, line int) string {
	if file == "" {
		return ""
	}
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// findingsByHop files the error findings of the rules about one hop under
// it: the access key (origin), the trust policy, the role ARN, the KMS key.
func findingsByHop(fs []engine.Finding, rules []engine.Rule) map[string][]engine.Finding {
	areas := map[string]string{}
	for _, r := range rules {
		areas[r.ID] = area(r)
	}
	out := map[string][]engine.Finding{}
	for _, f := range fs {
		if f.Severity != "error" {
			continue
		}
		hop := ""
		switch {
		case f.Rule == "role-arn-wrong":
			hop = "role"
		case areas[f.Rule] == "access":
			hop = "origin"
		case areas[f.Rule] == "trust":
			hop = "trust"
		case areas[f.Rule] == "kms":
			hop = "key"
		}
		if hop != "" {
			out[hop] = append(out[hop], f)
		}
	}
	return out
}

// withFindings adds a hop's error findings as red lines.
func withFindings(h Hop, fs []engine.Finding) Hop {
	for _, f := range fs {
		h.add(HopLine{State: HopDenied, Action: f.Rule, Text: display(f.Message), Where: where(f.File, f.Line)})
		h.State = HopDenied
	}
	return h
}
