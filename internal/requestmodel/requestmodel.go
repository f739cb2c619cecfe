package requestmodel

import (
	"strconv"
	"strings"
	"time"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// This file is the request model: what smlint assumes the vendor's calls
// look like. SPEC §1 states these assumptions; README repeats them from
// Assumptions below. Change them here and nowhere else.

// Assumptions are the request model in words, in the order the README lists them.
var Assumptions = []string{
	"Role method: the vendor's role calls sts:AssumeRole on your role (cross-account, so your trust policy must allow it explicitly); the resulting session makes the S3 calls in your account.",
	"Access-key method: the IAM user makes the S3 calls directly with a long-term access key (AKIA…).",
	"The bucket is in the same account as the role or user (set bucket_account otherwise); documents nothing names do not exist (a KMS key's key policy excepted, which every key has); a document an export names but you did not give is not known.",
	"Each vendor IP range is a possible aws:SourceIp, and every range must pass; without configured ranges the source address is unknown.",
	"aws:SecureTransport is true; the request does not come through a VPC endpoint of yours (aws:SourceVpc and aws:SourceVpce are the vendor's: absent, or values that none of your policies name).",
	"Uploads carry x-amz-server-side-encryption: aws:kms and the key id only when a KMS key ARN is configured; otherwise no encryption header and no ACL header.",
	"sts:ExternalId is sent only when one is configured (vendor.external_id); no MFA, no session tags, no source identity.",
	"aws:MultiFactorAuthPresent is present and false on both steps of the role method (temporary credentials obtained without MFA) and absent for the access-key method (long-term key); aws:MultiFactorAuthAge is absent. aws:TokenIssueTime is present for temporary credentials only. aws:PrincipalType is AssumedRole or User.",
	"aws:PrincipalTag/* of your role or user come from its Tags in the export (get-role, get-user, list-role-tags, an account export); without them they are unknown. There are no session tags.",
	"Vendor-side values are foreign: the vendor's aws:PrincipalOrgID, aws:PrincipalOrgPaths and principal tags, its session name (sts:RoleSessionName, and the session part of aws:userid) are absent or values that none of your policies name. A request is decided only when every such reading agrees.",
	"Your organization id (organization_id, --organization-id, or organizations describe-organization output) is the aws:PrincipalOrgID of your role session and user; without it that key is unknown. Your account id is the configured role's account (or account_id).",
	"s3:prefix on ListBucket is the configured prefix.",
	"KMS calls are made by S3 on the uploader's behalf (kms:ViaService s3.REGION.amazonaws.com); their aws:SourceIp is S3's, so IP conditions on KMS calls are undecidable.",
	"A condition key of s3:, kms:, sts: or iam: that the Service Authorization Reference does not list for the action (s3:prefix on PutObject, the SSE-KMS key id header on ListBucket) is absent from its request.",
	"Upload key space: the vendor writes its files directly into the configured folder (PREFIX<name>, no further \"/\"); a grant that covers no such name denies, one that covers only some names (PREFIX*.csv) is unknown.",
	"SSE-KMS: S3 uses only a key in the bucket's Region; a bare key id or an alias is known only from kms describe-key / list-aliases output (an alias is resolved in the requester's account); a key in another account needs both its key policy and your identity policy; a KMS grant for your role allows its operations when its encryption-context constraint holds for aws:s3:arn (the object ARN, the bucket ARN with Bucket Keys).",
}

// key builds a Context entry.
func present(vals ...string) iam.ContextValue {
	return iam.ContextValue{State: iam.Present, Values: vals}
}

var (
	absent  = iam.ContextValue{State: iam.Absent}
	unknown = iam.ContextValue{State: iam.UnknownValue}
)

func unknownOr(v string) iam.ContextValue {
	if v == "" || policy.IsUnknown(v) {
		return unknown
	}
	return present(v)
}

// Principal is what the request context takes from the customer's own role
// or user beyond its identity.
type Principal struct {
	Caller iam.Caller
	// OrgID is the customer's organization id ("" when not known): the
	// aws:PrincipalOrgID of the role session or user, and the
	// aws:ResourceOrgID of resources in the same account.
	OrgID string
	// Tags are the role's or user's tags. TagsKnown says that Tags is the
	// whole set (an export that lists tags, or get-role output, which omits
	// the Tags key when the role has none); otherwise tag keys not in Tags
	// are unknown.
	Tags      map[string]string
	TagsKnown bool
}

// Target is the customer role the vendor assumes: the resource of
// sts:AssumeRole.
type Target struct {
	Account   string // the role's account ("" when not known)
	OrgID     string // the customer's organization id ("" when not known)
	Tags      map[string]string
	TagsKnown bool
}

// Request describes one call of the model before its context is built.
type Request struct {
	Caller   iam.Caller
	SourceIP string // a CIDR range, or "" when no vendor ranges are configured
}

// The "Availability" paragraph of each key in "AWS global condition context
// keys" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
// decides whether it is present; the comments quote it.

// baseContext is what every vendor request carries.
func baseContext(c iam.Caller, sourceIP string, now time.Time) iam.Context {
	ctx := iam.Context{
		// "This key is always included in the request context."
		"aws:securetransport": present("true"),
		// "Included in the request context only if the requester uses a VPC
		// endpoint": the vendor's endpoint if any, never one of the
		// customer's (SPEC §1: vendor-side values are foreign).
		"aws:sourcevpc":  iam.ForeignValue("vpc-", false),
		"aws:sourcevpce": iam.ForeignValue("vpce-", false),
		// Without a VPC endpoint of the customer's, the source address is
		// the vendor's public range (aws:SourceIp below).
		"aws:vpcsourceip": absent,
		// "Included in the request context only if the principal making the
		// call was authenticated using MFA": never (SPEC §1, no MFA).
		"aws:multifactorauthage": absent,
		// "Returns false when the principal makes the call directly";
		// "always included in the request context for most services".
		"aws:viaawsservice":            present("false"),
		"aws:principaltype":            present(string(c.Type)),
		"aws:principalarn":             unknownOr(c.ARN),
		"aws:principalaccount":         unknownOr(c.Account),
		"aws:principalisawsservice":    present("false"),
		"aws:principalservicename":     absent,
		"aws:principalservicenamelist": absent,
		"aws:currenttime":              present(now.UTC().Format(time.RFC3339)),
		"aws:epochtime":                present(strconv.FormatInt(now.Unix(), 10)),
		// "Included in the request context when tags are passed in the
		// request": the vendor passes none (no session tags, no object tags).
		"aws:requesttag/*": absent,
		"aws:tagkeys":      absent,
		// "Not present when the principal makes the call directly."
		"aws:calledvia":      absent,
		"aws:calledviafirst": absent,
		"aws:calledvialast":  absent,
		"aws:sourceidentity": absent,
		// "Included in the request context only if accessing a resource
		// triggers an AWS service to call another service on behalf of the
		// resource owner": not an IAM principal's own call (IAM-FACTS §8).
		"aws:sourceaccount":  absent,
		"aws:sourcearn":      absent,
		"aws:sourceorgid":    absent,
		"aws:sourceorgpaths": absent,
		// "Not included for programmatic requests because it doesn't use a
		// browser link"; the header is the caller's to send, so it is the
		// vendor's value when present.
		"aws:referer": iam.ForeignValue("", false),
	}
	if sourceIP == "" {
		ctx["aws:sourceip"] = unknown
	} else {
		ctx["aws:sourceip"] = present(sourceIP)
	}
	switch c.Type {
	case iam.User:
		// A long-term access key: "The key is not present in AWS CLI, AWS
		// API, or AWS SDK requests that are made using long-term credentials"
		// (aws:MultiFactorAuthPresent), and "not present ... made using
		// access keys" (aws:TokenIssueTime).
		ctx["aws:multifactorauthpresent"] = absent
		ctx["aws:tokenissuetime"] = absent
		user, _ := policy.ParseARN(c.ARN)
		// "Always included in the request context for IAM users."
		ctx["aws:username"] = unknownOr(user.Name())
		// "For IAM users, the request context value is the user ID."
		ctx["aws:userid"] = unknownOr(c.UniqueID)
	case iam.RoleSession:
		// Temporary credentials from sts:AssumeRole without SerialNumber and
		// TokenCode: "included in the request context only when the
		// principal uses temporary credentials", with the value false.
		ctx["aws:multifactorauthpresent"] = present("false")
		// Present for temporary credentials; the time is not known.
		ctx["aws:tokenissuetime"] = present(policy.UnknownValue("the session's issue time is not known"))
		// "Requests that are made using ... IAM roles do not include this key."
		ctx["aws:username"] = absent
		// A role session's aws:userid is ROLE-ID:SESSION-NAME
		// (reference_policies_variables.html, "Information available in
		// requests"); the session name is the vendor's choice.
		if c.UniqueID != "" && !policy.IsUnknown(c.UniqueID) {
			ctx["aws:userid"] = iam.ForeignValue(c.UniqueID+":", true)
		} else {
			ctx["aws:userid"] = unknown
		}
	}
	return ctx
}

// customerSide adds the keys that come from the customer's own role or
// user: its organization and its tags.
func customerSide(ctx iam.Context, p Principal) {
	// aws:PrincipalOrgID: "included in the request context only if the
	// principal is a member of an organization".
	ctx["aws:principalorgid"] = unknownOr(p.OrgID)
	// The organization path names OUs that no input carries.
	ctx["aws:principalorgpaths"] = unknown
	setTags(ctx, "aws:principaltag/", p.Tags, p.TagsKnown)
}

// setTags writes one key per tag ("there is one context key for each tag
// key-value pair"); other tag keys are absent when the tag set is known.
func setTags(ctx iam.Context, prefix string, tags map[string]string, known bool) {
	for k, v := range tags {
		ctx[strings.ToLower(prefix+k)] = present(v)
	}
	if known {
		ctx[prefix+"*"] = absent
	} else {
		ctx[prefix+"*"] = unknown
	}
}

// AssumeRoleContext is the context of the vendor's sts:AssumeRole call on
// the customer's role, from one source range.
func AssumeRoleContext(p *Profile, target Target, externalID, sourceIP string, now time.Time) iam.Context {
	ctx := baseContext(VendorCaller(p), sourceIP, now)
	if externalID != "" {
		ctx["sts:externalid"] = present(externalID)
	} else {
		ctx["sts:externalid"] = absent
	}
	// RoleSessionName is a required parameter of AssumeRole; the vendor picks it.
	ctx["sts:rolesessionname"] = iam.ForeignValue("", true)
	ctx["sts:transitivetagkeys"] = absent
	ctx["sts:sourceidentity"] = absent
	// The vendor's own role: its tags and its organization are the vendor's
	// (SPEC §1). The vendor's account is not in the customer's organization:
	// aws:PrincipalOrgID is absent or another organization's id.
	ctx["aws:principaltag/*"] = iam.ForeignValue("", false)
	ctx["aws:principalorgid"] = iam.ForeignValue("o-", false)
	ctx["aws:principalorgpaths"] = iam.ForeignValue("o-", false)
	// The vendor's role session: ROLE-ID:SESSION-NAME, both the vendor's.
	ctx["aws:userid"] = iam.ForeignValue("AROA", true)
	// The resource is the customer's role.
	ctx["aws:resourceaccount"] = unknownOr(target.Account)
	ctx["aws:resourceorgid"] = unknownOr(target.OrgID)
	ctx["aws:resourceorgpaths"] = unknown
	setTags(ctx, "aws:resourcetag/", target.Tags, target.TagsKnown)
	ctx["aws:requestedregion"] = unknown // the STS endpoint the vendor calls
	return AbsentUnlessCarried(ctx, assumeAction(p))
}

// VendorCaller is the vendor's role session as the trust policy sees it.
func VendorCaller(p *Profile) iam.Caller {
	return iam.Caller{
		Type:       iam.RoleSession,
		ARN:        p.PrincipalARN,
		SessionARN: policy.UnknownValue("the vendor's role session name is not published"),
		Account:    p.Account,
	}
}

// S3Call describes one S3 request of the model.
type S3Call struct {
	Action    string
	Bucket    string
	Prefix    string
	KMSKeyARN string // configured key: the upload carries the SSE-KMS headers
	Region    string
	// BucketAccount owns the bucket when it is not the caller's account.
	BucketAccount string
}

// S3Context is the context of an S3 call made by the customer's role session
// or user from one source range.
func S3Context(p Principal, call S3Call, sourceIP string, now time.Time) iam.Context {
	c := p.Caller
	ctx := baseContext(c, sourceIP, now)
	customerSide(ctx, p)
	ctx["aws:resourcetag/*"] = unknown
	account := c.Account
	orgID := p.OrgID
	if call.BucketAccount != "" && call.BucketAccount != c.Account {
		// A bucket in another account: its organization is not known.
		account, orgID = call.BucketAccount, ""
	}
	ctx["aws:resourceaccount"] = unknownOr(account)
	ctx["s3:resourceaccount"] = unknownOr(account)
	ctx["aws:resourceorgid"] = unknownOr(orgID)
	ctx["aws:resourceorgpaths"] = unknown
	ctx["aws:requestedregion"] = unknownOr(call.Region)
	ctx["s3:authtype"] = present("REST-HEADER")
	ctx["s3:signatureversion"] = present("AWS4-HMAC-SHA256")
	ctx["s3:tlsversion"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["s3:x-amz-content-sha256"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["s3:existingobjecttag/*"] = iam.ContextValue{State: iam.UnknownValue}
	switch strings.ToLower(call.Action) {
	case "s3:putobject":
		ctx["s3:x-amz-acl"] = absent
		ctx["s3:x-amz-grant-full-control"] = absent
		ctx["s3:x-amz-grant-read"] = absent
		ctx["s3:x-amz-grant-write"] = absent
		ctx["s3:x-amz-grant-read-acp"] = absent
		ctx["s3:x-amz-grant-write-acp"] = absent
		ctx["s3:x-amz-storage-class"] = absent
		ctx["s3:x-amz-server-side-encryption-customer-algorithm"] = absent
		ctx["s3:requestobjecttagkeys"] = absent
		ctx["s3:requestobjecttag/*"] = absent
		ctx["s3:object-lock-mode"] = absent
		ctx["s3:object-lock-retain-until-date"] = absent
		ctx["s3:object-lock-legal-hold"] = absent
		ctx["s3:x-amz-metadata-directive"] = absent
		ctx["s3:x-amz-copy-source"] = absent
		if call.KMSKeyARN != "" {
			ctx["s3:x-amz-server-side-encryption"] = present("aws:kms")
			ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = present(call.KMSKeyARN)
		} else {
			ctx["s3:x-amz-server-side-encryption"] = absent
			ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = absent
		}
	case "s3:listbucket":
		ctx["s3:prefix"] = present(call.Prefix)
		ctx["s3:delimiter"] = iam.ContextValue{State: iam.UnknownValue}
		ctx["s3:max-keys"] = iam.ContextValue{State: iam.UnknownValue}
	}
	return AbsentUnlessCarried(ctx, call.Action)
}

// KMSContext is the context of a KMS call that S3 makes with the uploader's
// credentials while storing an object under SSE-KMS (kms:ViaService;
// conditions-kms.html). bucketKey selects the bucket ARN as the encryption
// context instead of the object ARN (bucket-key.html).
func KMSContext(p Principal, region, objectARN, bucketARN string, bucketKey bool, now time.Time) iam.Context {
	c := p.Caller
	ctx := baseContext(c, "", now)
	customerSide(ctx, p)
	// S3 calls KMS on the caller's behalf: KMS sees S3's address.
	ctx["aws:sourceip"] = unknown
	// "Returns true when a service uses the credentials of an IAM principal
	// to make a request on behalf of the principal."
	ctx["aws:viaawsservice"] = present("true")
	// aws:CalledVia is set only by the services its page lists (Athena,
	// CloudFormation, DynamoDB, KMS in the archived copy); whether S3 is one
	// of them now is not verified: unknown, never a guess.
	ctx["aws:calledvia"] = unknown
	ctx["aws:calledviafirst"] = unknown
	ctx["aws:calledvialast"] = unknown
	// "If an IAM user makes a call to an AWS service, the service re-uses
	// the user's credentials to make another request ... AWS uses temporary
	// credentials", and aws:MultiFactorAuthPresent "is present in the
	// request and set to a value of false" — for the access-key method too.
	ctx["aws:multifactorauthpresent"] = present("false")
	if c.Type == iam.User {
		ctx["aws:tokenissuetime"] = unknown
	}
	// The key's account and organization, and its tags, are not known here.
	ctx["aws:resourcetag/*"] = unknown
	if region != "" {
		ctx["kms:viaservice"] = present("s3." + region + ".amazonaws.com")
	} else {
		ctx["kms:viaservice"] = iam.ContextValue{State: iam.UnknownValue}
	}
	ctx["kms:calleraccount"] = unknownOr(c.Account)
	ctx["kms:grantisforawsresource"] = absent
	ctx["kms:encryptionalgorithm"] = present("SYMMETRIC_DEFAULT")
	ctx["kms:requestalias"] = absent
	ctx["kms:keyspec"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["kms:keyorigin"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["kms:keyusage"] = present("ENCRYPT_DECRYPT")
	ctx["kms:datakeypairspec"] = absent
	context := objectARN
	if bucketKey {
		context = bucketARN
	}
	ctx["kms:encryptioncontext:aws:s3:arn"] = unknownOr(context)
	ctx["kms:encryptioncontextkeys"] = present("aws:s3:arn")
	ctx["kms:encryptioncontext:*"] = absent
	return ctx
}
