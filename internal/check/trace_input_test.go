package check

import (
	"testing"

	"github.com/smlint/smlint/internal/policy"
)

// Context key names are not case-sensitive ("IAM JSON policy elements:
// Condition", reference_policies_elements_condition.html: aws:SourceIP is
// AWS:SourceIp): the rule input gives the key in lower case beside the key
// as written, and rules compare that.
func TestConditionInputKeyLower(t *testing.T) {
	for _, key := range []string{"aws:SourceIp", "AWS:SOURCEIP", "aws:sourceip"} {
		got := conditionInput(policy.Condition{Operator: "IpAddress", Key: key, Values: []string{"192.0.2.0/24"}})
		if got.Key != key || got.KeyLower != "aws:sourceip" {
			t.Errorf("conditionInput(%q): key %q, key_lower %q; want %q, aws:sourceip", key, got.Key, got.KeyLower, key)
		}
	}
}
