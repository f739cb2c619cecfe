package policy

import "strings"

// ARNs and account ids (reference-arns.html).

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

// ResourceTypeAndName splits an ARN's resource part of the form
// type/path/name (role/, user/, key/... : reference-arns.html) into the type
// (the text before the first /) and the name (the text after the last /,
// which is how IAM names a role or user whatever its path,
// reference_identifiers.html#identifiers-friendly-names). Both are "" when
// the resource has no /, such as root or a bucket name.
func ResourceTypeAndName(resource string) (typ, name string) {
	first := strings.IndexByte(resource, '/')
	if first < 0 {
		return "", ""
	}
	return resource[:first], resource[strings.LastIndexByte(resource, '/')+1:]
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
