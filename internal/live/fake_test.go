package live

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// rfc3986 URL-encodes s the way the IAM API returns policy documents.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func apiErr(code string) error {
	return &smithy.GenericAPIError{Code: code, Message: code + " (fake)"}
}

// fakeIAM answers from maps; errs injects an error by operation name.
type fakeIAM struct {
	roles         map[string]*iamtypes.Role
	rolePolicies  map[string]map[string]string // role → name → document (URL-encoded)
	roleAttached  map[string][]string
	users         map[string]*iamtypes.User
	userPolicies  map[string]map[string]string
	userAttached  map[string][]string
	userGroups    map[string][]string
	groupPolicies map[string]map[string]string
	groupAttached map[string][]string
	managed       map[string]string // ARN → document of its default version v1 (URL-encoded)
	accessKeys    map[string][]iamtypes.AccessKeyMetadata
	keyLastUsed   map[string]*iamtypes.AccessKeyLastUsed // key id → last use
	contextKeys   []string
	simulate      func(*iam.SimulatePrincipalPolicyInput) (*iam.SimulatePrincipalPolicyOutput, error)
	simCalls      []*iam.SimulatePrincipalPolicyInput
	errs          map[string]error
}

func (f *fakeIAM) err(op string) error { return f.errs[op] }

func names(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	// map order is random; IAM lists in name order
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func attached(arns []string) []iamtypes.AttachedPolicy {
	var out []iamtypes.AttachedPolicy
	for _, a := range arns {
		out = append(out, iamtypes.AttachedPolicy{PolicyArn: aws.String(a), PolicyName: aws.String(a[strings.LastIndexByte(a, '/')+1:])})
	}
	return out
}

func (f *fakeIAM) GetRole(_ context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	if err := f.err("GetRole"); err != nil {
		return nil, err
	}
	r, ok := f.roles[aws.ToString(in.RoleName)]
	if !ok {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetRoleOutput{Role: r}, nil
}

func (f *fakeIAM) ListRolePolicies(_ context.Context, in *iam.ListRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	if err := f.err("ListRolePolicies"); err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: names(f.rolePolicies[aws.ToString(in.RoleName)])}, nil
}

func (f *fakeIAM) GetRolePolicy(_ context.Context, in *iam.GetRolePolicyInput, _ ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	if err := f.err("GetRolePolicy"); err != nil {
		return nil, err
	}
	doc := f.rolePolicies[aws.ToString(in.RoleName)][aws.ToString(in.PolicyName)]
	return &iam.GetRolePolicyOutput{PolicyDocument: aws.String(doc), PolicyName: in.PolicyName, RoleName: in.RoleName}, nil
}

func (f *fakeIAM) ListAttachedRolePolicies(_ context.Context, in *iam.ListAttachedRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error) {
	if err := f.err("ListAttachedRolePolicies"); err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: attached(f.roleAttached[aws.ToString(in.RoleName)])}, nil
}

func (f *fakeIAM) GetPolicy(_ context.Context, in *iam.GetPolicyInput, _ ...func(*iam.Options)) (*iam.GetPolicyOutput, error) {
	if err := f.err("GetPolicy"); err != nil {
		return nil, err
	}
	if _, ok := f.managed[aws.ToString(in.PolicyArn)]; !ok {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetPolicyOutput{Policy: &iamtypes.Policy{Arn: in.PolicyArn, DefaultVersionId: aws.String("v1")}}, nil
}

func (f *fakeIAM) GetPolicyVersion(_ context.Context, in *iam.GetPolicyVersionInput, _ ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error) {
	if err := f.err("GetPolicyVersion"); err != nil {
		return nil, err
	}
	return &iam.GetPolicyVersionOutput{PolicyVersion: &iamtypes.PolicyVersion{
		Document: aws.String(f.managed[aws.ToString(in.PolicyArn)]), VersionId: in.VersionId, IsDefaultVersion: true}}, nil
}

func (f *fakeIAM) GetUser(_ context.Context, in *iam.GetUserInput, _ ...func(*iam.Options)) (*iam.GetUserOutput, error) {
	if err := f.err("GetUser"); err != nil {
		return nil, err
	}
	u, ok := f.users[aws.ToString(in.UserName)]
	if !ok {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetUserOutput{User: u}, nil
}

func (f *fakeIAM) ListUserPolicies(_ context.Context, in *iam.ListUserPoliciesInput, _ ...func(*iam.Options)) (*iam.ListUserPoliciesOutput, error) {
	if err := f.err("ListUserPolicies"); err != nil {
		return nil, err
	}
	return &iam.ListUserPoliciesOutput{PolicyNames: names(f.userPolicies[aws.ToString(in.UserName)])}, nil
}

func (f *fakeIAM) GetUserPolicy(_ context.Context, in *iam.GetUserPolicyInput, _ ...func(*iam.Options)) (*iam.GetUserPolicyOutput, error) {
	if err := f.err("GetUserPolicy"); err != nil {
		return nil, err
	}
	return &iam.GetUserPolicyOutput{PolicyDocument: aws.String(f.userPolicies[aws.ToString(in.UserName)][aws.ToString(in.PolicyName)])}, nil
}

func (f *fakeIAM) ListAttachedUserPolicies(_ context.Context, in *iam.ListAttachedUserPoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedUserPoliciesOutput, error) {
	if err := f.err("ListAttachedUserPolicies"); err != nil {
		return nil, err
	}
	return &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: attached(f.userAttached[aws.ToString(in.UserName)])}, nil
}

func (f *fakeIAM) ListGroupsForUser(_ context.Context, in *iam.ListGroupsForUserInput, _ ...func(*iam.Options)) (*iam.ListGroupsForUserOutput, error) {
	if err := f.err("ListGroupsForUser"); err != nil {
		return nil, err
	}
	var gs []iamtypes.Group
	for _, g := range f.userGroups[aws.ToString(in.UserName)] {
		gs = append(gs, iamtypes.Group{GroupName: aws.String(g)})
	}
	return &iam.ListGroupsForUserOutput{Groups: gs}, nil
}

func (f *fakeIAM) ListGroupPolicies(_ context.Context, in *iam.ListGroupPoliciesInput, _ ...func(*iam.Options)) (*iam.ListGroupPoliciesOutput, error) {
	if err := f.err("ListGroupPolicies"); err != nil {
		return nil, err
	}
	return &iam.ListGroupPoliciesOutput{PolicyNames: names(f.groupPolicies[aws.ToString(in.GroupName)])}, nil
}

func (f *fakeIAM) GetGroupPolicy(_ context.Context, in *iam.GetGroupPolicyInput, _ ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error) {
	if err := f.err("GetGroupPolicy"); err != nil {
		return nil, err
	}
	return &iam.GetGroupPolicyOutput{PolicyDocument: aws.String(f.groupPolicies[aws.ToString(in.GroupName)][aws.ToString(in.PolicyName)])}, nil
}

func (f *fakeIAM) ListAttachedGroupPolicies(_ context.Context, in *iam.ListAttachedGroupPoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedGroupPoliciesOutput, error) {
	if err := f.err("ListAttachedGroupPolicies"); err != nil {
		return nil, err
	}
	return &iam.ListAttachedGroupPoliciesOutput{AttachedPolicies: attached(f.groupAttached[aws.ToString(in.GroupName)])}, nil
}

func (f *fakeIAM) SimulatePrincipalPolicy(_ context.Context, in *iam.SimulatePrincipalPolicyInput, _ ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error) {
	f.simCalls = append(f.simCalls, in)
	if err := f.err("SimulatePrincipalPolicy"); err != nil {
		return nil, err
	}
	return f.simulate(in)
}

func (f *fakeIAM) GetContextKeysForPrincipalPolicy(_ context.Context, _ *iam.GetContextKeysForPrincipalPolicyInput, _ ...func(*iam.Options)) (*iam.GetContextKeysForPrincipalPolicyOutput, error) {
	if err := f.err("GetContextKeysForPrincipalPolicy"); err != nil {
		return nil, err
	}
	return &iam.GetContextKeysForPrincipalPolicyOutput{ContextKeyNames: f.contextKeys}, nil
}

type fakeS3 struct {
	policy   string // "" → NoSuchBucketPolicy
	enc      *s3types.ServerSideEncryptionConfiguration
	location string
	regions  map[string]string // operation → region it was sent to
	errs     map[string]error
}

func (f *fakeS3) region(op string, opts []func(*s3.Options)) {
	o := s3.Options{Region: "eu-central-1"}
	for _, fn := range opts {
		fn(&o)
	}
	if f.regions == nil {
		f.regions = map[string]string{}
	}
	f.regions[op] = o.Region
}

func (f *fakeS3) GetBucketPolicy(_ context.Context, _ *s3.GetBucketPolicyInput, opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	f.region("GetBucketPolicy", opts)
	if err := f.errs["GetBucketPolicy"]; err != nil {
		return nil, err
	}
	if f.policy == "" {
		return nil, apiErr("NoSuchBucketPolicy")
	}
	return &s3.GetBucketPolicyOutput{Policy: aws.String(f.policy)}, nil
}

func (f *fakeS3) GetBucketEncryption(_ context.Context, _ *s3.GetBucketEncryptionInput, opts ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error) {
	f.region("GetBucketEncryption", opts)
	if err := f.errs["GetBucketEncryption"]; err != nil {
		return nil, err
	}
	if f.enc == nil {
		return nil, apiErr("ServerSideEncryptionConfigurationNotFoundError")
	}
	return &s3.GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: f.enc}, nil
}

func (f *fakeS3) GetBucketLocation(_ context.Context, _ *s3.GetBucketLocationInput, opts ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	f.region("GetBucketLocation", opts)
	if err := f.errs["GetBucketLocation"]; err != nil {
		return nil, err
	}
	return &s3.GetBucketLocationOutput{LocationConstraint: s3types.BucketLocationConstraint(f.location)}, nil
}

type fakeKMS struct {
	meta   *kmstypes.KeyMetadata
	policy string
	errs   map[string]error
}

func (f *fakeKMS) DescribeKey(_ context.Context, _ *kms.DescribeKeyInput, _ ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	if err := f.errs["DescribeKey"]; err != nil {
		return nil, err
	}
	if f.meta == nil {
		return nil, apiErr("NotFoundException")
	}
	return &kms.DescribeKeyOutput{KeyMetadata: f.meta}, nil
}

func (f *fakeKMS) GetKeyPolicy(_ context.Context, _ *kms.GetKeyPolicyInput, _ ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error) {
	if err := f.errs["GetKeyPolicy"]; err != nil {
		return nil, err
	}
	return &kms.GetKeyPolicyOutput{Policy: aws.String(f.policy), PolicyName: aws.String("default")}, nil
}

type fakeSTS struct {
	arn, account string
	err          error
}

func (f *fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &sts.GetCallerIdentityOutput{Arn: aws.String(f.arn), Account: aws.String(f.account), UserId: aws.String("AIDAEXAMPLE")}, nil
}

func (f *fakeIAM) ListAccessKeys(_ context.Context, in *iam.ListAccessKeysInput, _ ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error) {
	if err := f.err("ListAccessKeys"); err != nil {
		return nil, err
	}
	return &iam.ListAccessKeysOutput{AccessKeyMetadata: f.accessKeys[aws.ToString(in.UserName)]}, nil
}

func (f *fakeIAM) GetAccessKeyLastUsed(_ context.Context, in *iam.GetAccessKeyLastUsedInput, _ ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error) {
	if err := f.err("GetAccessKeyLastUsed"); err != nil {
		return nil, err
	}
	lu := f.keyLastUsed[aws.ToString(in.AccessKeyId)]
	if lu == nil {
		lu = &iamtypes.AccessKeyLastUsed{ServiceName: aws.String("N/A"), Region: aws.String("N/A")}
	}
	return &iam.GetAccessKeyLastUsedOutput{AccessKeyLastUsed: lu}, nil
}

func (f *fakeIAM) ListRoles(_ context.Context, in *iam.ListRolesInput, _ ...func(*iam.Options)) (*iam.ListRolesOutput, error) {
	if err := f.err("ListRoles"); err != nil {
		return nil, err
	}
	var names []string
	for n := range f.roles {
		names = append(names, n)
	}
	sort.Strings(names)
	// One role a page, so that pagination is exercised.
	start := 0
	if in.Marker != nil {
		_, _ = fmt.Sscan(aws.ToString(in.Marker), &start) // a bad marker restarts at 0
	}
	out := &iam.ListRolesOutput{}
	if start < len(names) {
		out.Roles = []iamtypes.Role{*f.roles[names[start]]}
	}
	if start+1 < len(names) {
		out.IsTruncated, out.Marker = true, aws.String(fmt.Sprint(start+1))
	}
	return out, nil
}
