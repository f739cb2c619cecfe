// Package schema generates the JSON Schema of the rule input
// (rules/schema/input.json) from the Go types of internal/ruleinput and
// their doc comments.
//
// It is written here rather than with a schema library because the rules'
// type check reads the schema with OPA, and OPA reads nullability in one
// form only: a type list (["object", "null"]) becomes its first type, so
// `input.principal == null` is a type error, and oneOf (invopop/jsonschema's
// form for a nullable field) becomes "any", which checks nothing; anyOf of
// the type and null becomes the union. The walk over a dozen plain structs
// is shorter than configuring a library around that (and brings no
// modules).
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/smlint/smlint/internal/ruleinput"
)

// Path is the generated schema, relative to the repository root.
const Path = "rules/schema/input.json"

// Generate returns the schema of ruleinput.Input, with the doc comments
// of the Go sources in srcDir (internal/ruleinput) as descriptions.
func Generate(srcDir string) ([]byte, error) {
	docs, err := readDocs(srcDir)
	if err != nil {
		return nil, err
	}
	g := &generator{docs: docs}
	root, err := g.of(reflect.TypeOf(ruleinput.Input{}), "", false)
	if err != nil {
		return nil, err
	}
	root.Schema = "http://json-schema.org/draft-07/schema#"
	root.ID = "https://github.com/smlint/smlint/" + Path
	root.Title = "smlint rule input"
	root.Comment = "Generated from internal/ruleinput by go generate ./internal/ruleinput; do not edit."
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// node is one JSON Schema (draft-07), its keywords in the order written.
type node struct {
	Schema      string          `json:"$schema,omitempty"`
	ID          string          `json:"$id,omitempty"`
	Title       string          `json:"title,omitempty"`
	Comment     string          `json:"$comment,omitempty"`
	Description string          `json:"description,omitempty"`
	Type        string          `json:"type,omitempty"`
	Enum        []string        `json:"enum,omitempty"`
	Properties  properties      `json:"properties,omitempty"`
	Required    []string        `json:"required,omitempty"`
	Additional  json.RawMessage `json:"additionalProperties,omitempty"`
	Items       *node           `json:"items,omitempty"`
	AnyOf       []*node         `json:"anyOf,omitempty"`
}

// properties keep the Go field order (encoding/json sorts map keys).
type properties []property

type property struct {
	name   string
	schema *node
}

func (ps properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		v, err := json.Marshal(p.schema)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type generator struct {
	docs map[string]string // "Type" and "Type.Field" → doc comment
}

// of is the schema of t; nullable: nil is written as null, and the schema
// is anyOf the value's and null's (OPA's type checker reads a type list,
// ["object", "null"], as its first type, so a comparison with null would
// be a type error; anyOf gives it the union).
func (g *generator) of(t reflect.Type, desc string, nullable bool) (*node, error) {
	if nullable {
		n, err := g.of(t, "", false)
		if err != nil {
			return nil, err
		}
		if desc == "" {
			desc, n.Description = n.Description, ""
		}
		return &node{Description: desc, AnyOf: []*node{n, {Type: "null"}}}, nil
	}
	n := &node{Description: desc}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem(), desc, false)
	case reflect.String:
		n.Type = "string"
	case reflect.Bool:
		n.Type = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n.Type = "integer"
	case reflect.Float32, reflect.Float64:
		n.Type = "number"
	case reflect.Slice:
		n.Type = "array"
		items, err := g.of(t.Elem(), "", false)
		if err != nil {
			return nil, err
		}
		n.Items = items
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map key type %s is not a string", t.Key())
		}
		n.Type = "object"
		values, err := g.of(t.Elem(), "", false)
		if err != nil {
			return nil, err
		}
		n.Additional, err = json.Marshal(values)
		if err != nil {
			return nil, err
		}
	case reflect.Struct:
		n.Type = "object"
		if n.Description == "" {
			n.Description = g.docs[t.Name()]
		}
		n.Additional = json.RawMessage("false")
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Anonymous {
				return nil, fmt.Errorf("%s.%s: unexported and embedded fields are not part of the rule input", t.Name(), f.Name)
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				return nil, fmt.Errorf("%s.%s: every field needs a json name", t.Name(), f.Name)
			}
			omitEmpty := strings.Contains(","+opts+",", ",omitempty,")
			// A nil pointer is null unless omitempty drops it; a nil
			// slice is null only where the field says it may be.
			mayBeNull := f.Tag.Get("nullable") == "true" || (f.Type.Kind() == reflect.Pointer && !omitEmpty)
			if f.Type.Kind() == reflect.Slice && f.Tag.Get("nullable") != "true" && f.Tag.Get("nullable") != "" {
				return nil, fmt.Errorf("%s.%s: nullable tag %q", t.Name(), f.Name, f.Tag.Get("nullable"))
			}
			fs, err := g.of(f.Type, g.docs[t.Name()+"."+f.Name], mayBeNull)
			if err != nil {
				return nil, err
			}
			if e, ok := f.Tag.Lookup("enum"); ok {
				fs.Enum = strings.Split(e, ",")
			}
			n.Properties = append(n.Properties, property{name, fs})
			if !omitEmpty {
				n.Required = append(n.Required, name)
			}
		}
	default:
		return nil, fmt.Errorf("type %s is not part of the rule input's vocabulary", t)
	}
	return n, nil
}

// readDocs reads the doc comments of the types and struct fields of the Go
// files in dir, as one line each.
func readDocs(dir string) (map[string]string, error) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	text := func(groups ...*ast.CommentGroup) string {
		for _, g := range groups {
			if s := strings.Join(strings.Fields(g.Text()), " "); s != "" {
				return s
			}
		}
		return ""
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				docs[ts.Name.Name] = text(ts.Doc, gd.Doc)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, field := range st.Fields.List {
					for _, fn := range field.Names {
						docs[ts.Name.Name+"."+fn.Name] = text(field.Doc, field.Comment)
					}
				}
			}
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: no Go types found", dir)
	}
	return docs, nil
}
