package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/smlint/smlint/internal/ruleinput"
)

// TestSchemaFresh fails when rules/schema/input.json is not what the types
// of internal/ruleinput generate: run go generate ./internal/ruleinput.
func TestSchemaFresh(t *testing.T) {
	want, err := Generate("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "..", Path))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate ./internal/ruleinput", Path)
	}
}

// TestEveryTypeDocumented: every struct type of the input has a
// doc comment (the schema's descriptions come from them).
func TestEveryTypeDocumented(t *testing.T) {
	docs, err := readDocs("..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		if docs[ty.Name()] == "" {
			t.Errorf("ruleinput.%s has no doc comment", ty.Name())
		}
		for i := 0; i < ty.NumField(); i++ {
			walk(ty.Field(i).Type)
		}
	}
	walk(reflect.TypeOf(ruleinput.Input{}))
	if len(seen) < 10 {
		t.Errorf("walked %d types of the input, expected more", len(seen))
	}
}

func TestGenerateRefusesUnsupportedFields(t *testing.T) {
	g := &generator{docs: map[string]string{}}
	for _, v := range []any{
		struct{ NoTag string }{},
		struct {
			C chan int `json:"c"`
		}{},
		struct {
			M map[int]string `json:"m"`
		}{},
	} {
		if _, err := g.of(reflect.TypeOf(v), "", false); err == nil {
			t.Errorf("%T: no error", v)
		}
	}
}
