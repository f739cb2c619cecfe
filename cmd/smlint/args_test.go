package main

import (
	"io"
	"reflect"
	"testing"
)

// Flags after positional arguments work, as in tflint or trivy; without a
// command, check is meant.
func TestFlagsFirst(t *testing.T) {
	app := newApp(io.Discard, io.Discard, func(string) string { return "" })
	cases := []struct{ in, want []string }{
		{[]string{"smlint", "check", "a.json", "-q", "--bucket", "b", "c.json"},
			[]string{"smlint", "check", "-q", "--bucket", "b", "a.json", "c.json"}},
		{[]string{"smlint", "a.json", "--format=json"},
			[]string{"smlint", "check", "--format=json", "a.json"}},
		{[]string{"smlint", "check", "--", "-odd-name.json"},
			[]string{"smlint", "check", "--", "-odd-name.json"}},
		{[]string{"smlint", "--version"}, []string{"smlint", "--version"}},
		{[]string{"smlint", "explain", "putobject-missing"}, []string{"smlint", "explain", "putobject-missing"}},
	}
	for _, c := range cases {
		if got := flagsFirst(app, c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("flagsFirst(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
