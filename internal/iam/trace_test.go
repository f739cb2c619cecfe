package iam

import (
	"reflect"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

func userCaller() Caller {
	return Caller{Type: User, ARN: "arn:aws:iam::111122223333:user/uploader", Account: custAcct, UniqueID: "AIDAEXAMPLEEXAMPLE1"}
}

// condResult is a condition's expected answer in a trace.
type condResult struct {
	result Tri
	code   ReasonCode
}

// TestTraceStatement: the trace of one statement, element by element, for
// each match kind and each condition answer. Each case names the page whose
// rule it follows.
func TestTraceStatement(t *testing.T) {
	ipAllow := cond("IpAddress", "aws:SourceIp", "198.51.100.0/24")
	half := cond("IpAddress", "aws:SourceIp", "203.0.113.0/25")
	cases := []struct {
		name      string
		page      string
		kind      policy.Kind
		stmt      st
		req       Request
		action    Tri
		resource  Tri
		principal PrincipalMatch
		pResult   Tri
		conds     []condResult
		stopped   ReasonKind
		result    Tri
	}{
		{name: "action and resource match", page: "reference_policies_elements_action.html",
			kind: policy.Identity, stmt: allowPut, req: putReq(),
			action: True, resource: True, result: True},
		{name: "action does not match", page: "reference_policies_elements_action.html",
			kind: policy.Identity, stmt: allowGetOnly, req: putReq(),
			action: False, stopped: KindAction, result: False},
		{name: "NotAction listing the action", page: "reference_policies_elements_notaction.html",
			kind: policy.Identity, stmt: st{effect: policy.Allow, notAction: list("s3:Put*"), resource: list("*")}, req: putReq(),
			action: False, stopped: KindAction, result: False},
		{name: "NotAction not listing the action", page: "reference_policies_elements_notaction.html",
			kind: policy.Identity, stmt: st{effect: policy.Allow, notAction: list("iam:*"), resource: list("*")}, req: putReq(),
			action: True, resource: True, result: True},
		{name: "NotResource listing the resource", page: "reference_policies_elements_notresource.html",
			kind: policy.Identity, stmt: st{effect: policy.Allow, action: list("s3:*"), notResource: list(bucketARN + "/*")}, req: putReq(),
			action: True, resource: False, stopped: KindResource, result: False},
		{name: "NotResource not listing the resource", page: "reference_policies_elements_notresource.html",
			kind: policy.Identity, stmt: st{effect: policy.Allow, action: list("s3:*"), notResource: list("arn:aws:s3:::other/*")}, req: putReq(),
			action: True, resource: True, result: True},
		{name: "trust policy names no Resource", page: "reference_policies_elements_resource.html",
			kind: policy.Trust, stmt: st{effect: policy.Allow, principal: aws(vendorRole), action: list("sts:AssumeRole")}, req: assumeReq(),
			action: True, resource: True, principal: PrincipalDirect, pResult: True, result: True},
		{name: "principal names someone else", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, aws("arn:aws:iam::444455556666:role/other")), req: putReq(),
			action: True, resource: True, principal: PrincipalNone, pResult: False, stopped: KindPrincipal, result: False},
		{name: "principal * is direct", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, &policy.Principal{Wildcard: true}), req: putReq(),
			action: True, resource: True, principal: PrincipalDirect, pResult: True, result: True},
		{name: "principal names the role", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, aws(custRole)), req: putReq(),
			action: True, resource: True, principal: PrincipalDirect, pResult: True, result: True},
		{name: "principal names the account", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, aws("arn:aws:iam::111122223333:root")), req: putReq(),
			action: True, resource: True, principal: PrincipalAccount, pResult: True, result: True},
		{name: "principal names a session of the role", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, aws("arn:aws:sts::111122223333:assumed-role/supermetrics-upload/s1")), req: putReq(),
			action: True, resource: True, principal: PrincipalSession, pResult: Maybe, result: Maybe},
		{name: "principal names the user", page: "reference_policies_elements_principal.html",
			kind: policy.Bucket, stmt: withPrincipal(allowPut, aws("arn:aws:iam::111122223333:user/uploader")),
			req:    Request{Action: "s3:PutObject", Resource: objectARN, Caller: userCaller(), Context: uploadCtx()},
			action: True, resource: True, principal: PrincipalUser, pResult: True, result: True},
		{name: "condition true", page: "reference_policies_elements_condition_operators.html",
			kind: policy.Identity, stmt: withCond(allowPut, cond("Bool", "aws:SecureTransport", "true")), req: putReq(),
			action: True, resource: True, conds: []condResult{{True, CodeCompared}}, result: True},
		{name: "every condition is traced after a false one", page: "reference_policies_elements_condition.html",
			kind: policy.Identity, stmt: withCond(allowPut, cond("StringEquals", "sts:ExternalId", "x"), ipAllow), req: putReq(),
			action: True, resource: True, conds: []condResult{{False, CodeKeyAbsent}, {False, CodeCompared}}, stopped: KindCondition, result: False},
		{name: "IfExists on an absent key", page: "reference_policies_elements_condition_operators.html#Conditions_IfExists",
			kind: policy.Identity, stmt: withCond(allowPut, cond("StringEqualsIfExists", "sts:ExternalId", "x")), req: putReq(),
			action: True, resource: True, conds: []condResult{{True, CodeKeyAbsent}}, result: True},
		{name: "a key without a known value", page: "reference_policies_condition-keys.html#condition-keys-principalorgid",
			kind: policy.Identity, stmt: withCond(allowPut, cond("StringEquals", "aws:PrincipalOrgID", "o-1")), req: putReq(),
			action: True, resource: True, conds: []condResult{{Maybe, CodeKeyValueUnknown}}, result: Maybe},
		{name: "a range partly inside an Allow's CIDRs", page: "reference_policies_condition-keys.html#condition-keys-sourceip",
			kind: policy.Identity, stmt: withCond(allowPut, half), req: putReq(),
			action: True, resource: True, conds: []condResult{{False, CodeIPRangePartial}}, stopped: KindCondition, result: False},
		{name: "a range partly inside a Deny's CIDRs", page: "reference_policies_condition-keys.html#condition-keys-sourceip",
			kind: policy.Identity, stmt: withCond(denyPut, half), req: putReq(),
			action: True, resource: True, conds: []condResult{{True, CodeIPRangePartial}}, result: True},
		{name: "an operator IAM does not define", page: "reference_policies_elements_condition_operators.html",
			kind: policy.Identity, stmt: withCond(allowPut, cond("StringEqualsish", "aws:SourceIp", "x")), req: putReq(),
			action: True, resource: True, conds: []condResult{{Maybe, CodeOperatorUndefined}}, result: Maybe},
		{name: "Null on a present key", page: "reference_policies_elements_condition_operators.html#Conditions_Null",
			kind: policy.Identity, stmt: withCond(allowPut, cond("Null", "aws:SourceIp", "true")), req: putReq(),
			action: True, resource: True, conds: []condResult{{False, CodeNullCheck}}, stopped: KindCondition, result: False},
		{name: "a value of the vendor's side", page: "reference_policies_condition-keys.html#condition-keys-principalorgid",
			kind: policy.Identity, stmt: withCond(allowPut, cond("StringLike", "aws:PrincipalOrgID", "o-a1*")),
			req:    withContext(putReq(), "aws:principalorgid", ForeignValue("o-", false)),
			action: True, resource: True, conds: []condResult{{Maybe, CodeForeignValue}}, result: Maybe},
		{name: "Effect neither Allow nor Deny", page: "reference_policies_elements_effect.html",
			kind: policy.Identity, stmt: st{effect: "Permit", action: list("s3:PutObject"), resource: list("*")}, req: putReq(),
			stopped: KindEffect, result: False},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := doc(c.kind, c.stmt)
			set := PolicySet{Identity: []*policy.Document{d}}
			if c.kind != policy.Identity {
				set = PolicySet{Resource: []*policy.Document{d}, Mode: ResourceMustAllow}
			}
			_, trace := EvaluateTraced(c.req, set)
			if len(trace) != 1 {
				t.Fatalf("%s: %d statements traced, want 1", c.page, len(trace))
			}
			got := trace[0]
			if got.Document != d || got.Statement != d.Statements[0] {
				t.Errorf("%s: trace names another statement", c.page)
			}
			if got.Action != c.action || got.Resource != c.resource || got.Principal != c.principal ||
				got.PrincipalResult != c.pResult || got.StoppedAt != c.stopped || got.Result != c.result {
				t.Errorf("%s: action %v resource %v principal %q/%v stopped %q result %v;\nwant action %v resource %v principal %q/%v stopped %q result %v",
					c.page, got.Action, got.Resource, got.Principal, got.PrincipalResult, got.StoppedAt, got.Result,
					c.action, c.resource, c.principal, c.pResult, c.stopped, c.result)
			}
			var conds []condResult
			for i, ct := range got.Conditions {
				if ct.Index != i {
					t.Errorf("condition %d has index %d", i, ct.Index)
				}
				if ct.Result == Maybe && ct.Reason.Text == "" {
					t.Errorf("condition %d is undecided without a text", i)
				}
				if ct.Reason.Kind != KindCondition {
					t.Errorf("condition %d: reason kind %q", i, ct.Reason.Kind)
				}
				conds = append(conds, condResult{ct.Result, ct.Reason.Code})
			}
			if !reflect.DeepEqual(conds, c.conds) {
				t.Errorf("%s: conditions %v, want %v", c.page, conds, c.conds)
			}
			if got.Names() != (c.stopped != KindEffect && c.stopped != KindAction && c.stopped != KindResource && c.stopped != KindPrincipal) {
				t.Errorf("Names() = %t with StoppedAt %q", got.Names(), got.StoppedAt)
			}
		})
	}
}

func withCond(s st, cs ...policy.Condition) st { s.cond = cs; return s }

func withContext(r Request, key string, v ContextValue) Request {
	ctx := Context{}
	for k, x := range r.Context {
		ctx[k] = x
	}
	ctx[key] = v
	r.Context = ctx
	return r
}

// TestTraceAgreesWithEvaluate: the trace is a record, not a second
// evaluation: the decision is the same with and without it, and the trace
// covers every statement of every document considered.
func TestTraceAgreesWithEvaluate(t *testing.T) {
	id := doc(policy.Identity, allowGetOnly, allowPut, withCond(denyPut, cond("StringEquals", "aws:PrincipalOrgID", "o-1")))
	bucket := doc(policy.Bucket, withPrincipal(allowPut, aws(custRole)), denyPutBucket)
	dup := doc(policy.Identity, allowPut)
	dup.Alternate = doc(policy.Identity, allowGetOnly)
	for _, set := range []PolicySet{
		{Identity: []*policy.Document{id}},
		{Identity: []*policy.Document{id}, Resource: []*policy.Document{bucket}},
		{Identity: []*policy.Document{dup}},
	} {
		plain := Evaluate(putReq(), set)
		res, trace := EvaluateTraced(putReq(), set)
		if !reflect.DeepEqual(plain, res) {
			t.Errorf("traced decision %v differs from %v", res, plain)
		}
		n := 0
		for _, d := range append(append([]*policy.Document(nil), set.Identity...), set.Resource...) {
			n += len(d.Statements)
		}
		if len(trace) != n {
			t.Errorf("%d statements traced, want %d (the first reading of each document)", len(trace), n)
		}
	}
}

// TestReasonCodes: the codes an answer carries beside its text, so that
// rules and Go never match English prose.
func TestReasonCodes(t *testing.T) {
	unresolved := &policy.Document{Kind: policy.Identity, File: "main.tf", Line: 4, Unresolved: "known after apply"}
	partial := doc(policy.Identity, st{sid: "CSV", effect: policy.Allow, action: list("s3:PutObject"), resource: list(bucketARN + "/supermetrics/*.csv")})
	dup := doc(policy.Identity, allowPut)
	dup.Alternate = doc(policy.Identity, allowGetOnly)
	scpNoS3 := doc(policy.SCP, st{effect: policy.Allow, action: list("ec2:*"), resource: list("*")})
	anyKey := Request{Action: "s3:PutObject", Resource: bucketARN + "/supermetrics/" + AnyKey, Caller: sessionCaller(), Context: uploadCtx()}
	cases := []struct {
		name string
		page string
		req  Request
		set  PolicySet
		want Decision
		code ReasonCode
		kind ReasonKind
	}{
		{"a document known only after apply", "https://developer.hashicorp.com/terraform/internals/json-format",
			putReq(), PolicySet{Identity: []*policy.Document{unresolved}}, Unknown, CodeDocumentUnknown, KindDocument},
		{"a grant on some of the vendor's file names", "reference_policies_elements_resource.html",
			anyKey, PolicySet{Identity: []*policy.Document{partial}}, Unknown, CodePartialKeySpace, KindResource},
		{"duplicate keys read two ways", "reference_policies_grammar.html",
			putReq(), PolicySet{Identity: []*policy.Document{dup}}, Unknown, CodeReadingsDiffer, KindDocument},
		{"no SCP allows", "orgs_manage_policies_scps_evaluation.html",
			putReq(), PolicySet{Identity: []*policy.Document{doc(policy.Identity, allowPut)}, SCP: []*policy.Document{scpNoS3}}, ExplicitDeny, CodeSCPNoAllow, KindSCP},
		{"a condition key without a known value", "reference_policies_elements_condition_operators.html",
			putReq(), PolicySet{Identity: []*policy.Document{doc(policy.Identity, withCond(allowPut, cond("StringEquals", "aws:PrincipalOrgID", "o-1")))}}, Unknown, CodeKeyValueUnknown, KindCondition},
		{"a session name the vendor picks", "reference_policies_elements_principal.html",
			putReq(), PolicySet{Resource: []*policy.Document{doc(policy.Bucket, withPrincipal(allowPut, aws("arn:aws:sts::111122223333:assumed-role/supermetrics-upload/s1")))}}, Unknown, CodeSessionNameUnknown, KindPrincipal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Evaluate(c.req, c.set)
			if res.Decision != c.want {
				t.Fatalf("%s: decision %s, want %s (%v)", c.page, res.Decision, c.want, res.Reasons)
			}
			if !HasCode(res.Reasons, c.code) {
				t.Fatalf("%s: reasons %+v lack code %q", c.page, res.Reasons, c.code)
			}
			for _, r := range res.Reasons {
				if r.Code == c.code && (r.Kind != c.kind || r.Text == "") {
					t.Errorf("%s: reason %+v, want kind %q and a text", c.page, r, c.kind)
				}
			}
		})
	}
}
