package engine

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/version"

	"github.com/smlint/smlint/rules"
)

// The embedded rules are compiled at build time: `go generate` in this
// package (gen/main.go) runs the full OPA compiler over them and writes its
// output, the rewritten modules, to rules.bin, which is embedded here. At
// start-up New decodes them and runs only the compiler stages that build
// in-memory indices (module and rule trees, rule and comprehension indices):
// parsing, rewriting and the safety and type checks have already run, and
// `go test ./rules/` still runs them, strictly, on the sources.
//
// rules.bin opens with a key: the OPA version and a SHA-256 of every
// embedded .rego file that is not a test. When the key does not match the
// sources the binary was built with (someone edited a rule and did not run
// go generate), New compiles from source as before; TestPrecompiledFresh
// fails so that the artefact is regenerated before landing.
//
//go:generate go run ./gen
//go:embed rules.bin
var precompiled []byte

const artefactMagic = "smlint-compiled-rules/1\n"

// runtimeStages are the compiler stages that still run on decoded modules:
// they build the structures evaluation reads and that hold pointers into the
// modules, so they cannot be stored.
var runtimeStages = map[ast.StageID]bool{
	ast.StageSetModuleTree:             true,
	ast.StageSetRuleTree:               true,
	ast.StageBuildRuleIndices:          true,
	ast.StageBuildComprehensionIndices: true,
}

func skippedStages() []ast.StageID {
	var out []ast.StageID
	for _, s := range ast.AllStages() {
		if !runtimeStages[s] {
			out = append(out, s)
		}
	}
	return out
}

// SourceKey identifies the embedded rule sources and the OPA version that
// compiles them.
func SourceKey() (string, error) {
	h := sha256.New()
	var paths []string
	err := fs.WalkDir(rules.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		src, err := fs.ReadFile(rules.FS, p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(src))
		h.Write(src)
	}
	return "opa " + version.Version + " rules sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// compileModules runs the compiler the way rego.New(...).PrepareForEval does
// for parsed modules, keyed the same way (by file name).
func compileModules(mods []ParsedModule) (*ast.Compiler, error) {
	m := make(map[string]*ast.Module, len(mods))
	for _, pm := range mods {
		m[pm.Module.Package.Location.File] = pm.Module
	}
	c := newCompiler()
	c.Compile(m)
	if c.Failed() {
		return nil, fmt.Errorf("compiling rules: %w", c.Errors)
	}
	return c, nil
}

func newCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithEnablePrintStatements(false).
		WithStrict(false).
		WithUseTypeCheckAnnotations(true).
		WithDefaultRegoVersion(ast.RegoV1)
}

// GenerateArtefact compiles the embedded rules and returns rules.bin: the
// key, the catalogue and the compiled modules.
func GenerateArtefact() ([]byte, error) {
	key, err := SourceKey()
	if err != nil {
		return nil, err
	}
	mods, err := Modules()
	if err != nil {
		return nil, err
	}
	cat, err := catalogueOf(mods)
	if err != nil {
		return nil, err
	}
	c, err := compileModules(mods)
	if err != nil {
		return nil, err
	}
	body, err := encodeModules(c.Modules)
	if err != nil {
		return nil, err
	}
	catJSON, err := json.Marshal(cat)
	if err != nil {
		return nil, err
	}
	out := []byte(artefactMagic)
	out = binary.AppendUvarint(out, uint64(len(key)))
	out = append(out, key...)
	out = binary.AppendUvarint(out, uint64(len(catJSON)))
	out = append(out, catJSON...)
	return append(out, body...), nil
}

var errStale = errors.New("compiled rules do not match the rule sources")

// loadArtefact checks the key of data against key and returns the
// catalogue and a compiler holding the decoded modules, indices built.
func loadArtefact(data []byte, key string) ([]Rule, *ast.Compiler, error) {
	if !bytes.HasPrefix(data, []byte(artefactMagic)) {
		return nil, nil, errors.New("not a compiled-rules artefact")
	}
	data = data[len(artefactMagic):]
	field := func() ([]byte, bool) {
		n, w := binary.Uvarint(data)
		if w <= 0 || n > uint64(len(data)-w) {
			return nil, false
		}
		f := data[w : w+int(n)]
		data = data[w+int(n):]
		return f, true
	}
	k, ok := field()
	if !ok {
		return nil, nil, errCorrupt
	}
	if string(k) != key {
		return nil, nil, errStale
	}
	catJSON, ok := field()
	if !ok {
		return nil, nil, errCorrupt
	}
	var cat []Rule
	if err := json.Unmarshal(catJSON, &cat); err != nil {
		return nil, nil, err
	}
	mods, err := decodeModules(data)
	if err != nil {
		return nil, nil, err
	}
	c := newCompiler().WithSkipStages(skippedStages()...)
	c.Compile(mods)
	if c.Failed() {
		return nil, nil, fmt.Errorf("indexing compiled rules: %w", c.Errors)
	}
	return cat, c, nil
}
