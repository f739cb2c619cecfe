package iam

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

func present(vs ...string) ContextValue { return ContextValue{State: Present, Values: vs} }

var absent = ContextValue{State: Absent}
var unknownCV = ContextValue{State: UnknownValue}

// reference_policies_variables.html
func TestPolicyVariablesInResource(t *testing.T) {
	ctx := Context{
		"aws:username":          present("alice"),
		"aws:userid":            present("AIDAEXAMPLE"),
		"aws:principaltag/team": present("data"),
		"aws:sourceip":          present("203.0.113.0/24"),
		"aws:tokenissuetime":    absent,
		"aws:principaltag/*":    absent,
		"aws:multi":             present("a", "b"),
		"aws:later":             unknownCV,
	}
	cases := []struct {
		name, version, pattern, arn string
		want                        Tri
	}{
		{"username substituted", policy.Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::b/home/alice/x", True},
		{"username other user", policy.Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::b/home/bob/x", False},
		{"key name case-insensitive", policy.Version2012, "arn:aws:s3:::b/${AWS:UserName}/*", "arn:aws:s3:::b/alice/x", True},
		{"userid", policy.Version2012, "arn:aws:s3:::b/${aws:userid}", "arn:aws:s3:::b/AIDAEXAMPLE", True},
		{"principal tag", policy.Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team}/*", "arn:aws:s3:::b/data/x", True},
		// "variables like ${aws:username} are treated as literal strings"
		// without Version 2012-10-17.
		{"2008 version literal", policy.Version2008, "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", False},
		{"2008 version literal text matches itself", policy.Version2008, "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}/x", True},
		{"no version literal", "", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", False},
		// ${*} is a literal asterisk, not a wildcard.
		{"${*} literal star", policy.Version2012, "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", True},
		{"${*} is not a wildcard", policy.Version2012, "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", False},
		{"${?} literal", policy.Version2012, "arn:aws:s3:::b/a${?}", "arn:aws:s3:::b/a?", True},
		{"${$} literal", policy.Version2012, "arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", True},
		// "the resource that includes a policy variable with no value will
		// not match any resource".
		{"absent key matches nothing", policy.Version2012, "arn:aws:s3:::b/${aws:TokenIssueTime}*", "arn:aws:s3:::b/x", False},
		{"default value used when absent", policy.Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/dept, 'company-wide'}/*", "arn:aws:s3:::b/company-wide/x", True},
		{"default value not used when present", policy.Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*", "arn:aws:s3:::b/company-wide/x", False},
		{"unknown value is maybe", policy.Version2012, "arn:aws:s3:::b/${aws:later}/*", "arn:aws:s3:::b/x/y", Maybe},
		{"key not in context is maybe", policy.Version2012, "arn:aws:s3:::b/${s3:whatever}/*", "arn:aws:s3:::b/x/y", Maybe},
		{"multivalued key is maybe", policy.Version2012, "arn:aws:s3:::b/${aws:multi}/*", "arn:aws:s3:::b/a/y", Maybe},
		{"unclosed variable is maybe", policy.Version2012, "arn:aws:s3:::b/${aws:username", "arn:aws:s3:::b/x", Maybe},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := Request{Action: "s3:PutObject", Resource: c.arn, Context: ctx}
			got, _ := matchResources([]string{c.pattern}, req, c.version, policy.Allow, false)
			if got != c.want {
				t.Errorf("Resource %q (Version %q) vs %q = %v, want %v", c.pattern, c.version, c.arn, got, c.want)
			}
		})
	}
}

// An absent variable in NotResource: in a Deny the entry excludes nothing
// (the deny applies); in an Allow the statement does not apply, because
// widening an Allow on an undocumented corner would be unsafe.
func TestAbsentVariableInNotResource(t *testing.T) {
	ctx := Context{"aws:username": absent}
	req := Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/x", Context: ctx}
	if got, _ := matchResources([]string{"arn:aws:s3:::b/${aws:username}/*"}, req, policy.Version2012, policy.Deny, true); got != True {
		t.Errorf("Deny NotResource with absent variable = %v, want true", got)
	}
	if got, _ := matchResources([]string{"arn:aws:s3:::b/${aws:username}/*"}, req, policy.Version2012, policy.Allow, true); got != False {
		t.Errorf("Allow NotResource with absent variable = %v, want false", got)
	}
}

func TestContextLookup(t *testing.T) {
	ctx := Context{
		"aws:sourceip":       present("1.2.3.4/32"),
		"aws:principaltag/*": absent,
	}
	if v, ok := ctx.Lookup("AWS:SourceIP"); !ok || v.State != Present {
		t.Errorf("case-insensitive lookup failed: %v %v", v, ok)
	}
	if v, ok := ctx.Lookup("aws:PrincipalTag/Team"); !ok || v.State != Absent {
		t.Errorf("prefix fallback failed: %v %v", v, ok)
	}
	if _, ok := ctx.Lookup("s3:x-amz-acl"); ok {
		t.Errorf("key not in context must be not found (unknown)")
	}
	var nilCtx Context
	if _, ok := nilCtx.Lookup("aws:sourceip"); ok {
		t.Errorf("nil context must find nothing")
	}
}
