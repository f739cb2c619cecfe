package check

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
)

// Documents an export names but the run does not hold (SPEC §1: "A document
// an export names but the run does not have ... makes every request it could
// affect unknown — never allowed. Only documents nothing names are assumed
// absent.").
//
// Each becomes an unresolved placeholder document of the kind it plays, so
// iam.Evaluate treats it as able to allow or deny anything it could: a
// permissions boundary that is not known caps every Allow ("Permissions
// boundaries for IAM entities", access_policies_boundaries.html: "the
// effective permissions are the intersection of the identity-based policies
// and the permissions boundary"), so no request through it can be Allowed,
// while a known explicit Deny elsewhere still decides
// (reference_policies_evaluation-logic.html). Each also becomes an unresolved
// entry for rule unresolved-value, naming the ARN and the commands that
// export it.

// missingDoc is the placeholder for a named document the run lacks.
func missingDoc(kind policy.Kind, arn, name, file string, line int, why string) *policy.Document {
	return &policy.Document{Kind: kind, File: file, Line: line, Name: name, ARN: arn,
		AWSManaged: policy.IsAWSManagedARN(arn), Unresolved: why}
}

// exportCommands says how to export a managed policy's document in force.
func exportCommands(arn string) string {
	return fmt.Sprintf("export it with `aws iam get-policy --policy-arn %s` (its DefaultVersionId is the version in force) "+
		"and then `aws iam get-policy-version --policy-arn %s --version-id vN` with that version", arn, arn)
}

// addMissing adds placeholders for the principal's permissions boundary and
// attached managed policies whose documents the run lacks.
func addMissing(s *subject, in *load.Input) {
	p := s.principal
	if p == nil {
		return
	}
	owner := p.Type + "/" + p.Name
	if p.BoundaryARN != "" && len(s.boundary) == 0 {
		arn := p.BoundaryARN
		label := arn
		if policy.IsUnknown(arn) {
			label = "<unknown: " + policy.UnknownReason(arn) + ">"
		}
		line := p.Line
		if p.BoundaryLine > 0 {
			line = p.BoundaryLine
		}
		why := "the permissions boundary " + label + " of " + owner + " is not among the inputs"
		s.boundary = append(s.boundary, missingDoc(policy.Boundary, arn, label, p.File, line, why))
		if !policy.IsUnknown(arn) && !alreadyUnresolved(in, arn) {
			s.unresolved = append(s.unresolved, load.Unresolved{File: p.File, Line: line, Address: p.Address,
				What: "the permissions boundary " + arn + " of " + owner,
				Reason: "its document is not among the inputs, and a boundary caps every Allow of the " + p.Type +
					" (every S3 and KMS request is unknown); " + exportCommands(arn)})
		}
	}
	for _, arn := range p.MissingPolicies {
		label, what, how := arn, "the managed policy "+arn+" attached to "+owner, ""
		switch {
		case policy.IsUnknown(arn):
			label = "<unknown: " + policy.UnknownReason(arn) + ">"
		case strings.HasPrefix(arn, "policies of group "):
			what = "the " + arn + " (" + owner + " is a member)"
			how = "export the whole account with `aws iam get-account-authorization-details` (no --filter, or with Group and LocalManagedPolicy and AWSManagedPolicy)"
		default:
			how = exportCommands(arn)
		}
		why := "the managed policy " + label + " attached to " + owner + " is not among the inputs"
		s.identity = append(s.identity, missingDoc(policy.Identity, arn, label, p.File, p.Line, why))
		if how != "" && !alreadyUnresolved(in, arn) {
			s.unresolved = append(s.unresolved, load.Unresolved{File: p.File, Line: p.Line, Address: p.Address,
				What: what, Reason: "its document is not among the inputs, so what it allows or denies is not known; " + how})
		}
	}
}

// alreadyUnresolved: a loader (Terraform, CloudFormation) already reported
// the gap.
func alreadyUnresolved(in *load.Input, arn string) bool {
	for _, u := range in.Unresolved {
		if strings.Contains(u.Reason, arn) || strings.Contains(u.What, arn) {
			return true
		}
	}
	return false
}
