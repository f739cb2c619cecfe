package live

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/policy"
)

// Save writes what a live run read into dir, in the shapes the AWS CLI
// prints and `smlint check` already reads, so that
//
//	smlint check --config DIR/.smlint.yaml DIR
//
// reproduces the verdict and the findings offline (an audit attached to a
// ticket, or diffed next month):
//
//   - iam-get-account-authorization-details.json: the roles and users read,
//     with their trust, inline, attached and group policies and boundary
//     (the default versions, as the export lists them);
//   - s3api-get-bucket-location.json, s3api-get-bucket-policy.json,
//     s3api-get-bucket-encryption.json; kms-describe-key.json,
//     kms-get-key-policy.json;
//   - iam-list-access-keys-USER.json and
//     iam-get-access-key-last-used-KEYID.json (access-key method);
//   - smlint-unread.json: every document that exists but was not read (a
//     refused or timed-out call), which check turns back into unknown
//     documents — no AWS command prints "I could not read this";
//   - .smlint.yaml: the setup of the run; simulate.json: the cross-check.
func Save(dir string, snap *Snapshot, setup config.Setup, cc *CrossCheck) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--save %s: %w", dir, err)
	}
	s := saver{dir: dir}
	s.account(snap)
	s.bucket(snap)
	s.key(snap)
	s.accessKeys(snap)
	s.organization(snap)
	s.unread(snap)
	s.setup(setup)
	if cc != nil {
		s.json("simulate.json", cc)
	}
	return s.err
}

type saver struct {
	dir    string
	err    error
	unseen []unreadEntry
}

// unreadEntry is one line of smlint-unread.json (load/unread.go reads it).
type unreadEntry struct {
	Kind      string `json:"Kind"`                // trust | identity | boundary | bucket | key | encryption | scp | roles
	Principal string `json:"Principal,omitempty"` // role/NAME or user/NAME
	Bucket    string `json:"Bucket,omitempty"`
	File      string `json:"File"`
	What      string `json:"What"`
	Reason    string `json:"Reason"`
}

func (s *saver) json(name string, v any) {
	if s.err != nil {
		return
	}
	data, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		s.err = fmt.Errorf("--save %s: %w", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(s.dir, name), append(data, '\n'), 0o644); err != nil {
		s.err = fmt.Errorf("--save: %w", err)
	}
}

// doc is a policy document as the CLI prints it: a JSON object (botocore
// decodes IAM's URL-encoding), or the text as a string when it is not JSON.
func doc(d *policy.Document) any {
	var v any
	if err := json.Unmarshal([]byte(d.Source), &v); err == nil {
		return v
	}
	return d.Source
}

type exportPolicy struct {
	PolicyName        string          `json:"PolicyName"`
	Arn               string          `json:"Arn"`
	DefaultVersionId  string          `json:"DefaultVersionId"`
	PolicyVersionList []exportVersion `json:"PolicyVersionList"`
}

type exportVersion struct {
	Document         any    `json:"Document"`
	VersionId        string `json:"VersionId"`
	IsDefaultVersion bool   `json:"IsDefaultVersion"`
}

type inlinePolicy struct {
	PolicyName     string `json:"PolicyName"`
	PolicyDocument any    `json:"PolicyDocument"`
}

type attachedPolicy struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type boundaryRef struct {
	PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
}

// account writes the principals as get-account-authorization-details does.
func (s *saver) account(snap *Snapshot) {
	var roles, users, groups []map[string]any
	policies := map[string]exportPolicy{}
	managed := func(d *policy.Document, arn string) attachedPolicy {
		name := lastSegment(arn)
		if d != nil && d.Unresolved == "" {
			policies[arn] = exportPolicy{PolicyName: name, Arn: arn, DefaultVersionId: "v1",
				PolicyVersionList: []exportVersion{{Document: doc(d), VersionId: "v1", IsDefaultVersion: true}}}
		}
		return attachedPolicy{PolicyName: name, PolicyArn: arn}
	}
	groupInline := map[string][]inlinePolicy{}
	for _, p := range snap.Principals {
		owner := p.Type + "/" + p.Name
		entry := map[string]any{"Path": "/", "Arn": p.ARN}
		inline, att := []inlinePolicy{}, []attachedPolicy{}
		var memberOf []string
		for _, d := range p.Identity {
			switch {
			case d.Unresolved != "":
				s.unseen = append(s.unseen, unreadEntry{Kind: "identity", Principal: owner, File: d.File, What: d.Name, Reason: d.Unresolved})
			case d.ARN != "":
				att = append(att, managed(d, d.ARN))
			case strings.HasPrefix(d.File, "aws:iam:group/"):
				// aws:iam:group/G/inline/P: the user's group's inline policy.
				rest := strings.TrimPrefix(d.File, "aws:iam:group/")
				g, pn, _ := strings.Cut(rest, "/inline/")
				groupInline[g] = append(groupInline[g], inlinePolicy{PolicyName: pn, PolicyDocument: doc(d)})
				memberOf = append(memberOf, g)
			default:
				_, pn, _ := strings.Cut(d.File, "/inline/")
				inline = append(inline, inlinePolicy{PolicyName: pn, PolicyDocument: doc(d)})
			}
		}
		if p.Boundary != nil || p.BoundaryARN != "" {
			arn := p.BoundaryARN
			if p.Boundary != nil && p.Boundary.ARN != "" {
				arn = p.Boundary.ARN
			}
			if p.Boundary != nil && p.Boundary.Unresolved != "" {
				s.unseen = append(s.unseen, unreadEntry{Kind: "boundary", Principal: owner, File: p.Boundary.File, What: p.Boundary.Name, Reason: p.Boundary.Unresolved})
			} else if p.Boundary != nil {
				managed(p.Boundary, arn)
			}
			entry["PermissionsBoundary"] = boundaryRef{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn}
		}
		entry["AttachedManagedPolicies"] = att
		switch p.Type {
		case "role":
			entry["RoleName"], entry["RoleId"] = p.Name, p.ID
			entry["RolePolicyList"] = inline
			switch {
			case p.Trust == nil:
			case p.Trust.Unresolved != "":
				s.unseen = append(s.unseen, unreadEntry{Kind: "trust", Principal: owner, File: p.Trust.File, What: p.Trust.Name, Reason: p.Trust.Unresolved})
			default:
				entry["AssumeRolePolicyDocument"] = doc(p.Trust)
			}
			roles = append(roles, entry)
		case "user":
			entry["UserName"], entry["UserId"] = p.Name, p.ID
			entry["UserPolicyList"] = inline
			sort.Strings(memberOf)
			entry["GroupList"] = compact(memberOf)
			users = append(users, entry)
		}
	}
	var gnames []string
	for g := range groupInline {
		gnames = append(gnames, g)
	}
	sort.Strings(gnames)
	for _, g := range gnames {
		groups = append(groups, map[string]any{"GroupName": g, "Path": "/", "GroupPolicyList": groupInline[g], "AttachedManagedPolicies": []attachedPolicy{}})
	}
	var arns []string
	for a := range policies {
		arns = append(arns, a)
	}
	sort.Strings(arns)
	list := []exportPolicy{}
	for _, a := range arns {
		list = append(list, policies[a])
	}
	s.json("iam-get-account-authorization-details.json", map[string]any{
		"UserDetailList": orEmpty(users), "GroupDetailList": orEmpty(groups), "RoleDetailList": orEmpty(roles),
		"Policies": list, "IsTruncated": false,
	})
}

func orEmpty(xs []map[string]any) []map[string]any {
	if xs == nil {
		return []map[string]any{}
	}
	return xs
}

// compact drops repeated names from a sorted list.
func compact(xs []string) []string {
	out := []string{}
	for i, x := range xs {
		if i == 0 || xs[i-1] != x {
			out = append(out, x)
		}
	}
	return out
}

func (s *saver) bucket(snap *Snapshot) {
	b := snap.Bucket
	if b == nil {
		return
	}
	if b.Region != "" {
		lc := b.Region
		if lc == "us-east-1" {
			lc = "" // get-bucket-location prints null for us-east-1
		}
		var v any = lc
		if lc == "" {
			v = nil
		}
		s.json("s3api-get-bucket-location.json", map[string]any{"LocationConstraint": v})
	}
	for _, d := range snap.Input.Documents {
		if d.Kind != policy.Bucket {
			continue
		}
		if d.Unresolved != "" {
			s.unseen = append(s.unseen, unreadEntry{Kind: "bucket", Bucket: b.Name, File: d.File, What: d.Name, Reason: d.Unresolved})
			continue
		}
		s.json("s3api-get-bucket-policy.json", map[string]any{"Policy": d.Source})
	}
	switch {
	case policy.IsUnknown(b.KMSMasterKeyID):
		what := "default encryption of " + b.Name
		s.unseen = append(s.unseen, unreadEntry{Kind: "encryption", Bucket: b.Name, File: b.File, What: what,
			Reason: strings.TrimPrefix(policy.UnknownReason(b.KMSMasterKeyID), what+" ")})
	case b.SSEAlgorithm != "":
		def := map[string]any{"SSEAlgorithm": b.SSEAlgorithm}
		if b.KMSMasterKeyID != "" {
			def["KMSMasterKeyID"] = b.KMSMasterKeyID
		}
		s.json("s3api-get-bucket-encryption.json", map[string]any{"ServerSideEncryptionConfiguration": map[string]any{
			"Rules": []map[string]any{{"ApplyServerSideEncryptionByDefault": def, "BucketKeyEnabled": b.BucketKeyEnabled}}}})
	}
}

func (s *saver) key(snap *Snapshot) {
	k := snap.Key
	if k == nil {
		return
	}
	if k.ARN != "" {
		meta := map[string]any{"AWSAccountId": k.Account, "KeyId": k.KeyID, "Arn": k.ARN, "Enabled": true,
			"KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS", "KeySpec": "SYMMETRIC_DEFAULT"}
		if k.KeyManager != "" {
			meta["KeyManager"] = k.KeyManager
		}
		s.json("kms-describe-key.json", map[string]any{"KeyMetadata": meta})
	}
	switch {
	case k.Policy == nil:
	case k.Policy.Unresolved != "":
		s.unseen = append(s.unseen, unreadEntry{Kind: "key", File: k.Policy.File, What: k.Policy.Name, Reason: k.Policy.Unresolved})
	default:
		s.json("kms-get-key-policy.json", map[string]any{"Policy": k.Policy.Source, "PolicyName": "default"})
	}
}

func (s *saver) accessKeys(snap *Snapshot) {
	for _, p := range snap.Principals {
		if p.Type != "user" || len(p.AccessKeys) == 0 {
			continue
		}
		var meta []map[string]any
		for _, k := range p.AccessKeys {
			meta = append(meta, map[string]any{"UserName": p.Name, "AccessKeyId": k.ID, "Status": k.Status, "CreateDate": k.CreateDate})
			if !k.LastUsedKnown {
				continue
			}
			lu := map[string]any{"ServiceName": "N/A", "Region": "N/A"}
			if k.LastUsedDate != "" {
				lu = map[string]any{"LastUsedDate": k.LastUsedDate}
			}
			s.json("iam-get-access-key-last-used-"+k.ID+".json", map[string]any{"UserName": p.Name, "AccessKeyLastUsed": lu})
		}
		s.json("iam-list-access-keys-"+p.Name+".json", map[string]any{"UserName": p.Name, "AccessKeyMetadata": meta, "IsTruncated": !p.AccessKeysListed})
	}
}

func (s *saver) unread(snap *Snapshot) {
	for _, u := range snap.Input.Unresolved {
		if u.File == "aws:iam:roles" {
			s.unseen = append(s.unseen, unreadEntry{Kind: "roles", File: u.File, What: u.What, Reason: u.Reason})
		}
	}
	if len(s.unseen) == 0 {
		return
	}
	s.json("smlint-unread.json", map[string]any{"SmlintUnread": s.unseen})
}

// setup writes the run's setup as .smlint.yaml (the keys of SPEC §2).
func (s *saver) setup(setup config.Setup) {
	if s.err != nil {
		return
	}
	data, err := yaml.Marshal(setup)
	if err != nil {
		s.err = fmt.Errorf("--save .smlint.yaml: %w", err)
		return
	}
	head := "# The setup of a `smlint simulate --save` run; replay with\n# smlint check --config THIS_DIR/.smlint.yaml THIS_DIR\n"
	if err := os.WriteFile(filepath.Join(s.dir, ".smlint.yaml"), append([]byte(head), data...), 0o644); err != nil {
		s.err = fmt.Errorf("--save: %w", err)
	}
}

// organization writes describe-organization, one list-policies-for-target
// per level of the account's path and one describe-policy per SCP; SCPs
// that could not be read go to smlint-unread.json.
func (s *saver) organization(snap *Snapshot) {
	for _, o := range snap.Input.Organizations {
		s.json("organizations-describe-organization.json", map[string]any{"Organization": map[string]any{
			"Id": o.ID, "MasterAccountId": o.MasterAccountID, "FeatureSet": "ALL"}})
	}
	summary := func(id, arn, name string, managed bool) map[string]any {
		return map[string]any{"Id": id, "Arn": arn, "Name": name, "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": managed}
	}
	for _, l := range snap.Input.SCPLists {
		var ps []map[string]any
		for _, r := range l.Policies {
			ps = append(ps, summary(r.ID, r.ARN, r.Name, r.AWSManaged))
		}
		s.json("organizations-list-policies-for-target-"+l.Level+".json", map[string]any{"Policies": ps})
	}
	for _, i := range snap.Input.SCPs {
		s.json("organizations-describe-policy-"+i.ID+".json", map[string]any{"Policy": map[string]any{
			"PolicySummary": summary(i.ID, i.ARN, i.Name, i.AWSManaged), "Content": i.Doc.Source}})
	}
	for _, d := range snap.Input.Documents {
		if d.Kind == policy.SCP && d.Unresolved != "" {
			s.unseen = append(s.unseen, unreadEntry{Kind: "scp", File: d.File, What: d.Name, Reason: d.Unresolved})
		}
	}
}
