package tree

import (
	"strings"
	"testing"
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
