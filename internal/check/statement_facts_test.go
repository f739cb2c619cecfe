package check

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

func factsOf(t *testing.T, setup config.Setup, st policy.Statement) ruleinput.StatementFacts {
	t.Helper()
	if st.Effect == "" {
		st.Effect = policy.Allow
	}
	return newFactSource(&setup, requestmodel.Default()).facts(&st, false)
}

// same compares two fact lists; the input never holds nil lists, and a
// case wanting none writes nil.
func same[T any](got, want []T) bool {
	if len(want) == 0 {
		return got != nil && len(got) == 0
	}
	return reflect.DeepEqual(got, want)
}

func reach(res, r string) ruleinput.S3Reach { return ruleinput.S3Reach{Resource: res, Reaches: r} }

func part(res, p string) ruleinput.PartitionOf {
	return ruleinput.PartitionOf{Resource: res, Partition: p}
}

var destination = config.Setup{Bucket: "acme-data", Prefix: "supermetrics/"}

// Action patterns follow reference_policies_elements_action.html: the
// service prefix and name are case-insensitive, * and ? match anywhere in
// the name, NotAction lists what is not granted.
func TestStatementFactsBeyondNeed(t *testing.T) {
	s3Star := []string{"s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock"}
	cases := []struct {
		name    string
		actions []string
		beyond  []ruleinput.ActionExamples
		reads   []ruleinput.ActionExamples
	}{
		{"s3 star", []string{"s3:*"}, []ruleinput.ActionExamples{{Action: "s3:*", Examples: s3Star}}, nil},
		{"everything", []string{"*"}, []ruleinput.ActionExamples{{Action: "*", Examples: beyondNeedProbes}}, nil},
		{"service and name wildcards", []string{"*:*"}, []ruleinput.ActionExamples{{Action: "*:*", Examples: beyondNeedProbes}}, nil},
		{"put wildcard reaches ACLs and bucket policy", []string{"s3:Put*"},
			[]ruleinput.ActionExamples{{Action: "s3:Put*", Examples: []string{"s3:PutBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock"}}}, nil},
		{"object wildcard in the middle", []string{"s3:*Object*"},
			[]ruleinput.ActionExamples{{Action: "s3:*Object*", Examples: []string{"s3:PutObjectAcl"}}}, nil},
		{"one extra action names only itself, case aside", []string{"IAM:passrole"},
			[]ruleinput.ActionExamples{{Action: "IAM:passrole", Examples: []string{"iam:PassRole"}, OnlyItself: true}}, nil},
		{"sorted and once each", []string{"s3:PutObjectAcl", "iam:PassRole", "s3:PutObjectAcl"},
			[]ruleinput.ActionExamples{{Action: "iam:PassRole", Examples: []string{"iam:PassRole"}, OnlyItself: true}, {Action: "s3:PutObjectAcl", Examples: []string{"s3:PutObjectAcl"}, OnlyItself: true}}, nil},
		{"get wildcard only reads", []string{"s3:Get*"}, nil,
			[]ruleinput.ActionExamples{{Action: "s3:Get*", Examples: []string{"s3:GetObject", "s3:GetObjectVersion"}}}},
		{"one read", []string{"s3:GetObject"}, nil,
			[]ruleinput.ActionExamples{{Action: "s3:GetObject", Examples: []string{"s3:GetObject"}, OnlyItself: true}}},
		{"question mark", []string{"s3:GetObject?ersion"}, nil,
			[]ruleinput.ActionExamples{{Action: "s3:GetObject?ersion", Examples: []string{"s3:GetObjectVersion"}, OnlyItself: false}}},
		// Near misses: exactly what the vendor calls, in any case, narrow
		// wildcards, and actions outside every probe.
		{"the needed actions", []string{"s3:PutObject", "S3:deleteobject", "s3:ListBucket", "s3:GetBucketLocation", "kms:GenerateDataKey", "kms:Decrypt"}, nil, nil},
		{"list wildcard", []string{"s3:List*"}, nil, nil},
		{"kms data-key wildcard", []string{"kms:GenerateDataKey*"}, nil, nil},
		{"typo grants nothing beyond", []string{"s3:PutObjects"}, nil, nil},
		{"unknown value", []string{policy.UnknownValue("known after apply")}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := factsOf(t, destination, policy.Statement{Action: c.actions, Resource: []string{"arn:aws:s3:::acme-data/supermetrics/*"}})
			if !same(f.BeyondNeed, c.beyond) {
				t.Errorf("beyond need = %+v, want %+v", f.BeyondNeed, c.beyond)
			}
			if !same(f.ExtraReads, c.reads) {
				t.Errorf("extra reads = %+v, want %+v", f.ExtraReads, c.reads)
			}
		})
	}
}

// NotAction grants everything else: action-too-broad reports the element
// itself, so no per-pattern facts come from it.
func TestStatementFactsNotActionHasNoBeyondNeed(t *testing.T) {
	f := factsOf(t, destination, policy.Statement{NotAction: []string{"iam:*"}, Resource: []string{"*"}})
	if len(f.BeyondNeed) > 0 || len(f.ExtraReads) > 0 {
		t.Errorf("NotAction gave beyond %+v, reads %+v", f.BeyondNeed, f.ExtraReads)
	}
	if !f.GrantsS3 {
		t.Error("an Allow with NotAction grants S3 actions")
	}
}

// Action names of the Service Authorization Reference
// (reference_policies_actions-resources-contextkeys.html), matched without
// regard to case; services the table does not hold are not judged.
func TestStatementFactsUnknownActions(t *testing.T) {
	cases := []struct {
		name      string
		action    []string
		notAction []string
		unknown   []ruleinput.UnknownAction
	}{
		{"typo with closest name", []string{"s3:PutObjects"}, nil, []ruleinput.UnknownAction{{Action: "s3:PutObjects", Closest: "s3:PutObject"}}},
		{"iam typo", []string{"iam:PassRoles"}, nil, []ruleinput.UnknownAction{{Action: "iam:PassRoles", Closest: "iam:PassRole"}}},
		{"wildcard matching nothing has no closest name", []string{"kms:Frobnicate*"}, nil, []ruleinput.UnknownAction{{Action: "kms:Frobnicate*", Wildcard: true}}},
		{"in NotAction too, once each", []string{"sts:AssumeRol"}, []string{"sts:AssumeRol", "s3:GetObjectz"},
			[]ruleinput.UnknownAction{{Action: "sts:AssumeRol", Closest: "sts:AssumeRole"}, {Action: "s3:GetObjectz", Closest: "s3:GetObject"}}},
		{"nothing close", []string{"s3:Xyzzyplugh"}, nil, []ruleinput.UnknownAction{{Action: "s3:Xyzzyplugh"}}},
		// Near misses.
		{"real actions in any case", []string{"s3:PutObject", "S3:PUTOBJECT", "kms:GenerateDataKey*", "s3:*Object*", "sts:AssumeRole"}, nil, nil},
		{"actions AWS's managed policies use", []string{"s3:GetBucketAbac", "sts:TagGetWebIdentityToken", "iam:Get*"}, nil, nil},
		{"uncatalogued services and the whole wildcard", []string{"ec2:NotCatalogued", "*", "*:*", "s3"}, nil, nil},
		{"unknown value", []string{policy.UnknownValue("known after apply")}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := factsOf(t, destination, policy.Statement{Action: c.action, NotAction: c.notAction})
			if !same(f.UnknownActions, c.unknown) {
				t.Errorf("unknown = %+v, want %+v", f.UnknownActions, c.unknown)
			}
		})
	}
}

// S3 reach: a Resource reaches past the destination when it matches an ARN
// just outside it (reference_policies_elements_resource.html: wildcards
// within segments, case-sensitive).
func TestStatementFactsS3BeyondDestination(t *testing.T) {
	cases := []struct {
		name     string
		setup    config.Setup
		effect   policy.Effect
		actions  []string
		resource []string
		grants   bool
		reach    []ruleinput.S3Reach
	}{
		{"star", destination, policy.Allow, []string{"s3:PutObject"}, []string{"*"}, true, []ruleinput.S3Reach{reach("*", "other_buckets")}},
		{"every bucket", destination, policy.Allow, []string{"s3:PutObject"}, []string{"arn:aws:s3:::*"}, true, []ruleinput.S3Reach{reach("arn:aws:s3:::*", "other_buckets")}},
		{"whole bucket under a prefix", destination, policy.Allow, []string{"s3:Put*"}, []string{"arn:aws:s3:::acme-data/*"}, true, []ruleinput.S3Reach{reach("arn:aws:s3:::acme-data/*", "outside_prefix")}},
		{"bucket name wildcard reaches other buckets", destination, policy.Allow, []string{"s3:PutObject"}, []string{"arn:aws:s3:::acme-data*"}, true, []ruleinput.S3Reach{reach("arn:aws:s3:::acme-data*", "other_buckets")}},
		{"service wildcard", destination, policy.Allow, []string{"s?:Get*"}, []string{"*"}, true, []ruleinput.S3Reach{reach("*", "other_buckets")}},
		{"service prefix in any case", destination, policy.Allow, []string{"S3:GetObject"}, []string{"*"}, true, []ruleinput.S3Reach{reach("*", "other_buckets")}},
		{"one finding per resource, once", destination, policy.Allow, []string{"s3:PutObject"}, []string{"*", "arn:aws:s3:::acme-data/*", "*"}, true,
			[]ruleinput.S3Reach{reach("*", "other_buckets"), reach("arn:aws:s3:::acme-data/*", "outside_prefix")}},
		// Near misses.
		{"exact destination", destination, policy.Allow, []string{"s3:PutObject", "s3:ListBucket"}, []string{"arn:aws:s3:::acme-data/supermetrics/*", "arn:aws:s3:::acme-data"}, true, nil},
		{"whole bucket without a prefix", config.Setup{Bucket: "acme-data"}, policy.Allow, []string{"s3:PutObject"}, []string{"arn:aws:s3:::acme-data/*"}, true, nil},
		{"no bucket configured", config.Setup{}, policy.Allow, []string{"s3:PutObject"}, []string{"*"}, true, nil},
		{"account-level actions take star", destination, policy.Allow, []string{"s3:ListAllMyBuckets", "S3:GetAccountPublicAccessBlock"}, []string{"*"}, true, nil},
		{"kms on star", destination, policy.Allow, []string{"kms:GenerateDataKey"}, []string{"*"}, false, nil},
		{"deny", destination, policy.Deny, []string{"s3:*"}, []string{"*"}, false, nil},
		{"no colon is no S3 pattern", destination, policy.Allow, []string{"s3*"}, []string{"*"}, false, nil},
		{"two colons is no S3 pattern", destination, policy.Allow, []string{"s3:Get:Object"}, []string{"*"}, false, nil},
		// IAM has only * and ? as wildcards: "[s]3" is no service prefix
		// matching s3 (the former Rego glob.match read it as a class).
		{"glob class is literal", destination, policy.Allow, []string{"[s]3:Get*"}, []string{"*"}, false, nil},
		{"unknown resource", destination, policy.Allow, []string{"s3:PutObject"}, []string{policy.UnknownValue("known after apply")}, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := factsOf(t, c.setup, policy.Statement{Effect: c.effect, Action: c.actions, Resource: c.resource})
			if f.GrantsS3 != c.grants {
				t.Errorf("grants S3 = %v, want %v", f.GrantsS3, c.grants)
			}
			if !same(f.S3BeyondDestination, c.reach) {
				t.Errorf("beyond destination = %+v, want %+v", f.S3BeyondDestination, c.reach)
			}
		})
	}
}

// The partition is an ARN's second field (reference-arns.html).
func TestStatementFactsForeignPartition(t *testing.T) {
	cases := []struct {
		name     string
		resource []string
		foreign  []ruleinput.PartitionOf
	}{
		{"china", []string{"arn:aws-cn:s3:::b/*"}, []ruleinput.PartitionOf{part("arn:aws-cn:s3:::b/*", "aws-cn")}},
		{"govcloud and iso, once each", []string{"arn:aws-us-gov:s3:::x", "arn:aws-iso:kms:us-iso-east-1:1:key/x", "arn:aws-us-gov:s3:::x"},
			[]ruleinput.PartitionOf{part("arn:aws-us-gov:s3:::x", "aws-us-gov"), part("arn:aws-iso:kms:us-iso-east-1:1:key/x", "aws-iso")}},
		// Near misses.
		{"commercial", []string{"arn:aws:s3:::b/*"}, nil},
		{"wildcard partition", []string{"arn:*:s3:::b/*", "arn:aws?cn:s3:::b"}, nil},
		{"variable partition", []string{"arn:${aws:partition}:s3:::b/*"}, nil},
		{"another partition inside the resource", []string{"arn:aws:s3:::b/arn:aws-cn:x"}, nil},
		{"not an ARN", []string{"*", "notanarn"}, nil},
		{"unknown value", []string{policy.UnknownValue("known after apply")}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := factsOf(t, destination, policy.Statement{Action: []string{"s3:PutObject"}, Resource: c.resource})
			if !same(f.ForeignPartition, c.foreign) {
				t.Errorf("foreign partition = %+v, want %+v", f.ForeignPartition, c.foreign)
			}
		})
	}
}

// patternMatches and actionPattern.matches take shortcuts around the
// matcher (the first character, the service prefix, plain names), on names
// they do not fold: they must give iam.ActionMatches's answer for plain
// names, service-literal wildcards, service wildcards, case (ASCII and
// not) and unresolved values.
func TestActionMatchesAgreesWithTheMatcher(t *testing.T) {
	patterns := []string{"*", "s3:*", "S3:PUT*", "s3:PutObject", "s3:putobject", "s3:PutObjects", "s3:*Object*",
		"s?:Get*", "*:*", "*3:Get*", "s3*", "s3:Get:Object", "iam:Pass?ole", "IAM:*", "kms:Decrypt", "ec2:*",
		"s3:", ":", "", "sts:*Role", policy.UnknownValue("known after apply"), "s3:\uFFFF*", "İAM:*", "s3:GetÖbject", "\xffs3:*"}
	actions := append(append([]string{"s3:GetObject", "S3:GETOBJECT", "s3:Get:Object", "s3", "s3x:GetObject", "ec2:RunInstances",
		"\uFFFFunknown:x", "iam:PassRole", "s3:getöbject", "\xffS3:x"}, beyondNeedProbes...), readProbes...)
	for _, p := range patterns {
		for _, a := range actions {
			want := iam.ActionMatches(p, a)
			if got := patternMatches(p, newProbeAction(a)); got != want {
				t.Errorf("patternMatches(%q, %q) = %v, iam.ActionMatches says %v", p, a, got, want)
			}
			if got := parseActionPattern(p).matches(newProbeAction(a)); got != want {
				t.Errorf("parseActionPattern(%q).matches(%q) = %v, iam.ActionMatches says %v", p, a, got, want)
			}
		}
	}
}

// TestSameActionFoldsAsToLower: sameAction agrees with comparing
// strings.ToLower copies (how internal/iam folds) on ASCII names, case
// variants, different lengths and non-ASCII text (the Kelvin sign folds
// to k under ToLower, the dotted capital I to a two-rune lowercase).
func TestSameActionFoldsAsToLower(t *testing.T) {
	words := []string{"", "s3", "S3", "s3:GetObject", "S3:getobject", "s3:GetObjects", "s3:GetObjecT", "kms:Decrypt",
		"s3:Get@Object", "s3:Get[Object", "s3:get`object", "\u212a", "k", "K", "\u0130", "i\u0307", "i", "s3:\u212aey", "s3:key",
		"s3:GetObject\u00e9", "s3:GetObject\u00c9", "\xff", "\xfe"}
	for _, a := range words {
		for _, b := range words {
			if got, want := sameAction(a, b), strings.ToLower(a) == strings.ToLower(b); got != want { //nolint:staticcheck // SA6005: the ToLower comparison is the reference
				t.Errorf("sameAction(%q, %q) = %v, ToLower comparison %v", a, b, got, want)
			}
		}
	}
}

// The assume-action facts of trust statements: an Action entry grants
// sts:AssumeRole by the IAM matcher (case-insensitive, wildcards); a
// NotAction covers it unless it lists it
// (reference_policies_elements_notaction.html); other trust actions a
// broad entry also grants are listed in order.
func TestAssumeFacts(t *testing.T) {
	fs := newFactSource(&config.Setup{}, requestmodel.Default())
	for _, tc := range []struct {
		name     string
		st       policy.Statement
		covers   bool
		patterns []ruleinput.AssumePattern
	}{
		{"exact", policy.Statement{Action: []string{"sts:AssumeRole", "sts:TagSession"}}, true,
			[]ruleinput.AssumePattern{{Action: "sts:AssumeRole", AlsoGrants: []string{}}}},
		{"case", policy.Statement{Action: []string{"STS:assumerole"}}, true,
			[]ruleinput.AssumePattern{{Action: "STS:assumerole", AlsoGrants: []string{}}}},
		{"sts star", policy.Statement{Action: []string{"sts:*"}}, true,
			[]ruleinput.AssumePattern{{Action: "sts:*", AlsoGrants: []string{"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}}}},
		{"prefix", policy.Statement{Action: []string{"sts:AssumeRole*"}}, true,
			[]ruleinput.AssumePattern{{Action: "sts:AssumeRole*", AlsoGrants: []string{"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}}}},
		{"other action only", policy.Statement{Action: []string{"sts:TagSession"}}, false, nil},
		{"not action without it", policy.Statement{NotAction: []string{"iam:*"}}, true, nil},
		{"not action listing it", policy.Statement{NotAction: []string{"sts:Assume*"}}, false, nil},
		{"unresolved", policy.Statement{Action: []string{policy.UnknownValue("known after apply")}}, false, nil},
	} {
		covers, patterns := fs.assumeFacts(&tc.st)
		if covers != tc.covers || !same(patterns, tc.patterns) {
			t.Errorf("%s: covers %v, patterns %v; want %v, %v", tc.name, covers, patterns, tc.covers, tc.patterns)
		}
	}
	// Statements of other documents get no assume facts.
	f := fs.facts(&policy.Statement{Effect: policy.Allow, Action: []string{"sts:*"}}, false)
	if f.CoversAssume || len(f.AssumePatterns) != 0 {
		t.Errorf("identity statement: %+v", f)
	}
}
