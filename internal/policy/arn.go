package policy

import "strings"

// ARNs and account ids. The ARN format follows the IAM User Guide, "Identify
// AWS resources with Amazon Resource Names (ARNs)"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).

// ARN is an Amazon Resource Name, arn:partition:service:region:account-id:resource
// (reference-arns.html). Region and Account are empty in the ARNs of
// resources that omit them (arn:aws:s3:::bucket, arn:aws:iam::aws:policy/...
// has no Region); Resource keeps any further colons and slashes
// (resource-type/resource-id, resource-type:resource-id).
type ARN struct {
	Partition string // aws, aws-cn, aws-us-gov...
	Service   string // the service namespace: iam, s3, kms, sts...
	Region    string
	Account   string
	Resource  string
}

// ParseARN reads arn:partition:service:region:account-id:resource
// (reference-arns.html): six colon-separated parts, of which the first is
// "arn" and the partition and service are not empty; the resource is
// everything after the fifth colon, colons included. It checks the shape
// only: whether each part is valid for its service is the caller's question.
//
// The parts are cut off one at a time rather than split into a slice: a
// large account export parses some 100,000 ARNs, and the slices were 7% of
// its CPU (allocation, and the page faults of the memory they took).
func ParseARN(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	var a ARN
	var cut [4]bool
	a.Partition, rest, cut[0] = strings.Cut(rest, ":")
	a.Service, rest, cut[1] = strings.Cut(rest, ":")
	a.Region, rest, cut[2] = strings.Cut(rest, ":")
	a.Account, a.Resource, cut[3] = strings.Cut(rest, ":")
	if !ok || !cut[0] || !cut[1] || !cut[2] || !cut[3] || a.Partition == "" || a.Service == "" {
		return ARN{}, false
	}
	return a, true
}

// String is the ARN's text.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// ResourceType is the resource's text before its first / (role, user,
// key, policy, assumed-role: resource-type/resource-id, reference-arns.html),
// or "" when the resource has no / (a bucket name, root, and the
// resource-type:resource-id form, which IAM's own ARNs do not use).
func (a ARN) ResourceType() string {
	typ, _, found := strings.Cut(a.Resource, "/")
	if !found {
		return ""
	}
	return typ
}

// Name is the last path segment of the resource: the text after its last /,
// which is how IAM names a role, user or policy whatever its path
// (reference_identifiers.html#identifiers-friendly-names), or the whole
// resource when it has no / (a bucket name, root).
func (a ARN) Name() string {
	return a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
}

// rolePartitions are the partitions a role ARN may name
// (reference-arns.html).
var rolePartitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true}

// IsRoleARN reports whether s is a well-formed IAM role ARN: a known
// partition, service iam, an empty Region, a 12-digit account, then role/,
// an optional path (printable ASCII ending in /) and a name of 1-64 of
// [A-Za-z0-9+=,.@_-] (reference_identifiers.html, API_CreateRole.html).
func IsRoleARN(s string) bool {
	a, ok := ParseARN(s)
	if !ok || !rolePartitions[a.Partition] || a.Service != "iam" || a.Region != "" || !IsAccountID(a.Account) {
		return false
	}
	rest, ok := strings.CutPrefix(a.Resource, "role/")
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

// IsDigits reports whether s holds only ASCII digits (true for ""): an
// account field that is digits but not 12 of them is a mistyped account id.
func IsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsTemporaryAccessKeyID reports whether an access key id is that of
// temporary STS credentials: "Access key IDs beginning with ASIA are
// temporary credentials access keys that you create using AWS STS
// operations" (long-term keys of IAM users begin with AKIA;
// id_credentials_access-keys.html).
func IsTemporaryAccessKeyID(id string) bool { return strings.HasPrefix(id, "ASIA") }

// UniqueIDPrefix returns the four-letter prefix of an IAM unique id (AROA a
// role, AIDA a user, AKIA an access key...: an A, three capital letters,
// then at least twelve capital letters or digits,
// reference_identifiers.html#identifiers-unique-ids), or "" when s does not
// have that shape.
func UniqueIDPrefix(s string) string {
	if len(s) < 16 || s[0] != 'A' {
		return ""
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || i >= 4 && '0' <= c && c <= '9') {
			return ""
		}
	}
	return s[:4]
}
