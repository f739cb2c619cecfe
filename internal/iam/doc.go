// Package iam evaluates IAM, S3 and KMS authorization semantics over the
// policy model: action and ARN wildcards, NotAction/NotResource/NotPrincipal,
// principals, condition operators, policy variables, and the combination of
// identity, resource, boundary and SCP documents with explicit deny winning.
//
// Every answer is three-valued: a value that an input left unresolved, a
// condition key whose value the request model does not know, or an operator
// IAM does not define makes the answer Unknown, never Allowed.
package iam
