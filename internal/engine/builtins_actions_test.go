package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/smlint/smlint/internal/awsdata"
	"github.com/smlint/smlint/internal/iam"
)

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

// Actions AWS uses in its own managed policies that the former hand-compiled
// list missed, and the upload path's actions, are all known
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
func TestKnownActionCoversTheReference(t *testing.T) {
	for _, must := range []string{"s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject",
		"s3:GetBucketAbac", "kms:GenerateDataKey", "kms:Decrypt", "sts:AssumeRole", "sts:TagGetWebIdentityToken",
		"iam:PassRole", "iam:Get*"} {
		if ok, err := KnownAction(must); err != nil || !ok {
			t.Errorf("KnownAction(%s) = %v, %v", must, ok, err)
		}
	}
	for _, typo := range []string{"iam:PassRoles", "iam:Frobnicate*", "sts:TagGetWebIdentityTokens"} {
		if ok, _ := KnownAction(typo); ok {
			t.Errorf("KnownAction(%s) = true", typo)
		}
	}
}

// A plain name is looked up, not matched: the answer must be the matcher's
// for every catalogued action in both cases, and for near misses.
func TestKnownActionPlainNamesAgreeWithTheMatcher(t *testing.T) {
	slow := func(pattern string) bool {
		svc, _, _ := strings.Cut(pattern, ":")
		for _, n := range awsdata.Actions(svc) {
			if iam.ActionMatches(pattern, svc+":"+n) {
				return true
			}
		}
		return false
	}
	var names []string
	for _, svc := range awsdata.Services() {
		for _, n := range awsdata.Actions(svc) {
			names = append(names, svc+":"+n, strings.ToUpper(svc+":"+n), svc+":"+n+"s", svc+":"+n[1:], svc+":"+n+":x")
		}
	}
	for _, p := range names {
		if got, _ := KnownAction(p); got != slow(p) {
			t.Errorf("KnownAction(%q) = %v, the matcher says %v", p, got, !got)
		}
	}
}

func TestClosestAction(t *testing.T) {
	for in, want := range map[string]string{
		"s3:PutObjects":    "s3:PutObject",
		"s3:ListBuckets":   "s3:ListBucket",
		"kms:GenerateData": "kms:GenerateDataKey",
		"s3:Zzzzzzzzzzzz":  "",
		"iam:PasRole":      "iam:PassRole",
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

// TestActionsMatchingBuiltin: the list builtin keeps the list's order and
// agrees with smlint.action_matches element by element
// (reference_policies_elements_action.html).
func TestActionsMatchingBuiltin(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  string
	}{
		{`x := smlint.actions_matching("s3:Put*", ["s3:GetObject", "s3:PutObject", "S3:PUTOBJECTACL", "iam:PassRole"])`, `["s3:PutObject","S3:PUTOBJECTACL"]`},
		{`x := smlint.actions_matching("*", ["a:b", 3, "c:d"])`, `["a:b","c:d"]`},
		{`x := smlint.actions_matching("iam:?assRole", ["iam:PassRole", "iam:PPassRole"])`, `["iam:PassRole"]`},
		{`x := smlint.actions_matching("kms:*", ["s3:PutObject"])`, `[]`},
	} {
		rs, err := rego.New(rego.Query(tc.query)).Eval(context.Background())
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v %v", tc.query, rs, err)
		}
		got, _ := json.Marshal(rs[0].Bindings["x"])
		if string(got) != tc.want {
			t.Errorf("%s = %s, want %s", tc.query, got, tc.want)
		}
	}
}
