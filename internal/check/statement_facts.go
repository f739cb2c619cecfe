package check

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

// Per-statement facts for the rules that look at every action or resource
// of a statement (action-too-broad, action-unknown, resource-too-broad,
// partition-unsupported). They are computed here once per statement, with
// the evaluation core's matching (iam.ActionMatches, iam.MatchResource) and
// the Service Authorization Reference table, and handed to the rules as
// input.documents[].statements[].facts: per-action loops in Rego cost
// seconds on a thousand policies, and the matching semantics belong to Go.
// The facts' shape is ruleinput.StatementFacts.

// beyondNeedProbes are actions nobody uploading files needs, as probes for
// a pattern: the rights SPEC §5 names (everything, IAM, bucket policy or
// ACL, deleting the bucket, other services). The first three a pattern
// matches are its examples in action-too-broad's message.
var beyondNeedProbes = []string{
	"s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketAcl",
	"s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock",
	"iam:CreateUser", "iam:PassRole", "sts:AssumeRole",
	"kms:ScheduleKeyDeletion", "kms:PutKeyPolicy",
	"ec2:RunInstances", "lambda:InvokeFunction", "dynamodb:Scan",
}

// otherTrustActions are the trust-policy actions besides the vendor's
// assume action that a broad pattern in a trust statement also grants
// (trust-action-broad): the other ways to assume a role and the session
// extras (id_roles_manage_assume.html, id_session-tags.html).
var otherTrustActions = loweredAll([]string{
	"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext",
})

// readProbes: reading objects is not needed either, but only info (SPEC §5).
var readProbes = []string{"s3:GetObject", "s3:GetObjectVersion"}

// accountLevelS3 are the S3 actions that take no bucket or object resource,
// so "Resource": "*" is how they are granted (list_amazons3.html).
var accountLevelS3 = map[string]bool{"s3:listallmybuckets": true, "s3:getaccountpublicaccessblock": true}

// factSource computes statement facts for one run's setup and vendor.
type factSource struct {
	needed    map[string]bool // lower-case actions the vendor calls
	assume    loweredAction   // the vendor's assume action (sts:AssumeRole)
	partition string          // the vendor's partition
	bucket    string
	// s3Probes: ARNs just outside the destination, sorted (the rule took
	// the first one a resource reaches, in this order, for its message).
	s3Probes []string
}

func newFactSource(setup *config.Setup, prof *requestmodel.Profile) *factSource {
	fs := &factSource{needed: map[string]bool{}, assume: newLoweredAction(prof.AssumeAction), partition: prof.Partition, bucket: setup.Bucket}
	for _, calls := range [][]requestmodel.Call{prof.Calls, prof.KMSCalls} {
		for _, c := range calls {
			fs.needed[strings.ToLower(c.Action)] = true
		}
	}
	if setup.Bucket != "" {
		probes := map[string]bool{
			"arn:aws:s3:::some-other-bucket-smlint":                   true,
			"arn:aws:s3:::some-other-bucket-smlint/x":                 true,
			"arn:aws:s3:::" + setup.Bucket + "-smlint-other/x":        true,
			"arn:aws:s3:::" + setup.Bucket + "/outside-prefix-smlint": setup.Prefix != "",
		}
		for p, ok := range probes {
			if ok {
				fs.s3Probes = append(fs.s3Probes, p)
			}
		}
		sort.Strings(fs.s3Probes)
	}
	return fs
}

// facts computes the facts of one statement; trust says it is a statement
// of a trust policy (the assume-action facts are computed for those only).
func (fs *factSource) facts(st *policy.Statement, trust bool) ruleinput.StatementFacts {
	f := ruleinput.StatementFacts{
		BeyondNeed: []ruleinput.ActionExamples{}, ExtraReads: []ruleinput.ActionExamples{},
		UnknownActions: []ruleinput.UnknownAction{}, S3BeyondDestination: []ruleinput.S3Reach{},
		ForeignPartition: []ruleinput.PartitionOf{}, AssumePatterns: []ruleinput.AssumePattern{},
	}
	if trust {
		f.CoversAssume, f.AssumePatterns = fs.assumeFacts(st)
	}
	for _, a := range sortedUnique(st.Action) {
		if fs.needed[strings.ToLower(a)] || policy.IsUnknown(a) {
			continue
		}
		af := actionFactsOf(a)
		switch {
		case len(af.beyond) > 0:
			f.BeyondNeed = append(f.BeyondNeed, examplesOf(a, af.beyond))
		case len(af.reads) > 0:
			f.ExtraReads = append(f.ExtraReads, examplesOf(a, af.reads))
		}
	}
	seen := map[string]bool{}
	for _, list := range [][]string{st.Action, st.NotAction} {
		for _, a := range list {
			if seen[a] || policy.IsUnknown(a) {
				continue
			}
			seen[a] = true
			if af := actionFactsOf(a); af.unknown {
				f.UnknownActions = append(f.UnknownActions, ruleinput.UnknownAction{Action: a, Wildcard: af.wildcard, Closest: af.closest})
			}
		}
	}
	f.GrantsS3 = grantsS3(st)
	if f.GrantsS3 && len(fs.s3Probes) > 0 && !accountLevelOnly(st.Action) {
		for _, res := range uniqueInOrder(st.Resource) {
			if policy.IsUnknown(res) {
				continue
			}
			for _, p := range fs.s3Probes {
				if iam.MatchResource(res, p) != iam.True {
					continue
				}
				reach := "other_buckets"
				if strings.HasPrefix(p, "arn:aws:s3:::"+fs.bucket+"/") {
					reach = "outside_prefix"
				}
				f.S3BeyondDestination = append(f.S3BeyondDestination, ruleinput.S3Reach{Resource: res, Reaches: reach})
				break
			}
		}
	}
	for _, res := range uniqueInOrder(st.Resource) {
		if p, ok := policy.DefinitePartition(res); ok && p != fs.partition {
			f.ForeignPartition = append(f.ForeignPartition, ruleinput.PartitionOf{Resource: res, Partition: p})
		}
	}
	return f
}

// assumeFacts: which Action entries grant the vendor's assume action (and
// which other trust actions each also grants), and whether the statement's
// Action or NotAction covers the assume action at all.
func (fs *factSource) assumeFacts(st *policy.Statement) (bool, []ruleinput.AssumePattern) {
	patterns := []ruleinput.AssumePattern{}
	for _, a := range uniqueInOrder(st.Action) {
		pat := newLoweredAction(a)
		if !pat.matches(fs.assume) {
			continue
		}
		ap := ruleinput.AssumePattern{Action: a, AlsoGrants: []string{}}
		for _, o := range otherTrustActions {
			if pat.matches(o) {
				ap.AlsoGrants = append(ap.AlsoGrants, o.name)
			}
		}
		patterns = append(patterns, ap)
	}
	covers := len(patterns) > 0
	if st.NotAction != nil {
		listed := false
		for _, a := range st.NotAction {
			if newLoweredAction(a).matches(fs.assume) {
				listed = true
			}
		}
		covers = covers || !listed
	}
	return covers, patterns
}

func examplesOf(a string, ex []string) ruleinput.ActionExamples {
	return ruleinput.ActionExamples{Action: a, Examples: ex, OnlyItself: len(ex) == 1 && sameAction(ex[0], a)}
}

// grantsS3: an Allow that grants some S3 action, by "*", a pattern whose
// service prefix matches s3 (IAM wildcards, case-insensitive:
// reference_policies_elements_action.html), or NotAction.
func grantsS3(st *policy.Statement) bool {
	if st.Effect != policy.Allow {
		return false
	}
	if st.NotAction != nil {
		return true
	}
	for _, a := range st.Action {
		if a == "*" {
			return true
		}
		if svc, name, ok := strings.Cut(a, ":"); ok && !strings.Contains(name, ":") && serviceMatchesS3(svc) {
			return true
		}
	}
	return false
}

// serviceMatchesS3 matches a service prefix pattern against "s3": the
// pattern SVC:* matches the action pattern s3:* exactly when SVC matches
// s3, since "s3:*" has one colon and SVC none.
func serviceMatchesS3(svc string) bool {
	if !strings.ContainsAny(svc, "*?") {
		return strings.ToLower(svc) == "s3"
	}
	return iam.ActionMatches(svc+":*", "s3:*")
}

// actionMatches is iam.ActionMatches with two shortcuts that give the same
// answer without running the matcher (thousands of patterns, most of them
// plain names): a pattern without wildcards matches exactly the action
// equal to it case aside, and a pattern whose service prefix has no
// wildcard matches only actions of that service (its literal "svc:" must
// begin the action). loweredAction.matches takes them, on names folded
// once.
func actionMatches(pattern, action string) bool {
	return newLoweredAction(pattern).matches(newLoweredAction(action))
}

// accountLevelOnly: the Action list names only account-level S3 actions.
func accountLevelOnly(actions []string) bool {
	if len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		if !accountLevelS3[strings.ToLower(a)] {
			return false
		}
	}
	return true
}

// actionFacts are what one action pattern grants, independent of the
// setup: cached, as the same patterns recur across policies.
type actionFacts struct {
	beyond, reads []string // matched beyondNeedProbes / readProbes
	unknown       bool     // names no catalogued action of a catalogued service
	wildcard      bool
	closest       string
}

var (
	actionFactsCache sync.Map // pattern -> *actionFacts
	actionFactsCount atomic.Int64
)

const maxActionFacts = 1 << 16

func actionFactsOf(a string) *actionFacts {
	if v, ok := actionFactsCache.Load(a); ok {
		return v.(*actionFacts)
	}
	af := &actionFacts{wildcard: strings.ContainsAny(a, "*?")}
	pat := newLoweredAction(a)
	for _, p := range loweredBeyondNeedProbes {
		if pat.matches(p) {
			af.beyond = append(af.beyond, p.name)
		}
	}
	for _, p := range loweredReadProbes {
		if pat.matches(p) {
			af.reads = append(af.reads, p.name)
		}
	}
	if known, _ := engine.KnownAction(a); !known {
		af.unknown = true
		if !af.wildcard {
			af.closest, _ = engine.ClosestAction(a)
		}
	}
	if actionFactsCount.Load() < maxActionFacts {
		if _, loaded := actionFactsCache.LoadOrStore(a, af); !loaded {
			actionFactsCount.Add(1)
		}
	}
	return af
}

// loweredAction is an action or action pattern with its lower-case form
// and service prefix, folded once (strings.ToLower, as sameAction folds)
// rather than once per probe compared.
type loweredAction struct {
	name, lower, lowerService string
	hasService                bool // the name has a colon
}

func newLoweredAction(a string) loweredAction {
	la := strings.ToLower(a)
	svc, _, ok := strings.Cut(la, ":")
	return loweredAction{name: a, lower: la, lowerService: svc, hasService: ok}
}

func loweredAll(actions []string) []loweredAction {
	out := make([]loweredAction, len(actions))
	for i, a := range actions {
		out[i] = newLoweredAction(a)
	}
	return out
}

var (
	loweredBeyondNeedProbes = loweredAll(beyondNeedProbes)
	loweredReadProbes       = loweredAll(readProbes)
)

// matches reports whether the pattern pat matches action (actionMatches),
// with both folded in advance: the lower-case forms compare as sameAction
// compares, and the service prefix of a lower-case name is the lower-case
// service prefix (ToLower maps rune by rune and leaves ':' alone).
func (pat loweredAction) matches(action loweredAction) bool {
	pattern := pat.name
	if pattern == "*" {
		return true
	}
	if strings.ContainsRune(pattern, '\uFFFF') || strings.ContainsRune(action.name, '\uFFFF') {
		return false // unresolved: iam answers Maybe, never a match
	}
	if !strings.ContainsAny(pattern, "*?") {
		return pat.lower == action.lower
	}
	if pat.hasService && !strings.ContainsAny(pat.lowerService, "*?") {
		if !action.hasService || action.lowerService != pat.lowerService {
			return false
		}
	}
	return iam.ActionMatches(pattern, action.name)
}

func sortedUnique(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return compactStrings(out)
}

func compactStrings(v []string) []string {
	out := v[:0]
	for i, s := range v {
		if i == 0 || s != v[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func uniqueInOrder(v []string) []string {
	if len(v) < 2 {
		return v
	}
	seen := make(map[string]bool, len(v))
	out := make([]string, 0, len(v))
	for _, s := range v {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// sameAction compares action names (or service prefixes) without regard to
// case, folding as internal/iam's matcher does (strings.ToLower), so the
// facts agree with the evaluation core on every input, ASCII or not.
//
// ASCII names (all of AWS's) are compared byte by byte with A-Z folded, which
// is what ToLower does to them, without making lowercase copies: the copies
// were most of inferPrefix's time on a large account export.
func sameAction(a, b string) bool {
	if !isASCII(a) || !isASCII(b) {
		return strings.ToLower(a) == strings.ToLower(b) //nolint:staticcheck // SA6005: EqualFold folds differently from iam's ToLower
	}
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
