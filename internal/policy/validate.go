package policy

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/smlint/smlint/internal/tree"
)

// Validation: the problems that depend on the kind of document or on the
// whole document (Sids, required and forbidden elements, IP values,
// duplicate keys, IAM's character set).

func isIAMKind(k Kind) bool { return k == Identity || k == Trust || k == Boundary }

func isAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// validAction reports whether a is "*" or service:action with a service
// prefix IAM can parse.
func validAction(a string) bool {
	if a == "*" || IsUnknown(a) {
		return true
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" {
		return false
	}
	for i := 0; i < len(svc); i++ {
		c := svc[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validResource(res string) bool {
	if res == "*" || IsUnknown(res) {
		return true
	}
	_, ok := ParseARN(res)
	return ok
}

// isIPOperator reports whether a parsed operator is IpAddress or
// NotIpAddress, with or without a set qualifier and IfExists.
func isIPOperator(op Operator) bool {
	return op.Family == FamIP
}

// validIPValue: an IP condition value "must be in the standard CIDR format
// (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64)", or a bare
// address, which IAM reads as /32
// (reference_policies_elements_condition_operators.html#Conditions_IPAddress).
// "10.0.0.300/33" is neither, and a document holding it is not a valid
// policy (SPEC §5 policy-invalid).
func validIPValue(v string) bool {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "/") {
		_, err := netip.ParsePrefix(v)
		return err == nil
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Zone() == ""
}

// checkKind adds the grammar problems that depend on the kind of document
// (reference_policies_grammar.html; Access Analyzer's trust-policy checks).
func checkKind(d *Document, k Kind, meta *reader) {
	r := &reader{d: d}
	iamish := k == Identity || k == Boundary || k == SCP
	if meta.hasID && (k == Identity || k == Boundary) {
		r.problem(d.Line, "", "Id is not allowed in an identity-based policy (IAM policy grammar)")
	}
	sids := map[string]int{}
	for i, s := range d.Statements {
		line, sid := s.Line, s.Sid
		name := statementName{index: i, sid: sid}
		hasSid := i < len(meta.hasSid) && meta.hasSid[i]
		if hasSid && isIAMKind(k) && !IsUnknown(sid) && !isAlnum(sid) {
			r.problem(line, sid, "Sid %q: IAM allows only letters and digits (A-Z, a-z, 0-9) in a Sid", sid)
		}
		if hasSid && sid != "" && !IsUnknown(sid) {
			if first, ok := sids[sid]; ok {
				r.problem(line, sid, "duplicate Sid %q (first at line %d): Sids must be unique within a policy", sid, first)
			} else {
				sids[sid] = line
			}
		}
		if i >= len(meta.hasEffect) || !meta.hasEffect[i] {
			r.problem(line, sid, "%s has no Effect", name)
		} else if s.Effect != Allow && s.Effect != Deny && !IsUnknown(string(s.Effect)) {
			r.problem(line, sid, "%s: Effect %q must be \"Allow\" or \"Deny\"", name, s.Effect)
		}
		switch {
		case s.Action != nil && s.NotAction != nil:
			r.problem(line, sid, "%s has both Action and NotAction", name)
		case s.Action == nil && s.NotAction == nil:
			r.problem(line, sid, "%s has neither Action nor NotAction", name)
		}
		for _, actions := range [2][]string{s.Action, s.NotAction} {
			for _, a := range actions {
				if !validAction(a) {
					r.problem(line, sid, "%s: action %q is not \"*\" or service:action", name, a)
				}
			}
		}
		if s.Resource != nil && s.NotResource != nil {
			r.problem(line, sid, "%s has both Resource and NotResource", name)
		}
		for _, resources := range [2][]string{s.Resource, s.NotResource} {
			for _, res := range resources {
				if !validResource(res) {
					r.problem(line, sid, "%s: resource %q is not \"*\" or an ARN (arn:partition:service:region:account:resource)", name, res)
				}
			}
		}
		for _, c := range s.Condition {
			if !isIPOperator(c.Op) {
				continue
			}
			for _, v := range c.Values {
				if !IsUnknown(v) && !validIPValue(v) {
					r.problem(c.Line, sid, "%s: %s %s value %q is not an IP address or CIDR (IPv4 such as 203.0.113.0/24, or IPv6)", name, c.Operator, c.Key, v)
				}
			}
		}
		if s.Principal != nil && s.NotPrincipal != nil {
			r.problem(line, sid, "%s has both Principal and NotPrincipal", name)
		}
		hasP := s.Principal != nil || s.NotPrincipal != nil
		hasR := s.Resource != nil || s.NotResource != nil
		switch {
		case iamish:
			if hasP {
				r.problem(line, sid, "%s: Principal/NotPrincipal is not allowed in %s", name, kindPhrase(k))
			}
			if !hasR {
				r.problem(line, sid, "%s has neither Resource nor NotResource (required in %s)", name, kindPhrase(k))
			}
		case k == Trust:
			if s.NotPrincipal != nil {
				r.problem(line, sid, "%s: NotPrincipal is not allowed in a role trust policy", name)
			} else if s.Principal == nil {
				r.problem(line, sid, "%s has no Principal (required in a role trust policy)", name)
			}
			if hasR {
				r.problem(line, sid, "%s: Resource/NotResource is not allowed in a role trust policy", name)
			}
		case k == Bucket || k == Key:
			if !hasP {
				r.problem(line, sid, "%s has no Principal (required in %s)", name, kindPhrase(k))
			}
			if !hasR {
				r.problem(line, sid, "%s has neither Resource nor NotResource (required in %s)", name, kindPhrase(k))
			}
		}
	}
}

// statementName names a statement in a problem: "statement \"Sid\"" when
// it has a known Sid, "statement 2" otherwise. It is formatted only when
// there is a problem to report (most statements have none).
type statementName struct {
	index int
	sid   string
}

func (n statementName) String() string {
	if n.sid != "" && !IsUnknown(n.sid) {
		return fmt.Sprintf("statement %q", n.sid)
	}
	return fmt.Sprintf("statement %d", n.index+1)
}

func kindPhrase(k Kind) string {
	switch k {
	case Identity:
		return "an identity-based policy"
	case Boundary:
		return "a permissions boundary"
	case SCP:
		return "a service control policy"
	case Bucket:
		return "a bucket policy"
	case Key:
		return "a key policy"
	case Trust:
		return "a role trust policy"
	}
	return "a " + string(k) + " policy"
}

// duplicateProblems reports every repeated key of every object. They are not
// Rejected: IAM's grammar forbids them but what IAM does with them is not
// documented; evaluation runs both readings instead (SPEC §4).
func duplicateProblems(root *tree.Node) []Problem {
	var out []Problem
	tree.Walk(root, func(x *tree.Node) bool {
		if x.Kind != tree.Object || len(x.Members) < 2 {
			return true
		}
		// Policy objects have a handful of keys: comparing each with the
		// ones before it costs less than building a map for every object.
		var first map[string]int
		if len(x.Members) > 16 {
			first = make(map[string]int, len(x.Members))
		}
		for i, m := range x.Members {
			l, seen := 0, false
			if first != nil {
				l, seen = first[m.Key]
			} else {
				for _, e := range x.Members[:i] {
					if e.Key == m.Key {
						l, seen = e.KeyLine, true
						break
					}
				}
			}
			if seen {
				out = append(out, Problem{Line: m.KeyLine, DuplicateKey: true, Message: fmt.Sprintf(
					"duplicate key %q (first at line %d): IAM's grammar forbids repeated keys and which copy wins is parser-dependent; smlint evaluates both readings", m.Key, l)})
				continue
			}
			if first != nil {
				first[m.Key] = m.KeyLine
			}
		}
		return true
	})
	return out
}

// allowedRune is IAM's character set for policy documents:
// [\u0009\u000A\u000D\u0020-\u00FF] (reference_iam-quotas.html).
func allowedRune(c rune) bool {
	return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF)
}

const maxCharProblems = 10

// plainASCII reports whether s is printable ASCII, tab, LF and CR only: in
// IAM's character set without decoding a rune (nearly every string of a
// policy).
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func charProblems(root *tree.Node) []Problem {
	var out []Problem
	check := func(s string, line int, where string) {
		if len(out) > maxCharProblems || plainASCII(s) {
			return
		}
		for _, c := range s {
			if !allowedRune(c) {
				if len(out) == maxCharProblems {
					out = append(out, Problem{Line: line, Rejected: true, Message: "more characters outside IAM's character set follow"})
					return
				}
				out = append(out, Problem{Line: line, Rejected: true, Message: fmt.Sprintf(
					"%s %.40q contains %U, outside the characters IAM accepts (tab, LF, CR, U+0020-U+00FF)", where, s, c)})
				return
			}
		}
	}
	tree.Walk(root, func(x *tree.Node) bool {
		if x.Kind == tree.String {
			check(x.Text, x.Line, "value")
		}
		for _, m := range x.Members {
			check(m.Key, m.KeyLine, "key")
		}
		return true
	})
	return out
}
