package policy

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"

	"github.com/smlint/smlint/internal/tree"
)

// ParseError is a policy document that could not be read at all (not JSON,
// not an object, URL-encoded twice). Grammar problems in a document that
// could be read are Problems on the Document instead.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// FromNode parses a policy document held in node n (an object, or a string
// holding JSON or URL-encoded JSON). kind is the role the caller knows the
// document plays, or "" to detect it from its shape (DetectKind). Statement
// and condition lines come from the node; a document held in a string gets
// the string's line for everything.
//
// A tree.Unknown node (a Terraform or CloudFormation value without a value)
// gives a Document whose Unresolved field holds the reason. Grammar problems
// are recorded in Document.Problems; an error is returned only when there is
// no document to speak of. Size quotas depend on how the document is attached
// and are applied by the caller with CheckQuota.
func FromNode(n *tree.Node, kind Kind, file string) (*Document, error) {
	if n == nil {
		return nil, &ParseError{File: file, Msg: "no policy document"}
	}
	switch n.Kind {
	case tree.Unknown:
		return &Document{Kind: kind, File: file, Line: n.Line, Unresolved: reasonOf(n)}, nil
	case tree.String:
		return FromText(n.Text, kind, file, n.Line)
	case tree.Object:
		if pe := tooManyStatements(n, file); pe != nil {
			return nil, pe
		}
		return fromTree(n, kind, file, n.Line, ""), nil
	}
	return nil, &ParseError{File: file, Line: n.Line,
		Msg: fmt.Sprintf("policy document is %s, want a JSON object or a string holding one", describe(n))}
}

// FromText parses a policy document held in a string (JSON text, or
// URL-encoded JSON text as the IAM API returns it: RFC 3986, decoded like
// Python's unquote so that '+' stays '+'), found at line of file. Every
// statement and condition gets that line.
//
// A string that is URL-encoded twice, or JSON-encoded twice, is an error
// rather than a guess: the user should look at how it was produced.
func FromText(text string, kind Kind, file string, line int) (*Document, error) {
	src, err := decodeText(text)
	if err != nil {
		return nil, &ParseError{File: file, Line: line, Msg: err.Error()}
	}
	root, err := tree.FromJSON([]byte(src))
	if err != nil {
		msg := err.Error()
		var te *tree.Error
		if errors.As(err, &te) && te.Line > 0 {
			msg = fmt.Sprintf("embedded policy document, its line %d: %s", te.Line, te.Msg)
		} else {
			msg = "embedded policy document: " + msg
		}
		return nil, &ParseError{File: file, Line: line, Msg: msg}
	}
	if root.Kind != tree.Object {
		return nil, &ParseError{File: file, Line: line,
			Msg: fmt.Sprintf("embedded policy document is %s, want a JSON object", describe(root))}
	}
	if pe := tooManyStatements(root, file); pe != nil {
		pe.Line = line
		return nil, pe
	}
	tree.Walk(root, func(x *tree.Node) bool {
		x.Line = line
		for i := range x.Members {
			x.Members[i].KeyLine = line
		}
		return true
	})
	return fromTree(root, kind, file, line, src), nil
}

// decodeText unwraps URL encoding and returns JSON text starting with '{'.
func decodeText(text string) (string, error) {
	t := strings.TrimLeft(text, " \t\r\n")
	switch {
	case t == "":
		return "", errors.New("policy document is an empty string")
	case t[0] == '{':
		return text, nil
	case t[0] == '"':
		return "", errors.New(`policy document is a JSON string inside a JSON string (encoded twice); decode it once before giving it to smlint`)
	case t[0] == '%':
		dec, err := url.PathUnescape(t)
		if err != nil {
			return "", fmt.Errorf("policy document looks URL-encoded but is not valid URL encoding: %v", err)
		}
		d := strings.TrimLeft(dec, " \t\r\n")
		switch {
		case strings.HasPrefix(d, "%"):
			return "", errors.New("policy document is URL-encoded more than once (it still starts with " +
				fmt.Sprintf("%.6q", d) + " after one decoding); decode it once, as the IAM API returns it")
		case strings.HasPrefix(d, "{"):
			return dec, nil
		}
		return "", fmt.Errorf("URL-decoded policy document does not start with '{' (starts with %.12q)", d)
	}
	return "", fmt.Errorf("string is not a JSON policy document (starts with %.12q)", t)
}

func describe(n *tree.Node) string {
	switch n.Kind {
	case tree.Array:
		return "an array"
	case tree.Object:
		return "an object"
	case tree.Null:
		return "null"
	case tree.Unknown:
		return "unknown (" + n.Text + ")"
	case tree.Number, tree.Bool:
		return fmt.Sprintf("a %s (%s)", n.Kind, n.Text)
	}
	return "a " + n.Kind.String()
}

func reasonOf(n *tree.Node) string {
	if n.Text == "" {
		return "value not known"
	}
	return n.Text
}

// MaxStatements bounds the statements of one document. No document IAM,
// S3 or KMS accepts comes near it: the API takes policy documents of at
// most 131,072 characters (API_RoleDetail.html; IAM-FACTS §5.1), the IAM
// quotas are far smaller (10,240 characters for a role's inline policies),
// and the shortest statement IAM parses takes about 20 characters. Without
// it, a hostile file of a million statements (18 MB, inside the tree
// limits) costs the rule engine minutes and gigabytes.
const MaxStatements = 10_000

// tooManyStatements refuses a document with more than MaxStatements
// statements, naming the line of the Statement element. It is a ParseError
// (the file is not analysed) rather than a Problem: a Problem keeps the
// statements, and evaluating them is the cost the limit exists to avoid.
func tooManyStatements(root *tree.Node, file string) *ParseError {
	var stmts *tree.Node
	for _, m := range root.Members {
		if m.Key == "Statement" && m.Value.Kind == tree.Array && len(m.Value.Items) > MaxStatements {
			stmts = m.Value
			break
		}
	}
	if stmts == nil {
		return nil
	}
	return &ParseError{File: file, Line: stmts.Line,
		Msg: fmt.Sprintf("policy document has %d statements, over the limit of %d (IAM accepts documents of at most 131,072 characters)", len(stmts.Items), MaxStatements)}
}

// fromTree builds the first-copy-wins Document, its grammar problems and,
// when keys are duplicated, the last-copy-wins Alternate.
func fromTree(root *tree.Node, kind Kind, file string, line int, src string) *Document {
	if src == "" {
		src = compact(root)
	}
	common := charProblems(root)
	dups := duplicateProblems(root)

	d, meta := read(root, kind, file, line, src, false)
	if kind == "" {
		d.Kind = DetectKind(d)
	}
	checkKind(d, d.Kind, meta)
	d.Problems = append(d.Problems, common...)
	if len(dups) > 0 {
		alt, altMeta := read(root, d.Kind, file, line, src, true)
		checkKind(alt, alt.Kind, altMeta)
		alt.Problems = append(alt.Problems, common...)
		sortProblems(alt.Problems)
		d.Alternate = alt
		d.Problems = append(d.Problems, dups...)
	}
	sortProblems(d.Problems)
	return d
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// reader reads one reading of a document: with last set, the last copy of a
// duplicated key wins (tree.Node.GetLast), otherwise the first (tree.Node.Get).
type reader struct {
	d    *Document
	last bool
	// per statement: which optional elements were written
	hasSid    []bool
	hasEffect []bool
	hasID     bool
}

func read(root *tree.Node, kind Kind, file string, line int, src string, last bool) (*Document, *reader) {
	d := &Document{Kind: kind, File: file, Line: line, Source: src}
	r := &reader{d: d, last: last}
	r.document(root)
	return d, r
}

func (r *reader) problem(line int, sid string, rejected bool, format string, args ...any) {
	r.d.Problems = append(r.d.Problems, Problem{Line: line, Sid: sid, Message: fmt.Sprintf(format, args...), Rejected: rejected})
}

// members returns one member per key in order of first appearance, holding
// the first or the last copy's value depending on the reading.
func (r *reader) members(n *tree.Node) []tree.Member {
	if len(n.Members) < 2 {
		return n.Members
	}
	var seen map[string]int
	out := make([]tree.Member, 0, len(n.Members))
	for _, m := range n.Members {
		if i, ok := seen[m.Key]; ok {
			if r.last {
				out[i] = m
			}
			continue
		}
		if seen == nil {
			seen = make(map[string]int, len(n.Members))
		}
		seen[m.Key] = len(out)
		out = append(out, m)
	}
	return out
}

var topKeys = []string{"Version", "Id", "Statement"}
var stmtKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func unknownKeyHint(key string, valid []string) string {
	for _, v := range valid {
		if strings.EqualFold(v, key) {
			return fmt.Sprintf(" (element names are case-sensitive: write %q)", v)
		}
	}
	return " (valid: " + strings.Join(valid, ", ") + ")"
}

func (r *reader) document(root *tree.Node) {
	d := r.d
	var stmts *tree.Node
	for _, m := range r.members(root) {
		switch m.Key {
		case "Version":
			switch m.Value.Kind {
			case tree.String:
				d.Version = m.Value.Text
				if d.Version != Version2012 && d.Version != Version2008 {
					r.problem(m.Value.Line, "", true, "Version %q is not a policy language version: use %q", d.Version, Version2012)
				}
			case tree.Unknown:
				d.Version = UnknownValue(reasonOf(m.Value))
			default:
				r.problem(m.Value.Line, "", true, "Version is %s, want the string %q", describe(m.Value), Version2012)
			}
		case "Id":
			r.hasID = true
			switch m.Value.Kind {
			case tree.String:
				d.ID = m.Value.Text
			case tree.Unknown:
				d.ID = UnknownValue(reasonOf(m.Value))
			default:
				r.problem(m.Value.Line, "", true, "Id is %s, want a string", describe(m.Value))
			}
		case "Statement":
			stmts = m.Value
		default:
			r.problem(m.KeyLine, "", true, "unknown top-level element %q%s", m.Key, unknownKeyHint(m.Key, topKeys))
		}
	}
	if stmts == nil {
		r.problem(root.Line, "", true, "the document has no Statement element")
		return
	}
	switch stmts.Kind {
	case tree.Unknown:
		d.Unresolved = "Statement: " + reasonOf(stmts)
	case tree.Object:
		r.statement(stmts, 0)
	case tree.Array:
		if len(stmts.Items) == 0 {
			r.problem(stmts.Line, "", true, "Statement is an empty array")
		}
		for i, it := range stmts.Items {
			switch it.Kind {
			case tree.Object:
				r.statement(it, i)
			case tree.Unknown:
				d.Unresolved = fmt.Sprintf("statement %d: %s", i+1, reasonOf(it))
			default:
				r.problem(it.Line, "", true, "statement %d is %s, want an object", i+1, describe(it))
			}
		}
	default:
		r.problem(stmts.Line, "", true, "Statement is %s, want an object or an array of objects", describe(stmts))
	}
	if d.Unresolved != "" {
		// The document's statements are not all known: evaluation must not
		// draw conclusions from the known subset (Document.Unresolved).
		d.Statements = nil
		r.hasSid, r.hasEffect = nil, nil
	}
}

func (r *reader) statement(n *tree.Node, idx int) {
	s := &Statement{Index: idx, Line: n.Line}
	hasSid, hasEffect := false, false
	for _, m := range r.members(n) {
		v := m.Value
		switch m.Key {
		case "Sid":
			hasSid = true
			switch v.Kind {
			case tree.String:
				s.Sid = v.Text
			case tree.Unknown:
				s.Sid = UnknownValue(reasonOf(v))
			default:
				r.problem(v.Line, "", true, "Sid is %s, want a string", describe(v))
			}
		case "Effect":
			hasEffect = true
			switch v.Kind {
			case tree.String:
				s.Effect = Effect(v.Text)
			case tree.Unknown:
				s.Effect = Effect(UnknownValue(reasonOf(v)))
			default:
				r.problem(v.Line, s.Sid, true, "Effect is %s, want \"Allow\" or \"Deny\"", describe(v))
				s.Effect = Effect(v.Text)
			}
		case "Principal":
			s.Principal = r.principal(v, "Principal", s.Sid)
		case "NotPrincipal":
			s.NotPrincipal = r.principal(v, "NotPrincipal", s.Sid)
		case "Action":
			s.Action = r.values(v, "Action", s.Sid, false)
		case "NotAction":
			s.NotAction = r.values(v, "NotAction", s.Sid, false)
		case "Resource":
			s.Resource = r.values(v, "Resource", s.Sid, false)
		case "NotResource":
			s.NotResource = r.values(v, "NotResource", s.Sid, false)
		case "Condition":
			s.Condition = r.conditions(v, s.Sid)
		default:
			r.problem(m.KeyLine, s.Sid, true, "unknown statement element %q%s", m.Key, unknownKeyHint(m.Key, stmtKeys))
		}
	}
	r.d.Statements = append(r.d.Statements, s)
	r.hasSid = append(r.hasSid, hasSid)
	r.hasEffect = append(r.hasEffect, hasEffect)
}

// values reads a string-or-array element. The result is non-nil whenever the
// element is present, even when it is broken, so that "missing" problems are
// not reported on top of "wrong type" ones. With scalars set, JSON numbers and
// booleans are kept as their literal text (condition values).
func (r *reader) values(n *tree.Node, what, sid string, scalars bool) []string {
	switch n.Kind {
	case tree.String:
		return []string{n.Text}
	case tree.Unknown:
		return []string{UnknownValue(reasonOf(n))}
	case tree.Number, tree.Bool:
		if scalars {
			return []string{n.Text}
		}
	case tree.Array:
		out := make([]string, 0, len(n.Items))
		for i, it := range n.Items {
			switch {
			case it.Kind == tree.String:
				out = append(out, it.Text)
			case it.Kind == tree.Unknown:
				out = append(out, UnknownValue(reasonOf(it)))
			case scalars && (it.Kind == tree.Number || it.Kind == tree.Bool):
				out = append(out, it.Text)
			default:
				r.problem(it.Line, sid, true, "%s[%d] is %s, want a string", what, i, describe(it))
			}
		}
		if len(n.Items) == 0 {
			r.problem(n.Line, sid, true, "%s is an empty array", what)
		}
		return out
	}
	r.problem(n.Line, sid, true, "%s is %s, want a string or an array of strings", what, describe(n))
	return []string{}
}

func (r *reader) principal(n *tree.Node, what, sid string) *Principal {
	p := &Principal{}
	switch n.Kind {
	case tree.String:
		if n.Text == "*" {
			p.Wildcard = true
		} else {
			r.problem(n.Line, sid, true, `%s is the string %q: write "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}`, what, n.Text)
		}
	case tree.Unknown:
		p.AWS = []string{UnknownValue(reasonOf(n))}
	case tree.Object:
		ms := r.members(n)
		if len(ms) == 0 {
			r.problem(n.Line, sid, true, "%s is an empty object", what)
		}
		for _, m := range ms {
			vals := r.values(m.Value, what+"."+m.Key, sid, false)
			switch m.Key {
			case "AWS":
				p.AWS = vals
			case "Service":
				p.Service = vals
			case "Federated":
				p.Federated = vals
			case "CanonicalUser":
				p.Canonical = vals
			default:
				if p.Other == nil {
					p.Other = map[string][]string{}
				}
				p.Other[m.Key] = vals
				r.problem(m.KeyLine, sid, true, "unknown principal type %q in %s (valid: AWS, Service, Federated, CanonicalUser)", m.Key, what)
			}
		}
	default:
		r.problem(n.Line, sid, true, "%s is %s, want \"*\" or an object", what, describe(n))
	}
	return p
}

func (r *reader) conditions(n *tree.Node, sid string) []Condition {
	switch n.Kind {
	case tree.Unknown:
		u := UnknownValue(reasonOf(n))
		return []Condition{{Operator: u, Key: u, Values: []string{u}, Line: n.Line}}
	case tree.Object:
	default:
		r.problem(n.Line, sid, true, "Condition is %s, want an object of operators", describe(n))
		return []Condition{}
	}
	out := []Condition{}
	for _, op := range r.members(n) {
		switch op.Value.Kind {
		case tree.Object:
		case tree.Unknown:
			u := UnknownValue(reasonOf(op.Value))
			out = append(out, Condition{Operator: op.Key, Key: u, Values: []string{u}, Line: op.KeyLine})
			continue
		default:
			r.problem(op.Value.Line, sid, true, "Condition operator %s is %s, want an object of condition keys", op.Key, describe(op.Value))
			continue
		}
		keys := r.members(op.Value)
		if len(keys) == 0 {
			r.problem(op.Value.Line, sid, true, "Condition operator %s has no condition keys", op.Key)
		}
		for _, k := range keys {
			vals := r.values(k.Value, op.Key+"."+k.Key, sid, true)
			out = append(out, Condition{Operator: op.Key, Key: k.Key, Values: vals, Line: k.KeyLine})
		}
	}
	return out
}

// DetectKind guesses the role of a document from its shape. Documents without
// any Principal are identity policies (permissions boundaries and SCPs have the
// same shape and must be named by the caller). With a Principal: only sts:
// actions (AssumeRole*, TagSession, SetSourceIdentity) → trust; s3: actions or
// S3 ARNs → bucket; kms: actions or only Resource "*" → key; no Resource → trust.
func DetectKind(d *Document) Kind {
	hasPrincipal, hasResource := false, false
	nActions, nSTS := 0, 0
	anyS3, anyKMS, allStar := false, false, true
	for _, s := range d.Statements {
		if s.Principal != nil || s.NotPrincipal != nil {
			hasPrincipal = true
		}
		for _, a := range append(append([]string(nil), s.Action...), s.NotAction...) {
			nActions++
			la := strings.ToLower(a)
			switch {
			case strings.HasPrefix(la, "sts:"):
				nSTS++
			case strings.HasPrefix(la, "s3:"):
				anyS3 = true
			case strings.HasPrefix(la, "kms:"):
				anyKMS = true
			}
		}
		for _, res := range append(append([]string(nil), s.Resource...), s.NotResource...) {
			hasResource = true
			if res != "*" {
				allStar = false
			}
			if p, svc, _, _, _, ok := SplitARN(res); ok && strings.HasPrefix(p, "aws") && svc == "s3" {
				anyS3 = true
			}
		}
	}
	switch {
	case !hasPrincipal:
		return Identity
	case nActions > 0 && nSTS == nActions:
		return Trust
	case anyS3:
		return Bucket
	case anyKMS:
		return Key
	case !hasResource:
		return Trust
	case allStar:
		return Key
	}
	return Bucket
}

// SplitARN splits arn:partition:service:region:account:resource. ok is false
// unless there are six parts with a non-empty partition and service.
func SplitARN(s string) (partition, service, region, account, resource string, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return "", "", "", "", "", false
	}
	return parts[1], parts[2], parts[3], parts[4], parts[5], true
}

// rolePartitions are the partitions a role ARN may name
// (reference-arns.html).
var rolePartitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true}

// IsRoleARN reports whether s is a well-formed IAM role ARN: a known
// partition, service iam, an empty Region, a 12-digit account, then role/,
// an optional path (printable ASCII ending in /) and a name of 1-64 of
// [A-Za-z0-9+=,.@_-] (reference_identifiers.html, API_CreateRole.html).
func IsRoleARN(s string) bool {
	partition, service, region, account, resource, ok := SplitARN(s)
	if !ok || !rolePartitions[partition] || service != "iam" || region != "" || !IsAccountID(account) {
		return false
	}
	rest, ok := strings.CutPrefix(resource, "role/")
	if !ok {
		return false
	}
	name := rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path := rest[:i]
		if path == "" {
			return false
		}
		for j := 0; j < len(path); j++ {
			if path[j] < 0x21 || path[j] > 0x7e {
				return false
			}
		}
		name = rest[i+1:]
	}
	if name == "" || len(name) > 64 {
		return false
	}
	for j := 0; j < len(name); j++ {
		c := name[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0) {
			return false
		}
	}
	return true
}

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
	_, _, _, _, _, ok := SplitARN(res)
	return ok
}

// isIPOperator reports whether op is IpAddress or NotIpAddress, with or
// without a set qualifier and IfExists (operator names compare
// case-insensitively, as the evaluator reads them).
func isIPOperator(op string) bool {
	n := strings.ToLower(strings.TrimSpace(op))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "foranyvalue:"), "forallvalues:")
	n = strings.TrimSuffix(n, "ifexists")
	return n == "ipaddress" || n == "notipaddress"
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
		r.problem(d.Line, "", true, "Id is not allowed in an identity-based policy (IAM policy grammar)")
	}
	sids := map[string]int{}
	for i, s := range d.Statements {
		line, sid := s.Line, s.Sid
		name := fmt.Sprintf("statement %d", i+1)
		if sid != "" && !IsUnknown(sid) {
			name = fmt.Sprintf("statement %q", sid)
		}
		hasSid := i < len(meta.hasSid) && meta.hasSid[i]
		if hasSid && isIAMKind(k) && !IsUnknown(sid) && !isAlnum(sid) {
			r.problem(line, sid, true, "Sid %q: IAM allows only letters and digits (A-Z, a-z, 0-9) in a Sid", sid)
		}
		if hasSid && sid != "" && !IsUnknown(sid) {
			if first, ok := sids[sid]; ok {
				r.problem(line, sid, true, "duplicate Sid %q (first at line %d): Sids must be unique within a policy", sid, first)
			} else {
				sids[sid] = line
			}
		}
		if i >= len(meta.hasEffect) || !meta.hasEffect[i] {
			r.problem(line, sid, true, "%s has no Effect", name)
		} else if s.Effect != Allow && s.Effect != Deny && !IsUnknown(string(s.Effect)) {
			r.problem(line, sid, true, "%s: Effect %q must be \"Allow\" or \"Deny\"", name, s.Effect)
		}
		switch {
		case s.Action != nil && s.NotAction != nil:
			r.problem(line, sid, true, "%s has both Action and NotAction", name)
		case s.Action == nil && s.NotAction == nil:
			r.problem(line, sid, true, "%s has neither Action nor NotAction", name)
		}
		for _, a := range append(append([]string(nil), s.Action...), s.NotAction...) {
			if !validAction(a) {
				r.problem(line, sid, true, "%s: action %q is not \"*\" or service:action", name, a)
			}
		}
		if s.Resource != nil && s.NotResource != nil {
			r.problem(line, sid, true, "%s has both Resource and NotResource", name)
		}
		for _, res := range append(append([]string(nil), s.Resource...), s.NotResource...) {
			if !validResource(res) {
				r.problem(line, sid, true, "%s: resource %q is not \"*\" or an ARN (arn:partition:service:region:account:resource)", name, res)
			}
		}
		for _, c := range s.Condition {
			if !isIPOperator(c.Operator) {
				continue
			}
			for _, v := range c.Values {
				if !IsUnknown(v) && !validIPValue(v) {
					r.problem(c.Line, sid, true, "%s: %s %s value %q is not an IP address or CIDR (IPv4 such as 203.0.113.0/24, or IPv6)", name, c.Operator, c.Key, v)
				}
			}
		}
		if s.Principal != nil && s.NotPrincipal != nil {
			r.problem(line, sid, true, "%s has both Principal and NotPrincipal", name)
		}
		hasP := s.Principal != nil || s.NotPrincipal != nil
		hasR := s.Resource != nil || s.NotResource != nil
		switch {
		case iamish:
			if hasP {
				r.problem(line, sid, true, "%s: Principal/NotPrincipal is not allowed in %s", name, kindPhrase(k))
			}
			if !hasR {
				r.problem(line, sid, true, "%s has neither Resource nor NotResource (required in %s)", name, kindPhrase(k))
			}
		case k == Trust:
			if s.NotPrincipal != nil {
				r.problem(line, sid, true, "%s: NotPrincipal is not allowed in a role trust policy", name)
			} else if s.Principal == nil {
				r.problem(line, sid, true, "%s has no Principal (required in a role trust policy)", name)
			}
			if hasR {
				r.problem(line, sid, true, "%s: Resource/NotResource is not allowed in a role trust policy", name)
			}
		case k == Bucket || k == Key:
			if !hasP {
				r.problem(line, sid, true, "%s has no Principal (required in %s)", name, kindPhrase(k))
			}
			if !hasR {
				r.problem(line, sid, true, "%s has neither Resource nor NotResource (required in %s)", name, kindPhrase(k))
			}
		}
	}
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
		var first map[string]int
		for _, m := range x.Members {
			if l, ok := first[m.Key]; ok {
				out = append(out, Problem{Line: m.KeyLine, Message: fmt.Sprintf(
					"duplicate key %q (first at line %d): IAM's grammar forbids repeated keys and which copy wins is parser-dependent; smlint evaluates both readings", m.Key, l)})
				continue
			}
			if first == nil {
				first = make(map[string]int, len(x.Members))
			}
			first[m.Key] = m.KeyLine
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

func charProblems(root *tree.Node) []Problem {
	var out []Problem
	check := func(s string, line int, where string) {
		if len(out) > maxCharProblems {
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

// compact serialises a tree as JSON without insignificant whitespace, for
// Document.Source when the document was an object in a larger file.
func compact(n *tree.Node) string {
	var b strings.Builder
	writeCompact(&b, n)
	return b.String()
}

func writeCompact(b *strings.Builder, n *tree.Node) {
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case tree.Object:
		b.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.Key)
			b.WriteByte(':')
			writeCompact(b, m.Value)
		}
		b.WriteByte('}')
	case tree.Array:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCompact(b, it)
		}
		b.WriteByte(']')
	case tree.String:
		writeString(b, n.Text)
	case tree.Number, tree.Bool:
		b.WriteString(n.Text)
	case tree.Unknown:
		writeString(b, "(unknown: "+n.Text+")")
	default:
		b.WriteString("null")
	}
}

func writeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// ARNAccount returns the account field (the fifth) of an ARN-shaped string,
// or "" when it has fewer than six colon-separated fields.
func ARNAccount(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
