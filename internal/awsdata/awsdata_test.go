package awsdata

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sourceFields reads the "name: value" lines of SOURCE.txt.
func sourceFields(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(sourceTxt, "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if ok && !strings.Contains(k, " ") {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// pinned reads the constants Package, Version and Integrity of gen/main.go.
func pinned(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("gen", "main.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out[vs.Names[0].Name] = s
			}
		}
		return true
	})
	for _, k := range []string{"Package", "Version", "Integrity"} {
		if out[k] == "" {
			t.Fatalf("gen/main.go: no string constant %s", k)
		}
	}
	return out
}

// TestGeneratedTableIsFresh fails when table.json or SOURCE.txt do not come
// from the package version pinned in gen/main.go: run `go generate
// ./internal/awsdata` after changing the pin, and never edit them by hand.
func TestGeneratedTableIsFresh(t *testing.T) {
	pin := pinned(t)
	src := sourceFields(t)
	for field, want := range map[string]string{"package": pin["Package"], "version": pin["Version"], "integrity": pin["Integrity"], "license": "MIT"} {
		if src[field] != want {
			t.Errorf("SOURCE.txt %s = %q, gen/main.go pins %q: run go generate ./internal/awsdata", field, src[field], want)
		}
	}
	sum := sha256.Sum256(tableJSON)
	if got := hex.EncodeToString(sum[:]); src["table-sha256"] != got {
		t.Errorf("table.json has SHA-256 %s, SOURCE.txt records %s: the table was edited by hand or not regenerated", got, src["table-sha256"])
	}
	if Version() != pin["Version"] || Package() != pin["Package"] {
		t.Errorf("table.json says %s@%s, gen/main.go pins %s@%s", Package(), Version(), pin["Package"], pin["Version"])
	}
	if !strings.Contains(sourceTxt, "MIT License") || !strings.Contains(sourceTxt, "Permission is hereby granted") {
		t.Error("SOURCE.txt does not carry the package's MIT licence text")
	}

	t.Run("regenerate", func(t *testing.T) {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skip("awsdata regeneration SKIPPED: npm not on PATH — table.json was checked against the pin only, not rebuilt")
		}
		if testing.Short() {
			t.Skip("awsdata regeneration SKIPPED in -short mode")
		}
		tmp := t.TempDir()
		cmd := exec.Command("go", "run", "./gen", "-out", tmp)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			msg := stderr.String()
			if strings.Contains(msg, "npm install") || strings.Contains(msg, "npm is needed") {
				t.Skipf("awsdata regeneration SKIPPED: could not install %s@%s with npm: %s", pin["Package"], pin["Version"], strings.TrimSpace(msg))
			}
			t.Fatalf("go run ./gen: %v\n%s", err, msg)
		}
		for _, name := range []string{"table.json", "SOURCE.txt"} {
			want, err := os.ReadFile(filepath.Join(tmp, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what go generate ./internal/awsdata writes from %s@%s: regenerate and commit it", name, pin["Package"], pin["Version"])
			}
		}
	})
}

// The page each expectation follows:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html,
// list_awskeymanagementservice.html, list_awssecuritytokenservice.html.
func TestServiceAuthorizationReference(t *testing.T) {
	if got := Services(); !slices.Equal(got, []string{"iam", "kms", "s3", "sts"}) {
		t.Fatalf("Services() = %v", got)
	}
	for _, a := range []string{"s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject",
		"s3:GetBucketAbac", "kms:GenerateDataKey", "kms:Decrypt", "sts:AssumeRole", "sts:TagSession",
		"sts:TagGetWebIdentityToken", "iam:PassRole", "iam:CreateUser"} {
		got, ok := Lookup(strings.ToUpper(a))
		if !ok {
			t.Errorf("%s not in the table", a)
			continue
		}
		if got.String() != a {
			t.Errorf("Lookup(%q) = %s, want the AWS spelling %s", strings.ToUpper(a), got, a)
		}
	}
	for _, a := range []string{"s3:PutObjects", "kms:GenerateDataKeys", "s3:Put*", "ec2:RunInstances", "PutObject"} {
		if _, ok := Lookup(a); ok {
			t.Errorf("Lookup(%q) found an action", a)
		}
	}
	if a, _ := Lookup("s3:PutObject"); a.AccessLevel != "Write" || !slices.Contains(a.ResourceTypes, "object") {
		t.Errorf("s3:PutObject = %+v", a)
	}
	if names := Actions("S3"); len(names) < 150 || !slices.IsSorted(names) {
		t.Errorf("Actions(s3): %d names, sorted %v", len(names), slices.IsSorted(names))
	}
	if Actions("ec2") != nil || Covers("ec2") || !Covers("KMS") {
		t.Error("Covers/Actions wrong for uncovered or upper-case services")
	}
	if ServiceName("s3") != "Amazon S3" {
		t.Errorf("ServiceName(s3) = %q", ServiceName("s3"))
	}
}

func TestCarries(t *testing.T) {
	for _, tc := range []struct {
		action, key    string
		carried, known bool
	}{
		{"s3:ListBucket", "s3:prefix", true, true},
		{"s3:PutObject", "s3:prefix", false, true},
		{"s3:PutObject", "S3:X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", true, true},
		{"s3:ListBucket", "s3:x-amz-server-side-encryption-aws-kms-key-id", false, true},
		{"s3:PutObject", "s3:RequestObjectTag/team", true, true},
		{"s3:PutObject", "s3:requestobjecttag/*", true, true},
		{"s3:PutObject", "s3:ExistingObjectTag/team", false, true},
		{"s3:GetObject", "s3:ExistingObjectTag/team", true, true},
		{"s3:PutObject", "s3:RequestObjectTag/", false, true}, // a template stands for at least one character
		{"kms:GenerateDataKey", "kms:EncryptionContext:aws:s3:arn", true, true},
		{"kms:GenerateDataKey", "kms:encryptioncontext:*", true, true},
		{"kms:GenerateDataKey", "kms:KeySpec", true, true}, // from the key resource type
		{"kms:GenerateDataKey", "kms:GrantIsForAWSResource", false, true},
		{"kms:CreateGrant", "kms:GrantIsForAWSResource", true, true},
		{"sts:AssumeRole", "sts:ExternalId", true, true},
		{"sts:AssumeRole", "iam:ResourceTag/team", true, true},
		{"sts:AssumeRole", "sts:AWSServiceName", false, true},
		{"s3:NoSuchAction", "s3:prefix", false, false},
		{"ec2:RunInstances", "ec2:InstanceType", false, false},
	} {
		carried, known := Carries(tc.action, tc.key)
		if carried != tc.carried || known != tc.known {
			t.Errorf("Carries(%s, %s) = %v, %v; want %v, %v", tc.action, tc.key, carried, known, tc.carried, tc.known)
		}
	}
}

func TestContextPattern(t *testing.T) {
	for ref, want := range map[string]string{
		"s3:RequestObjectTag/<key>":                      "s3:requestobjecttag/*",
		"kms:EncryptionContext:${EncryptionContextKey}":  "kms:encryptioncontext:*",
		"aws:RequestTag/${TagKey}":                       "aws:requesttag/*",
		"s3:prefix":                                      "",
		"github.com/enterprises/${EnterpriseName}:actor": "",
	} {
		got, ok := ContextPattern(ref)
		if got != want || ok != (want != "") {
			t.Errorf("ContextPattern(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
}

// Every templated key of the covered services' own prefixes ends in its one
// placeholder, so that it has a context wildcard (requestmodel relies on it).
func TestOwnTemplatesHaveContextPatterns(t *testing.T) {
	for _, svc := range Services() {
		for _, name := range Actions(svc) {
			keys, _ := ConditionKeys(svc + ":" + name)
			for _, k := range keys {
				if Prefix(k) == svc && IsTemplate(k) {
					if _, ok := ContextPattern(k); !ok {
						t.Errorf("%s:%s: key %s has no context wildcard", svc, name, k)
					}
				}
			}
		}
	}
}

func TestParseRejectsBrokenTables(t *testing.T) {
	for _, in := range []string{
		`{`,
		`{"services": {"s3": {"keys": [["s3:prefix",""]], "resources": [], "actions": [["ListBucket","List",[],[7]]]}}}`,
		`{"services": {"s3": {"keys": [], "resources": [], "actions": [["ListBucket","List",[3],[]]]}}}`,
		`{"services": {"s3": {"keys": [], "resources": [], "actions": [["ListBucket"]]}}}`,
		`{"services": {"s3": {"keys": [], "resources": [], "actions": [["A","List",[],[]],["a","List",[],[]]]}}}`,
	} {
		if _, err := parse([]byte(in)); err == nil {
			t.Errorf("parse(%s) accepted a broken table", in)
		}
	}
}
