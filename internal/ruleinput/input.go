package ruleinput

// The rule input follows encoding/json: a field is always present under its
// json name (omitempty: absent when empty), a nil slice or pointer is null.
// Slices the rules read as lists are never nil (internal/check makes them
// empty); the few that may be null carry nullable:"true", and string fields
// with a fixed set of values carry enum:"a,b". Unresolved string values
// (a Terraform value known only after apply) hold the policy.UnknownValue
// marker: rules test them with smlint.is_unknown and print them with
// smlint.display.

// Input is the document one evaluated principal hands to every rule.
type Input struct {
	// Setup is the configuration the run checks against (.smlint.yaml and flags).
	Setup Setup `json:"setup"`
	// Vendor is the vendor profile (rules/profile/supermetrics.json).
	Vendor Vendor `json:"vendor"`
	// Principal is the role or user evaluated, null when the inputs name none.
	Principal *Principal `json:"principal"`
	// Caller is who makes the S3 calls: the vendor's role session or the user.
	Caller Caller `json:"caller"`
	// Documents are every policy that applies to the principal: trust,
	// identity, boundary, bucket, key and SCP policies.
	Documents []Document `json:"documents"`
	// Requests are the steps of the request plan, each decided in Go by the
	// evaluation core: one entry per step and vendor IP range.
	Requests []Request `json:"requests"`
	// SSEKMS says whether uploads are encrypted with a KMS key, and which.
	SSEKMS SSEKMS `json:"sse_kms"`
	// Buckets are the facts the inputs give about buckets.
	Buckets []Bucket `json:"buckets"`
	// Keys are the facts the inputs give about KMS keys.
	Keys []Key `json:"keys"`
	// Unresolved are the values the inputs leave unknown that still matter.
	Unresolved []Unresolved `json:"unresolved"`
	// ExpiredIgnores are the ignore entries of the configuration whose
	// expiry date has passed (they no longer suppress anything).
	ExpiredIgnores []ExpiredIgnore `json:"expired_ignores"`
	// StaleIgnores are the ignore entries and inline suppressions that name
	// an unknown rule or covered no finding of the run. Known only once
	// every principal has been evaluated, they are set in a run-level
	// evaluation of their own (internal/check reportStale) and empty here.
	StaleIgnores []StaleIgnore `json:"stale_ignores"`
	// TrustOutsiders are principals other than the vendor's role that the
	// role's trust policy admits, decided by the evaluation core with
	// outsider probes (internal/check/outsiders.go).
	TrustOutsiders []Outsider `json:"trust_outsiders"`
}

// Setup is the configuration the run checks against.
type Setup struct {
	Bucket string `json:"bucket"`
	// Prefix is "" or ends in "/".
	Prefix    string `json:"prefix"`
	Region    string `json:"region"`
	KMSKeyARN string `json:"kms_key_arn"`
	// KMSKey is KMSKeyARN read in Go.
	KMSKey  KeyRef `json:"kms_key"`
	RoleARN string `json:"role_arn"`
	// Auth is the method the vendor signs in with.
	Auth          string `json:"auth" enum:"role,access-key"`
	User          string `json:"user"`
	AccessKeyID   string `json:"access_key_id"`
	BucketAccount string `json:"bucket_account"`
	// ExternalID is the external ID the vendor sends with sts:AssumeRole.
	ExternalID string `json:"external_id"`
	// VendorIPRanges are the vendor's source ranges (CIDR).
	VendorIPRanges []string `json:"vendor_ip_ranges"`
	// Inferred names the setup fields smlint inferred from the inputs
	// rather than read from the configuration.
	Inferred []string `json:"inferred"`
}

// Vendor is the vendor profile.
type Vendor struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	// PrincipalARN is the vendor's role that assumes the customer's role.
	PrincipalARN string `json:"principal_arn"`
	Account      string `json:"account"`
	Partition    string `json:"partition"`
	AssumeAction string `json:"assume_action"`
	// SetupGuideExampleRoleARN is the example role ARN of the vendor's
	// setup guide (copied verbatim, it names no real role).
	SetupGuideExampleRoleARN string `json:"setup_guide_example_role_arn"`
	SetupDoc                 string `json:"setup_doc"`
	IPAllowlistDoc           string `json:"ip_allowlist_doc"`
}

// Principal is the role or user evaluated.
type Principal struct {
	Type    string `json:"type" enum:"role,user"`
	ARN     string `json:"arn"`
	Name    string `json:"name"`
	Account string `json:"account"`
	// ID is the unique id (AROA…, AIDA…) when the inputs carry it.
	ID   string `json:"id"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Address is the Terraform address or CloudFormation logical id.
	Address string `json:"address"`
	// Complete: the inputs list every policy of the principal.
	Complete bool `json:"complete"`
	// MissingPolicies are policies the principal names that the run lacks.
	MissingPolicies []string `json:"missing_policies"`
	AccessKeyIDs    []string `json:"access_key_ids"`
	// AccessKeys are a user's access keys with their age and use.
	AccessKeys []AccessKey `json:"access_keys"`
	// AccessKeysListed: the inputs list the user's access keys.
	AccessKeysListed bool `json:"access_keys_listed"`
}

// AccessKey is one access key of a user, with its age and the days since
// last use counted in Go so that no rule reads the clock.
type AccessKey struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// CreateDate and LastUsedDate are RFC 3339, as the AWS CLI prints them.
	CreateDate   string `json:"create_date"`
	LastUsedDate string `json:"last_used_date"`
	// LastUsedKnown: the inputs say when (or whether) the key was last used.
	LastUsedKnown bool `json:"last_used_known"`
	NeverUsed     bool `json:"never_used"`
	// AgeDays is -1 when the inputs do not say.
	AgeDays int `json:"age_days"`
	// UnusedDays is the days since last use (since creation when never
	// used), -1 when the inputs do not say.
	UnusedDays int `json:"unused_days"`
}

// Caller is who makes the S3 calls.
type Caller struct {
	Type    string `json:"type"`
	ARN     string `json:"arn"`
	Account string `json:"account"`
}

// Document is one policy document.
type Document struct {
	// ID ("doc-N") is what requests' because entries and keys refer to.
	ID   string `json:"id"`
	Kind string `json:"kind" enum:"trust,identity,boundary,bucket,key,scp"`
	File string `json:"file"`
	Line int    `json:"line"`
	Name string `json:"name"`
	// Version is the policy language version, "" when absent.
	Version    string `json:"version"`
	PolicyID   string `json:"policy_id"`
	AWSManaged bool   `json:"aws_managed"`
	// Unresolved is "" or why the document itself is not known.
	Unresolved string `json:"unresolved"`
	// Invalid: IAM refuses the document (a rejected problem).
	Invalid bool `json:"invalid"`
	// Size is the document's length in bytes as written.
	Size     int       `json:"size"`
	Problems []Problem `json:"problems"`
	// DuplicateKeys: the document repeats a key, so readers may disagree.
	DuplicateKeys bool `json:"duplicate_keys"`
	// UsesVariables: a Resource, NotResource or Condition value holds
	// "${", which IAM substitutes as a policy variable only under Version
	// 2012-10-17 (policy.UsesVariables).
	UsesVariables bool        `json:"uses_variables"`
	Statements    []Statement `json:"statements"`
	// StatementsWith indexes the statements by the lists most of them
	// leave empty, so that a rule looking for one visits those statements
	// rather than every statement (StatementIndex).
	StatementsWith StatementIndex `json:"statements_with"`
}

// StatementIndex lists, for each list of a statement that is usually
// empty or absent, the positions in Document.Statements (0-based, in
// order) of the statements where it is not: a NotAction, NotResource or
// Condition element, or a non-empty fact. It says nothing the statements
// do not: it is there for speed. One pass over every statement costs OPA
// about 2 µs a statement (14 ms on the 8,853 statements of the AWS managed
// policies), and the rules that look for these made eight passes.
type StatementIndex struct {
	NotAction           []int `json:"not_action"`
	NotResource         []int `json:"not_resource"`
	Condition           []int `json:"condition"`
	BeyondNeed          []int `json:"beyond_need"`
	ExtraReads          []int `json:"extra_reads"`
	UnknownActions      []int `json:"unknown_actions"`
	S3BeyondDestination []int `json:"s3_beyond_destination"`
	ForeignPartition    []int `json:"foreign_partition"`
}

// IndexStatements builds the StatementIndex of stmts.
func IndexStatements(stmts []Statement) StatementIndex {
	ix := StatementIndex{
		NotAction: []int{}, NotResource: []int{}, Condition: []int{}, BeyondNeed: []int{},
		ExtraReads: []int{}, UnknownActions: []int{}, S3BeyondDestination: []int{}, ForeignPartition: []int{},
	}
	for i := range stmts {
		s := &stmts[i]
		for _, e := range []struct {
			has  bool
			list *[]int
		}{
			{s.NotAction != nil, &ix.NotAction},
			{s.NotResource != nil, &ix.NotResource},
			{len(s.Condition) > 0, &ix.Condition},
			{len(s.Facts.BeyondNeed) > 0, &ix.BeyondNeed},
			{len(s.Facts.ExtraReads) > 0, &ix.ExtraReads},
			{len(s.Facts.UnknownActions) > 0, &ix.UnknownActions},
			{len(s.Facts.S3BeyondDestination) > 0, &ix.S3BeyondDestination},
			{len(s.Facts.ForeignPartition) > 0, &ix.ForeignPartition},
		} {
			if e.has {
				*e.list = append(*e.list, i)
			}
		}
	}
	return ix
}

// Problem is a grammar or size problem of a document.
type Problem struct {
	Line    int    `json:"line"`
	Sid     string `json:"sid"`
	Message string `json:"message"`
	// Rejected: IAM (or the owning service) refuses to save the document.
	Rejected bool `json:"rejected"`
	// DuplicateKey: the problem is a key the document repeats, which IAM's
	// grammar forbids (reference_policies_grammar.html).
	DuplicateKey bool `json:"duplicate_key"`
}

// Statement is one statement of a document. Action, NotAction, Resource and
// NotResource are null when the statement does not have the element.
type Statement struct {
	Index        int                 `json:"index"`
	Sid          string              `json:"sid"`
	Line         int                 `json:"line"`
	Effect       string              `json:"effect"`
	Principal    *StatementPrincipal `json:"principal"`
	NotPrincipal *StatementPrincipal `json:"not_principal"`
	Action       []string            `json:"action" nullable:"true"`
	NotAction    []string            `json:"not_action" nullable:"true"`
	Resource     []string            `json:"resource" nullable:"true"`
	NotResource  []string            `json:"not_resource" nullable:"true"`
	Condition    []Condition         `json:"condition"`
	// Facts are what the statement's actions and resources grant, decided
	// in Go (statement_facts.go) so that no rule loops over them.
	Facts StatementFacts `json:"facts"`
}

// StatementPrincipal is a Principal or NotPrincipal element.
type StatementPrincipal struct {
	// Wildcard: the element is "*".
	Wildcard      bool     `json:"wildcard"`
	AWS           []string `json:"aws"`
	Service       []string `json:"service"`
	Federated     []string `json:"federated"`
	CanonicalUser []string `json:"canonical_user"`
	// Other holds principal types IAM does not define, by name.
	Other map[string][]string `json:"other"`
}

// Condition is one operator-key pair of a Condition element.
type Condition struct {
	// Operator as written (ForAnyValue:StringLikeIfExists), for messages.
	Operator string `json:"operator"`
	// Op is the operator parsed when the document was read: rules read it.
	Op Operator `json:"op"`
	// Key as written, for messages.
	Key string `json:"key"`
	// KeyLower is Key in lower case: context key names are not
	// case-sensitive (reference_policies_elements_condition.html), so rules
	// compare this.
	KeyLower string `json:"key_lower"`
	// Values hold booleans and numbers as their JSON literal text.
	Values []string `json:"values"`
	Line   int      `json:"line"`
}

// Request is one step of the request plan with its decision.
type Request struct {
	// ID names the step: assume-role (role method), put-object,
	// list-bucket, get-bucket-location, delete-object, and where SSE-KMS
	// applies kms-generate-data-key and kms-decrypt.
	ID        string `json:"id"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Principal string `json:"principal"`
	// SourceIP is "" when the vendor has no IP ranges.
	SourceIP string    `json:"source_ip"`
	Decision string    `json:"decision" enum:"allowed,implicit_deny,explicit_deny,unknown"`
	Because  []Because `json:"because"`
	// Reasons say why the decision is what it is: rules test the code.
	Reasons []Reason `json:"reasons"`
	// Trace is the evaluation core's answer for each statement whose
	// action matches the request (every evaluated request; empty for those
	// decided without evaluation, such as a missing document).
	Trace []StatementTrace `json:"trace"`
	// KMS is present on the KMS requests only.
	KMS *KMSDetail `json:"kms,omitempty"`
}

// Because is a statement that decided a request.
type Because struct {
	// Doc is the id of the statement's document.
	Doc    string `json:"doc"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Sid    string `json:"sid"`
	Effect string `json:"effect"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
}

// KMSDetail is what each policy alone says about a KMS request.
type KMSDetail struct {
	// KeyPolicyDirect is the key policy alone, without IAM delegation.
	KeyPolicyDirect string `json:"key_policy_direct"`
	// KeyPolicyDelegates is the key policy when IAM allows (directly or
	// through an account principal).
	KeyPolicyDelegates string `json:"key_policy_delegates"`
	// Identity is the caller's identity policies alone.
	Identity string `json:"identity"`
	Grant    string `json:"grant" enum:"allowed,maybe,"`
	GrantID  string `json:"grant_id"`
	// GrantNote is a grant for the caller that does not apply, and why.
	GrantNote string `json:"grant_note"`
}

// SSEKMS is the KMS key uploads are encrypted with.
type SSEKMS struct {
	Applies bool   `json:"applies"`
	KeyARN  string `json:"key_arn"`
	Source  string `json:"source" enum:"config,bucket-default,"`
	// BucketKey: the bucket uses an S3 Bucket Key.
	BucketKey bool `json:"bucket_key"`
	// Ref is the key as the configuration or the bucket names it.
	Ref        string `json:"ref"`
	ResolvedBy string `json:"resolved_by" enum:"describe-key,list-aliases,"`
	// Unresolved is why the key is not known, with the command to run.
	Unresolved string `json:"unresolved"`
	// Refused is why S3 cannot use the key whatever the policies say.
	Refused      string `json:"refused" enum:"region,state,"`
	RefusedWhy   string `json:"refused_why"`
	KeyRegion    string `json:"key_region"`
	BucketRegion string `json:"bucket_region"`
	KeyAccount   string `json:"key_account"`
	// CrossAccount: the key is in another account than the caller.
	CrossAccount bool `json:"cross_account"`
}

// Bucket is what the inputs say about a bucket.
type Bucket struct {
	Name           string `json:"name"`
	Region         string `json:"region"`
	SSEAlgorithm   string `json:"sse_algorithm"`
	KMSMasterKeyID string `json:"kms_master_key_id"`
	// KMSMasterKey is KMSMasterKeyID read in Go.
	KMSMasterKey     KeyRef `json:"kms_master_key"`
	BucketKeyEnabled bool   `json:"bucket_key_enabled"`
	File             string `json:"file"`
	Line             int    `json:"line"`
}

// Key is what the inputs say about a KMS key.
type Key struct {
	ARN        string `json:"arn"`
	KeyID      string `json:"key_id"`
	Region     string `json:"region"`
	Account    string `json:"account"`
	KeyManager string `json:"key_manager"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	// Policy is the id of the key's policy document, "" when not given.
	Policy string `json:"policy"`
}

// Unresolved is a value the inputs leave unknown.
type Unresolved struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Address is the Terraform address or CloudFormation logical id.
	Address string `json:"address"`
	// What names the value ("Resource of statement AllowPut").
	What string `json:"what"`
	// Reason is why it is unknown ("known after apply").
	Reason string `json:"reason"`
}

// ExpiredIgnore is an ignore entry of the configuration past its expiry.
type ExpiredIgnore struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Expires string `json:"expires"`
	Reason  string `json:"reason"`
}

// StaleIgnore is an ignore entry or inline suppression that suppresses
// nothing (rule ignore-stale).
type StaleIgnore struct {
	Rule string `json:"rule"`
	// File and Line are where the entry is declared.
	File string `json:"file"`
	Line int    `json:"line"`
	// Code is why: unknown-rule or no-match.
	Code string `json:"code" enum:"unknown-rule,no-match"`
	// Suggestion is the known rule id closest to an unknown one, or "".
	Suggestion string `json:"suggestion"`
	// Selector says what the entry selects ("file iam/*.json, sid S3"),
	// "" for every finding of the rule.
	Selector string `json:"selector"`
	// Inline: a suppression in a template, not a .smlint.yaml entry.
	Inline bool `json:"inline"`
}

// Outsider is a principal other than the vendor's role that the trust
// policy admits (or may admit).
type Outsider struct {
	// Kind is one of same-role-name-other-account, role-other-account,
	// user-other-account, role-pattern-account, user-pattern-account,
	// vendor-account-role, vendor-account-user.
	Kind string `json:"kind"`
	// Description says who in words ("a role named X in any AWS account").
	Description  string `json:"description"`
	PrincipalARN string `json:"principal_arn"`
	Account      string `json:"account"`
	// VendorAccount: the outsider is in the vendor's own account.
	VendorAccount bool   `json:"vendor_account"`
	Decision      string `json:"decision" enum:"allowed,unknown"`
	// Chosen lists the caller-controlled values ("sts:ExternalId=…") the
	// outsider sends to pass; empty when any values pass.
	Chosen []string `json:"chosen"`
	// ChosenExternalID: Chosen holds an sts:ExternalId value, which the
	// outsider picks (an external ID is not a secret,
	// id_roles_create_for-user_externalid.html).
	ChosenExternalID bool `json:"chosen_external_id"`
	// Reasons say why the answer is unknown (empty when allowed): rules
	// test the code; the text is for messages.
	Reasons    []Reason `json:"reasons"`
	Statements []Where  `json:"statements"`
	// Unresolved: the answer is unknown because of a value known only
	// after apply.
	Unresolved bool `json:"unresolved"`
}

// Where is a statement by its place.
type Where struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Sid  string `json:"sid"`
}
