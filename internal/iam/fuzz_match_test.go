package iam

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMatchAction: the action matcher never panics, answers a valid Tri, is
// case-insensitive, and treats "*" and a wildcard-free pattern as documented
// (reference_policies_elements_action.html).
func FuzzMatchAction(f *testing.F) {
	for _, s := range [][2]string{
		{"s3:PutObject", "s3:PutObject"},
		{"s3:Put*", "s3:PutObjectAcl"},
		{"S3:pUtObJeCt", "s3:PutObject"},
		{"s3:?utObject", "s3:PutObject"},
		{"kms:*", "kms:GenerateDataKey"},
		{"*:*", "sts:AssumeRole"},
		{"s3:*Object*", "s3:DeleteObjectVersion"},
		{"${aws:username}", "s3:PutObject"},
		{strings.Repeat("*?", 64), strings.Repeat("a", 200)},
		{"İ", "i̇"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, action string) {
		got := MatchAction(pattern, action)
		if got != True && got != False && got != Maybe {
			t.Fatalf("invalid Tri %d", got)
		}
		if MatchAction("*", action) != True {
			t.Fatalf(`"*" must match %q`, action)
		}
		if isUnknown(pattern) || isUnknown(action) {
			if pattern != "*" && got != Maybe {
				t.Fatalf("unresolved input gave %v", got)
			}
			return
		}
		if got == Maybe {
			t.Fatalf("resolved %q %q gave Maybe", pattern, action)
		}
		if ActionMatches(pattern, action) != (got == True) {
			t.Fatal("ActionMatches disagrees with MatchAction")
		}
		if !strings.ContainsAny(pattern, "*?") {
			if MatchAction(pattern, pattern) != True {
				t.Fatalf("%q must match itself", pattern)
			}
			if MatchAction(strings.ToUpper(pattern), pattern) != MatchAction(pattern, strings.ToUpper(pattern)) {
				t.Fatalf("case folding is not symmetric for %q", pattern)
			}
		}
	})
}

// FuzzArnLike: the ArnLike/ArnEquals operator never panics, answers a valid
// Tri, and agrees with itself on the documented fixed points
// (reference_policies_elements_condition_operators.html).
func FuzzArnLike(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:iam::043417694514:role/supermetrics-s3-role", "arn:aws:iam::043417694514:role/supermetrics-s3-role"},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/x"},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b:c"},
		{"arn:aws:s3:*:*:b*", "arn:aws:s3:::b"},
		{"arn:*", "arn:aws:sts::1:assumed-role/r/s"},
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/\ufffe"},
		{"arn:aws:s3:::${aws:username}", "arn:aws:s3:::u"},
		{"arn:aws:iam::1:role/a*b:c", "arn:aws:iam::1:role/axb:c"},
		{"*", ""},
		{":::::", "arn:::::"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, value string) {
		got := ArnLike(pattern, value)
		if got != True && got != False && got != Maybe {
			t.Fatalf("invalid Tri %d", got)
		}
		if ArnLike("*", value) != True {
			t.Fatalf(`"*" must match %q`, value)
		}
		if isUnknown(pattern) || isUnknown(value) {
			if pattern != "*" && got != Maybe {
				t.Fatalf("unresolved input gave %v", got)
			}
			return
		}
		// A wildcard-free ARN matches itself (unless it ends in the AnyKey
		// sentinel, which stands for every key under a prefix).
		if !strings.ContainsAny(pattern, "*?") && !strings.HasSuffix(pattern, AnyKey) && ArnLike(pattern, pattern) != True {
			t.Fatalf("%q must match itself", pattern)
		}
		// ArnLike is case-sensitive: a wildcard-free pattern never matches
		// a value that differs from it. Only for valid UTF-8: the matcher
		// compares runes, so two different invalid bytes both read as
		// U+FFFD; policy text never holds them (tree.CheckText refuses
		// invalid UTF-8, also after URL decoding).
		if utf8.ValidString(pattern) && utf8.ValidString(value) && !strings.ContainsAny(pattern, "*?") && !strings.HasSuffix(value, AnyKey) && pattern != value && got != False {
			t.Fatalf("%q vs %q gave %v", pattern, value, got)
		}
	})
}
