package iam

import (
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// SCPs per level: orgs_manage_policies_scps_evaluation.html ("there must be an
// explicit Allow statement at every level from the root through each OU in the
// direct path to the account"; "If a Deny statement in an SCP at any level
// applies, the request is denied").
func TestSCPLevels(t *testing.T) {
	scp := func(sts ...st) *policy.Document { return doc(policy.SCP, sts...) }
	s3Only := func() *policy.Document {
		return scp(st{sid: "S3Only", effect: policy.Allow, action: list("s3:*"), resource: list("*")})
	}
	ec2Only := func() *policy.Document {
		return scp(st{sid: "EC2Only", effect: policy.Allow, action: list("ec2:*"), resource: list("*")})
	}
	full := func() *policy.Document {
		return scp(st{sid: "Full", effect: policy.Allow, action: list("*"), resource: list("*")})
	}
	denyOnly := func() *policy.Document { return scp(denyPut) }
	noIAM := func() *policy.Document {
		return scp(st{sid: "NoIAM", effect: policy.Deny, action: list("iam:*"), resource: list("*")})
	}
	id := []*policy.Document{doc(policy.Identity, allowPut)}
	lv := func(ls ...[]*policy.Document) [][]*policy.Document { return ls }
	one := func(ds ...*policy.Document) []*policy.Document { return ds }
	cases := []struct {
		name      string
		set       PolicySet
		want      Decision
		reasonHas string
	}{
		{"every level allows", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(s3Only()), one(full()))}, Allowed, ""},
		{"the OU level's allow-list lacks S3", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(ec2Only()), one(full())),
			SCPLevelNames: []string{"root", "ou", "account"}}, ExplicitDeny, "at level ou"},
		{"two allow-lists at one level: either allows", PolicySet{Identity: id, SCPLevels: lv(one(ec2Only(), s3Only()))}, Allowed, ""},
		{"deny at the account level", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(full(), denyOnly()))}, ExplicitDeny, ""},
		{"deny-only level: FullAWSAccess assumed beside it", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(noIAM()))}, Allowed, ""},
		{"deny-only level listed complete: nothing allows", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(noIAM())),
			SCPLevelComplete: []bool{false, true}}, ExplicitDeny, "no SCP"},
		{"an unresolved SCP at a level", PolicySet{Identity: id, SCPLevels: lv(one(full()), one(&policy.Document{Kind: policy.SCP, Unresolved: "not exported"}))}, Unknown, "not exported"},
		// Unplaced SCPs: every assignment must agree.
		{"unplaced allow-lists: one level allows, separate levels deny", PolicySet{Identity: id, SCPUnplaced: one(ec2Only(), s3Only())}, Unknown, "label each SCP"},
		{"unplaced: a deny-only and an allow-list with S3 agree", PolicySet{Identity: id, SCPUnplaced: one(noIAM(), s3Only())}, Allowed, ""},
		{"unplaced: a deny decides under every placement", PolicySet{Identity: id, SCPUnplaced: one(ec2Only(), s3Only(), denyOnly())}, ExplicitDeny, ""},
		{"unplaced joining a labelled level", PolicySet{Identity: id, SCPLevels: lv(one(ec2Only())), SCPUnplaced: one(s3Only())}, Unknown, "label each SCP"},
		{"one unplaced SCP allowing alone", PolicySet{Identity: id, SCPUnplaced: one(s3Only())}, Allowed, ""},
		{"one unplaced allow-list without S3", PolicySet{Identity: id, SCPUnplaced: one(ec2Only())}, ExplicitDeny, ""},
		{"too many unplaced SCPs to place", PolicySet{Identity: id, SCPUnplaced: one(s3Only(), s3Only(), s3Only(), s3Only(), s3Only(), s3Only(), s3Only(), s3Only(), s3Only(), s3Only())}, Unknown, "too many"},
		{"unplaced deny-only SCPs need no placement", PolicySet{Identity: id, SCPUnplaced: one(noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), noIAM(), s3Only())}, Allowed, ""},
		{"an unplaced SCP cannot join a complete (listed) level", PolicySet{Identity: id, SCPLevels: lv(one(s3Only())), SCPLevelComplete: []bool{true},
			SCPUnplaced: one(ec2Only())}, ExplicitDeny, ""},
		{"pooled SCP field is one level (compatibility)", PolicySet{Identity: id, SCP: one(ec2Only(), s3Only())}, Allowed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Evaluate(putReq(), c.set)
			if res.Decision != c.want {
				t.Fatalf("Decision = %s, want %s (reasons %v)", res.Decision, c.want, res.Reasons)
			}
			if c.reasonHas != "" && !strings.Contains(strings.Join(Texts(res.Reasons), "\n"), c.reasonHas) {
				t.Errorf("Reasons %q do not mention %q", res.Reasons, c.reasonHas)
			}
		})
	}
}
