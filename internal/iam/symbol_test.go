package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// A template's key ARN is known only after deployment, but the bucket's
// default key and the policy's Resource that both name !GetAtt Key.Arn are
// the same key (AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html).
func TestSymbolicResources(t *testing.T) {
	key := policy.SymbolicValue("!GetAtt Key.Arn is known after deployment", policy.NewARNSymbol+"t.yaml#Key.Arn")
	other := policy.SymbolicValue("!GetAtt Other.Arn is known after deployment", policy.NewARNSymbol+"t.yaml#Other.Arn")
	param := policy.SymbolicValue("!Ref KeyArn has no value", "cfn-param:KeyArn@t.yaml")
	plainUnknown := policy.UnknownValue("!GetAtt Key.Arn is known after deployment")
	for _, c := range []struct {
		pattern, arn string
		want         Tri
	}{
		{key, key, True},
		{other, key, False},
		{param, key, Maybe},
		{plainUnknown, key, Maybe},
		{"arn:aws:kms:*:*:key/*", key, Maybe},
		{key, "arn:aws:kms:eu-west-1:111122223333:key/k", Maybe},
		{"*", key, True},
	} {
		if got := MatchResource(c.pattern, c.arn); got != c.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
		if got := ArnLike(c.pattern, c.arn); got != c.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}

	allow := func(res ...string) *policy.Document {
		return &policy.Document{Kind: policy.Identity, Version: policy.Version2012, Statements: []*policy.Statement{
			{Effect: policy.Allow, Action: []string{"kms:GenerateDataKey"}, Resource: res}}}
	}
	req := Request{Action: "kms:GenerateDataKey", Resource: key, Caller: Caller{Type: RoleSession, ARN: "arn:aws:iam::111122223333:role/r", Account: "111122223333"}}
	for _, c := range []struct {
		name string
		doc  *policy.Document
		want Decision
	}{
		{"same key", allow(key), Allowed},
		{"another key of the template", allow(other), ImplicitDeny},
		{"another key or the same", allow(other, key), Allowed},
		{"a parameter that may name it", allow(param), Unknown},
	} {
		res := Evaluate(req, PolicySet{Identity: []*policy.Document{c.doc}})
		if res.Decision != c.want {
			t.Errorf("%s: %v (%v), want %v", c.name, res.Decision, res.Reasons, c.want)
		}
	}

	// The same symbol in a condition: s3:x-amz-server-side-encryption-aws-kms-key-id
	// StringEquals !GetAtt Key.Arn, the request sending that key.
	ctx := Context{"s3:x-amz-server-side-encryption-aws-kms-key-id": {State: Present, Values: []string{key}}}
	for _, c := range []struct {
		op, val string
		want    Tri
	}{
		{"StringEquals", key, True},
		{"StringNotEquals", key, False},
		{"ArnEquals", other, False},
		{"StringNotEquals", other, True},
		{"StringEquals", param, Maybe},
		{"NumericEquals", key, Maybe},
	} {
		got, _ := EvalCondition(policy.Condition{Operator: c.op, Key: "s3:x-amz-server-side-encryption-aws-kms-key-id", Values: []string{c.val}}, ctx, policy.Version2012, policy.Deny)
		if got != c.want {
			t.Errorf("%s: %v, want %v", c.op, got, c.want)
		}
	}
}
