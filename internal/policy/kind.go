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
			if a, ok := ParseARN(res); ok && strings.HasPrefix(a.Partition, "aws") && a.Service == "s3" {
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
