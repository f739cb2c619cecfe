package awscli

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// The AWS CLI outputs smlint reads (aws-cli awscli/examples/iam, s3api,
// kms, organizations; IAM-FACTS §5.3-5.5), as `aws ... --output json`
// prints them. The CLI prints IAM policy documents as JSON objects (botocore
// decodes them); raw API and SDK output holds URL-encoded strings; S3 and
// KMS policies are JSON text in a string. policy.FromNode accepts all three.
var (
	AccountExport     = input.NewFormat("iam get-account-authorization-details", detectAccountExport, loadAccountExport)
	GetRole           = input.NewFormat("iam get-role", detectGetRole, loadGetRole)
	GetUser           = input.NewFormat("iam get-user", detectGetUser, loadGetUser)
	InlinePolicy      = input.NewFormat("iam get-role-policy / get-user-policy", detectInlinePolicy, loadInlinePolicy)
	PolicyVersion     = input.NewFormat("iam get-policy-version", detectPolicyVersion, loadPolicyVersion)
	AttachedPolicies  = input.NewFormat("iam list-attached-role-policies", detectAttached, loadAttached)
	GetPolicy         = input.NewFormat("iam get-policy", detectGetPolicy, loadGetPolicy)
	DescribePolicy    = input.NewFormat("organizations describe-policy", detectDescribePolicy, loadDescribePolicy)
	PoliciesForTarget = input.NewFormat("organizations list-policies-for-target", detectPoliciesForTarget, loadPoliciesForTarget)
	ResourcePolicy    = input.NewFormat("s3api get-bucket-policy / kms get-key-policy", detectResourcePolicy, loadResourcePolicy)
	BucketEncryption  = input.NewFormat("s3api get-bucket-encryption", detectBucketEncryption, loadBucketEncryption)
	BucketLocation    = input.NewFormat("s3api get-bucket-location", detectBucketLocation, loadBucketLocation)
	DescribeKey       = input.NewFormat("kms describe-key", detectDescribeKey, loadDescribeKey)
	TagList           = input.NewFormat("iam list-role-tags / list-user-tags", detectTagList, loadTagList)
	DescribeOrg       = input.NewFormat("organizations describe-organization", detectOrganization, loadOrganization)
	ListAccessKeys    = input.NewFormat("iam list-access-keys", detectListAccessKeys, loadListAccessKeys)
	AccessKeyLastUsed = input.NewFormat("iam get-access-key-last-used", detectAccessKeyLastUsed, loadAccessKeyLastUsed)
	ListAliases       = input.NewFormat("kms list-aliases", detectListAliases, loadListAliases)
	ListGrants        = input.NewFormat("kms list-grants", detectListGrants, loadListGrants)
	Unread            = input.NewFormat("smlint simulate --save: documents not read", detectUnread, loadUnread)
)

// unreadableDoc stands for a document the input holds but smlint could not
// parse (the error is already in b.In.Errors): it is not known, so it can
// neither grant nor be assumed absent, and the message says it was
// unreadable rather than missing.
func unreadableDoc(b *input.Builder, n *tree.Node, kind policy.Kind, what string) *policy.Document {
	msg := "it could not be read"
	if len(b.In.Errors) > 0 {
		msg = "it could not be read: " + b.In.Errors[len(b.In.Errors)-1].Message
	}
	return &policy.Document{Kind: kind, File: b.File, Line: n.Line, Name: what, Unresolved: msg}
}

// --- iam get-role / get-user ---

func detectGetRole(root *tree.Node) bool {
	r := root.Get("Role")
	return input.IsObject(r) && (r.Get("RoleName") != nil || r.Get("AssumeRolePolicyDocument") != nil)
}

func loadGetRole(root *tree.Node, b *input.Builder) {
	r := root.Get("Role")
	p := principalFrom(b.File, r, "role", "RoleName", "RoleId")
	principalTags(b, r, p)
	if n := r.Get("AssumeRolePolicyDocument"); n != nil {
		p.Trust = b.ParseDoc(n, policy.Trust, "trust policy of role/"+p.Name)
		if p.Trust != nil {
			policy.CheckQuota(policy.QuotaTrust, true, p.Trust)
		} else {
			p.Trust = unreadableDoc(b, n, policy.Trust, "trust policy of role/"+p.Name)
		}
		p.Trust.Origin = policy.OriginTrust
	} else {
		b.Errorf(r.Line, "role %s has no AssumeRolePolicyDocument", p.Name)
	}
	b.In.Principals = append(b.In.Principals, p)
}

func detectGetUser(root *tree.Node) bool {
	u := root.Get("User")
	return input.IsObject(u) && u.Get("UserName") != nil
}

func loadGetUser(root *tree.Node, b *input.Builder) {
	p := principalFrom(b.File, root.Get("User"), "user", "UserName", "UserId")
	principalTags(b, root.Get("User"), p)
	b.In.Principals = append(b.In.Principals, p)
}

// principalFrom reads the fields get-role, get-user and the account export
// share: name, ARN, unique id, permissions boundary ARN.
func principalFrom(file string, n *tree.Node, typ, nameKey, idKey string) *input.Principal {
	p := &input.Principal{Type: typ, Name: input.Str(n, nameKey), ARN: input.Str(n, "Arn"), ID: input.Str(n, idKey), File: file, Line: n.Line}
	arn, _ := policy.ParseARN(p.ARN)
	p.Account = arn.Account
	if pb := n.Get("PermissionsBoundary"); input.IsObject(pb) {
		p.BoundaryARN = input.Str(pb, "PermissionsBoundaryArn")
		p.BoundaryLine = pb.Line
	}
	return p
}

// readTags reads a Tags member ([{"Key", "Value"}], the shape get-role,
// get-user, list-role-tags and the account export print). ok is false when
// the member is there but not that shape (reported in b.In.Errors).
func readTags(b *input.Builder, n *tree.Node, owner string) (tags map[string]string, ok bool) {
	tags = map[string]string{}
	t := n.Get("Tags")
	switch {
	case t == nil || t.Kind == tree.Null:
		return tags, true
	case t.Kind != tree.Array:
		b.Errorf(t.Line, "Tags of %s is %s, want an array of {Key, Value}", owner, t.Kind)
		return tags, false
	}
	ok = true
	for _, it := range t.Items {
		if !input.IsObject(it) {
			b.Errorf(it.Line, "a tag of %s is %s, want {\"Key\": string, \"Value\": string}", owner, it.Kind)
			ok = false
			continue
		}
		k, kok := it.Get("Key").Str()
		v, vok := it.Get("Value").Str()
		if !kok || !vok {
			b.Errorf(it.Line, "a tag of %s is not {\"Key\": string, \"Value\": string}", owner)
			ok = false
			continue
		}
		tags[k] = v
	}
	return tags, ok
}

// principalTags reads the Tags of a role or user from get-role, get-user or
// an account export. Those list every tag and omit the member when there is
// none (API_Role.html, API_User.html: "A list of tags that are attached to
// the role"), so an absent member means no tags. A malformed member leaves
// the tags unknown.
func principalTags(b *input.Builder, n *tree.Node, p *input.Principal) {
	p.Tags, p.TagsKnown = readTags(b, n, p.Type+"/"+p.Name)
}

// --- iam get-role-policy / get-user-policy ---

func detectInlinePolicy(root *tree.Node) bool {
	return root.Get("PolicyDocument") != nil && (root.Get("RoleName") != nil || root.Get("UserName") != nil)
}

func loadInlinePolicy(root *tree.Node, b *input.Builder) {
	kind := b.Kind
	typ, name := "role", input.Str(root, "RoleName")
	if root.Get("RoleName") == nil {
		typ, name = "user", input.Str(root, "UserName")
	}
	if kind == "" {
		kind = policy.Identity
	}
	pname := input.Str(root, "PolicyName")
	d := b.ParseDoc(root.Get("PolicyDocument"), kind, inlineName(pname, typ, name))
	if d == nil {
		return
	}
	p := &input.Principal{Type: typ, Name: name, File: b.File, Line: root.Line}
	if kind == policy.Boundary {
		d.Origin = policy.OriginBoundary
		p.Boundary = d
	} else {
		d.Origin = policy.OriginInline
		p.Identity = append(p.Identity, d)
	}
	b.In.Principals = append(b.In.Principals, p)
}

func inlineName(policyName, typ, owner string) string {
	return "inline policy " + policyName + " of " + typ + "/" + owner
}

// --- iam get-policy-version ---

func detectPolicyVersion(root *tree.Node) bool {
	v := root.Get("PolicyVersion")
	return input.IsObject(v) && v.Get("Document") != nil
}

func loadPolicyVersion(root *tree.Node, b *input.Builder) {
	kind := b.Kind
	v := root.Get("PolicyVersion")
	vid := input.Str(v, "VersionId")
	// Only the default version of a managed policy is in force ("Versioning
	// IAM policies", access_policies_managed-versioning.html: "the default
	// version ... is the operative version"): another version grants nothing
	// and denies nothing, so it is left out, and said so.
	if isDef := v.Get("IsDefaultVersion"); isDef != nil && isDef.Kind == tree.Bool && isDef.Text == "false" {
		b.NotChecked(v.Line, fmt.Sprintf(
			"managed policy version %s is not the default version (IsDefaultVersion is false): only the default version is in force, "+
				"so it grants nothing and denies nothing (IAM \"Versioning IAM policies\"); smlint ignored it. "+
				"`aws iam get-policy --policy-arn ARN` names the version in force (DefaultVersionId)", vid))
		return
	}
	forced := kind != ""
	if !forced {
		kind = policy.Identity
	}
	d := b.ParseDoc(v.Get("Document"), kind, strings.TrimSpace("managed policy version "+vid))
	if d == nil {
		return
	}
	d.Origin = policy.OriginManaged
	policy.CheckQuota(policy.QuotaManaged, true, d)
	b.Document(d)
	if !forced {
		// No ARN: which managed policy this is (an attached policy, or the
		// permissions boundary) is decided in join and check.
		b.In.Versions = append(b.In.Versions, &input.PolicyVersion{Doc: d, VersionID: vid, File: b.File, Line: v.Line})
	}
}

// --- iam list-attached-role-policies ---

func detectAttached(root *tree.Node) bool {
	a := root.Get("AttachedPolicies")
	return a != nil && a.Kind == tree.Array
}

func loadAttached(root *tree.Node, b *input.Builder) {
	b.In.AttachmentLists++
	for _, it := range root.Get("AttachedPolicies").Items {
		if !input.IsObject(it) {
			b.Errorf(it.Line, "attached policy is %s, want an object with PolicyName and PolicyArn", it.Kind)
			continue
		}
		b.In.Attachments = append(b.In.Attachments, input.Attachment{PolicyName: input.Str(it, "PolicyName"), PolicyARN: input.Str(it, "PolicyArn"), File: b.File, Line: it.Line})
	}
}

// --- iam get-policy ---

// detectGetPolicy: {"Policy": {"PolicyName", "PolicyId", "Arn", "Path",
// "DefaultVersionId", "AttachmentCount", "PermissionsBoundaryUsageCount",
// "IsAttachable", "CreateDate", "UpdateDate"}} (aws-cli examples/iam/get-policy).
func detectGetPolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return input.IsObject(p) && p.Get("Arn") != nil && p.Get("DefaultVersionId") != nil
}

func loadGetPolicy(root *tree.Node, b *input.Builder) {
	p := root.Get("Policy")
	mp := input.ManagedPolicyInfo{ARN: input.Str(p, "Arn"), Name: input.Str(p, "PolicyName"), DefaultVersionID: input.Str(p, "DefaultVersionId"), File: b.File, Line: p.Line}
	if n := p.Get("AttachmentCount"); n != nil && n.Kind == tree.Number {
		_, _ = fmt.Sscan(n.Text, &mp.AttachmentCount) // not a count: left 0, as when absent
	}
	if mp.ARN == "" || mp.DefaultVersionID == "" {
		b.Errorf(p.Line, "iam get-policy output without Arn or DefaultVersionId")
		return
	}
	b.In.ManagedPolicies = append(b.In.ManagedPolicies, mp)
}

// --- organizations describe-policy, list-policies-for-target ---

// detectDescribePolicy: {"Policy": {"PolicySummary": {"Id", "Arn", "Name",
// "Description", "Type", "AwsManaged"}, "Content": "<JSON text>"}}
// (Organizations API DescribePolicy; aws-cli examples/organizations).
func detectDescribePolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return input.IsObject(p) && input.IsObject(p.Get("PolicySummary")) && p.Get("Content") != nil
}

func loadDescribePolicy(root *tree.Node, b *input.Builder) {
	kind := b.Kind
	p := root.Get("Policy")
	sum := p.Get("PolicySummary")
	info := &input.SCPInfo{ID: input.Str(sum, "Id"), ARN: input.Str(sum, "Arn"), Name: input.Str(sum, "Name")}
	if b := sum.Get("AwsManaged"); b != nil && b.Kind == tree.Bool {
		info.AWSManaged = b.Text == "true"
	}
	name := info.Name
	if info.ID != "" {
		name = strings.TrimSpace(name + " (" + info.ID + ")")
	}
	switch typ := input.Str(sum, "Type"); {
	case typ == "RESOURCE_CONTROL_POLICY" && kind == "":
		// An RCP can deny the vendor's S3, KMS and STS requests
		// (orgs_manage_policies_rcps_evaluation.html); smlint does not
		// evaluate RCPs, so it must not be taken as absent either.
		d := &policy.Document{Kind: policy.SCP, Origin: policy.OriginOrganization, File: b.File, Line: p.Line, ARN: info.ARN,
			Name: "resource control policy " + info.Name, Unresolved: "smlint does not evaluate resource control policies (RCPs)"}
		info.Doc = d
		b.Document(d)
		b.In.SCPs = append(b.In.SCPs, info)
		b.In.Unresolved = append(b.In.Unresolved, input.Unresolved{File: b.File, Line: p.Line, What: "the resource control policy " + info.Name,
			Reason: "smlint does not evaluate RCPs, and an RCP can deny the vendor's requests; check its Deny statements by hand"})
		return
	case typ != "" && typ != "SERVICE_CONTROL_POLICY" && kind == "":
		b.NotChecked(p.Line, fmt.Sprintf("an Organizations %s, not an authorization policy: it does not decide access", typ))
		return
	}
	d := b.ParseDoc(p.Get("Content"), policy.SCP, name)
	if d == nil {
		return
	}
	d.Origin = policy.OriginOrganization
	d.ARN = info.ARN
	d.AWSManaged = info.AWSManaged
	info.Doc = d
	b.Document(d)
	b.In.SCPs = append(b.In.SCPs, info)
}

// detectPoliciesForTarget: {"Policies": [PolicySummary...]} as printed by
// `aws organizations list-policies-for-target --target-id ID --filter
// SERVICE_CONTROL_POLICY`.
func detectPoliciesForTarget(root *tree.Node) bool {
	ps := root.Get("Policies")
	if ps == nil || ps.Kind != tree.Array || len(ps.Items) == 0 {
		return false
	}
	for _, it := range ps.Items {
		if !input.IsObject(it) || it.Get("PolicyVersionList") != nil || it.Get("PolicyName") != nil {
			return false
		}
		if it.Get("Type") == nil && !strings.HasPrefix(input.Str(it, "Arn"), "arn:aws:organizations:") {
			return false
		}
	}
	return true
}

func loadPoliciesForTarget(root *tree.Node, b *input.Builder) {
	l := &input.SCPList{File: b.File, Line: root.Line}
	for _, it := range root.Get("Policies").Items {
		if t := input.Str(it, "Type"); t != "" && t != "SERVICE_CONTROL_POLICY" {
			continue // RCPs and other policy types listed with another --filter
		}
		ref := input.SCPRef{ID: input.Str(it, "Id"), ARN: input.Str(it, "Arn"), Name: input.Str(it, "Name"), Line: it.Line}
		if b := it.Get("AwsManaged"); b != nil && b.Kind == tree.Bool {
			ref.AWSManaged = b.Text == "true"
		}
		if ref.ID == "" && ref.ARN == "" {
			b.Errorf(it.Line, "policy summary without Id or Arn")
			continue
		}
		l.Policies = append(l.Policies, ref)
	}
	if len(l.Policies) == 0 {
		b.NotChecked(root.Line, "lists no service control policy")
		return
	}
	b.In.SCPLists = append(b.In.SCPLists, l)
}

// --- s3api get-bucket-policy, kms get-key-policy ---

func detectResourcePolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return p != nil && (p.Kind == tree.String || p.Kind == tree.Unknown)
}

func loadResourcePolicy(root *tree.Node, b *input.Builder) {
	kind := b.Kind
	n := root.Get("Policy")
	if kind == "" && root.Get("PolicyName") != nil {
		kind = policy.Key // only kms get-key-policy names its policy ("default")
	}
	d := b.ParseDoc(n, kind, "")
	if d == nil {
		return
	}
	if kind == "" && d.Kind != policy.Key && d.Kind != policy.Bucket {
		if d = b.ParseDoc(n, policy.Bucket, ""); d == nil {
			return
		}
	}
	if d.Kind == policy.Key {
		d.Name = "key policy " + input.Str(root, "PolicyName")
	} else {
		d.Name = "bucket policy"
	}
	d.Name = strings.TrimSpace(d.Name)
	d.Origin = policy.OriginResource
	b.Document(d)
}

// --- s3api get-bucket-encryption, get-bucket-location ---

func detectBucketEncryption(root *tree.Node) bool {
	return input.IsObject(root.Get("ServerSideEncryptionConfiguration"))
}

func loadBucketEncryption(root *tree.Node, b *input.Builder) {
	cfg := root.Get("ServerSideEncryptionConfiguration")
	bf := &input.BucketFacts{File: b.File, Line: cfg.Line}
	rules := cfg.Get("Rules")
	switch {
	case rules == nil:
		b.Errorf(cfg.Line, "ServerSideEncryptionConfiguration has no Rules")
		return
	case rules.Kind == tree.Object:
		rules = &tree.Node{Kind: tree.Array, Items: []*tree.Node{rules}, Line: rules.Line}
	case rules.Kind != tree.Array:
		b.Errorf(rules.Line, "Rules is %s, want an array", rules.Kind)
		return
	}
	for _, r := range rules.Items {
		def := r.Get("ApplyServerSideEncryptionByDefault")
		if !input.IsObject(def) {
			continue
		}
		bf.Line = def.Line
		bf.SSEAlgorithm = input.StrOrUnknown(def, "SSEAlgorithm")
		bf.KMSMasterKeyID = input.StrOrUnknown(def, "KMSMasterKeyID")
		if k := r.Get("BucketKeyEnabled"); k != nil && k.Kind == tree.Bool {
			bf.BucketKeyEnabled = k.Text == "true"
		}
		break
	}
	b.In.Buckets = append(b.In.Buckets, bf)
}

func detectBucketLocation(root *tree.Node) bool {
	return root.Kind == tree.Object && root.Get("LocationConstraint") != nil
}

// loadBucketLocation: a null or empty LocationConstraint means us-east-1, and
// the legacy value EU means eu-west-1 (S3 GetBucketLocation API reference).
func loadBucketLocation(root *tree.Node, b *input.Builder) {
	n := root.Get("LocationConstraint")
	bf := &input.BucketFacts{File: b.File, Line: n.Line}
	switch n.Kind {
	case tree.Null:
		bf.Region = "us-east-1"
	case tree.String:
		switch n.Text {
		case "":
			bf.Region = "us-east-1"
		case "EU":
			bf.Region = "eu-west-1"
		default:
			bf.Region = n.Text
		}
	default:
		b.Errorf(n.Line, "LocationConstraint is %s, want a region name or null", n.Kind)
		return
	}
	b.In.Buckets = append(b.In.Buckets, bf)
}

// --- iam list-role-tags / list-user-tags ---

// detectTagList: {"Tags": [...], "IsTruncated": bool} (IAM ListRoleTags /
// ListUserTags; KMS list-resource-tags prints TagKey/TagValue and Truncated).
func detectTagList(root *tree.Node) bool {
	t := root.Get("Tags")
	return root.Kind == tree.Object && t != nil && t.Kind == tree.Array && root.Get("IsTruncated") != nil
}

func loadTagList(root *tree.Node, b *input.Builder) {
	tags, ok := readTags(b, root, "the tag listing")
	if !ok {
		return
	}
	tr := root.Get("IsTruncated")
	b.In.TagLists = append(b.In.TagLists, input.TagList{Tags: tags, Truncated: tr.Kind != tree.Bool || tr.Text != "false", File: b.File, Line: root.Line})
}

// --- organizations describe-organization ---

func detectOrganization(root *tree.Node) bool {
	o := root.Get("Organization")
	return input.IsObject(o) && o.Get("Id") != nil
}

func loadOrganization(root *tree.Node, b *input.Builder) {
	o := root.Get("Organization")
	id := input.Str(o, "Id")
	if !strings.HasPrefix(id, "o-") {
		b.Errorf(o.Line, "Organization.Id %q is not an organization id (o-…)", id)
		return
	}
	b.In.Organizations = append(b.In.Organizations, input.Organization{ID: id, MasterAccountID: input.Str(o, "MasterAccountId"), File: b.File, Line: o.Line})
}

// --- kms describe-key ---

func detectDescribeKey(root *tree.Node) bool { return input.IsObject(root.Get("KeyMetadata")) }

func loadDescribeKey(root *tree.Node, b *input.Builder) {
	m := root.Get("KeyMetadata")
	k := &input.KeyFacts{ARN: input.Str(m, "Arn"), KeyID: input.Str(m, "KeyId"), KeyManager: input.Str(m, "KeyManager"), KeyState: input.Str(m, "KeyState"), File: b.File, Line: m.Line}
	arn, _ := policy.ParseARN(k.ARN)
	k.Region, k.Account = arn.Region, arn.Account
	if k.Account == "" {
		k.Account = input.Str(m, "AWSAccountId")
	}
	b.In.Keys = append(b.In.Keys, k)
}
