package iam

// AnyKey ends an S3 object ARN that stands for every object under a prefix:
// "arn:aws:s3:::bucket/exports/" + AnyKey is the vendor's upload target,
// whose file names are not known in advance. It is a code point IAM never
// accepts in a policy (only U+0009, U+000A, U+000D, U+0020–U+00FF are
// allowed: reference_iam-quotas.html), so no pattern names it literally.
const AnyKey = "\uFFFE"
