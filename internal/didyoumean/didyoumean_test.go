package didyoumean

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"bucket", "prefix", "region", "kms_key_arn", "role_arn", "ignore", "vendor"}
	rules := []string{"resource-too-broad", "action-too-broad", "trust-too-broad", "ignore-expired", "ignore-stale"}
	tests := []struct {
		s    string
		in   []string
		want string
	}{
		{"bukcet", keys, "bucket"},          // transposition
		{"kms_keyarn", keys, "kms_key_arn"}, // missing underscore
		{"role-arn", keys, "role_arn"},      // dash for underscore
		{"resource-to-broad", rules, "resource-too-broad"},
		{"ignore-stal", rules, "ignore-stale"},
		{"colour", keys, ""},       // nothing near
		{"trust", rules, ""},       // a prefix is not a near miss of a long id
		{"bucket", keys, "bucket"}, // exact
		{"x", nil, ""},             // no candidates
	}
	for _, tt := range tests {
		if got := Closest(tt.s, tt.in); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
	if got := Hint("bukcet", keys); got != " (did you mean bucket?)" {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint("bucket", keys); got != "" {
		t.Errorf("Hint of an exact name = %q, want empty", got)
	}
}
