package load

import (
	"github.com/smlint/smlint/internal/policy"
)

// finishFile completes what one file gave:
//   - SCP documents and list-policies-for-target outputs get the organisation
//     level the user labelled the file with (--scp LEVEL:FILE);
//   - a file the user named (or gave a kind with --trust, --policy,
//     --bucket-policy, --key-policy, --boundary, --scp) that yielded nothing
//     readable becomes placeholder documents that are not known, of the kind
//     it was given as (or, with no kind, of every kind it could be: trust,
//     permission and bucket policy). SPEC §1: a declared document that could
//     not be read makes every request it could affect unknown, never
//     allowed; the error stays in Errors (exit 2).
func finishFile(file string, explicit bool, kind policy.Kind, level string, out *Input) {
	known := map[*policy.Document]bool{}
	for _, s := range out.SCPs {
		known[s.Doc] = true
		if s.Level == "" {
			s.Level = level
		}
	}
	for _, d := range out.Documents {
		if d.Kind == policy.SCP && !known[d] {
			out.SCPs = append(out.SCPs, &SCPInfo{Doc: d, Level: level})
		}
	}
	for _, l := range out.SCPLists {
		if l.Level == "" {
			l.Level = level
		}
	}
	if len(out.Errors) == 0 || !(explicit || kind != "") || usable(out) {
		return
	}
	first := out.Errors[0]
	kinds := []policy.Kind{kind}
	what := "the " + kindLabel(kind) + " " + file
	if kind == "" {
		kinds = []policy.Kind{policy.Trust, policy.Identity, policy.Bucket}
		what = "the file " + file + " (named on the command line)"
	}
	if level != "" {
		what += " (SCP level " + level + ")"
	}
	why := "the file could not be read: " + first.Message
	for _, k := range kinds {
		d := &policy.Document{Kind: k, File: file, Line: first.Line, Name: "in unreadable file " + file, Unresolved: why}
		out.Documents = append(out.Documents, d)
		if k == policy.SCP {
			out.SCPs = append(out.SCPs, &SCPInfo{Doc: d, Level: level})
		}
	}
	out.Unresolved = append(out.Unresolved, Unresolved{File: file, Line: first.Line, What: what,
		Reason: "smlint could not read it (" + first.Message + "), so every request it could affect is unknown; fix the file, or the flag that names it"})
}

// usable reports whether a file gave anything smlint evaluates.
func usable(out *Input) bool {
	return len(out.Documents) > 0 || len(out.Principals) > 0 || len(out.Buckets) > 0 || len(out.Keys) > 0 ||
		len(out.Versions) > 0 || len(out.ManagedPolicies) > 0 || len(out.SCPLists) > 0 ||
		len(out.Attachments) > 0 || out.AttachmentLists > 0 || len(out.NotChecked) > 0 ||
		len(out.TagLists) > 0 || len(out.Organizations) > 0
}

func kindLabel(k policy.Kind) string {
	switch k {
	case policy.Trust:
		return "trust policy"
	case policy.Identity:
		return "permission policy"
	case policy.Bucket:
		return "bucket policy"
	case policy.Key:
		return "key policy"
	case policy.Boundary:
		return "permissions boundary"
	case policy.SCP:
		return "service control policy"
	}
	return "policy"
}
