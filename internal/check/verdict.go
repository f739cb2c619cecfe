package check

import "github.com/smlint/smlint/internal/engine"

// refusing are the rules whose error findings say that AWS (or the vendor)
// refuses the upload itself: a Deny or a missing Allow on the vendor's
// requests (an SCP deny included: putobject-denied), a trust the vendor cannot
// use, a key Supermetrics cannot sign with. The report's verdict and its
// findings must never contradict (issue 8 F3): when one of them stands at
// error severity, upload (and multipart upload) cannot be "allowed".
//
// The trust rules also fire when the vendor "may not" be able to assume the
// role (a principal that differs only in letter case): they lower an allowed
// verdict to unknown. role-arn-wrong says the verdict was decided for another role than the one
// the user will give Supermetrics (or for an ARN that cannot be a customer
// role), access-key-unusable that the key handed over is not the checked
// user's long-term key (a temporary ASIA key that expires, another user's
// key): the upload with what Supermetrics is given is not decided, so it is
// unknown.
var refusing = map[string]string{
	"putobject-denied":           VerdictDenied,
	"putobject-missing":          VerdictDenied,
	"trust-principal-wrong":      VerdictUnknown,
	"trust-condition-blocks":     VerdictUnknown,
	"ip-condition-blocks-vendor": VerdictDenied,
	"encryption-header-required": VerdictDenied,
	"access-key-unusable":        VerdictUnknown,
	"partition-unsupported":      VerdictDenied,
	"kms-gap":                    VerdictDenied,
	"role-arn-wrong":             VerdictUnknown,
}

// reconcile lowers an "allowed" verdict that an error finding contradicts.
func reconcile(upload, multipart string, findings []engine.Finding) (string, string) {
	rank := map[string]int{VerdictDenied: 0, VerdictUnknown: 1, VerdictAllowed: 2}
	lower := func(v, to string) string {
		if rank[to] < rank[v] {
			return to
		}
		return v
	}
	for _, f := range findings {
		to, ok := refusing[f.Rule]
		if !ok || f.Severity != "error" {
			continue
		}
		upload = lower(upload, to)
		multipart = lower(multipart, to)
	}
	return upload, multipart
}
