package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// Cases found by the differential test against @cloud-copilot/iam-simulate
// (difftest/DISAGREEMENTS.md), decided by the AWS documentation cited.
func TestEvaluateBoundaryInteractions(t *testing.T) {
	session := "arn:aws:sts::" + custAcct + ":assumed-role/supermetrics-upload/vendor"
	caller := sessionCaller()
	caller.SessionARN = session
	put := putReq()
	put.Caller = caller
	boundaryGetOnly := doc(policy.Boundary, st{sid: "GetOnly", effect: policy.Allow, action: list("s3:Get*"), resource: list("*")})
	boundaryAll := doc(policy.Boundary, allowS3All)
	identityAll := doc(policy.Identity, allowS3All)

	// reference_policies_elements_notprincipal.html: "a resource-based policy
	// statement with Deny and NotPrincipal will always deny any IAM principal
	// that has a permissions boundary policy attached".
	t.Run("NotPrincipal Deny ignores its exceptions when a boundary is attached", func(t *testing.T) {
		bucket := doc(policy.Bucket, st{sid: "OnlyUs", effect: policy.Deny, action: list("s3:*"), resource: list("*"),
			notPrincipal: aws(custAcct, custRole, session)})
		got := Evaluate(put, PolicySet{Identity: []*policy.Document{identityAll}, Resource: []*policy.Document{bucket},
			Boundary: []*policy.Document{boundaryAll}})
		if got.Decision != ExplicitDeny {
			t.Fatalf("got %s, want explicit_deny", got.Decision)
		}
		without := Evaluate(put, PolicySet{Identity: []*policy.Document{identityAll}, Resource: []*policy.Document{bucket}})
		if without.Decision != Allowed {
			t.Fatalf("without a boundary got %s, want allowed (every level is listed)", without.Decision)
		}
	})

	// reference_policies_evaluation-logic.html: a same-account resource-based
	// policy naming the role session ARN (or a user ARN) is not limited by an
	// implicit deny in a permissions boundary; naming the role ARN is.
	t.Run("Principal listing role and session: the session grant is not limited by the boundary", func(t *testing.T) {
		bucket := doc(policy.Bucket, st{sid: "Both", effect: policy.Allow, action: list("s3:PutObject"), resource: list(objectARN),
			principal: aws(custRole, session)})
		got := Evaluate(put, PolicySet{Resource: []*policy.Document{bucket}, Boundary: []*policy.Document{boundaryGetOnly}})
		if got.Decision != Allowed {
			t.Fatalf("got %s, want allowed", got.Decision)
		}
		roleOnly := doc(policy.Bucket, st{sid: "Role", effect: policy.Allow, action: list("s3:PutObject"), resource: list(objectARN),
			principal: aws(custRole)})
		got = Evaluate(put, PolicySet{Resource: []*policy.Document{roleOnly}, Boundary: []*policy.Document{boundaryGetOnly}})
		if got.Decision != ImplicitDeny {
			t.Fatalf("role ARN alone: got %s, want implicit_deny", got.Decision)
		}
	})

	t.Run("key policy naming the session is not limited by the boundary", func(t *testing.T) {
		key := doc(policy.Key, st{sid: "Session", effect: policy.Allow, action: list("kms:GenerateDataKey"), resource: list("*"),
			principal: aws(session)})
		req := kmsReq()
		req.Caller = caller
		got := Evaluate(req, PolicySet{Resource: []*policy.Document{key}, Boundary: []*policy.Document{boundaryGetOnly}, Mode: ResourceMustAllow})
		if got.Decision != Allowed {
			t.Fatalf("got %s, want allowed", got.Decision)
		}
	})
}
