package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/smlint/smlint/internal/engine"
)

// fuzzExts are the names the fuzzed file may take: the extension decides
// between the JSON and YAML readers (internal/load).
var fuzzExts = []string{".json", ".yaml", ".template"}

// FuzzCheck runs the whole check pipeline (load, evaluate, rules, JSON
// report) on one fuzzed file. Nothing may panic (run turns a panic into
// exit 2 and "internal error" on stderr, which fails the target), the exit
// code is 0, 1 or 2 (SPEC §3), the report is valid JSON, and exit 2 comes
// with at least one entry in its errors (the arguments are fixed, so
// there is no usage error to explain it otherwise).
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`), uint8(0))
	f.Add([]byte(`{"Role":{"RoleName":"r","Arn":"arn:aws:iam::111122223333:role/r","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::043417694514:role/supermetrics-s3-role"},"Action":"sts:AssumeRole"}]}}}`), uint8(0))
	f.Add([]byte("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: !Ref V}, Action: sts:AssumeRole}]}\n"), uint8(1))
	f.Add([]byte(`{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.300/33"}}}]}`), uint8(0))
	// One compiled engine for every input: the pipeline after it is what is
	// fuzzed, and compiling the rules per input (under coverage
	// instrumentation) cut the fuzzer to a few inputs a minute.
	var once sync.Once
	var cached *engine.Engine
	var cacheErr error
	saved := newEngine
	newEngine = func(ctx context.Context, opts engine.Options) (*engine.Engine, error) {
		if len(opts.RuleDirs) > 0 {
			return saved(ctx, opts)
		}
		once.Do(func() { cached, cacheErr = saved(ctx, opts) })
		return cached, cacheErr
	}
	f.Cleanup(func() { newEngine = saved })
	f.Fuzz(func(t *testing.T, data []byte, ext uint8) {
		if len(data) > 1<<16 {
			return // large inputs are the hostile suite's job (hostile_test.go)
		}
		file := filepath.Join(t.TempDir(), "input"+fuzzExts[int(ext)%len(fuzzExts)])
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := run([]string{"smlint", "check", "--format", "json", "--bucket", "b", file}, &stdout, &stderr, func(string) string { return "" })
		if strings.Contains(stderr.String(), "internal error") {
			t.Fatalf("panic on %q:\n%s", data, stderr.String())
		}
		if code != exitOK && code != exitFindings && code != exitUsage {
			t.Fatalf("exit code %d", code)
		}
		var rep struct {
			Upload string `json:"upload"`
			Errors []struct {
				File    string `json:"file"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("exit %d, report is not JSON: %v\nstderr: %s", code, err, stderr.String())
		}
		switch rep.Upload {
		case "allowed", "denied", "unknown":
		default:
			t.Fatalf("upload %q", rep.Upload)
		}
		if (code == exitUsage) != (len(rep.Errors) > 0) {
			t.Fatalf("exit %d with errors %+v (stderr %s)", code, rep.Errors, stderr.String())
		}
		for _, e := range rep.Errors {
			if e.File != file || e.Message == "" {
				t.Fatalf("error %+v does not name %s", e, file)
			}
		}
	})
}
