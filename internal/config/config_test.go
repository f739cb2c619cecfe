package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    *Setup // checked when non-nil (Source is filled in by the test)
		wantErr []string
	}{
		{
			name: "good file",
			body: `# setup
bucket: acme-data
prefix: supermetrics/
region: eu-west-1
kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
role_arn: arn:aws:iam::111122223333:role/supermetrics-upload
auth: role
vendor:
  ip_ranges: [203.0.113.0/24, 198.51.100.7]
  external_id: abc123
ignore:
  - rule: resource-too-broad
    file: iam/policy.json
    reason: bucket is dedicated to Supermetrics
    expires: 2027-06-30
  - rule: action-too-broad
    sid: Admin
    reason: reviewed
`,
			want: &Setup{
				Bucket: "acme-data", Prefix: "supermetrics/", Region: "eu-west-1",
				KMSKeyARN: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				RoleARN:   "arn:aws:iam::111122223333:role/supermetrics-upload", Auth: AuthRole,
				Vendor: Vendor{IPRanges: []string{"203.0.113.0/24", "198.51.100.7"}, ExternalID: "abc123"},
				Ignore: []Ignore{
					{Rule: "resource-too-broad", File: "iam/policy.json", Reason: "bucket is dedicated to Supermetrics", Expires: "2027-06-30", Line: 12},
					{Rule: "action-too-broad", Sid: "Admin", Reason: "reviewed", Line: 16},
				},
			},
		},
		{name: "empty file", body: "", want: &Setup{}},
		{name: "comments only", body: "# nothing yet\n", want: &Setup{}},
		{
			name:    "unknown key",
			body:    "bucket: b\nkms_keyarn: arn:aws:kms:eu-west-1:111122223333:key/x\n",
			wantErr: []string{".smlint.yaml", "kms_keyarn"},
		},
		{
			name:    "unknown nested key",
			body:    "vendor:\n  ip_range: [1.2.3.4]\n",
			wantErr: []string{".smlint.yaml", "ip_range"},
		},
		{
			name:    "ignore without reason",
			body:    "bucket: b\nignore:\n  - rule: resource-too-broad\n    file: a.json\n",
			wantErr: []string{".smlint.yaml:3:", "ignore[1]", "reason"},
		},
		{
			name:    "ignore with blank reason",
			body:    "ignore:\n  - rule: a\n    reason: ok\n  - rule: b\n    reason: '   '\n",
			wantErr: []string{".smlint.yaml:4:", "ignore[2]"},
		},
		{
			name:    "ignore without rule",
			body:    "ignore:\n  - file: a.json\n    reason: because\n",
			wantErr: []string{".smlint.yaml:2:", "rule"},
		},
		{
			name:    "bad expires date",
			body:    "ignore:\n  - rule: a\n    reason: ok\n    expires: 30/06/2027\n",
			wantErr: []string{".smlint.yaml:2:", "ignore[1].expires", "30/06/2027", "YYYY-MM-DD"},
		},
		{
			name:    "not a mapping",
			body:    "- bucket\n",
			wantErr: []string{".smlint.yaml:1: expected a mapping of settings"},
		},
		{
			// Errors speak config keys, not Go types.
			name:    "number where a list of CIDRs goes",
			body:    "bucket: b\nvendor:\n  external_id: x\n  ip_ranges: 5\n",
			wantErr: []string{".smlint.yaml:4: vendor.ip_ranges: expected a list of CIDR strings, got a number (5)"},
		},
		{
			name:    "one CIDR without a list",
			body:    "vendor:\n  ip_ranges: 203.0.113.0/24\n",
			wantErr: []string{".smlint.yaml:2: vendor.ip_ranges: expected a list of CIDR strings", "[203.0.113.0/24]"},
		},
		{
			name:    "number inside the list",
			body:    "vendor:\n  ip_ranges:\n    - 203.0.113.0/24\n    - 10\n",
			wantErr: []string{".smlint.yaml:4: vendor.ip_ranges[2]: expected one of the CIDR strings, got a number (10)"},
		},
		{
			name:    "misspelt key gets a suggestion",
			body:    "bukcet: b\n",
			wantErr: []string{".smlint.yaml:1: unknown key bukcet (did you mean bucket?)"},
		},
		{
			name:    "misspelt nested key",
			body:    "ignore:\n  - rule: a\n    reasn: typo\n",
			wantErr: []string{".smlint.yaml:3: unknown key reasn in ignore[1] (did you mean reason?)"},
		},
		{
			name:    "a mapping where a string goes",
			body:    "bucket:\n  name: b\n",
			wantErr: []string{".smlint.yaml:2: bucket: expected a bucket name (a single value), got a mapping"},
		},
		{
			name:    "ignore is not a list",
			body:    "ignore:\n  rule: a\n",
			wantErr: []string{".smlint.yaml:2: ignore: expected a list of ignore entries"},
		},
		{
			name:    "every problem is reported",
			body:    "bukcet: b\nregion: [eu-west-1]\n",
			wantErr: []string{":1: unknown key bukcet", ":2: region: expected"},
		},
		{
			name: "rule selection",
			body: "only_rules: [trust-too-broad]\ndisable_rules:\n  - resource-too-broad\n",
			want: &Setup{OnlyRules: []string{"trust-too-broad"}, DisableRules: []string{"resource-too-broad"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), FileName, tt.body)
			got, err := Read(p)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Read: want error containing %q, got %+v", tt.wantErr, got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				if !strings.HasPrefix(err.Error(), p) {
					t.Errorf("error %q does not start with the file path %s", err, p)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for i := range tt.want.Ignore {
				tt.want.Ignore[i].Source = p
			}
			tt.want.Source = p
			tt.want.Lines = got.Lines // TestReadKeyLines checks them
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Read:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// Read keeps the line of each key, so that a finding about a setup value
// can point at it; a value a flag overrides loses its line.
func TestReadKeyLines(t *testing.T) {
	p := writeFile(t, t.TempDir(), FileName, "# setup\nbucket: b\n\nrole_arn: arn:aws:iam::1:role/x\nvendor:\n  ip_ranges: [203.0.113.0/24]\n")
	s, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"bucket": 2, "role_arn": 4, "vendor": 5, "vendor.ip_ranges": 6}
	if s.Source != p || !reflect.DeepEqual(s.Lines, want) {
		t.Errorf("Source %q Lines %v, want %q %v", s.Source, s.Lines, p, want)
	}
	s.Merge(Setup{RoleARN: "arn:aws:iam::2:role/y", Vendor: Vendor{IPRanges: []string{"198.51.100.0/24"}}})
	if _, ok := s.Lines["role_arn"]; ok {
		t.Error("role_arn keeps its config line after a flag set it")
	}
	if _, ok := s.Lines["vendor.ip_ranges"]; ok {
		t.Error("vendor.ip_ranges keeps its config line after a flag set it")
	}
	if s.Lines["bucket"] != 2 {
		t.Error("bucket lost its line though no flag set it")
	}
}

func TestReadMissingFile(t *testing.T) {
	if _, err := Read(filepath.Join(t.TempDir(), FileName)); err == nil {
		t.Fatal("Read of a missing file: want error")
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	top := writeFile(t, root, "repo/"+FileName, "bucket: top\n")
	inner := writeFile(t, root, "repo/infra/"+FileName, "bucket: inner\n")
	for _, d := range []string{"repo/infra/iam/deep", "repo/docs", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A directory named like the config file is not a config file.
	if err := os.MkdirAll(filepath.Join(root, "repo/docs/sub", FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir  string
		want string
	}{
		{"repo", top},
		{"repo/docs", top},
		{"repo/docs/sub", top},
		{"repo/infra", inner},
		{"repo/infra/iam/deep", inner},
		{"other", ""},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			got := Find(filepath.Join(root, tt.dir))
			if tt.want == "" {
				// Nothing in the temp tree; an ancestor of the temp dir
				// (outside the test's control) must not hold one either
				// for this case to be meaningful.
				if got != "" && strings.HasPrefix(got, root) {
					t.Errorf("Find(%s) = %q, want nothing under %s", tt.dir, got, root)
				}
				return
			}
			if got != tt.want {
				t.Errorf("Find(%s) = %q, want %q", tt.dir, got, tt.want)
			}
		})
	}
}

// Discovery stops at the repository root: a .smlint.yaml above the
// directory holding .git is not the repository's.
func TestFindStopsAtRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	above := writeFile(t, root, FileName, "bucket: above\n")
	for _, d := range []string{"repo/.git", "repo/iam", "wt/iam", "plain/iam"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A worktree or submodule has a .git file, not a directory.
	writeFile(t, root, "wt/.git", "gitdir: ../repo/.git/worktrees/wt\n")
	for _, d := range []string{"repo/iam", "repo", "wt/iam"} {
		if got := Find(filepath.Join(root, d)); got != "" {
			t.Errorf("Find(%s) = %q, want nothing: the config above the repository root is not its own", d, got)
		}
	}
	// Outside any repository the search goes on upward.
	if got := Find(filepath.Join(root, "plain/iam")); got != above {
		t.Errorf("Find(plain/iam) = %q, want %q", got, above)
	}
	// The repository root's own config is found.
	own := writeFile(t, root, "repo/"+FileName, "bucket: own\n")
	if got := Find(filepath.Join(root, "repo/iam")); got != own {
		t.Errorf("Find(repo/iam) = %q, want %q", got, own)
	}
}

func TestMerge(t *testing.T) {
	file := Setup{
		Bucket: "file-bucket", Prefix: "file/", Region: "eu-west-1", KMSKeyARN: "arn:aws:kms:eu-west-1:111122223333:key/file",
		RoleARN: "arn:aws:iam::111122223333:role/file", Auth: AuthRole, User: "file-user",
		AccessKeyID: "AKIAFILE", BucketAccount: "444455556666",
		Vendor: Vendor{IPRanges: []string{"203.0.113.0/24"}, ExternalID: "file-ext"},
		Ignore: []Ignore{{Rule: "a", Reason: "r"}},
	}
	tests := []struct {
		name string
		over Setup
		want Setup
	}{
		{name: "empty flags do not clear", over: Setup{}, want: file},
		{
			name: "flags override file",
			over: Setup{Bucket: "flag-bucket", Prefix: "flag/", Region: "us-east-1", KMSKeyARN: "arn:aws:kms:us-east-1:111122223333:key/flag",
				RoleARN: "arn:aws:iam::111122223333:role/flag", Auth: AuthAccessKey, User: "flag-user", AccessKeyID: "AKIAFLAG",
				BucketAccount: "777788889999", Vendor: Vendor{IPRanges: []string{"198.51.100.0/24"}, ExternalID: "flag-ext"}},
			want: Setup{Bucket: "flag-bucket", Prefix: "flag/", Region: "us-east-1", KMSKeyARN: "arn:aws:kms:us-east-1:111122223333:key/flag",
				RoleARN: "arn:aws:iam::111122223333:role/flag", Auth: AuthAccessKey, User: "flag-user", AccessKeyID: "AKIAFLAG",
				BucketAccount: "777788889999", Vendor: Vendor{IPRanges: []string{"198.51.100.0/24"}, ExternalID: "flag-ext"},
				Ignore: []Ignore{{Rule: "a", Reason: "r"}}},
		},
		{
			name: "one flag overrides only its field",
			over: Setup{Region: "us-west-2", Vendor: Vendor{IPRanges: []string{}}},
			want: func() Setup { s := file; s.Region = "us-west-2"; return s }(),
		},
		{
			name: "ignore entries accumulate",
			over: Setup{Ignore: []Ignore{{Rule: "b", Reason: "r2"}}},
			want: func() Setup {
				s := file
				s.Ignore = []Ignore{{Rule: "a", Reason: "r"}, {Rule: "b", Reason: "r2"}}
				return s
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := file
			s.Ignore = append([]Ignore(nil), file.Ignore...)
			s.Merge(tt.over)
			if !reflect.DeepEqual(s, tt.want) {
				t.Errorf("Merge:\n got %+v\nwant %+v", s, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		setup   Setup
		wantErr string
	}{
		{name: "empty", setup: Setup{}},
		{name: "role", setup: Setup{Auth: AuthRole, Bucket: "b"}},
		{name: "access-key", setup: Setup{Auth: AuthAccessKey}},
		{name: "bad auth", setup: Setup{Auth: "password"}, wantErr: `"password"`},
		{name: "auth case matters", setup: Setup{Auth: "Role"}, wantErr: `"Role"`},
		{name: "good ranges", setup: Setup{Vendor: Vendor{IPRanges: []string{"203.0.113.0/24", "198.51.100.7", "2001:db8::/32"}}}},
		{name: "bad CIDR", setup: Setup{Vendor: Vendor{IPRanges: []string{"203.0.113.0/24", "203.0.113.0/33"}}}, wantErr: "203.0.113.0/33"},
		{name: "not an address", setup: Setup{Vendor: Vendor{IPRanges: []string{"vendor.example.com"}}}, wantErr: "vendor.example.com"},
		{name: "bucket as ARN", setup: Setup{Bucket: "arn:aws:s3:::acme-data"}, wantErr: "arn:aws:s3:::acme-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.setup.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate: got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "203.0.113.7", want: "203.0.113.7/32"},
		{in: " 203.0.113.7 ", want: "203.0.113.7/32"},
		{in: "2001:db8::1", want: "2001:db8::1/128"},
		{in: "203.0.113.0/24", want: "203.0.113.0/24"},
		{in: "203.0.113.77/24", want: "203.0.113.0/24"},
		{in: "2001:db8::1/32", want: "2001:db8::/32"},
		{in: "0.0.0.0/0", want: "0.0.0.0/0"},
		{in: "203.0.113.0/33", wantErr: true},
		{in: "203.0.113", wantErr: true},
		{in: "", wantErr: true},
		{in: "example.com", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRange(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("ParseRange(%q) = %v, want error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRange(%q): %v", tt.in, err)
			}
			if got != netip.MustParsePrefix(tt.want) {
				t.Errorf("ParseRange(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRangeList(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "ranges.txt", `# Supermetrics egress ranges
203.0.113.0/24

  198.51.100.7   # a single address
# 192.0.2.0/24 retired
2001:db8::/32
`)
	bad := writeFile(t, dir, "bad.txt", "# header\n203.0.113.0/24\n\n198.51.100.0/33\n")
	empty := writeFile(t, dir, "empty.txt", "# nothing\n\n")
	tests := []struct {
		name    string
		arg     string
		want    []string
		wantErr []string
	}{
		{name: "single", arg: "203.0.113.0/24", want: []string{"203.0.113.0/24"}},
		{name: "comma list", arg: "203.0.113.0/24, 198.51.100.7,2001:db8::/32", want: []string{"203.0.113.0/24", "198.51.100.7", "2001:db8::/32"}},
		{name: "empty items skipped", arg: "203.0.113.0/24,,", want: []string{"203.0.113.0/24"}},
		{name: "bad item", arg: "203.0.113.0/24,nope", wantErr: []string{`"nope"`}},
		{name: "file", arg: "@" + good, want: []string{"203.0.113.0/24", "198.51.100.7", "2001:db8::/32"}},
		{name: "empty file", arg: "@" + empty, want: nil},
		{name: "bad line", arg: "@" + bad, wantErr: []string{bad + ":4:", "198.51.100.0/33"}},
		{name: "missing file", arg: "@" + filepath.Join(dir, "missing.txt"), wantErr: []string{"missing.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRangeList(tt.arg)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("ParseRangeList(%q) = %q, want error", tt.arg, got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRangeList(%q): %v", tt.arg, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseRangeList(%q) = %q, want %q", tt.arg, got, tt.want)
			}
		})
	}
}

func TestIgnoreExpired(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name    string
		expires string
		now     time.Time
		want    bool
	}{
		{name: "no expiry", expires: "", now: at("2099-01-01T00:00:00Z"), want: false},
		{name: "day before", expires: "2026-06-30", now: at("2026-06-29T12:00:00Z"), want: false},
		{name: "start of the day it expires", expires: "2026-06-30", now: at("2026-06-30T00:00:00Z"), want: false},
		{name: "end of the day it expires", expires: "2026-06-30", now: at("2026-06-30T23:59:59Z"), want: false},
		{name: "next day", expires: "2026-06-30", now: at("2026-07-01T00:00:00Z"), want: true},
		{name: "long after", expires: "2026-06-30", now: at("2027-01-01T00:00:00Z"), want: true},
		// The day is the user's day: in New York the evening of the expiry
		// date is already the next day in UTC, and the entry still holds.
		{name: "evening of the day it expires, west of UTC", expires: "2026-06-30", now: at("2026-06-30T20:00:00-05:00"), want: false},
		{name: "next morning, west of UTC", expires: "2026-06-30", now: at("2026-07-01T00:30:00-05:00"), want: true},
		{name: "just after midnight, east of UTC", expires: "2026-06-30", now: at("2026-07-01T00:30:00+02:00"), want: true},
		{name: "morning of the day it expires, east of UTC", expires: "2026-06-30", now: at("2026-06-30T01:00:00+09:00"), want: false},
		{name: "unparseable never expires", expires: "soon", now: at("2099-01-01T00:00:00Z"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ig := Ignore{Rule: "r", Reason: "x", Expires: tt.expires}
			if got := ig.Expired(tt.now); got != tt.want {
				t.Errorf("Expired(%s) with expires %q = %v, want %v", tt.now, tt.expires, got, tt.want)
			}
		})
	}
}

func TestAccountIDSetup(t *testing.T) {
	s := Setup{AccountID: "111122223333"}
	s.Merge(Setup{AccountID: "444455556666"})
	if s.AccountID != "444455556666" || s.Validate() != nil {
		t.Errorf("merge/validate: %+v %v", s, s.Validate())
	}
	if err := (&Setup{AccountID: "1111-2222-3333"}).Validate(); err == nil || !strings.Contains(err.Error(), "account_id") {
		t.Errorf("bad account_id accepted: %v", err)
	}
}

// A bad value the config file set is reported at its key and line.
func TestValidateNamesFileAndLine(t *testing.T) {
	p := writeFile(t, t.TempDir(), FileName, "bucket: b\nvendor:\n  ip_ranges:\n    - 203.0.113.0/33\naccount_id: \"1234\"\n")
	s, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Validate()
	want := p + `:3: vendor.ip_ranges: "203.0.113.0/33" is not a CIDR or an IP address`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Validate = %v, want %s…", err, want)
	}
	// Set by a flag, the value has no line: the key alone.
	s.Merge(Setup{Vendor: Vendor{IPRanges: []string{"bad"}}})
	if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), `vendor.ip_ranges: "bad"`) {
		t.Errorf("Validate after a flag = %v", err)
	}
}
