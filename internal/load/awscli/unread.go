package awscli

import (
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// smlint-unread.json is written by `smlint simulate --save` next to the AWS
// CLI shapes of what it read: every document that exists but that the live
// run could not read (a refused or timed-out call). No AWS command prints
// "this could not be read", so the replay needs this file to keep those
// documents unknown — without it, `smlint check` on the saved directory
// would take an unread bucket policy or boundary for an absent one and could
// say "allowed" where the live run said "unknown".
//
//	{"SmlintUnread": [{"Kind": "bucket", "Bucket": "b", "File": "…",
//	  "What": "bucket policy of b", "Reason": "could not be read: …"}]}
//
// Kind is trust | identity | boundary (with Principal "role/NAME" or
// "user/NAME"), bucket | encryption (with Bucket), key, scp, or roles.
func detectUnread(root *tree.Node) bool {
	n := root.Get("SmlintUnread")
	return n != nil && n.Kind == tree.Array
}

func loadUnread(root *tree.Node, b *input.Builder) {
	for _, e := range root.Get("SmlintUnread").Items {
		if !input.IsObject(e) {
			b.Errorf(e.Line, "SmlintUnread: an entry is not an object")
			continue
		}
		what, why := input.Str(e, "What"), input.Str(e, "Reason")
		unknown := func(kind policy.Kind, origin policy.Origin) *policy.Document {
			return &policy.Document{Kind: kind, Origin: origin, File: b.File, Line: e.Line, Name: what, Unresolved: what + " " + why}
		}
		b.In.Unresolved = append(b.In.Unresolved, input.Unresolved{File: b.File, Line: e.Line, What: what, Reason: why})
		typ, name, _ := strings.Cut(input.Str(e, "Principal"), "/")
		principal := func() *input.Principal {
			p := &input.Principal{Type: typ, Name: name, File: b.File, Line: e.Line}
			b.In.Principals = append(b.In.Principals, p)
			return p
		}
		switch input.Str(e, "Kind") {
		case "trust":
			principal().Trust = unknown(policy.Trust, policy.OriginTrust)
		case "identity":
			p := principal()
			p.Identity = append(p.Identity, unknown(policy.Identity, policy.OriginUnstated))
		case "boundary":
			principal().Boundary = unknown(policy.Boundary, policy.OriginBoundary)
		case "bucket":
			b.In.Documents = append(b.In.Documents, unknown(policy.Bucket, policy.OriginResource))
		case "encryption":
			// Nameless, like the s3api outputs it sits beside, so that it
			// joins the saved get-bucket-location facts.
			b.In.Buckets = append(b.In.Buckets, &input.BucketFacts{SSEAlgorithm: "aws:kms",
				KMSMasterKeyID: policy.UnknownValue(what + " " + why), File: b.File, Line: e.Line})
		case "scp":
			b.In.Documents = append(b.In.Documents, unknown(policy.SCP, policy.OriginOrganization))
		case "key":
			b.In.Keys = append(b.In.Keys, &input.KeyFacts{Policy: unknown(policy.Key, policy.OriginResource), File: b.File, Line: e.Line})
		case "roles":
			// The listing was cut short: nothing to evaluate, only to report.
		default:
			b.Errorf(e.Line, "SmlintUnread: unknown Kind %q", input.Str(e, "Kind"))
		}
	}
}
