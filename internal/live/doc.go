// Package live reads a setup from a live AWS account, read-only (the role or
// user, its policies, the bucket policy, encryption and location, the KMS key
// policy), builds the same load.Input that files produce, and cross-checks
// smlint's decisions with IAM's policy simulator (SimulatePrincipalPolicy).
package live
