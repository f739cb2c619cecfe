package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/tree"
)

func TestStatementLimit(t *testing.T) {
	doc := func(n int) string {
		return "{\"Version\":\"2012-10-17\",\n\"Statement\":[" + strings.TrimSuffix(strings.Repeat(`{"Effect":"Deny","Action":"*","Resource":"*"},`, n), ",") + "]}"
	}
	root, err := tree.FromJSON([]byte(doc(MaxStatements)))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := FromNode(root, Identity, "ok.json"); err != nil || len(d.Statements) != MaxStatements {
		t.Fatalf("at the limit: %v", err)
	}
	root, err = tree.FromJSON([]byte(doc(MaxStatements + 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = FromNode(root, Identity, "big.json")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || pe.File != "big.json" || !strings.Contains(pe.Msg, "statements, over the limit") {
		t.Fatalf("over the limit: %v", err)
	}
	// The same document held in a string is refused at the string's line.
	_, err = FromText(doc(MaxStatements+1), Identity, "cli.json", 7)
	if !errors.As(err, &pe) || pe.Line != 7 {
		t.Fatalf("embedded: %v", err)
	}
}

func TestIPConditionValues(t *testing.T) {
	src := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*",
"Condition":{"NotIpAddressIfExists":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32","198.51.100.7","10.0.0.300/33"]},
"ForAnyValue:IpAddress":{"aws:VpcSourceIp":"fe80::1%eth0"},
"StringEquals":{"aws:SourceIp":"not checked here"}}}]}`
	root, err := tree.FromJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromNode(root, Identity, "p.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Problems {
		if !p.Rejected {
			t.Errorf("not rejected: %+v", p)
		}
		got = append(got, p.Message)
	}
	if len(got) != 2 || !strings.Contains(got[0], `"10.0.0.300/33"`) || !strings.Contains(got[1], `"fe80::1%eth0"`) || d.Problems[0].Line != 2 || d.Problems[1].Line != 3 {
		t.Errorf("problems %q %+v", got, d.Problems)
	}
}
