package terraform

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

func (p *tfPlan) load() {
	managed := func(fn func(*tfResource)) {
		for _, r := range p.res {
			if r.mode == "managed" {
				fn(r)
			}
		}
	}
	// First the things others attach to, then the attachments, then the
	// Optional+Computed attributes that repeat what attachments said.
	managed(func(r *tfResource) {
		switch r.typ {
		case "aws_iam_role":
			p.principal(r, "role")
		case "aws_iam_user":
			p.principal(r, "user")
		case "aws_s3_bucket":
			p.bucket(r)
		case "aws_kms_key":
			p.key(r)
		}
	})
	managed(func(r *tfResource) {
		switch r.typ {
		case "aws_iam_role_policy":
			p.inlinePolicy(r, "role")
		case "aws_iam_user_policy":
			p.inlinePolicy(r, "user")
		case "aws_iam_role_policy_attachment":
			p.attachment(r, "role")
		case "aws_iam_user_policy_attachment":
			p.attachment(r, "user")
		case "aws_iam_policy_attachment":
			p.multiAttachment(r)
		case "aws_s3_bucket_policy":
			if d := p.doc(r, policy.Bucket, policy.OriginResource, r.addr, attr("policy")); d != nil {
				p.b.Document(d)
			}
		case "aws_s3_bucket_server_side_encryption_configuration":
			p.encryption(r)
		case "aws_kms_key_policy":
			p.keyPolicy(r)
		case "aws_kms_grant":
			p.kmsGrant(r)
		}
	})
	managed(func(r *tfResource) {
		if r.typ == "aws_iam_role" {
			p.roleComputed(r)
		}
	})
}

func (p *tfPlan) principal(r *tfResource, typ string) {
	pr := &input.Principal{Type: typ, File: p.b.File, Line: r.line, Address: r.addr, Complete: true}
	pr.Name = p.value(r, "name of "+typ, attr("name"))
	pr.ARN = p.value(r, "ARN of "+typ, attr("arn"))
	if a, ok := policy.ParseARN(pr.ARN); ok {
		pr.Account = a.Account
	}
	if id, ok := r.str(attr("unique_id")); ok {
		pr.ID = id
	}
	if typ == "role" {
		pr.Trust = p.doc(r, policy.Trust, policy.OriginTrust, r.addr, attr("assume_role_policy"))
	}
	p.boundary(pr, r)
	p.b.AddPrincipal(r.addr, pr)
}

// boundary reads permissions_boundary: the managed policy it names when the
// plan holds it. Otherwise only BoundaryARN is set (its content is unknown,
// so evaluation cannot call the setup ready) and the gap is recorded.
func (p *tfPlan) boundary(pr *input.Principal, r *tfResource) {
	n, unk := r.get(attr("permissions_boundary"))
	if !unk {
		if s, _ := n.Str(); s == "" {
			return
		}
	}
	d, missing := p.managedPolicy(r, policy.Boundary, attr("permissions_boundary"))
	if d != nil {
		pr.Boundary = d
		pr.BoundaryARN = d.ARN
		if pr.BoundaryARN == "" {
			pr.BoundaryARN = p.value(r, "", attr("permissions_boundary"))
		}
		return
	}
	pr.BoundaryARN = missing
	if !policy.IsUnknown(missing) {
		p.unresolved(r, r.lineOf(attr("permissions_boundary")), "permissions boundary", "permissions boundary "+missing+" is not in the plan")
	}
}

// managedPolicy resolves a policy ARN attribute to the aws_iam_policy
// resource (or data source) in the plan that it names. When the plan does
// not hold the policy it returns the ARN as written (or its unknown marker).
func (p *tfPlan) managedPolicy(r *tfResource, kind policy.Kind, path ...step) (*policy.Document, string) {
	if t := p.refTarget(r, path...); t != nil && t.res.typ == "aws_iam_policy" {
		if d := p.policyResourceDoc(t.res, kind); d != nil {
			return d, ""
		}
	}
	n, unk := r.get(path...)
	if unk {
		return nil, p.value(r, "managed policy ARN", path...)
	}
	arn, _ := n.Str()
	for _, c := range p.res {
		if c.typ == "aws_iam_policy" {
			if a, ok := c.str(attr("arn")); ok && a == arn {
				if d := p.policyResourceDoc(c, kind); d != nil {
					return d, ""
				}
			}
		}
	}
	return nil, arn
}

// policyResourceDoc parses the document of an aws_iam_policy once per kind
// (an identity policy, or a permissions boundary).
func (p *tfPlan) policyResourceDoc(r *tfResource, kind policy.Kind) *policy.Document {
	return p.b.Once(r.addr, kind, func() *policy.Document {
		origin := policy.OriginManaged
		if kind == policy.Boundary {
			origin = policy.OriginBoundary
		}
		d := p.doc(r, kind, origin, r.addr, attr("policy"))
		if d != nil {
			if a, ok := r.str(attr("arn")); ok {
				d.ARN = a
				d.AWSManaged = policy.IsAWSManagedARN(a)
			}
		}
		return d
	})
}

// principalFor finds the role or user an attachment's role/user attribute
// names: through the configuration reference, or by known name. A known
// name that no resource in the plan has is an existing principal the plan
// adds permissions to; it gets a principal of its own, marked incomplete.
func (p *tfPlan) principalFor(r *tfResource, typ string, path ...step) *input.Principal {
	if t := p.refTarget(r, path...); t != nil && t.res.typ == "aws_iam_"+typ && p.b.PrincipalAt(t.res.addr) != nil {
		return p.b.PrincipalAt(t.res.addr)
	}
	n, unk := r.get(path...)
	if unk {
		p.value(r, typ+" the policy attaches to", path...)
		return nil
	}
	name, _ := n.Str()
	if name == "" {
		return nil
	}
	// The role attribute of aws_iam_role_policy accepts a name or an ARN.
	if a, ok := policy.ParseARN(name); ok && a.Service == "iam" {
		name = a.Name()
	}
	return p.b.PrincipalNamed(typ, name, r.line)
}

// inlinePolicy is aws_iam_role_policy / aws_iam_user_policy.
func (p *tfPlan) inlinePolicy(r *tfResource, typ string) {
	d := p.doc(r, policy.Identity, policy.OriginInline, r.addr, attr("policy"))
	if d == nil {
		return
	}
	pr := p.principalFor(r, typ, attr(typ))
	if pr == nil {
		// Which principal it belongs to is unknown: keep the document
		// visible rather than lose a Deny it may hold.
		p.b.Document(d)
		return
	}
	pr.Identity = append(pr.Identity, d)
	if name, ok := r.str(attr("name")); ok {
		if p.inlineNames[pr] == nil {
			p.inlineNames[pr] = map[string]bool{}
		}
		p.inlineNames[pr][name] = true
	}
}

// attachment is aws_iam_role_policy_attachment / aws_iam_user_policy_attachment.
func (p *tfPlan) attachment(r *tfResource, typ string) {
	pr := p.principalFor(r, typ, attr(typ))
	if pr == nil {
		return
	}
	p.attach(pr, r, attr("policy_arn"))
}

func (p *tfPlan) attach(pr *input.Principal, r *tfResource, path ...step) {
	d, missing := p.managedPolicy(r, policy.Identity, path...)
	arn, key := missing, missing
	if d != nil {
		arn, key = d.ARN, d.ARN
		if arn == "" {
			// A policy the same plan creates: its ARN is known after apply.
			arn, key = p.value(r, "", path...), d.Name
		}
	}
	if p.b.Attach(pr, key, arn, d) && d == nil {
		pr.MissingPolicies = append(pr.MissingPolicies, missing)
	}
}

// multiAttachment is aws_iam_policy_attachment (roles, users and groups
// lists; groups are not followed).
func (p *tfPlan) multiAttachment(r *tfResource) {
	for _, typ := range []string{"role", "user"} {
		list, unk := r.get(attr(typ + "s"))
		if unk {
			p.value(r, typ+"s the policy attaches to", attr(typ+"s"))
			continue
		}
		for i := range input.Items(list) {
			if pr := p.principalFor(r, typ, attr(typ+"s"), item(i)); pr != nil {
				p.attach(pr, r, attr("policy_arn"))
			}
		}
	}
}

// roleComputed reads inline_policy blocks and managed_policy_arns of a role.
// Both are Optional+Computed: every new role has them "known after apply"
// even when its configuration sets neither, and once applied they echo what
// aws_iam_role_policy and attachment resources added. So an unknown value
// counts only when the configuration sets the attribute, and entries that
// repeat an attachment resource are skipped.
func (p *tfPlan) roleComputed(r *tfResource) {
	pr := p.b.PrincipalAt(r.addr)
	if pr == nil {
		return
	}
	if n, unk := r.get(attr("inline_policy")); unk {
		if r.configured("inline_policy") {
			pr.Identity = append(pr.Identity, p.doc(r, policy.Identity, policy.OriginInline, r.addr+".inline_policy", attr("inline_policy")))
		}
	} else if n != nil {
		for i := range input.Items(n) {
			name, ok := r.str(attr("inline_policy"), item(i), attr("name"))
			if ok && p.inlineNames[pr][name] {
				continue
			}
			label := fmt.Sprintf("%s.inline_policy[%d]", r.addr, i)
			if ok && name != "" {
				label = fmt.Sprintf("%s.inline_policy[%q]", r.addr, name)
			}
			if d := p.doc(r, policy.Identity, policy.OriginInline, label, attr("inline_policy"), item(i), attr("policy")); d != nil {
				pr.Identity = append(pr.Identity, d)
			}
		}
	}
	if n, unk := r.get(attr("managed_policy_arns")); unk {
		if r.configured("managed_policy_arns") {
			p.attach(pr, r, attr("managed_policy_arns"))
		}
	} else if n != nil {
		for i := range input.Items(n) {
			p.attach(pr, r, attr("managed_policy_arns"), item(i))
		}
	}
}

func (p *tfPlan) bucket(r *tfResource) {
	bf := &input.BucketFacts{File: p.b.File, Line: r.line}
	bf.Name = p.value(r, "bucket name", attr("bucket"))
	if reg, ok := r.str(attr("region")); ok {
		bf.Region = reg
	}
	p.b.AddBucket(r.addr, bf)
	// Provider v3 style inline blocks (Optional+Computed since v4).
	if n, _ := r.get(attr("server_side_encryption_configuration")); n != nil && len(n.Items) > 0 && r.configured("server_side_encryption_configuration") {
		p.encryptionRule(bf, r, attr("server_side_encryption_configuration"), item(0), attr("rule"), item(0))
	}
	if n, unk := r.get(attr("policy")); r.configured("policy") && (unk || n != nil && n.Text != "") {
		if d := p.doc(r, policy.Bucket, policy.OriginResource, r.addr+".policy", attr("policy")); d != nil {
			p.b.Document(d)
		}
	}
}

// bucketFor finds the BucketFacts a resource's bucket attribute names.
func (p *tfPlan) bucketFor(r *tfResource) *input.BucketFacts {
	if t := p.refTarget(r, attr("bucket")); t != nil && p.b.BucketAt(t.res.addr) != nil {
		return p.b.BucketAt(t.res.addr)
	}
	if name, ok := r.str(attr("bucket")); ok && p.b.BucketNamed(name) != nil {
		return p.b.BucketNamed(name)
	}
	bf := &input.BucketFacts{File: p.b.File, Line: r.line, Name: p.value(r, "bucket name", attr("bucket"))}
	p.b.AddBucket("", bf)
	return bf
}

// encryption is aws_s3_bucket_server_side_encryption_configuration.
func (p *tfPlan) encryption(r *tfResource) {
	bf := p.bucketFor(r)
	bf.Line = r.line
	p.encryptionRule(bf, r, attr("rule"), item(0))
}

func (p *tfPlan) encryptionRule(bf *input.BucketFacts, r *tfResource, rule ...step) {
	def := append(append([]step{}, rule...), attr("apply_server_side_encryption_by_default"), item(0))
	at := func(k string) []step { return append(append([]step{}, def...), attr(k)) }
	what := "default encryption of bucket " + bf.Name
	if policy.IsUnknown(bf.Name) {
		what = "default encryption of " + r.addr
	}
	bf.SSEAlgorithm = p.value(r, what, at("sse_algorithm")...)
	bf.KMSMasterKeyID = p.value(r, "KMS key of "+strings.TrimPrefix(what, "default encryption of "), at("kms_master_key_id")...)
	if n, _ := r.get(append(append([]step{}, rule...), attr("bucket_key_enabled"))...); n != nil && n.Kind == tree.Bool {
		bf.BucketKeyEnabled = n.Text == "true"
	}
}

func (p *tfPlan) key(r *tfResource) {
	kf := &input.KeyFacts{File: p.b.File, Line: r.line, KeyManager: "CUSTOMER"}
	kf.ARN = p.value(r, "ARN of KMS key", attr("arn"))
	kf.KeyID = p.value(r, "", attr("key_id"))
	if a, ok := policy.ParseARN(kf.ARN); ok {
		kf.Region, kf.Account = a.Region, a.Account
	}
	kf.Policy = p.doc(r, policy.Key, policy.OriginResource, r.addr, attr("policy"))
	p.b.AddKey(r.addr, kf)
}

// keyPolicy is aws_kms_key_policy, which replaces the key's policy.
func (p *tfPlan) keyPolicy(r *tfResource) {
	d := p.doc(r, policy.Key, policy.OriginResource, r.addr, attr("policy"))
	if d == nil {
		return
	}
	var kf *input.KeyFacts
	if t := p.refTarget(r, attr("key_id")); t != nil {
		kf = p.b.KeyAt(t.res.addr)
	} else if id, ok := r.str(attr("key_id")); ok {
		kf = p.b.KeyWithID(id)
	}
	if kf == nil {
		kf = &input.KeyFacts{File: p.b.File, Line: r.line, KeyManager: "CUSTOMER", KeyID: p.value(r, "key id of "+r.addr, attr("key_id"))}
		p.b.AddKey("", kf)
	}
	kf.Policy = d
}

// kmsGrant reads Terraform aws_kms_grant: key_id (an id, an ARN or a
// reference to an aws_kms_key of the plan), grantee_principal, operations and
// the constraints block (encryption_context_equals / encryption_context_subset).
// An unknown key id or grantee stays an unknown value: check treats the
// grant as one that may apply, so a request it could allow is unknown,
// never allowed.
func (p *tfPlan) kmsGrant(r *tfResource) {
	g := &input.GrantFacts{File: p.b.File, Line: r.line, Name: p.value(r, "", attr("name"))}
	if t := p.refTarget(r, attr("key_id")); t != nil {
		if kf := p.b.KeyAt(t.res.addr); kf != nil {
			g.KeyID = kf.ARN
			if g.KeyID == "" || policy.IsUnknown(g.KeyID) {
				g.KeyID = kf.KeyID
			}
		}
	}
	if g.KeyID == "" {
		g.KeyID = p.value(r, "key of "+r.addr, attr("key_id"))
	}
	g.Grantee = p.value(r, "grantee of "+r.addr, attr("grantee_principal"))
	g.GrantID = p.value(r, "", attr("grant_id"))
	ops, unk := r.get(attr("operations"))
	if unk {
		p.unresolved(r, r.lineOf(attr("operations")), "operations of "+r.addr, p.reason(r, attr("operations")))
	}
	for _, o := range input.Items(ops) {
		if s, ok := o.Str(); ok {
			g.Operations = append(g.Operations, s)
		}
	}
	cs, unk := r.get(attr("constraints"))
	if unk {
		// Constraints unknown: the grant cannot be relied on.
		p.unresolved(r, r.lineOf(attr("constraints")), "constraints of "+r.addr, p.reason(r, attr("constraints")))
		return
	}
	for _, c := range input.Items(cs) {
		for _, kv := range []struct{ tf, api string }{
			{"encryption_context_equals", "EncryptionContextEquals"},
			{"encryption_context_subset", "EncryptionContextSubset"},
		} {
			m := c.Get(kv.tf)
			if !input.IsObject(m) || len(m.Members) == 0 {
				continue
			}
			g.Constraint = kv.api
			g.Context = map[string]string{}
			for _, e := range m.Members {
				v, ok := e.Value.Str()
				if !ok {
					v = policy.UnknownValue("encryption context value " + e.Key + " is not known")
				}
				g.Context[e.Key] = v
			}
		}
	}
	p.b.In.Grants = append(p.b.In.Grants, g)
}
