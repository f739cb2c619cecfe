package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzFromJSON: the JSON parser never panics, fails only with a *tree.Error
// whose line lies inside the text, stays inside its limits, and agrees with
// encoding/json on what is valid JSON and on the value it holds (duplicate
// keys read as encoding/json does: last copy wins), and reads every input
// as the plain multi-pass reading does (referenceFromJSON): same tree,
// lines, error text and error line.
func FuzzFromJSON(f *testing.F) {
	for _, glob := range []string{"../../fixtures/*/*.json", "../load/testdata/*/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 8<<10 {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"", " ", "{}", "[]", `"x"`, "1e400", "-0", "0.5E-3", "true", "null",
		"{\"a\":1,\"a\":[2,{\"a\":3}]}", "\ufeff{\"a\":\"b\"}", `"\ud800\udc00\ud800 \u00e9\/\b\f\n\r\t"`,
		"{\"a\":\n\"\x00\"}", "\xff\xfe{\x00}\x00", "{\"a\":\"\xc3\x28\"}", "{}\n}", "[1,]", "{\"a\" 1}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"01", "1.", ".5", "+1", "\"\t\"", "// c\n{}",
	} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxString: 1 << 12, MaxNodes: 20000}
	f.Fuzz(func(t *testing.T, data []byte) {
		agreeWithReference(t, data, lim)
		n, err := FromJSONLimits(data, lim)
		text := bytes.TrimPrefix(data, utf8BOM)
		lines := bytes.Count(text, []byte("\n")) + 1
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *tree.Error: %v", err, err)
			}
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("error line %d outside 1..%d: %v", e.Line, lines, err)
			}
			// Valid, small, shallow UTF-8 JSON must parse.
			if len(data) <= 1<<10 && utf8.Valid(text) && !bytes.ContainsRune(text, 0) && json.Valid(text) &&
				depthOf(text) <= lim.MaxDepth && !bytes.HasPrefix(text, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(text, []byte{0xFE, 0xFF}) {
				t.Fatalf("valid JSON refused: %v\n%q", err, data)
			}
			return
		}
		if !json.Valid(text) {
			t.Fatalf("invalid JSON accepted: %q", data)
		}
		count := 0
		Walk(n, func(x *Node) bool {
			count++
			if x.Line < 1 || x.Line > lines {
				t.Fatalf("node line %d outside 1..%d", x.Line, lines)
			}
			if len(x.Text) > lim.MaxString && x.Kind == String {
				t.Fatalf("string of %d bytes over the limit", len(x.Text))
			}
			return true
		})
		if count > lim.MaxNodes {
			t.Fatalf("%d nodes over the limit", count)
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if got := plainValue(n); !reflect.DeepEqual(got, want) {
			t.Fatalf("value differs from encoding/json:\n got %#v\nwant %#v\ninput %q", got, want, data)
		}
	})
}

// depthOf is the nesting depth of valid JSON text.
func depthOf(text []byte) int {
	depth, top, inStr, esc := 0, 0, false, false
	for _, c := range text {
		switch {
		case inStr && esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case inStr && c == '"':
			inStr = false
		case inStr:
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			top = max(top, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return top
}

// plainValue converts a tree to what encoding/json decodes with UseNumber.
func plainValue(n *Node) any {
	switch n.Kind {
	case Null:
		return nil
	case Bool:
		return n.Text == "true"
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, 0, len(n.Items))
		for _, it := range n.Items {
			out = append(out, plainValue(it))
		}
		return out
	case Object:
		out := map[string]any{}
		for _, m := range n.Members {
			out[m.Key] = plainValue(m.Value)
		}
		return out
	}
	return fmt.Sprintf("<%s>", n.Kind)
}
