package live

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// ProbeKey is the object key simulated for object actions: the simulator
// needs a concrete ARN, while smlint's own verdict covers every key under the
// prefix.
const ProbeKey = "smlint-simulate-probe"

// Limits the simulator documents (IAM user guide, "Testing IAM policies with
// the IAM policy simulator", access_policies_testing-policies.html, and the
// SimulatePrincipalPolicy API reference).
const (
	LimitResourcePolicyRole = "the simulator cannot evaluate resource-based policies (the bucket policy) for IAM roles"
	LimitKMSKeyPolicy       = "the simulator does not evaluate KMS key policies; smlint requires the key policy to allow the call"
	LimitCrossAccount       = "the simulator does not support cross-account simulation"
	LimitSCP                = "an Organizations SCP decides this in the simulator; simulate does not read SCPs, and the simulator cannot test SCPs with global condition keys"
	LimitContext            = "the simulator lacked context values the policies test, and does not consider real request context"
)

// Simulate calls SimulatePrincipalPolicy for the principal of snap with the
// vendor's requests and compares every answer with rep's decision.
//
// One call is made per vendor range, with aws:SourceIp set to the range's
// first address (the simulator takes one address, not a range), and
// aws:SecureTransport=true. When a KMS key ARN is configured the SSE-KMS
// header keys are set as the upload carries them. Object actions are
// simulated on arn:aws:s3:::BUCKET/PREFIX + ProbeKey, bucket actions on the
// bucket ARN, KMS actions on the key ARN; per-resource answers are read from
// ResourceSpecificResults, since the simulator now returns one
// EvaluationResult per action (API_EvaluationResult).
func Simulate(ctx context.Context, c Clients, snap *Snapshot, setup config.Setup, prof *requestmodel.Profile, rep *check.Report) (*CrossCheck, error) {
	cc := &CrossCheck{}
	p := snap.Principal
	if p == nil || p.ARN == "" || policy.IsUnknown(p.ARN) {
		cc.Error = "no role or user ARN to simulate"
		return cc, nil
	}
	cc.PolicySourceARN = p.ARN
	prefix := normalisePrefix(setup.Prefix)
	bucketARN := "arn:aws:s3:::" + setup.Bucket
	objectARN := bucketARN + "/" + prefix + ProbeKey

	type target struct {
		action, resource string
		kms              bool
	}
	keyARN := ""
	if snap.Key != nil {
		keyARN = snap.Key.ARN
	}
	if keyARN == "" {
		keyARN = keyRef(setup, snap.Bucket)
	}
	// The same request plan as check (requestmodel.Plan). The vendor's
	// sts:AssumeRole is not simulated (see the notes below), and the
	// simulator is called once per vendor range with every action, so the
	// plan is taken without ranges and the ranges looped over below.
	var targets []target
	for _, st := range prof.Plan(requestmodel.PlanFor{KMS: keyARN != ""}) {
		switch st.On {
		case requestmodel.OnObject:
			targets = append(targets, target{action: st.Action, resource: objectARN})
		case requestmodel.OnBucket:
			targets = append(targets, target{action: st.Action, resource: bucketARN})
		case requestmodel.OnKey:
			targets = append(targets, target{action: st.Action, resource: keyARN, kms: true})
		}
	}
	var actions, resources []string
	seenRes := map[string]bool{}
	for _, t := range targets {
		actions = append(actions, t.action)
		if !seenRes[t.resource] {
			seenRes[t.resource] = true
			resources = append(resources, t.resource)
		}
	}

	ranges := setup.Vendor.IPRanges
	if len(ranges) == 0 {
		ranges = prof.IPRanges
	}
	if len(ranges) == 0 {
		ranges = []string{""}
		cc.Notes = append(cc.Notes, "No vendor IP ranges are configured: aws:SourceIp was not set, so the simulator reports "+
			"IP conditions as missing context values.")
	} else {
		cc.Notes = append(cc.Notes, "aws:SourceIp is the first address of each vendor range (one simulation per range); "+
			"a condition that admits only part of a range can answer differently for its other addresses.")
	}
	region := setup.Region
	if region == "" && snap.Bucket != nil {
		region = snap.Bucket.Region
	}
	base := []types.ContextEntry{
		{ContextKeyName: aws.String("aws:SecureTransport"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"true"}},
	}
	supplied := []string{"aws:securetransport"}
	if setup.KMSKeyARN != "" {
		// The upload carries these headers only when a key is configured
		// (SPEC §1); every action of the call sees them.
		base = append(base,
			types.ContextEntry{ContextKeyName: aws.String("s3:x-amz-server-side-encryption"), ContextKeyType: types.ContextKeyTypeEnumString, ContextKeyValues: []string{"aws:kms"}},
			types.ContextEntry{ContextKeyName: aws.String("s3:x-amz-server-side-encryption-aws-kms-key-id"), ContextKeyType: types.ContextKeyTypeEnumString, ContextKeyValues: []string{setup.KMSKeyARN}})
		supplied = append(supplied, "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id")
	}
	if keyARN != "" && region != "" {
		// S3 calls KMS on the uploader's behalf (conditions-kms.html#conditions-kms-via-service).
		base = append(base, types.ContextEntry{ContextKeyName: aws.String("kms:ViaService"), ContextKeyType: types.ContextKeyTypeEnumString,
			ContextKeyValues: []string{"s3." + region + ".amazonaws.com"}})
		supplied = append(supplied, "kms:viaservice")
	}
	if ranges[0] != "" {
		supplied = append(supplied, "aws:sourceip")
	}

	in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(p.ARN), ActionNames: actions, ResourceArns: resources}
	switch {
	case p.Type == "user" && snap.BucketPolicy != "":
		// The simulator applies one resource policy to every simulated
		// resource, for IAM users only (API_SimulatePrincipalPolicy).
		in.ResourcePolicy = aws.String(snap.BucketPolicy)
		owner := setup.BucketAccount
		if owner == "" {
			owner = p.Account
		}
		if owner != "" {
			in.ResourceOwner = aws.String("arn:aws:iam::" + owner + ":root")
		}
		cc.Notes = append(cc.Notes, "The bucket policy was given to the simulator as the resource policy (possible for IAM users).")
	case p.Type == "role" && snap.BucketPolicy != "":
		cc.Notes = append(cc.Notes, "The bucket policy is not part of the simulation: "+LimitResourcePolicyRole+".")
	}
	if keyARN != "" {
		cc.Notes = append(cc.Notes, "KMS actions are simulated against the role's or user's own policies only: "+LimitKMSKeyPolicy+
			". The simulation also sets aws:SourceIp for them, while S3 makes these calls from its own address.")
	}
	if setup.Auth != config.AuthAccessKey {
		cc.Notes = append(cc.Notes, "sts:AssumeRole by the vendor is not simulated: the simulator cannot evaluate a trust policy "+
			"for a caller in another account (CallerArn must be an IAM user).")
	}
	cc.Notes = append(cc.Notes, "Not simulated either: Organizations SCPs with global condition keys, session policies, cross-account access (documented simulator limits); simulate reads no SCPs.")

	// Which context keys do the principal's policies use that we do not set?
	if ck, err := c.IAM.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(p.ARN)}); err == nil {
		var unset []string
		for _, k := range ck.ContextKeyNames {
			if !slices.Contains(supplied, strings.ToLower(k)) {
				unset = append(unset, k)
			}
		}
		if len(unset) > 0 {
			sort.Strings(unset)
			cc.Notes = append(cc.Notes, "The principal's policies test context keys the simulation does not set: "+strings.Join(unset, ", ")+
				"; the simulator treats them as missing.")
		}
	} else if isAPIError(err) {
		cc.Notes = append(cc.Notes, "Could not list the context keys the principal's policies use: iam:GetContextKeysForPrincipalPolicy: "+apiErrorText(err)+".")
	} else {
		return nil, fmt.Errorf("iam:GetContextKeysForPrincipalPolicy: %w", err)
	}

	for _, rng := range ranges {
		ip := firstAddress(rng)
		ctxEntries := append([]types.ContextEntry(nil), base...)
		if ip != "" {
			ctxEntries = append(ctxEntries, types.ContextEntry{ContextKeyName: aws.String("aws:SourceIp"),
				ContextKeyType: types.ContextKeyTypeEnumIp, ContextKeyValues: []string{ip}})
		}
		req := *in
		req.ContextEntries = ctxEntries
		answers, err := simulateAll(ctx, c.IAM, &req)
		if err != nil {
			if !isAPIError(err) {
				return nil, fmt.Errorf("iam:SimulatePrincipalPolicy: %w", err)
			}
			cc.Error = "iam:SimulatePrincipalPolicy: " + apiErrorText(err)
		}
		for _, t := range targets {
			row := Comparison{Principal: p.ARN, Action: t.action, Resource: t.resource, VendorRange: rng, SourceIP: ip}
			mine := smlintDecision(rep, p.ARN, t.action, rng, t.kms)
			if mine != nil {
				row.Smlint = mine.Decision
			}
			if a, ok := answers.lookup(t.action, t.resource); ok {
				row.Simulator = a.decision
				row.MatchedStatements = a.matched
				row.MissingContextValues = a.missing
				classify(&row, mine, a, p.Type, setup, p.Account, t.kms)
			} else {
				row.Status = StatusNotCompared
				row.Note = "the simulator returned no answer for this action and resource"
				if cc.Error != "" {
					row.Note = cc.Error
				}
			}
			cc.Comparisons = append(cc.Comparisons, row)
		}
	}
	return cc, nil
}

// classify sets Agree, Status, Limit and Note of a row.
func classify(row *Comparison, mine *check.RequestResult, a answer, principalType string, setup config.Setup, account string, kms bool) {
	switch {
	case mine == nil:
		row.Status = StatusNotCompared
		row.Note = "smlint evaluated no matching request"
		return
	case mine.Decision == "unknown":
		row.Status = StatusNotCompared
		row.Note = "smlint could not decide"
		if len(mine.Reasons) > 0 {
			row.Note += ": " + mine.Reasons[0]
		}
		return
	case mine.Decision == row.Simulator:
		row.Agree, row.Status = true, StatusAgree
		return
	}
	row.Status = StatusKnownLimit
	byBucket := false
	for _, b := range mine.Because {
		if b.Kind == string(policy.Bucket) {
			byBucket = true
		}
	}
	switch {
	case kms:
		row.Limit = LimitKMSKeyPolicy
	case setup.BucketAccount != "" && account != "" && setup.BucketAccount != account:
		row.Limit = LimitCrossAccount
	case principalType == "role" && byBucket:
		row.Limit = LimitResourcePolicyRole
	case a.orgsDenied:
		row.Limit = LimitSCP
	case len(a.missing) > 0:
		row.Limit = LimitContext
	default:
		row.Status = StatusDisagree
		if !kms && strings.HasSuffix(row.Resource, "/"+ProbeKey) && row.Simulator == "allowed" {
			row.Note = "smlint requires every key under the prefix to be allowed; the simulator checked one probe key"
		}
	}
}

// smlintDecision finds rep's request for action from vendorRange (KMS
// requests carry no source address: S3 makes them).
func smlintDecision(rep *check.Report, principal, action, vendorRange string, kms bool) *check.RequestResult {
	var fallback *check.RequestResult
	for i := range rep.Requests {
		r := &rep.Requests[i]
		if !strings.EqualFold(r.Action, action) || (!kms && r.SourceIP != vendorRange) {
			continue
		}
		if r.Principal == principal {
			return r
		}
		if fallback == nil {
			fallback = r
		}
	}
	return fallback
}

type answer struct {
	decision   string
	matched    []string
	missing    []string
	orgsDenied bool
}

type answers map[string]answer // by lower(action) + " " + resource

func (as answers) lookup(action, resource string) (answer, bool) {
	a, ok := as[strings.ToLower(action)+" "+resource]
	return a, ok
}

// simulateAll runs one simulation through every page.
func simulateAll(ctx context.Context, api IAMAPI, in *iam.SimulatePrincipalPolicyInput) (answers, error) {
	out := answers{}
	for {
		res, err := api.SimulatePrincipalPolicy(ctx, in)
		if err != nil {
			return out, err
		}
		for _, ev := range res.EvaluationResults {
			action := strings.ToLower(aws.ToString(ev.EvalActionName))
			orgs := ev.OrganizationsDecisionDetail != nil && !ev.OrganizationsDecisionDetail.AllowedByOrganizations
			// Older answers: one result per action and resource.
			if name := aws.ToString(ev.EvalResourceName); name != "" {
				key := action + " " + name
				if _, ok := out[key]; !ok {
					out[key] = answer{decision: decisionOf(ev.EvalDecision), matched: statementsOf(ev.MatchedStatements),
						missing: ev.MissingContextValues, orgsDenied: orgs}
				}
			}
			// Current answers: one result per action, the top-level decision
			// the most restrictive; per-resource answers here.
			for _, rs := range ev.ResourceSpecificResults {
				out[action+" "+aws.ToString(rs.EvalResourceName)] = answer{decision: decisionOf(rs.EvalResourceDecision),
					matched: statementsOf(rs.MatchedStatements), missing: rs.MissingContextValues, orgsDenied: orgs}
			}
		}
		if !res.IsTruncated || res.Marker == nil {
			return out, nil
		}
		next := *in
		next.Marker = res.Marker
		in = &next
	}
}

func decisionOf(d types.PolicyEvaluationDecisionType) string {
	switch d {
	case types.PolicyEvaluationDecisionTypeAllowed:
		return "allowed"
	case types.PolicyEvaluationDecisionTypeExplicitDeny:
		return "explicit_deny"
	case types.PolicyEvaluationDecisionTypeImplicitDeny:
		return "implicit_deny"
	}
	return string(d)
}

func statementsOf(ss []types.Statement) []string {
	var out []string
	for _, s := range ss {
		id := aws.ToString(s.SourcePolicyId)
		if t := string(s.SourcePolicyType); t != "" {
			id = t + " " + id
		}
		if s.StartPosition != nil {
			id += fmt.Sprintf(" (line %d)", s.StartPosition.Line)
		}
		out = append(out, id)
	}
	return out
}

// firstAddress is the first address of a CIDR range (a single address is
// itself); "" for "" or a value that is not an address.
func firstAddress(r string) string {
	if r == "" {
		return ""
	}
	if p, err := netip.ParsePrefix(r); err == nil {
		return p.Masked().Addr().String()
	}
	if a, err := netip.ParseAddr(r); err == nil {
		return a.String()
	}
	return ""
}

func normalisePrefix(p string) string {
	p = strings.TrimLeft(p, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func isAPIError(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae)
}

func apiErrorText(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

// SimulateEach cross-checks every principal of snap (one after Read, every
// discovered role after Discover) and joins the answers: the rows name their
// principal, the notes are said once, and the first simulator error is kept.
func SimulateEach(ctx context.Context, c Clients, snap *Snapshot, setup config.Setup, prof *requestmodel.Profile, rep *check.Report) (*CrossCheck, error) {
	if len(snap.Principals) <= 1 {
		return Simulate(ctx, c, snap, setup, prof, rep)
	}
	all := &CrossCheck{}
	seen := map[string]bool{}
	var arns []string
	for _, p := range snap.Principals {
		one := *snap
		one.Principal = p
		cc, err := Simulate(ctx, c, &one, setup, prof, rep)
		if err != nil {
			return nil, err
		}
		arns = append(arns, cc.PolicySourceARN)
		all.Comparisons = append(all.Comparisons, cc.Comparisons...)
		for _, n := range cc.Notes {
			if !seen[n] {
				seen[n] = true
				all.Notes = append(all.Notes, n)
			}
		}
		if all.Error == "" {
			all.Error = cc.Error
		}
	}
	all.PolicySourceARN = strings.Join(arns, ", ")
	return all, nil
}
