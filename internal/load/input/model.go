package input

import (
	"strconv"

	"github.com/smlint/smlint/internal/policy"
)

// Input is everything read from the user's paths.
type Input struct {
	// Documents not tied to a principal: raw identity/trust files, bucket
	// policies, key policies, boundaries and SCPs given as files.
	Documents []*policy.Document
	// Principals found in exports, plans and templates (a role with its trust
	// policy and permission policies, or an IAM user).
	Principals []*Principal
	Buckets    []*BucketFacts
	Keys       []*KeyFacts
	// Aliases and Grants are KMS facts from kms list-aliases, kms
	// list-grants and Terraform aws_kms_grant (see kms.go).
	Aliases []*AliasFacts
	Grants  []*GrantFacts
	// Unresolved lists values the verdict may depend on that the input left
	// unknown (rule unresolved-value).
	Unresolved []Unresolved
	// NotChecked are files the user named that are valid JSON or YAML but
	// no shape smlint reads (a package.json): reported, not an error.
	NotChecked []FileError
	// Errors are files or parts of files that could not be read.
	Errors []FileError
	// Skipped are files that were looked at and left alone (not a policy or
	// an export, YAML without a YAML parser, a symlinked directory), with the
	// reason in Message, for verbose output.
	Skipped []FileError
	// Attachments are managed-policy attachments read from
	// list-attached-role-policies / list-attached-user-policies output, which
	// does not say which role or user it was run for.
	Attachments []Attachment
	// TagLists are tag sets read from iam list-role-tags / list-user-tags
	// output, which does not say which role or user it was run for.
	TagLists []TagList
	// Organizations are read from organizations describe-organization.
	Organizations []Organization
	// AttachmentLists counts the list-attached-role-policies /
	// list-attached-user-policies outputs read (an empty list says the
	// principal has no attached managed policy).
	AttachmentLists int
	// Versions are get-policy-version outputs whose kind the user did not
	// force. The output carries no ARN: join names a version's document
	// (Doc.ARN) when exactly one iam get-policy output in the run has that
	// DefaultVersionId; otherwise it may be any managed policy, including a
	// permissions boundary (check evaluates the readings). Their documents
	// are in Documents too, read as identity policies.
	Versions []*PolicyVersion
	// ManagedPolicies are iam get-policy outputs: a managed policy's ARN and
	// the id of its version in force.
	ManagedPolicies []ManagedPolicyInfo
	// SCPs describes the service control policies read (organizations
	// describe-policy output or files given with --scp), by document.
	SCPs []*SCPInfo
	// SCPLists are organizations list-policies-for-target outputs: the SCPs
	// attached to one target (root, OU or account).
	SCPLists []*SCPList
	// Files is the number of files examined (skipped ones included).
	Files int
}

// PolicyVersion is one iam get-policy-version output (default version).
type PolicyVersion struct {
	Doc       *policy.Document // read as an identity policy
	VersionID string
	File      string
	Line      int
}

// ManagedPolicyInfo is one iam get-policy output.
type ManagedPolicyInfo struct {
	ARN              string
	Name             string
	DefaultVersionID string
	AttachmentCount  int
	File             string
	Line             int
}

// SCP levels of an organisation (Organizations "SCP evaluation": every level
// from the root through each OU to the account must allow).
const (
	LevelRoot    = "root"
	LevelOU      = "ou"
	LevelAccount = "account"
)

// SCPInfo is what the input says about one SCP document.
type SCPInfo struct {
	Doc        *policy.Document
	ID         string // p-… policy id ("" for a raw document)
	ARN        string
	Name       string
	AWSManaged bool
	// Level is where the SCP is attached, as the user labelled the file
	// (--scp root:FILE, `scps:` in .smlint.yaml): "root", "account", "ou", an
	// OU id, or "" when not known.
	Level string
}

// SCPList is one organizations list-policies-for-target output.
type SCPList struct {
	Policies []SCPRef
	Level    string // as the user labelled the file; "" when not known
	File     string
	Line     int
}

// SCPRef is one PolicySummary of list-policies-for-target.
type SCPRef struct {
	ID, ARN, Name string
	AWSManaged    bool
	Line          int
}

// Principal is an IAM role or user with the documents attached to it.
type Principal struct {
	Type    string // "role" or "user"
	ARN     string // may be a policy.UnknownValue
	Name    string
	Account string // 12 digits, "" when not known
	ID      string // AROA…/AIDA… unique id when the export carries it
	File    string
	Line    int
	// Address is the Terraform address or CloudFormation logical id, when
	// the principal comes from one.
	Address string

	Trust    *policy.Document   // roles only
	Identity []*policy.Document // inline, attached managed (default version), group policies
	Boundary *policy.Document
	// MissingPolicies are attached managed policies whose document the input
	// does not hold (for example an AWS managed policy absent from a filtered
	// export): evaluation cannot see what they allow.
	MissingPolicies []string
	// BoundaryARN is the permissions boundary's ARN when the input names
	// one. Boundary is nil while BoundaryARN is set when the boundary's
	// document is not in the input (evaluation cannot see what it allows).
	BoundaryARN string
	// BoundaryLine is the line of the PermissionsBoundary element (0 when
	// not known).
	BoundaryLine int
	// AttachedPolicies are the ARNs of the managed policies attached to the
	// principal (directly; group attachments of users are in Groups), whether
	// or not their documents are in the input.
	AttachedPolicies []string
	// Groups are the names of the IAM groups a user belongs to.
	Groups []string
	// Tags are the role's or user's tags (aws:PrincipalTag/*). TagsKnown
	// says that Tags is the whole set: get-role, get-user and the account
	// export list every tag, and omit the Tags key when there is none.
	Tags      map[string]string
	TagsKnown bool
	// AccessKeyIDs are the user's access key ids when the export lists them.
	AccessKeyIDs []string
	// AccessKeys are the user's access keys with their status and use, from
	// iam list-access-keys and get-access-key-last-used (or a live read).
	// AccessKeysListed is true when the input lists all of them, so a key
	// id missing from AccessKeys does not belong to the user.
	AccessKeys       []AccessKey
	AccessKeysListed bool
	// Complete is true when the input lists every policy attached to the
	// principal (an account export, a Terraform plan, a CloudFormation
	// template), so a missing permission means none exists. A get-role
	// export alone does not list attached policies.
	Complete bool
}

// BucketFacts are S3 facts read from get-bucket-encryption,
// get-bucket-location, a Terraform plan or a CloudFormation template.
type BucketFacts struct {
	Name             string
	Region           string // "" when not known; get-bucket-location null means us-east-1
	SSEAlgorithm     string // AES256 | aws:kms | aws:kms:dsse | ""
	KMSMasterKeyID   string // key id, key ARN, alias name or alias ARN as written
	BucketKeyEnabled bool
	File             string
	Line             int
}

// KeyFacts are KMS facts read from kms describe-key or a plan/template.
type KeyFacts struct {
	ARN        string
	KeyID      string
	Region     string
	Account    string
	KeyManager string // AWS | CUSTOMER
	KeyState   string // Enabled | Disabled | PendingDeletion | … ("" when not known)
	Policy     *policy.Document
	File       string
	Line       int
}

// Unresolved is one value an input left unknown.
type Unresolved struct {
	File    string
	Line    int
	Address string // Terraform address or CloudFormation logical id
	What    string // "Resource of statement AllowPut", "bucket policy document"
	Reason  string // "known after apply", "!Ref BucketName has no value"
}

// TagList is the output of iam list-role-tags or list-user-tags.
type TagList struct {
	Tags map[string]string
	// Truncated is IsTruncated: more tags exist than the file lists.
	Truncated bool
	File      string
	Line      int
}

// Organization is the output of organizations describe-organization: the
// organization the account that ran it belongs to.
type Organization struct {
	ID              string
	MasterAccountID string
	File            string
	Line            int
}

// Attachment is one managed policy attached to a principal the input does not
// name.
type Attachment struct {
	PolicyName string
	PolicyARN  string
	File       string
	Line       int
}

// FileError is a file, or part of a file, that could not be read.
type FileError struct {
	File    string
	Line    int
	Message string
}

func (e FileError) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Message
	}
	return e.File + ": " + e.Message
}

// AccessKey is one access key of an IAM user (never its secret: no read
// smlint makes returns one).
type AccessKey struct {
	ID         string // AKIA…
	Status     string // Active | Inactive
	CreateDate string // RFC 3339, as the CLI prints it
	// LastUsedDate is when the key was last used (RFC 3339); "" with
	// LastUsedKnown true means never used, "" with LastUsedKnown false that
	// the input does not say.
	LastUsedDate  string
	LastUsedKnown bool
}

// AliasFacts is one alias from kms list-aliases.
type AliasFacts struct {
	Name        string // alias/NAME
	ARN         string // arn:aws:kms:REGION:ACCOUNT:alias/NAME
	TargetKeyID string // "" when the alias points at no key
	Region      string // from ARN
	Account     string // from ARN
	File        string
	Line        int
}

// GrantFacts is one KMS grant ("Grants in AWS KMS", API_GrantListEntry).
type GrantFacts struct {
	KeyID      string // key ARN (list-grants) or key id
	GrantID    string
	Name       string
	Grantee    string // GranteePrincipal
	Operations []string
	// Constraint is "" (none), "EncryptionContextEquals" or
	// "EncryptionContextSubset"; Context holds its pairs.
	Constraint string
	Context    map[string]string
	File       string
	Line       int
}

// Deployment is where the user's templates are deployed, from the setup:
// the values of the pseudo parameters AWS::AccountId and AWS::Region
// (AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
// Empty fields are not known.
type Deployment struct {
	AccountID string // 12 digits
	Region    string // e.g. eu-west-1
}
