package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// QuotaKind names an IAM size quota.
type QuotaKind int

// The size quotas.
const (
	QuotaManaged     QuotaKind = iota // one customer managed policy (and a permissions boundary)
	QuotaRoleInline                   // all inline policies of one role together
	QuotaUserInline                   // all inline policies of one user together
	QuotaGroupInline                  // all inline policies of one group together
	QuotaTrust                        // a role trust policy
)

// SizeQuota is one IAM size quota. Limit is the default; Max is the most the
// quota can be raised to (equal to Limit when it cannot be raised).
type SizeQuota struct {
	What  string
	Limit int
	Max   int
	URL   string
}

// SizeQuotas is the one table of IAM policy size quotas, in characters
// without white space ("IAM does not count white space when calculating the
// size of a policy"). AWS managed policies are never counted.
var SizeQuotas = map[QuotaKind]SizeQuota{
	QuotaManaged:     {What: "managed policy", Limit: 6144, Max: 6144, URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"},
	QuotaRoleInline:  {What: "inline policies of a role (together)", Limit: 10240, Max: 10240, URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"},
	QuotaUserInline:  {What: "inline policies of a user (together)", Limit: 2048, Max: 2048, URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"},
	QuotaGroupInline: {What: "inline policies of a group (together)", Limit: 5120, Max: 5120, URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"},
	// 2,048 by default, adjustable to 4,096 (2023 snapshot of the quotas page).
	QuotaTrust: {What: "role trust policy", Limit: 2048, Max: 4096, URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"},
}

// AWSManagedPrefix starts the ARN of every AWS managed policy.
const AWSManagedPrefix = "arn:aws:iam::aws:policy/"

// IsAWSManagedARN reports whether arn names an AWS managed policy (in any
// partition: arn:aws-cn:iam::aws:policy/...).
func IsAWSManagedARN(arn string) bool {
	a, ok := ParseARN(arn)
	return ok && strings.HasPrefix(a.Partition, "aws") && a.Service == "iam" && a.Account == "aws" && a.ResourceType() == "policy"
}

// Size is the document's length as IAM counts it: characters of Source
// without JSON white space outside strings.
func (d *Document) Size() int { return countSize(d.Source) }

// countSize counts the characters of s (runes; an invalid byte counts as
// one) less the white space outside its strings. Every white-space byte is
// a character of its own, so it counts them all with
// utf8.RuneCountInString and takes off those outside strings, found by
// one pass over the bytes in which only quotes, backslashes inside a
// string and white space outside them matter (a non-ASCII byte is never
// one of those, and leaves a pending escape pending).
func countSize(s string) int {
	n := utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			n--
		case '"':
			esc := false
			for i++; i < len(s); i++ {
				c := s[i]
				if c >= utf8.RuneSelf {
					continue
				}
				if esc {
					esc = false
				} else if c == '\\' {
					esc = true
				} else if c == '"' {
					break
				}
			}
		}
	}
	return n
}

// CheckQuota adds a size Problem to each of docs (and their Alternates) when
// their total size is over quota q. AWS managed and unresolved documents are
// not counted. deployed says the documents were read from AWS (an export or
// CLI output): they exist, so a size between the default and the maximum of an
// adjustable quota shows the account's quota was raised, and is not Rejected.
func CheckQuota(q QuotaKind, deployed bool, docs ...*Document) {
	quota, ok := SizeQuotas[q]
	if !ok {
		return
	}
	checkQuota(quota, func(total int) bool { return total > quota.Max || !deployed }, nil, docs)
}

// checkQuota adds the size Problem of quota to docs when their total is
// over it; suffix, when set, says what to add to its message.
func checkQuota(quota SizeQuota, rejected func(total int) bool, suffix func() string, docs []*Document) {
	for _, alt := range []bool{false, true} {
		total := 0
		var counted []*Document
		for _, d := range docs {
			if d == nil {
				continue
			}
			if alt {
				if d.Alternate == nil {
					continue
				}
				d = d.Alternate
			}
			if d.AWSManaged || d.Unresolved != "" {
				continue
			}
			total += d.Size()
			counted = append(counted, d)
		}
		if total <= quota.Limit {
			continue
		}
		msg := fmt.Sprintf("%s is %d characters (white space not counted), over IAM's quota of %d (%s)", quota.What, total, quota.Limit, quota.URL)
		if quota.Max > quota.Limit {
			msg = fmt.Sprintf("%s is %d characters (white space not counted), over IAM's default quota of %d (adjustable up to %d; %s)", quota.What, total, quota.Limit, quota.Max, quota.URL)
		}
		if suffix != nil {
			msg += suffix()
		}
		for _, d := range counted {
			d.Problems = append(d.Problems, Problem{Line: d.Line, Message: msg, Rejected: rejected(total)})
		}
	}
}

// CheckDefaultQuota applies the quota a standalone document of its kind is
// subject to, for documents given as files, plan values or template
// properties: a trust policy against the trust quota; a boundary against the
// managed policy quota; an identity policy, which may become a managed or an
// inline policy, against the managed quota without rejecting it up to the
// inline role quota (10,240), where it could still be saved.
func CheckDefaultQuota(d *Document, deployed bool) {
	if d == nil {
		return
	}
	switch d.Kind {
	case Trust:
		CheckQuota(QuotaTrust, deployed, d)
	case Boundary:
		CheckQuota(QuotaManaged, deployed, d)
	case Identity:
		inline := SizeQuotas[QuotaRoleInline].Max
		suffix := func() string {
			return fmt.Sprintf("; it can be saved only as an inline role policy (up to %d)", inline)
		}
		checkQuota(SizeQuotas[QuotaManaged], func(total int) bool { return total > inline }, suffix, []*Document{d})
	}
}
