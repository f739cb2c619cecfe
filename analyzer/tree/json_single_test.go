package tree

import (
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/smlint/smlint/analyzer/load/loadtest"
)

// referenceFromJSON is the previous, gjson-based FromJSONLimits, kept as the
// reference the single-pass parser must match exactly (trees, lines, errors).
func referenceFromJSON(data []byte, lim Limits) (*Node, error) {
	data, err := CheckText(data, lim)
	if err != nil {
		return nil, err
	}
	var idx *Lines
	lines := func() *Lines {
		if idx == nil {
			idx = NewLines(data)
		}
		return idx
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	if err := checkDepth(data, lim.MaxDepth, lines); err != nil {
		return nil, err
	}
	if !gjson.ValidBytes(data) {
		return nil, syntaxError(data, lines())
	}
	b := refBuilder{lines: lines(), lim: lim}
	root := b.build(gjson.ParseBytes(data))
	if b.err != nil {
		return nil, b.err
	}
	return root, nil
}

type refBuilder struct {
	lines *Lines
	lim   Limits
	nodes int
	err   error
}

func (b *refBuilder) build(r gjson.Result) *Node {
	if b.err != nil {
		return nil
	}
	b.nodes++
	if b.lim.MaxNodes > 0 && b.nodes > b.lim.MaxNodes {
		b.err = &Error{Line: b.lines.Line(r.Index), Msg: fmt.Sprintf("more than %d values", b.lim.MaxNodes)}
		return nil
	}
	n := &Node{Line: b.lines.Line(r.Index)}
	switch {
	case r.IsObject():
		n.Kind = Object
		r.ForEach(func(k, v gjson.Result) bool {
			child := b.build(v)
			n.Members = append(n.Members, Member{Key: k.String(), KeyLine: b.lines.Line(k.Index), Value: child})
			return b.err == nil
		})
	case r.IsArray():
		n.Kind = Array
		r.ForEach(func(_, v gjson.Result) bool {
			n.Items = append(n.Items, b.build(v))
			return b.err == nil
		})
	case r.Type == gjson.String:
		n.Kind = String
		n.Text = r.Str
		if b.lim.MaxString > 0 && len(n.Text) > b.lim.MaxString {
			b.err = &Error{Line: n.Line, Msg: fmt.Sprintf("a string of %d bytes, over the %d-byte limit", len(n.Text), b.lim.MaxString)}
		}
	case r.Type == gjson.Number:
		n.Kind = Number
		n.Text = r.Raw
	case r.Type == gjson.True || r.Type == gjson.False:
		n.Kind = Bool
		n.Text = r.Raw
	default:
		n.Kind = Null
	}
	return n
}

// sameTree compares two trees ignoring slice capacity and nil-vs-empty.
func sameTree(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Text != b.Text || a.Line != b.Line || len(a.Items) != len(b.Items) || len(a.Members) != len(b.Members) {
		return false
	}
	for i := range a.Items {
		if !sameTree(a.Items[i], b.Items[i]) {
			return false
		}
	}
	for i := range a.Members {
		x, y := a.Members[i], b.Members[i]
		if x.Key != y.Key || x.KeyLine != y.KeyLine || !sameTree(x.Value, y.Value) {
			return false
		}
	}
	return true
}

func compareWithReference(t *testing.T, name string, data []byte, lim Limits) {
	t.Helper()
	got, gotErr := FromJSONLimits(data, lim)
	want, wantErr := referenceFromJSON(data, lim)
	if !reflect.DeepEqual(gotErr, wantErr) {
		t.Fatalf("%s: error %v, reference %v\ninput: %q", name, gotErr, wantErr, truncate(data))
	}
	if !sameTree(got, want) {
		t.Fatalf("%s: tree differs from the reference\ninput: %q", name, truncate(data))
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// TestSinglePassMatchesReference: every JSON file of the repository, a
// generated account export, and mutations of small documents parse to the
// same tree and the same error as with the previous builder.
func TestSinglePassMatchesReference(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("only %d JSON files found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || len(data) > DefaultLimits.MaxBytes {
			continue
		}
		compareWithReference(t, f, data, DefaultLimits)
	}
	compareWithReference(t, "export", loadtest.AccountExport(20, 10, 2), DefaultLimits)

	seeds := []string{
		"{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {\"c\": true}\n  ],\n  \"a\": \"dup\"\n}\n",
		`{"s":"\u00e9\ud83d\ude00\ud800x\udc00\"\\\/\b\f\n\r\t","k\u0041":[-0.5e+3,0,-0,1E9,12.75]}`,
		"\r\n\t [ null , false,true , {} , [ ] , \"\" ]\n\n",
		`"top"`, `  12 `, `true`, `null`, `{"a":{"b":{"c":[[[["d"]]]]}}}`,
		"{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\",\n\"Action\":\"s3:*\",\"Resource\":\"*\"}]}",
	}
	alphabet := []byte("{}[]\":,\\u0aeE+-.tfn \n\r\t1x")
	rng := rand.New(rand.NewSource(1))
	limits := []Limits{DefaultLimits, {MaxBytes: 1 << 20, MaxDepth: 3, MaxString: 4, MaxNodes: 6}}
	for _, s := range seeds {
		for _, lim := range limits {
			compareWithReference(t, "seed", []byte(s), lim)
		}
		for n := 0; n < 3000; n++ {
			b := []byte(s)
			for m := rng.Intn(3) + 1; m > 0; m-- {
				i := rng.Intn(len(b) + 1)
				switch rng.Intn(3) {
				case 0: // insert
					b = append(b[:i], append([]byte{alphabet[rng.Intn(len(alphabet))]}, b[i:]...)...)
				case 1: // delete
					if i < len(b) {
						b = append(b[:i], b[i+1:]...)
					}
				default: // replace
					if i < len(b) {
						b[i] = alphabet[rng.Intn(len(alphabet))]
					}
				}
			}
			compareWithReference(t, "mutation", b, limits[n%2])
		}
	}
}

func BenchmarkFromJSONAccountExport(b *testing.B) {
	data := loadtest.AccountExport(500, 1600, 2)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReferenceFromJSONAccountExport(b *testing.B) {
	data := loadtest.AccountExport(500, 1600, 2)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := referenceFromJSON(data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
