package policy

import "testing"

// TestDefinitePartition follows reference-arns.html: the second part of an
// ARN is its partition; a wildcard or a policy variable there names none.
func TestDefinitePartition(t *testing.T) {
	for _, tc := range []struct {
		v, want string
		ok      bool
	}{
		{"arn:aws:s3:::bucket", "aws", true},
		{"arn:aws-cn:s3:::bucket/*", "aws-cn", true},
		{"arn:aws-us-gov:iam::123456789012:role/r", "aws-us-gov", true},
		{"arn:*:s3:::bucket", "", false},
		{"arn:aws?:s3:::bucket", "", false},
		{"arn:${aws:partition}:s3:::bucket", "", false},
		{"*", "", false},
		{"bucket", "", false},
		{UnknownValue("known after apply"), "", false},
	} {
		got, ok := DefinitePartition(tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("DefinitePartition(%q) = %q, %v; want %q, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRegionPartition: Region names by partition ("Regions and Availability
// Zones"); the aws partition and non-Region names give "".
func TestRegionPartition(t *testing.T) {
	for region, want := range map[string]string{
		"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		"us-isof-south-1": "aws-iso-f", "us-east-1": "", "eu-central-1": "", "": "", "china": "",
	} {
		if got := RegionPartition(region); got != want {
			t.Errorf("RegionPartition(%q) = %q, want %q", region, got, want)
		}
	}
}
