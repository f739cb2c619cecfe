package input

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// TestParseAhead: documents parsed ahead come out of ParseDoc exactly as
// parsed in order (problems, errors and all), each once: a second
// ParseDoc of the same node parses it again. A null document is still
// ParseDoc's error, and documents not listed are parsed as before.
func TestParseAhead(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	var src strings.Builder
	src.WriteString("[")
	const docs = 3 * aheadPerWorker
	nulls := 0
	for i := 0; i < docs; i++ {
		switch i % 50 {
		case 7:
			src.WriteString("null,")
			nulls++
		case 8:
			src.WriteString("\"not a policy\",")
		default:
			fmt.Fprintf(&src, `{"Version": "2012-10-17", "Statement": [{"Sid": "S-%d", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/%d/*"}]},`+"\n", i, i)
		}
	}
	src.WriteString(`{"Statement": []}]`)
	root, err := tree.FromJSON([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	load := func(ahead bool) (*Builder, []*policy.Document) {
		b := NewBuilder("export.json", "", Deployment{})
		if ahead {
			var list []DocNode
			for _, n := range root.Items[:docs] { // the last one is not listed
				list = append(list, DocNode{Node: n, Kind: policy.Identity})
			}
			b.ParseAhead(list)
			if len(b.ahead) != docs-nulls {
				t.Fatalf("%d documents parsed ahead, want every listed one but the null ones", len(b.ahead))
			}
		}
		var out []*policy.Document
		for i, n := range root.Items {
			out = append(out, b.ParseDoc(n, policy.Identity, fmt.Sprintf("policy %d", i)))
		}
		return b, out
	}
	b1, inOrder := load(false)
	b2, ahead := load(true)
	if !reflect.DeepEqual(inOrder, ahead) || !reflect.DeepEqual(b1.In, b2.In) {
		t.Fatal("documents or errors parsed ahead differ from those parsed in order")
	}
	if len(b2.In.Errors) != 2*nulls {
		t.Errorf("errors %v", b2.In.Errors)
	}
	if len(b2.ahead) != 0 {
		t.Errorf("%d documents parsed ahead were not taken", len(b2.ahead))
	}
	if again := b2.ParseDoc(root.Items[0], policy.Identity, "policy 0"); again == ahead[0] || !reflect.DeepEqual(again, ahead[0]) {
		t.Error("a second ParseDoc of a node did not parse it again")
	}
}
