package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Hostile inputs (issue "Proof of correctness"): files that break naive
// tools. Each is generated in a temporary directory (the big ones are never
// committed) and checked on the same command line as a good setup (a copy of
// fixtures/good-role), so that every case also proves the good files are
// still analysed: SPEC §3, exit 2 for "an input that could not be read
// (other inputs are still analysed and reported)".

// hostileReport is the part of the JSON report (SPEC §4) these tests read.
type hostileReport struct {
	Upload   string `json:"upload"`
	Requests []struct {
		ID       string `json:"id"`
		Decision string `json:"decision"`
		Because  []struct {
			File string `json:"file"`
		} `json:"because"`
	} `json:"requests"`
	Findings []struct {
		Rule    string `json:"rule"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

// Bounds that only guard against hangs and unbounded growth: generous on
// purpose, so they never turn into flaky performance assertions.
const (
	hostileTimeLimit = 20 * time.Second
	hostileHeapLimit = 1 << 30
)

// policyJSON is a small identity policy: one statement per argument.
func policyJSON(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + "]}\n"
}

// denyDelete is a statement whose effect is visible in the report (the
// delete-object request becomes an explicit deny naming the file) without
// touching the upload verdict: it proves that a file smlint accepts was
// really read.
const denyDelete = `{"Sid":"Hostile","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`

type hostileCase struct {
	name string
	// file is the hostile file's name; write creates it (at path) or, for
	// the directory cases, a directory holding it.
	file  string
	write func(t *testing.T, path string)
	// dir: pass the directory holding file, not the file (a scanned
	// directory, SPEC §2 "directories (recursed)").
	dir bool
	// accepted: the input is valid (or a finding, not an error): no error
	// entry, and the exit code is exitWant.
	accepted bool
	exitWant int
	// msg is a substring of the error message (or, when accepted, of the
	// finding with rule).
	msg  string
	rule string
	// line is the expected line of the error or finding (0: no line
	// applies; -1: any line > 0).
	line int
	// deleteDenied: the file's Deny on s3:DeleteObject must show in the
	// delete-object request.
	deleteDenied bool
}

func writeText(s string) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeBig streams n copies of unit between head and tail to path.
func writeBig(head, unit, tail string, n int) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		t.Helper()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		chunk := strings.Repeat(unit, max(1, (1<<16)/len(unit)))
		per := len(chunk) / len(unit)
		_, err = f.WriteString(head)
		for left := n; left > 0 && err == nil; left -= per {
			if left < per {
				chunk = strings.Repeat(unit, left)
			}
			_, err = f.WriteString(chunk)
		}
		if err == nil {
			_, err = f.WriteString(tail)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func billionLaughsYAML(levels int) string {
	var b strings.Builder
	b.WriteString("Resources:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		b.WriteString("  a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func hostileCases() []hostileCase {
	good := policyJSON(denyDelete)
	// A URL-encoded document, then encoded again: IAM decodes once.
	enc := func(s string) string {
		r := strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D", `"`, "%22", ":", "%3A", ",", "%2C", "[", "%5B", "]", "%5D", "*", "%2A", "/", "%2F", " ", "%20", "\n", "%0A")
		return r.Replace(s)
	}
	absurdARN := "arn:aws:s3:::" + strings.Repeat("*a?:", 16<<10)
	return []hostileCase{
		{name: "empty", file: "empty.json", write: writeText(""), msg: "empty", line: 1},
		{name: "whitespace", file: "blank.json", write: writeText(" \n\t\r\n  \n"), msg: "empty", line: 1},
		{name: "truncated", file: "truncated.json", write: writeText(`{"Version":"2012-10-17",` + "\n" + `"Statement":[{"Effect":"Allow",` + "\n"), msg: "invalid JSON", line: -1},
		{name: "trailing garbage", file: "trailing.json", write: writeText(good + "\n}garbage\n"), msg: "invalid JSON", line: 3},
		// SPEC §2 reads JSON; a UTF-8 byte-order mark is what Windows
		// editors write and carries no meaning: accepted and read.
		{name: "utf8 bom", file: "bom.json", write: writeText("\ufeff" + good), accepted: true, exitWant: exitOK, deleteDenied: true},
		{name: "utf16 with bom", file: "utf16.json", write: writeText(utf16(good, true)), msg: "UTF-16", line: 1},
		{name: "utf16 without bom", file: "utf16-nobom.json", write: writeText(utf16(good, false)), msg: "NUL", line: 1},
		{name: "invalid utf8", file: "latin1.json", write: writeText(`{"Version":"2012-10-17",` + "\n" + "\"Statement\":[{\"Sid\":\"caf\xe9\"}]}"), msg: "UTF-8", line: 2},
		{name: "nul bytes", file: "nul.json", write: writeText("{\"Version\":\"2012-10-17\",\n\n\"Statement\":[\x00]}"), msg: "NUL", line: 3},
		{name: "comments in json", file: "comments.json", write: writeText("{\n  // identity policy\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n"), msg: "invalid JSON", line: 2},
		{name: "50 MB file", file: "huge.json", write: writeBig(`{"Version":"2012-10-17","Statement":[`, denyDelete+",", denyDelete+"]}", (50<<20)/(len(denyDelete)+1)), msg: "byte limit", line: 0},
		{name: "20 MB string", file: "long-string.json", write: writeBig("{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Sid\":\"", "x", "\"}]}", 20<<20), msg: "byte limit", line: 2},
		{name: "100000-deep nesting", file: "deep.json", write: writeBig(`{"Statement":`, "[", strings.Repeat("]", 100000)+"}", 100000), msg: "nesting", line: 1},
		{name: "100000-deep YAML", file: "deep.yaml", write: writeBig("Resources:\n  R: ", "[", strings.Repeat("]", 100000)+"\n", 100000), msg: "depth", line: -1},
		// SPEC §4: "A document with duplicate keys is evaluated under each
		// reading"; §5 policy-invalid lists duplicate keys: a finding (exit
		// 1), not an unreadable input.
		{name: "duplicate keys", file: "dup.json", write: writeText(policyJSON(`{"Sid":"Dup","Effect":"Deny","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`)),
			accepted: true, exitWant: exitFindings, rule: "policy-invalid", msg: "duplicate", line: 1, deleteDenied: true},
		// SPEC §5 policy-invalid: "grammar, element misuse": wrong types are
		// a finding on the statement's line, not an unreadable file.
		{name: "wrong type Action", file: "action5.json", write: writeText("{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":5,\"Resource\":\"*\"}]}\n"),
			accepted: true, exitWant: exitFindings, rule: "policy-invalid", msg: "Action", line: 2},
		{name: "null Statement", file: "null-statement.json", write: writeText("{\"Version\":\"2012-10-17\",\n\"Statement\":null}\n"),
			accepted: true, exitWant: exitFindings, rule: "policy-invalid", msg: "Statement", line: 2},
		{name: "a million statements", file: "million.json", write: writeBig(`{"Version":"2012-10-17","Statement":[`, `{"Effect":"Deny"},`, `{"Effect":"Deny"}]}`, 1_000_000), msg: "statements", line: 1},
		{name: "yaml billion laughs", file: "laughs.yaml", write: writeText(billionLaughsYAML(9)), msg: "alias", line: -1},
		{name: "yaml unsafe tag", file: "unsafe.yaml", write: writeText("Resources:\n  R: !!python/object/apply:os.system [\"echo pwned\"]\n"), msg: "tag", line: 2},
		{name: "yaml unknown local tag", file: "unsafe2.yaml", write: writeText("Resources:\n  R:\n    Type: !Exec rm\n"), msg: "tag", line: 3},
		{name: "doubly URL-encoded", file: "double.json", write: writeText(`{"RoleName":"supermetrics-upload","PolicyName":"p","PolicyDocument":"` + enc(enc(good)) + "\"}\n"), msg: "URL-encoded more than once", line: 1},
		// An ARN of 64 KiB of wildcards and colons: IAM rejects the document
		// for size (SPEC §5 policy-invalid, "size over quota"; IAM-FACTS
		// §5.1), which smlint reports as a finding. Its Deny still counts
		// (SPEC §4), so matching the absurd pattern must stay bounded.
		{name: "absurd ARN", file: "absurd-arn.json", write: writeText(policyJSON(`{"Sid":"Absurd","Effect":"Deny","Action":"s3:DeleteObject","Resource":["*","` + absurdARN + `"]}`)),
			accepted: true, exitWant: exitFindings, rule: "policy-invalid", msg: "", line: 1, deleteDenied: true},
		// An invalid CIDR in a condition is a grammar problem of the document
		// (SPEC §5 policy-invalid), not an unreadable file.
		{name: "invalid CIDR in condition", file: "cidr.json", write: writeText(policyJSON(`{"Sid":"BadCidr","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.300/33"}}}`)),
			accepted: true, exitWant: exitFindings, rule: "policy-invalid", msg: "10.0.0.300/33", line: 1},
		{name: "symlink loop in a scanned directory", file: "loop.json", dir: true, write: func(t *testing.T, path string) {
			other := filepath.Join(filepath.Dir(path), "loop2.json")
			if err := os.Symlink(other, path); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(path, other); err != nil {
				t.Fatal(err)
			}
		}, msg: "symbolic link", line: 0},
		{name: "FIFO in a scanned directory", file: "pipe.json", dir: true, write: func(t *testing.T, path string) {
			if runtime.GOOS == "windows" {
				t.Skip("no FIFOs on windows")
			}
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skip("mkfifo:", err)
			}
		}, msg: "not a regular file", line: 0},
	}
}

func utf16(s string, bom bool) string {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// copyGoodRole copies fixtures/good-role into dir and returns its config.
func copyGoodRole(t *testing.T, dir string) string {
	t.Helper()
	src := "../../fixtures/good-role"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "expected.json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, ".smlint.yaml")
}

// measured runs smlint and reports the exit code, the output, the elapsed
// time and the peak growth of the live heap (sampled every few
// milliseconds) over the run.
func measured(args []string) (code int, stdout, stderr string, elapsed time.Duration, peak uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var top atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > top.Load() {
				top.Store(m.HeapAlloc - base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var out, errb bytes.Buffer
	start := time.Now()
	code = run(args, &out, &errb, func(string) string { return "" })
	elapsed = time.Since(start)
	close(done)
	wg.Wait()
	return code, out.String(), errb.String(), elapsed, top.Load()
}

func TestHostileInputs(t *testing.T) {
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			goodDir := filepath.Join(root, "good")
			hostDir := filepath.Join(root, "hostile")
			for _, d := range []string{goodDir, hostDir} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cfg := copyGoodRole(t, goodDir)
			path := filepath.Join(hostDir, c.file)
			c.write(t, path)
			arg := path
			if c.dir {
				arg = hostDir
			}
			args := []string{"smlint", "check", "--format", "json", "--config", cfg, arg, goodDir}
			code, stdout, stderr, elapsed, peak := measured(args)
			if strings.Contains(stderr, "internal error") {
				t.Fatalf("panic: %s", stderr)
			}
			if elapsed > hostileTimeLimit {
				t.Errorf("took %v (hang guard %v)", elapsed, hostileTimeLimit)
			}
			if peak > hostileHeapLimit {
				t.Errorf("heap grew by %d MiB (guard %d MiB)", peak>>20, hostileHeapLimit>>20)
			}
			t.Logf("exit %d in %v, heap +%d MiB", code, elapsed.Round(time.Millisecond), peak>>20)
			var rep hostileReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("exit %d, output is not JSON: %v\nstderr: %s\nstdout: %.2000s", code, err, stderr, stdout)
			}
			// The good role is still analysed: its upload is decided from
			// the good files. A file named on the command line that cannot
			// be read may be any policy of the role (issue 8 A5, SPEC §1: a
			// declared document that could not be read makes the requests
			// it could affect unknown): the S3 requests are then unknown
			// because of that file, never allowed.
			namedUnreadable := !c.accepted && !c.dir
			wantPut := "allowed"
			if namedUnreadable {
				wantPut = "unknown"
			}
			if rep.Upload != wantPut {
				t.Errorf("upload = %q, want %s", rep.Upload, wantPut)
			}
			decided := map[string]string{}
			for _, r := range rep.Requests {
				decided[r.ID] = r.Decision
				if r.ID != "put-object" {
					continue
				}
				if namedUnreadable {
					named := false
					for _, b := range r.Because {
						named = named || b.File == path
					}
					if !named {
						t.Errorf("put-object is not unknown because of the unreadable %s: %+v", path, r)
					}
				} else if len(r.Because) == 0 || !strings.HasSuffix(r.Because[0].File, "get-role-policy.json") {
					t.Errorf("put-object not decided by the good policy: %+v", r)
				}
			}
			if decided["assume-role"] != "allowed" || decided["put-object"] != wantPut {
				t.Errorf("good role's requests: %v", decided)
			}
			if c.deleteDenied {
				found := false
				for _, r := range rep.Requests {
					if r.ID == "delete-object" && r.Decision == "explicit_deny" {
						for _, b := range r.Because {
							found = found || b.File == path
						}
					}
				}
				if !found {
					t.Errorf("the hostile file's Deny on s3:DeleteObject was not applied: %+v", rep.Requests)
				}
			}
			if c.accepted {
				if len(rep.Errors) != 0 {
					t.Errorf("errors: %+v", rep.Errors)
				}
				if code != c.exitWant {
					t.Errorf("exit %d, want %d (stderr %s)", code, c.exitWant, stderr)
				}
				if c.rule == "" {
					return
				}
				for _, f := range rep.Findings {
					if f.Rule == c.rule && f.File == path && strings.Contains(f.Message, c.msg) && (c.line < 0 && f.Line > 0 || f.Line == c.line) {
						t.Logf("%s:%d: %s: %.200s", filepath.Base(f.File), f.Line, f.Rule, f.Message)
						return
					}
				}
				t.Errorf("no %s finding on %s line %d with %q: %+v", c.rule, path, c.line, c.msg, rep.Findings)
				return
			}
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			// One error names the hostile file (a symbolic link loop has two
			// members, each reported); none names a good file.
			var e *struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Message string `json:"message"`
			}
			for i := range rep.Errors {
				if !strings.HasPrefix(rep.Errors[i].File, hostDir) {
					t.Errorf("error on a good file: %+v", rep.Errors[i])
				}
				if rep.Errors[i].File == path {
					e = &rep.Errors[i]
				}
			}
			if e == nil {
				t.Fatalf("no error names %s: %+v", path, rep.Errors)
			}
			t.Logf("%s:%d: %.200s", filepath.Base(e.File), e.Line, e.Message)
			if !strings.Contains(e.Message, c.msg) || strings.HasPrefix(e.Message, ":") {
				t.Errorf("error %q does not say %q", e.Message, c.msg)
			}
			if c.line < 0 && e.Line <= 0 || c.line >= 0 && e.Line != c.line {
				t.Errorf("error line %d, want %d (%s)", e.Line, c.line, e.Message)
			}
		})
	}
}

// An invalid --vendor-ip-ranges is a usage error (SPEC §3: exit 2), before
// any file is read.
func TestHostileVendorRanges(t *testing.T) {
	dir := t.TempDir()
	cfg := copyGoodRole(t, dir)
	for _, v := range []string{"10.0.0.300/33", "10.0.0.0/8,nonsense", "@" + filepath.Join(dir, "missing.txt")} {
		var out, errb bytes.Buffer
		code := run([]string{"smlint", "check", "--format", "json", "--config", cfg, "--vendor-ip-ranges", v, dir}, &out, &errb, func(string) string { return "" })
		if code != exitUsage || !strings.Contains(errb.String(), "--vendor-ip-ranges") {
			t.Errorf("%s: exit %d, stderr %q", v, code, errb.String())
		}
	}
}

// A valid JSON file of no shape smlint reads, named on the command line (a
// pre-commit hook passes every changed file), is listed as not checked —
// never silently dropped — and does not fail the run: the issue asks that
// "JSON that is not a policy (package.json, tsconfig.json) is skipped
// quietly".
func TestNamedNonPolicyFileIsListedNotChecked(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "package.json")
	if err := os.WriteFile(pkg, []byte("{\"name\": \"x\",\n\"version\": \"1.0.0\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := "../../fixtures/good-role"
	var stdout, stderr bytes.Buffer
	code := run([]string{"smlint", "check", "--format", "json", "--config", filepath.Join(good, ".smlint.yaml"), good, pkg},
		&stdout, &stderr, func(string) string { return "" })
	var rep struct {
		Ready      bool `json:"ready"`
		NotChecked []struct {
			File    string `json:"file"`
			Message string `json:"message"`
		} `json:"not_checked"`
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr.String())
	}
	if code != exitOK || !rep.Ready || len(rep.Errors) != 0 {
		t.Fatalf("exit %d ready %t errors %v, want 0, true, none", code, rep.Ready, rep.Errors)
	}
	if len(rep.NotChecked) != 1 || rep.NotChecked[0].File != pkg || !strings.Contains(rep.NotChecked[0].Message, "not a policy document") {
		t.Fatalf("not_checked = %+v", rep.NotChecked)
	}
}
