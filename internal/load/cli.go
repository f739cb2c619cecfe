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
	if kind == "" {
		kind = policy.Identity
	}
	name := "managed policy version " + str(v, "VersionId")
	if b := v.Get("IsDefaultVersion"); b != nil && b.Kind == tree.Bool && b.Text == "false" {
		name += " (not the default version: not in effect)"
	}
	d := parseDoc(in, file, v.Get("Document"), kind, strings.TrimSpace(name))
	if d == nil {
		return
	}
	policy.CheckQuota(policy.QuotaManaged, true, d)
	in.Documents = append(in.Documents, d)
}

// --- iam list-attached-role-policies ---

func detectAttached(root *tree.Node) bool {
	a := root.Get("AttachedPolicies")
	return a != nil && a.Kind == tree.Array
}

func loadAttached(file string, root *tree.Node, _ policy.Kind, in *Input) {
	for _, it := range root.Get("AttachedPolicies").Items {
		if !isObject(it) {
			in.errorf(file, it.Line, "attached policy is %s, want an object with PolicyName and PolicyArn", it.Kind)
			continue
		}
		in.Attachments = append(in.Attachments, Attachment{PolicyName: str(it, "PolicyName"), PolicyARN: str(it, "PolicyArn"), File: file, Line: it.Line})
	}
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
