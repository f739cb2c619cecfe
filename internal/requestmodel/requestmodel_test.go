package requestmodel

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// Each key of the request model against the "Availability" paragraph of its
// entry in "AWS global condition context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
// and SPEC §1.

type want struct {
	state  iam.ValueState
	values []string // Present: the values ("?" = an unknown value)
	prefix string   // Foreign: the prefix
	always bool     // Foreign: AlwaysPresent
}

var (
	wAbsent  = want{state: iam.Absent}
	wUnknown = want{state: iam.UnknownValue}
)

func wPresent(v ...string) want { return want{state: iam.Present, values: v} }
func wForeign(prefix string, always bool) want {
	return want{state: iam.Foreign, prefix: prefix, always: always}
}

var now = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

const (
	customerRole = "arn:aws:iam::111122223333:role/supermetrics-upload"
	customerUser = "arn:aws:iam::111122223333:user/supermetrics"
)

func roleSession() iam.Caller {
	return iam.Caller{Type: iam.RoleSession, ARN: customerRole, Account: "111122223333", UniqueID: "AROARZ5GK3EXAMPLE7Q2M",
		SessionARN: policy.UnknownValue("session name")}
}

func user() iam.Caller {
	return iam.Caller{Type: iam.User, ARN: customerUser, Account: "111122223333", UniqueID: "AIDAJQABLZS4A3QDU576Q"}
}

func check(t *testing.T, ctx iam.Context, key string, w want) {
	t.Helper()
	got, found := ctx.Lookup(key)
	if !found {
		if w.state == iam.UnknownValue {
			return // a key not in the context is unknown
		}
		t.Fatalf("%s: not in the context, want state %v", key, w.state)
	}
	if got.State != w.state {
		t.Fatalf("%s: state %v, want %v (%+v)", key, got.State, w.state, got)
	}
	switch w.state {
	case iam.Present:
		if len(got.Values) != len(w.values) {
			t.Fatalf("%s: values %q, want %q", key, got.Values, w.values)
		}
		for i, v := range w.values {
			if v == "?" {
				if !policy.IsUnknown(got.Values[i]) {
					t.Fatalf("%s: value %q, want an unknown value", key, got.Values[i])
				}
			} else if got.Values[i] != v {
				t.Fatalf("%s: values %q, want %q", key, got.Values, w.values)
			}
		}
	case iam.Foreign:
		if got.Prefix != w.prefix || got.AlwaysPresent != w.always {
			t.Fatalf("%s: foreign %q always=%v, want %q always=%v", key, got.Prefix, got.AlwaysPresent, w.prefix, w.always)
		}
	}
}

func TestAssumeRoleContext(t *testing.T) {
	p := Default()
	target := Target{Account: "111122223333", OrgID: "o-a1b2c3d4e5", Tags: map[string]string{"Team": "data"}, TagsKnown: true}
	ctx := AssumeRoleContext(p, target, "", "203.0.113.0/24", now)
	for _, tc := range []struct {
		key string
		w   want
	}{
		// Temporary credentials of the vendor's role session, without MFA.
		{"aws:MultiFactorAuthPresent", wPresent("false")},
		{"aws:MultiFactorAuthAge", wAbsent},
		{"aws:TokenIssueTime", wPresent("?")},
		{"aws:PrincipalType", wPresent("AssumedRole")},
		// "For IAM roles, the request context returns the ARN of the role."
		{"aws:PrincipalArn", wPresent(p.PrincipalARN)},
		{"aws:PrincipalAccount", wPresent("043417694514")},
		{"aws:PrincipalIsAWSService", wPresent("false")},
		{"aws:PrincipalServiceName", wAbsent},
		{"aws:username", wAbsent},
		// The vendor's side: not in the customer's organization, its tags,
		// its session name, its user id (ROLE-ID:SESSION).
		{"aws:PrincipalOrgID", wForeign("o-", false)},
		{"aws:PrincipalOrgPaths", wForeign("o-", false)},
		{"aws:PrincipalTag/team", wForeign("", false)},
		{"sts:RoleSessionName", wForeign("", true)},
		{"aws:userid", wForeign("AROA", true)},
		{"aws:SourceVpc", wForeign("vpc-", false)},
		{"aws:SourceVpce", wForeign("vpce-", false)},
		{"aws:referer", wForeign("", false)},
		{"aws:VpcSourceIp", wAbsent},
		{"aws:SourceIp", wPresent("203.0.113.0/24")},
		{"aws:SecureTransport", wPresent("true")},
		{"aws:ViaAWSService", wPresent("false")},
		{"aws:CalledVia", wAbsent},
		{"aws:SourceAccount", wAbsent},
		{"aws:SourceArn", wAbsent},
		{"aws:SourceIdentity", wAbsent},
		{"sts:SourceIdentity", wAbsent},
		{"sts:ExternalId", wAbsent},
		{"sts:TransitiveTagKeys", wAbsent},
		{"aws:TagKeys", wAbsent},
		{"aws:RequestTag/team", wAbsent},
		{"aws:CurrentTime", wPresent("2026-12-03T12:00:00Z")},
		{"aws:EpochTime", wPresent("1796299200")},
		// The resource is the customer's role: its account, organization and tags.
		{"aws:ResourceAccount", wPresent("111122223333")},
		{"aws:ResourceOrgID", wPresent("o-a1b2c3d4e5")},
		{"aws:ResourceTag/Team", wPresent("data")},
		{"aws:ResourceTag/team", wPresent("data")}, // condition key names ignore case
		{"aws:ResourceTag/env", wAbsent},
		{"aws:RequestedRegion", wUnknown},
	} {
		t.Run(tc.key, func(t *testing.T) { check(t, ctx, tc.key, tc.w) })
	}
	if got := AssumeRoleContext(p, Target{}, "team-42", "", now); got["sts:externalid"].State != iam.Present ||
		got["aws:sourceip"].State != iam.UnknownValue || got["aws:resourcetag/*"].State != iam.UnknownValue ||
		got["aws:resourceorgid"].State != iam.UnknownValue {
		t.Fatalf("configured external id, no ranges, unknown target: %+v", got)
	}
}

func TestS3ContextRoleSession(t *testing.T) {
	pr := Principal{Caller: roleSession(), OrgID: "o-a1b2c3d4e5", Tags: map[string]string{"team": "data"}, TagsKnown: true}
	ctx := S3Context(pr, S3Call{Action: "s3:PutObject", Bucket: "b", Prefix: "p/", Region: "eu-west-1"}, "203.0.113.0/24", now)
	for _, tc := range []struct {
		key string
		w   want
	}{
		{"aws:MultiFactorAuthPresent", wPresent("false")},
		{"aws:MultiFactorAuthAge", wAbsent},
		{"aws:TokenIssueTime", wPresent("?")},
		{"aws:PrincipalType", wPresent("AssumedRole")},
		{"aws:PrincipalArn", wPresent(customerRole)},
		{"aws:username", wAbsent},
		// "For IAM roles ... role-id:caller-specified-role-name": the role id
		// is the customer's, the session name the vendor's.
		{"aws:userid", wForeign("AROARZ5GK3EXAMPLE7Q2M:", true)},
		{"aws:PrincipalOrgID", wPresent("o-a1b2c3d4e5")},
		{"aws:PrincipalOrgPaths", wUnknown},
		{"aws:PrincipalTag/team", wPresent("data")},
		{"aws:PrincipalTag/Team", wPresent("data")},
		{"aws:PrincipalTag/env", wAbsent},
		{"aws:ResourceAccount", wPresent("111122223333")},
		{"s3:ResourceAccount", wPresent("111122223333")},
		{"aws:ResourceOrgID", wPresent("o-a1b2c3d4e5")},
		{"aws:RequestedRegion", wPresent("eu-west-1")},
		{"aws:SourceVpce", wForeign("vpce-", false)},
		{"s3:x-amz-server-side-encryption", wAbsent},
		{"s3:x-amz-acl", wAbsent},
	} {
		t.Run(tc.key, func(t *testing.T) { check(t, ctx, tc.key, tc.w) })
	}

	// Tags not listed anywhere, organization not configured: unknown.
	ctx = S3Context(Principal{Caller: roleSession()}, S3Call{Action: "s3:PutObject", Bucket: "b"}, "", now)
	check(t, ctx, "aws:PrincipalTag/team", wUnknown)
	check(t, ctx, "aws:PrincipalOrgID", wUnknown)
	check(t, ctx, "aws:ResourceOrgID", wUnknown)
	// A bucket in another account: its account is the bucket's, its organization unknown.
	ctx = S3Context(pr, S3Call{Action: "s3:PutObject", Bucket: "b", BucketAccount: "444455556666"}, "", now)
	check(t, ctx, "aws:ResourceAccount", wPresent("444455556666"))
	check(t, ctx, "aws:ResourceOrgID", wUnknown)
	// Without the role's unique id, aws:userid is unknown (the role id is
	// the customer's, and a policy may name it).
	c := roleSession()
	c.UniqueID = ""
	check(t, S3Context(Principal{Caller: c}, S3Call{Action: "s3:PutObject"}, "", now), "aws:userid", wUnknown)
}

func TestS3ContextUser(t *testing.T) {
	pr := Principal{Caller: user(), TagsKnown: true}
	ctx := S3Context(pr, S3Call{Action: "s3:ListBucket", Bucket: "b", Prefix: "p/"}, "", now)
	for _, tc := range []struct {
		key string
		w   want
	}{
		// A long-term access key: "The key is not present in AWS CLI, AWS
		// API, or AWS SDK requests that are made using long-term credentials."
		{"aws:MultiFactorAuthPresent", wAbsent},
		{"aws:MultiFactorAuthAge", wAbsent},
		{"aws:TokenIssueTime", wAbsent},
		{"aws:PrincipalType", wPresent("User")},
		{"aws:username", wPresent("supermetrics")},
		{"aws:userid", wPresent("AIDAJQABLZS4A3QDU576Q")},
		{"aws:PrincipalTag/team", wAbsent},
		{"s3:prefix", wPresent("p/")},
	} {
		t.Run(tc.key, func(t *testing.T) { check(t, ctx, tc.key, tc.w) })
	}
}

func TestKMSContext(t *testing.T) {
	for _, c := range []iam.Caller{roleSession(), user()} {
		ctx := KMSContext(Principal{Caller: c, OrgID: "o-a1b2c3d4e5"}, "eu-west-1", "arn:aws:s3:::b/p/x", "arn:aws:s3:::b", false, now)
		t.Run(string(c.Type), func(t *testing.T) {
			// S3 re-uses the caller's credentials: "AWS uses temporary
			// credentials", and the key "is present in the request and set
			// to a value of false" — for an IAM user's access key too.
			check(t, ctx, "aws:MultiFactorAuthPresent", wPresent("false"))
			check(t, ctx, "aws:ViaAWSService", wPresent("true"))
			check(t, ctx, "aws:CalledVia", wUnknown)
			check(t, ctx, "aws:SourceIp", wUnknown)
			check(t, ctx, "kms:ViaService", wPresent("s3.eu-west-1.amazonaws.com"))
			check(t, ctx, "kms:CallerAccount", wPresent("111122223333"))
			check(t, ctx, "aws:PrincipalOrgID", wPresent("o-a1b2c3d4e5"))
			check(t, ctx, "kms:EncryptionContext:aws:s3:arn", wPresent("arn:aws:s3:::b/p/x"))
			check(t, ctx, "aws:ResourceAccount", wUnknown)
		})
	}
}

// The README lists the same assumptions, one numbered item each, in its
// section "What smlint assumes about Supermetrics' requests" (SPEC §1: the
// user's contract).
func TestAssumptionsInREADME(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "## What smlint assumes about")
	if i < 0 {
		t.Fatal("README has no assumptions section")
	}
	items := 0
	for _, line := range strings.Split(text[i:], "\n")[1:] {
		if strings.HasPrefix(line, "## ") {
			break
		}
		if len(line) > 2 && line[0] >= '1' && line[0] <= '9' && strings.Contains(line[:4], ". ") {
			items++
		}
	}
	if items != len(Assumptions) {
		t.Fatalf("README lists %d assumptions, requestmodel.Assumptions has %d", items, len(Assumptions))
	}
}
