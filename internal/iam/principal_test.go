package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

const (
	vendorRole = "arn:aws:iam::043417694514:role/supermetrics-s3-role"
	vendorAcct = "043417694514"
)

func vendorCaller() Caller {
	return Caller{
		Type:       RoleSession,
		ARN:        vendorRole,
		SessionARN: policy.UnknownValue("vendor session name"),
		Account:    vendorAcct,
		UniqueID:   "",
	}
}

func aws(vs ...string) *policy.Principal { return &policy.Principal{AWS: vs} }

// reference_policies_elements_principal.html
func TestMatchPrincipal(t *testing.T) {
	userCaller := Caller{Type: User, ARN: "arn:aws:iam::111122223333:user/Alice", Account: "111122223333", UniqueID: "AIDAEXAMPLEEXAMPLE1"}
	pathRole := Caller{Type: RoleSession, ARN: "arn:aws:iam::111122223333:role/team/app", Account: "111122223333", SessionARN: "arn:aws:sts::111122223333:assumed-role/app/s1", UniqueID: "AROAEXAMPLEEXAMPLE1"}
	cases := []struct {
		name    string
		p       *policy.Principal
		c       Caller
		want    Tri
		viaAcct bool
	}{
		{"\"*\" matches everyone", &policy.Principal{Wildcard: true}, vendorCaller(), True, false},
		{"{AWS:*} matches everyone", aws("*"), vendorCaller(), True, false},
		{"account id delegates", aws(vendorAcct), vendorCaller(), True, true},
		{"account root ARN delegates", aws("arn:aws:iam::043417694514:root"), vendorCaller(), True, true},
		{"other account", aws("arn:aws:iam::111122223333:root"), vendorCaller(), False, false},
		{"root ARN in other partition", aws("arn:aws-cn:iam::043417694514:root"), vendorCaller(), False, false},
		{"role ARN matches its session", aws(vendorRole), vendorCaller(), True, false},
		{"direct beats account", aws(vendorAcct, vendorRole), vendorCaller(), True, false},
		{"role ARN typo", aws("arn:aws:iam::043417694514:role/supermetrics-s3-rol"), vendorCaller(), False, false},
		{"role ARN letter case differs", aws("arn:aws:iam::043417694514:role/Supermetrics-S3-Role"), vendorCaller(), Maybe, false},
		{"role with path exact", aws("arn:aws:iam::111122223333:role/team/app"), pathRole, True, false},
		{"role without its path", aws("arn:aws:iam::111122223333:role/app"), pathRole, False, false},
		{"user ARN for a role caller", aws("arn:aws:iam::043417694514:user/supermetrics-s3-role"), vendorCaller(), False, false},
		// "You cannot use a wildcard to match part of a principal name or ARN."
		{"partial wildcard account", aws("arn:aws:iam::*:role/supermetrics-s3-role"), vendorCaller(), False, false},
		{"partial wildcard role name", aws("arn:aws:iam::043417694514:role/*"), vendorCaller(), False, false},
		{"session ARN, session name unknown", aws("arn:aws:sts::043417694514:assumed-role/supermetrics-s3-role/x"), vendorCaller(), Maybe, false},
		{"session ARN of another role", aws("arn:aws:sts::043417694514:assumed-role/other/x"), vendorCaller(), False, false},
		{"session ARN known exact", aws("arn:aws:sts::111122223333:assumed-role/app/s1"), pathRole, True, false},
		{"session ARN known other session", aws("arn:aws:sts::111122223333:assumed-role/app/s2"), pathRole, False, false},
		// A bare unique id appears when the role was deleted: it is not the
		// current role.
		{"bare AROA id, caller id unknown", aws("AROAEXAMPLEEXAMPLE9"), vendorCaller(), False, false},
		{"bare AROA id equals caller", aws("AROAEXAMPLEEXAMPLE1"), pathRole, True, false},
		{"bare AIDA id other user", aws("AIDAEXAMPLEEXAMPLE2"), userCaller, False, false},
		{"user ARN exact", aws("arn:aws:iam::111122223333:user/Alice"), userCaller, True, false},
		{"user ARN case differs", aws("arn:aws:iam::111122223333:user/alice"), userCaller, Maybe, false},
		{"service principal", &policy.Principal{Service: []string{"s3.amazonaws.com"}}, vendorCaller(), False, false},
		{"federated principal", &policy.Principal{Federated: []string{"cognito-identity.amazonaws.com"}}, vendorCaller(), False, false},
		{"canonical user", &policy.Principal{Canonical: []string{"79a59df900b949e55d96a1e698fbaced"}}, vendorCaller(), False, false},
		{"unresolved principal", aws(policy.UnknownValue("var.vendor")), vendorCaller(), Maybe, false},
		{"caller account unknown", aws(vendorAcct), Caller{Type: RoleSession, ARN: policy.UnknownValue("x")}, Maybe, true},
		{"nil principal", nil, vendorCaller(), False, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, via := MatchPrincipal(c.p, c.c)
			if got != c.want || via != c.viaAcct {
				t.Errorf("MatchPrincipal = (%v, via %v), want (%v, via %v)", got, via, c.want, c.viaAcct)
			}
		})
	}
}

// reference_policies_elements_notprincipal.html: with Deny, list the session,
// the role and the account, or the deny may still apply.
func TestMatchNotPrincipal(t *testing.T) {
	c := Caller{Type: RoleSession, ARN: "arn:aws:iam::111122223333:role/app", Account: "111122223333", SessionARN: "arn:aws:sts::111122223333:assumed-role/app/s1"}
	cases := []struct {
		name string
		p    *policy.Principal
		want Tri // does the statement apply?
	}{
		{"caller not listed: applies", aws("arn:aws:iam::444455556666:root"), True},
		{"session, role and account listed: spared", aws("arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), False},
		{"only the role listed: applies (account and session not excepted)", aws("arn:aws:iam::111122223333:role/app"), True},
		{"role and account listed, session not: applies to the session", aws("arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), True},
		{"role and bare account id listed, session not: applies", aws("arn:aws:iam::111122223333:role/app", "111122223333"), True},
		{"another session of the role listed: applies", aws("arn:aws:sts::111122223333:assumed-role/app/other", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), True},
		{"session wildcard names no session: applies", aws("arn:aws:sts::111122223333:assumed-role/app/*", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), True},
		{"session and role listed, account not: applies", aws("arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/app"), True},
		{"wildcard spares everyone", aws("*"), False},
	}
	for _, x := range cases {
		t.Run(x.name, func(t *testing.T) {
			if got := MatchNotPrincipal(x.p, c); got != x.want {
				t.Errorf("MatchNotPrincipal = %v, want %v", got, x.want)
			}
		})
	}
	// The vendor's session name is not published: a listed session ARN of
	// the right role may or may not be the caller's session.
	unknownSession := c
	unknownSession.SessionARN = policy.UnknownValue("session name not known")
	unknownCases := []struct {
		name string
		p    *policy.Principal
		want Tri
	}{
		{"session name unknown, all three listed: may apply", aws("arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), Maybe},
		{"session name unknown, role and account listed: applies", aws("arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), True},
		{"session name unknown, session wildcard: applies", aws("arn:aws:sts::111122223333:assumed-role/app/*", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"), True},
	}
	for _, x := range unknownCases {
		t.Run(x.name, func(t *testing.T) {
			if got := MatchNotPrincipal(x.p, unknownSession); got != x.want {
				t.Errorf("MatchNotPrincipal = %v, want %v", got, x.want)
			}
		})
	}
	user := Caller{Type: User, ARN: "arn:aws:iam::111122223333:user/Bob", Account: "111122223333"}
	t.Run("user and account listed: spared (the page's Bob example)", func(t *testing.T) {
		if got := MatchNotPrincipal(aws("arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:root"), user); got != False {
			t.Errorf("MatchNotPrincipal = %v, want false", got)
		}
	})
	t.Run("user listed without its account: applies", func(t *testing.T) {
		if got := MatchNotPrincipal(aws("arn:aws:iam::111122223333:user/Bob"), user); got != True {
			t.Errorf("MatchNotPrincipal = %v, want true", got)
		}
	})
}
