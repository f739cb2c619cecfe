// Package awscli reads the outputs of the read-only AWS CLI commands the
// README lists (iam, s3api, kms, organizations; `aws ... --output json`),
// the whole-account export get-account-authorization-details among them,
// and the smlint-unread.json that `smlint simulate --save` writes beside
// them.
package awscli
