package check

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

const exampleDir = "../../fixtures/example"

var (
	engineOnce sync.Once
	testEng    *engine.Engine
	testEngErr error
)

// testEngine compiles the embedded rules once for the package's tests.
func testEngine(t *testing.T) *engine.Engine {
	t.Helper()
	engineOnce.Do(func() { testEng, testEngErr = engine.New(context.Background(), engine.Options{}) })
	if testEngErr != nil {
		t.Fatalf("engine.New: %v", testEngErr)
	}
	return testEng
}

// runExample runs the real pipeline on fixtures/example with its
// .smlint.yaml plus the given ignore entries.
func runExample(t *testing.T, igs []config.Ignore, now time.Time) *Report {
	t.Helper()
	setup, err := config.Read(exampleDir + "/" + config.FileName)
	if err != nil {
		t.Fatal(err)
	}
	setup.Ignore = nil
	for _, ig := range igs {
		if ig.Source == "" {
			// Declared by the example's .smlint.yaml: file globs are
			// relative to fixtures/example.
			ig.Source = exampleDir + "/" + config.FileName
		}
		setup.Ignore = append(setup.Ignore, ig)
	}
	in := load.Paths([]string{exampleDir}, load.Options{})
	if len(in.Errors) > 0 {
		t.Fatalf("load: %v", in.Errors)
	}
	rep, err := Run(context.Background(), in, Options{Setup: *setup, Profile: requestmodel.Default(), Engine: testEngine(t), Now: now})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func ruleIDs(fs []engine.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	sort.Strings(out)
	return out
}

const exampleRole = "arn:aws:iam::111122223333:role/supermetrics-upload"

func TestSuppressExample(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	all := []string{"bucket-actions-missing", "encryption-header-required", "putobject-denied", "resource-too-broad", "trust-principal-wrong"}
	without := func(drop ...string) []string {
		var out []string
		for _, r := range all {
			keep := true
			for _, d := range drop {
				if r == d {
					keep = false
				}
			}
			if keep {
				out = append(out, r)
			}
		}
		return out
	}
	// An entry that suppresses nothing is itself reported (ignore-stale).
	stale := append(append([]string(nil), all...), "ignore-stale")
	tests := []struct {
		name           string
		ignore         config.Ignore
		wantKept       []string
		wantSuppressed []string
	}{
		{
			name:           "rule and file relative to the config's directory",
			ignore:         config.Ignore{Rule: "resource-too-broad", File: "get-role-policy.json", Reason: "dedicated bucket"},
			wantKept:       without("resource-too-broad"),
			wantSuppressed: []string{"resource-too-broad"},
		},
		{
			name:           "glob with ** matches at any depth",
			ignore:         config.Ignore{Rule: "bucket-actions-missing", File: "**/get-role-policy.json", Reason: "r"},
			wantKept:       without("bucket-actions-missing"),
			wantSuppressed: []string{"bucket-actions-missing"},
		},
		{
			name:           "glob with * in a directory",
			ignore:         config.Ignore{Rule: "resource-too-broad", File: "example/*-policy.json", Reason: "r", Source: "../../fixtures/" + config.FileName},
			wantKept:       without("resource-too-broad"),
			wantSuppressed: []string{"resource-too-broad"},
		},
		{
			// Typed as a suffix of the path, it used to match; relative to
			// the config's directory (fixtures/) it names a file that does
			// not exist.
			name:     "a suffix of the path is not a match",
			ignore:   config.Ignore{Rule: "resource-too-broad", File: "get-role-policy.json", Reason: "r", Source: "../../fixtures/" + config.FileName},
			wantKept: stale,
		},
		{
			name:     "rule matches, file does not",
			ignore:   config.Ignore{Rule: "resource-too-broad", File: "get-role.json", Reason: "r"},
			wantKept: stale,
		},
		{
			name:     "file is not a match on a partial name",
			ignore:   config.Ignore{Rule: "resource-too-broad", File: "role-policy.json", Reason: "r"},
			wantKept: stale,
		},
		{
			// The sid is shared with encryption-header-required: only the
			// named rule is suppressed.
			name:           "rule and sid",
			ignore:         config.Ignore{Rule: "putobject-denied", Sid: "DenyUnencryptedUploads", Reason: "r"},
			wantKept:       without("putobject-denied"),
			wantSuppressed: []string{"putobject-denied"},
		},
		{
			name:     "sid does not match",
			ignore:   config.Ignore{Rule: "putobject-denied", Sid: "SomethingElse", Reason: "r"},
			wantKept: stale,
		},
		{
			name:           "rule and principal as resource",
			ignore:         config.Ignore{Rule: "trust-principal-wrong", Resource: exampleRole, Reason: "r"},
			wantKept:       without("trust-principal-wrong"),
			wantSuppressed: []string{"trust-principal-wrong"},
		},
		{
			name:     "resource does not match",
			ignore:   config.Ignore{Rule: "trust-principal-wrong", Resource: "arn:aws:iam::111122223333:role/other", Reason: "r"},
			wantKept: stale,
		},
		{
			name:     "other rule in the same file",
			ignore:   config.Ignore{Rule: "action-too-broad", File: "get-role-policy.json", Reason: "r"},
			wantKept: stale,
		},
		{
			name:     "unknown rule",
			ignore:   config.Ignore{Rule: "resource-to-broad", File: "get-role-policy.json", Reason: "r"},
			wantKept: stale,
		},
		{
			name:           "expires later",
			ignore:         config.Ignore{Rule: "resource-too-broad", File: "get-role-policy.json", Reason: "r", Expires: "2026-03-01"},
			wantKept:       without("resource-too-broad"),
			wantSuppressed: []string{"resource-too-broad"},
		},
		{
			// Expired: reported by ignore-expired, not also as stale.
			name:     "expired",
			ignore:   config.Ignore{Rule: "resource-too-broad", File: "get-role-policy.json", Reason: "r", Expires: "2026-02-28", Source: ".smlint.yaml", Line: 9},
			wantKept: append(all, "ignore-expired"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runExample(t, []config.Ignore{tt.ignore}, now)
			want := append([]string(nil), tt.wantKept...)
			sort.Strings(want)
			if got := ruleIDs(rep.Findings); !reflect.DeepEqual(got, want) {
				t.Errorf("findings = %q, want %q", got, want)
			}
			wantSup := tt.wantSuppressed
			if wantSup == nil {
				wantSup = []string{}
			}
			if got := ruleIDs(rep.Suppressed); !reflect.DeepEqual(got, wantSup) {
				t.Errorf("suppressed = %q, want %q", got, wantSup)
			}
			if len(rep.Subjects) != 1 {
				t.Fatalf("%d subjects, want 1", len(rep.Subjects))
			}
			for _, f := range rep.Findings {
				if f.Rule == "ignore-stale" && (f.File != tt.ignore.Source && tt.ignore.Source != "" || !strings.Contains(f.Message, tt.ignore.Rule)) {
					t.Errorf("ignore-stale at %s: %q, want the entry's file and rule", f.File, f.Message)
				}
			}
			if got := ruleIDs(rep.Subjects[0].Suppressed); !reflect.DeepEqual(got, wantSup) {
				t.Errorf("subject suppressed = %q, want %q", got, wantSup)
			}
			// Suppression never changes the verdict of the requests.
			if rep.Upload != VerdictDenied || rep.Ready {
				t.Errorf("upload %s ready %v, want denied and not ready", rep.Upload, rep.Ready)
			}
		})
	}
}

func TestIgnoreExpiredFinding(t *testing.T) {
	igs := []config.Ignore{
		{Rule: "resource-too-broad", File: "get-role-policy.json", Reason: "dedicated bucket", Expires: "2026-02-28", Source: exampleDir + "/.smlint.yaml", Line: 7},
		{Rule: "bucket-actions-missing", Reason: "still valid", Expires: "2026-12-31", Source: exampleDir + "/.smlint.yaml", Line: 11},
	}
	rep := runExample(t, igs, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	var expired []engine.Finding
	for _, f := range rep.Findings {
		if f.Rule == "ignore-expired" {
			expired = append(expired, f)
		}
	}
	if len(expired) != 1 {
		t.Fatalf("ignore-expired findings = %+v, want exactly one", expired)
	}
	f := expired[0]
	if f.File != exampleDir+"/.smlint.yaml" || f.Line != 7 || f.Severity != "warning" {
		t.Errorf("ignore-expired at %s:%d (%s), want the entry's line 7 (warning)", f.File, f.Line, f.Severity)
	}
	if !strings.Contains(f.Message, "resource-too-broad") || !strings.Contains(f.Message, "2026-02-28") {
		t.Errorf("message %q does not name the rule and the date", f.Message)
	}
	if got := ruleIDs(rep.Suppressed); !reflect.DeepEqual(got, []string{"bucket-actions-missing"}) {
		t.Errorf("suppressed = %q, want only the unexpired entry's finding", got)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Rule == "resource-too-broad" {
			found = true
		}
	}
	if !found {
		t.Error("the expired entry still suppresses resource-too-broad")
	}

	// The entry's last day is still covered.
	rep = runExample(t, igs[:1], time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC))
	for _, f := range rep.Findings {
		if f.Rule == "ignore-expired" || f.Rule == "resource-too-broad" {
			t.Errorf("on the expiry day: unexpected %s finding", f.Rule)
		}
	}
}

func TestVerdicts(t *testing.T) {
	req := func(id, decision string) RequestResult { return RequestResult{ID: id, Decision: decision} }
	const (
		A  = "allowed"
		ID = "implicit_deny"
		ED = "explicit_deny"
		U  = "unknown"
	)
	tests := []struct {
		name          string
		reqs          []RequestResult
		wantUpload    string
		wantMultipart string
	}{
		{
			name:       "everything allowed, no KMS",
			reqs:       []RequestResult{req("assume-role", A), req("put-object", A), req("list-bucket", A)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictAllowed,
		},
		{
			name:       "assume-role denied",
			reqs:       []RequestResult{req("assume-role", ID), req("put-object", A)},
			wantUpload: VerdictDenied, wantMultipart: VerdictDenied,
		},
		{
			name:       "put allowed, kms-generate unknown",
			reqs:       []RequestResult{req("assume-role", A), req("put-object", A), req("kms-generate-data-key", U), req("kms-decrypt", A)},
			wantUpload: VerdictUnknown, wantMultipart: VerdictUnknown,
		},
		{
			name:       "kms-decrypt denied",
			reqs:       []RequestResult{req("assume-role", A), req("put-object", A), req("kms-generate-data-key", A), req("kms-decrypt", ED)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictDenied,
		},
		{
			name:       "kms-decrypt unknown",
			reqs:       []RequestResult{req("assume-role", A), req("put-object", A), req("kms-generate-data-key", A), req("kms-decrypt", U)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictUnknown,
		},
		{
			name:       "denied after unknown stays denied",
			reqs:       []RequestResult{req("assume-role", U), req("put-object", ED)},
			wantUpload: VerdictDenied, wantMultipart: VerdictDenied,
		},
		{
			name:       "unknown after denied stays denied",
			reqs:       []RequestResult{req("assume-role", ED), req("put-object", U)},
			wantUpload: VerdictDenied, wantMultipart: VerdictDenied,
		},
		{
			name:       "one source range denied",
			reqs:       []RequestResult{req("assume-role", A), req("assume-role", A), req("put-object", A), req("put-object", ID)},
			wantUpload: VerdictDenied, wantMultipart: VerdictDenied,
		},
		{
			name:       "requests outside the upload do not decide it",
			reqs:       []RequestResult{req("assume-role", A), req("put-object", A), req("list-bucket", ID), req("get-bucket-location", ED), req("delete-object", U)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictAllowed,
		},
		{
			name:       "access key: no assume-role request",
			reqs:       []RequestResult{req("put-object", A)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictAllowed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, mp := verdicts(tt.reqs, requestmodel.Default().Plan(requestmodel.PlanFor{RoleMethod: true, KMS: true}))
			if up != tt.wantUpload || mp != tt.wantMultipart {
				t.Errorf("verdicts = %s, %s; want %s, %s", up, mp, tt.wantUpload, tt.wantMultipart)
			}
		})
	}
}

func TestCombine(t *testing.T) {
	errF := engine.Finding{Rule: "trust-too-broad", Severity: "error", File: "b.json", Line: 3}
	warnF := engine.Finding{Rule: "resource-too-broad", Severity: "warning", File: "a.json", Line: 5}
	shared := engine.Finding{Rule: "encryption-header-required", Severity: "warning", File: "bucket.json", Line: 2}
	sub := func(upload, multipart string, fs ...engine.Finding) *Subject {
		return &Subject{Upload: upload, MultipartUpload: multipart, Findings: fs,
			Requests: []RequestResult{{ID: "put-object", Decision: "x"}}}
	}
	tests := []struct {
		name          string
		subjects      []*Subject
		wantUpload    string
		wantMultipart string
		wantReady     bool
		wantFindings  int
	}{
		{name: "no subjects", wantUpload: VerdictUnknown, wantMultipart: VerdictUnknown},
		{
			name:       "best upload wins",
			subjects:   []*Subject{sub(VerdictDenied, VerdictDenied), sub(VerdictAllowed, VerdictUnknown)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictUnknown, wantReady: true,
		},
		{
			name:       "unknown beats denied",
			subjects:   []*Subject{sub(VerdictUnknown, VerdictUnknown), sub(VerdictDenied, VerdictDenied)},
			wantUpload: VerdictUnknown, wantMultipart: VerdictUnknown,
		},
		{
			name:       "error in the other subject: not ready",
			subjects:   []*Subject{sub(VerdictAllowed, VerdictAllowed, warnF), sub(VerdictDenied, VerdictDenied, errF)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictAllowed, wantReady: false, wantFindings: 2,
		},
		{
			name:       "error in the allowed subject: not ready",
			subjects:   []*Subject{sub(VerdictAllowed, VerdictAllowed, errF), sub(VerdictAllowed, VerdictAllowed)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictAllowed, wantReady: false, wantFindings: 1,
		},
		{
			name:       "warnings only: ready",
			subjects:   []*Subject{sub(VerdictAllowed, VerdictDenied, warnF, shared), sub(VerdictDenied, VerdictDenied, shared)},
			wantUpload: VerdictAllowed, wantMultipart: VerdictDenied, wantReady: true, wantFindings: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &Report{Subjects: tt.subjects}
			combine(rep)
			if rep.Upload != tt.wantUpload || rep.MultipartUpload != tt.wantMultipart || rep.Ready != tt.wantReady {
				t.Errorf("combine = upload %s, multipart %s, ready %v; want %s, %s, %v",
					rep.Upload, rep.MultipartUpload, rep.Ready, tt.wantUpload, tt.wantMultipart, tt.wantReady)
			}
			if len(rep.Findings) != tt.wantFindings {
				t.Errorf("findings = %+v, want %d (deduplicated)", rep.Findings, tt.wantFindings)
			}
			if len(rep.Requests) != len(tt.subjects) {
				t.Errorf("requests = %d, want one per subject", len(rep.Requests))
			}
		})
	}
}

func TestCombineSetupOfOneSubject(t *testing.T) {
	rep := &Report{Setup: config.Setup{Bucket: "given"},
		Subjects: []*Subject{{Setup: config.Setup{Bucket: "given", Region: "eu-west-1"}, Upload: VerdictAllowed, MultipartUpload: VerdictAllowed}}}
	combine(rep)
	if rep.Setup.Region != "eu-west-1" {
		t.Errorf("setup = %+v, want the single subject's", rep.Setup)
	}
}

func doc(t *testing.T, kind policy.Kind, text string) *policy.Document {
	t.Helper()
	d, err := policy.FromText(text, kind, "p.json", 1)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func putPolicy(resources ...string) string {
	quoted := make([]string, len(resources))
	for i, r := range resources {
		quoted[i] = `"` + r + `"`
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":[` + strings.Join(quoted, ",") + `]}]}`
}

func TestInferSetup(t *testing.T) {
	tests := []struct {
		name         string
		given        config.Setup
		docs         []string // identity documents
		principal    []string // identity documents of a principal
		buckets      []*load.BucketFacts
		unknownRes   bool // the first document's Resource is unresolved
		wantBucket   string
		wantRegion   string
		wantPrefix   string
		wantInferred []string
	}{
		{
			name:       "one bucket and one folder from PutObject",
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/supermetrics/*")},
			wantBucket: "acme-data", wantPrefix: "supermetrics/", wantInferred: []string{"bucket", "prefix"},
		},
		{
			name:       "given bucket, folder inferred",
			given:      config.Setup{Bucket: "acme-data"},
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/exports/daily/*")},
			wantBucket: "acme-data", wantPrefix: "exports/daily/", wantInferred: []string{"prefix"},
		},
		{
			name:       "folder with a wildcard is not inferred",
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/exports/*/x/*")},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name:       "a single key is not a folder",
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/exports/file.csv")},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name:       "given prefix is kept",
			given:      config.Setup{Prefix: "mine/"},
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/supermetrics/*")},
			wantBucket: "acme-data", wantPrefix: "mine/", wantInferred: []string{"bucket"},
		},
		{
			name:       "same bucket twice",
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/a/*", "arn:aws:s3:::acme-data/b/*")},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name:       "from a principal's policy",
			principal:  []string{putPolicy("arn:aws:s3:::acme-data/*")},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name: "two buckets",
			docs: []string{putPolicy("arn:aws:s3:::acme-data/*", "arn:aws:s3:::acme-logs/*")},
		},
		{
			name: "two buckets in two documents",
			docs: []string{putPolicy("arn:aws:s3:::acme-data/*"), putPolicy("arn:aws:s3:::acme-logs/*")},
		},
		{name: "wildcard bucket", docs: []string{putPolicy("arn:aws:s3:::acme-*/supermetrics/*")}},
		{name: "question mark bucket", docs: []string{putPolicy("arn:aws:s3:::acme-dat?/*")}},
		{name: "policy variable bucket", docs: []string{putPolicy("arn:aws:s3:::${aws:username}/*")}},
		{name: "everything", docs: []string{putPolicy("*")}},
		{name: "unresolved resource", docs: []string{putPolicy("x")}, unknownRes: true},
		{
			name: "s3:* is not a PutObject statement",
			docs: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::acme-data/*"}]}`},
		},
		{
			name: "a Deny names no destination",
			docs: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-data/*"}]}`},
		},
		{
			name:       "s3:Put* counts",
			docs:       []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Put*","Resource":"arn:aws:s3:::acme-data/*"}]}`},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name:       "given bucket is kept",
			given:      config.Setup{Bucket: "mine"},
			docs:       []string{putPolicy("arn:aws:s3:::acme-data/*")},
			wantBucket: "mine",
		},
		{
			name:       "bucket facts win over policies",
			docs:       []string{putPolicy("arn:aws:s3:::acme-logs/*")},
			buckets:    []*load.BucketFacts{{Name: "acme-data", Region: "eu-west-1"}},
			wantBucket: "acme-data", wantRegion: "eu-west-1", wantInferred: []string{"bucket", "region"},
		},
		{
			name:    "two buckets in facts",
			buckets: []*load.BucketFacts{{Name: "acme-data"}, {Name: "acme-logs"}},
		},
		{
			name:       "unknown bucket name in facts is ignored",
			buckets:    []*load.BucketFacts{{Name: policy.UnknownValue("known after apply")}, {Name: "acme-data"}},
			wantBucket: "acme-data", wantInferred: []string{"bucket"},
		},
		{
			name:       "region of another bucket is not taken",
			given:      config.Setup{Bucket: "mine"},
			buckets:    []*load.BucketFacts{{Name: "acme-data", Region: "us-east-1"}},
			wantBucket: "mine",
		},
		{
			name:       "region of an unnamed bucket (get-bucket-location)",
			given:      config.Setup{Bucket: "mine", Region: ""},
			buckets:    []*load.BucketFacts{{Region: "eu-north-1"}},
			wantBucket: "mine", wantRegion: "eu-north-1", wantInferred: []string{"region"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &load.Input{Buckets: tt.buckets}
			for _, text := range tt.docs {
				in.Documents = append(in.Documents, doc(t, policy.Identity, text))
			}
			if tt.unknownRes {
				in.Documents[0].Statements[0].Resource = []string{policy.UnknownValue("known after apply: aws_s3_bucket.data.arn")}
			}
			if tt.principal != nil {
				p := &load.Principal{Type: "role", Name: "r"}
				for _, text := range tt.principal {
					p.Identity = append(p.Identity, doc(t, policy.Identity, text))
				}
				in.Principals = []*load.Principal{p}
			}
			s := tt.given
			inferSetup(&s, in)
			if s.Bucket != tt.wantBucket || s.Region != tt.wantRegion || s.Prefix != tt.wantPrefix || !reflect.DeepEqual(s.Inferred, tt.wantInferred) {
				t.Errorf("inferSetup = bucket %q region %q prefix %q inferred %q; want %q, %q, %q, %q",
					s.Bucket, s.Region, s.Prefix, s.Inferred, tt.wantBucket, tt.wantRegion, tt.wantPrefix, tt.wantInferred)
			}
		})
	}
}

func TestKMSFor(t *testing.T) {
	const (
		keyID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
		keyARN = "arn:aws:kms:eu-west-1:111122223333:key/" + keyID
		cfgARN = "arn:aws:kms:eu-west-1:111122223333:key/configured"
	)
	keys := []*load.KeyFacts{{ARN: keyARN, KeyID: keyID, Region: "eu-west-1", KeyManager: "CUSTOMER"}}
	tests := []struct {
		name    string
		setup   config.Setup
		buckets []*load.BucketFacts
		keys    []*load.KeyFacts
		want    kmsPlan
	}{
		{name: "nothing known", setup: config.Setup{Bucket: "b"}, want: kmsPlan{}},
		{
			name:  "configured key",
			setup: config.Setup{Bucket: "b", KMSKeyARN: cfgARN},
			want:  kmsPlan{applies: true, keyARN: cfgARN, source: "config", sendsKey: true},
		},
		{
			name:    "configured key wins over bucket default, bucket key from the bucket",
			setup:   config.Setup{Bucket: "b", KMSKeyARN: cfgARN},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyARN, BucketKeyEnabled: true}},
			want:    kmsPlan{applies: true, keyARN: cfgARN, source: "config", sendsKey: true, bucketKey: true},
		},
		{
			name:    "bucket default key id resolved to ARN",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyID}},
			keys:    keys,
			want:    kmsPlan{applies: true, keyARN: keyARN, source: "bucket-default"},
		},
		{
			name:    "bucket default key ARN kept",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyARN, BucketKeyEnabled: true}},
			want:    kmsPlan{applies: true, keyARN: keyARN, source: "bucket-default", bucketKey: true},
		},
		{
			name:    "bucket default DSSE-KMS",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms:dsse", KMSMasterKeyID: keyARN}},
			want:    kmsPlan{applies: true, keyARN: keyARN, source: "bucket-default"},
		},
		{
			name:    "unnamed bucket facts (get-bucket-encryption)",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyID}},
			keys:    keys,
			want:    kmsPlan{applies: true, keyARN: keyARN, source: "bucket-default"},
		},
		{
			name:    "aws/s3 alias",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/aws/s3"}},
			want:    kmsPlan{},
		},
		{
			name:    "aws/s3 alias ARN",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"}},
			want:    kmsPlan{},
		},
		{
			// describe-key of the bucket default says it is the AWS managed
			// key: like alias/aws/s3, its key policy lets the account use it
			// through S3.
			name:    "AWS managed key by ARN",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyARN}},
			keys:    []*load.KeyFacts{{ARN: keyARN, KeyID: keyID, KeyManager: "AWS"}},
			want:    kmsPlan{},
		},
		{
			name:    "AWS managed key by key id",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyID}},
			keys:    []*load.KeyFacts{{ARN: keyARN, KeyID: keyID, KeyManager: "AWS"}},
			want:    kmsPlan{},
		},
		{
			// S3 resolves a bare id in the bucket owner's account and Region,
			// but without describe-key nobody knows whether it is the AWS
			// managed key: the key is unknown, never a confident refusal.
			name:    "customer key id without describe-key is unresolved",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyID}},
			want:    kmsPlan{applies: true, keyARN: "<unresolved>", source: "bucket-default"},
		},
		{
			name:    "aws:kms without key id",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "aws:kms"}},
			want:    kmsPlan{},
		},
		{
			name:    "AES256",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: "AES256"}},
			want:    kmsPlan{},
		},
		{
			// A plan whose encryption is known only after apply may use a
			// customer managed key: the KMS requests must be unknown, not
			// skipped (a false "allowed" before).
			name:    "default encryption known after apply",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "b", SSEAlgorithm: policy.UnknownValue("known after apply: aws_s3_bucket_server_side_encryption_configuration.b")}},
			want: kmsPlan{applies: true, source: "bucket-default",
				keyARN: policy.UnknownValue("the bucket's default encryption is not known (known after apply: aws_s3_bucket_server_side_encryption_configuration.b)")},
		},
		{
			name:    "another bucket's default",
			setup:   config.Setup{Bucket: "b"},
			buckets: []*load.BucketFacts{{Name: "other", SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyARN}},
			want:    kmsPlan{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.setup
			full := kmsFor(&load.Input{Buckets: tt.buckets, Keys: tt.keys}, &s, iam.Caller{Account: "111122223333"})
			got := kmsPlan{applies: full.applies, keyARN: full.keyARN, source: full.source, sendsKey: full.sendsKey, bucketKey: full.bucketKey}
			if full.unresolved != "" {
				got.keyARN = "<unresolved>"
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("kmsFor = %+v, want %+v", got, tt.want)
			}
		})
	}
}
