package policy

import "strings"

// Kind detection: which role a document whose kind the input does not say
// plays, from its shape.

// DetectKind guesses the role of a document from its shape. Documents without
// any Principal are identity policies (permissions boundaries and SCPs have the
// same shape and must be named by the caller). With a Principal: only sts:
// actions (AssumeRole*, TagSession, SetSourceIdentity) → trust; s3: actions or
// S3 ARNs → bucket; kms: actions or only Resource "*" → key; no Resource → trust.
func DetectKind(d *Document) Kind {
	if !hasPrincipal(d) {
		// Most documents: nothing else decides, so their actions and
		// resources are not looked at.
		return Identity
	}
	hasResource := false
	nActions, nSTS := 0, 0
	anyS3, anyKMS, allStar := false, false, true
	for _, s := range d.Statements {
		for _, actions := range [2][]string{s.Action, s.NotAction} {
			for _, a := range actions {
				nActions++
				switch {
				case hasServicePrefix(a, "sts:"):
					nSTS++
				case hasServicePrefix(a, "s3:"):
					anyS3 = true
				case hasServicePrefix(a, "kms:"):
					anyKMS = true
				}
			}
		}
		for _, resources := range [2][]string{s.Resource, s.NotResource} {
			for _, res := range resources {
				hasResource = true
				if res != "*" {
					allStar = false
				}
				if a, ok := ParseARN(res); ok && strings.HasPrefix(a.Partition, "aws") && a.Service == "s3" {
					anyS3 = true
				}
			}
		}
	}
	switch {
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

// hasPrincipal reports whether a statement of d names a Principal or a
// NotPrincipal.
func hasPrincipal(d *Document) bool {
	for _, s := range d.Statements {
		if s.Principal != nil || s.NotPrincipal != nil {
			return true
		}
	}
	return false
}

// hasServicePrefix reports whether strings.ToLower(action) starts with
// prefix (lower-case ASCII, such as "s3:") without building the lower-case
// copy: DetectKind looks at every action of every document. ToLower maps
// rune by rune, so when the action's first len(prefix) bytes are ASCII its
// lower-case form starts with theirs; otherwise (a non-ASCII letter may
// lower-case to ASCII, as the Kelvin sign does to k) ask ToLower itself.
func hasServicePrefix(action, prefix string) bool {
	if len(action) < len(prefix) {
		return strings.HasPrefix(strings.ToLower(action), prefix)
	}
	for i := 0; i < len(prefix); i++ {
		c := action[i]
		if c >= 0x80 {
			return strings.HasPrefix(strings.ToLower(action), prefix)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
