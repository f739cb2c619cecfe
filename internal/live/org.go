package live

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
)

// OrganizationsAPI is the part of the Organizations API simulate reads: the
// organisation (its id is the aws:PrincipalOrgID of the customer's own
// role session) and the SCPs on the account's path, level by level.
type OrganizationsAPI interface {
	DescribeOrganization(context.Context, *organizations.DescribeOrganizationInput, ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
	ListParents(context.Context, *organizations.ListParentsInput, ...func(*organizations.Options)) (*organizations.ListParentsOutput, error)
	ListPoliciesForTarget(context.Context, *organizations.ListPoliciesForTargetInput, ...func(*organizations.Options)) (*organizations.ListPoliciesForTargetOutput, error)
	DescribePolicy(context.Context, *organizations.DescribePolicyInput, ...func(*organizations.Options)) (*organizations.DescribePolicyOutput, error)
}

// maxOrgDepth bounds the walk from the account to the root: Organizations
// nests OUs at most five levels deep (orgs_reference_limits.html).
const maxOrgDepth = 8

// readOrganization reads the organisation the account belongs to and the
// SCPs attached at each level of its path (the account, each OU, the root;
// Organizations "SCP evaluation": every level must allow). An account that
// is in no organisation has no SCPs. A read that is refused — common from a
// member account, since ListParents and ListPoliciesForTarget answer only
// the management account or a delegated administrator — leaves an unknown
// SCP in the run, so the requests are unknown rather than taken as free of
// SCPs, and the error names the Organizations action to grant.
func (r *reader) readOrganization(ctx context.Context) {
	if r.c.Org == nil || r.snap.Account == "" {
		return
	}
	const file = "aws:organizations"
	if !r.called("organizations:DescribeOrganization") {
		return
	}
	org, err := r.c.Org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	switch {
	case errorCode(err) == "AWSOrganizationsNotInUseException":
		return // not in an organisation: no SCPs apply
	case err != nil:
		r.orgUnreadable("organizations:DescribeOrganization", file, err)
		return
	case org.Organization != nil:
		o := org.Organization
		r.snap.Input.Organizations = append(r.snap.Input.Organizations, load.Organization{ID: aws.ToString(o.Id),
			MasterAccountID: aws.ToString(o.MasterAccountId), File: file, Line: 1})
	}

	// The path from the account up to the root.
	targets := []string{r.snap.Account}
	for child := r.snap.Account; len(targets) < maxOrgDepth; {
		if !r.called("organizations:ListParents") {
			return
		}
		out, err := r.c.Org.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child)})
		if err != nil {
			r.orgUnreadable("organizations:ListParents", file, err)
			return
		}
		if len(out.Parents) == 0 {
			break
		}
		p := out.Parents[0] // an account or OU has exactly one parent
		targets = append(targets, aws.ToString(p.Id))
		if p.Type == orgtypes.ParentTypeRoot {
			break
		}
		child = aws.ToString(p.Id)
	}

	read := map[string]*policy.Document{}
	for _, target := range targets {
		list := &load.SCPList{Level: target, File: file + "/" + target, Line: 1}
		var token *string
		for {
			if !r.called("organizations:ListPoliciesForTarget") {
				return
			}
			out, err := r.c.Org.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target),
				Filter: orgtypes.PolicyTypeServiceControlPolicy, NextToken: token})
			if err != nil {
				r.orgUnreadable("organizations:ListPoliciesForTarget", list.File, err)
				return
			}
			for _, ps := range out.Policies {
				list.Policies = append(list.Policies, load.SCPRef{ID: aws.ToString(ps.Id), ARN: aws.ToString(ps.Arn),
					Name: aws.ToString(ps.Name), AWSManaged: ps.AwsManaged, Line: 1})
			}
			if out.NextToken == nil {
				break
			}
			token = out.NextToken
		}
		r.snap.Input.SCPLists = append(r.snap.Input.SCPLists, list)
		for _, ref := range list.Policies {
			if _, done := read[ref.ID]; done {
				continue
			}
			read[ref.ID] = nil
			if !r.called("organizations:DescribePolicy") {
				return
			}
			out, err := r.c.Org.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(ref.ID)})
			if err != nil || out.Policy == nil {
				// The list names it, so check keeps it as an unknown
				// placeholder at its level (never taken as absent).
				if err != nil {
					r.failed("organizations:DescribePolicy", file+"/"+ref.ID, err)
				}
				continue
			}
			name := ref.Name + " (" + ref.ID + ")"
			d := r.parse(aws.ToString(out.Policy.Content), policy.SCP, policy.OriginOrganization, file+"/"+ref.ID, name)
			if d == nil {
				continue
			}
			d.ARN, d.AWSManaged = ref.ARN, ref.AWSManaged
			read[ref.ID] = d
			r.snap.Input.Documents = append(r.snap.Input.Documents, d)
			r.snap.Input.SCPs = append(r.snap.Input.SCPs, &load.SCPInfo{Doc: d, ID: ref.ID, ARN: ref.ARN, Name: ref.Name, AWSManaged: ref.AWSManaged})
		}
	}
}

// orgUnreadable records a refused Organizations read: the account's SCPs
// are not known, so an unknown SCP stands for them.
func (r *reader) orgUnreadable(call, file string, err error) {
	r.failed(call, file, err)
	if isTimeout(err) {
		return // unread() reports the rest
	}
	r.snap.Input.Documents = append(r.snap.Input.Documents, r.notRead(policy.SCP, policy.OriginOrganization, file, "the SCPs of account "+r.snap.Account,
		fmt.Sprintf("could not be read: %s failed: %s (grant %s, or run simulate from the organisation's management account or a delegated administrator)",
			call, errorCode(err), call)))
}
