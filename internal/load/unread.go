package load

import (
	"strings"

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
func init() {
	Register("smlint simulate --save: documents not read", detectUnread, loadUnread)
}

func detectUnread(root *tree.Node) bool {
	n := root.Get("SmlintUnread")
	return n != nil && n.Kind == tree.Array
}

func loadUnread(file string, root *tree.Node, in *Input) {
	for _, e := range root.Get("SmlintUnread").Items {
		if !isObject(e) {
			in.errorf(file, e.Line, "SmlintUnread: an entry is not an object")
			continue
		}
		what, why := str(e, "What"), str(e, "Reason")
		unknown := func(kind policy.Kind) *policy.Document {
			return &policy.Document{Kind: kind, File: file, Line: e.Line, Name: what, Unresolved: what + " " + why}
		}
		in.Unresolved = append(in.Unresolved, Unresolved{File: file, Line: e.Line, What: what, Reason: why})
		typ, name, _ := strings.Cut(str(e, "Principal"), "/")
		principal := func() *Principal {
			p := &Principal{Type: typ, Name: name, File: file, Line: e.Line}
			in.Principals = append(in.Principals, p)
			return p
		}
		switch str(e, "Kind") {
		case "trust":
			principal().Trust = unknown(policy.Trust)
		case "identity":
			p := principal()
			p.Identity = append(p.Identity, unknown(policy.Identity))
		case "boundary":
			principal().Boundary = unknown(policy.Boundary)
		case "bucket":
			in.Documents = append(in.Documents, unknown(policy.Bucket))
		case "encryption":
			// Nameless, like the s3api outputs it sits beside, so that it
			// joins the saved get-bucket-location facts.
			in.Buckets = append(in.Buckets, &BucketFacts{SSEAlgorithm: "aws:kms",
				KMSMasterKeyID: policy.UnknownValue(what + " " + why), File: file, Line: e.Line})
		case "scp":
			in.Documents = append(in.Documents, unknown(policy.SCP))
		case "key":
			in.Keys = append(in.Keys, &KeyFacts{Policy: unknown(policy.Key), File: file, Line: e.Line})
		case "roles":
			// The listing was cut short: nothing to evaluate, only to report.
		default:
			in.errorf(file, e.Line, "SmlintUnread: unknown Kind %q", str(e, "Kind"))
		}
	}
}
