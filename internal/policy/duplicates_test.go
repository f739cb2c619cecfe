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
			if !p.DuplicateKey {
				t.Errorf("line %d: DuplicateKey false on a repeated key", p.Line)
			}
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

// TestReadingsOfRepeatedKeys: an object without repeated keys is read as
// it is; with them, the first reading keeps the first copy and the
// Alternate the last, in objects small (keys compared pairwise) and large
// (a map).
func TestReadingsOfRepeatedKeys(t *testing.T) {
	for _, extra := range []int{0, 20} {
		var ms []tree.Member
		for i := 0; i < extra; i++ {
			ms = append(ms, tree.Member{Key: fmt.Sprintf("k%d", i)})
		}
		if repeatsKey(append(ms, tree.Member{Key: "a"}, tree.Member{Key: "b"})) {
			t.Errorf("%d extra keys: repeat found where there is none", extra)
		}
		if !repeatsKey(append(ms, tree.Member{Key: "a"}, tree.Member{Key: "b"}, tree.Member{Key: "a"})) {
			t.Errorf("%d extra keys: repeat not found", extra)
		}
		var cond strings.Builder
		for i := 0; i < extra; i++ {
			fmt.Fprintf(&cond, `"StringEquals%d": {"aws:k%d": "v"}, `, i, i)
		}
		src := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
			"Condition": {` + cond.String() + `"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}]}`
		n, err := tree.FromJSON([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		d, err := FromNode(n, Identity, "p.json")
		if err != nil || d.Alternate == nil {
			t.Fatalf("%d extra keys: %v, alternate %v", extra, err, d.Alternate)
		}
		ip := func(d *Document) string {
			for _, c := range d.Statements[0].Condition {
				if c.Operator == "IpAddress" {
					return strings.Join(c.Values, ",")
				}
			}
			return ""
		}
		if ip(d) != "192.0.2.0/24" || ip(d.Alternate) != "198.51.100.0/24" || len(d.Statements[0].Condition) != extra+1 {
			t.Errorf("%d extra keys: first reading %q, alternate %q, %d conditions", extra, ip(d), ip(d.Alternate), len(d.Statements[0].Condition))
		}
	}
}

// TestOnlyRepeatedKeysAreDuplicateKeyProblems: a repeated Sid, even one
// named "duplicate key", is another problem (policy-invalid reads
// DuplicateKey, never the message).
func TestOnlyRepeatedKeysAreDuplicateKeyProblems(t *testing.T) {
	d := mustDoc(t, `{"Version":"2012-10-17","Statement":[
{"Sid":"duplicate key","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
{"Sid":"duplicate key","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`, "")
	if len(d.Problems) == 0 {
		t.Fatal("no problem for the repeated Sid")
	}
	for _, p := range d.Problems {
		if p.DuplicateKey {
			t.Errorf("%q: DuplicateKey true, want false", p.Message)
		}
	}
}
