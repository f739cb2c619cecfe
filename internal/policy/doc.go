// Package policy is smlint's model of an IAM policy document: the statements
// of one identity, trust, bucket, key, boundary or SCP document, each with the
// file and 1-based line the user must edit. Every input format (raw JSON, AWS
// CLI exports, Terraform plans, CloudFormation templates) is normalised into
// this model before anything is evaluated.
//
// Values that an input leaves unresolved (Terraform "known after apply", a
// CloudFormation reference without a value) are kept as Unknown strings so
// that evaluation can answer "unknown" instead of guessing.
//
// The files follow the steps of reading a document: decode.go (a node or a
// string to a Document), grammar.go (each element), validate.go (problems
// that depend on the kind or the whole document), kind.go (DetectKind),
// arn.go (ARNs and account ids), quota.go (size quotas).
package policy
