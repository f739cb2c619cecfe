package requestmodel

import (
	"strings"

	"github.com/smlint/smlint/internal/awsdata"
	"github.com/smlint/smlint/internal/iam"
)

// AbsentUnlessCarried completes ctx for a request of action: every condition
// key of a service the Service Authorization Reference table covers
// (internal/awsdata: iam:, kms:, s3:, sts:) that the action never carries is
// Absent, instead of Unknown. The reference lists, per action, the condition
// keys it supports (its own and its resource types'); a key outside that
// list is not in the request context
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html:
// s3:prefix is a key of ListBucket, never of PutObject;
// s3:x-amz-server-side-encryption-aws-kms-key-id only of object writes).
// A condition on such a key is then decided by IAM's missing-key rule
// (reference_policies_elements_condition_operators.html: most operators are
// false, negated ones true, ...IfExists true, Null:true true).
//
// What the model already states is kept, except an Unknown entry for a key
// the action never carries, which becomes Absent. A key the action carries and
// the model does not set is made explicitly Unknown, so that the service-wide
// Absent fallback ("s3:*") never reaches it. Global aws: keys and keys of
// other services are left alone. An action the table does not hold leaves
// ctx unchanged. ctx is modified and returned.
func AbsentUnlessCarried(ctx iam.Context, action string) iam.Context {
	a, known := awsdata.Lookup(action)
	if !known || ctx == nil {
		return ctx
	}
	closed := map[string]bool{}
	for _, svc := range awsdata.Services() {
		closed[svc] = true
	}
	for _, k := range a.ConditionKeys {
		if _, ok := awsdata.ContextPattern(k); awsdata.IsTemplate(k) && !ok {
			// A placeholder inside the name has no context wildcard: the
			// service cannot be closed without hiding the key.
			delete(closed, awsdata.Prefix(k))
		}
	}
	// Keys the model left Unknown that the action never carries.
	for k, v := range ctx {
		if v.State != iam.UnknownValue || !closed[awsdata.Prefix(k)] {
			continue
		}
		if carried, _ := awsdata.Carries(a.String(), k); !carried {
			ctx[k] = absent
		}
	}
	// Keys the action carries and the model did not set stay Unknown.
	for _, k := range a.ConditionKeys {
		if !closed[awsdata.Prefix(k)] {
			continue
		}
		ck := strings.ToLower(k)
		if p, ok := awsdata.ContextPattern(k); ok {
			ck = p
		}
		if _, set := ctx[ck]; !set {
			ctx[ck] = iam.ContextValue{State: iam.UnknownValue}
		}
	}
	// Every other key of a covered service is absent (iam.Context falls back
	// to the "prefix:*" entry for a key it does not hold).
	for svc := range closed {
		if _, set := ctx[svc+":*"]; !set {
			ctx[svc+":*"] = absent
		}
	}
	return ctx
}

// assumeAction is the profile's role-assumption action (sts:AssumeRole).
func assumeAction(p *Profile) string {
	if p != nil && p.AssumeAction != "" {
		return p.AssumeAction
	}
	return "sts:AssumeRole"
}
