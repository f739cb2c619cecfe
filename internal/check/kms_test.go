package check

import (
	"testing"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
)

// Grant constraints (KMS "Grants in AWS KMS"): EncryptionContextEquals needs
// exactly its pairs, EncryptionContextSubset at least them, each an exact,
// case-sensitive match. S3 sends {"aws:s3:arn": object ARN}, or the bucket
// ARN with Bucket Keys (bucket-key.html).
func TestConstraintHolds(t *testing.T) {
	obj := objectARN("b", "exports/")
	cases := []struct {
		name       string
		constraint string
		ctx        map[string]string
		sent       string
		want       iam.Tri
	}{
		{"none", "", nil, obj, iam.True},
		{"equals bucket ARN, object context", "EncryptionContextEquals", map[string]string{"aws:s3:arn": "arn:aws:s3:::b"}, obj, iam.False},
		{"equals bucket ARN, bucket key context", "EncryptionContextEquals", map[string]string{"aws:s3:arn": "arn:aws:s3:::b"}, "arn:aws:s3:::b", iam.True},
		{"subset bucket ARN, bucket key context", "EncryptionContextSubset", map[string]string{"aws:s3:arn": "arn:aws:s3:::b"}, "arn:aws:s3:::b", iam.True},
		{"case differs", "EncryptionContextSubset", map[string]string{"aws:s3:arn": "arn:aws:s3:::B"}, "arn:aws:s3:::b", iam.False},
		{"one object of the folder", "EncryptionContextEquals", map[string]string{"aws:s3:arn": "arn:aws:s3:::b/exports/report.csv"}, obj, iam.Maybe},
		{"pair S3 does not send", "EncryptionContextSubset", map[string]string{"aws:s3:arn": "arn:aws:s3:::b", "team": "data"}, "arn:aws:s3:::b", iam.False},
		{"equals with two pairs", "EncryptionContextEquals", map[string]string{"aws:s3:arn": "arn:aws:s3:::b", "team": "data"}, "arn:aws:s3:::b", iam.False},
	}
	for _, c := range cases {
		g := &load.GrantFacts{Constraint: c.constraint, Context: c.ctx}
		if got := constraintHolds(g, c.sent); got != c.want {
			t.Errorf("%s: constraintHolds = %v, want %v", c.name, got, c.want)
		}
	}
}

// A bare key id or an alias is resolved only through describe-key or
// list-aliases output (S3 "Specifying server-side encryption with AWS KMS").
func TestKMSForResolution(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	const arn = "arn:aws:kms:eu-west-1:111122223333:key/" + id
	caller := iam.Caller{Account: "111122223333"}
	enc := func(ref string) []*load.BucketFacts {
		return []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: ref}, {Name: "b", Region: "eu-west-1"}}
	}
	cases := []struct {
		name      string
		in        load.Input
		wantARN   string
		wantBy    string
		refused   string
		unresolve bool
	}{
		{"alias via list-aliases", load.Input{Buckets: enc("alias/up"), Aliases: []*load.AliasFacts{{Name: "alias/up", ARN: "arn:aws:kms:eu-west-1:111122223333:alias/up", TargetKeyID: id, Region: "eu-west-1", Account: "111122223333"}}}, arn, "list-aliases", "", false},
		{"alias of another account is not the requester's", load.Input{Buckets: enc("alias/up"), Aliases: []*load.AliasFacts{{Name: "alias/up", ARN: "arn:aws:kms:eu-west-1:444455556666:alias/up", TargetKeyID: id, Region: "eu-west-1", Account: "444455556666"}}}, "", "", "", true},
		{"alias ARN via list-aliases", load.Input{Buckets: enc("arn:aws:kms:eu-west-1:111122223333:alias/up"), Aliases: []*load.AliasFacts{{Name: "alias/up", ARN: "arn:aws:kms:eu-west-1:111122223333:alias/up", TargetKeyID: id, Region: "eu-west-1", Account: "111122223333"}}}, arn, "list-aliases", "", false},
		{"alias without list-aliases", load.Input{Buckets: enc("alias/up")}, "", "", "", true},
		{"bare id via describe-key", load.Input{Buckets: enc(id), Keys: []*load.KeyFacts{{ARN: arn, KeyID: id, KeyManager: "CUSTOMER", Region: "eu-west-1", Account: "111122223333"}}}, arn, "describe-key", "", false},
		{"key in another Region", load.Input{Buckets: enc("arn:aws:kms:us-east-1:111122223333:key/" + id)}, "arn:aws:kms:us-east-1:111122223333:key/" + id, "", "region", false},
		{"disabled key", load.Input{Buckets: enc(arn), Keys: []*load.KeyFacts{{ARN: arn, KeyID: id, KeyManager: "CUSTOMER", KeyState: "PendingDeletion"}}}, arn, "", "state", false},
	}
	for _, c := range cases {
		setup := configSetup("b")
		k := kmsFor(&c.in, &setup, caller)
		if c.unresolve {
			if k.unresolved == "" || !k.applies {
				t.Errorf("%s: want unresolved, got %+v", c.name, k)
			}
			continue
		}
		if k.unresolved != "" || k.keyARN != c.wantARN || k.resolvedBy != c.wantBy || k.refused != c.refused {
			t.Errorf("%s: got key %q by %q refused %q (%s), want %q by %q refused %q", c.name, k.keyARN, k.resolvedBy, k.refused, k.unresolved, c.wantARN, c.wantBy, c.refused)
		}
	}
}

func configSetup(bucket string) config.Setup { return config.Setup{Bucket: bucket} }
