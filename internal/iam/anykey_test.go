package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// The vendor's file names are not known, so its upload target is every file
// name directly in the folder (SPEC §1 "Upload key space": PREFIX<name>, no
// further "/"). Resource wildcards per reference_policies_elements_resource.html:
// '*' and '?' match any character within a segment, '/' included ("b/*/test/*"
// matches "b/1/2/test/3/object.jpg" but not "b/test/object.jpg"), and '/' has
// no other meaning.
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
		{"arn:aws:s3:::b/*/*", True},                        // "*" spans "exports"
		{"arn:aws:s3:::b/exports/*/*", False},               // keys with a further "/" only: a sub-folder
		{"arn:aws:s3:::b/exports/*/x", False},               // a file in some sub-folder
		{"arn:aws:s3:::b/exports/sub/*", False},             // one sub-folder
		{"arn:aws:s3:::b/exports/${aws:username}/*", False}, // literal under Version 2008-10-17
		{"arn:aws:s3:::b/exports*/x", Maybe},                // "*" may be empty: covers the file "x"
		{"arn:aws:s3:::b/exports/*x", Maybe},                // names ending in "x"
		{"arn:aws:s3:::b/*/*.csv", Maybe},                   // "*" spans "exports", then .csv names
		{"arn:aws:s3:::b/e*/*", True},                       // "e*" spans "exports"
		{"arn:aws:s3:::b/*/*/*", False},                     // at least two "/" after the bucket: deeper than the folder
		{"arn:aws:s3:::b/*xports/*", True},
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

// S3 sends the object ARN as the SSE-KMS encryption context aws:s3:arn
// (UsingKMSEncryption.html, "Encryption context"); for the vendor's upload
// that ARN ends in an unknown file name directly in the folder. String
// operators compare case-sensitively, StringLike with '*' and '?'
// (reference_policies_elements_condition_operators.html).
func TestConditionOnAnyKeyValue(t *testing.T) {
	ctx := Context{"kms:encryptioncontext:aws:s3:arn": {State: Present, Values: []string{"arn:aws:s3:::b/exports/" + AnyKey}}}
	cases := []struct {
		op, val string
		want    Tri
	}{
		{"StringLike", "arn:aws:s3:::b/exports/*", True},
		{"StringLike", "arn:aws:s3:::b/*", True},
		{"StringLike", "arn:aws:s3:::b/exports/*.csv", Maybe},
		{"StringLike", "arn:aws:s3:::b/exports/*/*", False},
		{"StringLike", "arn:aws:s3:::B/exports/*", False},
		{"StringNotLike", "arn:aws:s3:::b/exports/*", False},
		{"StringNotLike", "arn:aws:s3:::b/exports/*.csv", Maybe},
		{"StringEquals", "arn:aws:s3:::b/exports/*", Maybe}, // equals the one object named "*"
		{"StringEquals", "arn:aws:s3:::b/exports/", False},
		{"StringEquals", "arn:aws:s3:::b/other/x", False},
		{"StringEqualsIgnoreCase", "arn:aws:s3:::B/EXPORTS/report.csv", Maybe},
		{"ArnLike", "arn:aws:s3:::b/exports/*", True},
		{"ArnLike", "arn:aws:s3:::b/exports/sub/*", False},
	}
	for _, c := range cases {
		got, _ := EvalCondition(policy.Condition{Operator: c.op, Key: "kms:EncryptionContext:aws:s3:arn", Values: []string{c.val}}, ctx, policy.Version2012, policy.Allow)
		if got != c.want {
			t.Errorf("%s %q on any object under b/exports/ = %v, want %v", c.op, c.val, got, c.want)
		}
	}
}

// Grant constraints: "an exact, case-sensitive match" (KMS "Grants in AWS KMS").
func TestValueEquals(t *testing.T) {
	obj := "arn:aws:s3:::b/exports/" + AnyKey
	cases := []struct {
		lit, req string
		want     Tri
	}{
		{"arn:aws:s3:::b", "arn:aws:s3:::b", True},
		{"arn:aws:s3:::B", "arn:aws:s3:::b", False},
		{"arn:aws:s3:::b/exports/report.csv", obj, Maybe},
		{"arn:aws:s3:::b/exports/*", obj, Maybe}, // literal: the one object named "*"
		{"arn:aws:s3:::b/exports/", obj, False},
		{"arn:aws:s3:::b/exports/sub/x", obj, False},
		{"arn:aws:s3:::b", obj, False},
	}
	for _, c := range cases {
		if got := ValueEquals(c.lit, c.req); got != c.want {
			t.Errorf("ValueEquals(%q, %q) = %v, want %v", c.lit, c.req, got, c.want)
		}
	}
}
