package awscli

import (
	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// `aws iam get-account-authorization-details` (API_GetAccountAuthorizationDetails.html;
// IAM-FACTS §5.3): every role and user becomes a Principal with its trust
// policy, inline policies, attached managed policies (default version only),
// group policies (users) and permissions boundary. Managed policies are
// indexed by ARN once, and each is parsed at most once however many
// principals attach it.

func detectAccountExport(root *tree.Node) bool {
	if root.Kind != tree.Object {
		return false
	}
	for _, k := range []string{"RoleDetailList", "UserDetailList", "GroupDetailList"} {
		if n := root.Get(k); n != nil && (n.Kind == tree.Array || n.Kind == tree.Null) {
			return true
		}
	}
	if ps := root.Get("Policies"); ps != nil && ps.Kind == tree.Array {
		for _, p := range ps.Items {
			if p.Get("PolicyVersionList") != nil {
				return true
			}
		}
	}
	return false
}

type accountExport struct {
	b        *input.Builder
	policies map[string]*managedPolicy // by ARN
	groups   map[string]*group         // by name
}

type managedPolicy struct {
	arn, name string
	node      *tree.Node // the Policies[] entry
	parsed    bool
	doc       *policy.Document // default version, as an identity policy
	boundary  *policy.Document // the same document read as a permissions boundary
}

type group struct {
	name     string
	inline   []*policy.Document
	attached []string
}

// list returns the items of an array member; null and absent give none,
// another type is reported.
func (a *accountExport) list(n *tree.Node, key string) []*tree.Node {
	items, bad := listOf(n, key)
	if bad != nil {
		a.b.Errorf(bad.Line, "%s is %s, want an array", key, bad.Kind)
	}
	return items
}

// listOf returns the items of an array member, or the member when it is
// neither an array, an object, null nor absent.
func listOf(n *tree.Node, key string) (items []*tree.Node, bad *tree.Node) {
	v := n.Get(key)
	switch {
	case v == nil || v.Kind == tree.Null:
		return nil, nil
	case v.Kind == tree.Array:
		return v.Items, nil
	case v.Kind == tree.Object:
		// The CLI documentation's own example shows a group's
		// AttachedManagedPolicies as a single object; tolerate it.
		return []*tree.Node{v}, nil
	}
	return nil, v
}

func loadAccountExport(root *tree.Node, b *input.Builder) {
	a := &accountExport{b: b, policies: map[string]*managedPolicy{}, groups: map[string]*group{}}
	for _, p := range a.list(root, "Policies") {
		if !input.IsObject(p) {
			b.Errorf(p.Line, "policy entry is %s, want an object", p.Kind)
			continue
		}
		arn := input.Str(p, "Arn")
		if arn == "" {
			b.Errorf(p.Line, "managed policy %s has no Arn", input.Str(p, "PolicyName"))
			continue
		}
		if _, dup := a.policies[arn]; dup {
			continue // the CLI concatenates pages; a repeated entry is the same policy
		}
		a.policies[arn] = &managedPolicy{arn: arn, name: input.Str(p, "PolicyName"), node: p}
	}
	b.ParseAhead(a.documents(root))
	for _, g := range a.list(root, "GroupDetailList") {
		if !input.IsObject(g) {
			b.Errorf(g.Line, "group entry is %s, want an object", g.Kind)
			continue
		}
		gr := &group{name: input.Str(g, "GroupName")}
		for _, ip := range a.list(g, "GroupPolicyList") {
			if d := a.inline(ip, "group", gr.name); d != nil {
				gr.inline = append(gr.inline, d)
			}
		}
		policy.CheckQuota(policy.QuotaGroupInline, true, gr.inline...)
		gr.attached = a.attachedARNs(g)
		a.groups[gr.name] = gr
	}
	for _, r := range a.list(root, "RoleDetailList") {
		if !input.IsObject(r) {
			b.Errorf(r.Line, "role entry is %s, want an object", r.Kind)
			continue
		}
		p := principalFrom(b.File, r, "role", "RoleName", "RoleId")
		principalTags(b, r, p)
		p.Complete = true
		if n := r.Get("AssumeRolePolicyDocument"); n != nil {
			p.Trust = b.ParseDoc(n, policy.Trust, "trust policy of role/"+p.Name)
			if p.Trust != nil {
				p.Trust.Origin = policy.OriginTrust
				policy.CheckQuota(policy.QuotaTrust, true, p.Trust)
			}
		}
		for _, ip := range a.list(r, "RolePolicyList") {
			if d := a.inline(ip, "role", p.Name); d != nil {
				p.Identity = append(p.Identity, d)
			}
		}
		a.attach(p, a.attachedARNs(r))
		a.boundary(p)
		b.In.Principals = append(b.In.Principals, p)
	}
	for _, u := range a.list(root, "UserDetailList") {
		if !input.IsObject(u) {
			b.Errorf(u.Line, "user entry is %s, want an object", u.Kind)
			continue
		}
		p := principalFrom(b.File, u, "user", "UserName", "UserId")
		principalTags(b, u, p)
		p.Complete = true
		for _, ip := range a.list(u, "UserPolicyList") {
			if d := a.inline(ip, "user", p.Name); d != nil {
				p.Identity = append(p.Identity, d)
			}
		}
		a.attach(p, a.attachedARNs(u))
		for _, gn := range a.list(u, "GroupList") {
			name, ok := gn.Str()
			if !ok {
				b.Errorf(gn.Line, "group name is %s, want a string", gn.Kind)
				continue
			}
			p.Groups = append(p.Groups, name)
			g := a.groups[name]
			if g == nil {
				// The export was filtered without groups: the user's group
				// policies are not visible.
				p.MissingPolicies = append(p.MissingPolicies, "policies of group "+name)
				p.Complete = false
				continue
			}
			p.Identity = append(p.Identity, g.inline...)
			a.attachOnly(p, g.attached)
		}
		a.boundary(p)
		b.In.Principals = append(b.In.Principals, p)
	}
}

// inline parses one {PolicyName, PolicyDocument} entry.
func (a *accountExport) inline(n *tree.Node, typ, owner string) *policy.Document {
	if !input.IsObject(n) {
		a.b.Errorf(n.Line, "inline policy entry is %s, want an object", n.Kind)
		return nil
	}
	name := inlineName(input.Str(n, "PolicyName"), typ, owner)
	doc := n.Get("PolicyDocument")
	if doc == nil {
		a.b.Errorf(n.Line, "%s has no PolicyDocument", name)
		return nil
	}
	d := a.b.ParseDoc(doc, policy.Identity, name)
	if d != nil {
		d.Origin = policy.OriginInline
		if typ == "group" {
			d.Origin = policy.OriginGroup
		}
	}
	return d
}

func (a *accountExport) attachedARNs(n *tree.Node) []string {
	var out []string
	for _, ap := range a.list(n, "AttachedManagedPolicies") {
		if !input.IsObject(ap) {
			a.b.Errorf(ap.Line, "attached policy is %s, want an object with PolicyArn", ap.Kind)
			continue
		}
		if arn := input.Str(ap, "PolicyArn"); arn != "" {
			out = append(out, arn)
		}
	}
	return out
}

// attach records direct attachments and adds their documents.
func (a *accountExport) attach(p *input.Principal, arns []string) {
	p.AttachedPolicies = append(p.AttachedPolicies, arns...)
	a.attachOnly(p, arns)
}

// attachOnly adds the documents of arns (or records them as missing).
func (a *accountExport) attachOnly(p *input.Principal, arns []string) {
	for _, arn := range arns {
		if d := a.managed(arn, false); d != nil {
			p.Identity = append(p.Identity, d)
		} else {
			p.MissingPolicies = append(p.MissingPolicies, arn)
		}
	}
}

func (a *accountExport) boundary(p *input.Principal) {
	if p.BoundaryARN == "" {
		return
	}
	p.Boundary = a.managed(p.BoundaryARN, true)
}

// managed returns the default version of the managed policy arn, parsed on
// first use, or nil when the export does not hold it (an AWS managed policy
// in an export filtered to local policies) or it cannot be read.
func (a *accountExport) managed(arn string, asBoundary bool) *policy.Document {
	mp := a.policies[arn]
	if mp == nil {
		return nil
	}
	if !mp.parsed {
		mp.parsed = true
		mp.doc = a.parseManaged(mp)
	}
	if !asBoundary || mp.doc == nil {
		return mp.doc
	}
	if mp.boundary == nil {
		// Grammar checks are the same for identity policies and boundaries;
		// only the role the document plays differs.
		b := *mp.doc
		b.Kind, b.Origin = policy.Boundary, policy.OriginBoundary
		if mp.doc.Alternate != nil {
			alt := *mp.doc.Alternate
			alt.Kind, alt.Origin = policy.Boundary, policy.OriginBoundary
			b.Alternate = &alt
		}
		mp.boundary = &b
	}
	return mp.boundary
}

// defaultVersion returns the entry of a managed policy's versions that is
// its default version: the one flagged IsDefaultVersion, else the one
// DefaultVersionId names; nil when none is.
func defaultVersion(policy *tree.Node, versions []*tree.Node) *tree.Node {
	for _, v := range versions {
		if b := v.Get("IsDefaultVersion"); b != nil && b.Kind == tree.Bool && b.Text == "true" {
			return v
		}
	}
	// Fall back on DefaultVersionId when no version is flagged.
	want := input.Str(policy, "DefaultVersionId")
	for _, v := range versions {
		if want != "" && input.Str(v, "VersionId") == want {
			return v
		}
	}
	return nil
}

func (a *accountExport) parseManaged(mp *managedPolicy) *policy.Document {
	def := defaultVersion(mp.node, a.list(mp.node, "PolicyVersionList"))
	if def == nil {
		a.b.Errorf(mp.node.Line, "managed policy %s has no default version in PolicyVersionList", mp.arn)
		return nil
	}
	doc := def.Get("Document")
	if doc == nil {
		a.b.Errorf(def.Line, "default version of managed policy %s has no Document", mp.arn)
		return nil
	}
	d := a.b.ParseDoc(doc, policy.Identity, "managed policy "+mp.arn)
	if d == nil {
		return nil
	}
	d.Origin = policy.OriginManaged
	d.ARN = mp.arn
	d.AWSManaged = policy.IsAWSManagedARN(mp.arn)
	policy.CheckQuota(policy.QuotaManaged, true, d)
	return d
}

// documents lists the policy documents loadAccountExport parses, for
// Builder.ParseAhead: the trust and inline policies of every group, role
// and user, and the default version of each managed policy one of them
// attaches or has as its boundary. It walks the export as the loader does
// but reports nothing (the loader does, in file order).
func (a *accountExport) documents(root *tree.Node) []input.DocNode {
	var out []input.DocNode
	add := func(n *tree.Node, kind policy.Kind) {
		if n != nil {
			out = append(out, input.DocNode{Node: n, Kind: kind})
		}
	}
	each := func(n *tree.Node, key string, f func(*tree.Node)) {
		items, _ := listOf(n, key)
		for _, it := range items {
			if input.IsObject(it) {
				f(it)
			}
		}
	}
	queued := map[string]bool{}
	managed := func(arn string) {
		mp := a.policies[arn]
		if mp == nil || queued[arn] {
			return
		}
		queued[arn] = true
		versions, _ := listOf(mp.node, "PolicyVersionList")
		if def := defaultVersion(mp.node, versions); def != nil {
			add(def.Get("Document"), policy.Identity)
		}
	}
	inline := func(n *tree.Node) { add(n.Get("PolicyDocument"), policy.Identity) }
	attached := func(n *tree.Node) { managed(input.Str(n, "PolicyArn")) }
	principal := func(n *tree.Node, policies string) {
		each(n, policies, inline)
		each(n, "AttachedManagedPolicies", attached)
		if pb := n.Get("PermissionsBoundary"); input.IsObject(pb) {
			managed(input.Str(pb, "PermissionsBoundaryArn"))
		}
	}
	each(root, "GroupDetailList", func(g *tree.Node) {
		each(g, "GroupPolicyList", inline)
		each(g, "AttachedManagedPolicies", attached)
	})
	each(root, "RoleDetailList", func(r *tree.Node) {
		add(r.Get("AssumeRolePolicyDocument"), policy.Trust)
		principal(r, "RolePolicyList")
	})
	each(root, "UserDetailList", func(u *tree.Node) { principal(u, "UserPolicyList") })
	return out
}
