package policy

import "testing"

// TestUsesVariables follows reference_policies_variables.html: variables
// are substituted in Resource, NotResource and Condition values; "${" in a
// Sid or an action is no variable.
func TestUsesVariables(t *testing.T) {
	for _, tc := range []struct {
		name string
		st   Statement
		want bool
	}{
		{"resource", Statement{Resource: []string{"arn:aws:s3:::b/${aws:username}/*"}}, true},
		{"not resource", Statement{NotResource: []string{"arn:aws:s3:::b/${aws:userid}"}}, true},
		{"condition value", Statement{Condition: []Condition{{Key: "s3:prefix", Values: []string{"home/${aws:username}/"}}}}, true},
		{"plain", Statement{Resource: []string{"arn:aws:s3:::b/*"}, Action: []string{"s3:PutObject"}}, false},
		{"sid and action only", Statement{Sid: "${x}", Action: []string{"s3:${x}"}, Resource: []string{"*"}}, false},
		{"dollar without brace", Statement{Resource: []string{"arn:aws:s3:::b/$x"}}, false},
	} {
		d := &Document{Statements: []*Statement{&tc.st}}
		if got := UsesVariables(d); got != tc.want {
			t.Errorf("%s: UsesVariables = %v, want %v", tc.name, got, tc.want)
		}
	}
}
