package tree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const cfnYAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BucketName:
    Type: String
    Default: sm-exports
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-supermetrics"
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::043417694514:role/supermetrics-s3-role
            Action: sts:AssumeRole
      Policies:
        - PolicyName: upload
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:PutObject]
                Resource: !Join ["", [!GetAtt Bucket.Arn, "/*"]]
              - Effect: Allow
                Action: s3:ListBucket
                Resource: !Sub
                  - arn:${AWS::Partition}:s3:::${B}
                  - B: !Ref BucketName
Outputs:
  Arn:
    Value: !GetAtt Role.Arn
    Export: {Name: !Join [":", [!Ref "AWS::StackName", role]]}
  Deep:
    Value: !GetAtt Db.Endpoint.Address
  Number: 0x1F
  Float: 1.5e3
  Inf: .inf
  Flag: True
  Nothing: ~
`

func TestFromYAMLTemplate(t *testing.T) {
	n, err := FromYAML([]byte(cfnYAML))
	if err != nil {
		t.Fatal(err)
	}
	role := n.Path("Resources", "Role", "Properties")
	if got := role.Get("RoleName"); got.Kind != Object || got.Members[0].Key != "Fn::Sub" || got.Members[0].Value.Text != "${AWS::StackName}-supermetrics" || got.Line != 10 {
		t.Errorf("RoleName = %+v", got)
	}
	trust := role.Get("AssumeRolePolicyDocument")
	if v := trust.Get("Version"); v.Kind != String || v.Text != "2012-10-17" {
		t.Errorf("Version = %+v, want the string 2012-10-17", v)
	}
	st := trust.Get("Statement").Items[0]
	if st.Line != 14 {
		t.Errorf("statement line %d, want 14", st.Line)
	}
	stmts := role.Get("Policies").Items[0].Path("PolicyDocument", "Statement").Items
	res := stmts[0].Get("Resource")
	join := res.Get("Fn::Join")
	if join == nil || join.Kind != Array || join.Items[0].Text != "" {
		t.Fatalf("Join = %+v", res)
	}
	ga := join.Items[1].Items[0].Get("Fn::GetAtt")
	if ga == nil || len(ga.Items) != 2 || ga.Items[0].Text != "Bucket" || ga.Items[1].Text != "Arn" || ga.Line != 24 {
		t.Errorf("GetAtt = %+v", ga)
	}
	sub := stmts[1].Get("Resource").Get("Fn::Sub")
	if sub == nil || sub.Kind != Array || sub.Items[1].Get("B").Get("Ref").Text != "BucketName" {
		t.Errorf("Sub list form = %+v", sub)
	}
	if got := sub.Items[0].Line; got != 28 {
		t.Errorf("Sub template line %d, want 28", got)
	}
	out := n.Get("Outputs")
	if ref := out.Path("Arn", "Export", "Name", "Fn::Join").Items[1].Items[0].Get("Ref"); ref.Text != "AWS::StackName" {
		t.Errorf("flow-style Ref = %+v", ref)
	}
	if ga := out.Path("Deep", "Value", "Fn::GetAtt"); ga.Items[0].Text != "Db" || ga.Items[1].Text != "Endpoint.Address" {
		t.Errorf("dotted GetAtt = %+v", ga)
	}
	scalars := []struct {
		key  string
		kind Kind
		text string
	}{
		{"Number", Number, "31"},
		{"Float", Number, "1500"},
		{"Inf", String, ".inf"},
		{"Flag", Bool, "true"},
		{"Nothing", Null, ""},
	}
	for _, s := range scalars {
		if v := out.Get(s.key); v.Kind != s.kind || v.Text != s.text {
			t.Errorf("%s = %v %q, want %v %q", s.key, v.Kind, v.Text, s.kind, s.text)
		}
	}
}

func TestFromYAMLDuplicatesAndAliases(t *testing.T) {
	src := "base: &b\n  Effect: Allow\n  Action: s3:PutObject\na: 1\na: 2\nuse: *b\nmerged:\n  <<: *b\n  Effect: Deny\n"
	n, err := FromYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !HasDuplicateKeys(n) || n.Get("a").Text != "1" || n.GetLast("a").Text != "2" {
		t.Errorf("duplicates not kept: %+v", n.Members)
	}
	if n.Members[2].KeyLine != 5 {
		t.Errorf("dup key line %d", n.Members[2].KeyLine)
	}
	if u := n.Get("use"); u.Get("Action").Text != "s3:PutObject" || u.Line != 1 {
		t.Errorf("alias = %+v", u)
	}
	m := n.Get("merged")
	if m.Get("Effect").Text != "Deny" || m.Get("Action").Text != "s3:PutObject" || len(m.Members) != 2 {
		t.Errorf("merge = %+v", m.Members)
	}
}

func TestFromYAMLErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
		line            int
	}{
		{"syntax", "a: 1\nb: [1, 2\nc: 3\n", "invalid YAML", 0},
		{"indent", "a:\n  b: 1\n c: 2\n", "invalid YAML", 2},
		{"empty", "# nothing\n", "empty", 1},
		{"blank", "  \n", "empty", 1},
		{"unknown tag", "a: !Foo bar\n", "unsupported YAML tag !Foo", 1},
		{"python", "a: !!python/object:os.system ls\n", "unsupported YAML tag", 1},
		{"python map", "a: !!python/object:x\n  b: 1\n", "unsupported YAML tag", 1},
		{"two docs", "a: 1\n---\nb: 2\n", "more than one YAML document", 2},
		{"unknown anchor", "a: *nope\n", "invalid YAML", 1},
		{"self alias", "a: &a\n  b: *a\n", "contains it", 2},
		{"complex key", "? [a, b]\n: 1\n", "mapping key", 1},
		{"nul", "a: 1\nb: \x00\n", "NUL", 2},
		{"deep", strings.Repeat("- ", 200) + "x\n", "nesting", 1},
		{"deep flow", strings.Repeat("[", 200) + strings.Repeat("]", 200), "nesting", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromYAML([]byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not *tree.Error", err)
			}
			if c.line > 0 && e.Line != c.line {
				t.Errorf("line = %d, want %d (%v)", e.Line, c.line, err)
			}
		})
	}
}

// billionLaughs builds the classic alias bomb: levels of 9 references each.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestFromYAMLBillionLaughs(t *testing.T) {
	start := time.Now()
	_, err := FromYAML([]byte(billionLaughs(9)))
	if err == nil || !strings.Contains(err.Error(), "alias") {
		t.Fatalf("err = %v, want an alias expansion error", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line == 0 {
		t.Errorf("error has no line: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	// The same shape within limits expands.
	lim := DefaultLimits
	n, err := FromYAMLLimits([]byte(billionLaughs(3)), lim)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(n.Get("l3").Items[8].Items[8].Items); got != 9 {
		t.Errorf("expanded %d", got)
	}
	lim.MaxNodes = 500
	if _, err := FromYAMLLimits([]byte(billionLaughs(3)), lim); err == nil {
		t.Error("limit not applied")
	}
}

func FuzzFromYAML(f *testing.F) {
	for _, s := range []string{cfnYAML, billionLaughs(4), "a: &a [*a]\n", "a: !GetAtt\n", "- !Ref\n- !Sub [x, {y: !Ref z}]\n", "<<: [*x]\n", "x: &x {a: 1}\n<<: [*x, *x]\n", "a: !!binary aGVsbG8=\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := FromYAMLLimits(data, Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxString: 1 << 12, MaxNodes: 20000})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *tree.Error: %v", err, err)
			}
			return
		}
		count := 0
		Walk(n, func(*Node) bool { count++; return true })
		if count > 20000*2 {
			t.Fatalf("%d nodes", count)
		}
	})
}
