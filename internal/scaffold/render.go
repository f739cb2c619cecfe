package scaffold

import (
	"github.com/smlint/smlint/internal/policy"

	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Formats are the output formats of smlint init.
var Formats = []string{"json", "terraform", "cloudformation"}

// File names written by WriteJSONFiles.
const (
	TrustFile        = "trust-policy.json"
	PermissionFile   = "permission-policy.json"
	KeyStatementFile = "key-policy-statement.json"
	TerraformFile    = "supermetrics.tf"
	TemplateFile     = "supermetrics-role.yaml"
)

// Terraform addresses and CloudFormation logical ids of what is written.
const (
	TerraformRole       = "supermetrics"
	TerraformRolePolicy = "supermetrics_s3"
	TemplateRole        = "SupermetricsUploadRole"
)

// PolicyName is the name of the role's inline permission policy.
func (s *Scaffold) PolicyName() string { return s.RoleName + "-access" }

// Render writes the scaffold in format (json, terraform, cloudformation).
func (s *Scaffold) Render(w io.Writer, format string) error {
	switch format {
	case "json":
		return s.JSON(w)
	case "terraform":
		return s.Terraform(w)
	case "cloudformation":
		return s.CloudFormation(w)
	}
	return fmt.Errorf("format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// FileNames are the files WriteFiles writes for format.
func (s *Scaffold) FileNames(format string) []string {
	switch format {
	case "terraform":
		return []string{TerraformFile}
	case "cloudformation":
		return []string{TemplateFile}
	}
	names := []string{TrustFile, PermissionFile}
	if s.KeyStatement != nil {
		names = append(names, KeyStatementFile)
	}
	return names
}

// WriteFiles writes the scaffold into dir (created if needed) in format: for
// json one file per document, otherwise one Terraform or template file. It
// returns the paths written.
func (s *Scaffold) WriteFiles(dir, format string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	contents := map[string]func(io.Writer) error{
		TrustFile:        func(w io.Writer) error { return writeJSON(w, s.Trust) },
		PermissionFile:   func(w io.Writer) error { return writeJSON(w, s.Permission) },
		KeyStatementFile: func(w io.Writer) error { return writeJSON(w, s.KeyStatement) },
		TerraformFile:    s.Terraform,
		TemplateFile:     s.CloudFormation,
	}
	var written []string
	for _, name := range s.FileNames(format) {
		var buf bytes.Buffer
		if err := contents[name](&buf); err != nil {
			return written, err
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// jsonOutput is what `smlint init --format json` prints: every document in
// one JSON object, so that it can be piped into jq.
type jsonOutput struct {
	RoleName           string     `json:"role_name"`
	RoleARN            string     `json:"role_arn,omitempty"`
	TrustPolicy        Document   `json:"trust_policy"`
	PermissionPolicy   Document   `json:"permission_policy"`
	KeyPolicyStatement *Statement `json:"key_policy_statement,omitempty"`
	KeyPolicyNote      string     `json:"key_policy_note,omitempty"`
	Notes              []string   `json:"notes"`
}

// JSON writes the documents as one JSON object.
func (s *Scaffold) JSON(w io.Writer) error {
	return writeJSON(w, jsonOutput{RoleName: s.RoleName, RoleARN: s.RoleARN, TrustPolicy: s.Trust,
		PermissionPolicy: s.Permission, KeyPolicyStatement: s.KeyStatement, KeyPolicyNote: s.KeyNote, Notes: s.Notes})
}

// destination is s3://bucket/prefix for comments.
func (s *Scaffold) destination() string { return "s3://" + s.Bucket + "/" + s.Prefix }

// commentLines prefixes every line of text (wrapped at about 100 columns)
// with mark.
func commentLines(b *strings.Builder, mark, text string) {
	line := mark
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 100 && line != mark {
			b.WriteString(line + "\n")
			line = mark
		}
		line += " " + word
	}
	b.WriteString(line + "\n")
}

// keyStatementComment is the key policy statement as commented JSON with
// its note: the key already exists, so neither Terraform nor CloudFormation
// output may own (and replace) its policy.
func (s *Scaffold) keyStatementComment(b *strings.Builder, mark string) {
	if s.KeyStatement == nil {
		return
	}
	b.WriteString(mark + "\n")
	b.WriteString(mark + " KMS key policy statement (not managed here):\n")
	commentLines(b, mark, s.KeyNote)
	var buf bytes.Buffer
	_ = writeJSON(&buf, s.KeyStatement)
	for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		b.WriteString(mark + "   " + l + "\n")
	}
}

// Terraform writes an aws_iam_role with its trust policy and an
// aws_iam_role_policy with the permission policy, both as jsonencode(...)
// of the same documents, and the role ARN as an output.
func (s *Scaffold) Terraform(w io.Writer) error {
	var b strings.Builder
	commentLines(&b, "#", "Generated by smlint init: the role Supermetrics assumes to upload into "+s.destination()+".")
	b.WriteString("# Check the plan before applying:\n")
	b.WriteString("#   terraform plan -out tfplan && terraform show -json tfplan > plan.json\n")
	b.WriteString("#   smlint check " + s.checkFlags() + " plan.json\n")
	for _, n := range s.Notes {
		commentLines(&b, "#", n)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "resource \"aws_iam_role\" %q {\n", TerraformRole)
	fmt.Fprintf(&b, "  name = %s\n", hclString(s.RoleName))
	if s.RolePath != "/" {
		fmt.Fprintf(&b, "  path = %s\n", hclString(s.RolePath))
	}
	b.WriteString("\n")
	b.WriteString("  assume_role_policy = jsonencode(")
	hclValue(&b, docTree(s.Trust), "  ")
	b.WriteString(")\n}\n\n")
	fmt.Fprintf(&b, "resource \"aws_iam_role_policy\" %q {\n", TerraformRolePolicy)
	fmt.Fprintf(&b, "  name = %s\n", hclString(s.PolicyName()))
	fmt.Fprintf(&b, "  role = aws_iam_role.%s.id\n\n", TerraformRole)
	b.WriteString("  policy = jsonencode(")
	hclValue(&b, docTree(s.Permission), "  ")
	b.WriteString(")\n}\n\n")
	b.WriteString("output \"supermetrics_role_arn\" {\n")
	b.WriteString("  description = \"Paste this role ARN into Supermetrics.\"\n")
	fmt.Fprintf(&b, "  value       = aws_iam_role.%s.arn\n}\n", TerraformRole)
	s.keyStatementComment(&b, "#")
	_, err := io.WriteString(w, b.String())
	return err
}

// checkFlags are the smlint check flags that describe this setup.
func (s *Scaffold) checkFlags() string {
	f := "--bucket " + s.Bucket
	if s.Prefix != "" {
		f += " --prefix " + shellQuote(s.Prefix)
	}
	if s.Region != "" {
		f += " --region " + s.Region
	}
	if s.KMSKeyARN != "" {
		f += " --kms-key-arn " + s.KMSKeyARN
	}
	if s.RoleARN != "" {
		f += " --role-arn " + s.RoleARN
	}
	if len(s.IPRanges) > 0 {
		f += " --vendor-ip-ranges " + strings.Join(s.IPRanges, ",")
	}
	if s.ExternalID != "" {
		f += " --external-id " + shellQuote(s.ExternalID)
	}
	return f
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// node is an ordered value for HCL: a string, a list, or an object.
type node struct {
	str  *string
	list []node
	keys []string
	vals []node
	obj  bool
}

func strNode(s string) node { return node{str: &s} }

func valuesNode(v Values) node {
	if len(v) == 1 {
		return strNode(v[0])
	}
	n := node{list: []node{}}
	for _, s := range v {
		n.list = append(n.list, strNode(s))
	}
	return n
}

func (n *node) set(k string, v node) {
	n.obj = true
	n.keys = append(n.keys, k)
	n.vals = append(n.vals, v)
}

// docTree is d as an ordered tree, elements in the order of the JSON.
func docTree(d Document) node {
	var n node
	n.set("Version", strNode(d.Version))
	sts := node{list: []node{}}
	for _, st := range d.Statement {
		sts.list = append(sts.list, statementTree(st))
	}
	n.set("Statement", sts)
	return n
}

func statementTree(st Statement) node {
	var n node
	if st.Sid != "" {
		n.set("Sid", strNode(st.Sid))
	}
	n.set("Effect", strNode(st.Effect))
	if len(st.Principal) > 0 {
		var p node
		for _, k := range slices.Sorted(maps.Keys(st.Principal)) {
			p.set(k, strNode(st.Principal[k]))
		}
		n.set("Principal", p)
	}
	n.set("Action", valuesNode(st.Action))
	if len(st.Resource) > 0 {
		n.set("Resource", valuesNode(st.Resource))
	}
	if len(st.Condition) > 0 {
		var c node
		for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
			var keys node
			for _, k := range slices.Sorted(maps.Keys(st.Condition[op])) {
				keys.set(k, valuesNode(st.Condition[op][k]))
			}
			c.set(op, keys)
		}
		n.set("Condition", c)
	}
	return n
}

// multiline reports whether n is written over several lines.
func (n node) multiline() bool {
	if n.str != nil {
		return false
	}
	if n.obj {
		return true
	}
	for _, v := range n.list {
		if v.str == nil {
			return true
		}
	}
	return false
}

// hclValue writes n as an HCL expression at indent, aligning the = of
// consecutive one-line attributes as terraform fmt does.
func hclValue(b *strings.Builder, n node, indent string) {
	switch {
	case n.str != nil:
		b.WriteString(hclString(*n.str))
	case n.obj:
		b.WriteString("{\n")
		width := make([]int, len(n.keys))
		for i := 0; i < len(n.keys); {
			j, w := i, 0
			for j < len(n.keys) && !n.vals[j].multiline() {
				w = max(w, len(hclKey(n.keys[j])))
				j++
			}
			for k := i; k < j; k++ {
				width[k] = w
			}
			if j == i {
				j++
			}
			i = j
		}
		for i, k := range n.keys {
			key := hclKey(k)
			pad := ""
			if width[i] > len(key) {
				pad = strings.Repeat(" ", width[i]-len(key))
			}
			fmt.Fprintf(b, "%s  %s%s = ", indent, key, pad)
			hclValue(b, n.vals[i], indent+"  ")
			b.WriteString("\n")
		}
		b.WriteString(indent + "}")
	case !n.multiline():
		b.WriteString("[")
		for i, v := range n.list {
			if i > 0 {
				b.WriteString(", ")
			}
			hclValue(b, v, indent)
		}
		b.WriteString("]")
	default:
		b.WriteString("[\n")
		for _, v := range n.list {
			b.WriteString(indent + "  ")
			hclValue(b, v, indent+"  ")
			b.WriteString(",\n")
		}
		b.WriteString(indent + "]")
	}
}

// hclKey leaves identifiers bare and quotes the rest ("aws:SourceIp").
func hclKey(k string) string {
	for i, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return hclString(k)
		}
	}
	return k
}

// hclString quotes s as an HCL string literal: JSON escapes, plus $${ and
// %%{ so that Terraform does not read IAM's ${…} as its own interpolation
// (developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
func hclString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	q := strings.TrimSuffix(b.String(), "\n")
	q = strings.ReplaceAll(q, "${", "$${")
	q = strings.ReplaceAll(q, "%{", "%%{")
	return q
}

// cfnTemplate is the CloudFormation template, keys in the order written.
type cfnTemplate struct {
	AWSTemplateFormatVersion string                 `yaml:"AWSTemplateFormatVersion"`
	Description              string                 `yaml:"Description"`
	Rules                    map[string]cfnRule     `yaml:"Rules,omitempty"`
	Resources                map[string]cfnResource `yaml:"Resources"`
	Outputs                  map[string]cfnOutput   `yaml:"Outputs"`
}

// cfnRule pins the account the stack deploys to
// (AWSCloudFormation/latest/UserGuide/rules-section-structure.html).
type cfnRule struct {
	Assertions []cfnAssertion `yaml:"Assertions"`
}

type cfnAssertion struct {
	Assert            map[string][]any `yaml:"Assert"`
	AssertDescription string           `yaml:"AssertDescription"`
}

type cfnResource struct {
	Type       string       `yaml:"Type"`
	Properties cfnRoleProps `yaml:"Properties"`
}

type cfnRoleProps struct {
	RoleName                 string      `yaml:"RoleName"`
	Path                     string      `yaml:"Path,omitempty"`
	AssumeRolePolicyDocument Document    `yaml:"AssumeRolePolicyDocument"`
	Policies                 []cfnPolicy `yaml:"Policies"`
}

type cfnPolicy struct {
	PolicyName     string   `yaml:"PolicyName"`
	PolicyDocument Document `yaml:"PolicyDocument"`
}

type cfnOutput struct {
	Description string              `yaml:"Description"`
	Value       map[string][]string `yaml:"Value"`
}

// CloudFormation writes a YAML template with the role (trust policy and
// inline permission policy) and its ARN as the RoleArn output. It uses the
// long form Fn::GetAtt so that the template is plain YAML.
func (s *Scaffold) CloudFormation(w io.Writer) error {
	var b strings.Builder
	commentLines(&b, "#", "Generated by smlint init: the role Supermetrics assumes to upload into "+s.destination()+".")
	b.WriteString("# Check it before deploying:\n")
	b.WriteString("#   smlint check " + s.checkFlags() + " " + TemplateFile + "\n")
	for _, n := range s.Notes {
		commentLines(&b, "#", n)
	}
	props := cfnRoleProps{RoleName: s.RoleName,
		AssumeRolePolicyDocument: s.Trust, Policies: []cfnPolicy{{PolicyName: s.PolicyName(), PolicyDocument: s.Permission}}}
	if s.RolePath != "/" {
		props.Path = s.RolePath
	}
	t := cfnTemplate{
		AWSTemplateFormatVersion: "2010-09-09",
		Description:              "IAM role for Supermetrics uploads into " + s.destination() + " (smlint init)",
		Resources:                map[string]cfnResource{TemplateRole: {Type: "AWS::IAM::Role", Properties: props}},
		Outputs: map[string]cfnOutput{"RoleArn": {Description: "Paste this role ARN into Supermetrics.",
			Value: map[string][]string{"Fn::GetAtt": {TemplateRole, "Arn"}}}},
	}
	// When the role ARN is known (configured, or from the key's account),
	// the stack may only be deployed in its account: the ARN pasted into
	// Supermetrics and named in the key policy would be wrong elsewhere.
	if role, _ := policy.ParseARN(s.RoleARN); role.Account != "" {
		t.Rules = map[string]cfnRule{"DeployInRoleAccount": {Assertions: []cfnAssertion{{
			Assert: map[string][]any{"Fn::Equals": {map[string]string{"Ref": "AWS::AccountId"}, role.Account}},
			AssertDescription: "Deploy this stack in account " + role.Account + ": the role ARN " + s.RoleARN +
				" is the one to paste into Supermetrics.",
		}}}}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(t); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	b.Write(buf.Bytes())
	s.keyStatementComment(&b, "#")
	_, err := io.WriteString(w, b.String())
	return err
}
