package engine

import "testing"

func TestKnownAction(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"s3:PutObject", true},
		{"S3:putobject", true},
		{"s3:PutObjects", false},
		{"s3:Put*", true},
		{"s3:*", true},
		{"s3:Pu?Object", true},
		{"s3:Frobnicate*", false},
		{"kms:GenerateDataKey*", true},
		{"kms:GenerateDatakey", true},
		{"kms:GenerateDataKeys", false},
		{"sts:AssumeRole", true},
		{"sts:AssumeRoles", false},
		{"ec2:Whatever", true}, // not catalogued
		{"*", true},
	} {
		got, err := KnownAction(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("KnownAction(%q) = %v, want %v", tc.pattern, got, tc.want)
		}
	}
}

func TestCatalogueNamesAreUniqueAndSorted(t *testing.T) {
	c, err := actions()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"s3", "kms", "sts"} {
		names := c.Actions[svc]
		if len(names) == 0 {
			t.Fatalf("%s: no actions", svc)
		}
		for i := 1; i < len(names); i++ {
			if names[i-1] >= names[i] {
				t.Errorf("%s: %q before %q (keep the list sorted, without duplicates)", svc, names[i-1], names[i])
			}
		}
	}
	for _, must := range []string{"s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject", "kms:GenerateDataKey", "kms:Decrypt", "sts:AssumeRole"} {
		if ok, _ := KnownAction(must); !ok {
			t.Errorf("%s missing from the catalogue", must)
		}
	}
}

func TestClosestAction(t *testing.T) {
	for in, want := range map[string]string{
		"s3:PutObjects":    "s3:PutObject",
		"s3:ListBuckets":   "s3:ListBucket",
		"kms:GenerateData": "kms:GenerateDataKey",
		"s3:Zzzzzzzzzzzz":  "",
	} {
		got, err := ClosestAction(in)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("ClosestAction(%q) = %q, want %q", in, got, want)
		}
	}
}
