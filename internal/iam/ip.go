package iam

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseCIDR parses an IpAddress condition value: an IPv4 or IPv6 CIDR, or a
// bare address, which "IAM uses the default prefix value of /32" for (and
// /128 for IPv6) (reference_policies_elements_condition_operators.html). Host
// bits are cleared.
func ParseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not a CIDR: %q", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("not an IP address: %q", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// IPRangeCovered reports whether every address of rangeCIDR lies in some
// CIDR of cidrs (covered), or only some of them do (partial). IPv4 and IPv6
// never overlap.
func IPRangeCovered(rangeCIDR string, cidrs []string) (covered bool, partial bool, err error) {
	r, err := ParseCIDR(rangeCIDR)
	if err != nil {
		return false, false, err
	}
	ps := make([]netip.Prefix, 0, len(cidrs))
	for _, c := range cidrs {
		p, err := ParseCIDR(c)
		if err != nil {
			return false, false, err
		}
		ps = append(ps, p)
	}
	covered, partial = rangeCovered(r, ps)
	return covered, partial, nil
}

func rangeCovered(r netip.Prefix, ps []netip.Prefix) (covered, partial bool) {
	if coveredBy(r, ps) {
		return true, false
	}
	for _, p := range ps {
		if p.Addr().BitLen() == r.Addr().BitLen() && p.Overlaps(r) {
			return false, true
		}
	}
	return false, false
}

// coveredBy reports whether the union of ps contains all of r. CIDR blocks
// are nested or disjoint, so r is covered when one block contains it or when
// both of its halves are covered.
func coveredBy(r netip.Prefix, ps []netip.Prefix) bool {
	inside := false
	for _, p := range ps {
		if p.Addr().BitLen() != r.Addr().BitLen() {
			continue
		}
		if p.Bits() <= r.Bits() && p.Contains(r.Addr()) {
			return true
		}
		if p.Bits() > r.Bits() && r.Contains(p.Addr()) {
			inside = true
		}
	}
	if !inside || r.Bits() >= r.Addr().BitLen() {
		return false
	}
	lo := netip.PrefixFrom(r.Addr(), r.Bits()+1)
	b := r.Addr().AsSlice()
	b[r.Bits()/8] |= 0x80 >> (r.Bits() % 8)
	hiAddr, _ := netip.AddrFromSlice(b)
	hi := netip.PrefixFrom(hiAddr, r.Bits()+1)
	return coveredBy(lo, ps) && coveredBy(hi, ps)
}
