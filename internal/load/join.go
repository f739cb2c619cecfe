package load

import (
	"slices"

	"github.com/smlint/smlint/internal/policy"
)

// join merges what separate files say about the same thing, after all files
// are loaded in path order:
//   - principals of the same type and name (get-role plus get-role-policy
//     files, or an account export plus extra CLI files) become one, unless
//     their accounts or ARNs disagree; principals from Terraform or
//     CloudFormation (with an Address) are left alone;
//   - bucket facts without a bucket name (get-bucket-encryption and
//     get-bucket-location carry none) become one when they do not disagree;
//   - the inline-policy size quota of each role and user is applied to its
//     inline policies together.
func join(in *Input) {
	pairVersions(in)
	in.Principals = joinPrincipals(in.Principals)
	in.Buckets = joinBuckets(in.Buckets)
	for _, p := range in.Principals {
		if p.Address != "" {
			continue
		}
		var inline []*policy.Document
		for _, d := range p.Identity {
			if d.Origin == policy.OriginInline {
				inline = append(inline, d)
			}
		}
		switch p.Type {
		case "role":
			policy.CheckQuota(policy.QuotaRoleInline, true, inline...)
		case "user":
			policy.CheckQuota(policy.QuotaUserInline, true, inline...)
		}
	}
}

// pairVersions names the managed policy of a get-policy-version output (which
// carries no ARN) when the run holds exactly one iam get-policy output whose
// DefaultVersionId is that version and no other version file has the same
// id. Version ids repeat across policies (every policy has a v1), so an
// ambiguous pairing is left unmade.
func pairVersions(in *Input) {
	byID := map[string][]*PolicyVersion{}
	for _, v := range in.Versions {
		if v.Doc.ARN == "" && v.VersionID != "" {
			byID[v.VersionID] = append(byID[v.VersionID], v)
		}
	}
	for id, vs := range byID {
		var cands []ManagedPolicyInfo
		seen := map[string]bool{}
		for _, mp := range in.ManagedPolicies {
			if mp.DefaultVersionID == id && !seen[mp.ARN] {
				seen[mp.ARN] = true
				cands = append(cands, mp)
			}
		}
		if len(vs) != 1 || len(cands) != 1 {
			continue
		}
		d := vs[0].Doc
		d.ARN = cands[0].ARN
		d.AWSManaged = policy.IsAWSManagedARN(d.ARN)
		d.Name = "managed policy " + d.ARN + " (version " + id + ")"
	}
}

func compatible(a, b string) bool { return a == "" || b == "" || a == b }

func joinPrincipals(ps []*Principal) []*Principal {
	if len(ps) < 2 {
		return ps
	}
	type key struct{ typ, name string }
	byKey := map[key][]*Principal{}
	out := ps[:0:0]
	for _, p := range ps {
		if p.Address != "" || p.Name == "" || policy.IsUnknown(p.Name) {
			out = append(out, p)
			continue
		}
		k := key{p.Type, p.Name}
		var into *Principal
		for _, q := range byKey[k] {
			if compatible(q.Account, p.Account) && compatible(q.ARN, p.ARN) {
				into = q
				break
			}
		}
		if into == nil {
			byKey[k] = append(byKey[k], p)
			out = append(out, p)
			continue
		}
		mergePrincipal(into, p)
	}
	return out
}

func mergePrincipal(p, q *Principal) {
	if p.Trust == nil && q.Trust != nil {
		// The file that holds the role itself (get-role, an export) is the
		// one to point at.
		p.Trust, p.File, p.Line = q.Trust, q.File, q.Line
	}
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&p.ARN, q.ARN)
	fill(&p.Account, q.Account)
	fill(&p.ID, q.ID)
	if p.BoundaryARN == "" {
		p.BoundaryARN, p.BoundaryLine = q.BoundaryARN, q.BoundaryLine
	}
	if p.Boundary == nil {
		p.Boundary = q.Boundary
	}
	names := map[string]bool{}
	for _, d := range p.Identity {
		if d.Name != "" {
			names[d.Name] = true
		}
	}
	for _, d := range q.Identity {
		if d.Name != "" && names[d.Name] {
			continue // the same inline or managed policy read twice
		}
		p.Identity = append(p.Identity, d)
	}
	p.MissingPolicies = union(p.MissingPolicies, q.MissingPolicies)
	p.AttachedPolicies = union(p.AttachedPolicies, q.AttachedPolicies)
	p.Groups = union(p.Groups, q.Groups)
	p.AccessKeyIDs = union(p.AccessKeyIDs, q.AccessKeyIDs)
	p.AccessKeys = mergeAccessKeys(p.AccessKeys, q.AccessKeys)
	p.AccessKeysListed = p.AccessKeysListed || q.AccessKeysListed
	p.Complete = p.Complete || q.Complete
	if !p.TagsKnown && q.TagsKnown {
		p.Tags, p.TagsKnown = q.Tags, true
	}
}

// union appends to a the strings of b it does not hold.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func joinBuckets(bs []*BucketFacts) []*BucketFacts {
	var out []*BucketFacts
	var nameless *BucketFacts
	for _, b := range bs {
		if b.Name != "" || nameless == nil || !mergeBucket(nameless, b) {
			out = append(out, b)
			if b.Name == "" && nameless == nil {
				nameless = b
			}
		}
	}
	return out
}

// mergeBucket copies b's facts into a when none disagrees; it reports
// whether it did.
func mergeBucket(a, b *BucketFacts) bool {
	if !compatible(a.Region, b.Region) || !compatible(a.SSEAlgorithm, b.SSEAlgorithm) ||
		!compatible(a.KMSMasterKeyID, b.KMSMasterKeyID) || (a.SSEAlgorithm != "" && b.SSEAlgorithm != "" && a.BucketKeyEnabled != b.BucketKeyEnabled) {
		return false
	}
	if a.Region == "" {
		a.Region = b.Region
	}
	if a.SSEAlgorithm == "" && b.SSEAlgorithm != "" {
		a.SSEAlgorithm, a.KMSMasterKeyID, a.BucketKeyEnabled = b.SSEAlgorithm, b.KMSMasterKeyID, b.BucketKeyEnabled
		a.File, a.Line = b.File, b.Line
	}
	return true
}

// mergeAccessKeys joins two views of a user's keys: a listing and the
// last-used answers. A last-used answer without a key id belongs to the
// user's only key.
func mergeAccessKeys(a, b []AccessKey) []AccessKey {
	out := append([]AccessKey(nil), a...)
	for _, k := range b {
		i := -1
		for j := range out {
			if out[j].ID == k.ID || (k.ID == "" && len(out) == 1) || (out[j].ID == "" && len(b) == 1) {
				i = j
				break
			}
		}
		if i < 0 {
			out = append(out, k)
			continue
		}
		m := &out[i]
		if m.ID == "" {
			m.ID = k.ID
		}
		if m.Status == "" {
			m.Status = k.Status
		}
		if m.CreateDate == "" {
			m.CreateDate = k.CreateDate
		}
		if k.LastUsedKnown {
			m.LastUsedDate, m.LastUsedKnown = k.LastUsedDate, true
		}
	}
	return out
}
