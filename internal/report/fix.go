package report

import (
	"regexp"
	"strings"

	"github.com/smlint/smlint/internal/config"
)

// placeholder matches the setup placeholders rule remediations use
// (arn:aws:s3:::BUCKET/PREFIX*, s3.REGION.amazonaws.com).
var placeholder = regexp.MustCompile(`\b(BUCKET|PREFIX|REGION)\b`)

// concreteFix is a remediation with the placeholders filled from the setup:
// the bucket, the upload folder (an empty prefix is the whole bucket) and
// the Region. A placeholder the setup does not give stays as it is; the
// prefix is filled only beside a known bucket, since an unknown setup also
// has an empty prefix.
func concreteFix(remediation string, s config.Setup) string {
	text := oneLine(remediation)
	return placeholder.ReplaceAllStringFunc(text, func(p string) string {
		switch {
		case p == "BUCKET" && s.Bucket != "":
			return s.Bucket
		case p == "PREFIX" && s.Bucket != "":
			return strings.TrimPrefix(s.Prefix, "/")
		case p == "REGION" && s.Region != "":
			return s.Region
		}
		return p
	})
}
