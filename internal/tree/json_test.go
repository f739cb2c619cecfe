package tree

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

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

// TestFromJSONBlocks: a text large enough for the tree's memory to be
// supplied in blocks (blocks.go) reads as the reference does, whatever
// the shapes: objects and arrays larger than a quarter block (allocated on
// their own), many small ones (blocks used up and replaced), empty ones;
// an invalid text gives the reference's error; and the supplying
// goroutine ends with the parse.
func TestFromJSONBlocks(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\"big array\": [")
	for i := 0; i < itemBlock; i++ {
		fmt.Fprintf(&b, "%d,", i)
	}
	b.WriteString("0],\n\"big object\": {")
	for i := 0; i < memberBlock/2; i++ {
		fmt.Fprintf(&b, "\"k%d\": [],\n", i)
	}
	b.WriteString("\"k\": {}},\n\"small\": [")
	for i := 0; b.Len() < 2*blocksFrom; i++ {
		fmt.Fprintf(&b, "{\"a\": [\"x%d\", {\"b\": %d}], \"c\": {}},\n", i, i)
	}
	b.WriteString("[]]}\n")
	data := []byte(b.String())
	before := runtime.NumGoroutine()
	agreeWithReference(t, data, DefaultLimits)
	agreeWithReference(t, append(data[:len(data)-3:len(data)-3], ",]}"...), DefaultLimits)
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines after parsing, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSharingTheText: FromJSON's tree keeps no reference to the text (the
// caller may reuse it); FromJSONKeeping's strings are slices of a small
// text handed over, and copies for a text over arenaBlock;
// FromJSONString's are slices of the string.
func TestSharingTheText(t *testing.T) {
	small := []byte(`{"Statement":[{"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	large := append(bytes.Repeat([]byte(" "), arenaBlock), small...)
	inside := func(s string, text []byte) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		start := uintptr(unsafe.Pointer(unsafe.SliceData(text)))
		return p >= start && p < start+uintptr(len(text))
	}
	action := func(n *Node) string { return n.Get("Statement").Items[0].Get("Action").Text }
	cases := []struct {
		name   string
		text   []byte
		parse  func([]byte) (*Node, error)
		shares bool
	}{
		{"FromJSON small", small, FromJSON, false},
		{"FromJSON large", large, FromJSON, false},
		{"FromJSONKeeping small", small, FromJSONKeeping, true},
		{"FromJSONKeeping large", large, FromJSONKeeping, false},
		{"FromJSONString large", large, func(b []byte) (*Node, error) { return FromJSONString(string(b)) }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := bytes.Clone(c.text)
			root, err := c.parse(text)
			if err != nil {
				t.Fatal(err)
			}
			if a := action(root); a != "s3:GetObject" {
				t.Fatalf("Action %q", a)
			}
			if strings.HasPrefix(c.name, "FromJSONString") {
				return // the string is a copy of text made by the test
			}
			if got := inside(action(root), text); got != c.shares {
				t.Fatalf("Action is a slice of the text: %v, want %v", got, c.shares)
			}
			if !c.shares {
				clear(text)
				if a := action(root); a != "s3:GetObject" {
					t.Fatalf("Action %q after the text was cleared", a)
				}
			}
		})
	}
	s := string(large)
	root, err := FromJSONString(s)
	if err != nil {
		t.Fatal(err)
	}
	if !inside(action(root), unsafe.Slice(unsafe.StringData(s), len(s))) {
		t.Fatal("FromJSONString copied the Action")
	}
}
