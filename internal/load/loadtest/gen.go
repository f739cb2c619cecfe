// Package loadtest generates large, realistic inputs for loader benchmarks
// and tests in other packages.
package loadtest

import (
	"encoding/json"
	"fmt"
)

const account = "111122223333"

type statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]string         `json:"Principal,omitempty"`
	Action    any                       `json:"Action"`
	Resource  any                       `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type document struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type namedPolicy struct {
	PolicyName     string   `json:"PolicyName"`
	PolicyDocument document `json:"PolicyDocument"`
}

type attached struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type boundary struct {
	PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
}

type role struct {
	Path                     string        `json:"Path"`
	RoleName                 string        `json:"RoleName"`
	RoleId                   string        `json:"RoleId"`
	Arn                      string        `json:"Arn"`
	CreateDate               string        `json:"CreateDate"`
	AssumeRolePolicyDocument document      `json:"AssumeRolePolicyDocument"`
	InstanceProfileList      []any         `json:"InstanceProfileList"`
	RolePolicyList           []namedPolicy `json:"RolePolicyList"`
	AttachedManagedPolicies  []attached    `json:"AttachedManagedPolicies"`
	PermissionsBoundary      *boundary     `json:"PermissionsBoundary,omitempty"`
	Tags                     []any         `json:"Tags"`
	RoleLastUsed             struct{}      `json:"RoleLastUsed"`
}

type user struct {
	Path                    string        `json:"Path"`
	UserName                string        `json:"UserName"`
	UserId                  string        `json:"UserId"`
	Arn                     string        `json:"Arn"`
	CreateDate              string        `json:"CreateDate"`
	UserPolicyList          []namedPolicy `json:"UserPolicyList"`
	GroupList               []string      `json:"GroupList"`
	AttachedManagedPolicies []attached    `json:"AttachedManagedPolicies"`
	Tags                    []any         `json:"Tags"`
}

type group struct {
	Path                    string        `json:"Path"`
	GroupName               string        `json:"GroupName"`
	GroupId                 string        `json:"GroupId"`
	Arn                     string        `json:"Arn"`
	CreateDate              string        `json:"CreateDate"`
	GroupPolicyList         []namedPolicy `json:"GroupPolicyList"`
	AttachedManagedPolicies []attached    `json:"AttachedManagedPolicies"`
}

type version struct {
	Document         document `json:"Document"`
	VersionId        string   `json:"VersionId"`
	IsDefaultVersion bool     `json:"IsDefaultVersion"`
	CreateDate       string   `json:"CreateDate"`
}

type managed struct {
	PolicyName                    string    `json:"PolicyName"`
	PolicyId                      string    `json:"PolicyId"`
	Arn                           string    `json:"Arn"`
	Path                          string    `json:"Path"`
	DefaultVersionId              string    `json:"DefaultVersionId"`
	AttachmentCount               int       `json:"AttachmentCount"`
	PermissionsBoundaryUsageCount int       `json:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool      `json:"IsAttachable"`
	CreateDate                    string    `json:"CreateDate"`
	UpdateDate                    string    `json:"UpdateDate"`
	PolicyVersionList             []version `json:"PolicyVersionList"`
}

type export struct {
	UserDetailList  []user    `json:"UserDetailList"`
	GroupDetailList []group   `json:"GroupDetailList"`
	RoleDetailList  []role    `json:"RoleDetailList"`
	Policies        []managed `json:"Policies"`
}

const date = "2024-05-02T09:10:00+00:00"

var actions = []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject",
	"kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem",
	"dynamodb:PutItem", "sqs:SendMessage", "sns:Publish", "lambda:InvokeFunction"}

// permissions returns a customer managed policy of about 2,600 characters
// without white space (under the 6,144 quota), varied by i and v.
func permissions(i, v int) document {
	d := document{Version: "2012-10-17"}
	for s := 0; s < 5; s++ {
		var acts []string
		for a := 0; a < 5; a++ {
			acts = append(acts, actions[(i+s+a+v)%len(actions)])
		}
		var res []string
		for r := 0; r < 4; r++ {
			res = append(res, fmt.Sprintf("arn:aws:s3:::bucket-%04d-%d/prefix-%d/*", i, s, r))
		}
		st := statement{Sid: fmt.Sprintf("P%dV%dS%d", i, v, s), Effect: "Allow", Action: acts, Resource: res}
		if s%3 == 0 {
			st.Condition = map[string]map[string]any{"IpAddress": {"aws:SourceIp": []string{"203.0.113.0/24", "198.51.100.0/24"}}}
		}
		d.Statement = append(d.Statement, st)
	}
	return d
}

func policyARN(i int) string {
	return fmt.Sprintf("arn:aws:iam::%s:policy/generated/policy-%04d", account, i)
}

// AccountExport returns `aws iam get-account-authorization-details` output,
// indented like the AWS CLI's, with the given number of roles, customer
// managed policies and versions per policy (the last version is the default).
// Every role has a trust policy, one inline policy, three attached policies
// (one an AWS managed policy not in the export) and, for every fourth role, a
// permissions boundary. There is one user per five roles, in one of ten
// groups. AccountExport(500, 1600, 2) is about 20 MB.
func AccountExport(roles, policies, versionsPerPolicy int) []byte {
	if policies < 1 {
		policies = 1
	}
	if versionsPerPolicy < 1 {
		versionsPerPolicy = 1
	}
	var e export
	for i := 0; i < policies; i++ {
		m := managed{PolicyName: fmt.Sprintf("policy-%04d", i), PolicyId: fmt.Sprintf("ANPAGENERATED%07d", i), Arn: policyARN(i),
			Path: "/generated/", DefaultVersionId: fmt.Sprintf("v%d", versionsPerPolicy), AttachmentCount: 1, IsAttachable: true,
			CreateDate: date, UpdateDate: date}
		for v := 1; v <= versionsPerPolicy; v++ {
			m.PolicyVersionList = append(m.PolicyVersionList, version{Document: permissions(i, v), VersionId: fmt.Sprintf("v%d", v),
				IsDefaultVersion: v == versionsPerPolicy, CreateDate: date})
		}
		e.Policies = append(e.Policies, m)
	}
	groups := 10
	for g := 0; g < groups; g++ {
		e.GroupDetailList = append(e.GroupDetailList, group{Path: "/", GroupName: fmt.Sprintf("group-%d", g),
			GroupId: fmt.Sprintf("AGPAGENERATED%07d", g), Arn: fmt.Sprintf("arn:aws:iam::%s:group/group-%d", account, g), CreateDate: date,
			GroupPolicyList:         []namedPolicy{{PolicyName: "group-inline", PolicyDocument: permissions(g, 0)}},
			AttachedManagedPolicies: []attached{{PolicyName: fmt.Sprintf("policy-%04d", g%policies), PolicyArn: policyARN(g % policies)}}})
	}
	for r := 0; r < roles; r++ {
		name := fmt.Sprintf("role-%04d", r)
		principal := map[string]string{"Service": "lambda.amazonaws.com"}
		if r%50 == 0 {
			principal = map[string]string{"AWS": "arn:aws:iam::043417694514:role/supermetrics-s3-role"}
		}
		ro := role{Path: "/", RoleName: name, RoleId: fmt.Sprintf("AROAGENERATED%07d", r), Arn: fmt.Sprintf("arn:aws:iam::%s:role/%s", account, name),
			CreateDate: date, AssumeRolePolicyDocument: document{Version: "2012-10-17", Statement: []statement{{Effect: "Allow", Principal: principal, Action: "sts:AssumeRole"}}},
			InstanceProfileList: []any{}, RolePolicyList: []namedPolicy{{PolicyName: "inline", PolicyDocument: permissions(r, 0)}},
			AttachedManagedPolicies: []attached{
				{PolicyName: "a", PolicyArn: policyARN(r % policies)},
				{PolicyName: "b", PolicyArn: policyARN((r * 7) % policies)},
				{PolicyName: "ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"},
			}, Tags: []any{}}
		if r%4 == 0 {
			ro.PermissionsBoundary = &boundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: policyARN((r + 3) % policies)}
		}
		e.RoleDetailList = append(e.RoleDetailList, ro)
	}
	for u := 0; u < roles/5; u++ {
		name := fmt.Sprintf("user-%04d", u)
		e.UserDetailList = append(e.UserDetailList, user{Path: "/", UserName: name, UserId: fmt.Sprintf("AIDAGENERATED%07d", u),
			Arn: fmt.Sprintf("arn:aws:iam::%s:user/%s", account, name), CreateDate: date,
			UserPolicyList:          []namedPolicy{{PolicyName: "inline", PolicyDocument: document{Version: "2012-10-17", Statement: []statement{{Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::uploads/*"}}}}},
			GroupList:               []string{fmt.Sprintf("group-%d", u%groups)},
			AttachedManagedPolicies: []attached{{PolicyName: "c", PolicyArn: policyARN((u * 3) % policies)}}, Tags: []any{}})
	}
	out, err := json.MarshalIndent(e, "", "    ")
	if err != nil {
		panic(err) // only plain data above: cannot happen
	}
	return append(out, '\n')
}
