package load

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// tfState is what the resources of one plan add up to while they are read.
type tfState struct {
	principals map[string]*Principal // by resource address
	byName     map[string]*Principal // "role/NAME", "user/NAME" for known names
	order      []*Principal
	inlineSeen map[*Principal]map[string]bool // inline policy names already attached
	arnSeen    map[*Principal]map[string]bool // managed policy ARNs already attached
	buckets    map[string]*BucketFacts        // by resource address
	bucketName map[string]*BucketFacts
	keys       map[string]*KeyFacts
	keyID      map[string]*KeyFacts // known key id or ARN → key
	docs       map[string]*policy.Document
}

func (p *tfPlan) load() {
	st := &tfState{
		principals: map[string]*Principal{}, byName: map[string]*Principal{},
		inlineSeen: map[*Principal]map[string]bool{}, arnSeen: map[*Principal]map[string]bool{},
		buckets: map[string]*BucketFacts{}, bucketName: map[string]*BucketFacts{},
		keys: map[string]*KeyFacts{}, keyID: map[string]*KeyFacts{}, docs: map[string]*policy.Document{},
	}
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
			p.principal(st, r, "role")
		case "aws_iam_user":
			p.principal(st, r, "user")
		case "aws_s3_bucket":
			p.bucket(st, r)
		case "aws_kms_key":
			p.key(st, r)
		}
	})
	managed(func(r *tfResource) {
		switch r.typ {
		case "aws_iam_role_policy":
			p.inlinePolicy(st, r, "role")
		case "aws_iam_user_policy":
			p.inlinePolicy(st, r, "user")
		case "aws_iam_role_policy_attachment":
			p.attachment(st, r, "role")
		case "aws_iam_user_policy_attachment":
			p.attachment(st, r, "user")
		case "aws_iam_policy_attachment":
			p.multiAttachment(st, r)
		case "aws_s3_bucket_policy":
			if d := p.doc(r, policy.Bucket, r.addr, attr("policy")); d != nil {
				p.in.Documents = append(p.in.Documents, d)
			}
		case "aws_s3_bucket_server_side_encryption_configuration":
			p.encryption(st, r)
		case "aws_kms_key_policy":
			p.keyPolicy(st, r)
		case "aws_kms_grant":
			p.kmsGrant(st, r) // kms.go
		}
	})
	managed(func(r *tfResource) {
		if r.typ == "aws_iam_role" {
			p.roleComputed(st, r)
		}
	})
	p.in.Principals = append(p.in.Principals, st.order...)
}

func (p *tfPlan) principal(st *tfState, r *tfResource, typ string) {
	pr := &Principal{Type: typ, File: p.file, Line: r.line, Address: r.addr, Complete: true}
	pr.Name = p.value(r, "name of "+typ, attr("name"))
	pr.ARN = p.value(r, "ARN of "+typ, attr("arn"))
	if _, _, _, acct, _, ok := policy.SplitARN(pr.ARN); ok {
		pr.Account = acct
	}
	if id, ok := r.str(attr("unique_id")); ok {
		pr.ID = id
	}
	if typ == "role" {
		pr.Trust = p.doc(r, policy.Trust, r.addr, attr("assume_role_policy"))
	}
	p.boundary(st, pr, r)
	st.principals[r.addr] = pr
	if !policy.IsUnknown(pr.Name) && pr.Name != "" {
		st.byName[typ+"/"+pr.Name] = pr
	}
	st.order = append(st.order, pr)
	st.inlineSeen[pr] = map[string]bool{}
	st.arnSeen[pr] = map[string]bool{}
}

// boundary reads permissions_boundary: the managed policy it names when the
// plan holds it. Otherwise only BoundaryARN is set (its content is unknown,
// so evaluation cannot call the setup ready) and the gap is recorded.
func (p *tfPlan) boundary(st *tfState, pr *Principal, r *tfResource) {
	n, unk := r.get(attr("permissions_boundary"))
	if !unk {
		if s, _ := n.Str(); s == "" {
			return
		}
	}
	d, missing := p.managedPolicy(st, r, policy.Boundary, attr("permissions_boundary"))
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
func (p *tfPlan) managedPolicy(st *tfState, r *tfResource, kind policy.Kind, path ...step) (*policy.Document, string) {
	if t := p.refTarget(r, path...); t != nil && t.res.typ == "aws_iam_policy" {
		if d := p.policyResourceDoc(st, t.res, kind); d != nil {
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
				if d := p.policyResourceDoc(st, c, kind); d != nil {
					return d, ""
				}
			}
		}
	}
	return nil, arn
}

func (p *tfPlan) policyResourceDoc(st *tfState, r *tfResource, kind policy.Kind) *policy.Document {
	key := r.addr + "\x00" + string(kind)
	if d, ok := st.docs[key]; ok {
		return d
	}
	d := p.doc(r, kind, r.addr, attr("policy"))
	if d != nil {
		if a, ok := r.str(attr("arn")); ok {
			d.ARN = a
			d.AWSManaged = isAWSManagedARN(a)
		}
	}
	st.docs[key] = d
	return d
}

func isAWSManagedARN(arn string) bool {
	_, svc, _, acct, res, ok := policy.SplitARN(arn)
	return ok && svc == "iam" && acct == "aws" && strings.HasPrefix(res, "policy/")
}

// principalFor finds the role or user an attachment's role/user attribute
// names: through the configuration reference, or by known name. A known
// name that no resource in the plan has is an existing principal the plan
// adds permissions to; it gets a principal of its own, marked incomplete.
func (p *tfPlan) principalFor(st *tfState, r *tfResource, typ string, path ...step) *Principal {
	if t := p.refTarget(r, path...); t != nil && t.res.typ == "aws_iam_"+typ && st.principals[t.res.addr] != nil {
		return st.principals[t.res.addr]
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
	if _, svc, _, _, res, ok := policy.SplitARN(name); ok && svc == "iam" {
		name = res[strings.LastIndexByte(res, '/')+1:]
	}
	if pr := st.byName[typ+"/"+name]; pr != nil {
		return pr
	}
	// Its ARN is left empty (not known) so that a get-role export of the
	// same role, given alongside, joins with it.
	pr := &Principal{Type: typ, Name: name, File: p.file, Line: r.line}
	st.byName[typ+"/"+name] = pr
	st.order = append(st.order, pr)
	st.inlineSeen[pr] = map[string]bool{}
	st.arnSeen[pr] = map[string]bool{}
	return pr
}

// inlinePolicy is aws_iam_role_policy / aws_iam_user_policy.
func (p *tfPlan) inlinePolicy(st *tfState, r *tfResource, typ string) {
	d := p.doc(r, policy.Identity, r.addr, attr("policy"))
	if d == nil {
		return
	}
	pr := p.principalFor(st, r, typ, attr(typ))
	if pr == nil {
		// Which principal it belongs to is unknown: keep the document
		// visible rather than lose a Deny it may hold.
		p.in.Documents = append(p.in.Documents, d)
		return
	}
	pr.Identity = append(pr.Identity, d)
	if name, ok := r.str(attr("name")); ok {
		st.inlineSeen[pr][name] = true
	}
}

// attachment is aws_iam_role_policy_attachment / aws_iam_user_policy_attachment.
func (p *tfPlan) attachment(st *tfState, r *tfResource, typ string) {
	pr := p.principalFor(st, r, typ, attr(typ))
	if pr == nil {
		return
	}
	p.attach(st, pr, r, attr("policy_arn"))
}

func (p *tfPlan) attach(st *tfState, pr *Principal, r *tfResource, path ...step) {
	d, missing := p.managedPolicy(st, r, policy.Identity, path...)
	arn, key := missing, missing
	if d != nil {
		arn, key = d.ARN, d.ARN
		if arn == "" {
			// A policy the same plan creates: its ARN is known after apply.
			arn, key = p.value(r, "", path...), d.Name
		}
	}
	if st.arnSeen[pr][key] {
		return
	}
	st.arnSeen[pr][key] = true
	pr.AttachedPolicies = append(pr.AttachedPolicies, arn)
	if d != nil {
		pr.Identity = append(pr.Identity, d)
	} else {
		pr.MissingPolicies = append(pr.MissingPolicies, missing)
	}
}

// multiAttachment is aws_iam_policy_attachment (roles, users and groups
// lists; groups are not followed).
func (p *tfPlan) multiAttachment(st *tfState, r *tfResource) {
	for _, typ := range []string{"role", "user"} {
		list, unk := r.get(attr(typ + "s"))
		if unk {
			p.value(r, typ+"s the policy attaches to", attr(typ+"s"))
			continue
		}
		for i := range items(list) {
			if pr := p.principalFor(st, r, typ, attr(typ+"s"), item(i)); pr != nil {
				p.attach(st, pr, r, attr("policy_arn"))
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
func (p *tfPlan) roleComputed(st *tfState, r *tfResource) {
	pr := st.principals[r.addr]
	if pr == nil {
		return
	}
	if n, unk := r.get(attr("inline_policy")); unk {
		if r.configured("inline_policy") {
			pr.Identity = append(pr.Identity, p.doc(r, policy.Identity, r.addr+".inline_policy", attr("inline_policy")))
		}
	} else if n != nil {
		for i := range items(n) {
			name, ok := r.str(attr("inline_policy"), item(i), attr("name"))
			if ok && st.inlineSeen[pr][name] {
				continue
			}
			label := fmt.Sprintf("%s.inline_policy[%d]", r.addr, i)
			if ok && name != "" {
				label = fmt.Sprintf("%s.inline_policy[%q]", r.addr, name)
			}
			if d := p.doc(r, policy.Identity, label, attr("inline_policy"), item(i), attr("policy")); d != nil {
				pr.Identity = append(pr.Identity, d)
			}
		}
	}
	if n, unk := r.get(attr("managed_policy_arns")); unk {
		if r.configured("managed_policy_arns") {
			p.attach(st, pr, r, attr("managed_policy_arns"))
		}
	} else if n != nil {
		for i := range items(n) {
			p.attach(st, pr, r, attr("managed_policy_arns"), item(i))
		}
	}
}

func (p *tfPlan) bucket(st *tfState, r *tfResource) {
	bf := &BucketFacts{File: p.file, Line: r.line}
	bf.Name = p.value(r, "bucket name", attr("bucket"))
	if reg, ok := r.str(attr("region")); ok {
		bf.Region = reg
	}
	st.buckets[r.addr] = bf
	if !policy.IsUnknown(bf.Name) {
		st.bucketName[bf.Name] = bf
	}
	p.in.Buckets = append(p.in.Buckets, bf)
	// Provider v3 style inline blocks (Optional+Computed since v4).
	if n, _ := r.get(attr("server_side_encryption_configuration")); n != nil && len(n.Items) > 0 && r.configured("server_side_encryption_configuration") {
		p.encryptionRule(bf, r, attr("server_side_encryption_configuration"), item(0), attr("rule"), item(0))
	}
	if n, unk := r.get(attr("policy")); r.configured("policy") && (unk || n != nil && n.Text != "") {
		if d := p.doc(r, policy.Bucket, r.addr+".policy", attr("policy")); d != nil {
			p.in.Documents = append(p.in.Documents, d)
		}
	}
}

// bucketFor finds the BucketFacts a resource's bucket attribute names.
func (p *tfPlan) bucketFor(st *tfState, r *tfResource) *BucketFacts {
	if t := p.refTarget(r, attr("bucket")); t != nil && st.buckets[t.res.addr] != nil {
		return st.buckets[t.res.addr]
	}
	if name, ok := r.str(attr("bucket")); ok && st.bucketName[name] != nil {
		return st.bucketName[name]
	}
	bf := &BucketFacts{File: p.file, Line: r.line, Name: p.value(r, "bucket name", attr("bucket"))}
	if !policy.IsUnknown(bf.Name) {
		st.bucketName[bf.Name] = bf
	}
	p.in.Buckets = append(p.in.Buckets, bf)
	return bf
}

// encryption is aws_s3_bucket_server_side_encryption_configuration.
func (p *tfPlan) encryption(st *tfState, r *tfResource) {
	bf := p.bucketFor(st, r)
	bf.Line = r.line
	p.encryptionRule(bf, r, attr("rule"), item(0))
}

func (p *tfPlan) encryptionRule(bf *BucketFacts, r *tfResource, rule ...step) {
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

func (p *tfPlan) key(st *tfState, r *tfResource) {
	kf := &KeyFacts{File: p.file, Line: r.line, KeyManager: "CUSTOMER"}
	kf.ARN = p.value(r, "ARN of KMS key", attr("arn"))
	kf.KeyID = p.value(r, "", attr("key_id"))
	if _, _, region, acct, _, ok := policy.SplitARN(kf.ARN); ok {
		kf.Region, kf.Account = region, acct
	}
	kf.Policy = p.doc(r, policy.Key, r.addr, attr("policy"))
	st.keys[r.addr] = kf
	for _, id := range []string{kf.ARN, kf.KeyID} {
		if !policy.IsUnknown(id) && id != "" {
			st.keyID[id] = kf
		}
	}
	p.in.Keys = append(p.in.Keys, kf)
}

// keyPolicy is aws_kms_key_policy, which replaces the key's policy.
func (p *tfPlan) keyPolicy(st *tfState, r *tfResource) {
	d := p.doc(r, policy.Key, r.addr, attr("policy"))
	if d == nil {
		return
	}
	var kf *KeyFacts
	if t := p.refTarget(r, attr("key_id")); t != nil {
		kf = st.keys[t.res.addr]
	} else if id, ok := r.str(attr("key_id")); ok {
		kf = st.keyID[id]
	}
	if kf == nil {
		kf = &KeyFacts{File: p.file, Line: r.line, KeyManager: "CUSTOMER", KeyID: p.value(r, "key id of "+r.addr, attr("key_id"))}
		p.in.Keys = append(p.in.Keys, kf)
	}
	kf.Policy = d
}
