package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// reference_policies_elements_resource.html
func TestMatchResource(t *testing.T) {
	cases := []struct {
		name         string
		pattern, arn string
		want         Tri
	}{
		{"star matches everything", "*", "arn:aws:s3:::b/k", True},
		{"star matches non-ARN", "*", "anything", True},
		{"bucket ARN exact", "arn:aws:s3:::b", "arn:aws:s3:::b", True},
		{"bucket ARN does not match objects", "arn:aws:s3:::b", "arn:aws:s3:::b/k", False},
		{"objects pattern does not match bucket", "arn:aws:s3:::b/*", "arn:aws:s3:::b", False},
		{"objects pattern matches object", "arn:aws:s3:::b/*", "arn:aws:s3:::b/p/file.csv", True},
		{"prefix pattern", "arn:aws:s3:::b/p/*", "arn:aws:s3:::b/p/file.csv", True},
		{"prefix pattern other prefix", "arn:aws:s3:::b/p/*", "arn:aws:s3:::b/q/file.csv", False},
		{"all buckets arn:aws:s3:::*", "arn:aws:s3:::*", "arn:aws:s3:::b", True},
		{"all buckets matches objects", "arn:aws:s3:::*", "arn:aws:s3:::b/k", True},
		{"case-sensitive bucket", "arn:aws:s3:::B/*", "arn:aws:s3:::b/k", False},
		{"case-sensitive key", "arn:aws:s3:::b/Data/*", "arn:aws:s3:::b/data/x", False},
		// "The asterisk (*) character can expand to replace everything within
		// a segment, including characters like a forward slash (/)":
		// B/*/test/* matches B/1/2/test/3/object.jpg, B//test/object.jpg,
		// B/1/test/ but not B/test/object.jpg or B/1-test/object.jpg.
		{"slash not special 1", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/2/test/3/object.jpg", True},
		{"slash not special 2", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B//test/object.jpg", True},
		{"slash not special 3", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/test/", True},
		{"slash not special 4", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/test/object.jpg", False},
		{"slash not special 5", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1-test/object.jpg", False},
		// "If the * wildcard is the last character of a resource ARN segment,
		// it can expand to match beyond the colon boundaries."
		{"trailing star spans colons", "arn:aws:s3:*", "arn:aws:s3:::b/k", True},
		{"trailing star in region spans", "arn:aws:kms:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", True},
		{"mid-segment star stays in segment", "arn:aws:kms:eu*1:111122223333:key/abc", "arn:aws:kms:eu-west-1:111122223333:key/abc", True},
		{"mid-segment star does not span colon", "arn:aws:kms:e*t:111122223333:key/abc", "arn:aws:kms:eu-west-1:111122223333:key/abc", False},
		{"question mark in account", "arn:aws:kms:eu-west-1:11112222333?:key/abc", "arn:aws:kms:eu-west-1:111122223333:key/abc", True},
		{"question mark does not match colon", "arn:aws:s3:?::b", "arn:aws:s3:::b", False},
		{"other partition", "arn:aws-cn:s3:::b/*", "arn:aws:s3:::b/k", False},
		{"object key with colon trailing star", "arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b", True},
		{"object key with colon, mid star: undocumented", "arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a:c/x", Maybe},
		{"unresolved pattern", policy.UnknownValue("aws_s3_bucket.b.arn"), "arn:aws:s3:::b", Maybe},
		{"unresolved pattern spliced", "arn:aws:s3:::" + policy.UnknownValue("bucket") + "/*", "arn:aws:s3:::b/k", Maybe},
		{"unresolved resource", "arn:aws:s3:::b/*", policy.UnknownValue("r"), Maybe},
		{"empty pattern", "", "arn:aws:s3:::b", False},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MatchResource(c.pattern, c.arn); got != c.want {
				t.Errorf("MatchResource(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
			}
		})
	}
}

// reference_policies_elements_condition_operators.html: ArnLike is
// case-sensitive and checks each of the six components separately, unlike
// StringLike whose '*' spans everything.
func TestArnLikeVersusStringLike(t *testing.T) {
	pattern := "arn:aws:iam::*:role/x"
	value := "arn:aws:iam::1:2:role/x" // account component "1", resource "2:role/x"
	if got := ArnLike(pattern, value); got != Maybe {
		t.Errorf("ArnLike(%q, %q) = %v, want maybe (component-wise: no; Resource-style trailing star: yes)", pattern, value, got)
	}
	if !globMatch(plain(pattern), value, false) {
		t.Errorf("StringLike(%q, %q) should match", pattern, value)
	}
	if got := ArnLike("arn:aws:iam::043417694514:role/*", "arn:aws:iam::043417694514:role/supermetrics-s3-role"); got != True {
		t.Errorf("ArnLike role wildcard = %v, want true", got)
	}
	if got := ArnLike("arn:aws:iam::043417694514:role/SUPERMETRICS-s3-role", "arn:aws:iam::043417694514:role/supermetrics-s3-role"); got != False {
		t.Errorf("ArnLike is case-sensitive, got %v", got)
	}
}
