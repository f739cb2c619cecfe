package iam

import "testing"

// The vendor's file names are not known, so its upload target is every key
// under the prefix. Resource wildcards per reference_policies_elements_resource.html.
func TestMatchResourceAnyKey(t *testing.T) {
	target := "arn:aws:s3:::b/exports/" + AnyKey
	cases := []struct {
		pattern string
		want    Tri
	}{
		{"arn:aws:s3:::b/exports/*", True},
		{"arn:aws:s3:::b/*", True},
		{"arn:aws:s3:::*", True},
		{"*", True},
		{"arn:aws:s3:::b/exp*", True},
		{"arn:aws:s3:::b/exports/?*", True},
		{"arn:aws:s3:::b/exports/*?", True},
		{"arn:aws:s3:::b/*/*", True},            // "*" spans "exports"
		{"arn:aws:s3:::b/exports/*/*", Maybe},   // keys with a further "/" only
		{"arn:aws:s3:::b/exports/*.csv", Maybe}, // some file names
		{"arn:aws:s3:::b/exports/?", Maybe},     // one-character names only
		{"arn:aws:s3:::b/exports/", False},      // the folder object itself
		{"arn:aws:s3:::b/other/*", False},
		{"arn:aws:s3:::b", False}, // the bucket is not its objects
		{"arn:aws:s3:::c/exports/*", False},
		{"arn:aws:s3:::B/exports/*", False}, // case-sensitive
	}
	for _, c := range cases {
		if got := MatchResource(c.pattern, target); got != c.want {
			t.Errorf("MatchResource(%q, any key under b/exports/) = %v, want %v", c.pattern, got, c.want)
		}
	}
}
