package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/tree"
)

// TestDuplicateKeyProblems: every repeat of a key names the line of its
// first copy, in small objects (compared pairwise) and large ones (a map).
func TestDuplicateKeyProblems(t *testing.T) {
	for _, extra := range []int{0, 20} {
		src := "{\n\"a\": 1,\n\"b\": 2,\n"
		for i := 0; i < extra; i++ {
			src += fmt.Sprintf("\"k%d\": %d,\n", i, i)
		}
		src += "\"a\": 3,\n\"b\": {\"x\": 1,\n\"x\": 2},\n\"a\": 4\n}\n"
		n, err := tree.FromJSON([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range duplicateProblems(n) {
			got = append(got, fmt.Sprintf("%d:%s", p.Line, p.Message[:strings.Index(p.Message, ":")]))
		}
		a, b := 4+extra, 5+extra
		want := []string{
			fmt.Sprintf("%d:duplicate key \"a\" (first at line 2)", a),
			fmt.Sprintf("%d:duplicate key \"b\" (first at line 3)", b),
			fmt.Sprintf("%d:duplicate key \"a\" (first at line 2)", b+2),
			fmt.Sprintf("%d:duplicate key \"x\" (first at line %d)", b+1, b),
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d extra keys:\n got %q\nwant %q", extra, got, want)
		}
	}
}
