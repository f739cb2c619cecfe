// Package scaffold writes the minimal correct policies for a setup: the trust
// policy that lets the vendor's role assume the customer's role, the
// permission policy that lets that role upload into the destination (and use
// the KMS key), and the key policy statement the key needs — as JSON
// documents, Terraform or a CloudFormation template (smlint init).
package scaffold
