package scaffold

import (
	"github.com/smlint/smlint/internal/policy"

	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/requestmodel"
)

// DefaultRoleName is the role name used when none is given.
const DefaultRoleName = "supermetrics-s3-upload"

// Policy version 2012-10-17: the only one with policy variables, which the
// prefix escaping below relies on (reference_policies_elements_version.html).
const policyVersion = "2012-10-17"

// Statement ids (alphanumeric: IAM rejects anything else in identity
// policies, reference_policies_elements_sid.html).
const (
	SidTrust  = "SupermetricsAssumeRole"
	SidObject = "SupermetricsS3Access"
	SidBucket = "SupermetricsBucket"
	SidKMS    = "SupermetricsKMS"
	SidKey    = "SupermetricsUploadRole"
)

// Values is a policy value list that prints as a string when it holds one
// value, as IAM itself writes it.
type Values []string

// MarshalJSON writes one value as a string, several as an array.
func (v Values) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return json.Marshal(v[0])
	}
	return json.Marshal([]string(v))
}

// MarshalYAML writes one value as a string, several as a sequence.
func (v Values) MarshalYAML() (any, error) {
	if len(v) == 1 {
		return v[0], nil
	}
	return []string(v), nil
}

// Condition is a policy Condition block: operator → key → values.
type Condition map[string]map[string]Values

// Statement is one policy statement, with its elements in the order AWS
// prints them.
type Statement struct {
	Sid       string            `json:"Sid,omitempty" yaml:"Sid,omitempty"`
	Effect    string            `json:"Effect" yaml:"Effect"`
	Principal map[string]string `json:"Principal,omitempty" yaml:"Principal,omitempty"`
	Action    Values            `json:"Action" yaml:"Action"`
	Resource  Values            `json:"Resource,omitempty" yaml:"Resource,omitempty"`
	Condition Condition         `json:"Condition,omitempty" yaml:"Condition,omitempty"`
}

// Document is a policy document.
type Document struct {
	Version   string      `json:"Version" yaml:"Version"`
	Statement []Statement `json:"Statement" yaml:"Statement"`
}

// Scaffold is everything smlint init prints for one setup.
type Scaffold struct {
	// RoleName and RolePath name the role to create.
	RoleName string
	RolePath string
	// RoleARN is the role's ARN: the configured one, or built from the KMS
	// key's account and the role name; "" when neither is known.
	RoleARN string
	// RoleARNFromKey is true when RoleARN was built from the key's account
	// (no role ARN was configured).
	RoleARNFromKey bool
	// Bucket and Prefix are the destination (Prefix normalised as the
	// upload path: no leading slash, a trailing slash when non-empty).
	Bucket string
	Prefix string
	// Region is the bucket's region: configured, or the KMS key's region.
	Region    string
	KMSKeyARN string
	// IPRanges and ExternalID are the vendor facts the policies use.
	IPRanges   []string
	ExternalID string
	Trust      Document
	// Permission is the role's inline permission policy.
	Permission Document
	// KeyStatement is the statement to merge into the KMS key's policy; nil
	// without a KMS key.
	KeyStatement *Statement
	// KeyNote says how to apply KeyStatement.
	KeyNote string
	// Notes are what the user should know before deploying.
	Notes []string
}

// UsageError is a problem with the setup itself (a flag or config value);
// the CLI reports it as a usage error.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usage(format string, a ...any) error { return &UsageError{msg: fmt.Sprintf(format, a...)} }

// roleNameRe is IAM's role name pattern (API_CreateRole.html: [\w+=,.@-]+,
// 1 to 64 characters).
var roleNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// Build makes the scaffold for setup. roleName may be "" (the name comes
// from the configured role ARN, else DefaultRoleName). Only the role method
// is written: it is the one Supermetrics recommends, and the access-key
// method has no trust policy.
func Build(setup config.Setup, prof *requestmodel.Profile, roleName string) (*Scaffold, error) {
	if prof == nil {
		return nil, errors.New("no vendor profile")
	}
	if setup.Auth == config.AuthAccessKey {
		return nil, usage("init writes a role for the role method (the one %s recommends); --auth %s is not supported", prof.DisplayName, config.AuthAccessKey)
	}
	if setup.Bucket == "" {
		return nil, usage("a bucket is required (--bucket or bucket: in %s)", config.FileName)
	}
	if err := checkBucket(setup.Bucket); err != nil {
		return nil, err
	}
	s := &Scaffold{Bucket: setup.Bucket, Prefix: normalisePrefix(setup.Prefix), Region: setup.Region,
		KMSKeyARN: setup.KMSKeyARN, RolePath: "/"}

	// The role: its name, path and (when knowable) ARN.
	if setup.RoleARN != "" {
		acct, path, name, err := parseRoleARN(setup.RoleARN, prof)
		if err != nil {
			return nil, err
		}
		if roleName != "" && roleName != name {
			return nil, usage("--role-name %q differs from the name in the role ARN %s", roleName, setup.RoleARN)
		}
		roleName, s.RolePath = name, path
		s.RoleARN = "arn:aws:iam::" + acct + ":role" + path + name
	}
	if roleName == "" {
		roleName = DefaultRoleName
	}
	if !roleNameRe.MatchString(roleName) {
		return nil, usage("role name %q: IAM allows 1 to 64 of A-Z a-z 0-9 + = , . @ _ -", roleName)
	}
	s.RoleName = roleName

	// The KMS key: its ARN gives the region (S3 can use only a key in the
	// bucket's region, AmazonS3/latest/userguide/UsingKMSEncryption.html)
	// and, when no role ARN is given, the account the role will live in.
	var keyAccount string
	if setup.KMSKeyARN != "" {
		region, acct, err := parseKeyARN(setup.KMSKeyARN)
		if err != nil {
			return nil, err
		}
		if s.Region != "" && s.Region != region {
			return nil, usage("KMS key %s is in %s but the bucket region is %s: S3 can only use a key in the bucket's region", setup.KMSKeyARN, region, s.Region)
		}
		s.Region, keyAccount = region, acct
		if s.RoleARN == "" {
			s.RoleARN = "arn:aws:iam::" + keyAccount + ":role" + s.RolePath + s.RoleName
			s.RoleARNFromKey = true
		}
	}

	ranges := setup.Vendor.IPRanges
	if len(ranges) == 0 {
		ranges = prof.IPRanges
	}
	var cidrs Values
	for _, r := range ranges {
		p, err := config.ParseRange(r)
		if err != nil {
			return nil, usage("vendor IP range %q: %v", r, err)
		}
		cidrs = append(cidrs, p.String())
	}
	externalID := setup.Vendor.ExternalID
	if externalID == "" {
		externalID = prof.ExternalID
	}

	s.IPRanges, s.ExternalID = cidrs, externalID
	s.Trust = trustPolicy(prof, externalID)
	s.Permission = permissionPolicy(s, prof, cidrs)
	if s.KMSKeyARN != "" {
		s.KeyStatement = keyStatement(s, prof)
		s.KeyNote = keyNote(s, keyAccount)
	}
	s.Notes = notes(s, prof, cidrs, externalID)
	return s, nil
}

// trustPolicy lets the vendor's role, and nothing else, assume the role.
// The ExternalId condition is written only when the user has a value from
// the vendor: the vendor sends none otherwise, and the condition would then
// block it (IAM-FACTS §3.4).
func trustPolicy(prof *requestmodel.Profile, externalID string) Document {
	st := Statement{Sid: SidTrust, Effect: "Allow", Principal: map[string]string{"AWS": prof.PrincipalARN},
		Action: Values{prof.AssumeAction}}
	if externalID != "" {
		st.Condition = Condition{"StringEquals": {"sts:ExternalId": Values{externalID}}}
	}
	return Document{Version: policyVersion, Statement: []Statement{st}}
}

// permissionPolicy grants the vendor's calls from the profile: object calls
// on the upload path, bucket calls on the bucket, KMS calls on the key. The
// source-IP condition goes on the S3 statements only: S3 makes the KMS calls
// on the role's behalf, so KMS sees S3's address, never the vendor's
// (reference_policies_condition-keys.html#condition-keys-sourceip).
func permissionPolicy(s *Scaffold, prof *requestmodel.Profile, cidrs Values) Document {
	var object, bucket, kms Values
	for _, c := range prof.Calls {
		switch c.On {
		case "object":
			object = append(object, c.Action)
		case "bucket":
			bucket = append(bucket, c.Action)
		}
	}
	for _, c := range prof.KMSCalls {
		kms = append(kms, c.Action)
	}
	var cond Condition
	if len(cidrs) > 0 {
		cond = Condition{"IpAddress": {"aws:SourceIp": cidrs}}
	}
	doc := Document{Version: policyVersion}
	if len(object) > 0 {
		doc.Statement = append(doc.Statement, Statement{Sid: SidObject, Effect: "Allow", Action: object,
			Resource: Values{ObjectResource(s.Bucket, s.Prefix)}, Condition: cond})
	}
	if len(bucket) > 0 {
		doc.Statement = append(doc.Statement, Statement{Sid: SidBucket, Effect: "Allow", Action: bucket,
			Resource: Values{"arn:aws:s3:::" + s.Bucket}, Condition: cond})
	}
	if s.KMSKeyARN != "" && len(kms) > 0 {
		doc.Statement = append(doc.Statement, Statement{Sid: SidKMS, Effect: "Allow", Action: kms,
			Resource: Values{s.KMSKeyARN}})
	}
	return doc
}

// keyStatement is what the key policy needs: the role may use the key
// through S3 in the bucket's region (kms:ViaService,
// kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// In a key policy, Resource "*" means this key.
func keyStatement(s *Scaffold, prof *requestmodel.Profile) *Statement {
	var kms Values
	for _, c := range prof.KMSCalls {
		kms = append(kms, c.Action)
	}
	st := &Statement{Sid: SidKey, Effect: "Allow", Principal: map[string]string{"AWS": s.RoleARN},
		Action: kms, Resource: Values{"*"}}
	if s.Region != "" {
		st.Condition = Condition{"StringEquals": {"kms:ViaService": Values{"s3." + s.Region + ".amazonaws.com"}}}
	}
	return st
}

func keyNote(s *Scaffold, keyAccount string) string {
	role, _ := policy.ParseARN(s.RoleARN)
	roleAcct := role.Account
	note := "Merge this statement into the existing key policy of " + s.KMSKeyARN +
		" (aws kms get-key-policy --key-id KEY --policy-name default; add it to Statement; aws kms put-key-policy)." +
		" Do not replace the key policy with it. Apply it after the role exists: KMS rejects a principal that does not exist."
	if roleAcct == keyAccount {
		note += " If the key policy already has the account statement (Principal arn:aws:iam::" + keyAccount +
			":root, kms:*), the " + SidKMS + " statement of the permission policy is enough on its own" +
			" (kms/latest/developerguide/key-policy-default.html)."
	} else {
		note += " The key is in another account than the role, so both this statement and the " + SidKMS +
			" statement of the permission policy are required."
	}
	return note
}

func notes(s *Scaffold, prof *requestmodel.Profile, cidrs Values, externalID string) []string {
	var out []string
	if s.RoleARN == "" {
		out = append(out, "After deploying, paste the role's ARN (arn:aws:iam::ACCOUNT:role"+s.RolePath+s.RoleName+") into "+prof.DisplayName+".")
	} else {
		out = append(out, "After deploying, paste the role ARN "+s.RoleARN+" into "+prof.DisplayName+".")
	}
	if s.RoleARNFromKey {
		out = append(out, "The role ARN assumes the role is created in the KMS key's account; pass --role-arn if it is not.")
	}
	if len(cidrs) == 0 {
		out = append(out, "No source-IP condition: no vendor IP ranges are configured. "+prof.DisplayName+
			" does not publish them in a form smlint can verify; to restrict by IP, pass the ranges from "+
			prof.Docs.IPAllowlist+" with --vendor-ip-ranges.")
	}
	if externalID == "" {
		out = append(out, "No sts:ExternalId condition: the "+prof.DisplayName+" setup guide shows none. Add one (--external-id) only with the value your "+
			prof.DisplayName+" team gave you; otherwise the condition blocks them.")
	}
	return out
}

// ObjectResource is the object ARN the vendor writes under: every key under
// the prefix. IAM reads *, ? and ${ in a Resource as wildcards and policy
// variables; a prefix holding them is written with the ${*}, ${?} and ${$}
// escapes (reference_policies_variables.html#policy-vars-specialchars).
func ObjectResource(bucket, prefix string) string {
	var b strings.Builder
	for _, r := range prefix {
		switch r {
		case '*':
			b.WriteString("${*}")
		case '?':
			b.WriteString("${?}")
		case '$':
			b.WriteString("${$}")
		default:
			b.WriteRune(r)
		}
	}
	return "arn:aws:s3:::" + bucket + "/" + b.String() + "*"
}

// normalisePrefix reads the prefix as Supermetrics' upload path, the way
// smlint check does: no leading slash, a trailing slash when non-empty, so
// "exports" covers exports/… but not exports-old/….
func normalisePrefix(p string) string {
	p = strings.TrimLeft(p, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// checkBucket rejects names that cannot be a bucket and would corrupt the
// ARNs (S3 bucket naming rules allow lowercase letters, digits, dots and
// hyphens; legacy us-east-1 buckets also uppercase and underscores).
func checkBucket(name string) error {
	if len(name) < 3 || len(name) > 255 {
		return usage("bucket %q: not a bucket name", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return usage("bucket %q: not a bucket name (character %q)", name, r)
		}
	}
	return nil
}

// parseRoleARN splits arn:aws:iam::ACCOUNT:role/PATH/NAME.
func parseRoleARN(arn string, prof *requestmodel.Profile) (account, path, name string, err error) {
	a, ok := policy.ParseARN(arn)
	if !ok || a.Service != "iam" || a.Region != "" || a.ResourceType() != "role" {
		return "", "", "", usage("role ARN %q: want arn:aws:iam::ACCOUNT:role/NAME", arn)
	}
	if a.Partition != prof.Partition {
		return "", "", "", usage("role ARN %q: partition %s, but %s's role exists only in %s", arn, a.Partition, prof.DisplayName, prof.Partition)
	}
	if !policy.IsAccountID(a.Account) {
		return "", "", "", usage("role ARN %q: account %q is not 12 digits", arn, a.Account)
	}
	if a.Account == prof.Account {
		return "", "", "", usage("role ARN %q is in %s's account %s: use your own account's role", arn, prof.DisplayName, prof.Account)
	}
	// The path is the resource between role and the name, slashes included.
	name = a.Name()
	return a.Account, strings.TrimSuffix(strings.TrimPrefix(a.Resource, "role"), name), name, nil
}

// parseKeyARN checks arn:aws:kms:REGION:ACCOUNT:key/ID. An alias does not
// work as the Resource of a policy that grants use of a key
// (kms/latest/developerguide/cmks-in-iam-policies.html), so it is refused.
func parseKeyARN(arn string) (region, account string, err error) {
	a, ok := policy.ParseARN(arn)
	if !ok || a.Service != "kms" {
		return "", "", usage("KMS key %q: want a key ARN, arn:aws:kms:REGION:ACCOUNT:key/KEY-ID", arn)
	}
	if a.ResourceType() == "alias" {
		return "", "", usage("KMS key %q is an alias: policies need the key ARN (aws kms describe-key --key-id %s)", arn, arn)
	}
	if a.ResourceType() != "key" || a.Resource == "key/" || a.Region == "" || !policy.IsAccountID(a.Account) {
		return "", "", usage("KMS key %q: want a key ARN, arn:aws:kms:REGION:ACCOUNT:key/KEY-ID", arn)
	}
	if a.Partition != "aws" {
		return "", "", usage("KMS key %q: partition %s is not supported (the vendor's role exists only in aws)", arn, a.Partition)
	}
	return a.Region, a.Account, nil
}

// compile-time check that the YAML encoder sees Values' marshaller.
var _ yaml.Marshaler = Values(nil)
