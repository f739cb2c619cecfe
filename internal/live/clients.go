package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// IAMAPI is the part of the IAM API simulate calls: reads and the policy
// simulator, nothing that writes. *iam.Client satisfies it; tests use fakes.
type IAMAPI interface {
	GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	ListRoles(context.Context, *iam.ListRolesInput, ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	ListRolePolicies(context.Context, *iam.ListRolePoliciesInput, ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error)
	GetRolePolicy(context.Context, *iam.GetRolePolicyInput, ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	ListAttachedRolePolicies(context.Context, *iam.ListAttachedRolePoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
	GetPolicy(context.Context, *iam.GetPolicyInput, ...func(*iam.Options)) (*iam.GetPolicyOutput, error)
	GetPolicyVersion(context.Context, *iam.GetPolicyVersionInput, ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error)
	GetUser(context.Context, *iam.GetUserInput, ...func(*iam.Options)) (*iam.GetUserOutput, error)
	ListUserPolicies(context.Context, *iam.ListUserPoliciesInput, ...func(*iam.Options)) (*iam.ListUserPoliciesOutput, error)
	GetUserPolicy(context.Context, *iam.GetUserPolicyInput, ...func(*iam.Options)) (*iam.GetUserPolicyOutput, error)
	ListAttachedUserPolicies(context.Context, *iam.ListAttachedUserPoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedUserPoliciesOutput, error)
	ListGroupsForUser(context.Context, *iam.ListGroupsForUserInput, ...func(*iam.Options)) (*iam.ListGroupsForUserOutput, error)
	ListGroupPolicies(context.Context, *iam.ListGroupPoliciesInput, ...func(*iam.Options)) (*iam.ListGroupPoliciesOutput, error)
	GetGroupPolicy(context.Context, *iam.GetGroupPolicyInput, ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error)
	ListAttachedGroupPolicies(context.Context, *iam.ListAttachedGroupPoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedGroupPoliciesOutput, error)
	ListAccessKeys(context.Context, *iam.ListAccessKeysInput, ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	GetAccessKeyLastUsed(context.Context, *iam.GetAccessKeyLastUsedInput, ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error)
	SimulatePrincipalPolicy(context.Context, *iam.SimulatePrincipalPolicyInput, ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error)
	GetContextKeysForPrincipalPolicy(context.Context, *iam.GetContextKeysForPrincipalPolicyInput, ...func(*iam.Options)) (*iam.GetContextKeysForPrincipalPolicyOutput, error)
}

// S3API is the part of the S3 API simulate reads.
type S3API interface {
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
}

// KMSAPI is the part of the KMS API simulate reads.
type KMSAPI interface {
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

// STSAPI tells who the credentials belong to.
type STSAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// Clients are the API clients of one run.
type Clients struct {
	IAM IAMAPI
	S3  S3API
	KMS KMSAPI
	STS STSAPI
	// Org is nil when the organisation is not to be read.
	Org OrganizationsAPI
}

// ConnectOptions choose the credentials and endpoint.
type ConnectOptions struct {
	// Profile is a shared-config profile name ("" = the default chain:
	// environment, AWS_PROFILE, shared files, SSO, container and instance
	// roles).
	Profile string
	// EndpointURL sends every client to one endpoint (tests, local fakes).
	// S3 then uses path-style addressing, since a bucket sub-domain of an
	// address such as 127.0.0.1 does not resolve.
	EndpointURL string
	// Region is used when the AWS configuration names none (IAM and STS are
	// global in the aws partition, but the SDK needs a region to sign).
	Region string
	// CallTimeout bounds one HTTP attempt of one API call (connect, send,
	// and wait for the answer); 0 means DefaultCallTimeout. The whole run
	// is bounded by the deadline of the context given to Connect and Read.
	CallTimeout time.Duration
	// Log, when not nil, records every operation the clients start.
	Log *CallLog
}

// Time bounds of the live pass (issue: "It can hang forever"). An attempt
// that gets no answer within DefaultCallTimeout is abandoned; the SDK's
// standard retryer then tries at most MaxAttempts times in all, with
// backoff capped at MaxBackoff, so one call lasts at most about
// MaxAttempts × (DefaultCallTimeout + MaxBackoff), and the run's own
// deadline (--timeout) cuts it shorter.
const (
	DefaultCallTimeout = 20 * time.Second
	MaxAttempts        = 3
	MaxBackoff         = 2 * time.Second
)

// ErrNoCredentials wraps a failure of the default credential chain.
var ErrNoCredentials = errors.New("no AWS credentials found (default credential chain): set AWS_PROFILE or use --profile, " +
	"or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`")

// Connect loads the AWS configuration the way the AWS CLI does and makes
// sure credentials can be had before any call is made.
func Connect(ctx context.Context, o ConnectOptions) (Clients, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if o.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(o.Profile))
	}
	if o.EndpointURL != "" {
		opts = append(opts, awsconfig.WithBaseEndpoint(o.EndpointURL))
	}
	perCall := o.CallTimeout
	if perCall <= 0 {
		perCall = DefaultCallTimeout
	}
	opts = append(opts,
		awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(perCall)),
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = MaxAttempts
				so.MaxBackoff = MaxBackoff
			})
		}),
		awsconfig.WithAPIOptions([]func(*middleware.Stack) error{recordOperations(o.Log)}),
	)
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if o.Profile != "" {
			return Clients{}, fmt.Errorf("AWS configuration (profile %q): %w", o.Profile, err)
		}
		return Clients{}, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = o.Region
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Credentials == nil {
		return Clients{}, ErrNoCredentials
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return Clients{}, fmt.Errorf("%w: %v", ErrNoCredentials, err)
	}
	return NewClients(cfg, o.EndpointURL != ""), nil
}

// NewClients makes the SDK clients from cfg.
func NewClients(cfg aws.Config, pathStyle bool) Clients {
	return Clients{
		IAM: iam.NewFromConfig(cfg),
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = pathStyle
		}),
		KMS: kms.NewFromConfig(cfg),
		STS: sts.NewFromConfig(cfg),
		Org: organizations.NewFromConfig(cfg),
	}
}
