package live

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/policy"
)

const (
	acct      = "111122223333"
	roleARN   = "arn:aws:iam::111122223333:role/supermetrics-upload"
	keyARN    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	managedPA = "arn:aws:iam::111122223333:policy/SupermetricsS3"
	bucket    = "acme-exports"
)

const trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::043417694514:role/supermetrics-s3-role"},"Action":"sts:AssumeRole"}]}`

const inlineDoc = `{"Version":"2012-10-17","Statement":[{"Sid":"Put","Effect":"Allow",
 "Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::acme-exports/reports/*"}]}`

const managedDoc = `{"Version":"2012-10-17","Statement":[{"Sid":"Bucket","Effect":"Allow",
 "Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::acme-exports"},
 {"Sid":"Key","Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"` + keyARN + `"}]}`

const bucketDoc = `{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*",
 "Resource":["arn:aws:s3:::acme-exports","arn:aws:s3:::acme-exports/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

const keyDoc = `{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`

// world is an account with the vendor role, as the fakes serve it.
func world() (*fakeIAM, *fakeS3, *fakeKMS, *fakeSTS) {
	fi := &fakeIAM{
		roles: map[string]*iamtypes.Role{"supermetrics-upload": {
			Arn: aws.String(roleARN), RoleName: aws.String("supermetrics-upload"), RoleId: aws.String("AROAEXAMPLE"),
			AssumeRolePolicyDocument: aws.String(rfc3986(trustDoc)),
		}},
		rolePolicies: map[string]map[string]string{"supermetrics-upload": {"put": rfc3986(inlineDoc)}},
		roleAttached: map[string][]string{"supermetrics-upload": {managedPA}},
		managed:      map[string]string{managedPA: rfc3986(managedDoc)},
		errs:         map[string]error{},
	}
	fs := &fakeS3{policy: bucketDoc, location: "eu-west-1", errs: map[string]error{}}
	fk := &fakeKMS{meta: &kmstypes.KeyMetadata{Arn: aws.String(keyARN), KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab"),
		AWSAccountId: aws.String(acct), KeyManager: kmstypes.KeyManagerTypeCustomer}, policy: keyDoc, errs: map[string]error{}}
	st := &fakeSTS{arn: "arn:aws:iam::111122223333:user/auditor", account: acct}
	return fi, fs, fk, st
}

func roleSetup() config.Setup {
	return config.Setup{Bucket: bucket, Prefix: "reports/", RoleARN: roleARN, Auth: config.AuthRole}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name   string
		setup  func() config.Setup
		adjust func(*fakeIAM, *fakeS3, *fakeKMS, *fakeSTS)
		check  func(t *testing.T, s *Snapshot)
	}{
		{
			name: "role with inline and attached policies, URL-encoded",
			check: func(t *testing.T, s *Snapshot) {
				p := s.Principal
				if p == nil || p.ARN != roleARN || p.ID != "AROAEXAMPLE" || p.Account != acct || !p.Complete {
					t.Fatalf("principal = %+v", p)
				}
				if p.Trust == nil || p.Trust.File != "aws:iam:role/supermetrics-upload/trust" || len(p.Trust.Statements) != 1 {
					t.Fatalf("trust = %+v", p.Trust)
				}
				if len(p.Identity) != 2 {
					t.Fatalf("identity docs = %d, want 2", len(p.Identity))
				}
				in, mg := p.Identity[0], p.Identity[1]
				if in.File != "aws:iam:role/supermetrics-upload/inline/put" || in.Line != 1 || in.Statements[0].Sid != "Put" {
					t.Errorf("inline = %s:%d %+v", in.File, in.Line, in.Statements[0])
				}
				if mg.File != managedPA || mg.ARN != managedPA || mg.Kind != policy.Identity || len(mg.Statements) != 2 {
					t.Errorf("managed = %+v", mg)
				}
				if len(s.Input.Errors) != 0 {
					t.Errorf("errors = %v", s.Input.Errors)
				}
				if s.CallerARN != "arn:aws:iam::111122223333:user/auditor" {
					t.Errorf("caller = %q", s.CallerARN)
				}
			},
		},
		{
			name:   "no bucket policy is not an error",
			adjust: func(_ *fakeIAM, fs *fakeS3, _ *fakeKMS, _ *fakeSTS) { fs.policy = "" },
			check: func(t *testing.T, s *Snapshot) {
				if len(s.Input.Documents) != 0 || s.BucketPolicy != "" {
					t.Errorf("documents = %d, bucket policy %q", len(s.Input.Documents), s.BucketPolicy)
				}
				if len(s.Input.Errors) != 0 || len(s.Input.Unresolved) != 0 {
					t.Errorf("errors = %v, unresolved = %v", s.Input.Errors, s.Input.Unresolved)
				}
			},
		},
		{
			name: "bucket policy, location and region of later calls",
			check: func(t *testing.T, s *Snapshot) {
				if len(s.Input.Documents) != 1 || s.Input.Documents[0].Kind != policy.Bucket ||
					s.Input.Documents[0].File != "aws:s3:bucket/acme-exports/policy" {
					t.Fatalf("documents = %+v", s.Input.Documents)
				}
				if s.Bucket.Region != "eu-west-1" {
					t.Errorf("region = %q", s.Bucket.Region)
				}
			},
		},
		{
			name: "default encryption with a customer managed KMS key",
			adjust: func(_ *fakeIAM, fs *fakeS3, _ *fakeKMS, _ *fakeSTS) {
				fs.enc = &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
						SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)},
					BucketKeyEnabled: aws.Bool(true)}}}
			},
			check: func(t *testing.T, s *Snapshot) {
				b := s.Bucket
				if b.SSEAlgorithm != "aws:kms" || b.KMSMasterKeyID != keyARN || !b.BucketKeyEnabled {
					t.Errorf("bucket = %+v", b)
				}
				k := s.Key
				if k == nil || k.ARN != keyARN || k.Region != "eu-west-1" || k.KeyManager != "CUSTOMER" || k.Policy == nil {
					t.Fatalf("key = %+v", k)
				}
				if k.Policy.Kind != policy.Key || k.Policy.File != "aws:kms:key/1234abcd-12ab-34cd-56ef-1234567890ab/policy" {
					t.Errorf("key policy = %s %s", k.Policy.Kind, k.Policy.File)
				}
			},
		},
		{
			name:   "AES256 default encryption reads no key",
			adjust: aes256,
			check: func(t *testing.T, s *Snapshot) {
				if s.Key != nil || s.Bucket.SSEAlgorithm != "AES256" {
					t.Errorf("key = %+v, sse %q", s.Key, s.Bucket.SSEAlgorithm)
				}
			},
		},
		{
			name: "AccessDenied on GetBucketPolicy is an input error, the rest is read",
			adjust: func(_ *fakeIAM, fs *fakeS3, _ *fakeKMS, _ *fakeSTS) {
				fs.errs["GetBucketPolicy"] = apiErr("AccessDenied")
				aes256(nil, fs, nil, nil)
			},
			check: func(t *testing.T, s *Snapshot) {
				if len(s.Input.Errors) != 1 {
					t.Fatalf("errors = %v", s.Input.Errors)
				}
				e := s.Input.Errors[0]
				if e.File != "aws:s3:bucket/acme-exports/policy" || !strings.Contains(e.Message, "s3:GetBucketPolicy: AccessDenied") {
					t.Errorf("error = %+v", e)
				}
				if len(s.Input.Unresolved) != 1 {
					t.Errorf("unresolved = %v", s.Input.Unresolved)
				}
				if s.Bucket.SSEAlgorithm != "AES256" || len(s.Principal.Identity) != 2 {
					t.Errorf("the rest was not read: %+v", s.Bucket)
				}
			},
		},
		{
			name: "attached policy that cannot be read is missing, not silently absent",
			adjust: func(fi *fakeIAM, _ *fakeS3, _ *fakeKMS, _ *fakeSTS) {
				fi.errs["GetPolicyVersion"] = apiErr("AccessDenied")
			},
			check: func(t *testing.T, s *Snapshot) {
				p := s.Principal
				// The unreadable policy stays as an unknown document, so it can
				// neither grant nor be assumed not to deny.
				if len(p.MissingPolicies) != 1 || p.MissingPolicies[0] != managedPA || len(p.Identity) != 2 ||
					p.Identity[1].Unresolved == "" || p.Identity[1].File != managedPA {
					t.Errorf("missing = %v, identity = %d", p.MissingPolicies, len(p.Identity))
				}
				if len(s.Input.Errors) != 1 || !strings.Contains(s.Input.Errors[0].Message, "iam:GetPolicyVersion") {
					t.Errorf("errors = %v", s.Input.Errors)
				}
			},
		},
		{
			name: "user with inline, attached and group policies",
			setup: func() config.Setup {
				return config.Setup{Bucket: bucket, Prefix: "reports", Auth: config.AuthAccessKey, User: "sm-uploader"}
			},
			adjust: func(fi *fakeIAM, _ *fakeS3, _ *fakeKMS, _ *fakeSTS) {
				fi.users = map[string]*iamtypes.User{"sm-uploader": {Arn: aws.String("arn:aws:iam::111122223333:user/sm-uploader"),
					UserName: aws.String("sm-uploader"), UserId: aws.String("AIDAEXAMPLE")}}
				fi.userPolicies = map[string]map[string]string{"sm-uploader": {"put": rfc3986(inlineDoc)}}
				fi.userAttached = map[string][]string{"sm-uploader": {managedPA}}
				fi.userGroups = map[string][]string{"sm-uploader": {"exporters"}}
				fi.groupPolicies = map[string]map[string]string{"exporters": {"list": rfc3986(managedDoc)}}
				fi.groupAttached = map[string][]string{"exporters": {managedPA}} // same policy twice: read once
			},
			check: func(t *testing.T, s *Snapshot) {
				p := s.Principal
				if p.Type != "user" || p.ARN != "arn:aws:iam::111122223333:user/sm-uploader" || !p.Complete {
					t.Fatalf("principal = %+v", p)
				}
				var files []string
				for _, d := range p.Identity {
					files = append(files, d.File)
				}
				want := "aws:iam:user/sm-uploader/inline/put " + managedPA + " aws:iam:group/exporters/inline/list"
				if strings.Join(files, " ") != want {
					t.Errorf("identity files = %v, want %s", files, want)
				}
			},
		},
		{
			name: "role that does not exist",
			adjust: func(fi *fakeIAM, _ *fakeS3, _ *fakeKMS, _ *fakeSTS) {
				fi.roles = nil
			},
			check: func(t *testing.T, s *Snapshot) {
				if len(s.Input.Errors) != 1 || !strings.Contains(s.Input.Errors[0].Message, "iam:GetRole: NoSuchEntity") {
					t.Errorf("errors = %v", s.Input.Errors)
				}
				if s.Principal.Complete || s.Principal.Trust != nil {
					t.Errorf("principal = %+v", s.Principal)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fi, fs, fk, st := world()
			if tc.adjust != nil {
				tc.adjust(fi, fs, fk, st)
			}
			setup := roleSetup()
			if tc.setup != nil {
				setup = tc.setup()
			}
			snap, err := Read(context.Background(), Clients{IAM: fi, S3: fs, KMS: fk, STS: st}, setup)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, snap)
		})
	}
}

func aes256(_ *fakeIAM, fs *fakeS3, _ *fakeKMS, _ *fakeSTS) {
	fs.enc = &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
		ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}
}

func TestReadRegions(t *testing.T) {
	fi, fs, fk, st := world()
	if _, err := Read(context.Background(), Clients{IAM: fi, S3: fs, KMS: fk, STS: st}, roleSetup()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"GetBucketLocation": "us-east-1", "GetBucketPolicy": "eu-west-1", "GetBucketEncryption": "eu-west-1"}
	for op, r := range want {
		if fs.regions[op] != r {
			t.Errorf("%s sent to %q, want %q", op, fs.regions[op], r)
		}
	}
}

func TestReadFatal(t *testing.T) {
	tests := []struct {
		name   string
		setup  config.Setup
		adjust func(*fakeIAM, *fakeS3, *fakeSTS)
		want   string
	}{
		{"credentials rejected", roleSetup(), func(_ *fakeIAM, _ *fakeS3, st *fakeSTS) { st.err = apiErr("InvalidClientTokenId") },
			"credentials were rejected (InvalidClientTokenId"},
		{"no network", roleSetup(), func(_ *fakeIAM, _ *fakeS3, st *fakeSTS) { st.err = errors.New("dial tcp: connection refused") },
			"sts:GetCallerIdentity: dial tcp"},
		{"transport error mid-way stops", roleSetup(), func(fi *fakeIAM, _ *fakeS3, _ *fakeSTS) {
			fi.errs["ListRolePolicies"] = errors.New("connection reset")
		}, "iam:ListRolePolicies: connection reset"},
		{"role in another account", roleSetup(), func(_ *fakeIAM, _ *fakeS3, st *fakeSTS) { st.account = "444455556666" },
			"is in account 111122223333, but the credentials are for account 444455556666"},
		{"no role", config.Setup{Bucket: bucket}, nil, "--role-arn"},
		{"no user", config.Setup{Bucket: bucket, Auth: config.AuthAccessKey}, nil, "--user"},
		{"no bucket", config.Setup{RoleARN: roleARN}, nil, "--bucket"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fi, fs, fk, st := world()
			if tc.adjust != nil {
				tc.adjust(fi, fs, st)
			}
			_, err := Read(context.Background(), Clients{IAM: fi, S3: fs, KMS: fk, STS: st}, tc.setup)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
