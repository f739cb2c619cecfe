package tree

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/load/loadtest"
)

func TestFromJSONLinesAndDuplicates(t *testing.T) {
	src := "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {\"c\": true}\n  ],\n  \"a\": \"dup\"\n}\n"
	n, err := FromJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Get("b").Items[1].Line; got != 5 {
		t.Errorf("line of b[1] = %d, want 5", got)
	}
	if got := n.GetLast("a").Text; got != "dup" {
		t.Errorf("last a = %q", got)
	}
	if got := n.Get("a").Text; got != "1" {
		t.Errorf("first a = %q", got)
	}
	if n.Members[2].KeyLine != 7 {
		t.Errorf("key line %d", n.Members[2].KeyLine)
	}
	if !HasDuplicateKeys(n) {
		t.Error("duplicates not seen")
	}
}

func TestFromJSONErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
		line            int
	}{
		{"syntax", "{\n\"a\": 1,\n\"b\" 2}", "invalid JSON", 3},
		{"empty", "  \n", "empty", 1},
		{"nul", "{\"a\":\n\"\x00\"}", "NUL", 2},
		{"utf16", "\xff\xfe{\x00}\x00", "UTF-16", 1},
		{"badutf8", "{\"a\":\n\"\xc3\x28\"}", "UTF-8", 2},
		{"deep", strings.Repeat("[", 200) + strings.Repeat("]", 200), "nesting", 1},
		{"trailing", "{}\n}", "invalid JSON", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromJSON([]byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if e, ok := err.(*Error); !ok || e.Line != c.line {
				t.Errorf("line = %v, want %d", err, c.line)
			}
		})
	}
}

func TestFromJSONAcceptsBOM(t *testing.T) {
	n, err := FromJSON([]byte("\xef\xbb\xbf{\"a\":\"b\"}"))
	if err != nil || n.Get("a").Text != "b" {
		t.Fatalf("%v %v", n, err)
	}
}

// TestFromJSONPassing: the parser reports a growing prefix it is past,
// about every passedEvery bytes, never beyond what it has read, and builds
// the same tree as FromJSON; the prefix counts a byte-order mark.
func TestFromJSONPassing(t *testing.T) {
	data := append([]byte("\xef\xbb\xbf"), loadtest.AccountExport(100, 300, 2)...)
	if len(data) < 3*passedEvery {
		t.Fatalf("export of %d bytes is too small to test", len(data))
	}
	want, err := FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	var calls []int
	got, err := FromJSONPassing(data, func(n int) {
		// What the parser is past ends between two values: the text
		// before it holds only whole members and items.
		if c := data[n-1]; c != '}' && c != ']' && c != '"' && c != 'e' && c != 'l' && (c < '0' || c > '9') {
			t.Errorf("passed(%d) ends on %q", n, c)
		}
		calls = append(calls, n)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("tree differs from FromJSON's")
	}
	if len(calls) < len(data)/passedEvery-1 || len(calls) > len(data)/passedEvery {
		t.Errorf("%d calls for %d bytes, want about one per %d", len(calls), len(data), passedEvery)
	}
	for i, n := range calls {
		if n < (i+1)*passedEvery+3 || n > len(data) {
			t.Errorf("call %d: passed(%d)", i, n)
		}
	}
}
