package load

import (
	"reflect"
	"testing"
)

// Tags of roles and users (aws:PrincipalTag/*) and the organization id
// (aws:PrincipalOrgID) as the AWS CLI prints them.
func TestTagsAndOrganization(t *testing.T) {
	getRole := `{"Role": {"Path": "/", "RoleName": "up", "RoleId": "AROAEXAMPLE", "Arn": "arn:aws:iam::111122223333:role/up",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
  "Tags": [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "prod"}]}}`
	in := Bytes("get-role.json", []byte(getRole), "")
	noErrors(t, in)
	p := findPrincipal(t, in, "role", "up")
	if !p.TagsKnown || !reflect.DeepEqual(p.Tags, map[string]string{"team": "data", "env": "prod"}) {
		t.Fatalf("get-role tags %v known=%v", p.Tags, p.TagsKnown)
	}

	// get-role omits Tags when the role has none: no tags, known.
	noTags := `{"Role": {"RoleName": "up", "Arn": "arn:aws:iam::111122223333:role/up", "AssumeRolePolicyDocument": {"Statement": []}}}`
	p = findPrincipal(t, Bytes("get-role.json", []byte(noTags), ""), "role", "up")
	if !p.TagsKnown || len(p.Tags) != 0 {
		t.Fatalf("get-role without Tags: %v known=%v", p.Tags, p.TagsKnown)
	}

	// A malformed tag list leaves the tags unknown, with an error.
	bad := `{"Role": {"RoleName": "up", "Arn": "arn:aws:iam::111122223333:role/up", "AssumeRolePolicyDocument": {"Statement": []},
  "Tags": [{"Key": "team"}]}}`
	in = Bytes("get-role.json", []byte(bad), "")
	if p = findPrincipal(t, in, "role", "up"); p.TagsKnown || len(in.Errors) != 1 || in.Errors[0].Line != 2 {
		t.Fatalf("malformed tags: known=%v errors %v", p.TagsKnown, in.Errors)
	}

	getUser := `{"User": {"UserName": "sm", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/sm", "Tags": [{"Key": "team", "Value": "data"}]}}`
	p = findPrincipal(t, Bytes("get-user.json", []byte(getUser), ""), "user", "sm")
	if !p.TagsKnown || p.Tags["team"] != "data" {
		t.Fatalf("get-user tags %v", p.Tags)
	}

	export := `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [
  {"RoleName": "up", "RoleId": "AROAEXAMPLE", "Arn": "arn:aws:iam::111122223333:role/up", "AssumeRolePolicyDocument": {"Statement": []},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [{"Key": "team", "Value": "ops"}]},
  {"RoleName": "other", "RoleId": "AROAOTHER", "Arn": "arn:aws:iam::111122223333:role/other", "AssumeRolePolicyDocument": {"Statement": []},
   "RolePolicyList": [], "AttachedManagedPolicies": []}]}`
	in = Bytes("account.json", []byte(export), "")
	noErrors(t, in)
	if p = findPrincipal(t, in, "role", "up"); !p.TagsKnown || p.Tags["team"] != "ops" {
		t.Fatalf("export tags %v", p.Tags)
	}
	if p = findPrincipal(t, in, "role", "other"); !p.TagsKnown || len(p.Tags) != 0 {
		t.Fatalf("export role without Tags %v known=%v", p.Tags, p.TagsKnown)
	}

	// iam list-role-tags: names no role.
	in = Bytes("tags.json", []byte(`{"Tags": [{"Key": "team", "Value": "data"}], "IsTruncated": false}`), "")
	noErrors(t, in)
	if len(in.TagLists) != 1 || in.TagLists[0].Truncated || in.TagLists[0].Tags["team"] != "data" {
		t.Fatalf("list-role-tags %+v", in.TagLists)
	}
	in = Bytes("tags.json", []byte(`{"Tags": [], "IsTruncated": true, "Marker": "AAA"}`), "")
	if len(in.TagLists) != 1 || !in.TagLists[0].Truncated {
		t.Fatalf("truncated list-role-tags %+v", in.TagLists)
	}

	// organizations describe-organization.
	org := `{"Organization": {"Id": "o-a1b2c3d4e5", "Arn": "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5",
  "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/111122223333",
  "MasterAccountId": "111122223333", "MasterAccountEmail": "aws@example.com", "AvailablePolicyTypes": []}}`
	in = Bytes("org.json", []byte(org), "")
	noErrors(t, in)
	if len(in.Organizations) != 1 || in.Organizations[0].ID != "o-a1b2c3d4e5" || in.Organizations[0].MasterAccountID != "111122223333" {
		t.Fatalf("describe-organization %+v", in.Organizations)
	}
	in = Bytes("org.json", []byte(`{"Organization": {"Id": "a1b2"}}`), "")
	if len(in.Organizations) != 0 || len(in.Errors) != 1 {
		t.Fatalf("bad organization id: %+v %v", in.Organizations, in.Errors)
	}
}

// get-role-policy plus get-role: the joined role keeps get-role's tags.
func TestJoinKeepsTags(t *testing.T) {
	in := &Input{Principals: []*Principal{
		{Type: "role", Name: "up"},
		{Type: "role", Name: "up", Tags: map[string]string{"team": "data"}, TagsKnown: true},
	}}
	join(in)
	if len(in.Principals) != 1 || !in.Principals[0].TagsKnown || in.Principals[0].Tags["team"] != "data" {
		t.Fatalf("joined %+v", in.Principals)
	}
}
