package requestmodel

import (
	"reflect"
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// TestPlan: the request plan of the Supermetrics profile, for each method,
// with and without vendor ranges and SSE-KMS. Which verdict each step counts
// toward follows SPEC §4 (upload: assume-role, PutObject, GenerateDataKey;
// multipart adds Decrypt; the expected and optional calls count toward
// neither).
func TestPlan(t *testing.T) {
	p := Default()
	type row struct {
		id, on, src string
		counts      []string
	}
	both := []string{VerdictUpload, VerdictMultipart}
	tests := []struct {
		name string
		f    PlanFor
		want []row
	}{
		{"role method, no ranges, no KMS", PlanFor{RoleMethod: true}, []row{
			{"assume-role", OnRole, "", both},
			{"put-object", OnObject, "", both},
			{"list-bucket", OnBucket, "", nil},
			{"get-bucket-location", OnBucket, "", nil},
			{"delete-object", OnObject, "", nil},
		}},
		{"access key, two ranges, KMS", PlanFor{Ranges: []string{"198.51.100.0/24", "203.0.113.7/32"}, KMS: true}, []row{
			{"put-object", OnObject, "198.51.100.0/24", both},
			{"put-object", OnObject, "203.0.113.7/32", both},
			{"list-bucket", OnBucket, "198.51.100.0/24", nil},
			{"list-bucket", OnBucket, "203.0.113.7/32", nil},
			{"get-bucket-location", OnBucket, "198.51.100.0/24", nil},
			{"get-bucket-location", OnBucket, "203.0.113.7/32", nil},
			{"delete-object", OnObject, "198.51.100.0/24", nil},
			{"delete-object", OnObject, "203.0.113.7/32", nil},
			{"kms-generate-data-key", OnKey, "", both},
			{"kms-decrypt", OnKey, "", []string{VerdictMultipart}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			for _, s := range p.Plan(tt.f) {
				got = append(got, row{s.ID, s.On, s.SourceRange, s.Counts})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("plan\n got  %v\n want %v", got, tt.want)
			}
		})
	}
}

// TestUploadKeyRef: which key S3 uses for the upload (S3 "Using server-side
// encryption with AWS KMS keys"; the aws/s3 key needs no key-policy check).
func TestUploadKeyRef(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, tt := range []struct {
		configured, sse, id string
		ref, source         string
	}{
		{key, "AES256", "", key, "config"},
		{"", "aws:kms", key, key, "bucket-default"},
		{"", "aws:kms:dsse", "1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab", "bucket-default"},
		{"", "aws:kms", "", "", ""},
		{"", "aws:kms", "alias/aws/s3", "", ""},
		{"", "aws:kms", "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", "", ""},
		{"", "aws:kms", "alias/reports", "alias/reports", "bucket-default"},
		{"alias/aws/s3", "AES256", "", "", ""},
		{"arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", "aws:kms", key, "", ""},
		{"", "AES256", key, "", ""},
		// Not known (Terraform "known after apply"): the key is unknown, not absent.
		{"", policy.UnknownValue("known after apply: aws_s3_bucket_server_side_encryption_configuration.b"), "",
			policy.UnknownValue("the bucket's default encryption is not known (known after apply: aws_s3_bucket_server_side_encryption_configuration.b)"), "bucket-default"},
		{"", "aws:kms", policy.UnknownValue("known after apply: aws_kms_key.k.arn"), policy.UnknownValue("known after apply: aws_kms_key.k.arn"), "bucket-default"},
	} {
		ref, source := UploadKeyRef(tt.configured, tt.sse, tt.id)
		if ref != tt.ref || source != tt.source {
			t.Errorf("UploadKeyRef(%q, %q, %q) = %q, %q; want %q, %q", tt.configured, tt.sse, tt.id, ref, source, tt.ref, tt.source)
		}
	}
}
