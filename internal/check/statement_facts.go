package check

import (
	"sort"
	"strings"
	"sync"

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
var otherTrustActions = probeActions([]string{
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
	needed    []string    // the actions the vendor calls
	assume    probeAction // the vendor's assume action (sts:AssumeRole)
	partition string      // the vendor's partition
	bucket    string
	// s3Probes: ARNs just outside the destination, sorted (the rule took
	// the first one a resource reaches, in this order, for its message).
	s3Probes []string
	// seen is this worker's own map of the action facts it has looked up,
	// in front of the process's cache (actionFactsOf), so that the workers
	// preparing documents take no lock for the patterns they have seen;
	// nil: none (forWorker makes one).
	seen map[string]*actionFacts
}

// forWorker is fs for one goroutine: fs with a map of its own in front of
// the shared action-facts cache.
func (fs *factSource) forWorker() *factSource {
	w := *fs
	w.seen = map[string]*actionFacts{}
	return &w
}

// actionFacts is actionFactsOf through the worker's own map.
func (fs *factSource) actionFacts(a string) *actionFacts {
	if af, ok := fs.seen[a]; ok {
		return af
	}
	af := actionFactsOf(a)
	if fs.seen != nil {
		fs.seen[a] = af
	}
	return af
}

func newFactSource(setup *config.Setup, prof *requestmodel.Profile) *factSource {
	fs := &factSource{assume: newProbeAction(prof.AssumeAction), partition: prof.Partition, bucket: setup.Bucket}
	for _, calls := range [][]requestmodel.Call{prof.Calls, prof.KMSCalls} {
		for _, c := range calls {
			fs.needed = append(fs.needed, c.Action)
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
	// Unknown actions in the order written (Action, then NotAction), each
	// once; the Action patterns beyond the need sorted by name.
	type grant struct {
		action string
		facts  *actionFacts
	}
	var granted []grant
	var seen stringSet
	for i, list := range [][]string{st.Action, st.NotAction} {
		for _, a := range list {
			if policy.IsUnknown(a) || !seen.add(a) {
				continue
			}
			af := fs.actionFacts(a)
			if af.unknown {
				f.UnknownActions = append(f.UnknownActions, ruleinput.UnknownAction{Action: a, Wildcard: af.wildcard, Closest: af.closest})
			}
			if i == 0 && (len(af.beyond) > 0 || len(af.reads) > 0) && !fs.needs(a) {
				granted = append(granted, grant{a, af})
			}
		}
	}
	sort.Slice(granted, func(i, j int) bool { return granted[i].action < granted[j].action })
	for _, g := range granted {
		switch {
		case len(g.facts.beyond) > 0:
			f.BeyondNeed = append(f.BeyondNeed, examplesOf(g.action, g.facts.beyond))
		case len(g.facts.reads) > 0:
			f.ExtraReads = append(f.ExtraReads, examplesOf(g.action, g.facts.reads))
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

// needs reports whether the vendor calls the action a names (case aside).
func (fs *factSource) needs(a string) bool {
	for _, n := range fs.needed {
		if sameAction(a, n) {
			return true
		}
	}
	return false
}

// stringSet is the set of the few strings of one statement: searched while
// small, hashed when large (an Action list of a thousand names).
type stringSet struct {
	list []string
	m    map[string]bool
}

// add adds v and reports whether it was new.
func (s *stringSet) add(v string) bool {
	if s.m != nil {
		if s.m[v] {
			return false
		}
		s.m[v] = true
		return true
	}
	for _, x := range s.list {
		if x == v {
			return false
		}
	}
	s.list = append(s.list, v)
	if len(s.list) > 16 {
		s.m = make(map[string]bool, 2*len(s.list))
		for _, x := range s.list {
			s.m[x] = true
		}
	}
	return true
}

// assumeFacts: which Action entries grant the vendor's assume action (and
// which other trust actions each also grants), and whether the statement's
// Action or NotAction covers the assume action at all.
func (fs *factSource) assumeFacts(st *policy.Statement) (bool, []ruleinput.AssumePattern) {
	patterns := []ruleinput.AssumePattern{}
	for _, a := range uniqueInOrder(st.Action) {
		pat := parseActionPattern(a)
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
			if patternMatches(a, fs.assume) {
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
		return sameAction(svc, "s3")
	}
	return iam.ActionMatches(svc+":*", "s3:*")
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

// actionFactsCache holds the facts of each action pattern seen in the
// process, up to maxActionFacts patterns. A map under a read-write lock:
// the documents are prepared on every core, and sync.Map's lookups (an
// interface key hashed and compared) cost more than the lock on two.
var actionFactsCache struct {
	sync.RWMutex
	m map[string]*actionFacts
}

const maxActionFacts = 1 << 16

func actionFactsOf(a string) *actionFacts {
	actionFactsCache.RLock()
	af, ok := actionFactsCache.m[a]
	actionFactsCache.RUnlock()
	if ok {
		return af
	}
	af = computeActionFacts(a)
	actionFactsCache.Lock()
	if actionFactsCache.m == nil {
		actionFactsCache.m = map[string]*actionFacts{}
	}
	if len(actionFactsCache.m) < maxActionFacts {
		actionFactsCache.m[a] = af
	}
	actionFactsCache.Unlock()
	return af
}

func computeActionFacts(a string) *actionFacts {
	pat := parseActionPattern(a)
	af := &actionFacts{wildcard: pat.wildcard}
	for _, p := range beyondNeedProbeActions {
		if pat.matches(p) {
			af.beyond = append(af.beyond, p.name)
		}
	}
	for _, p := range readProbeActions {
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
	return af
}

// probeAction is an action the facts test patterns against, its service
// prefix split off once.
type probeAction struct {
	name, service string
	hasService    bool // the name has a colon
	unresolved    bool // the name holds an unresolved value's marker
}

func newProbeAction(a string) probeAction {
	svc, _, ok := strings.Cut(a, ":")
	return probeAction{name: a, service: svc, hasService: ok, unresolved: strings.ContainsRune(a, '\uFFFF')}
}

func probeActions(actions []string) []probeAction {
	out := make([]probeAction, len(actions))
	for i, a := range actions {
		out[i] = newProbeAction(a)
	}
	return out
}

var (
	beyondNeedProbeActions = probeActions(beyondNeedProbes)
	readProbeActions       = probeActions(readProbes)
)

// actionPattern is an Action entry as written, with what matching it
// against many actions needs worked out once.
type actionPattern struct {
	text, service   string
	hasService      bool // the pattern has a colon
	wildcard        bool // * or ? anywhere
	serviceWildcard bool // * or ? in the service prefix
	unresolved      bool // holds an unresolved value's marker
}

func parseActionPattern(a string) actionPattern {
	svc, _, ok := strings.Cut(a, ":")
	return actionPattern{text: a, service: svc, hasService: ok, wildcard: strings.ContainsAny(a, "*?"),
		serviceWildcard: strings.ContainsAny(svc, "*?"), unresolved: strings.ContainsRune(a, '\uFFFF')}
}

// matches reports whether the pattern matches action: iam.ActionMatches's
// answer, with two shortcuts that need no matcher (thousands of patterns,
// most of them plain names). A pattern without wildcards matches exactly
// the action equal to it case aside; a pattern whose service prefix has
// no wildcard matches only actions of that service
// (reference_policies_elements_action.html: names and prefixes are not
// case-sensitive). Names are compared with sameAction, which folds as
// iam's matcher does, without lower-case copies.
func (p actionPattern) matches(action probeAction) bool {
	if p.text == "*" {
		return true
	}
	if p.unresolved || action.unresolved {
		return false // unresolved: iam answers Maybe, never a match
	}
	if firstLetterDiffers(p.text, action.name) {
		return false
	}
	if !p.wildcard {
		return sameAction(p.text, action.name)
	}
	if p.hasService && !p.serviceWildcard {
		if !action.hasService || !sameAction(p.service, action.service) {
			return false
		}
	}
	return iam.ActionMatches(p.text, action.name)
}

// patternMatches is actionPattern.matches for a pattern matched once.
func patternMatches(pattern string, action probeAction) bool {
	if firstLetterDiffers(pattern, action.name) {
		return false
	}
	return parseActionPattern(pattern).matches(action)
}

// firstLetterDiffers: the pattern begins with an ASCII character that is
// not a wildcard and differs, case aside, from the action's first
// character, so it cannot match (most patterns against a given action;
// deciding it needs no parsing). Anything else is left to the matcher.
func firstLetterDiffers(pattern, action string) bool {
	if pattern == "" || action == "" {
		return false
	}
	p, a := pattern[0], action[0]
	if p >= 0x80 || a >= 0x80 || p == '*' || p == '?' {
		return false
	}
	return lowerASCII(p) != lowerASCII(a)
}

func uniqueInOrder(v []string) []string {
	if len(v) < 2 {
		return v
	}
	var seen stringSet
	out := make([]string, 0, len(v))
	for _, s := range v {
		if seen.add(s) {
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
