package iam

import "testing"

// reference_policies_elements_condition_operators.html (IP address): CIDR
// values, IPv4 and IPv6, a bare address means /32 (/128 for IPv6).
func TestParseCIDR(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"203.0.113.0/24", "203.0.113.0/24", true},
		{"203.0.113.7/24", "203.0.113.0/24", true}, // host bits cleared
		{"203.0.113.7", "203.0.113.7/32", true},
		{"2001:DB8:1234:5678::/64", "2001:db8:1234:5678::/64", true},
		{"2001:db8::1", "2001:db8::1/128", true},
		{" 10.0.0.0/8 ", "10.0.0.0/8", true},
		{"10.0.0.0/33", "", false},
		{"fe80::1%eth0", "", false},
		{"example.com", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			p, err := ParseCIDR(c.in)
			if (err == nil) != c.ok {
				t.Fatalf("ParseCIDR(%q) err = %v, want ok=%v", c.in, err, c.ok)
			}
			if c.ok && p.String() != c.want {
				t.Errorf("ParseCIDR(%q) = %s, want %s", c.in, p, c.want)
			}
		})
	}
}

func TestIPRangeCovered(t *testing.T) {
	cases := []struct {
		name             string
		rng              string
		cidrs            []string
		covered, partial bool
		err              bool
	}{
		{"inside one block", "203.0.113.0/24", []string{"203.0.0.0/16"}, true, false, false},
		{"equal block", "203.0.113.0/24", []string{"203.0.113.0/24"}, true, false, false},
		{"union of halves", "203.0.113.0/24", []string{"203.0.113.0/25", "203.0.113.128/25"}, true, false, false},
		{"union of uneven parts", "203.0.113.0/24", []string{"203.0.113.0/25", "203.0.113.128/26", "203.0.113.192/26"}, true, false, false},
		{"one half only", "203.0.113.0/24", []string{"203.0.113.0/25"}, false, true, false},
		{"single address inside range", "203.0.113.0/24", []string{"203.0.113.9"}, false, true, false},
		{"disjoint", "203.0.113.0/24", []string{"198.51.100.0/24"}, false, false, false},
		{"no cidrs", "203.0.113.0/24", nil, false, false, false},
		{"IPv6 inside", "2001:db8:1:2::/64", []string{"2001:db8::/32"}, true, false, false},
		{"IPv6 partial", "2001:db8::/32", []string{"2001:db8:1::/48"}, false, true, false},
		{"IPv4 range vs IPv6 list", "203.0.113.0/24", []string{"::/0"}, false, false, false},
		{"whole IPv4 space", "0.0.0.0/0", []string{"0.0.0.0/1", "128.0.0.0/1"}, true, false, false},
		{"bad range", "nope", []string{"10.0.0.0/8"}, false, false, true},
		{"bad cidr", "10.0.0.0/8", []string{"nope"}, false, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cov, part, err := IPRangeCovered(c.rng, c.cidrs)
			if (err != nil) != c.err {
				t.Fatalf("err = %v, want error %v", err, c.err)
			}
			if cov != c.covered || part != c.partial {
				t.Errorf("IPRangeCovered(%s, %v) = (%v, %v), want (%v, %v)", c.rng, c.cidrs, cov, part, c.covered, c.partial)
			}
		})
	}
}
