package requestmodel

import (
	"strings"
	"time"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// This file is the request model: what smlint assumes the vendor's calls
// look like. SPEC §1 states these assumptions; README repeats them from
// Assumptions below. Change them here and nowhere else.

// Assumptions, in words, in the order the README lists them.
var Assumptions = []string{
	"Role method: the vendor's role calls sts:AssumeRole on your role (cross-account, so your trust policy must allow it explicitly); the resulting session makes the S3 calls in your account.",
	"Access-key method: the IAM user makes the S3 calls directly with a long-term access key (AKIA…).",
	"The bucket is in the same account as the role or user (set bucket_account otherwise); documents you did not give do not exist, except a KMS key's key policy, which every key has.",
	"Each vendor IP range is a possible aws:SourceIp, and every range must pass; without configured ranges the source address is unknown.",
	"aws:SecureTransport is true; the request does not come through a VPC endpoint (no aws:SourceVpc, aws:SourceVpce, aws:VpcSourceIp).",
	"Uploads carry x-amz-server-side-encryption: aws:kms and the key id only when a KMS key ARN is configured; otherwise no encryption header and no ACL header.",
	"sts:ExternalId is sent only when one is configured (vendor.external_id); no MFA, no session tags, no source identity.",
	"The vendor's role session name is not known; s3:prefix on ListBucket is the configured prefix.",
	"KMS calls are made by S3 on the uploader's behalf (kms:ViaService s3.REGION.amazonaws.com); their aws:SourceIp is S3's, so IP conditions on KMS calls are undecidable.",
}

// key builds a Context entry.
func present(vals ...string) iam.ContextValue {
	return iam.ContextValue{State: iam.Present, Values: vals}
}

var absent = iam.ContextValue{State: iam.Absent}

func unknownOr(v string) iam.ContextValue {
	if v == "" || policy.IsUnknown(v) {
		return iam.ContextValue{State: iam.UnknownValue}
	}
	return present(v)
}

// Request describes one call of the model before its context is built.
type Request struct {
	Caller   iam.Caller
	SourceIP string // a CIDR range, or "" when no vendor ranges are configured
}

// baseContext is what every vendor request carries.
func baseContext(c iam.Caller, sourceIP string, now time.Time) iam.Context {
	ctx := iam.Context{
		"aws:securetransport":        present("true"),
		"aws:sourcevpc":              absent,
		"aws:sourcevpce":             absent,
		"aws:vpcsourceip":            absent,
		"aws:multifactorauthpresent": absent,
		"aws:multifactorauthage":     absent,
		"aws:viaawsservice":          present("false"),
		"aws:principaltype":          present(string(c.Type)),
		"aws:principalarn":           unknownOr(c.ARN),
		"aws:principalaccount":       unknownOr(c.Account),
		"aws:principalisawsservice":  present("false"),
		"aws:principalservicename":   absent,
		"aws:currenttime":            present(now.UTC().Format(time.RFC3339)),
		"aws:epochtime":              present(itoa(now.Unix())),
		"aws:requesttag/*":           absent,
		"aws:tagkeys":                absent,
		"aws:calledvia":              absent,
		"aws:sourceidentity":         absent,
		"aws:tokenissuetime":         {State: iam.UnknownValue},
	}
	if sourceIP == "" {
		ctx["aws:sourceip"] = iam.ContextValue{State: iam.UnknownValue}
	} else {
		ctx["aws:sourceip"] = present(sourceIP)
	}
	switch c.Type {
	case iam.User:
		name := c.ARN[strings.LastIndex(c.ARN, "/")+1:]
		ctx["aws:username"] = unknownOr(name)
		ctx["aws:userid"] = unknownOr(c.UniqueID)
	case iam.RoleSession:
		ctx["aws:username"] = absent // only IAM users carry it (condition-keys page)
		ctx["aws:userid"] = iam.ContextValue{State: iam.UnknownValue}
	}
	return ctx
}

// AssumeRoleContext is the context of the vendor's sts:AssumeRole call on
// the customer's role, from one source range.
func AssumeRoleContext(p *Profile, externalID, sourceIP string, now time.Time) iam.Context {
	ctx := baseContext(VendorCaller(p), sourceIP, now)
	if externalID != "" {
		ctx["sts:externalid"] = present(externalID)
	} else {
		ctx["sts:externalid"] = absent
	}
	ctx["sts:rolesessionname"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["sts:transitivetagkeys"] = absent
	ctx["sts:sourceidentity"] = absent
	ctx["aws:principaltag/*"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:principalorgid"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:resourcetag/*"] = iam.ContextValue{State: iam.UnknownValue}
	return ctx
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
}

// S3Context is the context of an S3 call made by caller from one source range.
func S3Context(c iam.Caller, call S3Call, sourceIP string, now time.Time) iam.Context {
	ctx := baseContext(c, sourceIP, now)
	ctx["aws:principaltag/*"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:principalorgid"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:resourcetag/*"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:resourceaccount"] = unknownOr(c.Account)
	ctx["s3:resourceaccount"] = unknownOr(c.Account)
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
	return ctx
}

// KMSContext is the context of a KMS call that S3 makes with the uploader's
// credentials while storing an object under SSE-KMS (kms:ViaService;
// conditions-kms.html). bucketKey selects the bucket ARN as the encryption
// context instead of the object ARN (bucket-key.html).
func KMSContext(c iam.Caller, region, objectARN, bucketARN string, bucketKey bool, now time.Time) iam.Context {
	ctx := baseContext(c, "", now)
	// S3 calls KMS on the caller's behalf: KMS sees S3's address.
	ctx["aws:sourceip"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:viaawsservice"] = present("true")
	ctx["aws:calledvia"] = present("s3.amazonaws.com")
	ctx["aws:principaltag/*"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:principalorgid"] = iam.ContextValue{State: iam.UnknownValue}
	ctx["aws:resourcetag/*"] = iam.ContextValue{State: iam.UnknownValue}
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

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [24]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
