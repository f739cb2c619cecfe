package suppress

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/smlint/smlint/internal/tree"
)

// Inline suppressions in CloudFormation templates, on one resource:
//
//	# smlint:ignore trust-too-broad the partner account is ours
//	SupermetricsRole:
//	  Type: AWS::IAM::Role
//	  Metadata:
//	    smlint:
//	      ignore:
//	        - rule: resource-too-broad
//	          reason: the bucket holds only exports
//	          expires: 2027-06-30
//	        - "action-too-broad reviewed by the platform team"
//
// A comment counts when it is on the resource's key line, in the block of
// comment lines directly above it, or on a line inside the resource. Either
// form covers the findings located in the resource (its key line through
// its last line) for the rule named. A reason is required, as in
// .smlint.yaml: a suppression without one is an input error (exit 2) and
// suppresses nothing, so that a bare `# smlint:ignore RULE` cannot hide a
// finding without saying why.
//
// The templates are read again from disk (the parsed tree keeps no
// comments); a template read from standard input has no inline
// suppressions. Files over 1 MB are not read: CloudFormation refuses
// templates larger than that ("CloudFormation quotas", template body size
// in an Amazon S3 object), so such a file is an export, not a template.

// maxTemplate is CloudFormation's template size limit (1 MB).
const maxTemplate = 1 << 20

var directive = regexp.MustCompile(`#\s*smlint:ignore\b[ \t]*(\S*)[ \t]*(.*)$`)

// Problem is an inline suppression that cannot be used (no rule or no
// reason), with where it is.
type Problem struct {
	File    string
	Line    int
	Message string
}

// Inline reads the inline suppressions of the CloudFormation templates
// among files (paths as the report names them; each read once).
func Inline(files []string) ([]Entry, []Problem) {
	var entries []Entry
	var problems []Problem
	seen := map[string]bool{}
	for _, f := range files {
		abs := absPath(f)
		if f == "" || seen[abs] || !templateName(f) {
			continue
		}
		seen[abs] = true
		st, err := os.Stat(f)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxTemplate {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(data, []byte("smlint")) {
			continue
		}
		es, ps := templateSuppressions(f, abs, data)
		entries = append(entries, es...)
		problems = append(problems, ps...)
	}
	return entries, problems
}

func templateName(f string) bool {
	switch strings.ToLower(filepath.Ext(f)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

// templateSuppressions reads one template's suppressions; a file that is
// not a CloudFormation template (no Resources with a Type) has none.
func templateSuppressions(file, abs string, data []byte) ([]Entry, []Problem) {
	trimmed := bytes.TrimLeft(data, "\ufeff \t\r\n")
	var root *tree.Node
	var err error
	isJSON := len(trimmed) > 0 && trimmed[0] == '{'
	if isJSON {
		root, err = tree.FromJSON(data)
	} else {
		root, err = tree.FromYAML(data)
	}
	if err != nil || root == nil {
		return nil, nil
	}
	res := root.Get("Resources")
	if res == nil || res.Kind != tree.Object {
		return nil, nil
	}
	var lines []string
	if !isJSON {
		lines = strings.Split(string(data), "\n")
	}
	var entries []Entry
	var problems []Problem
	add := func(rule, reason, expires string, line, from, to int) {
		rule, reason = strings.TrimSpace(rule), strings.TrimSpace(reason)
		switch {
		case rule == "":
			problems = append(problems, Problem{file, line, "smlint:ignore names no rule: write `smlint:ignore RULE reason`"})
		case reason == "":
			problems = append(problems, Problem{file, line, fmt.Sprintf("smlint:ignore %s has no reason: say why the finding is acceptable (`smlint:ignore %s REASON`); it suppresses nothing until then", rule, rule)})
		default:
			entries = append(entries, Entry{Rule: rule, Reason: reason, Expires: expires, InlineFile: abs, From: from, To: to, Source: file, Line: line})
		}
	}
	for _, m := range res.Members {
		if m.Value == nil || m.Value.Kind != tree.Object {
			continue
		}
		from, to := m.KeyLine, lastLine(m.Value)
		if lines != nil {
			to = max(to, yamlBlockEnd(lines, m.KeyLine))
			for _, c := range resourceComments(lines, from, to) {
				add(c.rule, c.reason, "", c.line, from, to)
			}
		}
		ig := m.Value.Path("Metadata", "smlint", "ignore")
		if ig == nil {
			continue
		}
		if ig.Kind != tree.Array {
			problems = append(problems, Problem{file, ig.Line, "Metadata.smlint.ignore must be a list of {rule, reason} entries or \"RULE reason\" strings"})
			continue
		}
		for _, item := range ig.Items {
			switch item.Kind {
			case tree.String:
				rule, reason, _ := strings.Cut(strings.TrimSpace(item.Text), " ")
				add(rule, reason, "", item.Line, from, to)
			case tree.Object:
				rule, _ := item.Get("rule").Str()
				reason, _ := item.Get("reason").Str()
				expires, _ := item.Get("expires").Str()
				add(rule, reason, expires, item.Line, from, to)
			default:
				problems = append(problems, Problem{file, item.Line, "Metadata.smlint.ignore entries are {rule, reason} or \"RULE reason\""})
			}
		}
	}
	return entries, problems
}

// lastLine is the largest line a value's tree records.
func lastLine(n *tree.Node) int {
	if n == nil {
		return 0
	}
	l := n.Line
	for _, it := range n.Items {
		l = max(l, lastLine(it))
	}
	for _, m := range n.Members {
		l = max(l, m.KeyLine, lastLine(m.Value))
	}
	return l
}

// yamlBlockEnd is the last line of the YAML block whose key is on line key
// (1-based): the last content line indented deeper than the key before a
// content line that is not.
func yamlBlockEnd(lines []string, key int) int {
	if key < 1 || key > len(lines) {
		return key
	}
	indent := indentOf(lines[key-1])
	end := key
	for i := key; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i])
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if indentOf(lines[i]) <= indent {
			break
		}
		end = i + 1
	}
	return end
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

type comment struct {
	rule, reason string
	line         int
}

// resourceComments are the directives of one resource: on its key line,
// in the comment lines directly above it, and on comment lines inside it.
func resourceComments(lines []string, from, to int) []comment {
	var out []comment
	take := func(i int, wholeLine bool) {
		s := lines[i-1]
		if wholeLine && !strings.HasPrefix(strings.TrimSpace(s), "#") {
			return
		}
		if m := directive.FindStringSubmatch(s); m != nil {
			out = append(out, comment{rule: m[1], reason: m[2], line: i})
		}
	}
	for i := from - 1; i >= 1 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#"); i-- {
		take(i, true)
	}
	take(from, false)
	for i := from + 1; i <= to && i <= len(lines); i++ {
		take(i, true)
	}
	return out
}
