package config

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/smlint/smlint/internal/didyoumean"
)

// shape is what a .smlint.yaml key holds, described in the words of the
// file (keys, lists, strings) rather than Go types, so that an error reads
// `vendor.ip_ranges: expected a list of CIDR strings, got a number`.
type shape struct {
	kind string // "string", "list" (of strings), "map", "list-of-maps"
	// what a value is, for messages: "a CIDR string", "a rule id".
	what string
	// keys of a map, or of each map of a list-of-maps.
	keys map[string]shape
}

func str(what string) shape          { return shape{kind: "string", what: what} }
func list(what string) shape         { return shape{kind: "list", what: what} }
func mapOf(k map[string]shape) shape { return shape{kind: "map", keys: k} }
func listOfMaps(what string, k map[string]shape) shape {
	return shape{kind: "list-of-maps", what: what, keys: k}
}

// schema is every key .smlint.yaml may hold (docs/configuration.md lists
// them; a test keeps the two the same).
var schema = mapOf(map[string]shape{
	"bucket":          str("a bucket name"),
	"prefix":          str("an upload path such as supermetrics/"),
	"region":          str("a Region such as eu-west-1"),
	"kms_key_arn":     str("a KMS key ARN"),
	"role_arn":        str("a role ARN"),
	"auth":            str("role or access-key"),
	"user":            str("an IAM user name"),
	"access_key_id":   str("an access key id"),
	"bucket_account":  str("a 12-digit account id"),
	"account_id":      str("a 12-digit account id"),
	"organization_id": str("an Organizations id (o-…)"),
	"vendor": mapOf(map[string]shape{
		"ip_ranges":   list("CIDR strings"),
		"external_id": str("the external ID"),
	}),
	"ignore": listOfMaps("ignore entries (rule, reason, and file, sid, resource, expires)", map[string]shape{
		"rule":     str("a rule id"),
		"file":     str("a path glob"),
		"sid":      str("a statement Sid"),
		"resource": str("an ARN"),
		"reason":   str("a reason"),
		"expires":  str("a YYYY-MM-DD date"),
	}),
	"scps": listOfMaps("SCP files with their level (level, file)", map[string]shape{
		"level": str("root, ou, an OU id or account"),
		"file":  str("a file path"),
	}),
	"only_rules":    list("rule ids"),
	"disable_rules": list("rule ids"),
})

// Keys lists every key path of the config file ("vendor.ip_ranges",
// "ignore[].reason"), sorted.
func Keys() []string {
	var out []string
	var walk func(prefix string, s shape)
	walk = func(prefix string, s shape) {
		for k, sub := range s.keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = append(out, p)
			if sub.kind == "list-of-maps" {
				walk(p+"[]", sub)
			} else {
				walk(p, sub)
			}
		}
	}
	walk("", schema)
	sort.Strings(out)
	return out
}

// checkShape reports every value of doc that does not have the shape its
// key needs, and every unknown key with the closest known one, as
// "path:line: key: message" lines.
func checkShape(path string, doc *yaml.Node) error {
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	var problems []string
	add := func(n *yaml.Node, key, format string, a ...any) {
		msg := fmt.Sprintf(format, a...)
		if key != "" {
			msg = key + ": " + msg
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s", path, n.Line, msg))
	}
	var check func(n *yaml.Node, key string, s shape)
	checkMap := func(n *yaml.Node, key string, s shape) {
		known := make([]string, 0, len(s.keys))
		for k := range s.keys {
			known = append(known, k)
		}
		sort.Strings(known)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if key != "" {
				p = key + "." + k.Value
			}
			sub, ok := s.keys[k.Value]
			if !ok {
				where := "unknown key " + k.Value
				if key != "" {
					where = "unknown key " + k.Value + " in " + key
				}
				add(k, "", "%s%s; known keys: %s", where, didyoumean.Hint(k.Value, known), strings.Join(known, ", "))
				continue
			}
			check(v, p, sub)
		}
	}
	check = func(n *yaml.Node, key string, s shape) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if isNull(n) {
			return // an empty value leaves the setting unset
		}
		switch s.kind {
		case "string":
			if n.Kind != yaml.ScalarNode {
				add(n, key, "expected %s (a single value), got %s", s.what, describe(n))
			}
		case "list":
			if n.Kind != yaml.SequenceNode {
				add(n, key, "expected a list of %s, got %s%s", s.what, describe(n), listHint(n))
				return
			}
			for i, item := range n.Content {
				if item.Kind != yaml.ScalarNode || item.Tag != "!!str" && !isPlainScalar(item) {
					add(item, fmt.Sprintf("%s[%d]", key, i+1), "expected one of the %s, got %s", s.what, describe(item))
				}
			}
		case "map":
			if n.Kind != yaml.MappingNode {
				add(n, key, "expected a mapping of %s, got %s", keyList(s), describe(n))
				return
			}
			checkMap(n, key, s)
		case "list-of-maps":
			if n.Kind != yaml.SequenceNode {
				add(n, key, "expected a list of %s, got %s", s.what, describe(n))
				return
			}
			for i, item := range n.Content {
				k := fmt.Sprintf("%s[%d]", key, i+1)
				if item.Kind != yaml.MappingNode {
					add(item, k, "expected a mapping of %s, got %s", keyList(s), describe(item))
					continue
				}
				checkMap(item, k, s)
			}
		}
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		add(top, "", "expected a mapping of settings (bucket: …, prefix: …), got %s", describe(top))
	} else {
		checkMap(top, "", schema)
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "\n"))
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// isPlainScalar: a scalar YAML typed as something other than a string
// that still reads as one (an IPv4 range is a string; 10 is a number).
func isPlainScalar(n *yaml.Node) bool {
	switch n.Tag {
	case "!!int", "!!float", "!!bool", "!!null":
		return false
	}
	return true
}

// describe names what a YAML node holds, in the file's words.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		case "!!bool":
			return "true/false (" + n.Value + ")"
		case "!!null":
			return "nothing"
		}
		return fmt.Sprintf("a string (%q)", n.Value)
	}
	return "something else"
}

// listHint suggests the list form for a single value where a list goes.
func listHint(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Value != "" {
		return fmt.Sprintf("; write a single one as a list: [%s]", n.Value)
	}
	return ""
}

func keyList(s shape) string {
	var ks []string
	for k := range s.keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}
