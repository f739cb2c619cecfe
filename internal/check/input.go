package check

import (
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/ruleinput"
)

// buildInput is the document every Rego rule reads as `input`: the types of
// internal/ruleinput (rules/schema/input.json is generated from them). It
// also returns the converted parts of the subject's documents, in the
// order the input lists them; input.Documents itself is filled only when
// the documents were prepared with their typed form (prepareDocs keepInput).
func buildInput(s *subject, in *load.Input, p *plan, setup *config.Setup, prof *requestmodel.Profile, reqs []RequestResult, now time.Time, prepared preparedDocs) (*ruleinput.Input, []engine.Value) {
	ids := map[*policy.Document]string{}
	docs := []ruleinput.Document{}
	var docValues []engine.Value
	for _, e := range s.docIDs() {
		ids[e.doc] = e.id
		pd := prepared[e.doc]
		if pd.input != nil {
			doc := *pd.input
			doc.ID = e.id
			docs = append(docs, doc)
		}
		value := pd.value
		if pd.id != e.id {
			value = value.With("id", engine.String(e.id))
		}
		docValues = append(docValues, value)
	}

	reqIn := make([]ruleinput.Request, 0, len(reqs))
	for _, r := range reqs {
		because := make([]ruleinput.Because, 0, len(r.Because))
		for _, b := range r.Because {
			because = append(because, ruleinput.Because{
				Doc: ids[b.doc], File: b.File, Line: b.Line, Sid: b.Sid,
				Effect: b.Effect, Kind: b.Kind, Name: b.Name,
			})
		}
		ri := ruleinput.Request{
			ID: r.ID, Action: r.Action, Resource: r.Resource, Principal: r.Principal,
			SourceIP: r.SourceIP, Decision: r.Decision, Because: because,
			Reasons: reasonsInput(r.Why), Trace: traceInput(r.Trace, ids),
		}
		if r.kms != nil {
			ri.KMS = kmsDetailInput(r.kms)
		}
		reqIn = append(reqIn, ri)
	}

	var principal *ruleinput.Principal
	if s.principal != nil {
		pr := s.principal
		principal = &ruleinput.Principal{
			Type: pr.Type, ARN: pr.ARN, Name: pr.Name, Account: pr.Account, ID: pr.ID,
			File: pr.File, Line: pr.Line, Address: pr.Address, Complete: pr.Complete,
			MissingPolicies: strs(pr.MissingPolicies), AccessKeyIDs: strs(pr.AccessKeyIDs),
			AccessKeys: accessKeysInput(pr.AccessKeys, now), AccessKeysListed: pr.AccessKeysListed,
		}
	}

	buckets := make([]ruleinput.Bucket, 0, len(in.Buckets))
	for _, b := range in.Buckets {
		buckets = append(buckets, ruleinput.Bucket{
			Name: b.Name, Region: b.Region, SSEAlgorithm: b.SSEAlgorithm,
			KMSMasterKeyID: b.KMSMasterKeyID, KMSMasterKey: keyRefInput(b.KMSMasterKeyID), BucketKeyEnabled: b.BucketKeyEnabled,
			File: b.File, Line: b.Line,
		})
	}
	keys := make([]ruleinput.Key, 0, len(in.Keys))
	for _, k := range in.Keys {
		keys = append(keys, ruleinput.Key{
			ARN: k.ARN, KeyID: k.KeyID, Region: k.Region, Account: k.Account,
			KeyManager: k.KeyManager, File: k.File, Line: k.Line, Policy: ids[k.Policy],
		})
	}
	// The configured role_arn names a role that a plan or template leaves
	// unknown: that unknown no longer matters to any request.
	standIn := ""
	if s.principal != nil && policy.IsUnknown(s.principal.ARN) && p.roleARN != "" && !policy.IsUnknown(p.roleARN) {
		standIn = policy.UnknownReason(s.principal.ARN)
	}
	unresolved := []ruleinput.Unresolved{}
	// The key the inputs cannot name, while a request still waits on it (a
	// --partial run has replaced that reason: a missing document is not
	// reported there).
	if p.kms.unresolved != "" && waitsOn(reqs, p.kms.unresolved) {
		unresolved = append(unresolved, kmsUnresolved(p.kms))
	}
	for _, u := range append(append([]load.Unresolved(nil), in.Unresolved...), s.unresolved...) {
		if standIn != "" && u.Reason == standIn {
			continue
		}
		unresolved = append(unresolved, ruleinput.Unresolved{
			File: u.File, Line: u.Line, Address: u.Address, What: u.What, Reason: u.Reason,
		})
	}

	return &ruleinput.Input{
		Setup: ruleinput.Setup{
			Bucket: setup.Bucket, Prefix: setup.Prefix, Region: setup.Region,
			KMSKeyARN: setup.KMSKeyARN, KMSKey: keyRefInput(setup.KMSKeyARN), RoleARN: setup.RoleARN, Auth: setup.Auth,
			User: setup.User, AccessKeyID: setup.AccessKeyID, BucketAccount: setup.BucketAccount,
			ExternalID: p.external, VendorIPRanges: strs(setup.Vendor.IPRanges),
			Inferred: strs(setup.Inferred),
		},
		Vendor: ruleinput.Vendor{
			Name: prof.Name, DisplayName: prof.DisplayName, PrincipalARN: prof.PrincipalARN,
			Account: prof.Account, Partition: prof.Partition, AssumeAction: prof.AssumeAction,
			SetupGuideExampleRoleARN: prof.SetupGuideExampleRoleARN,
			SetupDoc:                 prof.Docs.Setup, IPAllowlistDoc: prof.Docs.IPAllowlist,
		},
		Principal: principal,
		Caller:    ruleinput.Caller{Type: string(p.caller.Type), ARN: p.caller.ARN, Account: p.caller.Account},
		Documents: docs,
		Requests:  reqIn,
		SSEKMS: ruleinput.SSEKMS{
			Applies: p.kms.applies, KeyARN: p.kms.keyARN, Source: p.kms.source,
			BucketKey: p.kms.bucketKey, Ref: p.kms.ref, ResolvedBy: p.kms.resolvedBy,
			Unresolved: p.kms.unresolved, Refused: p.kms.refused, RefusedWhy: p.kms.refusedWhy,
			KeyRegion: p.kms.keyRegion, BucketRegion: p.kms.bucketRegion,
			KeyAccount: p.kms.keyAccount, CrossAccount: p.kms.crossAccount,
		},
		Buckets:        buckets,
		Keys:           keys,
		Unresolved:     unresolved,
		ExpiredIgnores: []ruleinput.ExpiredIgnore{},
		StaleIgnores:   []ruleinput.StaleIgnore{},
		TrustOutsiders: []ruleinput.Outsider{},
	}, docValues
}

func docInput(id string, d *policy.Document, facts *factSource) ruleinput.Document {
	stmts := make([]ruleinput.Statement, 0, len(d.Statements))
	for _, st := range d.Statements {
		stmts = append(stmts, stmtInput(st, facts, d.Kind == policy.Trust))
	}
	problems := make([]ruleinput.Problem, 0, len(d.Problems))
	for _, pr := range d.Problems {
		problems = append(problems, ruleinput.Problem{
			Line: pr.Line, Sid: pr.Sid, Message: pr.Message, Rejected: pr.Rejected, DuplicateKey: pr.DuplicateKey,
		})
	}
	return ruleinput.Document{
		ID: id, Kind: string(d.Kind), File: d.File, Line: d.Line, Name: d.Name,
		Version: d.Version, PolicyID: d.ID, AWSManaged: d.AWSManaged,
		Unresolved: d.Unresolved, Invalid: d.Invalid(), Size: len(d.Source),
		Problems: problems, DuplicateKeys: d.Alternate != nil, UsesVariables: policy.UsesVariables(d),
		Statements: stmts, StatementsWith: ruleinput.IndexStatements(stmts),
	}
}

func stmtInput(st *policy.Statement, facts *factSource, trust bool) ruleinput.Statement {
	conds := make([]ruleinput.Condition, 0, len(st.Condition))
	for _, c := range st.Condition {
		conds = append(conds, conditionInput(c))
	}
	return ruleinput.Statement{
		Index: st.Index, Sid: st.Sid, Line: st.Line, Effect: string(st.Effect),
		Principal: principalInput(st.Principal), NotPrincipal: principalInput(st.NotPrincipal),
		// nil stays null: the statement has no such element.
		Action: st.Action, NotAction: st.NotAction,
		Resource: st.Resource, NotResource: st.NotResource,
		Condition: conds, Facts: facts.facts(st, trust),
	}
}

func principalInput(p *policy.Principal) *ruleinput.StatementPrincipal {
	if p == nil {
		return nil
	}
	other := make(map[string][]string, len(p.Other))
	for k, v := range p.Other {
		other[k] = strs(v)
	}
	return &ruleinput.StatementPrincipal{
		Wildcard: p.Wildcard, AWS: strs(p.AWS), Service: strs(p.Service),
		Federated: strs(p.Federated), CanonicalUser: strs(p.Canonical), Other: other,
	}
}

// strs is v, never nil: the input's lists are [] rather than null.
func strs(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// accessKeysInput describes a user's keys for the rules, with their age and
// the days since last use counted in Go (age_days / unused_days are -1 when
// the input does not say), so that no rule reads the clock.
func accessKeysInput(keys []load.AccessKey, now time.Time) []ruleinput.AccessKey {
	out := []ruleinput.AccessKey{}
	days := func(date string) int {
		t, err := time.Parse(time.RFC3339, date)
		if err != nil {
			return -1
		}
		return int(now.Sub(t).Hours() / 24)
	}
	for _, k := range keys {
		unused := -1
		switch {
		case k.LastUsedKnown && k.LastUsedDate != "":
			unused = days(k.LastUsedDate)
		case k.LastUsedKnown:
			unused = days(k.CreateDate) // never used: unused since it was made
		}
		out = append(out, ruleinput.AccessKey{
			ID: k.ID, Status: k.Status, CreateDate: k.CreateDate, LastUsedDate: k.LastUsedDate,
			LastUsedKnown: k.LastUsedKnown, NeverUsed: k.LastUsedKnown && k.LastUsedDate == "",
			AgeDays: days(k.CreateDate), UnusedDays: unused,
		})
	}
	return out
}
