package report

import (
	"testing"

	"github.com/smlint/smlint/internal/config"
)

func TestConcreteFix(t *testing.T) {
	full := config.Setup{Bucket: "acme-data", Prefix: "supermetrics/", Region: "eu-west-1"}
	for _, tc := range []struct {
		setup      config.Setup
		text, want string
	}{
		{full, "Allow s3:PutObject on arn:aws:s3:::BUCKET/PREFIX* in the\n  permission policy",
			"Allow s3:PutObject on arn:aws:s3:::acme-data/supermetrics/* in the permission policy"},
		{full, "on arn:aws:s3:::BUCKET (the bucket ARN, without /*), not BUCKET/*", "on arn:aws:s3:::acme-data (the bucket ARN, without /*), not acme-data/*"},
		{full, "s3.REGION.amazonaws.com and arn:aws:kms:REGION:ACCOUNT:key/KEY-ID", "s3.eu-west-1.amazonaws.com and arn:aws:kms:eu-west-1:ACCOUNT:key/KEY-ID"},
		// The whole bucket: an empty prefix.
		{config.Setup{Bucket: "b"}, "arn:aws:s3:::BUCKET/PREFIX*", "arn:aws:s3:::b/*"},
		// No setup: the placeholders stay, never "arn:aws:s3:::/*".
		{config.Setup{}, "arn:aws:s3:::BUCKET/PREFIX*", "arn:aws:s3:::BUCKET/PREFIX*"},
		// Whole words only.
		{full, "MY_BUCKET_NAME and BUCKETS", "MY_BUCKET_NAME and BUCKETS"},
	} {
		if got := concreteFix(tc.text, tc.setup); got != tc.want {
			t.Errorf("concreteFix(%q)\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}
