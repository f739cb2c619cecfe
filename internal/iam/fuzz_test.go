package iam

import (
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

func FuzzMatchResource(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/k"},
		{"arn:aws:s3:*", "arn:aws:s3:::b"},
		{"arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a:c/x"},
		{"*", ""},
		{"arn:*:*:*:*:*", "arn:aws:iam::1:role/x"},
		{"??::*?*:", ":::::::"},
		{"arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/ü"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, arn string) {
		got := MatchResource(pattern, arn)
		if got != True && got != False && got != Maybe {
			t.Fatalf("invalid Tri %d", got)
		}
		if MatchResource("*", arn) != True {
			t.Fatalf("\"*\" must match %q", arn)
		}
		// A pattern without wildcards or unresolved values matches itself.
		// AnyKey is the reserved "every object under a prefix" marker, which
		// no policy can contain, so a text ending in it is not a concrete ARN.
		if !strings.ContainsAny(pattern, "*?") && !isUnknown(pattern) && !strings.HasSuffix(pattern, AnyKey) {
			if MatchResource(pattern, pattern) != True {
				t.Fatalf("%q must match itself", pattern)
			}
		}
		if isUnknown(pattern) && pattern != "*" && got != Maybe {
			t.Fatalf("unresolved pattern gave %v", got)
		}
		_ = ArnLike(pattern, arn)
		_ = MatchAction(pattern, arn)
		req := Request{Action: "s3:PutObject", Resource: arn, Context: Context{"aws:username": present(arn)}}
		_, _ = matchResources([]string{pattern}, req, policy.Version2012, policy.Deny, true)
	})
}

func FuzzEvalCondition(f *testing.F) {
	for _, s := range []struct {
		op, key, val, ctxVal string
		state                int8
	}{
		{"StringEquals", "aws:PrincipalAccount", "1", "1", 0},
		{"ForAllValues:StringLikeIfExists", "aws:TagKeys", "a*", "abc", 0},
		{"NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "10.1.0.0/15", 0},
		{"IpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8::/31", 0},
		{"DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "1600000000", 0},
		{"NumericGreaterThan", "s3:max-keys", "1e3", "1001", 0},
		{"Null", "x", "true", "", 1},
		{"ArnNotLike", "aws:SourceArn", "arn:aws:s3:::*", "", 2},
		{"StringEquals", "k", "${aws:username, 'd''x'}", "d'x", 0},
		{"BinaryEquals", "k", "aGk=", "aGk=", 0},
	} {
		f.Add(s.op, s.key, s.val, s.ctxVal, s.state, true)
	}
	f.Fuzz(func(t *testing.T, op, key, val, ctxVal string, state int8, deny bool) {
		cv := ContextValue{State: ValueState(((state % 3) + 3) % 3), Values: []string{ctxVal}}
		ctx := Context{strings.ToLower(key): cv, "aws:username": present(ctxVal)}
		effect := policy.Allow
		if deny {
			effect = policy.Deny
		}
		c := policy.Condition{Operator: op, Key: key, Values: []string{val}}
		got, why := EvalCondition(c, ctx, policy.Version2012, effect)
		if got != True && got != False && got != Maybe {
			t.Fatalf("invalid Tri %d", got)
		}
		if got == Maybe && why.Text == "" {
			t.Fatalf("Maybe without a reason for %q %q", op, key)
		}
		// A key with an unknown value can never give a definite answer
		// except through Null... which is Maybe too.
		if cv.State == UnknownValue && got != Maybe {
			t.Fatalf("unknown key value gave %v", got)
		}
		// Missing key: plain negated operators are true, plain positive false.
		if cv.State == Absent {
			if p, ok := operatorOf(policy.Condition{Operator: op}); ok && p.Set == "" && !p.IfExists && p.Family != policy.FamNull && got != triOf(p.Negated) {
				t.Fatalf("absent key with %q gave %v", op, got)
			}
		}
	})
}
