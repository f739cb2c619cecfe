package requestmodel

import (
	"slices"
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// The request plan: every call the vendor makes in one setup, on which kind
// of resource, from which source range, and which verdict it counts toward.
// check evaluates the plan statically and simulate cross-checks the same
// plan with IAM's simulator, so the two can never ask different questions.

// Verdicts a step can count toward (SPEC §4: upload is a single-part
// PutObject with the assume-role step and kms:GenerateDataKey where SSE-KMS
// applies; multipart_upload adds kms:Decrypt).
const (
	VerdictUpload    = "upload"
	VerdictMultipart = "multipart"
)

// Resource kinds a step acts on.
const (
	OnRole   = "role"   // the customer role (sts:AssumeRole)
	OnObject = "object" // every key directly under the upload folder
	OnBucket = "bucket" // the bucket ARN
	OnKey    = "key"    // the KMS key S3 uses for the upload
)

// AssumeRoleID is the id of the assume-role step.
const AssumeRoleID = "assume-role"

// Step is one request of the plan.
type Step struct {
	ID     string // stable request id ("put-object"), read by rules
	Action string // IAM action
	On     string // OnRole | OnObject | OnBucket | OnKey
	Need   string // required | expected | optional | upload | multipart
	// SourceRange is the vendor range the request comes from ("" when no
	// ranges are configured). KMS steps have none: S3 calls KMS from its
	// own address.
	SourceRange string
	// Counts lists the verdicts the step's decision counts toward.
	Counts []string
}

// CountsToward reports whether the step counts toward verdict v.
func (s Step) CountsToward(v string) bool { return slices.Contains(s.Counts, v) }

// PlanFor says what shapes the plan: the method, the configured vendor
// ranges, and whether SSE-KMS applies to the upload.
type PlanFor struct {
	RoleMethod bool
	Ranges     []string // none: one step per call with SourceRange ""
	KMS        bool
}

// counts maps a call's need to the verdicts it decides: what the upload
// needs counts toward both, what only multipart needs toward multipart,
// what is expected or optional toward neither (it is reported, not a
// refusal of the upload).
func counts(need string) []string {
	switch need {
	case "required", "upload":
		return []string{VerdictUpload, VerdictMultipart}
	case "multipart":
		return []string{VerdictMultipart}
	}
	return nil
}

// Plan is the request plan of the profile for one setup, in the order the
// report lists requests: assume-role per range (role method), each S3 call
// per range, then the KMS calls.
func (p *Profile) Plan(f PlanFor) []Step {
	ranges := f.Ranges
	if len(ranges) == 0 {
		ranges = []string{""}
	}
	var out []Step
	if f.RoleMethod {
		for _, r := range ranges {
			out = append(out, Step{ID: AssumeRoleID, Action: p.AssumeAction, On: OnRole, Need: "required", SourceRange: r, Counts: counts("required")})
		}
	}
	for _, c := range p.Calls {
		on := OnBucket
		if c.On == "object" {
			on = OnObject
		}
		for _, r := range ranges {
			out = append(out, Step{ID: c.ID, Action: c.Action, On: on, Need: c.Need, SourceRange: r, Counts: counts(c.Need)})
		}
	}
	if f.KMS {
		for _, c := range p.KMSCalls {
			out = append(out, Step{ID: c.ID, Action: c.Action, On: OnKey, Need: c.Need, Counts: counts(c.Need)})
		}
	}
	return out
}

// UploadKeyRef is the KMS key S3 uses for the vendor's uploads, as the
// setup or the bucket names it: the configured key (the upload then sends
// it in its headers), else the bucket's default encryption key when that is
// SSE-KMS with a customer managed key. "" when no customer managed key
// applies: no key id, or the AWS managed aws/s3 key, whose key policy lets
// every principal of the account use it through S3 (S3 "Using server-side
// encryption with AWS KMS keys"). source is "config" or "bucket-default".
func UploadKeyRef(configured, sseAlgorithm, masterKeyID string) (ref, source string) {
	if configured != "" {
		if IsAWSManagedS3Key(configured) {
			return "", "" // the aws/s3 key needs no key-policy check, configured or not
		}
		return configured, "config"
	}
	// Default encryption that is not known (a Terraform value known after
	// apply, a read that failed) may be SSE-KMS with a customer managed key:
	// the key is then unknown, never "no key".
	if policy.IsUnknown(sseAlgorithm) {
		return policy.UnknownValue("the bucket's default encryption is not known (" + policy.UnknownReason(sseAlgorithm) + ")"), "bucket-default"
	}
	if strings.HasPrefix(sseAlgorithm, "aws:kms") && policy.IsUnknown(masterKeyID) {
		return masterKeyID, "bucket-default"
	}
	if !strings.HasPrefix(sseAlgorithm, "aws:kms") || masterKeyID == "" || IsAWSManagedS3Key(masterKeyID) {
		return "", ""
	}
	return masterKeyID, "bucket-default"
}

// IsAWSManagedS3Key reports whether ref names the AWS managed key aws/s3 by
// its alias name or alias ARN.
func IsAWSManagedS3Key(ref string) bool {
	return ref == "alias/aws/s3" || strings.HasSuffix(ref, ":alias/aws/s3")
}
