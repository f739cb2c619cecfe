package iam

import (
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

var (
	allowPut      = st{sid: "AllowPut", effect: policy.Allow, action: list("s3:PutObject"), resource: list(bucketARN + "/*")}
	allowGetOnly  = st{sid: "GetOnly", effect: policy.Allow, action: list("s3:GetObject"), resource: list("*")}
	allowS3All    = st{sid: "S3All", effect: policy.Allow, action: list("s3:*"), resource: list("*")}
	denyPut       = st{sid: "DenyPut", effect: policy.Deny, action: list("s3:PutObject"), resource: list("*")}
	denyPutBucket = st{sid: "DenyPut", effect: policy.Deny, principal: aws("*"), action: list("s3:PutObject"), resource: list(bucketARN + "/*")}
)

func withPrincipal(s st, p *policy.Principal) st { s.principal = p; return s }

func assumeReq() Request {
	return Request{
		Action:   "sts:AssumeRole",
		Resource: custRole,
		Caller:   vendorCaller(),
		Context: Context{
			"sts:externalid":   absent,
			"aws:principalarn": present(vendorRole),
			"aws:sourceip":     present("203.0.113.0/24"),
		},
	}
}

func kmsReq() Request {
	return Request{Action: "kms:GenerateDataKey", Resource: "arn:aws:kms:eu-west-1:111122223333:key/1234", Caller: sessionCaller(), Context: uploadCtx()}
}

// reference_policies_evaluation-logic.html, ..._evaluation-logic-cross-account.html,
// key-policy-default.html (IAM-FACTS §2.4, §2.5, §4.2).
func TestEvaluate(t *testing.T) {
	dupFirst := doc(policy.Identity, allowPut)
	dupFirst.Alternate = doc(policy.Identity, allowGetOnly)
	dupSame := doc(policy.Identity, allowPut)
	dupSame.Alternate = doc(policy.Identity, allowS3All)
	invalidAllow := doc(policy.Identity, allowPut)
	invalidAllow.Problems = []policy.Problem{{Message: "policy too large", Rejected: true}}
	invalidDeny := doc(policy.Identity, denyPut)
	invalidDeny.Problems = []policy.Problem{{Message: "bad Sid", Rejected: true}}
	tolerated := doc(policy.Identity, allowPut)
	tolerated.Problems = []policy.Problem{{Message: "missing Version", Rejected: false}}
	invalidSCP := doc(policy.SCP, st{sid: "S3", effect: policy.Allow, action: list("s3:*"), resource: list("*")})
	invalidSCP.Problems = []policy.Problem{{Message: "too large", Rejected: true}}
	unresolved := &policy.Document{Kind: policy.Bucket, File: "main.tf", Line: 4, Unresolved: "known after apply"}

	keyRoot := st{sid: "Enable IAM policies", effect: policy.Allow, principal: aws("arn:aws:iam::111122223333:root"), action: list("kms:*"), resource: list("*")}
	keyDirect := st{sid: "Uploader", effect: policy.Allow, principal: aws(custRole), action: list("kms:GenerateDataKey", "kms:Decrypt"), resource: list("*")}
	keyAdminOnly := st{sid: "Admins", effect: policy.Allow, principal: aws("arn:aws:iam::111122223333:role/admin"), action: list("kms:*"), resource: list("*")}
	iamKMS := st{sid: "UseKey", effect: policy.Allow, action: list("kms:GenerateDataKey"), resource: list("arn:aws:kms:eu-west-1:111122223333:key/1234")}

	trustVendor := st{sid: "Vendor", effect: policy.Allow, principal: aws(vendorRole), action: list("sts:AssumeRole")}
	trustVendorAcct := st{sid: "VendorAcct", effect: policy.Allow, principal: aws("arn:aws:iam::043417694514:root"), action: list("sts:AssumeRole")}
	trustExternalID := st{sid: "Vendor", effect: policy.Allow, principal: aws(vendorRole), action: list("sts:AssumeRole"),
		cond: []policy.Condition{cond("StringEquals", "sts:ExternalId", "abc")}}
	trustBareID := st{sid: "Deleted", effect: policy.Allow, principal: aws("AROAEXAMPLEDELETED1"), action: list("sts:AssumeRole")}

	userCaller := Caller{Type: User, ARN: "arn:aws:iam::111122223333:user/uploader", Account: custAcct}
	userReq := putReq()
	userReq.Caller = userCaller

	cases := []struct {
		name        string
		req         Request
		set         PolicySet
		want        Decision
		becauseSids []string
		reasonHas   string
	}{
		{"identity allow, same account", putReq(), PolicySet{Identity: []*policy.Document{doc(policy.Identity, allowPut)}}, Allowed, []string{"AllowPut"}, ""},
		{"nothing allows: implicit deny", putReq(), PolicySet{Identity: []*policy.Document{doc(policy.Identity, allowGetOnly)}}, ImplicitDeny, nil, ""},
		{"no documents: implicit deny", putReq(), PolicySet{}, ImplicitDeny, nil, ""},
		{"explicit deny in another document wins", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut), doc(policy.Identity, denyPut)}}, ExplicitDeny, []string{"DenyPut"}, ""},
		{"explicit deny in bucket policy wins", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowS3All)},
			Resource: []*policy.Document{doc(policy.Bucket, denyPutBucket)}}, ExplicitDeny, []string{"DenyPut"}, ""},
		// "If either the identity-based policy or the resource-based policy
		// within the same account allows the request ... still allowed."
		{"bucket policy alone allows (same account, role ARN)", putReq(), PolicySet{
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(custRole)))}}, Allowed, []string{"AllowPut"}, ""},
		{"bucket policy naming only the account delegates", putReq(), PolicySet{
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(custAcct)))}}, ImplicitDeny, nil, ""},
		{"bucket policy naming another principal", putReq(), PolicySet{
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws("arn:aws:iam::111122223333:role/other")))}}, ImplicitDeny, nil, ""},
		// Cross-account: "The request is allowed only if both evaluations
		// return a decision of Allow."
		{"cross-account: identity only", putReq(), PolicySet{Mode: CrossAccount,
			Identity: []*policy.Document{doc(policy.Identity, allowPut)}}, ImplicitDeny, nil, ""},
		{"cross-account: bucket only", putReq(), PolicySet{Mode: CrossAccount,
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(custRole)))}}, ImplicitDeny, nil, ""},
		{"cross-account: both", putReq(), PolicySet{Mode: CrossAccount,
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(custAcct)))}}, Allowed, []string{"AllowPut", "AllowPut"}, ""},
		// Trust policies "must explicitly allow access for principals".
		{"trust: vendor role ARN", assumeReq(), PolicySet{Mode: ResourceMustAllow, IdentityOutsideView: true,
			Resource: []*policy.Document{doc(policy.Trust, trustVendor)}}, Allowed, []string{"Vendor"}, ""},
		{"trust: vendor account root, vendor's IAM outside view", assumeReq(), PolicySet{Mode: ResourceMustAllow, IdentityOutsideView: true,
			Resource: []*policy.Document{doc(policy.Trust, trustVendorAcct)}}, Allowed, []string{"VendorAcct"}, ""},
		{"trust: account root needs the account's IAM allow", assumeReq(), PolicySet{Mode: ResourceMustAllow,
			Resource: []*policy.Document{doc(policy.Trust, trustVendorAcct)}}, ImplicitDeny, nil, ""},
		{"trust: ExternalId the vendor does not send", assumeReq(), PolicySet{Mode: ResourceMustAllow, IdentityOutsideView: true,
			Resource: []*policy.Document{doc(policy.Trust, trustExternalID)}}, ImplicitDeny, nil, ""},
		{"trust: bare unique id of a deleted role", assumeReq(), PolicySet{Mode: ResourceMustAllow, IdentityOutsideView: true,
			Resource: []*policy.Document{doc(policy.Trust, trustBareID)}}, ImplicitDeny, nil, ""},
		{"trust: no trust statement at all", assumeReq(), PolicySet{Mode: ResourceMustAllow, IdentityOutsideView: true}, ImplicitDeny, nil, ""},
		// KMS: "Without this permission, IAM policies that allow access to
		// the key are ineffective".
		{"kms: key policy without root statement ignores IAM allow", kmsReq(), PolicySet{Mode: ResourceMustAllow,
			Identity: []*policy.Document{doc(policy.Identity, iamKMS)},
			Resource: []*policy.Document{doc(policy.Key, keyAdminOnly)}}, ImplicitDeny, nil, ""},
		{"kms: root statement plus IAM allow", kmsReq(), PolicySet{Mode: ResourceMustAllow,
			Identity: []*policy.Document{doc(policy.Identity, iamKMS)},
			Resource: []*policy.Document{doc(policy.Key, keyRoot)}}, Allowed, []string{"UseKey", "Enable IAM policies"}, ""},
		{"kms: root statement without IAM allow", kmsReq(), PolicySet{Mode: ResourceMustAllow,
			Resource: []*policy.Document{doc(policy.Key, keyRoot)}}, ImplicitDeny, nil, ""},
		{"kms: key policy names the role", kmsReq(), PolicySet{Mode: ResourceMustAllow,
			Resource: []*policy.Document{doc(policy.Key, keyDirect)}}, Allowed, []string{"Uploader"}, ""},
		// Permissions boundary limits; resource policies naming a user or
		// session are not limited by it, naming the role they are.
		{"boundary limits identity allow", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowS3All)},
			Boundary: []*policy.Document{doc(policy.Boundary, allowGetOnly)}}, ImplicitDeny, nil, ""},
		{"boundary allows", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			Boundary: []*policy.Document{doc(policy.Boundary, allowS3All)}}, Allowed, []string{"AllowPut", "S3All"}, ""},
		{"boundary limits a bucket policy naming the role", putReq(), PolicySet{
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(custRole)))},
			Boundary: []*policy.Document{doc(policy.Boundary, allowGetOnly)}}, ImplicitDeny, nil, ""},
		{"boundary does not limit a bucket policy naming the user", userReq, PolicySet{
			Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws(userCaller.ARN)))},
			Boundary: []*policy.Document{doc(policy.Boundary, allowGetOnly)}}, Allowed, []string{"AllowPut"}, ""},
		// SCPs.
		{"SCP with only Deny statements: FullAWSAccess assumed", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			SCP:      []*policy.Document{doc(policy.SCP, st{sid: "NoIAM", effect: policy.Deny, action: list("iam:*"), resource: list("*")})}}, Allowed, []string{"AllowPut"}, ""},
		{"SCP deny matches", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			SCP:      []*policy.Document{doc(policy.SCP, st{sid: "NoS3Put", effect: policy.Deny, action: list("s3:Put*"), resource: list("*")})}}, ExplicitDeny, []string{"NoS3Put"}, ""},
		{"SCP allow list without the action", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			SCP:      []*policy.Document{doc(policy.SCP, st{sid: "OnlyEC2", effect: policy.Allow, action: list("ec2:*"), resource: list("*")})}}, ExplicitDeny, nil, "no SCP allows"},
		{"SCP allow list with the action", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			SCP:      []*policy.Document{doc(policy.SCP, st{sid: "S3", effect: policy.Allow, action: list("s3:*"), resource: list("*")})}}, Allowed, []string{"AllowPut", "S3"}, ""},
		{"invalid allow-list SCP: no FullAWSAccess assumed", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			SCP:      []*policy.Document{invalidSCP}}, ExplicitDeny, nil, "no SCP allows"},
		// Invalid documents: Allow grants nothing, Deny still counts (SPEC §4).
		{"invalid document's Allow is ignored", putReq(), PolicySet{Identity: []*policy.Document{invalidAllow}}, ImplicitDeny, nil, ""},
		{"invalid document's Deny counts", putReq(), PolicySet{Identity: []*policy.Document{doc(policy.Identity, allowPut), invalidDeny}}, ExplicitDeny, []string{"DenyPut"}, ""},
		{"tolerated problem keeps the Allow", putReq(), PolicySet{Identity: []*policy.Document{tolerated}}, Allowed, []string{"AllowPut"}, ""},
		// Unknowns never become Allowed.
		{"unresolved bucket policy makes allowed unknown", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			Resource: []*policy.Document{unresolved}}, Unknown, nil, "known after apply"},
		{"known deny decides despite unresolved document", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut, denyPut)},
			Resource: []*policy.Document{unresolved}}, ExplicitDeny, []string{"DenyPut"}, ""},
		{"unknown condition on the only allow", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, st{sid: "Org", effect: policy.Allow, action: list("s3:PutObject"), resource: list("*"),
				cond: []policy.Condition{cond("StringEquals", "aws:PrincipalOrgID", "o-1")}})}}, Unknown, []string{"Org"}, "aws:PrincipalOrgID"},
		{"maybe deny blocks allowed", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut, st{sid: "MaybeDeny", effect: policy.Deny, action: list("s3:*"), resource: list("*"),
				cond: []policy.Condition{cond("StringNotEquals", "aws:PrincipalOrgID", "o-1")}})}}, Unknown, []string{"MaybeDeny"}, "aws:PrincipalOrgID"},
		{"maybe deny without any allow stays implicit deny", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, st{sid: "MaybeDeny", effect: policy.Deny, action: list("s3:*"), resource: list("*"),
				cond: []policy.Condition{cond("StringNotEquals", "aws:PrincipalOrgID", "o-1")}})}}, ImplicitDeny, nil, ""},
		{"unresolved resource ARN in allow", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, st{sid: "Tf", effect: policy.Allow, action: list("s3:PutObject"), resource: list(policy.UnknownValue("aws_s3_bucket.b.arn") + "/*")})}}, Unknown, []string{"Tf"}, "Resource"},
		{"unresolved Effect never allows", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, st{sid: "Eff", effect: policy.Effect(policy.UnknownValue("var.effect")), action: list("s3:PutObject"), resource: list("*")})}}, Unknown, nil, "var.effect"},
		{"unresolved Effect beside an allow", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut, st{sid: "Eff", effect: policy.Effect(policy.UnknownValue("var.effect")), action: list("s3:*"), resource: list("*")})}}, Unknown, nil, "var.effect"},
		// aws:SourceIp range partly outside an IP allow-list: Deny applies.
		{"NotIpAddress deny with partial coverage", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, allowPut)},
			Resource: []*policy.Document{doc(policy.Bucket, st{sid: "IPDeny", effect: policy.Deny, principal: aws("*"), action: list("s3:*"), resource: list(bucketARN, bucketARN+"/*"),
				cond: []policy.Condition{cond("NotIpAddress", "aws:SourceIp", "203.0.113.0/25")}})}}, ExplicitDeny, []string{"IPDeny"}, ""},
		{"IpAddress allow with partial coverage", putReq(), PolicySet{
			Identity: []*policy.Document{doc(policy.Identity, st{sid: "IPAllow", effect: policy.Allow, action: list("s3:PutObject"), resource: list("*"),
				cond: []policy.Condition{cond("IpAddress", "aws:SourceIp", "203.0.113.0/25")}})}}, ImplicitDeny, nil, ""},
		// Duplicate keys: decide under both readings (SPEC §4).
		{"duplicate keys, readings disagree", putReq(), PolicySet{Identity: []*policy.Document{dupFirst}}, Unknown, []string{"AllowPut"}, "duplicate JSON keys"},
		{"duplicate keys, readings agree", putReq(), PolicySet{Identity: []*policy.Document{dupSame}}, Allowed, []string{"AllowPut"}, ""},
		// Nil entries are skipped, never a panic.
		{"nil documents and statements", putReq(), PolicySet{Identity: []*policy.Document{nil, {Kind: policy.Identity, Statements: []*policy.Statement{nil}}}}, ImplicitDeny, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Evaluate(c.req, c.set)
			if res.Decision != c.want {
				t.Fatalf("Decision = %s, want %s (reasons %v)", res.Decision, c.want, res.Reasons)
			}
			var sids []string
			for _, m := range res.Because {
				if m.Statement != nil {
					sids = append(sids, m.Statement.Sid)
				}
			}
			if c.becauseSids != nil && strings.Join(sids, ",") != strings.Join(c.becauseSids, ",") {
				t.Errorf("Because = %v, want %v", sids, c.becauseSids)
			}
			if c.want == ImplicitDeny && len(res.Because) != 0 {
				t.Errorf("implicit deny with Because %v", sids)
			}
			if c.want == Unknown && len(res.Reasons) == 0 {
				t.Errorf("unknown without reasons")
			}
			if c.reasonHas != "" && !strings.Contains(strings.Join(Texts(res.Reasons), "\n"), c.reasonHas) {
				t.Errorf("Reasons %q do not mention %q", res.Reasons, c.reasonHas)
			}
		})
	}
}
