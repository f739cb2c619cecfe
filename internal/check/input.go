package check

import (
	"strconv"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// buildInput is the document every Rego rule reads as `input`. Its shape is
// described in rules/README.md; keep the two in step. It is built from plain
// maps and slices so OPA converts it without a JSON round trip.
func buildInput(s *subject, in *load.Input, p *plan, setup *config.Setup, prof *requestmodel.Profile, reqs []RequestResult, now time.Time) map[string]any {
	ids := map[*policy.Document]string{}
	var docs []any
	add := func(d *policy.Document) {
		if d == nil {
			return
		}
		if _, ok := ids[d]; ok {
			return
		}
		id := "doc-" + strconv.Itoa(len(ids)+1)
		ids[d] = id
		docs = append(docs, docInput(id, d))
	}
	add(s.trust)
	for _, group := range [][]*policy.Document{s.identity, s.boundary, s.bucket, s.key, s.scp} {
		for _, d := range group {
			add(d)
		}
	}

	var reqIn []any
	for _, r := range reqs {
		var because []any
		for _, b := range r.Because {
			because = append(because, map[string]any{
				"doc": ids[b.doc], "file": b.File, "line": b.Line, "sid": b.Sid,
				"effect": b.Effect, "kind": b.Kind, "name": b.Name,
			})
		}
		ri := map[string]any{
			"id": r.ID, "action": r.Action, "resource": r.Resource, "principal": r.Principal,
			"source_ip": r.SourceIP, "decision": r.Decision, "because": orEmpty(because),
			"reasons": strs(r.Reasons), "reason_codes": strs(r.ReasonCodes),
		}
		if r.kms != nil {
			ri["kms"] = kmsDetailInput(r.kms)
		}
		reqIn = append(reqIn, ri)
	}

	var principal any
	if s.principal != nil {
		pr := s.principal
		principal = map[string]any{
			"type": pr.Type, "arn": pr.ARN, "name": pr.Name, "account": pr.Account, "id": pr.ID,
			"file": pr.File, "line": pr.Line, "address": pr.Address, "complete": pr.Complete,
			"missing_policies": strs(pr.MissingPolicies), "access_key_ids": strs(pr.AccessKeyIDs),
			"access_keys": accessKeysInput(pr.AccessKeys, now), "access_keys_listed": pr.AccessKeysListed,
		}
	}

	var buckets, keys, unresolved []any
	for _, b := range in.Buckets {
		buckets = append(buckets, map[string]any{
			"name": b.Name, "region": b.Region, "sse_algorithm": b.SSEAlgorithm,
			"kms_master_key_id": b.KMSMasterKeyID, "bucket_key_enabled": b.BucketKeyEnabled,
			"file": b.File, "line": b.Line,
		})
	}
	for _, k := range in.Keys {
		keys = append(keys, map[string]any{
			"arn": k.ARN, "key_id": k.KeyID, "region": k.Region, "account": k.Account,
			"key_manager": k.KeyManager, "file": k.File, "line": k.Line, "policy": ids[k.Policy],
		})
	}
	// The configured role_arn names a role that a plan or template leaves
	// unknown: that unknown no longer matters to any request.
	standIn := ""
	if s.principal != nil && policy.IsUnknown(s.principal.ARN) && p.roleARN != "" && !policy.IsUnknown(p.roleARN) {
		standIn = policy.UnknownReason(s.principal.ARN)
	}
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
		unresolved = append(unresolved, map[string]any{
			"file": u.File, "line": u.Line, "address": u.Address, "what": u.What, "reason": u.Reason,
		})
	}

	return map[string]any{
		"setup": map[string]any{
			"bucket": setup.Bucket, "prefix": setup.Prefix, "region": setup.Region,
			"kms_key_arn": setup.KMSKeyARN, "role_arn": setup.RoleARN, "auth": setup.Auth,
			"user": setup.User, "access_key_id": setup.AccessKeyID, "bucket_account": setup.BucketAccount,
			"external_id": p.external, "vendor_ip_ranges": strs(setup.Vendor.IPRanges),
			"inferred": strs(setup.Inferred),
		},
		"vendor": map[string]any{
			"name": prof.Name, "display_name": prof.DisplayName, "principal_arn": prof.PrincipalARN,
			"account": prof.Account, "partition": prof.Partition, "assume_action": prof.AssumeAction,
			"setup_guide_example_role_arn": prof.SetupGuideExampleRoleARN,
			"setup_doc":                    prof.Docs.Setup, "ip_allowlist_doc": prof.Docs.IPAllowlist,
		},
		"principal": principal,
		"caller":    map[string]any{"type": string(p.caller.Type), "arn": p.caller.ARN, "account": p.caller.Account},
		"documents": orEmpty(docs),
		"requests":  orEmpty(reqIn),
		"sse_kms": map[string]any{
			"applies": p.kms.applies, "key_arn": p.kms.keyARN, "source": p.kms.source,
			"bucket_key": p.kms.bucketKey, "ref": p.kms.ref, "resolved_by": p.kms.resolvedBy,
			"unresolved": p.kms.unresolved, "refused": p.kms.refused, "refused_why": p.kms.refusedWhy,
			"key_region": p.kms.keyRegion, "bucket_region": p.kms.bucketRegion,
			"key_account": p.kms.keyAccount, "cross_account": p.kms.crossAccount,
		},
		"buckets":    orEmpty(buckets),
		"keys":       orEmpty(keys),
		"unresolved": orEmpty(unresolved),
	}
}

func docInput(id string, d *policy.Document) map[string]any {
	var stmts []any
	for _, st := range d.Statements {
		stmts = append(stmts, stmtInput(st))
	}
	var problems []any
	for _, pr := range d.Problems {
		problems = append(problems, map[string]any{
			"line": pr.Line, "sid": pr.Sid, "message": pr.Message, "rejected": pr.Rejected,
		})
	}
	return map[string]any{
		"id": id, "kind": string(d.Kind), "file": d.File, "line": d.Line, "name": d.Name,
		"version": d.Version, "policy_id": d.ID, "aws_managed": d.AWSManaged,
		"unresolved": d.Unresolved, "invalid": d.Invalid(), "size": len(d.Source),
		"problems": orEmpty(problems), "duplicate_keys": d.Alternate != nil,
		"statements": orEmpty(stmts),
	}
}

func stmtInput(st *policy.Statement) map[string]any {
	var conds []any
	for _, c := range st.Condition {
		conds = append(conds, map[string]any{
			"operator": c.Operator, "key": c.Key, "values": strs(c.Values), "line": c.Line,
		})
	}
	return map[string]any{
		"index": st.Index, "sid": st.Sid, "line": st.Line, "effect": string(st.Effect),
		"principal": principalInput(st.Principal), "not_principal": principalInput(st.NotPrincipal),
		"action": strsOrNull(st.Action), "not_action": strsOrNull(st.NotAction),
		"resource": strsOrNull(st.Resource), "not_resource": strsOrNull(st.NotResource),
		"condition": orEmpty(conds),
	}
}

func principalInput(p *policy.Principal) any {
	if p == nil {
		return nil
	}
	other := map[string]any{}
	for k, v := range p.Other {
		other[k] = strs(v)
	}
	return map[string]any{
		"wildcard": p.Wildcard, "aws": strs(p.AWS), "service": strs(p.Service),
		"federated": strs(p.Federated), "canonical_user": strs(p.Canonical), "other": other,
	}
}

func strs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func strsOrNull(v []string) any {
	if v == nil {
		return nil
	}
	return strs(v)
}

func orEmpty(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

// accessKeysInput describes a user's keys for the rules, with their age and
// the days since last use counted in Go (age_days / unused_days are -1 when
// the input does not say), so that no rule reads the clock.
func accessKeysInput(keys []load.AccessKey, now time.Time) []any {
	out := []any{}
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
		out = append(out, map[string]any{
			"id": k.ID, "status": k.Status, "create_date": k.CreateDate, "last_used_date": k.LastUsedDate,
			"last_used_known": k.LastUsedKnown, "never_used": k.LastUsedKnown && k.LastUsedDate == "",
			"age_days": days(k.CreateDate), "unused_days": unused,
		})
	}
	return out
}
