package tree

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/smlint/smlint/internal/load/loadtest"
)

// referenceFromJSON reads JSON the plain way, as FromJSONLimits did before
// its one-pass parser: every check a pass of its own (text, depth,
// validity by gjson), then the tree built from gjson's ForEach with a line
// index. It is slow (nested values are scanned once per level) and serves
// as the oracle that the one-pass parser must agree with, value, line and
// error alike.
func referenceFromJSON(data []byte, lim Limits) (*Node, error) {
	data, err := CheckText(data, lim)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	idx := NewLines(data)
	if err := checkDepth(data, lim.MaxDepth, func() *Lines { return idx }); err != nil {
		return nil, err
	}
	if !gjson.ValidBytes(data) {
		return nil, syntaxError(data, idx)
	}
	nodes := 0
	var firstErr error
	var build func(r gjson.Result) *Node
	build = func(r gjson.Result) *Node {
		if firstErr != nil {
			return nil
		}
		nodes++
		if lim.MaxNodes > 0 && nodes > lim.MaxNodes {
			firstErr = &Error{Line: idx.Line(r.Index), Msg: fmt.Sprintf("more than %d values", lim.MaxNodes)}
			return nil
		}
		n := &Node{Line: idx.Line(r.Index)}
		switch {
		case r.IsObject():
			n.Kind = Object
			r.ForEach(func(k, v gjson.Result) bool {
				n.Members = append(n.Members, Member{Key: k.String(), KeyLine: idx.Line(k.Index), Value: build(v)})
				return firstErr == nil
			})
		case r.IsArray():
			n.Kind = Array
			r.ForEach(func(_, v gjson.Result) bool {
				n.Items = append(n.Items, build(v))
				return firstErr == nil
			})
		case r.Type == gjson.String:
			n.Kind, n.Text = String, r.Str
			if lim.MaxString > 0 && len(n.Text) > lim.MaxString {
				firstErr = &Error{Line: n.Line, Msg: fmt.Sprintf("a string of %d bytes, over the %d-byte limit", len(n.Text), lim.MaxString)}
			}
		case r.Type == gjson.Number:
			n.Kind, n.Text = Number, r.Raw
		case r.Type == gjson.True || r.Type == gjson.False:
			n.Kind, n.Text = Bool, r.Raw
		default:
			n.Kind = Null
		}
		return n
	}
	root := build(gjson.ParseBytes(data))
	if firstErr != nil {
		return nil, firstErr
	}
	return root, nil
}

// agreeWithReference fails t when FromJSONLimits and referenceFromJSON
// differ on data: the same error text and line, or the same tree (kinds,
// texts, lines of values and keys, duplicate keys, order).
func agreeWithReference(t *testing.T, data []byte, lim Limits) {
	t.Helper()
	got, gotErr := FromJSONLimits(data, lim)
	want, wantErr := referenceFromJSON(data, lim)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("error %v, reference %v\ninput %q", gotErr, wantErr, data)
	}
	if gotErr != nil {
		if g, w := gotErr.(*Error), wantErr.(*Error); *g != *w {
			t.Fatalf("error %+v, reference %+v", *g, *w)
		}
		for _, share := range []sharing{shareSmall, shareAll} {
			if _, err := fromJSON(data, lim, nil, share); fmt.Sprint(err) != fmt.Sprint(gotErr) {
				t.Fatalf("error %v with sharing %d, %v without", err, share, gotErr)
			}
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tree differs from the reference reading\ninput %q", data)
	}
	// The readings that share the text's strings (FromJSONKeeping,
	// FromJSONString) build the same tree.
	for _, share := range []sharing{shareSmall, shareAll} {
		shared, err := fromJSON(data, lim, nil, share)
		if err != nil || !reflect.DeepEqual(shared, got) {
			t.Fatalf("reading with sharing %d differs (error %v)\ninput %q", share, err, data)
		}
	}
}

// TestFromJSONAgreesWithReference: every JSON file of the fixtures and the
// loader tests (any size), a generated account export, and inputs whose
// problems compete for which is reported, read alike by both.
func TestFromJSONAgreesWithReference(t *testing.T) {
	var files []string
	for _, glob := range []string{"../../fixtures/*/*.json", "../load/testdata/*/*.json", "../load/testdata/*/*/*.json"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) < 100 {
		t.Fatalf("only %d JSON files found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(f, func(t *testing.T) { agreeWithReference(t, data, DefaultLimits) })
	}
	t.Run("account export", func(t *testing.T) {
		agreeWithReference(t, loadtest.AccountExport(40, 60, 2), DefaultLimits)
	})
	t.Run("account export over blocksFrom", func(t *testing.T) {
		data := loadtest.AccountExport(60, 120, 2)
		if len(data) < blocksFrom {
			t.Fatalf("%d bytes: too small to be read with supplied blocks", len(data))
		}
		agreeWithReference(t, data, DefaultLimits)
	})
	small := Limits{MaxBytes: 1 << 10, MaxDepth: 3, MaxString: 4, MaxNodes: 6}
	for _, src := range []string{
		`[1,2,3,4,5,6,7]`,                   // over MaxNodes
		"[1,2,3,4,5,6,7,\n}",                // over MaxNodes, then invalid: invalid wins
		"[\"12345\",\n[[[1]]]]",             // long string, then too deep: depth wins
		"[\"12345\",\n\"\x00\"]",            // long string, then NUL: the NUL wins
		"[\"12345\",\n\"\xc3\x28\"]",        // long string, then bad UTF-8
		"{\"long key\":\n\"1234\"}",         // keys are not strings values: no limit
		"{\"a\":\"\\u00e9\\u00e9\\u00e9\"}", // limit on the decoded length
		"\n\n  [1,\n2]\n",                   // lines of a root after blank lines
		"[1,2]x",                            // trailing garbage
		"[\"a\\q\"]",                        // bad escape
		"[\"a\\u12\"]",                      // short \u escape
		"[01]", "[-]", "[1.]", "[1e]", "[-0.5e+7]", "[tru]", "nul", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "[1,]",
		strings.Repeat("x", 2000), // over MaxBytes
	} {
		agreeWithReference(t, []byte(src), small)
	}
}
