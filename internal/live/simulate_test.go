package live

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/report"
	"github.com/smlint/smlint/internal/requestmodel"
)

const probeARN = "arn:aws:s3:::acme-exports/reports/smlint-simulate-probe"

var (
	engOnce sync.Once
	eng     *engine.Engine
	engErr  error
)

func testEngine(t *testing.T) *engine.Engine {
	t.Helper()
	engOnce.Do(func() { eng, engErr = engine.New(context.Background(), engine.Options{}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// perResource answers like the current simulator: one EvaluationResult per
// action, the top-level decision the most restrictive, per-resource answers
// in ResourceSpecificResults. decide gives the answer for one pair.
func perResource(decide map[string]iamtypes.PolicyEvaluationDecisionType) func(*iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error) {
	return func(in *iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error) {
		out := &iam.SimulatePrincipalPolicyOutput{}
		for _, a := range in.ActionNames {
			ev := iamtypes.EvaluationResult{EvalActionName: aws.String(a), EvalResourceName: aws.String("*"),
				EvalDecision: iamtypes.PolicyEvaluationDecisionTypeAllowed}
			for _, r := range in.ResourceArns {
				d, ok := decide[a+" "+r]
				if !ok {
					d = iamtypes.PolicyEvaluationDecisionTypeImplicitDeny
				}
				if d != iamtypes.PolicyEvaluationDecisionTypeAllowed {
					ev.EvalDecision = d
				}
				rs := iamtypes.ResourceSpecificResult{EvalResourceName: aws.String(r), EvalResourceDecision: d}
				if d == iamtypes.PolicyEvaluationDecisionTypeAllowed {
					rs.MatchedStatements = []iamtypes.Statement{{SourcePolicyId: aws.String("put"), SourcePolicyType: iamtypes.PolicySourceTypeRole}}
				}
				ev.ResourceSpecificResults = append(ev.ResourceSpecificResults, rs)
			}
			out.EvaluationResults = append(out.EvaluationResults, ev)
		}
		return out, nil
	}
}

const (
	allowed  = iamtypes.PolicyEvaluationDecisionTypeAllowed
	implicit = iamtypes.PolicyEvaluationDecisionTypeImplicitDeny
)

// runAll reads the fake account, runs check like `smlint check` does, and
// cross-checks.
func runAll(t *testing.T, fi *fakeIAM, fs *fakeS3, fk *fakeKMS, st *fakeSTS, setup config.Setup) (*check.Report, *CrossCheck) {
	t.Helper()
	ctx := context.Background()
	c := Clients{IAM: fi, S3: fs, KMS: fk, STS: st}
	snap, err := Read(ctx, c, setup)
	if err != nil {
		t.Fatal(err)
	}
	prof := requestmodel.Default()
	rep, err := check.Run(ctx, snap.Input, check.Options{Setup: setup, Profile: prof, Engine: testEngine(t), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := Simulate(ctx, c, snap, rep.Setup, prof, rep)
	if err != nil {
		t.Fatal(err)
	}
	return rep, cc
}

func row(t *testing.T, cc *CrossCheck, action, vendorRange string) Comparison {
	t.Helper()
	for _, r := range cc.Comparisons {
		if r.Action == action && r.VendorRange == vendorRange {
			return r
		}
	}
	t.Fatalf("no row for %s from %q in %+v", action, vendorRange, cc.Comparisons)
	return Comparison{}
}

func TestSimulateResourceSpecificResults(t *testing.T) {
	fi, fs, fk, st := world()
	fi.contextKeys = []string{"aws:SourceIp", "aws:PrincipalTag/team"}
	fi.simulate = perResource(map[string]iamtypes.PolicyEvaluationDecisionType{
		"s3:PutObject " + probeARN:                           allowed,
		"s3:DeleteObject " + probeARN:                        allowed,
		"s3:ListBucket arn:aws:s3:::acme-exports":            allowed,
		"s3:GetBucketLocation arn:aws:s3:::acme-exports":     implicit, // the simulator disagrees
		"kms:GenerateDataKey " + keyARN:                      allowed,
		"kms:Decrypt " + keyARN:                              implicit,
		"s3:PutObject arn:aws:s3:::acme-exports":             allowed, // pairs smlint does not ask about
		"s3:ListBucket arn:aws:s3:::acme-exports/reports/xx": allowed,
	})
	setup := roleSetup()
	setup.KMSKeyARN = keyARN
	setup.Vendor.IPRanges = []string{"203.0.113.0/24", "198.51.100.7/32"}
	rep, cc := runAll(t, fi, fs, fk, st, setup)
	if rep.Upload != "allowed" {
		t.Fatalf("smlint upload = %s; requests %+v", rep.Upload, rep.Requests)
	}

	if len(fi.simCalls) != 2 {
		t.Fatalf("simulator calls = %d, want one per vendor range", len(fi.simCalls))
	}
	for i, ip := range []string{"203.0.113.0", "198.51.100.7"} {
		in := fi.simCalls[i]
		if aws.ToString(in.PolicySourceArn) != roleARN || in.ResourcePolicy != nil {
			t.Errorf("call %d: source %s, resource policy %v", i, aws.ToString(in.PolicySourceArn), in.ResourcePolicy)
		}
		got := map[string]string{}
		for _, e := range in.ContextEntries {
			got[aws.ToString(e.ContextKeyName)] = string(e.ContextKeyType) + "=" + strings.Join(e.ContextKeyValues, ",")
		}
		want := map[string]string{
			"aws:SourceIp":                                   "ip=" + ip,
			"aws:SecureTransport":                            "boolean=true",
			"s3:x-amz-server-side-encryption":                "string=aws:kms",
			"s3:x-amz-server-side-encryption-aws-kms-key-id": "string=" + keyARN,
			"kms:ViaService":                                 "string=s3.eu-west-1.amazonaws.com",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("call %d: context %s = %q, want %q", i, k, got[k], v)
			}
		}
		if strings.Join(in.ResourceArns, " ") != "arn:aws:s3:::acme-exports/reports/smlint-simulate-probe arn:aws:s3:::acme-exports "+keyARN {
			t.Errorf("resources = %v", in.ResourceArns)
		}
	}

	if len(cc.Comparisons) != 12 {
		t.Fatalf("rows = %d, want 6 actions × 2 ranges", len(cc.Comparisons))
	}
	put := row(t, cc, "s3:PutObject", "203.0.113.0/24")
	if put.Status != StatusAgree || !put.Agree || put.Resource != probeARN || put.SourceIP != "203.0.113.0" || len(put.MatchedStatements) != 1 {
		t.Errorf("put = %+v", put)
	}
	loc := row(t, cc, "s3:GetBucketLocation", "198.51.100.7/32")
	if loc.Status != StatusDisagree || loc.Smlint != "allowed" || loc.Simulator != "implicit_deny" || loc.Limit != "" {
		t.Errorf("get-bucket-location = %+v", loc)
	}
	dec := row(t, cc, "kms:Decrypt", "203.0.113.0/24")
	if dec.Status != StatusKnownLimit || dec.Limit != LimitKMSKeyPolicy {
		t.Errorf("kms:Decrypt = %+v", dec)
	}
	notes := strings.Join(cc.Notes, "\n")
	for _, want := range []string{"first address of each vendor range", "aws:PrincipalTag/team", "sts:AssumeRole by the vendor is not simulated",
		LimitResourcePolicyRole, LimitKMSKeyPolicy} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "aws:SourceIp,") {
		t.Errorf("aws:SourceIp is set, yet listed as unset:\n%s", notes)
	}
}

func TestSimulateBucketPolicyLimitForRoles(t *testing.T) {
	fi, fs, fk, st := world()
	fi.roleAttached = nil // List/GetBucketLocation now come from the bucket policy only
	fs.policy = `{"Version":"2012-10-17","Statement":[{"Sid":"VendorList","Effect":"Allow",
	 "Principal":{"AWS":"` + roleARN + `"},"Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::acme-exports"}]}`
	fi.simulate = perResource(map[string]iamtypes.PolicyEvaluationDecisionType{
		"s3:PutObject " + probeARN:    allowed,
		"s3:DeleteObject " + probeARN: allowed,
	})
	_, cc := runAll(t, fi, fs, fk, st, roleSetup())
	list := row(t, cc, "s3:ListBucket", "")
	if list.Smlint != "allowed" || list.Simulator != "implicit_deny" || list.Status != StatusKnownLimit || list.Limit != LimitResourcePolicyRole {
		t.Errorf("list-bucket = %+v", list)
	}
	if list.SourceIP != "" {
		t.Errorf("no ranges configured, yet source ip %q", list.SourceIP)
	}
	if in := fi.simCalls[0]; len(in.ContextEntries) != 1 {
		t.Errorf("context = %+v, want only aws:SecureTransport", in.ContextEntries)
	}
	if !strings.Contains(strings.Join(cc.Notes, "\n"), "No vendor IP ranges are configured") {
		t.Errorf("notes = %v", cc.Notes)
	}
}

func TestSimulateUserGetsBucketPolicy(t *testing.T) {
	fi, fs, fk, st := world()
	fi.users = map[string]*iamtypes.User{"sm": {Arn: aws.String("arn:aws:iam::111122223333:user/sm"), UserName: aws.String("sm")}}
	fi.userPolicies = map[string]map[string]string{"sm": {"put": rfc3986(inlineDoc)}}
	fi.simulate = perResource(nil)
	setup := config.Setup{Bucket: bucket, Prefix: "reports/", Auth: config.AuthAccessKey, User: "sm"}
	_, cc := runAll(t, fi, fs, fk, st, setup)
	in := fi.simCalls[0]
	if aws.ToString(in.ResourcePolicy) != bucketDoc || aws.ToString(in.ResourceOwner) != "arn:aws:iam::111122223333:root" {
		t.Errorf("resource policy %q owner %q", aws.ToString(in.ResourcePolicy), aws.ToString(in.ResourceOwner))
	}
	put := row(t, cc, "s3:PutObject", "")
	if put.Status != StatusDisagree || put.Smlint != "allowed" || put.Simulator != "implicit_deny" || put.Limit != "" {
		t.Errorf("put = %+v", put)
	}
}

func TestSimulateOlderAnswerShape(t *testing.T) {
	fi, fs, fk, st := world()
	// One EvaluationResult per action and resource, no ResourceSpecificResults.
	fi.simulate = func(in *iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error) {
		out := &iam.SimulatePrincipalPolicyOutput{}
		for _, a := range in.ActionNames {
			for _, r := range in.ResourceArns {
				d := implicit
				if r == probeARN || r == "arn:aws:s3:::acme-exports" {
					d = allowed
				}
				out.EvaluationResults = append(out.EvaluationResults, iamtypes.EvaluationResult{
					EvalActionName: aws.String(a), EvalResourceName: aws.String(r), EvalDecision: d})
			}
		}
		return out, nil
	}
	_, cc := runAll(t, fi, fs, fk, st, roleSetup())
	for _, r := range cc.Comparisons {
		if r.Status != StatusAgree {
			t.Errorf("%s: %+v", r.Action, r)
		}
	}
}

func TestSimulateAccessDenied(t *testing.T) {
	fi, fs, fk, st := world()
	fi.errs["SimulatePrincipalPolicy"] = apiErr("AccessDenied")
	fi.errs["GetContextKeysForPrincipalPolicy"] = apiErr("AccessDenied")
	_, cc := runAll(t, fi, fs, fk, st, roleSetup())
	if !strings.Contains(cc.Error, "iam:SimulatePrincipalPolicy: AccessDenied") {
		t.Errorf("error = %q", cc.Error)
	}
	for _, r := range cc.Comparisons {
		if r.Status != StatusNotCompared || r.Simulator != "" {
			t.Errorf("%+v", r)
		}
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "text", &report.Model{Report: &check.Report{}, CrossCheck: cc}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "not run: iam:SimulatePrincipalPolicy: AccessDenied") {
		t.Errorf("text:\n%s", buf.String())
	}
}

func TestFirstAddress(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.0/24": "203.0.113.0", "203.0.113.77/24": "203.0.113.0", "198.51.100.7": "198.51.100.7",
		"2001:db8::/32": "2001:db8::", "": "", "nonsense": "",
	} {
		if got := firstAddress(in); got != want {
			t.Errorf("firstAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
