// Package cloudformation reads CloudFormation and CDK-synthesised templates
// (JSON or YAML): the IAM roles and users, their policies and attachments,
// bucket policies, buckets, default encryption and KMS keys a stack
// creates, with intrinsic functions evaluated where the template alone
// decides the value and kept unknown where the deployment does.
package cloudformation
