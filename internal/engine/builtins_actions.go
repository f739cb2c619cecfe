package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/rules"
)

// actionCatalogue is rules/data/actions.json: the action names of the
// services rule action-unknown checks, taken from the AWS Service
// Authorization Reference.
type actionCatalogue struct {
	Source  string              `json:"source"`
	Date    string              `json:"date"`
	Actions map[string][]string `json:"actions"`
}

var (
	catalogueOnce sync.Once
	catalogue     actionCatalogue
	catalogueErr  error
)

// actions loads the embedded catalogue once, with service prefixes
// lower-cased.
func actions() (actionCatalogue, error) {
	catalogueOnce.Do(func() {
		data, err := rules.FS.ReadFile("data/actions.json")
		if err != nil {
			catalogueErr = fmt.Errorf("reading the action catalogue: %w", err)
			return
		}
		var c actionCatalogue
		if err := json.Unmarshal(data, &c); err != nil {
			catalogueErr = fmt.Errorf("rules/data/actions.json: %w", err)
			return
		}
		c.Actions = lowerKeys(c.Actions)
		catalogue = c
	})
	return catalogue, catalogueErr
}

func lowerKeys(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// KnownAction reports whether an action pattern matches at least one
// catalogued action of its service, by the IAM matching rules
// (iam.ActionMatches: case-insensitive, * and ?). Patterns of services that
// are not catalogued, "*", and patterns without a service prefix (a grammar
// problem reported elsewhere) count as known.
func KnownAction(pattern string) (bool, error) {
	c, err := actions()
	if err != nil {
		return false, err
	}
	svc, _, ok := strings.Cut(pattern, ":")
	if !ok {
		return true, nil
	}
	names, catalogued := c.Actions[strings.ToLower(svc)]
	if !catalogued {
		return true, nil
	}
	for _, n := range names {
		if iam.ActionMatches(pattern, svc+":"+n) {
			return true, nil
		}
	}
	return false, nil
}

// ClosestAction is the catalogued action of the pattern's service nearest to
// it by edit distance (ties: the first in the list), as "service:Name", or ""
// when the service is not catalogued or nothing is within a third of the
// name's length. It only names a likely intended action in a message.
func ClosestAction(pattern string) (string, error) {
	c, err := actions()
	if err != nil {
		return "", err
	}
	svc, name, ok := strings.Cut(pattern, ":")
	if !ok {
		return "", nil
	}
	names := c.Actions[strings.ToLower(svc)]
	best, bestD := "", len(name)/3+1
	for _, n := range names {
		if d := levenshtein(strings.ToLower(name), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return "", nil
	}
	return strings.ToLower(svc) + ":" + best, nil
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func init() {
	rego.RegisterBuiltin1(&rego.Function{
		Name:        "smlint.known_action",
		Description: "Whether an action pattern matches at least one action of rules/data/actions.json (true for services not catalogued).",
		Decl:        types.NewFunction(types.Args(types.S), types.B),
		Memoize:     true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		p, ok := a.Value.(ast.String)
		if !ok {
			return ast.BooleanTerm(true), nil
		}
		known, err := KnownAction(string(p))
		if err != nil {
			return nil, err
		}
		return ast.BooleanTerm(known), nil
	})
	rego.RegisterBuiltin1(&rego.Function{
		Name:        "smlint.closest_action",
		Description: `The catalogued action nearest to a mistyped one ("service:Name"), or "" — for messages only.`,
		Decl:        types.NewFunction(types.Args(types.S), types.S),
		Memoize:     true,
	}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
		p, ok := a.Value.(ast.String)
		if !ok {
			return ast.StringTerm(""), nil
		}
		s, err := ClosestAction(string(p))
		if err != nil {
			return nil, err
		}
		return ast.StringTerm(s), nil
	})
}
