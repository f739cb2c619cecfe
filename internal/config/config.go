package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileName is the config file discovered upward from the working directory.
const FileName = ".smlint.yaml"

// Auth methods (SPEC §1).
const (
	AuthRole      = "role"
	AuthAccessKey = "access-key"
)

// Setup is what the user will enter in Supermetrics, plus what they know
// about the vendor. Empty fields are unknown (some may be inferred from the
// inputs; Inferred lists those).
type Setup struct {
	Bucket    string `yaml:"bucket" json:"bucket"`
	Prefix    string `yaml:"prefix" json:"prefix"`
	Region    string `yaml:"region" json:"region"`
	KMSKeyARN string `yaml:"kms_key_arn" json:"kms_key_arn"`
	RoleARN   string `yaml:"role_arn" json:"role_arn"`
	Auth      string `yaml:"auth" json:"auth"`
	User      string `yaml:"user" json:"user,omitempty"`
	// AccessKeyID is the key the user will hand over (access-key method).
	AccessKeyID string `yaml:"access_key_id" json:"access_key_id,omitempty"`
	// BucketAccount is the account owning the bucket when it differs from
	// the role's (cross-account evaluation); empty means same account.
	BucketAccount string `yaml:"bucket_account" json:"bucket_account,omitempty"`
	// AccountID is the customer's own account, where the plans and templates
	// are deployed (CloudFormation AWS::AccountId); empty means the account
	// of RoleARN.
	AccountID string `yaml:"account_id" json:"account_id,omitempty"`
	// OrganizationID is the customer's AWS Organizations id (o-…): the
	// aws:PrincipalOrgID of the customer's own role session or user.
	OrganizationID string   `yaml:"organization_id" json:"organization_id,omitempty"`
	Vendor         Vendor   `yaml:"vendor" json:"vendor"`
	Ignore         []Ignore `yaml:"ignore" json:"-"`
	// SCPs are service control policy files with the organisation level
	// each is attached at (scps: [{level: root, file: scp-root.json}]);
	// File is resolved against the config file's directory.
	SCPs []SCPFile `yaml:"scps" json:"-"`
	// OnlyRules and DisableRules select the rules reported (the flags
	// --only and --disable-rule add to them; --enable-rule undoes a
	// disable).
	OnlyRules    []string `yaml:"only_rules" json:"-"`
	DisableRules []string `yaml:"disable_rules" json:"-"`
	// Inferred names the fields taken from the inputs rather than given.
	Inferred []string `yaml:"-" json:"inferred,omitempty"`
	// Source is the config file read, and Lines the line of each key it
	// set ("role_arn", "vendor.ip_ranges"), so that a finding about a
	// setup value can point at the line that set it. A value a flag
	// overrides loses its line.
	Source string         `yaml:"-" json:"-"`
	Lines  map[string]int `yaml:"-" json:"-"`
}

// Vendor holds the user-supplied vendor facts that smlint cannot verify.
type Vendor struct {
	IPRanges   []string `yaml:"ip_ranges" json:"ip_ranges"`
	ExternalID string   `yaml:"external_id" json:"external_id,omitempty"`
}

// SCPFile is one `scps` entry: an SCP document (a file of policy JSON or
// organizations describe-policy output, or a list-policies-for-target
// output) and the level it is attached at: root, ou (or an OU id ou-…), or
// account (Organizations "SCP evaluation": every level must allow).
type SCPFile struct {
	Level string `yaml:"level"`
	File  string `yaml:"file"`
	Line  int    `yaml:"-"`
}

// Ignore suppresses a rule's findings (SPEC §5 Suppression).
type Ignore struct {
	Rule     string `yaml:"rule"`
	File     string `yaml:"file"`
	Sid      string `yaml:"sid"`
	Resource string `yaml:"resource"`
	Reason   string `yaml:"reason"`
	Expires  string `yaml:"expires"`
	// Source is where the entry was read, for reporting.
	Source string `yaml:"-"`
	Line   int    `yaml:"-"`
}

// Expired reports whether the ignore entry has expired at now.
func (ig Ignore) Expired(now time.Time) bool {
	if ig.Expires == "" {
		return false
	}
	// The date is a day on the user's calendar: parse it in now's zone.
	// time.Parse would read it as UTC midnight, so west of UTC an entry
	// expired on the evening of its last day, and east of UTC it still held
	// after midnight of the next.
	t, err := time.ParseInLocation("2006-01-02", ig.Expires, now.Location())
	if err != nil {
		return false
	}
	return !now.Before(t.AddDate(0, 0, 1))
}

// Find returns the config file path found from dir upward, or "". The
// search stops at the repository root (a directory holding .git, a
// directory or a worktree's file, as git rev-parse --show-toplevel finds
// it): a .smlint.yaml above the repository belongs to something else, and
// a CI checkout must not pick up one from the runner's home directory.
func Find(dir string) string {
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Read parses a config file. Unknown keys are an error, so a typo such as
// `kms_keyarn` cannot silently drop a setting.
func Read(path string) (*Setup, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Setup
	// The shape is checked on the YAML tree first, so that a mistake is
	// told in the file's words (key, line, what was expected) rather than
	// the decoder's Go types.
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkShape(path, &doc); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	markIgnoreLines(&doc, s.Ignore)
	s.Lines = keyLines(&doc)
	s.Source = path
	for i := range s.Ignore {
		s.Ignore[i].Source = path
	}
	for i, e := range s.SCPs {
		if strings.TrimSpace(e.File) == "" || strings.TrimSpace(e.Level) == "" {
			return nil, fmt.Errorf("%s:%d: scps[%d]: needs a level (root, ou, account) and a file", path, s.Lines["scps"], i+1)
		}
		if !filepath.IsAbs(e.File) {
			s.SCPs[i].File = filepath.Join(filepath.Dir(path), e.File)
		}
	}
	for i, ig := range s.Ignore {
		if ig.Rule == "" || strings.TrimSpace(ig.Reason) == "" {
			return nil, fmt.Errorf("%s:%d: ignore[%d]: needs a rule and a reason (why the finding is acceptable)", path, ig.Line, i+1)
		}
		if ig.Expires != "" {
			if _, err := time.Parse("2006-01-02", ig.Expires); err != nil {
				return nil, fmt.Errorf("%s:%d: ignore[%d].expires: %q is not a YYYY-MM-DD date", path, ig.Line, i+1, ig.Expires)
			}
		}
	}
	return &s, nil
}

func markIgnoreLines(doc *yaml.Node, igs []Ignore) {
	if len(doc.Content) == 0 {
		return
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "ignore" && m.Content[i+1].Kind == yaml.SequenceNode {
			for j, item := range m.Content[i+1].Content {
				if j < len(igs) {
					igs[j].Line = item.Line
				}
			}
		}
	}
}

// keyLines maps the top-level keys, and those one level down
// ("vendor.ip_ranges"), to the line they are on.
func keyLines(doc *yaml.Node) map[string]int {
	lines := map[string]int{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		lines[k.Value] = k.Line
		if v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				lines[k.Value+"."+v.Content[j].Value] = v.Content[j].Line
			}
		}
	}
	return lines
}

// Merge overlays the non-empty fields of over onto s.
func (s *Setup) Merge(over Setup) {
	set := func(dst *string, v, key string) {
		if v != "" {
			*dst = v
			delete(s.Lines, key)
		}
	}
	set(&s.Bucket, over.Bucket, "bucket")
	set(&s.Prefix, over.Prefix, "prefix")
	set(&s.Region, over.Region, "region")
	set(&s.KMSKeyARN, over.KMSKeyARN, "kms_key_arn")
	set(&s.RoleARN, over.RoleARN, "role_arn")
	set(&s.Auth, over.Auth, "auth")
	set(&s.User, over.User, "user")
	set(&s.AccessKeyID, over.AccessKeyID, "access_key_id")
	set(&s.BucketAccount, over.BucketAccount, "bucket_account")
	set(&s.AccountID, over.AccountID, "account_id")
	set(&s.OrganizationID, over.OrganizationID, "organization_id")
	set(&s.Vendor.ExternalID, over.Vendor.ExternalID, "vendor.external_id")
	if len(over.Vendor.IPRanges) > 0 {
		s.Vendor.IPRanges = over.Vendor.IPRanges
		delete(s.Lines, "vendor.ip_ranges")
	}
	s.Ignore = append(s.Ignore, over.Ignore...)
	s.SCPs = append(s.SCPs, over.SCPs...)
}

// Validate checks the setup's own values. An error names the key and,
// when the config file set the value, the file and line
// (".smlint.yaml:4: vendor.ip_ranges: …").
func (s *Setup) Validate() error {
	at := func(key, format string, a ...any) error {
		msg := key + ": " + fmt.Sprintf(format, a...)
		if line := s.Lines[key]; line > 0 && s.Source != "" {
			return fmt.Errorf("%s:%d: %s", s.Source, line, msg)
		}
		return errors.New(msg)
	}
	switch s.Auth {
	case "", AuthRole, AuthAccessKey:
	default:
		return at("auth", "must be %q or %q, not %q", AuthRole, AuthAccessKey, s.Auth)
	}
	for _, r := range s.Vendor.IPRanges {
		if _, err := ParseRange(r); err != nil {
			return at("vendor.ip_ranges", "%q is not a CIDR or an IP address: %v", r, err)
		}
	}
	if s.AccountID != "" && !isAccountID(s.AccountID) {
		return at("account_id", "must be 12 digits, not %q", s.AccountID)
	}
	if s.OrganizationID != "" && !orgIDRE.MatchString(s.OrganizationID) {
		return at("organization_id", "%q is not an AWS Organizations id (o- and 10 to 32 lower-case letters or digits)", s.OrganizationID)
	}
	if strings.HasPrefix(s.Bucket, "arn:") {
		return at("bucket", "must be a bucket name, not an ARN (%s)", s.Bucket)
	}
	return nil
}

var (
	// The organization id pattern of the Organizations API reference
	// (API_Organization.html: "^o-[a-z0-9]{10,32}$").
	orgIDRE = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// ParseRange parses a CIDR, or a bare address as a /32 or /128 (the same
// default IAM applies: reference_policies_elements_condition_operators.html).
func ParseRange(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ParseRangeList reads --vendor-ip-ranges: a comma list, or @FILE with one
// CIDR a line (blank lines and # comments allowed).
func ParseRangeList(arg string) ([]string, error) {
	var items []string
	if strings.HasPrefix(arg, "@") {
		data, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if i := strings.Index(line, "#"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			if line == "" {
				continue
			}
			if _, err := ParseRange(line); err != nil {
				return nil, fmt.Errorf("%s:%d: %q is not a CIDR: %w", arg[1:], n, line, err)
			}
			items = append(items, line)
		}
		return items, nil
	}
	for _, f := range strings.Split(arg, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if _, err := ParseRange(f); err != nil {
			return nil, fmt.Errorf("%q is not a CIDR: %w", f, err)
		}
		items = append(items, f)
	}
	return items, nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
