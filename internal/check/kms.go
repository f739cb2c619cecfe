package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

// kmsPlan is what SSE-KMS means for the vendor's upload: whether it
// applies, which key S3 will use, and what stops S3 from using it.
type kmsPlan struct {
	applies   bool
	keyARN    string // the key S3 will use, as an ARN when known
	ref       string // the key as the configuration or the bucket names it
	source    string // "config" | "bucket-default"
	bucketKey bool
	sendsKey  bool // the upload carries the key id header (configured key)
	// resolvedBy names the input that turned ref into keyARN
	// ("describe-key", "list-aliases", "") .
	resolvedBy string
	// unresolved is non-empty when the key cannot be known from the inputs
	// (a bare key id or an alias without describe-key / list-aliases
	// output): the KMS requests are unknown, and it says which command to run.
	unresolved string
	// refused is non-empty when S3 cannot use the key whatever the policies
	// say ("region", "state"); refusedWhy says why in words.
	refused, refusedWhy     string
	keyRegion, bucketRegion string
	keyAccount              string
	crossAccount            bool // key in another account than the caller
	file                    string
	line                    int
	grants                  []*load.GrantFacts
	// foreign are the key policies of other keys: a key policy applies to
	// its own key only (KMS "Key policies in AWS KMS"), and an input may
	// hold several keys (a template with two AWS::KMS::Key resources).
	foreign map[*policy.Document]bool
}

// foreignKeyPolicies are the key policies of the input's keys that are
// certainly not keyARN: both ARNs known and different, or ARNs of two
// different keys a template creates (policy.SameSymbol). A key policy whose
// key cannot be told (a get-key-policy file, which names no key) is kept.
func foreignKeyPolicies(in *load.Input, keyARN string) map[*policy.Document]bool {
	out := map[*policy.Document]bool{}
	for _, f := range in.Keys {
		if f.Policy == nil || f.ARN == "" {
			continue
		}
		known := !policy.IsUnknown(f.ARN) && !policy.IsUnknown(keyARN) && strings.HasPrefix(keyARN, "arn:")
		if same, ok := policy.SameSymbol(f.ARN, keyARN); ok && !same || known && f.ARN != keyARN {
			out[f.Policy] = true
		}
	}
	// When every key policy given is another key's, the key's own was not
	// given: the requests are unknown for want of it, never decided by
	// another key's policy.
	return out
}

// keyPolicies is the subject's key policies that may be the key's own.
func (k kmsPlan) keyPolicies(docs []*policy.Document) []*policy.Document {
	if len(k.foreign) == 0 {
		return docs
	}
	var out []*policy.Document
	for _, d := range docs {
		if !k.foreign[d] {
			out = append(out, d)
		}
	}
	return out
}

// kmsDetail is what the IAM core says about each part of a KMS request,
// so that kms-gap blames the policy that actually refuses it (input
// requests[].kms, rules/README.md).
type kmsDetail struct {
	keyPolicyDirect    iam.Decision // the key policy alone (no IAM delegation)
	keyPolicyDelegates iam.Decision // the key policy when IAM allows (direct or via an account principal)
	identity           iam.Decision // the caller's identity policies alone
	grant              string       // "allowed" | "maybe" | ""
	grantID            string
	grantNote          string // a grant for the caller that does not apply, and why
}

func isAliasRef(ref string) bool {
	if strings.HasPrefix(ref, "alias/") {
		return true
	}
	a, ok := policy.ParseARN(ref)
	return ok && a.ResourceType() == "alias"
}

// keyIDOf returns the key id of a key ARN or a bare key id ("" otherwise).
func keyIDOf(ref string) string {
	if a, ok := policy.ParseARN(ref); ok && a.ResourceType() == "key" {
		return strings.TrimPrefix(a.Resource, "key/")
	}
	if ref != "" && !strings.ContainsAny(ref, ":/") {
		return ref
	}
	return ""
}

// kmsFor decides whether SSE-KMS applies and which key S3 will use: the
// configured key (sent in the upload headers), else the bucket's default
// encryption key when it is a customer managed key.
//
// KMSMasterKeyID may be a key id, a key ARN, an alias name or an alias ARN
// (API_ServerSideEncryptionByDefault; S3 "Specifying server-side encryption
// with AWS KMS"). A key ARN names its key. A bare key id is resolved through
// kms describe-key output, an alias through kms list-aliases output (an
// alias is resolved in the requester's account); without them the key, and
// so whether it is the AWS managed aws/s3 key, is not known and the KMS
// requests are unknown, never a confident refusal.
func kmsFor(in *load.Input, setup *config.Setup, caller iam.Caller) kmsPlan {
	var enc *load.BucketFacts
	bucketRegion := ""
	for _, f := range in.Buckets {
		if f.Name != "" && f.Name != setup.Bucket {
			continue
		}
		if enc == nil && f.SSEAlgorithm != "" {
			enc = f
		}
		if bucketRegion == "" && f.Region != "" && !policy.IsUnknown(f.Region) {
			bucketRegion = f.Region
		}
	}
	if bucketRegion == "" {
		bucketRegion = setup.Region
	}
	// Which key applies is the request model's choice, shared with
	// simulate (requestmodel.UploadKeyRef).
	sse, masterKey := "", ""
	if enc != nil {
		sse, masterKey = enc.SSEAlgorithm, enc.KMSMasterKeyID
	}
	ref, source := requestmodel.UploadKeyRef(setup.KMSKeyARN, sse, masterKey)
	if ref == "" {
		return kmsPlan{}
	}
	k := kmsPlan{applies: true, ref: ref, source: source, sendsKey: source == "config"}
	if enc != nil {
		k.bucketKey = enc.BucketKeyEnabled
		k.file, k.line = enc.File, enc.Line
	}
	k.bucketRegion = bucketRegion
	k.keyARN = k.ref
	k.foreign = foreignKeyPolicies(in, k.keyARN)
	if policy.IsUnknown(k.ref) {
		// A plan value known after apply: evaluated as an unknown key.
		return k
	}
	switch {
	case isAliasRef(k.ref):
		resolveAlias(in, &k, caller)
	case keyIDOf(k.ref) == k.ref:
		resolveKeyID(in, &k)
	}
	if k.unresolved != "" {
		k.keyARN = policy.UnknownValue(k.unresolved)
		return k
	}
	var facts *load.KeyFacts
	for _, f := range in.Keys {
		if (f.ARN != "" && f.ARN == k.keyARN) || (f.ARN == "" && f.KeyID != "" && f.KeyID == keyIDOf(k.keyARN)) {
			facts = f
			break
		}
	}
	// The aws/s3 key named by its key id or ARN rather than its alias
	// (describe-key says KeyManager AWS): the same key policy as above, so
	// nothing to check.
	if facts != nil && facts.KeyManager == "AWS" {
		return kmsPlan{}
	}
	if a, ok := policy.ParseARN(k.keyARN); ok {
		k.keyRegion, k.keyAccount = a.Region, a.Account
	}
	if facts != nil && k.keyRegion == "" {
		k.keyRegion, k.keyAccount = facts.Region, facts.Account
	}
	// "The AWS KMS key must be in the same Region as the bucket" (S3
	// "Specifying server-side encryption with AWS KMS"): S3 cannot use it.
	if k.keyRegion != "" && k.bucketRegion != "" && !policy.IsUnknown(k.keyRegion) && k.keyRegion != k.bucketRegion {
		k.refused = "region"
		k.refusedWhy = fmt.Sprintf("the KMS key is in %s but the bucket is in %s: S3 uses only KMS keys in the bucket's own Region", k.keyRegion, k.bucketRegion)
	}
	// A key that is not enabled cannot be used in cryptographic operations
	// (KMS "Key states of AWS KMS keys").
	if facts != nil && facts.KeyState != "" && facts.KeyState != "Enabled" && k.refused == "" {
		k.refused = "state"
		k.refusedWhy = fmt.Sprintf("the KMS key's state is %s (kms describe-key): KMS refuses cryptographic operations with a key that is not Enabled", facts.KeyState)
	}
	if k.keyAccount != "" && policy.IsAccountID(caller.Account) && k.keyAccount != caller.Account {
		k.crossAccount = true
	}
	for _, g := range in.Grants {
		if grantForKey(g, k.keyARN) != iam.False {
			k.grants = append(k.grants, g)
		}
	}
	k.foreign = foreignKeyPolicies(in, k.keyARN)
	return k
}

// resolveKeyID turns a bare key id into the key's ARN with kms describe-key
// (or a list-aliases entry that targets it, whose alias ARN gives the
// Region and account). S3 resolves a bare id in the bucket owner's account
// and Region, but only describe-key says whether it is a customer managed
// key, which decides which key policy applies.
func resolveKeyID(in *load.Input, k *kmsPlan) {
	for _, f := range in.Keys {
		if f.KeyID == k.ref && f.ARN != "" && !policy.IsUnknown(f.ARN) {
			k.keyARN, k.resolvedBy = f.ARN, "describe-key"
			return
		}
	}
	k.unresolved = fmt.Sprintf("the bucket's default encryption names the KMS key by its bare key id %s; which key that is (and whether it is customer managed) needs its kms describe-key output: aws kms describe-key --key-id %s", k.ref, k.ref)
	if k.source == "config" {
		k.unresolved = fmt.Sprintf("the configured KMS key is the bare key id %s; give its kms describe-key output (aws kms describe-key --key-id %s) or configure the key ARN", k.ref, k.ref)
	}
}

// resolveAlias resolves an alias name or alias ARN through kms list-aliases:
// the alias must be in the requester's account (an alias in KMSMasterKeyID
// "resolves the key within the requester's account"); its TargetKeyId and
// the alias ARN's Region and account give the key ARN.
func resolveAlias(in *load.Input, k *kmsPlan, caller iam.Caller) {
	var hit *load.AliasFacts
	for _, a := range in.Aliases {
		if a.ARN == k.ref || (strings.HasPrefix(k.ref, "alias/") && a.Name == k.ref &&
			(a.Account == "" || !policy.IsAccountID(caller.Account) || a.Account == caller.Account)) {
			hit = a
			break
		}
	}
	if hit == nil {
		k.unresolved = fmt.Sprintf("the KMS key is named by the alias %s; which key it points to needs kms list-aliases output from the role's account: aws kms list-aliases", k.ref)
		return
	}
	if hit.TargetKeyID == "" {
		k.unresolved = fmt.Sprintf("the alias %s (%s:%d) points to no key in the list-aliases output", k.ref, hit.File, hit.Line)
		return
	}
	if hit.Region == "" || hit.Account == "" {
		k.ref = hit.TargetKeyID
		resolveKeyID(in, k)
		return
	}
	alias, _ := policy.ParseARN(hit.ARN)
	k.keyARN = policy.ARN{Partition: alias.Partition, Service: "kms", Region: hit.Region, Account: hit.Account, Resource: "key/" + hit.TargetKeyID}.String()
	k.resolvedBy = "list-aliases"
}

// grantForKey: whether a grant's KeyId names the key (list-grants prints the
// key ARN; aws_kms_grant may hold a key id).
func grantForKey(g *load.GrantFacts, keyARN string) iam.Tri {
	if policy.IsUnknown(g.KeyID) || policy.IsUnknown(keyARN) {
		return iam.Maybe
	}
	if g.KeyID == keyARN || (keyIDOf(g.KeyID) != "" && keyIDOf(g.KeyID) == keyIDOf(keyARN)) {
		return iam.True
	}
	return iam.False
}

// allowAll stands for "every other policy allows": evaluated beside the
// real documents, it leaves only their denies, the boundary and the SCPs to
// decide (what a grant cannot override).
var allowAll = &policy.Document{Kind: policy.Identity, Version: policy.Version2012, Name: "(grant)",
	Statements: []*policy.Statement{{Effect: policy.Allow, Action: []string{"*"}, Resource: []string{"*"}}}}

func (ev *evaluator) kmsCall(s *subject, p *plan, call requestmodel.Call) RequestResult {
	k := p.kms
	keys := k.keyPolicies(s.key)
	rr := RequestResult{ID: call.ID, Action: call.Action, Resource: k.keyARN, Principal: p.caller.ARN}
	if k.unresolved != "" {
		rr.Decision = string(iam.Unknown)
		rr.explain(reason(ReasonKeyUnresolved, kindKey, k.unresolved))
		return rr
	}
	if k.refused != "" {
		rr.Decision = string(iam.ImplicitDeny)
		rr.explain(reason(ReasonKeyRefused, kindKey, k.refusedWhy))
		return rr
	}
	bucketARN := "arn:aws:s3:::" + p.bucket
	region := k.bucketRegion
	if region == "" {
		region = p.region
	}
	encContext := objectARN(p.bucket, p.prefix)
	if k.bucketKey {
		encContext = bucketARN
	}
	req := iam.Request{
		Action:   call.Action,
		Resource: k.keyARN,
		Caller:   p.caller,
		Context: requestmodel.AbsentUnlessCarried(requestmodel.KMSContext(p.facts, region,
			objectARN(p.bucket, p.prefix), bucketARN, k.bucketKey, ev.now), call.Action),
	}
	grant, g, grantWhy, note := ev.kmsGrant(s, p, call, req, encContext)
	if len(keys) == 0 {
		rr.Decision = string(iam.Unknown)
		rr.explain(reason(ReasonMissingDocument, iam.KindDocument, "SSE-KMS applies but no key policy was given (kms get-key-policy)"))
		return rr
	}
	// Same account: the key policy must allow the caller, directly or by
	// delegating to IAM through the account principal
	// (key-policy-default.html). Across accounts both the key policy and
	// the caller's identity policy must allow ("Allowing users in other
	// accounts to use a KMS key": "Neither the key policy nor the IAM policy
	// alone is sufficient").
	mode := iam.ResourceMustAllow
	if k.crossAccount {
		mode = iam.CrossAccount
	}
	set := iam.PolicySet{Identity: s.identity, Resource: keys, Boundary: s.boundary, Mode: mode}
	s.withSCPs(&set)
	res, trace := s.evaluateTraced(req, set)
	rr = fill(rr, res)
	rr.Trace = trace
	rr.kms = &kmsDetail{
		keyPolicyDirect:    iam.Evaluate(req, iam.PolicySet{Resource: keys, Mode: iam.ResourceMustAllow}).Decision,
		keyPolicyDelegates: iam.Evaluate(req, iam.PolicySet{Resource: keys, Mode: iam.ResourceMustAllow, IdentityOutsideView: true}).Decision,
		identity:           s.evaluate(req, s.withSCPsSet(iam.PolicySet{Identity: s.identity, Boundary: s.boundary, Mode: iam.SameAccount})).Decision,
	}
	rr.kms.grantNote = note
	if g != nil {
		rr.kms.grantID = g.GrantID
		if rr.kms.grantID == "" {
			rr.kms.grantID = g.Name
		}
	}
	switch grant {
	case iam.True:
		rr.kms.grant = string(iam.Allowed)
	case iam.Maybe:
		rr.kms.grant = "maybe"
	}
	// A grant allows on its own ("Grants in AWS KMS"), but never over an
	// explicit deny, the boundary or the SCPs.
	if res.Decision == iam.Allowed || res.Decision == iam.ExplicitDeny || grant == iam.False {
		return rr
	}
	if grant == iam.True {
		rr.Decision = string(iam.Allowed)
		rr.explain()
		rr.Because = []Because{{File: g.File, Line: g.Line, Sid: rr.kms.grantID, Effect: "Allow", Kind: "grant", Name: "KMS grant " + rr.kms.grantID}}
		return rr
	}
	if res.Decision == iam.ImplicitDeny {
		rr.Decision = string(iam.Unknown)
	}
	rr.addReason(reason(ReasonGrant, kindGrant, grantWhy))
	return rr
}

// kmsGrant decides whether a grant lets the caller make the call: the
// grant names the key, the caller (its role or user ARN; an account
// grantee delegates to the account's IAM policies), the operation, and its
// encryption-context constraint holds for the context S3 sends
// ({"aws:s3:arn": object ARN}, or the bucket ARN with Bucket Keys;
// UsingKMSEncryption.html, bucket-key.html). The answer is then limited by
// every deny, the boundary and the SCPs.
func (ev *evaluator) kmsGrant(s *subject, p *plan, call requestmodel.Call, req iam.Request, encContext string) (iam.Tri, *load.GrantFacts, string, string) {
	keys := p.kms.keyPolicies(s.key)
	op := strings.TrimPrefix(call.Action, "kms:")
	best, why, note := iam.False, "", ""
	var bestGrant *load.GrantFacts
	for _, g := range p.kms.grants {
		t := grantForKey(g, p.kms.keyARN)
		hasOp := false
		for _, o := range g.Operations {
			if o == op {
				hasOp = true
			}
		}
		if !hasOp {
			continue
		}
		t = and(t, ev.granteeMatch(s, p, g.Grantee, req))
		if t != iam.False && constraintHolds(g, encContext) == iam.False && note == "" {
			note = fmt.Sprintf("KMS grant %s (%s:%d) for %s does not apply: its %s constraint %s does not hold for the encryption context S3 sends (aws:s3:arn = %s)",
				grantLabel(g), g.File, g.Line, g.Grantee, g.Constraint, contextText(g.Context), displayARN(encContext))
		}
		t = and(t, constraintHolds(g, encContext))
		if t == iam.False {
			continue
		}
		if p.kms.crossAccount {
			// Whether a grant to a principal in another account needs an
			// IAM policy there as well is not stated by the KMS docs that
			// smlint follows: it counts only when the identity policy
			// allows too.
			id := iam.Evaluate(req, iam.PolicySet{Identity: s.identity, Mode: iam.SameAccount}).Decision
			t = and(t, decisionTri(id))
		}
		guard := s.evaluate(req, s.withSCPsSet(iam.PolicySet{Identity: append(append([]*policy.Document{}, s.identity...), allowAll),
			Resource: keys, Boundary: s.boundary, Mode: iam.SameAccount})).Decision
		t = and(t, decisionTri(guard))
		if t == iam.True || (t == iam.Maybe && best == iam.False) {
			best, bestGrant = t, g
			why = fmt.Sprintf("KMS grant %s (%s:%d) may allow %s: its grantee, key, constraint or the policies limiting it cannot all be decided", g.GrantID, g.File, g.Line, call.Action)
		}
		if best == iam.True {
			break
		}
	}
	return best, bestGrant, why, note
}

func grantLabel(g *load.GrantFacts) string {
	if g.Name != "" && !policy.IsUnknown(g.Name) {
		return g.Name
	}
	return g.GrantID
}

func contextText(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ", ") + "}"
}

// displayARN prints the any-file-name marker as "*".
func displayARN(s string) string { return strings.ReplaceAll(s, iam.AnyKey, "*") }

func (ev *evaluator) granteeMatch(s *subject, p *plan, grantee string, req iam.Request) iam.Tri {
	switch {
	case policy.IsUnknown(grantee) || policy.IsUnknown(p.caller.ARN):
		return iam.Maybe
	case grantee == p.caller.ARN:
		return iam.True
	case grantee == p.caller.Account || grantee == "arn:aws:iam::"+p.caller.Account+":root":
		// A grant to the account: its IAM policies say who may use it.
		return decisionTri(iam.Evaluate(req, iam.PolicySet{Identity: s.identity, Mode: iam.SameAccount}).Decision)
	case p.caller.Type == iam.RoleSession && strings.HasPrefix(grantee, "arn:aws:sts::"+p.caller.Account+":assumed-role/"+roleName(p.caller.ARN)+"/"):
		// A grant to one session: the vendor's session name is not known.
		return iam.Maybe
	}
	return iam.False
}

func roleName(arn string) string {
	a, _ := policy.ParseARN(arn)
	return a.Name()
}

// constraintHolds: EncryptionContextEquals needs exactly the pairs of the
// constraint, EncryptionContextSubset at least them, each "an exact,
// case-sensitive match" (KMS "Grants in AWS KMS"). S3's context holds the
// one pair aws:s3:arn.
func constraintHolds(g *load.GrantFacts, encContext string) iam.Tri {
	switch g.Constraint {
	case "":
		return iam.True
	case "EncryptionContextEquals":
		if len(g.Context) != 1 {
			return iam.False
		}
	}
	t := iam.True
	for key, v := range g.Context {
		if key != "aws:s3:arn" {
			return iam.False
		}
		t = and(t, iam.ValueEquals(v, encContext))
	}
	return t
}

func decisionTri(d iam.Decision) iam.Tri {
	switch d {
	case iam.Allowed:
		return iam.True
	case iam.Unknown:
		return iam.Maybe
	}
	return iam.False
}

func and(a, b iam.Tri) iam.Tri {
	if a == iam.False || b == iam.False {
		return iam.False
	}
	if a == iam.Maybe || b == iam.Maybe {
		return iam.Maybe
	}
	return iam.True
}

// kmsUnresolved is the unresolved-value entry of a key the inputs cannot
// name (rule unresolved-value says which command to run).
func kmsUnresolved(k kmsPlan) ruleinput.Unresolved {
	return ruleinput.Unresolved{File: k.file, Line: k.line,
		What: "the KMS key " + k.ref, Reason: k.unresolved}
}

func kmsDetailInput(d *kmsDetail) *ruleinput.KMSDetail {
	return &ruleinput.KMSDetail{
		KeyPolicyDirect: string(d.keyPolicyDirect), KeyPolicyDelegates: string(d.keyPolicyDelegates),
		Identity: string(d.identity), Grant: d.grant, GrantID: d.grantID, GrantNote: d.grantNote,
	}
}

// waitsOn reports whether some request is undecided for the given reason.
func waitsOn(reqs []RequestResult, reason string) bool {
	for _, r := range reqs {
		for _, why := range r.Reasons {
			if why == reason {
				return true
			}
		}
	}
	return false
}
