// Package terraform reads Terraform plan and state JSON (`terraform show
// -json`): the IAM roles and users, their policies and attachments, bucket
// policies, buckets, default encryption, KMS keys, key policies and grants
// that exist after apply, with values known only after apply kept unknown.
package terraform
