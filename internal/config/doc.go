// Package config holds the setup under test (bucket, prefix, KMS key, role
// ARN, auth method, vendor IP ranges) and reads it from .smlint.yaml, which is
// discovered upward from the working directory, with flags taking precedence.
package config
