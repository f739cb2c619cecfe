package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// Snapshot is what Read found in the account.
type Snapshot struct {
	// Input is the setup as the loader would have produced it from exports:
	// documents carry pseudo-paths (aws:iam:role/NAME/inline/POLICY, a
	// managed policy's ARN, aws:s3:bucket/NAME/policy, aws:kms:key/ID/policy)
	// and line 1. API errors on single reads are in Input.Errors.
	Input *load.Input
	// CallerARN and Account are who the credentials belong to.
	CallerARN string
	Account   string
	// Principal is the role or user that was read (the first one, when
	// Discover read several).
	Principal *load.Principal
	// Principals are every role or user read: one unless Discover found
	// several roles that trust the vendor.
	Principals []*load.Principal
	// Bucket is nil when no bucket fact could be read.
	Bucket *load.BucketFacts
	// BucketPolicy is the bucket policy text, "" when the bucket has none or
	// it could not be read.
	BucketPolicy string
	// Key is the KMS key that applies (configured, or the bucket default
	// customer managed key), nil when none does.
	Key *load.KeyFacts
	// Calls lists the API calls made, in order ("iam:GetRole"), for tests
	// and --verbose style output.
	Calls []string
	// TimedOut names the call that got no answer before the deadline ("" when
	// every call answered). Read then stops: what was read before is in
	// Input, and every document that was not read is in Input.Unresolved, so
	// that no verdict takes an unread bucket or key policy for an absent one.
	TimedOut string
}

// Read fetches the setup named by setup from the account, read-only. It
// returns an error only when nothing useful can be read: the credentials are
// missing or rejected, the endpoint cannot be reached, or the setup does not
// say which role, user or bucket to read. A read the caller may not make
// (AccessDenied) or an entity that does not exist is recorded as an input
// error naming the API call, and the rest is still read.
func Read(ctx context.Context, c Clients, setup config.Setup) (*Snapshot, error) {
	return read(ctx, c, setup, nil)
}

// Discover is Read for an audit that does not name the role: it lists the
// account's roles (iam:ListRoles, every page) and reads each one whose trust
// policy candidate accepts — check.Candidate: the roles that name the
// vendor, its account, a near miss of it, or everyone — as check does for
// an account export. With a role ARN or the access-key method it is Read.
func Discover(ctx context.Context, c Clients, setup config.Setup, candidate func(trust *policy.Document) bool) (*Snapshot, error) {
	return read(ctx, c, setup, candidate)
}

func read(ctx context.Context, c Clients, setup config.Setup, candidate func(*policy.Document) bool) (*Snapshot, error) {
	auth := setup.Auth
	if auth == "" {
		auth = config.AuthRole
	}
	discover := candidate != nil && auth == config.AuthRole && setup.RoleARN == ""
	switch {
	case auth == config.AuthRole && setup.RoleARN == "" && !discover:
		return nil, errors.New("simulate needs the role to read: --role-arn (or role_arn in .smlint.yaml)")
	case auth == config.AuthAccessKey && setup.User == "":
		return nil, errors.New("simulate needs the IAM user to read: --user (or user in .smlint.yaml)")
	case setup.Bucket == "":
		return nil, errors.New("simulate needs the bucket to read: --bucket (or bucket in .smlint.yaml)")
	}
	r := &reader{c: c, snap: &Snapshot{Input: &load.Input{}}, managed: map[string]*policy.Document{}}
	id, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	r.snap.Calls = append(r.snap.Calls, "sts:GetCallerIdentity")
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return nil, fmt.Errorf("sts:GetCallerIdentity: the credentials were rejected (%s: %s); check AWS_PROFILE / --profile or refresh them",
				ae.ErrorCode(), ae.ErrorMessage())
		}
		return nil, fmt.Errorf("sts:GetCallerIdentity: %w", err)
	}
	r.snap.CallerARN, r.snap.Account = aws.ToString(id.Arn), aws.ToString(id.Account)
	// IAM reads by name within the caller's account: reading a role of
	// another account would silently read a namesake.
	named := setup.RoleARN
	if auth == config.AuthAccessKey {
		named = setup.User
	}
	if a, _ := policy.ParseARN(named); a.Account != "" && r.snap.Account != "" && a.Account != r.snap.Account {
		return nil, fmt.Errorf("%s is in account %s, but the credentials are for account %s (%s): use a profile for account %s",
			named, a.Account, r.snap.Account, r.snap.CallerARN, a.Account)
	}

	switch {
	case auth == config.AuthAccessKey:
		r.readUser(ctx, setup.User)
	case discover:
		r.discover(ctx, candidate)
	default:
		r.readRole(ctx, setup.RoleARN)
	}
	if r.fatal == nil {
		r.readBucket(ctx, setup)
	}
	if r.fatal == nil {
		r.readKey(ctx, setup)
	}
	if r.fatal == nil {
		r.readOrganization(ctx)
		if r.snap.TimedOut == "" {
			r.finished(phaseOrganization)
		}
	}
	if r.fatal != nil {
		return nil, r.fatal
	}
	r.unread(setup)
	return r.snap, nil
}

type reader struct {
	c       Clients
	snap    *Snapshot
	managed map[string]*policy.Document // by ARN; nil value: could not be read
	fatal   error
	// read marks the documents whose read finished (answered or refused),
	// so that a run stopped by its deadline can name what it did not read.
	read map[string]bool
	// discoveryCut is true when the deadline stopped Discover before it had
	// examined every role of the account.
	discoveryCut bool
}

// add records a principal being read.
func (r *reader) add(p *load.Principal) {
	if r.snap.Principal == nil {
		r.snap.Principal = p
	}
	r.snap.Principals = append(r.snap.Principals, p)
}

// Phases of Read whose documents are named in Unresolved when the run stops
// before them.
const (
	phaseTrust        = "trust"
	phasePolicies     = "policies"
	phaseBucketPolicy = "bucket-policy"
	phaseEncryption   = "bucket-encryption"
	phaseKeyPolicy    = "key-policy"
	phaseOrganization = "organization"
)

func (r *reader) finished(phase string) {
	if r.read == nil {
		r.read = map[string]bool{}
	}
	r.read[phase] = true
}

// unread records, after a timeout, every document that was not read: the
// requests it could decide are then unknown (SPEC §1: a document that exists
// but is not in the run is never assumed absent).
func (r *reader) unread(setup config.Setup) {
	if r.snap.TimedOut == "" {
		return
	}
	reason := "not read: the run stopped when " + r.snap.TimedOut + " timed out"
	for _, p := range r.snap.Principals {
		p.Complete = false
		if p.Type == "role" && !r.read[p.File+" "+phaseTrust] {
			p.Trust = r.notRead(policy.Trust, policy.OriginTrust, p.File+"/trust", "trust policy of role/"+p.Name, reason)
		}
		if !r.read[p.File+" "+phasePolicies] {
			p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginUnstated, p.File, "permission policies of "+p.Type+"/"+p.Name, reason))
		}
	}
	if r.c.Org != nil && !r.read[phaseOrganization] {
		r.snap.Input.Documents = append(r.snap.Input.Documents, r.notRead(policy.SCP, policy.OriginOrganization, "aws:organizations", "the SCPs of account "+r.snap.Account, reason))
	}
	if r.discoveryCut {
		r.snap.Input.Unresolved = append(r.snap.Input.Unresolved, load.Unresolved{File: "aws:iam:roles", Line: 1,
			What: "the account's roles", Reason: "not all examined: the run stopped when " + r.snap.TimedOut + " timed out"})
	}
	base := "aws:s3:bucket/" + setup.Bucket
	if !r.read[phaseBucketPolicy] {
		r.snap.Input.Documents = append(r.snap.Input.Documents, r.notRead(policy.Bucket, policy.OriginResource, base+"/policy", "bucket policy of "+setup.Bucket, reason))
	}
	if !r.read[phaseEncryption] && r.snap.Bucket != nil {
		r.unknownEncryption(base, reason)
	}
	if ref := keyRef(setup, r.snap.Bucket); !r.read[phaseKeyPolicy] && ref != "" {
		if r.snap.Key == nil {
			r.snap.Key = &load.KeyFacts{File: "aws:kms:key/" + ref, Line: 1}
			r.snap.Input.Keys = append(r.snap.Input.Keys, r.snap.Key)
		}
		r.snap.Key.Policy = r.notRead(policy.Key, policy.OriginResource, r.snap.Key.File+"/policy", "key policy of "+ref, reason)
	}
}

// notRead is a document that exists (or may) but was not read: its content
// is unknown, so it can neither grant nor be assumed not to deny, and the
// requests it applies to are unknown (the mechanism Terraform's "known
// after apply" documents use). It is also listed as unresolved, for the
// unresolved-value rule to name.
func (r *reader) notRead(kind policy.Kind, origin policy.Origin, file, what, reason string) *policy.Document {
	r.snap.Input.Unresolved = append(r.snap.Input.Unresolved, load.Unresolved{File: file, Line: 1, What: what, Reason: reason})
	return &policy.Document{Kind: kind, Origin: origin, File: file, Line: 1, Name: what, Unresolved: what + " " + reason}
}

// unknownEncryption records that the bucket's default encryption could not
// be read: it may name a KMS key whose key policy decides the upload.
func (r *reader) unknownEncryption(file, reason string) {
	r.snap.Bucket.SSEAlgorithm = "aws:kms"
	r.snap.Bucket.KMSMasterKeyID = policy.UnknownValue("default encryption of " + r.snap.Bucket.Name + " " + reason)
	r.snap.Input.Unresolved = append(r.snap.Input.Unresolved, load.Unresolved{File: file, Line: 1,
		What: "default encryption of " + r.snap.Bucket.Name, Reason: reason})
}

// failed records err from call. An AWS API error (AccessDenied,
// NoSuchEntity…) is an input error about file; anything else (no network,
// no credentials, a cancelled context) stops the run.
func (r *reader) failed(call, file string, err error) {
	if isTimeout(err) {
		// The run's deadline passed or the endpoint stopped answering:
		// stop reading, and analyse what was read (the caller exits 2).
		if r.snap.TimedOut == "" {
			r.snap.TimedOut = call
			r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: file,
				Message: call + ": no answer in time (" + err.Error() + "); what was read before it is analysed, nothing after it was read"})
		}
		return
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := fmt.Sprintf("%s: %s: %s", call, ae.ErrorCode(), ae.ErrorMessage())
		if isAccessDenied(ae.ErrorCode()) {
			msg += " (the credentials may not call " + call + "; the rest was still read)"
		}
		r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: file, Message: msg})
		return
	}
	if r.fatal == nil {
		r.fatal = fmt.Errorf("%s: %w", call, err)
	}
}

func (r *reader) called(call string) bool {
	if r.fatal != nil || r.snap.TimedOut != "" {
		return false
	}
	r.snap.Calls = append(r.snap.Calls, call)
	return true
}

// isTimeout reports whether err is the run's deadline or an HTTP attempt
// that got no answer within its timeout (after the retryer gave up).
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func isAccessDenied(code string) bool {
	switch code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AllAccessDisabled":
		return true
	}
	return false
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// parse reads a policy document string from an API response (URL-encoded
// for IAM, plain JSON for S3 and KMS; policy.FromText handles both).
func (r *reader) parse(text string, kind policy.Kind, origin policy.Origin, file, name string) *policy.Document {
	d, err := policy.FromText(text, kind, file, 1)
	if err != nil {
		msg := err.Error()
		var pe *policy.ParseError
		if errors.As(err, &pe) {
			msg = pe.Msg
		}
		r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: file, Line: 1, Message: msg})
		return nil
	}
	d.Name, d.Origin = name, origin
	return d
}

// lastSegment is the name at the end of an IAM ARN or path ("role/path/N" → N).
func lastSegment(s string) string {
	if a, ok := policy.ParseARN(s); ok {
		return a.Name()
	}
	return s[strings.LastIndexByte(s, '/')+1:]
}

func (r *reader) readRole(ctx context.Context, roleARN string) {
	name := lastSegment(roleARN)
	base := "aws:iam:role/" + name
	arn, _ := policy.ParseARN(roleARN)
	p := &load.Principal{Type: "role", ARN: roleARN, Name: name, Account: arn.Account, File: base, Line: 1, Complete: true}
	r.add(p)
	r.snap.Input.Principals = append(r.snap.Input.Principals, p)

	if !r.called("iam:GetRole") {
		return
	}
	out, err := r.c.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if !isTimeout(err) {
		r.finished(p.File + " " + phaseTrust)
	}
	if err != nil {
		r.failed("iam:GetRole", base, err)
		p.Complete = false
		if errorCode(err) == "NoSuchEntity" {
			return // nothing else to read about a role that does not exist
		}
	} else if out.Role != nil {
		role := out.Role
		if a := aws.ToString(role.Arn); a != "" {
			arn, _ := policy.ParseARN(a)
			p.ARN, p.Account = a, arn.Account
		}
		p.ID = aws.ToString(role.RoleId)
		if doc := aws.ToString(role.AssumeRolePolicyDocument); doc != "" {
			p.Trust = r.parse(doc, policy.Trust, policy.OriginTrust, base+"/trust", "trust policy of role/"+name)
		}
		if pb := role.PermissionsBoundary; pb != nil && aws.ToString(pb.PermissionsBoundaryArn) != "" {
			r.boundary(ctx, p, aws.ToString(pb.PermissionsBoundaryArn))
		}
	}

	r.readPolicies(ctx, p, base, "role/"+name, policyCalls{
		listInlineCall: "iam:ListRolePolicies",
		listInline: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, out.IsTruncated, out.Marker, nil
		},
		getInlineCall: "iam:GetRolePolicy",
		getInline: func(pn string) (string, error) {
			po, err := r.c.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn)})
			if err != nil {
				return "", err
			}
			return aws.ToString(po.PolicyDocument), nil
		},
		listAttachedCall: "iam:ListAttachedRolePolicies",
		listAttached: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return attachedARNs(out.AttachedPolicies), out.IsTruncated, out.Marker, nil
		},
	})
	if r.snap.TimedOut == "" {
		r.finished(p.File + " " + phasePolicies)
	}
}

func (r *reader) readUser(ctx context.Context, user string) {
	name := lastSegment(user)
	base := "aws:iam:user/" + name
	p := &load.Principal{Type: "user", Name: name, File: base, Line: 1, Complete: true}
	if strings.HasPrefix(user, "arn:") {
		arn, _ := policy.ParseARN(user)
		p.ARN, p.Account = user, arn.Account
	}
	r.add(p)
	r.snap.Input.Principals = append(r.snap.Input.Principals, p)

	if !r.called("iam:GetUser") {
		return
	}
	out, err := r.c.IAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		r.failed("iam:GetUser", base, err)
		p.Complete = false
		if errorCode(err) == "NoSuchEntity" {
			return
		}
	} else if out.User != nil {
		if a := aws.ToString(out.User.Arn); a != "" {
			arn, _ := policy.ParseARN(a)
			p.ARN, p.Account = a, arn.Account
		}
		p.ID = aws.ToString(out.User.UserId)
		if pb := out.User.PermissionsBoundary; pb != nil && aws.ToString(pb.PermissionsBoundaryArn) != "" {
			r.boundary(ctx, p, aws.ToString(pb.PermissionsBoundaryArn))
		}
	}

	if !r.readPolicies(ctx, p, base, "user/"+name, policyCalls{
		listInlineCall: "iam:ListUserPolicies",
		listInline: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String(name), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, out.IsTruncated, out.Marker, nil
		},
		getInlineCall: "iam:GetUserPolicy",
		getInline: func(pn string) (string, error) {
			po, err := r.c.IAM.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String(pn)})
			if err != nil {
				return "", err
			}
			return aws.ToString(po.PolicyDocument), nil
		},
		listAttachedCall: "iam:ListAttachedUserPolicies",
		listAttached: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return attachedARNs(out.AttachedPolicies), out.IsTruncated, out.Marker, nil
		},
	}) {
		return
	}

	var groups []string
	var marker *string
	for r.called("iam:ListGroupsForUser") {
		out, err := r.c.IAM.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(name), Marker: marker})
		if err != nil {
			r.failed("iam:ListGroupsForUser", base, err)
			p.Complete = false
			if !isTimeout(err) {
				p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginGroup, base, "group policies of user/"+name,
					"could not be read: iam:ListGroupsForUser failed: "+errorCode(err)))
			}
			break
		}
		for _, g := range out.Groups {
			groups = append(groups, aws.ToString(g.GroupName))
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	for _, g := range groups {
		r.readGroup(ctx, p, g)
	}
	if r.snap.TimedOut == "" {
		r.finished(p.File + " " + phasePolicies)
	}
	r.readAccessKeys(ctx, p, base)
}

// readAccessKeys lists the user's access keys and when each was last used
// (never a secret: neither call returns one), so that the rules can say
// whether the key Supermetrics holds is the user's, active, and fresh.
func (r *reader) readAccessKeys(ctx context.Context, p *load.Principal, base string) {
	var marker *string
	listed := true
	for r.called("iam:ListAccessKeys") {
		out, err := r.c.IAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(p.Name), Marker: marker})
		if err != nil {
			r.failed("iam:ListAccessKeys", base, err)
			listed = false
			break
		}
		for _, m := range out.AccessKeyMetadata {
			k := load.AccessKey{ID: aws.ToString(m.AccessKeyId), Status: string(m.Status)}
			if m.CreateDate != nil {
				k.CreateDate = m.CreateDate.UTC().Format(time.RFC3339)
			}
			p.AccessKeys = append(p.AccessKeys, k)
			p.AccessKeyIDs = append(p.AccessKeyIDs, k.ID)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	p.AccessKeysListed = listed && r.snap.TimedOut == ""
	for i := range p.AccessKeys {
		k := &p.AccessKeys[i]
		if !r.called("iam:GetAccessKeyLastUsed") {
			return
		}
		out, err := r.c.IAM.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(k.ID)})
		if err != nil {
			r.failed("iam:GetAccessKeyLastUsed", base, err)
			continue
		}
		k.LastUsedKnown = true
		if lu := out.AccessKeyLastUsed; lu != nil && lu.LastUsedDate != nil {
			k.LastUsedDate = lu.LastUsedDate.UTC().Format(time.RFC3339)
		}
	}
}

// readGroup adds a user's group policies (IAM evaluates them as the user's
// identity policies).
func (r *reader) readGroup(ctx context.Context, p *load.Principal, group string) {
	base := "aws:iam:group/" + group
	r.readPolicies(ctx, p, base, "group/"+group, policyCalls{
		listInlineCall: "iam:ListGroupPolicies",
		listInline: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(group), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, out.IsTruncated, out.Marker, nil
		},
		getInlineCall: "iam:GetGroupPolicy",
		getInline: func(pn string) (string, error) {
			po, err := r.c.IAM.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String(pn)})
			if err != nil {
				return "", err
			}
			return aws.ToString(po.PolicyDocument), nil
		},
		listAttachedCall: "iam:ListAttachedGroupPolicies",
		listAttached: func(marker *string) ([]string, bool, *string, error) {
			out, err := r.c.IAM.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group), Marker: marker})
			if err != nil {
				return nil, false, nil, err
			}
			return attachedARNs(out.AttachedPolicies), out.IsTruncated, out.Marker, nil
		},
	})
}

// policyCalls are the IAM calls that list and read the policies of a role,
// a user or a group. They differ only in SDK input and output types, so each
// is a closure; the *Call fields are the API names recorded in Snapshot.Calls
// and in error messages.
type policyCalls struct {
	// listInline returns one page of inline policy names, whether more
	// pages follow, and the marker of the next page.
	listInlineCall string
	listInline     func(marker *string) (names []string, truncated bool, next *string, err error)

	// getInline returns an inline policy's document (URL-encoded JSON).
	getInlineCall string
	getInline     func(name string) (doc string, err error)

	// listAttached returns one page of attached managed policy ARNs.
	listAttachedCall string
	listAttached     func(marker *string) (arns []string, truncated bool, next *string, err error)
}

// readPolicies adds the inline and attached policies of owner ("role/NAME",
// "user/NAME", "group/NAME"; base is its pseudo-path) to p's identity
// policies. A failed list or read marks p incomplete. It returns false when
// the run was stopped while reading an inline policy: the caller then reads
// nothing more.
func (r *reader) readPolicies(ctx context.Context, p *load.Principal, base, owner string, c policyCalls) bool {
	var marker *string
	for r.called(c.listInlineCall) {
		names, truncated, next, err := c.listInline(marker)
		if err != nil {
			r.failed(c.listInlineCall, base, err)
			p.Complete = false
			if !isTimeout(err) {
				// Unseen inline policies may deny: never "none".
				p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginInline, base, "inline policies of "+owner,
					"could not be listed: "+c.listInlineCall+" failed: "+errorCode(err)))
			}
			break
		}
		for _, pn := range names {
			file := base + "/inline/" + pn
			if !r.called(c.getInlineCall) {
				return false
			}
			doc, err := c.getInline(pn)
			if err != nil {
				r.failed(c.getInlineCall, file, err)
				p.Complete = false
				if !isTimeout(err) {
					p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginInline, file, "inline policy "+pn+" of "+owner,
						"could not be read: "+c.getInlineCall+" failed: "+errorCode(err)))
				}
				continue
			}
			if d := r.parse(doc, policy.Identity, policy.OriginInline, file, "inline policy "+pn+" of "+owner); d != nil {
				p.Identity = append(p.Identity, d)
			}
		}
		if !truncated {
			break
		}
		marker = next
	}

	marker = nil
	for r.called(c.listAttachedCall) {
		arns, truncated, next, err := c.listAttached(marker)
		if err != nil {
			r.failed(c.listAttachedCall, base, err)
			p.Complete = false
			if !isTimeout(err) {
				p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginManaged, base, "attached policies of "+owner,
					"could not be listed: "+c.listAttachedCall+" failed: "+errorCode(err)))
			}
			break
		}
		for _, arn := range arns {
			r.attach(ctx, p, arn)
		}
		if !truncated {
			break
		}
		marker = next
	}
	return true
}

// attachedARNs lists the ARNs of a ListAttached*Policies page.
func attachedARNs(aps []iamtypes.AttachedPolicy) []string {
	arns := make([]string, 0, len(aps))
	for _, ap := range aps {
		arns = append(arns, aws.ToString(ap.PolicyArn))
	}
	return arns
}

// attach adds a managed policy's default version to p's identity policies,
// or names it in MissingPolicies when it cannot be read.
func (r *reader) attach(ctx context.Context, p *load.Principal, arn string) {
	if arn == "" {
		return
	}
	for _, d := range p.Identity {
		if d.ARN == arn {
			return // attached to the user and to one of its groups
		}
	}
	d := r.managedPolicy(ctx, arn, policy.Identity)
	if d == nil {
		p.MissingPolicies = append(p.MissingPolicies, arn)
		if r.snap.TimedOut == "" {
			p.Identity = append(p.Identity, r.notRead(policy.Identity, policy.OriginManaged, arn, "managed policy "+arn, "could not be read"))
		}
		return
	}
	p.Identity = append(p.Identity, d)
}

func (r *reader) boundary(ctx context.Context, p *load.Principal, arn string) {
	d := r.managedPolicy(ctx, arn, policy.Boundary)
	if d == nil {
		// Without its document a boundary could deny anything: evaluation
		// must not read "no boundary" into its absence (IAM "Permissions
		// boundaries for IAM entities": the boundary caps every Allow).
		p.BoundaryARN = arn
		p.Boundary = r.notRead(policy.Boundary, policy.OriginBoundary, arn, "permissions boundary "+arn, "could not be read")
		p.Complete = false
		return
	}
	p.Boundary = d
}

// managedPolicy reads the default version of a managed policy (GetPolicy for
// DefaultVersionId, then GetPolicyVersion), once per ARN and kind.
func (r *reader) managedPolicy(ctx context.Context, arn string, kind policy.Kind) *policy.Document {
	key := string(kind) + " " + arn
	if d, ok := r.managed[key]; ok {
		return d
	}
	r.managed[key] = nil
	if !r.called("iam:GetPolicy") {
		return nil
	}
	po, err := r.c.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		r.failed("iam:GetPolicy", arn, err)
		return nil
	}
	version := ""
	name := lastSegment(arn)
	if po.Policy != nil {
		version = aws.ToString(po.Policy.DefaultVersionId)
		if n := aws.ToString(po.Policy.PolicyName); n != "" {
			name = n
		}
	}
	if version == "" {
		r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: arn, Message: "iam:GetPolicy returned no DefaultVersionId"})
		return nil
	}
	if !r.called("iam:GetPolicyVersion") {
		return nil
	}
	pv, err := r.c.IAM.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(version)})
	if err != nil {
		r.failed("iam:GetPolicyVersion", arn, err)
		return nil
	}
	if pv.PolicyVersion == nil || aws.ToString(pv.PolicyVersion.Document) == "" {
		r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: arn, Message: "iam:GetPolicyVersion returned no document for " + version})
		return nil
	}
	what, origin := "managed policy "+name, policy.OriginManaged
	if kind == policy.Boundary {
		what, origin = "permissions boundary "+name, policy.OriginBoundary
	}
	d := r.parse(aws.ToString(pv.PolicyVersion.Document), kind, origin, arn, what)
	if d != nil {
		d.ARN = arn
		d.AWSManaged = strings.HasPrefix(arn, "arn:aws:iam::aws:policy/")
	}
	r.managed[key] = d
	return d
}

// readBucket reads the bucket's location, policy and default encryption.
func (r *reader) readBucket(ctx context.Context, setup config.Setup) {
	bucket := setup.Bucket
	base := "aws:s3:bucket/" + bucket
	facts := &load.BucketFacts{Name: bucket, File: base, Line: 1}
	r.snap.Bucket = facts
	r.snap.Input.Buckets = append(r.snap.Input.Buckets, facts)

	if !r.called("s3:GetBucketLocation") {
		return
	}
	// GetBucketLocation answers from us-east-1 for a bucket in any region;
	// the other calls must go to the bucket's own region.
	loc, err := r.c.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)},
		func(o *s3.Options) { o.Region = "us-east-1" })
	if err != nil {
		r.failed("s3:GetBucketLocation", base, err)
	} else {
		facts.Region = bucketRegion(string(loc.LocationConstraint))
	}
	region := facts.Region
	if region == "" {
		region = setup.Region
	}
	inRegion := func(o *s3.Options) {
		if region != "" {
			o.Region = region
		}
	}

	if !r.called("s3:GetBucketPolicy") {
		return
	}
	pol, err := r.c.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)}, inRegion)
	switch {
	case errorCode(err) == "NoSuchBucketPolicy":
		// No bucket policy: nothing to add, and not an error.
	case isTimeout(err):
		r.failed("s3:GetBucketPolicy", base+"/policy", err) // unread() names the policy
	case err != nil:
		// A bucket policy that could not be read may deny the upload: never
		// read "no bucket policy" into a refused read.
		r.failed("s3:GetBucketPolicy", base+"/policy", err)
		r.snap.Input.Documents = append(r.snap.Input.Documents,
			r.notRead(policy.Bucket, policy.OriginResource, base+"/policy", "bucket policy of "+bucket, "could not be read: s3:GetBucketPolicy failed: "+errorCode(err)))
	default:
		text := aws.ToString(pol.Policy)
		if d := r.parse(text, policy.Bucket, policy.OriginResource, base+"/policy", "bucket policy of "+bucket); d != nil {
			r.snap.Input.Documents = append(r.snap.Input.Documents, d)
			r.snap.BucketPolicy = text
		}
	}

	if !isTimeout(err) {
		r.finished(phaseBucketPolicy)
	}

	if !r.called("s3:GetBucketEncryption") {
		return
	}
	enc, err := r.c.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)}, inRegion)
	if !isTimeout(err) {
		r.finished(phaseEncryption)
	}
	switch {
	case errorCode(err) == "ServerSideEncryptionConfigurationNotFoundError":
		// Buckets created before 2023 may have no default encryption.
	case isTimeout(err):
		r.failed("s3:GetBucketEncryption", base, err) // unread() marks it unknown
	case err != nil:
		r.failed("s3:GetBucketEncryption", base, err)
		r.unknownEncryption(base, "could not be read: s3:GetBucketEncryption failed: "+errorCode(err))
	case enc.ServerSideEncryptionConfiguration != nil:
		for _, rule := range enc.ServerSideEncryptionConfiguration.Rules {
			if rule.ApplyServerSideEncryptionByDefault == nil {
				continue
			}
			facts.SSEAlgorithm = string(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
			facts.KMSMasterKeyID = aws.ToString(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID)
			facts.BucketKeyEnabled = aws.ToBool(rule.BucketKeyEnabled)
			break
		}
	}
}

// bucketRegion maps a LocationConstraint to a region: empty means
// us-east-1 and the legacy "EU" means eu-west-1 (API_GetBucketLocation).
func bucketRegion(lc string) string {
	switch lc {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return lc
}

// keyRef is the KMS key that applies to uploads: the request model's
// choice (requestmodel.UploadKeyRef), the same as check's.
func keyRef(setup config.Setup, b *load.BucketFacts) string {
	sse, id := "", ""
	if b != nil {
		sse, id = b.SSEAlgorithm, b.KMSMasterKeyID
	}
	ref, _ := requestmodel.UploadKeyRef(setup.KMSKeyARN, sse, id)
	return ref
}

func (r *reader) readKey(ctx context.Context, setup config.Setup) {
	ref := keyRef(setup, r.snap.Bucket)
	if ref == "" || policy.IsUnknown(ref) {
		return // no key, or the encryption could not be read (already unknown)
	}
	arn, isARN := policy.ParseARN(ref)
	region := arn.Region
	if region == "" && r.snap.Bucket != nil {
		region = r.snap.Bucket.Region
	}
	inRegion := func(o *kms.Options) {
		if region != "" {
			o.Region = region
		}
	}
	k := &load.KeyFacts{Region: region, Line: 1}
	if isARN && arn.ResourceType() == "key" {
		k.ARN, k.KeyID, k.Account = ref, arn.Name(), arn.Account
	}
	id := ref
	if k.KeyID != "" {
		id = k.KeyID
	}
	k.File = "aws:kms:key/" + id
	r.snap.Key = k
	r.snap.Input.Keys = append(r.snap.Input.Keys, k)

	if !r.called("kms:DescribeKey") {
		return
	}
	dk, err := r.c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)}, inRegion)
	if err != nil {
		r.failed("kms:DescribeKey", k.File, err)
	} else if m := dk.KeyMetadata; m != nil {
		if a := aws.ToString(m.Arn); a != "" {
			arn, _ := policy.ParseARN(a)
			k.ARN, k.Region, k.Account = a, arn.Region, arn.Account
		}
		if kid := aws.ToString(m.KeyId); kid != "" {
			k.KeyID = kid
			k.File = "aws:kms:key/" + kid
		}
		if acct := aws.ToString(m.AWSAccountId); acct != "" {
			k.Account = acct
		}
		k.KeyManager = string(m.KeyManager)
	}
	target := k.ARN
	if target == "" {
		target = ref
	}
	if !r.called("kms:GetKeyPolicy") {
		return
	}
	kp, err := r.c.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(target), PolicyName: aws.String("default")}, inRegion)
	if !isTimeout(err) {
		r.finished(phaseKeyPolicy)
	}
	if err != nil {
		r.failed("kms:GetKeyPolicy", k.File+"/policy", err)
		return
	}
	k.Policy = r.parse(aws.ToString(kp.Policy), policy.Key, policy.OriginResource, k.File+"/policy", "key policy of "+target)
}

// discover lists every role of the account and reads those whose trust
// policy candidate accepts. ListRoles returns each role's trust policy, so
// only the candidates cost further calls.
func (r *reader) discover(ctx context.Context, candidate func(*policy.Document) bool) {
	defer func() { r.discoveryCut = r.snap.TimedOut != "" }()
	var marker *string
	var picked []string
	for r.called("iam:ListRoles") {
		out, err := r.c.IAM.ListRoles(ctx, &iam.ListRolesInput{Marker: marker})
		if err != nil {
			r.failed("iam:ListRoles", "aws:iam:roles", err)
			if !isTimeout(err) {
				r.snap.Input.Unresolved = append(r.snap.Input.Unresolved, load.Unresolved{File: "aws:iam:roles", Line: 1,
					What: "the account's roles", Reason: "could not be listed: iam:ListRoles failed: " + errorCode(err)})
			}
			break
		}
		for _, role := range out.Roles {
			name := aws.ToString(role.RoleName)
			trust, err := policy.FromText(aws.ToString(role.AssumeRolePolicyDocument), policy.Trust, "aws:iam:role/"+name+"/trust", 1)
			if err != nil || candidate(trust) {
				// A trust policy smlint cannot parse is read in full too:
				// check reports it rather than skipping the role.
				picked = append(picked, aws.ToString(role.Arn))
			}
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	for _, arn := range picked {
		r.readRole(ctx, arn)
	}
	if len(picked) == 0 && r.snap.TimedOut == "" && r.fatal == nil {
		r.snap.Input.Errors = append(r.snap.Input.Errors, load.FileError{File: "aws:iam:roles",
			Message: "no role in account " + r.snap.Account + " has a trust policy that names Supermetrics, its account, or everyone; give the role with --role-arn"})
	}
}
