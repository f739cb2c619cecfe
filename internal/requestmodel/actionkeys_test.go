package requestmodel

import (
	"testing"
	"time"

	"github.com/smlint/smlint/internal/awsdata"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

var (
	testNow    = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	testCaller = Principal{Caller: iam.Caller{Type: iam.RoleSession, ARN: "arn:aws:iam::111122223333:role/supermetrics-upload",
		SessionARN: policy.UnknownValue("session name"), Account: "111122223333"}}
	testKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

func s3ctx(action, kmsKey string) iam.Context {
	return S3Context(testCaller, S3Call{Action: action, Bucket: "acme-data", Prefix: "supermetrics/",
		KMSKeyARN: kmsKey, Region: "eu-west-1"}, "", testNow)
}

func state(ctx iam.Context, key string) string {
	v, found := ctx.Lookup(key)
	switch {
	case !found || v.State == iam.UnknownValue:
		return "unknown"
	case v.State == iam.Absent:
		return "absent"
	case v.State == iam.Foreign:
		return "foreign"
	}
	return "present"
}

// Keys per the actions table of
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
// (and list_awskeymanagementservice.html, list_awssecuritytokenservice.html).
func TestAbsentUnlessCarried(t *testing.T) {
	kms := AbsentUnlessCarried(KMSContext(testCaller, "eu-west-1", "arn:aws:s3:::acme-data/supermetrics/x",
		"arn:aws:s3:::acme-data", false, testNow), "kms:GenerateDataKey")
	assume := AssumeRoleContext(Default(), Target{Account: "111122223333"}, "", "", testNow)
	for _, tc := range []struct {
		name string
		ctx  iam.Context
		key  string
		want string
	}{
		{"PutObject never carries s3:prefix", s3ctx("s3:PutObject", ""), "s3:prefix", "absent"},
		{"PutObject never carries s3:delimiter", s3ctx("s3:PutObject", testKey), "S3:Delimiter", "absent"},
		{"PutObject never carries s3:ExistingObjectTag", s3ctx("s3:PutObject", ""), "s3:ExistingObjectTag/team", "absent"},
		{"PutObject carries the KMS key id header when a key is configured", s3ctx("s3:PutObject", testKey), "s3:x-amz-server-side-encryption-aws-kms-key-id", "present"},
		{"PutObject carries s3:if-none-match, value not modelled", s3ctx("s3:PutObject", ""), "s3:if-none-match", "unknown"},
		{"PutObject carries s3:DataAccessPointArn through its access-point resource type", s3ctx("s3:PutObject", ""), "s3:DataAccessPointArn", "unknown"},
		{"an s3 key no action has is absent", s3ctx("s3:PutObject", ""), "s3:NoSuchKey", "absent"},
		{"kms keys are absent on an S3 call", s3ctx("s3:PutObject", testKey), "kms:ViaService", "absent"},
		{"sts keys are absent on an S3 call", s3ctx("s3:PutObject", ""), "sts:ExternalId", "absent"},
		{"global keys are left alone", s3ctx("s3:PutObject", ""), "aws:SourceIp", "unknown"},
		{"other services' keys are left alone", s3ctx("s3:PutObject", ""), "ec2:Region", "unknown"},
		{"ListBucket carries s3:prefix", s3ctx("s3:ListBucket", testKey), "s3:prefix", "present"},
		{"ListBucket never carries the KMS key id header", s3ctx("s3:ListBucket", testKey), "s3:x-amz-server-side-encryption-aws-kms-key-id", "absent"},
		{"ListBucket never carries s3:x-amz-acl", s3ctx("s3:ListBucket", ""), "s3:x-amz-acl", "absent"},
		{"GetBucketLocation never carries s3:max-keys", s3ctx("s3:GetBucketLocation", ""), "s3:max-keys", "absent"},
		{"DeleteObject never carries s3:x-amz-server-side-encryption", s3ctx("s3:DeleteObject", testKey), "s3:x-amz-server-side-encryption", "absent"},
		{"GenerateDataKey carries kms:EncryptionContext", kms, "kms:EncryptionContext:aws:s3:arn", "present"},
		{"GenerateDataKey carries kms:KeySpec via the key resource type", kms, "kms:KeySpec", "unknown"},
		{"GenerateDataKey never carries kms:GranteePrincipal", kms, "kms:GranteePrincipal", "absent"},
		{"GenerateDataKey never carries s3:prefix", kms, "s3:prefix", "absent"},
		{"AssumeRole carries sts:RoleSessionName, the vendor's value", assume, "sts:RoleSessionName", "foreign"},
		{"AssumeRole carries iam:ResourceTag", assume, "iam:ResourceTag/team", "unknown"},
		{"AssumeRole never carries sts:AWSServiceName", assume, "sts:AWSServiceName", "absent"},
		{"AssumeRole never carries s3:x-amz-acl", assume, "s3:x-amz-acl", "absent"},
	} {
		if got := state(tc.ctx, tc.key); got != tc.want {
			t.Errorf("%s: %s is %s, want %s", tc.name, tc.key, got, tc.want)
		}
	}
	// An action the table does not hold is left as it was.
	ctx := AbsentUnlessCarried(iam.Context{}, "s3:NoSuchAction")
	if len(ctx) != 0 {
		t.Errorf("unknown action changed the context: %v", ctx)
	}
}

// The model never states a service key present on an action that the
// reference says cannot carry it.
func TestModelPresentKeysAreCarried(t *testing.T) {
	p := Default()
	check := func(action string, ctx iam.Context) {
		for k, v := range ctx {
			if v.State != iam.Present || !awsdata.Covers(awsdata.Prefix(k)) {
				continue
			}
			if carried, known := awsdata.Carries(action, k); known && !carried {
				t.Errorf("%s: the model sets %s present, but the action never carries it", action, k)
			}
		}
	}
	for _, c := range p.Calls {
		check(c.Action, s3ctx(c.Action, testKey))
	}
	for _, c := range p.KMSCalls {
		check(c.Action, AbsentUnlessCarried(KMSContext(testCaller, "eu-west-1", "arn:aws:s3:::b/k", "arn:aws:s3:::b", false, testNow), c.Action))
	}
	check(p.AssumeAction, AssumeRoleContext(p, Target{Account: "111122223333"}, "ext", "", testNow))
}

// A condition on a key the action never carries is decided by IAM's
// missing-key rule (reference_policies_elements_condition_operators.html).
func TestConditionOnKeyNeverCarriedIsDecided(t *testing.T) {
	ctx := s3ctx("s3:PutObject", "")
	for _, tc := range []struct {
		op   string
		vals []string
		want iam.Tri
	}{
		{"StringNotEquals", []string{"supermetrics/"}, iam.True},
		{"StringNotEqualsIfExists", []string{"supermetrics/"}, iam.True},
		{"StringEquals", []string{"supermetrics/"}, iam.False},
		{"StringLike", []string{"*"}, iam.False},
		{"StringEqualsIfExists", []string{"other/"}, iam.True},
		{"Null", []string{"true"}, iam.True},
		{"Null", []string{"false"}, iam.False},
	} {
		got, why := iam.EvalCondition(policy.Condition{Operator: tc.op, Key: "s3:prefix", Values: tc.vals}, ctx, "2012-10-17", policy.Deny)
		if got != tc.want {
			t.Errorf("%s s3:prefix on PutObject = %v (%s), want %v", tc.op, got, why, tc.want)
		}
	}
}
