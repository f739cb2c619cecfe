package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

const (
	bucketARN = "arn:aws:s3:::dest-bucket"
	objectARN = "arn:aws:s3:::dest-bucket/supermetrics/file.csv"
	custRole  = "arn:aws:iam::111122223333:role/supermetrics-upload"
	custAcct  = "111122223333"
)

// st builds a statement; pass nil slices for absent elements.
type st struct {
	sid          string
	effect       policy.Effect
	action       []string
	notAction    []string
	resource     []string
	notResource  []string
	principal    *policy.Principal
	notPrincipal *policy.Principal
	cond         []policy.Condition
}

func (s st) build(i int) *policy.Statement {
	return &policy.Statement{
		Index: i, Sid: s.sid, Line: i + 3, Effect: s.effect,
		Action: s.action, NotAction: s.notAction,
		Resource: s.resource, NotResource: s.notResource,
		Principal: s.principal, NotPrincipal: s.notPrincipal,
		Condition: s.cond,
	}
}

func doc(kind policy.Kind, sts ...st) *policy.Document {
	d := &policy.Document{Kind: kind, File: string(kind) + ".json", Line: 1, Version: policy.Version2012}
	for i, s := range sts {
		d.Statements = append(d.Statements, s.build(i))
	}
	return d
}

func list(s ...string) []string { return s }

// The customer's role session uploading into its own bucket.
func sessionCaller() Caller {
	return Caller{
		Type:       RoleSession,
		ARN:        custRole,
		SessionARN: policy.UnknownValue("session name chosen by the vendor"),
		Account:    custAcct,
		UniqueID:   "AROAEXAMPLEEXAMPLE1",
	}
}

func putReq() Request {
	return Request{Action: "s3:PutObject", Resource: objectARN, Caller: sessionCaller(), Context: uploadCtx()}
}

func TestMatchStatement(t *testing.T) {
	cases := []struct {
		name     string
		kind     policy.Kind
		s        st
		resource bool
		want     Tri
	}{
		{"allow put on objects", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list("arn:aws:s3:::dest-bucket/*")}, false, True},
		{"allow put on bucket ARN only", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list(bucketARN)}, false, False},
		{"effect typo is ignored", policy.Identity, st{effect: "allow", action: list("*"), resource: list("*")}, false, False},
		// reference_policies_elements_notaction.html: with Allow, everything
		// not listed is allowed (within Resource); with Deny, denied.
		{"Allow NotAction excluding delete", policy.Identity, st{effect: policy.Allow, notAction: list("s3:DeleteBucket"), resource: list("arn:aws:s3:::*")}, false, True},
		{"Allow NotAction listing the action", policy.Identity, st{effect: policy.Allow, notAction: list("s3:Put*"), resource: list("*")}, false, False},
		{"Deny NotAction iam:* denies s3", policy.Identity, st{effect: policy.Deny, notAction: list("iam:*"), resource: list("*")}, false, True},
		// reference_policies_elements_notresource.html
		{"Deny NotResource other bucket denies ours", policy.Identity, st{effect: policy.Deny, action: list("s3:*"), notResource: list("arn:aws:s3:::hr", "arn:aws:s3:::hr/*")}, false, True},
		{"Deny NotResource our bucket spares ours", policy.Identity, st{effect: policy.Deny, action: list("s3:*"), notResource: list(bucketARN, bucketARN+"/*")}, false, False},
		{"Allow NotResource other bucket allows ours", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), notResource: list("arn:aws:s3:::hr/*")}, false, True},
		{"missing Action in Allow matches nothing", policy.Identity, st{effect: policy.Allow, resource: list("*")}, false, False},
		{"missing Action in Deny is maybe", policy.Identity, st{effect: policy.Deny, resource: list("*")}, false, Maybe},
		{"missing Resource in identity Allow", policy.Identity, st{effect: policy.Allow, action: list("*")}, false, False},
		{"principal ignored in identity policies", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list("*"), principal: aws("arn:aws:iam::999999999999:root")}, false, True},
		{"bucket policy principal role", policy.Bucket, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list(bucketARN + "/*"), principal: aws(custRole)}, true, True},
		{"bucket policy other principal", policy.Bucket, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list(bucketARN + "/*"), principal: aws("arn:aws:iam::111122223333:role/other")}, true, False},
		{"bucket policy without principal, Deny", policy.Bucket, st{effect: policy.Deny, action: list("s3:PutObject"), resource: list("*")}, true, Maybe},
		{"NotPrincipal Deny listing the account but not the role: applies", policy.Bucket, st{effect: policy.Deny, action: list("s3:*"), resource: list("*"), notPrincipal: aws("arn:aws:iam::111122223333:role/admin", "arn:aws:iam::111122223333:root")}, true, True},
		// reference_policies_elements_notprincipal.html: list the session too.
		{"NotPrincipal Deny listing our role and account but not the session: applies", policy.Bucket, st{effect: policy.Deny, action: list("s3:*"), resource: list("*"), notPrincipal: aws(custRole, "arn:aws:iam::111122223333:root")}, true, True},
		{"NotPrincipal Deny listing a session of our role, the role and the account: may apply", policy.Bucket, st{effect: policy.Deny, action: list("s3:*"), resource: list("*"), notPrincipal: aws("arn:aws:sts::111122223333:assumed-role/supermetrics-upload/supermetrics", custRole, "arn:aws:iam::111122223333:root")}, true, Maybe},
		{"NotPrincipal Deny listing another account applies", policy.Bucket, st{effect: policy.Deny, action: list("s3:*"), resource: list("*"), notPrincipal: aws("arn:aws:iam::444455556666:root")}, true, True},
		{"condition false", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list("*"), cond: []policy.Condition{cond("StringEquals", "sts:ExternalId", "x")}}, false, False},
		{"condition unknown", policy.Identity, st{effect: policy.Allow, action: list("s3:PutObject"), resource: list("*"), cond: []policy.Condition{cond("StringEquals", "aws:PrincipalOrgID", "o-1")}}, false, Maybe},
		{"trust policy: absent Resource matches", policy.Trust, st{effect: policy.Allow, action: list("s3:PutObject"), principal: aws(custRole)}, true, True},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := doc(c.kind, c.s)
			got, _, why := MatchStatement(d, d.Statements[0], putReq(), c.resource)
			if got != c.want {
				t.Errorf("MatchStatement = %v (%v), want %v", got, why, c.want)
			}
			if got == Maybe && len(why) == 0 {
				t.Errorf("Maybe without reasons")
			}
		})
	}
}
