package engine

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPrecompiledFresh fails when rules.bin no longer matches what the
// compiler makes of the rule sources: run `go generate ./internal/engine`.
func TestPrecompiledFresh(t *testing.T) {
	want, err := GenerateArtefact()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(precompiled, want) {
		t.Fatalf("internal/engine/rules.bin is stale (%d bytes, regenerated %d): run `go generate ./internal/engine`", len(precompiled), len(want))
	}
}

func TestNewUsesPrecompiled(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Precompiled() {
		t.Fatal("New compiled the embedded rules from source: rules.bin did not load")
	}
	src, err := New(context.Background(), Options{CompileFromSource: true})
	if err != nil {
		t.Fatal(err)
	}
	if src.Precompiled() {
		t.Fatal("CompileFromSource used rules.bin")
	}
	if len(e.Rules()) == 0 || len(e.Rules()) != len(src.Rules()) {
		t.Fatalf("catalogue: %d rules precompiled, %d from source", len(e.Rules()), len(src.Rules()))
	}
	for i := range e.Rules() {
		if e.Rules()[i] != src.Rules()[i] {
			t.Errorf("catalogue entry %d: %+v, from source %+v", i, e.Rules()[i], src.Rules()[i])
		}
	}
}

// TestCodecRoundTrip: every compiled module decodes to an equal module, with
// the same locations.
func TestCodecRoundTrip(t *testing.T) {
	mods, err := Modules()
	if err != nil {
		t.Fatal(err)
	}
	c, err := compileModules(mods)
	if err != nil {
		t.Fatal(err)
	}
	data, err := encodeModules(c.Modules)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeModules(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(c.Modules) {
		t.Fatalf("%d modules decoded, %d encoded", len(back), len(c.Modules))
	}
	for name, m := range c.Modules {
		// Comments and annotations are not carried: the catalogue is
		// stored on its own and evaluation reads neither.
		m = m.Copy()
		m.Comments, m.Annotations = nil, nil
		ast.WalkRules(m, func(r *ast.Rule) bool { r.Annotations = nil; return false })
		b := back[name]
		if b == nil || !b.Equal(m) || b.String() != m.String() {
			t.Errorf("%s does not round-trip", name)
			continue
		}
		if got, want := locations(b), locations(m); got != want {
			t.Errorf("%s: locations differ after the round trip", name)
		}
	}
}

// locations lists every node's location, in walk order.
func locations(m *ast.Module) string {
	var buf bytes.Buffer
	ast.WalkNodes(m, func(n ast.Node) bool {
		if l := n.Loc(); l != nil {
			buf.WriteString(l.String())
		}
		buf.WriteByte(';')
		return false
	})
	return buf.String()
}

func TestArtefactStaleOrCorrupt(t *testing.T) {
	key, err := SourceKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadArtefact(precompiled, key+"x"); !errors.Is(err, errStale) {
		t.Errorf("a different key: %v, want errStale", err)
	}
	// Truncated or damaged artefacts are errors (New then compiles from
	// source), never a panic.
	for _, n := range []int{0, 10, len(precompiled) / 3, len(precompiled) / 2, len(precompiled) - 1} {
		if _, _, err := loadArtefact(precompiled[:n], key); err == nil {
			t.Errorf("artefact truncated to %d bytes loaded", n)
		}
	}
	for _, at := range []int{len(precompiled) / 2, len(precompiled) - 40} {
		bad := bytes.Clone(precompiled)
		bad[at] ^= 0xff
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("byte %d flipped: panic %v", at, r)
				}
			}()
			_, _, _ = loadArtefact(bad, key)
		}()
	}
}
