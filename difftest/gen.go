package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The accounts, names and addresses every generated case is built from. The
// customer account owns the bucket, the upload role and the KMS key; the
// vendor account holds Supermetrics' role (SPEC §1).
const (
	customerAccount = "111122223333"
	otherAccount    = "444455556666"
	vendorAccount   = "043417694514"

	vendorRole      = "arn:aws:iam::043417694514:role/supermetrics-s3-role"
	vendorSession   = "arn:aws:sts::043417694514:assumed-role/supermetrics-s3-role/supermetrics"
	customerRole    = "arn:aws:iam::111122223333:role/SupermetricsUpload"
	customerSession = "arn:aws:sts::111122223333:assumed-role/SupermetricsUpload/supermetrics"
	customerUser    = "arn:aws:iam::111122223333:user/supermetrics"

	bucket     = "sm-export"
	bucketARN  = "arn:aws:s3:::sm-export"
	region     = "eu-west-1"
	keyARN     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	otherKey   = "arn:aws:kms:eu-west-1:111122223333:key/0000aaaa-00aa-00aa-00aa-000000000000"
	viaService = "s3.eu-west-1.amazonaws.com"
)

// Kind is which hop of the Supermetrics setup a case exercises.
type Kind string

// The hops of the setup.
const (
	KindS3    Kind = "s3"    // the upload role/user calling S3 on the customer's bucket
	KindTrust Kind = "trust" // the vendor role calling sts:AssumeRole on the customer role
	KindKMS   Kind = "kms"   // the upload role/user using the customer's KMS key through S3
)

// Doc is a policy document as JSON; Stmt one of its statements. Values that
// IAM takes as string-or-array are `any` so the generator can write both.
type Doc struct {
	Version   string `json:"Version,omitempty"`
	Statement []Stmt `json:"Statement"`
}

// Stmt is one statement of a generated Doc.
type Stmt struct {
	Sid          string                    `json:"Sid,omitempty"`
	Effect       string                    `json:"Effect"`
	Principal    any                       `json:"Principal,omitempty"`
	NotPrincipal any                       `json:"NotPrincipal,omitempty"`
	Action       any                       `json:"Action,omitempty"`
	NotAction    any                       `json:"NotAction,omitempty"`
	Resource     any                       `json:"Resource,omitempty"`
	NotResource  any                       `json:"NotResource,omitempty"`
	Condition    map[string]map[string]any `json:"Condition,omitempty"`
}

// Case is one request and every policy that applies to it. Context holds
// single concrete values only (one source address, one object key), so that
// both evaluators can decide; a key not in Context is absent from the request.
type Case struct {
	ID   int  `json:"id"`
	Kind Kind `json:"kind"`
	// Principal is the ARN making the request as the simulator sees it (a
	// role session or a user); CallerARN is the role or user ARN behind it.
	Principal       string            `json:"principal"`
	CallerARN       string            `json:"callerArn"`
	CallerAccount   string            `json:"callerAccount"`
	Action          string            `json:"action"`
	Resource        string            `json:"resource"`
	ResourceAccount string            `json:"resourceAccount"`
	Context         map[string]string `json:"context"`
	Identity        []Doc             `json:"identity,omitempty"`
	ResourcePolicy  *Doc              `json:"resourcePolicy,omitempty"`
	Boundary        []Doc             `json:"boundary,omitempty"`
	// Foreign names context keys whose value is the vendor's (SPEC §1),
	// with the prefix such a value starts with. smlint evaluates them as
	// iam.Foreign; the simulator decides the case twice, with the key
	// absent and with a fresh value (prefix + foreignFresh), and the case is
	// decided only when both agree (RunSimulator).
	Foreign map[string]string `json:"foreign,omitempty"`
}

// foreignFresh ends the fresh value the simulator gets for a Foreign key: no
// generated policy names it.
const foreignFresh = "fresh7vendor"

// Organizations in the cases: the customer's, another one, and the vendor's
// (not the customer's: SPEC §1).
const (
	customerOrg = "o-a1b2c3d4e5"
	otherOrg    = "o-zz9yy8xx7w"
	vendorOrg   = "o-vendor0001"
)

// conditionKeys is every condition key the generator writes; the smlint
// context marks each one absent unless the request carries it, so that no
// condition is undecidable for want of a value.
var conditionKeys = []string{
	"aws:SourceIp", "aws:SecureTransport", "aws:PrincipalArn", "aws:PrincipalAccount",
	"s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
	"s3:prefix", "sts:ExternalId", "kms:ViaService", "kms:CallerAccount",
	"aws:MultiFactorAuthPresent", "aws:PrincipalOrgID", "aws:PrincipalTag/team",
}

// Generator makes random valid cases around the Supermetrics setup from a
// seeded source: the same seed gives the same cases.
type Generator struct {
	r *rand.Rand
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x5eed5eed5eed5eed))}
}

func (g *Generator) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *Generator) chance(p float64) bool    { return g.r.Float64() < p }

// some picks 1..most distinct entries, written as a string when there is
// one (half the time) and as an array otherwise: IAM takes both.
func (g *Generator) some(most int, pool []string) any {
	n := 1 + g.r.IntN(most)
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		v := pool[g.r.IntN(len(pool))]
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		if len(seen) == len(pool) {
			break
		}
	}
	if len(out) == 1 && g.chance(0.5) {
		return out[0]
	}
	return out
}

// Case makes case number id.
func (g *Generator) Case(id int) Case {
	switch x := g.r.IntN(100); {
	case x < 55:
		return g.s3Case(id)
	case x < 80:
		return g.trustCase(id)
	default:
		return g.kmsCase(id)
	}
}

var (
	vendorIPs = []string{"203.0.113.10", "203.0.113.200", "198.51.100.7", "192.0.2.44", "2001:db8::10", "2001:db8:1:2::99"}
	ipValues  = []string{"203.0.113.0/24", "203.0.113.10", "203.0.113.10/32", "198.51.100.0/25", "198.51.100.128/25",
		"192.0.2.0/24", "2001:db8::/32", "2001:db8::/64", "10.0.0.0/8", "0.0.0.0/0", "203.0.113.0/28"}
	objectKeys = []string{"exports/2024/report.csv", "exports/test.csv", "exports/a/b/c.parquet", "other/file.csv",
		"Exports/report.csv", "exports", "report.csv", "data/report.csv"}
)

// caller picks the identity that makes S3 and KMS calls: a session of the
// customer's upload role (role method) or an IAM user (access-key method).
func (g *Generator) caller(c *Case) {
	if g.chance(0.8) {
		c.Principal, c.CallerARN = customerSession, customerRole
	} else {
		c.Principal, c.CallerARN = customerUser, customerUser
	}
	c.CallerAccount = customerAccount
}

func (g *Generator) baseContext(c *Case) {
	c.Context = map[string]string{
		"aws:SourceIp":         g.pick(vendorIPs...),
		"aws:SecureTransport":  "true",
		"aws:PrincipalArn":     c.CallerARN,
		"aws:PrincipalAccount": c.CallerAccount,
	}
	if g.chance(0.05) {
		c.Context["aws:SecureTransport"] = "false"
	}
	// "Included in the request context only when the principal uses
	// temporary credentials" (reference_policies_condition-keys.html):
	// false for a role session assumed without MFA, absent for a user's
	// long-term key.
	if strings.Contains(c.Principal, ":assumed-role/") {
		c.Context["aws:MultiFactorAuthPresent"] = "false"
	}
	if c.CallerAccount == vendorAccount {
		// The vendor's organization and tags: concrete, or Foreign.
		if g.chance(0.4) {
			c.Foreign = map[string]string{"aws:PrincipalOrgID": "o-", "aws:PrincipalTag/team": ""}
			return
		}
		if g.chance(0.5) {
			c.Context["aws:PrincipalOrgID"] = vendorOrg
		}
		if g.chance(0.3) {
			c.Context["aws:PrincipalTag/team"] = "vendor"
		}
		return
	}
	if g.chance(0.8) {
		c.Context["aws:PrincipalOrgID"] = customerOrg
	}
	switch g.r.IntN(4) {
	case 0, 1:
		c.Context["aws:PrincipalTag/team"] = "data"
	case 2:
		c.Context["aws:PrincipalTag/team"] = "marketing"
	}
}

func (g *Generator) s3Case(id int) Case {
	c := Case{ID: id, Kind: KindS3, ResourceAccount: customerAccount}
	g.caller(&c)
	g.baseContext(&c)
	b := bucket
	if g.chance(0.1) {
		b = "sm-export-logs"
	}
	switch g.r.IntN(4) {
	case 0, 1:
		c.Action = g.pick("s3:PutObject", "s3:PutObject", "s3:DeleteObject")
		c.Resource = "arn:aws:s3:::" + b + "/" + g.pick(objectKeys...)
		if c.Action == "s3:PutObject" {
			switch g.r.IntN(3) {
			case 0:
				c.Context["s3:x-amz-server-side-encryption"] = "aws:kms"
				c.Context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = g.pick(keyARN, keyARN, otherKey)
			case 1:
				c.Context["s3:x-amz-server-side-encryption"] = "AES256"
			}
		}
	case 2:
		c.Action = "s3:ListBucket"
		c.Resource = "arn:aws:s3:::" + b
		if g.chance(0.8) {
			c.Context["s3:prefix"] = g.pick("exports/", "", "other/", "exports/2024/")
		}
	default:
		c.Action = "s3:GetBucketLocation"
		c.Resource = "arn:aws:s3:::" + b
	}
	for n := g.r.IntN(3) + boolInt(g.chance(0.7)); n > 0; n-- {
		c.Identity = append(c.Identity, g.doc(g.r.IntN(3)+1, g.s3Stmt, false))
	}
	if g.chance(0.55) {
		d := g.doc(g.r.IntN(3)+1, g.bucketStmt, false)
		c.ResourcePolicy = &d
	}
	if g.chance(0.25) {
		c.Boundary = []Doc{g.doc(g.r.IntN(2)+1, g.boundaryStmt, false)}
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// doc makes a document of n statements. Its Version is 2012-10-17, rarely
// absent.
func (g *Generator) doc(n int, stmt func() Stmt, _ bool) Doc {
	d := Doc{Version: "2012-10-17"}
	for i := 0; i < n; i++ {
		st := stmt()
		if g.chance(0.3) {
			st.Sid = fmt.Sprintf("S%d", i)
		}
		d.Statement = append(d.Statement, st)
	}
	return d
}

var (
	s3Actions = []string{"s3:*", "s3:Put*", "s3:*Object", "*", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation",
		"s3:DeleteObject", "s3:Get*", "s3:List*", "s3:putobject", "S3:PutObject", "s3:?utObject", "s3:DeleteBucket",
		"s3:GetObject", "s3:*Bucket*", "kms:*", "sts:AssumeRole"}
	s3Resources = []string{"*", bucketARN, bucketARN + "/*", bucketARN + "/exports/*", bucketARN + "*",
		"arn:aws:s3:::sm-expor?", bucketARN + "/exports/????/*", "arn:aws:s3:::*", bucketARN + "/Exports/*",
		"arn:aws:s3:::sm-export-logs/*", "arn:aws:s3:::*/exports/*", bucketARN + "/exports/*/report.csv",
		bucketARN + "/exports/test.csv", bucketARN + "/exports", "arn:aws:s3:::sm-export-logs",
		bucketARN + "/${aws:PrincipalTag/team}/*"}
)

// effect is Allow three times in four.
func (g *Generator) effect() string {
	if g.chance(0.75) {
		return "Allow"
	}
	return "Deny"
}

func (g *Generator) s3Stmt() Stmt {
	st := Stmt{Effect: g.effect()}
	g.actionAndResource(&st, s3Actions, s3Resources)
	st.Condition = g.conditions(0.35, g.s3Condition)
	return st
}

func (g *Generator) actionAndResource(st *Stmt, actions, resources []string) {
	if g.chance(0.15) {
		st.NotAction = g.some(2, actions)
	} else {
		st.Action = g.some(3, actions)
	}
	if resources == nil {
		return
	}
	if g.chance(0.12) {
		st.NotResource = g.some(2, resources)
	} else {
		st.Resource = g.some(2, resources)
	}
}

// conditions adds one or two condition entries with probability p.
func (g *Generator) conditions(p float64, one func() (string, string, any)) map[string]map[string]any {
	if !g.chance(p) {
		return nil
	}
	out := map[string]map[string]any{}
	for n := 1 + boolInt(g.chance(0.25)); n > 0; n-- {
		op, key, val := one()
		if out[op] == nil {
			out[op] = map[string]any{}
		}
		out[op][key] = val
	}
	return out
}

func (g *Generator) ipCondition() (string, string, any) {
	op := g.pick("IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists")
	return op, g.pick("aws:SourceIp", "aws:SourceIp", "aws:sourceip"), g.some(3, ipValues)
}

func (g *Generator) commonCondition() (string, string, any) {
	switch g.r.IntN(7) {
	case 0, 1:
		return g.ipCondition()
	case 2:
		return g.pick("Bool", "BoolIfExists"), "aws:SecureTransport", g.pick("true", "false")
	case 4:
		// The MFA hardening statements of reference_policies_condition-keys.html.
		return g.pick("Bool", "BoolIfExists", "Null"), "aws:MultiFactorAuthPresent", g.pick("true", "false")
	case 5:
		return g.orgOrTagCondition("aws:PrincipalOrgID", []string{customerOrg, "o-*", otherOrg})
	case 6:
		return g.orgOrTagCondition("aws:PrincipalTag/team", []string{"data", "mark*", "*"})
	default:
		op := g.pick("ArnLike", "ArnEquals", "StringLike", "StringEquals", "ArnNotLike", "StringNotEquals")
		vals := []string{customerRole, vendorRole, "arn:aws:iam::111122223333:role/*", "arn:aws:iam::043417694514:role/supermetrics-*",
			customerUser, "arn:aws:iam::*:role/SupermetricsUpload", "arn:aws:iam::444455556666:role/other", "arn:aws:iam::111122223333:*"}
		return op, "aws:PrincipalArn", g.some(2, vals)
	}
}

// orgOrTagCondition compares an organization or tag key.
func (g *Generator) orgOrTagCondition(key string, vals []string) (string, string, any) {
	op := g.pick("StringEquals", "StringNotEquals", "StringEqualsIfExists", "StringNotEqualsIfExists",
		"StringLike", "StringNotLike", "Null", "ForAnyValue:StringEquals", "ForAllValues:StringNotEquals")
	if op == "Null" {
		return op, key, g.pick("true", "false")
	}
	return op, key, g.some(2, vals)
}

func (g *Generator) s3Condition() (string, string, any) {
	switch g.r.IntN(6) {
	case 0, 1:
		return g.commonCondition()
	case 2:
		return g.pick("StringEquals", "StringNotEquals", "StringEqualsIfExists", "StringNotEqualsIfExists"),
			"s3:x-amz-server-side-encryption", g.some(2, []string{"aws:kms", "AES256"})
	case 3:
		return "Null", g.pick("s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"), g.pick("true", "false")
	case 4:
		return g.pick("StringEquals", "StringNotEquals"), "s3:x-amz-server-side-encryption-aws-kms-key-id", g.some(2, []string{keyARN, otherKey})
	default:
		return g.pick("StringLike", "StringEquals", "StringNotLike"), "s3:prefix", g.some(2, []string{"exports/*", "exports/", "", "other/*"})
	}
}

// principalValue makes a Principal (or NotPrincipal) element from a pool of
// AWS principal values; "*" stands alone.
func (g *Generator) principal(pool []string) any {
	if g.chance(0.12) {
		return "*"
	}
	v := g.some(2, pool)
	if s, ok := v.(string); ok && s == "*" {
		return map[string]any{"AWS": "*"}
	}
	if arr, ok := v.([]string); ok {
		var out []string
		for _, s := range arr {
			if s != "*" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			out = []string{customerAccount}
		}
		return map[string]any{"AWS": out}
	}
	return map[string]any{"AWS": v}
}

var bucketPrincipals = []string{"*", customerAccount, "arn:aws:iam::111122223333:root", customerRole, customerSession,
	customerUser, otherAccount, "arn:aws:iam::444455556666:root", vendorRole, "arn:aws:iam::111122223333:role/OtherRole"}

func (g *Generator) bucketStmt() Stmt {
	st := Stmt{Effect: g.effect()}
	switch {
	case st.Effect == "Deny" && g.chance(0.05):
		// Every identity AWS may check for the caller: account, role and
		// session, or account and user (reference_policies_elements_notprincipal.html).
		if g.chance(0.5) {
			st.NotPrincipal = map[string]any{"AWS": []string{customerAccount, customerRole, customerSession}}
		} else {
			st.NotPrincipal = map[string]any{"AWS": []string{"arn:aws:iam::111122223333:root", customerUser}}
		}
	case st.Effect == "Deny" && g.chance(0.12):
		st.NotPrincipal = g.principal(bucketPrincipals[1:])
	default:
		st.Principal = g.principal(bucketPrincipals)
	}
	g.actionAndResource(&st, s3Actions[:len(s3Actions)-2], s3Resources[1:])
	st.Condition = g.conditions(0.4, g.s3Condition)
	return st
}

func (g *Generator) boundaryStmt() Stmt {
	st := Stmt{Effect: "Allow"}
	if g.chance(0.15) {
		st.Effect = "Deny"
	}
	g.actionAndResource(&st, []string{"s3:*", "s3:Put*", "s3:PutObject", "s3:List*", "s3:Get*", "*", "kms:*", "kms:GenerateDataKey*", "kms:Decrypt"},
		[]string{"*", bucketARN + "/*", bucketARN, "arn:aws:s3:::*", keyARN, "arn:aws:kms:*:111122223333:key/*"})
	st.Condition = g.conditions(0.15, g.commonCondition)
	return st
}

var trustPrincipals = []string{vendorRole, vendorRole, "arn:aws:iam::043417694514:root", vendorAccount, "*",
	otherAccount, "arn:aws:iam::444455556666:role/supermetrics-s3-role", "arn:aws:iam::043417694514:role/supermetrics-s3-rol",
	"arn:aws:iam::043417694541:role/supermetrics-s3-role", "arn:aws:iam::043417694514:user/supermetrics-s3-role",
	"arn:aws:iam::043417694514:role/Supermetrics-S3-Role", vendorSession, customerAccount,
	"arn:aws:iam::111122223333:role/supermetrics-s3-role"}

func (g *Generator) trustCase(id int) Case {
	c := Case{ID: id, Kind: KindTrust, Principal: vendorSession, CallerARN: vendorRole, CallerAccount: vendorAccount,
		Action: "sts:AssumeRole", Resource: customerRole, ResourceAccount: customerAccount}
	g.baseContext(&c)
	if g.chance(0.3) {
		c.Context["sts:ExternalId"] = g.pick("sm-team-42", "other")
	}
	d := g.doc(g.r.IntN(3)+1, g.trustStmt, false)
	c.ResourcePolicy = &d
	return c
}

func (g *Generator) trustStmt() Stmt {
	st := Stmt{Effect: "Allow"}
	if g.chance(0.15) {
		st.Effect = "Deny"
	}
	if g.chance(0.08) {
		st.Principal = map[string]any{"Service": "ec2.amazonaws.com"}
	} else {
		st.Principal = g.principal(trustPrincipals)
	}
	g.actionAndResource(&st, []string{"sts:AssumeRole", "sts:AssumeRole", "sts:*", "sts:Assume*", "sts:AssumeRoleWithWebIdentity",
		"sts:TagSession", "*", "sts:assumerole"}, nil)
	st.Condition = g.conditions(0.4, func() (string, string, any) {
		if g.chance(0.3) {
			return g.pick("StringEquals", "StringLike", "StringNotEquals"), "sts:ExternalId", g.some(2, []string{"sm-team-42", "sm-*"})
		}
		return g.commonCondition()
	})
	return st
}

var (
	kmsActions   = []string{"kms:*", "kms:GenerateDataKey*", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt", "*", "kms:Re*", "kms:Describe*", "s3:*"}
	kmsResources = []string{"*", keyARN, otherKey, "arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-*",
		"arn:aws:kms:us-east-1:111122223333:key/*"}
	keyPrincipals = []string{"arn:aws:iam::111122223333:root", customerAccount, customerRole, customerSession, customerUser, "*",
		otherAccount, "arn:aws:iam::111122223333:role/KeyAdmin"}
)

func (g *Generator) kmsCase(id int) Case {
	c := Case{ID: id, Kind: KindKMS, ResourceAccount: customerAccount, Resource: keyARN}
	g.caller(&c)
	g.baseContext(&c)
	c.Action = g.pick("kms:GenerateDataKey", "kms:GenerateDataKey", "kms:Decrypt")
	if g.chance(0.8) {
		c.Context["kms:ViaService"] = viaService
	}
	c.Context["kms:CallerAccount"] = customerAccount
	for n := g.r.IntN(3); n > 0; n-- {
		c.Identity = append(c.Identity, g.doc(g.r.IntN(2)+1, g.kmsIdentityStmt, false))
	}
	kp := Doc{Version: "2012-10-17"}
	if g.chance(0.6) {
		kp.Statement = append(kp.Statement, Stmt{Sid: "Enable IAM policies", Effect: "Allow",
			Principal: map[string]any{"AWS": g.pick("arn:aws:iam::111122223333:root", customerAccount)},
			Action:    "kms:*", Resource: "*"})
	}
	for n := g.r.IntN(3); n > 0; n-- {
		kp.Statement = append(kp.Statement, g.keyStmt())
	}
	if len(kp.Statement) == 0 {
		kp.Statement = append(kp.Statement, g.keyStmt())
	}
	c.ResourcePolicy = &kp
	if g.chance(0.2) {
		c.Boundary = []Doc{g.doc(g.r.IntN(2)+1, g.boundaryStmt, false)}
	}
	return c
}

func (g *Generator) kmsCondition() (string, string, any) {
	if g.chance(0.4) {
		return g.pick("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIfExists"), "kms:ViaService",
			g.some(2, []string{viaService, "s3.*.amazonaws.com", "s3.us-east-1.amazonaws.com"})
	}
	if g.chance(0.3) {
		return "StringEquals", "kms:CallerAccount", g.some(2, []string{customerAccount, otherAccount})
	}
	return g.commonCondition()
}

func (g *Generator) kmsIdentityStmt() Stmt {
	st := Stmt{Effect: g.effect()}
	g.actionAndResource(&st, kmsActions, kmsResources)
	st.Condition = g.conditions(0.3, g.kmsCondition)
	return st
}

func (g *Generator) keyStmt() Stmt {
	st := Stmt{Effect: g.effect()}
	if st.Effect == "Deny" && g.chance(0.1) {
		st.NotPrincipal = g.principal(keyPrincipals[:5])
	} else {
		st.Principal = g.principal(keyPrincipals)
	}
	g.actionAndResource(&st, kmsActions[:len(kmsActions)-1], []string{"*", "*", keyARN})
	st.Condition = g.conditions(0.3, g.kmsCondition)
	return st
}

// describe is a one-line summary of a case for logs.
func (c Case) describe() string {
	return fmt.Sprintf("#%d %s %s %s by %s", c.ID, c.Kind, c.Action, c.Resource, c.Principal)
}
