package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/smlint/smlint/internal/parallel"
	"github.com/smlint/smlint/rules"
)

// Finding is one rule hit, with the rule's catalogue facts filled in.
type Finding struct {
	Rule        string `json:"rule"`
	Severity    string `json:"severity"`
	Message     string `json:"message"`
	File        string `json:"file,omitempty"`
	Line        int    `json:"line,omitempty"`
	Sid         string `json:"sid,omitempty"`
	Resource    string `json:"resource,omitempty"`
	Principal   string `json:"principal,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	Docs        string `json:"docs,omitempty"`
}

// Engine holds the prepared query. It is safe for concurrent Eval calls.
type Engine struct {
	query     rego.PreparedEvalQuery
	rules     []Rule
	byPackage map[string]*Rule
	// precompiled: the rules came from rules.bin, not from a compile now.
	precompiled bool
	// prepare prepares another query on the same compiled rules.
	prepare func(ctx context.Context, query string) (rego.PreparedEvalQuery, error)
	// perRule are queries of one rule package each, for EvalParallel,
	// prepared on first use (a run of one small setup never needs them).
	perRule     []ruleQuery
	perRuleErr  error
	perRuleOnce sync.Once
}

// ruleQuery is the findings query of one rule package.
type ruleQuery struct {
	pkg   string
	query rego.PreparedEvalQuery
}

// findingsQuery collects every rule's findings, tagged with the rule's
// package name, in one evaluation.
const findingsQuery = `x = [[name, f] | some name; f := data.smlint.rules[name].findings[_]]`

// Options configure New.
type Options struct {
	// RuleDirs are extra directories of user Rego rules (--rules), read with
	// the same conventions as the embedded ones.
	RuleDirs []string
	// CompileFromSource skips the rules compiled at build time and compiles
	// the embedded sources now (tests compare the two).
	CompileFromSource bool
}

// New prepares the rules: the embedded ones as compiled at build time
// (rules.bin, see precompiled.go) when they match the sources, otherwise
// (stale artefact, opts.RuleDirs, opts.CompileFromSource) parsed and
// compiled now, with opts.RuleDirs.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if len(opts.RuleDirs) == 0 && !opts.CompileFromSource {
		if e, err := newPrecompiled(ctx); err == nil {
			return e, nil
		}
	}
	mods, err := Modules()
	if err != nil {
		return nil, err
	}
	for _, dir := range opts.RuleDirs {
		extra, err := modulesFromDir(dir)
		if err != nil {
			return nil, err
		}
		mods = append(mods, extra...)
	}
	cat, err := catalogueOf(mods)
	if err != nil {
		return nil, err
	}
	regoOpts := []func(*rego.Rego){rego.Query(findingsQuery), rego.SetRegoVersion(ast.RegoV1)}
	for _, m := range mods {
		regoOpts = append(regoOpts, rego.ParsedModule(m.Module))
	}
	q, err := rego.New(regoOpts...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("compiling rules: %w", err)
	}
	e := newEngine(cat, q, false)
	// The per-rule queries of EvalParallel compile the same modules once
	// more, the way the build-time artefact is compiled.
	var (
		compiled   *ast.Compiler
		compileErr error
		compile    sync.Once
	)
	e.prepare = func(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
		compile.Do(func() { compiled, compileErr = compileModules(mods) })
		if compileErr != nil {
			return rego.PreparedEvalQuery{}, compileErr
		}
		return rego.New(rego.Query(query), rego.SetRegoVersion(ast.RegoV1), rego.Compiler(compiled)).PrepareForEval(ctx)
	}
	return e, nil
}

// newPrecompiled is New from the embedded compiled rules.
func newPrecompiled(ctx context.Context) (*Engine, error) {
	key, err := SourceKey()
	if err != nil {
		return nil, err
	}
	cat, c, err := loadArtefact(precompiled, key)
	if err != nil {
		return nil, err
	}
	q, err := rego.New(rego.Query(findingsQuery), rego.SetRegoVersion(ast.RegoV1), rego.Compiler(c)).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing compiled rules: %w", err)
	}
	e := newEngine(cat, q, true)
	e.prepare = func(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
		return rego.New(rego.Query(query), rego.SetRegoVersion(ast.RegoV1), rego.Compiler(c)).PrepareForEval(ctx)
	}
	return e, nil
}

func newEngine(cat []Rule, q rego.PreparedEvalQuery, precompiled bool) *Engine {
	e := &Engine{query: q, rules: cat, byPackage: map[string]*Rule{}, precompiled: precompiled}
	for i := range e.rules {
		e.byPackage[e.rules[i].Package] = &e.rules[i]
	}
	return e
}

// catalogueOf reads the catalogue entries of the rule modules, sorted by id.
func catalogueOf(mods []ParsedModule) ([]Rule, error) {
	var out []Rule
	seen := map[string]string{}
	for _, m := range mods {
		r, ok, err := ruleFromModule(m.Module, m.File, m.Builtin)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("rule id %s declared twice (%s and %s)", r.ID, prev, r.File)
		}
		seen[r.ID] = r.File
		out = append(out, r)
	}
	sortRules(out)
	return out, nil
}

// Precompiled reports whether the engine runs the rules compiled at build
// time (rather than compiled from source at start-up).
func (e *Engine) Precompiled() bool { return e.precompiled }

// Rules returns the catalogue, sorted by id.
func (e *Engine) Rules() []Rule { return e.rules }

// Rule returns the catalogue entry for id.
func (e *Engine) Rule(id string) (Rule, bool) {
	for _, r := range e.rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Eval runs every rule over input (the rule input, *ruleinput.Input, or any
// value that encoding/json can write: see toValue) and returns the findings
// with catalogue facts, in a stable order.
func (e *Engine) Eval(ctx context.Context, input any) ([]Finding, error) {
	val, err := toValue(input)
	if err != nil {
		return nil, fmt.Errorf("building rule input: %w", err)
	}
	out, err := e.findings(ctx, e.query, val)
	if err != nil {
		return nil, err
	}
	SortFindings(out)
	return out, nil
}

// EvalParallel is Eval with the rules spread over up to workers goroutines,
// one rule package at a time: for one large input (a thousand policies in
// one run) that the run cannot spread over subjects. The rules are
// independent (each reads the input and the shared helpers, never another
// rule), so the findings are those of Eval.
func (e *Engine) EvalParallel(ctx context.Context, input any, workers int) ([]Finding, error) {
	if workers <= 1 || e.prepare == nil {
		return e.Eval(ctx, input)
	}
	e.perRuleOnce.Do(func() { e.perRule, e.perRuleErr = e.prepareRuleQueries(ctx) })
	if e.perRuleErr != nil {
		return nil, e.perRuleErr
	}
	val, err := toValue(input)
	if err != nil {
		return nil, fmt.Errorf("building rule input: %w", err)
	}
	perRule := make([][]Finding, len(e.perRule))
	errs := make([]error, len(e.perRule))
	parallel.For(len(e.perRule), workers, func(i int) {
		perRule[i], errs[i] = e.findings(ctx, e.perRule[i].query, val)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []Finding
	for _, fs := range perRule {
		out = append(out, fs...)
	}
	SortFindings(out)
	return out, nil
}

// prepareRuleQueries prepares the findings query of each rule package,
// heaviest first (ruleCost) so that the last ones to start are short.
func (e *Engine) prepareRuleQueries(ctx context.Context) ([]ruleQuery, error) {
	pkgs := make([]string, 0, len(e.rules))
	for _, r := range e.rules {
		pkgs = append(pkgs, r.Package)
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return ruleCost[pkgs[i]] > ruleCost[pkgs[j]] })
	out := make([]ruleQuery, 0, len(pkgs))
	for _, pkg := range pkgs {
		q, err := e.prepare(ctx, fmt.Sprintf("x = [[name, f] | name := %q; f := data.smlint.rules[name].findings[_]]", pkg))
		if err != nil {
			return nil, fmt.Errorf("preparing rule %s: %w", pkg, err)
		}
		out = append(out, ruleQuery{pkg: pkg, query: q})
	}
	return out, nil
}

// findings evaluates q on val.
func (e *Engine) findings(ctx context.Context, q rego.PreparedEvalQuery, val ast.Value) ([]Finding, error) {
	var out []Finding
	rs, err := q.Eval(ctx, rego.EvalParsedInput(val))
	if err != nil {
		return nil, fmt.Errorf("evaluating rules: %w", err)
	}
	for _, r := range rs {
		pairs, _ := r.Bindings["x"].([]any)
		for _, p := range pairs {
			pair, _ := p.([]any)
			if len(pair) != 2 {
				continue
			}
			pkg, _ := pair[0].(string)
			obj, _ := pair[1].(map[string]any)
			rule := e.byPackage[pkg]
			if rule == nil || obj == nil {
				continue
			}
			out = append(out, toFinding(rule, obj))
		}
	}
	return out, nil
}

// ruleCost orders the rule packages for EvalParallel, heaviest first: their
// evaluation time in ms on the 1,594 AWS managed policies in one run (one
// query per package, best of seven; 63 ms in all, since the rules enter
// through documents' statements_with index). action-too-broad, which builds
// 844 findings there, is two thirds of it; the packages not listed took
// under 2 ms and keep catalogue order. Only the order depends on these
// figures.
var ruleCost = map[string]int{
	"action_too_broad": 42, "policy_invalid": 4, "ip_condition_unverified": 4,
	"partition_unsupported": 2, "resource_too_broad": 2, "policy_version_old": 2,
	"trust_action_broad": 2, "trust_principal_wrong": 2,
}

func toFinding(rule *Rule, obj map[string]any) Finding {
	f := Finding{Rule: rule.ID, Severity: rule.Severity, Remediation: rule.Remediation, Docs: rule.Docs}
	str := func(k string) string { s, _ := obj[k].(string); return s }
	f.Message = str("message")
	f.File = str("file")
	f.Sid = str("sid")
	f.Resource = str("resource")
	f.Principal = str("principal")
	if s := str("severity"); SeverityRank(s) > 0 {
		f.Severity = s
	}
	if s := str("remediation"); s != "" {
		f.Remediation = s
	}
	switch n := obj["line"].(type) {
	case float64:
		f.Line = int(n)
	case int:
		f.Line = n
	case interface{ Int64() (int64, error) }:
		v, _ := n.Int64()
		f.Line = int(v)
	}
	return f
}

// SortFindings orders findings by file, line, rule, message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// ParsedModule is a parsed Rego file and where it came from.
type ParsedModule struct {
	File    string
	Module  *ast.Module
	Builtin bool
}

// Modules parses the embedded Rego files (the rules and rules/lib, never
// their tests: the binary does not carry them).
func Modules() ([]ParsedModule, error) {
	return ModulesFS(rules.FS, false)
}

// ModulesFS parses the Rego files of fsys, laid out as rules/ is; tests
// selects the *_test.rego files too (for the Rego unit tests, which read
// them from the source tree), otherwise they are left out. Files are parsed
// concurrently: parsing is a fifth of start-up.
func ModulesFS(fsys fs.FS, tests bool) ([]ParsedModule, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return nil
		}
		if strings.HasSuffix(path, "_test.rego") && !tests {
			return nil
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]ParsedModule, len(paths))
	errs := make([]error, len(paths))
	parallel.For(len(paths), runtime.GOMAXPROCS(0), func(i int) {
		src, err := fs.ReadFile(fsys, paths[i])
		if err == nil {
			var m *ast.Module
			m, err = parse("rules/"+paths[i], src)
			out[i] = ParsedModule{File: "rules/" + paths[i], Module: m, Builtin: true}
		}
		errs[i] = err
	})
	return out, errors.Join(errs...)
}

func parse(name string, src []byte) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
		ProcessAnnotation: true,
		RegoVersion:       ast.RegoV1,
	})
}

func modulesFromDir(dir string) ([]ParsedModule, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--rules: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("--rules: %s is not a directory", dir)
	}
	var out []ParsedModule
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		m, err := parse(path, src)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(m.Package.Path.String(), rulesPrefix) && !strings.HasPrefix(m.Package.Path.String(), "data.smlint.") {
			return errors.New(path + ": package must be under smlint.rules (package smlint.rules.<name>)")
		}
		out = append(out, ParsedModule{File: path, Module: m})
		return nil
	})
	return out, err
}
