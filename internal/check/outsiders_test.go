package check

import (
	"testing"
	"time"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// Trust breadth decided by evaluation. Each case is a trust policy and the
// outsiders (kind → decision) the evaluation must find; kinds not listed
// must not be admitted. Pages:
//
//	PEL  = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//	GCK  = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID)
//	XACC = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
//	PRIN = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
//	EXID = https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
func TestTrustOutsiders(t *testing.T) {
	const vendorRole = "arn:aws:iam::043417694514:role/supermetrics-s3-role"
	stmt := func(principal, cond string) string {
		s := `{"Version":"2012-10-17","Statement":[{"Sid":"T","Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"`
		if cond != "" {
			s += `,"Condition":` + cond
		}
		return s + `}]}`
	}
	all := map[string]iam.Decision{
		OutsiderSameName: iam.Allowed, OutsiderOtherRole: iam.Allowed, OutsiderOtherUser: iam.Allowed,
		OutsiderVendorRole: iam.Allowed, OutsiderVendorUser: iam.Allowed,
	}
	vendorOnly := map[string]iam.Decision{OutsiderVendorRole: iam.Allowed, OutsiderVendorUser: iam.Allowed}
	cases := []struct {
		name   string
		trust  string
		extID  string
		want   map[string]iam.Decision
		anyARN string // some admitted outsider must have this ARN
	}{
		// PRIN: naming the role ARN admits that role only.
		{"PRIN vendor role as principal admits no outsider", stmt(`{"AWS":"`+vendorRole+`"}`, ""), "", nil, ""},
		// PRIN: "*" is every principal; XACC: the outsider's own account allows its side.
		{"PRIN principal * admits every role and user", stmt(`"*"`, ""), "", all, ""},
		// EXID: the external ID is chosen by the caller; it is not a secret.
		{"EXID * with only an external ID admits everyone", stmt(`{"AWS":"*"}`, `{"StringEquals":{"sts:ExternalId":"acme-7f3k29"}}`), "acme-7f3k29", all, ""},
		// GCK aws:PrincipalArn is the role ARN of the session, in any account the pattern allows.
		{"GCK StringLike PrincipalArn any account same name", stmt(`{"AWS":"*"}`, `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/supermetrics-s3-role"}}`), "",
			map[string]iam.Decision{OutsiderSameName: iam.Allowed}, "arn:aws:iam::210987654321:role/supermetrics-s3-role"},
		{"GCK ArnLike PrincipalArn any role in any account", stmt(`{"AWS":"*"}`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`), "",
			map[string]iam.Decision{OutsiderSameName: iam.Allowed, OutsiderOtherRole: iam.Allowed, OutsiderVendorRole: iam.Allowed, OutsiderPatternRole: iam.Allowed}, ""},
		// GCK aws:PrincipalAccount: "*4514" matches accounts other than the vendor's.
		{"GCK StringLike PrincipalAccount suffix admits other accounts", stmt(`{"AWS":"*"}`, `{"StringLike":{"aws:PrincipalAccount":"*4514"}}`), "",
			map[string]iam.Decision{OutsiderPatternRole: iam.Allowed, OutsiderVendorRole: iam.Allowed, OutsiderVendorUser: iam.Allowed}, "arn:aws:iam::999999994514:role/supermetrics-s3-role"},
		{"GCK StringEquals PrincipalAccount vendor: vendor account only", stmt(`{"AWS":"*"}`, `{"StringEquals":{"aws:PrincipalAccount":"043417694514"}}`), "", vendorOnly, ""},
		{"GCK StringEquals PrincipalArn exact vendor role: none", stmt(`"*"`, `{"StringEquals":{"aws:PrincipalArn":"`+vendorRole+`"}}`), "", nil, ""},
		{"PRIN+GCK vendor root + ArnEquals PrincipalArn exact: none", stmt(`{"AWS":"arn:aws:iam::043417694514:root"}`, `{"ArnEquals":{"aws:PrincipalArn":"`+vendorRole+`"}}`), "", nil, ""},
		{"PRIN vendor root alone: vendor account only", stmt(`{"AWS":"arn:aws:iam::043417694514:root"}`, ""), "", vendorOnly, ""},
		{"PRIN vendor bare account id alone: vendor account only", stmt(`{"AWS":"043417694514"}`, ""), "", vendorOnly, ""},
		{"GCK vendor root + ArnLike role/* admits other vendor roles", stmt(`{"AWS":"arn:aws:iam::043417694514:root"}`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::043417694514:role/*"}}`), "",
			map[string]iam.Decision{OutsiderVendorRole: iam.Allowed}, ""},
		{"GCK vendor root + role name prefix admits other vendor roles", stmt(`{"AWS":"arn:aws:iam::043417694514:root"}`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::043417694514:role/supermetrics-*"}}`), "",
			map[string]iam.Decision{OutsiderVendorRole: iam.Allowed}, "arn:aws:iam::043417694514:role/supermetrics-smlint-outsider"},
		// GCK aws:PrincipalOrgID: an outsider is in no organisation of the customer's.
		{"GCK * + PrincipalOrgID of the customer: none", stmt(`{"AWS":"*"}`, `{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), "", nil, ""},
		{"GCK * + PrincipalOrgID o-*: everyone in some organisation", stmt(`{"AWS":"*"}`, `{"StringLike":{"aws:PrincipalOrgID":"o-*"}}`), "", all, ""},
		// An attacker's next variants.
		{"ForAnyValue:StringLike PrincipalArn any account", stmt(`{"AWS":"*"}`, `{"ForAnyValue:StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/supermetrics-s3-role"}}`), "",
			map[string]iam.Decision{OutsiderSameName: iam.Allowed}, ""},
		{"PEL Deny StringNotLike PrincipalArn any account", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/supermetrics-s3-role"}}}]}`, "",
			map[string]iam.Decision{OutsiderSameName: iam.Allowed}, ""},
		{"PEL Deny ArnNotEquals PrincipalArn vendor: none", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"` + vendorRole + `"}}}]}`, "", nil, ""},
		// GCK: aws:PrincipalArn is present in every signed request, so IfExists does not open it up.
		{"GCK ArnEqualsIfExists PrincipalArn vendor: none", stmt(`{"AWS":"*"}`, `{"ArnEqualsIfExists":{"aws:PrincipalArn":"`+vendorRole+`"}}`), "", nil, ""},
		// GCK aws:SourceAccount is absent when a principal calls STS itself.
		{"GCK StringEqualsIfExists SourceAccount admits everyone", stmt(`"*"`, `{"StringEqualsIfExists":{"aws:SourceAccount":"043417694514"}}`), "", all, ""},
		{"case: StringEqualsIgnoreCase PrincipalArn upper-cased vendor: none", stmt(`"*"`, `{"StringEqualsIgnoreCase":{"aws:PrincipalArn":"ARN:AWS:IAM::043417694514:ROLE/SUPERMETRICS-S3-ROLE"}}`), "", nil, ""},
		{"case: StringLike on lower-case key any account", stmt(`"*"`, `{"StringLike":{"aws:principalarn":"arn:aws:iam::*:role/supermetrics-s3-role"}}`), "",
			map[string]iam.Decision{OutsiderSameName: iam.Allowed}, ""},
		{"? wildcard in the account: another account", stmt(`"*"`, `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::04341769451?:role/supermetrics-s3-role"}}`), "",
			map[string]iam.Decision{OutsiderPatternRole: iam.Allowed}, "arn:aws:iam::043417694519:role/supermetrics-s3-role"},
		// GCK aws:SourceIp: the outsider's address is its own; unknown, so "possible".
		{"GCK * + IpAddress only: possible", stmt(`"*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), "",
			map[string]iam.Decision{OutsiderSameName: iam.Unknown, OutsiderOtherRole: iam.Unknown, OutsiderOtherUser: iam.Unknown,
				OutsiderVendorRole: iam.Unknown, OutsiderVendorUser: iam.Unknown}, ""},
		// The caller chooses MFA: requiring it does not restrict who.
		{"* + Bool MultiFactorAuthPresent true admits everyone", stmt(`"*"`, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), "", all, ""},
		// Principal tags of an outsider's role are its own.
		{"* + PrincipalTag admits everyone", stmt(`"*"`, `{"StringEquals":{"aws:PrincipalTag/partner":"supermetrics"}}`), "", all, ""},
		{"PEL explicit Deny of everyone: none", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}`, "", nil, ""},
	}
	prof := requestmodel.Default()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := policy.FromText(c.trust, policy.Trust, "trust.json", 1)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]iam.Decision{}
			arns := map[string]bool{}
			for _, o := range trustOutsiders(d, prof, requestmodel.Target{Account: "111122223333"}, "arn:aws:iam::111122223333:role/supermetrics-upload", c.extID, now) {
				if o.PrincipalARN == vendorRole {
					t.Errorf("the vendor's own role is not an outsider")
				}
				if o.Account == "111122223333" {
					t.Errorf("the customer's own account is not an outsider: %s", o.PrincipalARN)
				}
				if len(o.Because) == 0 {
					t.Errorf("%s: no statement named", o.Kind)
				}
				if prev, ok := got[o.Kind]; !ok || prev != iam.Allowed {
					got[o.Kind] = o.Decision
				}
				arns[o.PrincipalARN] = true
			}
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], want, got)
				}
			}
			for k, v := range got {
				if _, ok := c.want[k]; !ok {
					t.Errorf("%s admitted (%s) but not expected", k, v)
				}
			}
			if c.anyARN != "" && !arns[c.anyARN] {
				t.Errorf("no outsider %s among %v", c.anyARN, arns)
			}
		})
	}
}

// What an outsider must choose to get in: an external ID the condition
// expects is one (ChosenExternalID, read by trust-too-broad's note "an
// external ID is not a secret"); a chosen role session name is not.
func TestTrustOutsidersChosenValues(t *testing.T) {
	for _, tc := range []struct {
		name, condition, chosen string
		externalID              bool
	}{
		{"external ID", `"StringEquals":{"sts:ExternalId":"acme-7f3k29"}`, "sts:ExternalId=acme-7f3k29", true},
		{"session name", `"StringEquals":{"STS:RoleSessionName":"acme"}`, "STS:RoleSessionName=acme", false},
	} {
		d, err := policy.FromText(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{`+tc.condition+`}}]}`, policy.Trust, "trust.json", 1)
		if err != nil {
			t.Fatal(err)
		}
		os := trustOutsiders(d, requestmodel.Default(), requestmodel.Target{Account: "111122223333"}, "", "", time.Now())
		if len(os) == 0 {
			t.Fatalf("%s: no outsider admitted", tc.name)
		}
		for _, o := range os {
			if len(o.Chosen) != 1 || o.Chosen[0] != tc.chosen || o.ChosenExternalID != tc.externalID {
				t.Errorf("%s: %s chose %v (external ID %t), want %s (%t)", tc.name, o.Kind, o.Chosen, o.ChosenExternalID, tc.chosen, tc.externalID)
			}
		}
	}
}

func TestTrustOutsidersUnresolvedTrust(t *testing.T) {
	d := &policy.Document{Kind: policy.Trust, Unresolved: "known after apply"}
	if os := trustOutsiders(d, requestmodel.Default(), requestmodel.Target{Account: "111122223333"}, "", "", time.Now()); len(os) != 0 {
		t.Errorf("unresolved trust: %d outsiders, want none (other rules report it)", len(os))
	}
}

func TestFillAccount(t *testing.T) {
	cases := []struct{ pat, want string }{
		{"*4514", "999999994514"},
		{"0434*", "043499999999"},
		{"04341769451?", "043417694519"},
		{"043417694514", ""},
		{"1234567890123*", ""},
	}
	for _, c := range cases {
		got := fillAccount(c.pat, "043417694514", "111122223333", "")
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || got[0] != c.want) {
			t.Errorf("fillAccount(%q) = %v, want %q", c.pat, got, c.want)
		}
	}
}

// A principal known only after apply: nothing can be ruled out, and the
// outsiders say why (unresolved), so the rule can tell a plan from a trust
// that is open.
func TestTrustOutsidersUnknownPrincipalIsUnresolved(t *testing.T) {
	d, err := policy.FromText(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"x"},"Action":"sts:AssumeRole"}]}`, policy.Trust, "t.json", 1)
	if err != nil {
		t.Fatal(err)
	}
	d.Statements[0].Principal.AWS = []string{policy.UnknownValue("known after apply: aws_iam_role.vendor.arn")}
	os := trustOutsiders(d, requestmodel.Default(), requestmodel.Target{Account: "111122223333"}, "", "", time.Now())
	if len(os) == 0 {
		t.Fatal("an unknown principal rules nobody out")
	}
	for _, o := range os {
		if o.Decision != iam.Unknown || !o.Unresolved {
			t.Errorf("%s: decision %s unresolved %v, want unknown and unresolved", o.Kind, o.Decision, o.Unresolved)
		}
	}
}
