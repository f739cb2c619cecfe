package load

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// AWS CLI output shapes (aws-cli awscli/examples/iam, s3api, kms; IAM-FACTS
// §5.3-5.5). The CLI prints IAM policy documents as JSON objects (botocore
// decodes them); raw API and SDK output holds URL-encoded strings; S3 and KMS
// policies are JSON text in a string. policy.FromNode accepts all three.
var cliFormats = []format{
	{name: "iam get-account-authorization-details", detect: detectAccountExport, loadKind: loadAccountExport},
	{name: "iam get-role", detect: detectGetRole, loadKind: loadGetRole},
	{name: "iam get-user", detect: detectGetUser, loadKind: loadGetUser},
	{name: "iam get-role-policy / get-user-policy", detect: detectInlinePolicy, loadKind: loadInlinePolicy},
	{name: "iam get-policy-version", detect: detectPolicyVersion, loadKind: loadPolicyVersion},
	{name: "iam list-attached-role-policies", detect: detectAttached, loadKind: loadAttached},
	{name: "iam get-policy", detect: detectGetPolicy, loadKind: loadGetPolicy},
	{name: "organizations describe-policy", detect: detectDescribePolicy, loadKind: loadDescribePolicy},
	{name: "organizations list-policies-for-target", detect: detectPoliciesForTarget, loadKind: loadPoliciesForTarget},
	{name: "s3api get-bucket-policy / kms get-key-policy", detect: detectResourcePolicy, loadKind: loadResourcePolicy},
	{name: "s3api get-bucket-encryption", detect: detectBucketEncryption, loadKind: loadBucketEncryption},
	{name: "s3api get-bucket-location", detect: detectBucketLocation, loadKind: loadBucketLocation},
	{name: "kms describe-key", detect: detectDescribeKey, loadKind: loadDescribeKey},
	{name: "iam list-role-tags / list-user-tags", detect: detectTagList, loadKind: loadTagList},
	{name: "organizations describe-organization", detect: detectOrganization, loadKind: loadOrganization},
}

// rawFormat is a policy document file: an object with a Statement, or a
// string holding one (JSON or URL-encoded).
var rawFormat = format{name: "policy document", detect: detectRaw, loadKind: loadRaw}

func str(n *tree.Node, key string) string {
	s, _ := n.Get(key).Str()
	return s
}

// strOrUnknown is like str but keeps an unknown value as its marker.
func strOrUnknown(n *tree.Node, key string) string {
	v := n.Get(key)
	if v.IsUnknown() {
		return policy.UnknownValue(v.Text)
	}
	s, _ := v.Str()
	return s
}

func isObject(n *tree.Node) bool { return n != nil && n.Kind == tree.Object }

// arnParts returns the region and account of an ARN ("" when malformed).
func arnParts(arn string) (region, account string) {
	_, _, region, account, _, ok := policy.SplitARN(arn)
	if !ok {
		return "", ""
	}
	return region, account
}

func (in *Input) errorf(file string, line int, format string, args ...any) {
	in.Errors = append(in.Errors, FileError{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// parseDoc parses the policy document in n, reporting a failure in in.Errors
// under what (for example "trust policy of role/x").
func parseDoc(in *Input, file string, n *tree.Node, kind policy.Kind, what string) *policy.Document {
	if n == nil {
		return nil
	}
	if n.Kind == tree.Null {
		in.errorf(file, n.Line, "%s is null", what)
		return nil
	}
	d, err := policy.FromNode(n, kind, file)
	if err != nil {
		fe := fileError(file, err)
		if what != "" { // raw documents have no name: no ": " before the message
			fe.Message = what + ": " + fe.Message
		}
		in.Errors = append(in.Errors, fe)
		return nil
	}
	d.Name = what
	return d
}

// unreadableDoc stands for a document the input holds but smlint could not
// parse (the error is already in in.Errors): it is not known, so it can
// neither grant nor be assumed absent, and the message says it was
// unreadable rather than missing.
func unreadableDoc(in *Input, file string, n *tree.Node, kind policy.Kind, what string) *policy.Document {
	msg := "it could not be read"
	if len(in.Errors) > 0 {
		msg = "it could not be read: " + in.Errors[len(in.Errors)-1].Message
	}
	return &policy.Document{Kind: kind, File: file, Line: n.Line, Name: what, Unresolved: msg}
}

// --- raw documents ---

func detectRaw(root *tree.Node) bool {
	switch root.Kind {
	case tree.Object:
		return root.Get("Statement") != nil
	case tree.String:
		t := strings.TrimSpace(root.Text)
		return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "%")
	}
	return false
}

func loadRaw(file string, root *tree.Node, kind policy.Kind, in *Input) {
	d := parseDoc(in, file, root, kind, "")
	if d == nil {
		return
	}
	policy.CheckDefaultQuota(d, false)
	in.Documents = append(in.Documents, d)
}

// --- iam get-role / get-user ---

func detectGetRole(root *tree.Node) bool {
	r := root.Get("Role")
	return isObject(r) && (r.Get("RoleName") != nil || r.Get("AssumeRolePolicyDocument") != nil)
}

func loadGetRole(file string, root *tree.Node, _ policy.Kind, in *Input) {
	r := root.Get("Role")
	p := principalFrom(file, r, "role", "RoleName", "RoleId")
	principalTags(in, file, r, p)
	if n := r.Get("AssumeRolePolicyDocument"); n != nil {
		p.Trust = parseDoc(in, file, n, policy.Trust, "trust policy of role/"+p.Name)
		if p.Trust != nil {
			policy.CheckQuota(policy.QuotaTrust, true, p.Trust)
		} else {
			p.Trust = unreadableDoc(in, file, n, policy.Trust, "trust policy of role/"+p.Name)
		}
	} else {
		in.errorf(file, r.Line, "role %s has no AssumeRolePolicyDocument", p.Name)
	}
	in.Principals = append(in.Principals, p)
}

func detectGetUser(root *tree.Node) bool {
	u := root.Get("User")
	return isObject(u) && u.Get("UserName") != nil
}

func loadGetUser(file string, root *tree.Node, _ policy.Kind, in *Input) {
	p := principalFrom(file, root.Get("User"), "user", "UserName", "UserId")
	principalTags(in, file, root.Get("User"), p)
	in.Principals = append(in.Principals, p)
}

// principalFrom reads the fields get-role, get-user and the account export
// share: name, ARN, unique id, permissions boundary ARN.
func principalFrom(file string, n *tree.Node, typ, nameKey, idKey string) *Principal {
	p := &Principal{Type: typ, Name: str(n, nameKey), ARN: str(n, "Arn"), ID: str(n, idKey), File: file, Line: n.Line}
	_, p.Account = arnParts(p.ARN)
	if pb := n.Get("PermissionsBoundary"); isObject(pb) {
		p.BoundaryARN = str(pb, "PermissionsBoundaryArn")
		p.BoundaryLine = pb.Line
	}
	return p
}

// readTags reads a Tags member ([{"Key", "Value"}], the shape get-role,
// get-user, list-role-tags and the account export print). ok is false when
// the member is there but not that shape (reported in in.Errors).
func readTags(in *Input, file string, n *tree.Node, owner string) (tags map[string]string, ok bool) {
	tags = map[string]string{}
	t := n.Get("Tags")
	switch {
	case t == nil || t.Kind == tree.Null:
		return tags, true
	case t.Kind != tree.Array:
		in.errorf(file, t.Line, "Tags of %s is %s, want an array of {Key, Value}", owner, t.Kind)
		return tags, false
	}
	ok = true
	for _, it := range t.Items {
		if !isObject(it) {
			in.errorf(file, it.Line, "a tag of %s is %s, want {\"Key\": string, \"Value\": string}", owner, it.Kind)
			ok = false
			continue
		}
		k, kok := it.Get("Key").Str()
		v, vok := it.Get("Value").Str()
		if !kok || !vok {
			in.errorf(file, it.Line, "a tag of %s is not {\"Key\": string, \"Value\": string}", owner)
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
func principalTags(in *Input, file string, n *tree.Node, p *Principal) {
	p.Tags, p.TagsKnown = readTags(in, file, n, p.Type+"/"+p.Name)
}

// --- iam get-role-policy / get-user-policy ---

func detectInlinePolicy(root *tree.Node) bool {
	return root.Get("PolicyDocument") != nil && (root.Get("RoleName") != nil || root.Get("UserName") != nil)
}

func loadInlinePolicy(file string, root *tree.Node, kind policy.Kind, in *Input) {
	typ, name := "role", str(root, "RoleName")
	if root.Get("RoleName") == nil {
		typ, name = "user", str(root, "UserName")
	}
	if kind == "" {
		kind = policy.Identity
	}
	pname := str(root, "PolicyName")
	d := parseDoc(in, file, root.Get("PolicyDocument"), kind, inlineName(pname, typ, name))
	if d == nil {
		return
	}
	p := &Principal{Type: typ, Name: name, File: file, Line: root.Line}
	if kind == policy.Boundary {
		p.Boundary = d
	} else {
		p.Identity = append(p.Identity, d)
	}
	in.Principals = append(in.Principals, p)
}

func inlineName(policyName, typ, owner string) string {
	return "inline policy " + policyName + " of " + typ + "/" + owner
}

// --- iam get-policy-version ---

func detectPolicyVersion(root *tree.Node) bool {
	v := root.Get("PolicyVersion")
	return isObject(v) && v.Get("Document") != nil
}

func loadPolicyVersion(file string, root *tree.Node, kind policy.Kind, in *Input) {
	v := root.Get("PolicyVersion")
	vid := str(v, "VersionId")
	// Only the default version of a managed policy is in force ("Versioning
	// IAM policies", access_policies_managed-versioning.html: "the default
	// version ... is the operative version"): another version grants nothing
	// and denies nothing, so it is left out, and said so.
	if b := v.Get("IsDefaultVersion"); b != nil && b.Kind == tree.Bool && b.Text == "false" {
		in.NotChecked = append(in.NotChecked, FileError{File: file, Line: v.Line, Message: fmt.Sprintf(
			"managed policy version %s is not the default version (IsDefaultVersion is false): only the default version is in force, "+
				"so it grants nothing and denies nothing (IAM \"Versioning IAM policies\"); smlint ignored it. "+
				"`aws iam get-policy --policy-arn ARN` names the version in force (DefaultVersionId)", vid)})
		return
	}
	forced := kind != ""
	if !forced {
		kind = policy.Identity
	}
	d := parseDoc(in, file, v.Get("Document"), kind, strings.TrimSpace("managed policy version "+vid))
	if d == nil {
		return
	}
	policy.CheckQuota(policy.QuotaManaged, true, d)
	in.Documents = append(in.Documents, d)
	if !forced {
		// No ARN: which managed policy this is (an attached policy, or the
		// permissions boundary) is decided in join and check.
		in.Versions = append(in.Versions, &PolicyVersion{Doc: d, VersionID: vid, File: file, Line: v.Line})
	}
}

// --- iam list-attached-role-policies ---

func detectAttached(root *tree.Node) bool {
	a := root.Get("AttachedPolicies")
	return a != nil && a.Kind == tree.Array
}

func loadAttached(file string, root *tree.Node, _ policy.Kind, in *Input) {
	in.AttachmentLists++
	for _, it := range root.Get("AttachedPolicies").Items {
		if !isObject(it) {
			in.errorf(file, it.Line, "attached policy is %s, want an object with PolicyName and PolicyArn", it.Kind)
			continue
		}
		in.Attachments = append(in.Attachments, Attachment{PolicyName: str(it, "PolicyName"), PolicyARN: str(it, "PolicyArn"), File: file, Line: it.Line})
	}
}

// --- iam get-policy ---

// detectGetPolicy: {"Policy": {"PolicyName", "PolicyId", "Arn", "Path",
// "DefaultVersionId", "AttachmentCount", "PermissionsBoundaryUsageCount",
// "IsAttachable", "CreateDate", "UpdateDate"}} (aws-cli examples/iam/get-policy).
func detectGetPolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return isObject(p) && p.Get("Arn") != nil && p.Get("DefaultVersionId") != nil
}

func loadGetPolicy(file string, root *tree.Node, _ policy.Kind, in *Input) {
	p := root.Get("Policy")
	mp := ManagedPolicyInfo{ARN: str(p, "Arn"), Name: str(p, "PolicyName"), DefaultVersionID: str(p, "DefaultVersionId"), File: file, Line: p.Line}
	if n := p.Get("AttachmentCount"); n != nil && n.Kind == tree.Number {
		fmt.Sscan(n.Text, &mp.AttachmentCount)
	}
	if mp.ARN == "" || mp.DefaultVersionID == "" {
		in.errorf(file, p.Line, "iam get-policy output without Arn or DefaultVersionId")
		return
	}
	in.ManagedPolicies = append(in.ManagedPolicies, mp)
}

// --- organizations describe-policy, list-policies-for-target ---

// detectDescribePolicy: {"Policy": {"PolicySummary": {"Id", "Arn", "Name",
// "Description", "Type", "AwsManaged"}, "Content": "<JSON text>"}}
// (Organizations API DescribePolicy; aws-cli examples/organizations).
func detectDescribePolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return isObject(p) && isObject(p.Get("PolicySummary")) && p.Get("Content") != nil
}

func loadDescribePolicy(file string, root *tree.Node, kind policy.Kind, in *Input) {
	p := root.Get("Policy")
	sum := p.Get("PolicySummary")
	info := &SCPInfo{ID: str(sum, "Id"), ARN: str(sum, "Arn"), Name: str(sum, "Name")}
	if b := sum.Get("AwsManaged"); b != nil && b.Kind == tree.Bool {
		info.AWSManaged = b.Text == "true"
	}
	name := info.Name
	if info.ID != "" {
		name = strings.TrimSpace(name + " (" + info.ID + ")")
	}
	switch typ := str(sum, "Type"); {
	case typ == "RESOURCE_CONTROL_POLICY" && kind == "":
		// An RCP can deny the vendor's S3, KMS and STS requests
		// (orgs_manage_policies_rcps_evaluation.html); smlint does not
		// evaluate RCPs, so it must not be taken as absent either.
		d := &policy.Document{Kind: policy.SCP, File: file, Line: p.Line, ARN: info.ARN,
			Name: "resource control policy " + info.Name, Unresolved: "smlint does not evaluate resource control policies (RCPs)"}
		info.Doc = d
		in.Documents = append(in.Documents, d)
		in.SCPs = append(in.SCPs, info)
		in.Unresolved = append(in.Unresolved, Unresolved{File: file, Line: p.Line, What: "the resource control policy " + info.Name,
			Reason: "smlint does not evaluate RCPs, and an RCP can deny the vendor's requests; check its Deny statements by hand"})
		return
	case typ != "" && typ != "SERVICE_CONTROL_POLICY" && kind == "":
		in.NotChecked = append(in.NotChecked, FileError{File: file, Line: p.Line,
			Message: fmt.Sprintf("an Organizations %s, not an authorization policy: it does not decide access", typ)})
		return
	}
	d := parseDoc(in, file, p.Get("Content"), policy.SCP, name)
	if d == nil {
		return
	}
	d.ARN = info.ARN
	d.AWSManaged = info.AWSManaged
	info.Doc = d
	in.Documents = append(in.Documents, d)
	in.SCPs = append(in.SCPs, info)
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
		if !isObject(it) || it.Get("PolicyVersionList") != nil || it.Get("PolicyName") != nil {
			return false
		}
		if it.Get("Type") == nil && !strings.HasPrefix(str(it, "Arn"), "arn:aws:organizations:") {
			return false
		}
	}
	return true
}

func loadPoliciesForTarget(file string, root *tree.Node, _ policy.Kind, in *Input) {
	l := &SCPList{File: file, Line: root.Line}
	for _, it := range root.Get("Policies").Items {
		if t := str(it, "Type"); t != "" && t != "SERVICE_CONTROL_POLICY" {
			continue // RCPs and other policy types listed with another --filter
		}
		ref := SCPRef{ID: str(it, "Id"), ARN: str(it, "Arn"), Name: str(it, "Name"), Line: it.Line}
		if b := it.Get("AwsManaged"); b != nil && b.Kind == tree.Bool {
			ref.AWSManaged = b.Text == "true"
		}
		if ref.ID == "" && ref.ARN == "" {
			in.errorf(file, it.Line, "policy summary without Id or Arn")
			continue
		}
		l.Policies = append(l.Policies, ref)
	}
	if len(l.Policies) == 0 {
		in.NotChecked = append(in.NotChecked, FileError{File: file, Line: root.Line, Message: "lists no service control policy"})
		return
	}
	in.SCPLists = append(in.SCPLists, l)
}

// --- s3api get-bucket-policy, kms get-key-policy ---

func detectResourcePolicy(root *tree.Node) bool {
	p := root.Get("Policy")
	return p != nil && (p.Kind == tree.String || p.Kind == tree.Unknown)
}

func loadResourcePolicy(file string, root *tree.Node, kind policy.Kind, in *Input) {
	n := root.Get("Policy")
	if kind == "" && root.Get("PolicyName") != nil {
		kind = policy.Key // only kms get-key-policy names its policy ("default")
	}
	d := parseDoc(in, file, n, kind, "")
	if d == nil {
		return
	}
	if kind == "" && d.Kind != policy.Key && d.Kind != policy.Bucket {
		if d = parseDoc(in, file, n, policy.Bucket, ""); d == nil {
			return
		}
	}
	if d.Kind == policy.Key {
		d.Name = "key policy " + str(root, "PolicyName")
	} else {
		d.Name = "bucket policy"
	}
	d.Name = strings.TrimSpace(d.Name)
	in.Documents = append(in.Documents, d)
}

// --- s3api get-bucket-encryption, get-bucket-location ---

func detectBucketEncryption(root *tree.Node) bool {
	return isObject(root.Get("ServerSideEncryptionConfiguration"))
}

func loadBucketEncryption(file string, root *tree.Node, _ policy.Kind, in *Input) {
	cfg := root.Get("ServerSideEncryptionConfiguration")
	b := &BucketFacts{File: file, Line: cfg.Line}
	rules := cfg.Get("Rules")
	switch {
	case rules == nil:
		in.errorf(file, cfg.Line, "ServerSideEncryptionConfiguration has no Rules")
		return
	case rules.Kind == tree.Object:
		rules = &tree.Node{Kind: tree.Array, Items: []*tree.Node{rules}, Line: rules.Line}
	case rules.Kind != tree.Array:
		in.errorf(file, rules.Line, "Rules is %s, want an array", rules.Kind)
		return
	}
	for _, r := range rules.Items {
		def := r.Get("ApplyServerSideEncryptionByDefault")
		if !isObject(def) {
			continue
		}
		b.Line = def.Line
		b.SSEAlgorithm = strOrUnknown(def, "SSEAlgorithm")
		b.KMSMasterKeyID = strOrUnknown(def, "KMSMasterKeyID")
		if k := r.Get("BucketKeyEnabled"); k != nil && k.Kind == tree.Bool {
			b.BucketKeyEnabled = k.Text == "true"
		}
		break
	}
	in.Buckets = append(in.Buckets, b)
}

func detectBucketLocation(root *tree.Node) bool {
	return root.Kind == tree.Object && root.Get("LocationConstraint") != nil
}

// loadBucketLocation: a null or empty LocationConstraint means us-east-1, and
// the legacy value EU means eu-west-1 (S3 GetBucketLocation API reference).
func loadBucketLocation(file string, root *tree.Node, _ policy.Kind, in *Input) {
	n := root.Get("LocationConstraint")
	b := &BucketFacts{File: file, Line: n.Line}
	switch n.Kind {
	case tree.Null:
		b.Region = "us-east-1"
	case tree.String:
		switch n.Text {
		case "":
			b.Region = "us-east-1"
		case "EU":
			b.Region = "eu-west-1"
		default:
			b.Region = n.Text
		}
	default:
		in.errorf(file, n.Line, "LocationConstraint is %s, want a region name or null", n.Kind)
		return
	}
	in.Buckets = append(in.Buckets, b)
}

// --- iam list-role-tags / list-user-tags ---

// detectTagList: {"Tags": [...], "IsTruncated": bool} (IAM ListRoleTags /
// ListUserTags; KMS list-resource-tags prints TagKey/TagValue and Truncated).
func detectTagList(root *tree.Node) bool {
	t := root.Get("Tags")
	return root.Kind == tree.Object && t != nil && t.Kind == tree.Array && root.Get("IsTruncated") != nil
}

func loadTagList(file string, root *tree.Node, _ policy.Kind, in *Input) {
	tags, ok := readTags(in, file, root, "the tag listing")
	if !ok {
		return
	}
	tr := root.Get("IsTruncated")
	in.TagLists = append(in.TagLists, TagList{Tags: tags, Truncated: !(tr.Kind == tree.Bool && tr.Text == "false"), File: file, Line: root.Line})
}

// --- organizations describe-organization ---

func detectOrganization(root *tree.Node) bool {
	o := root.Get("Organization")
	return isObject(o) && o.Get("Id") != nil
}

func loadOrganization(file string, root *tree.Node, _ policy.Kind, in *Input) {
	o := root.Get("Organization")
	id := str(o, "Id")
	if !strings.HasPrefix(id, "o-") {
		in.errorf(file, o.Line, "Organization.Id %q is not an organization id (o-…)", id)
		return
	}
	in.Organizations = append(in.Organizations, Organization{ID: id, MasterAccountID: str(o, "MasterAccountId"), File: file, Line: o.Line})
}

// --- kms describe-key ---

func detectDescribeKey(root *tree.Node) bool { return isObject(root.Get("KeyMetadata")) }

func loadDescribeKey(file string, root *tree.Node, _ policy.Kind, in *Input) {
	m := root.Get("KeyMetadata")
	k := &KeyFacts{ARN: str(m, "Arn"), KeyID: str(m, "KeyId"), KeyManager: str(m, "KeyManager"), KeyState: str(m, "KeyState"), File: file, Line: m.Line}
	k.Region, k.Account = arnParts(k.ARN)
	if k.Account == "" {
		k.Account = str(m, "AWSAccountId")
	}
	in.Keys = append(in.Keys, k)
}
