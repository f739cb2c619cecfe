package cloudformation

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// load reads a parsed template as a file of that name deployed at d.
func load(root *tree.Node, file string, d input.Deployment) *input.Input {
	b := input.NewBuilder(file, "", d)
	Load(root, b)
	return b.In
}

func loadFixture(t *testing.T, file string) *input.Input {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	parse := tree.FromYAML
	if strings.HasSuffix(file, ".json") {
		parse = tree.FromJSON
	}
	root, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	in := load(root, file, input.Deployment{})
	if len(in.Errors) > 0 {
		t.Fatalf("errors: %v", in.Errors)
	}
	return in
}

// vendorRole is the role the vendor assumes from (SPEC §1).
const vendorRole = "arn:aws:iam::043417694514:role/supermetrics-s3-role"

type stmtWant struct {
	line     int
	resource []string // known values, or "?reason" for an unknown one
}

func checkDoc(t *testing.T, d *policy.Document, kind policy.Kind, name string, stmts []stmtWant) {
	t.Helper()
	if d == nil {
		t.Fatalf("%s: no document", name)
	}
	if d.Kind != kind || d.Name != name || d.Unresolved != "" || len(d.Statements) != len(stmts) {
		t.Fatalf("doc %s %q unresolved=%q %d statements, want %s %q %d", d.Kind, d.Name, d.Unresolved, len(d.Statements), kind, name, len(stmts))
	}
	for i, w := range stmts {
		s := d.Statements[i]
		if s.Line != w.line {
			t.Errorf("%s statement %d line %d, want %d", name, i, s.Line, w.line)
		}
		if w.resource == nil {
			continue
		}
		var got []string
		for _, r := range s.Resource {
			if policy.IsUnknown(r) {
				r = "?" + policy.UnknownReason(r)
			}
			got = append(got, r)
		}
		if strings.Join(got, "|") != strings.Join(w.resource, "|") {
			t.Errorf("%s statement %d resource %q, want %q", name, i, got, w.resource)
		}
	}
}

func TestCloudFormationYAMLFixture(t *testing.T) {
	const file = "../testdata/cloudformation/supermetrics.yaml"
	in := loadFixture(t, file)
	if len(in.Principals) != 1 {
		t.Fatalf("principals: %d", len(in.Principals))
	}
	role := in.Principals[0]
	// The Rules section pins the account, so GetAtt Role.Arn resolves.
	if role.Type != "role" || role.Name != "supermetrics-upload" || role.Address != "SupermetricsRole" || role.Line != 90 ||
		role.ARN != "arn:aws:iam::111122223333:role/supermetrics-upload" || role.Account != "111122223333" || !role.Complete {
		t.Errorf("role = %+v", role)
	}
	checkDoc(t, role.Trust, policy.Trust, "SupermetricsRole", []stmtWant{{line: 96}})
	if p := role.Trust.Statements[0].Principal; p == nil || len(p.AWS) != 1 || p.AWS[0] != vendorRole {
		t.Errorf("trust principal %+v", p)
	}
	if len(role.Identity) != 2 {
		t.Fatalf("identity: %d", len(role.Identity))
	}
	checkDoc(t, role.Identity[0], policy.Identity, "SupermetricsRole policy kms-for-uploads",
		[]stmtWant{{109, []string{"?!GetAtt ExportKey.Arn is known after deployment"}}})
	checkDoc(t, role.Identity[1], policy.Identity, "UploadPolicy", []stmtWant{
		{120, []string{"arn:aws:s3:::acme-sm-exports/supermetrics/*"}}, // !Sub with parameter defaults
		{124, []string{"arn:aws:s3:::acme-sm-exports"}},                // !Join of !Ref Partition and !Ref Bucket
	})
	if role.Identity[1].ARN != "arn:aws:iam::111122223333:policy/supermetrics-s3-upload" {
		t.Errorf("managed policy ARN %q", role.Identity[1].ARN)
	}
	if len(role.MissingPolicies) != 1 || role.MissingPolicies[0] != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" || len(role.AttachedPolicies) != 2 {
		t.Errorf("missing %q attached %q", role.MissingPolicies, role.AttachedPolicies)
	}

	if len(in.Documents) != 1 {
		t.Fatalf("documents: %d", len(in.Documents))
	}
	checkDoc(t, in.Documents[0], policy.Bucket, "ExportBucketPolicy", []stmtWant{
		{70, []string{"arn:aws:s3:::acme-sm-exports", "arn:aws:s3:::acme-sm-exports/*"}},
		{80, []string{"arn:aws:s3:::acme-sm-exports/*"}},
	})
	if c := in.Documents[0].Statements[1].Condition; len(c) != 1 || !policy.IsUnknown(c[0].Values[0]) {
		t.Errorf("condition %+v", c)
	}

	if len(in.Buckets) != 1 || len(in.Keys) != 1 {
		t.Fatalf("buckets %d keys %d", len(in.Buckets), len(in.Keys))
	}
	b, k := in.Buckets[0], in.Keys[0]
	// !If UseKms is decided (AWS::Partition is aws); the key ARN is not
	// known, but the bucket's key and the key carry the same marker.
	if b.Name != "acme-sm-exports" || b.SSEAlgorithm != "aws:kms" || !b.BucketKeyEnabled || b.KMSMasterKeyID != k.ARN || !policy.IsUnknown(k.ARN) {
		t.Errorf("bucket %+v key %+v", b, k)
	}
	if k.Policy == nil || len(k.Policy.Statements) != 2 || k.Policy.Statements[1].Principal.AWS[0] != "arn:aws:iam::111122223333:role/supermetrics-upload" {
		t.Errorf("key policy %+v", k.Policy)
	}

	wantUnresolved := []input.Unresolved{
		{File: file, Line: 56, Address: "ExportBucket", What: "KMS key of bucket", Reason: "!GetAtt ExportKey.Arn is known after deployment"},
		{File: file, Line: 111, Address: "SupermetricsRole", What: "Resource of statement #1", Reason: "!GetAtt ExportKey.Arn is known after deployment"},
		{File: file, Line: 87, Address: "ExportBucketPolicy", What: "Condition of statement OnlyFromAlerts", Reason: "!Ref AlertTopicArn has no value"},
	}
	if len(in.Unresolved) != len(wantUnresolved) {
		t.Fatalf("unresolved %+v", in.Unresolved)
	}
	for i, w := range wantUnresolved {
		if in.Unresolved[i] != w {
			t.Errorf("unresolved[%d] = %+v, want %+v", i, in.Unresolved[i], w)
		}
	}
}

func TestCloudFormationCDKFixture(t *testing.T) {
	const file = "../testdata/cloudformation/cdk-stack.template.json"
	in := loadFixture(t, file)
	if len(in.Principals) != 1 {
		t.Fatalf("principals: %d", len(in.Principals))
	}
	role := in.Principals[0]
	if role.Address != "SupermetricsStack/SupermetricsRole/Resource" || !policy.IsUnknown(role.Name) || !policy.IsUnknown(role.ARN) {
		t.Errorf("role = %+v", role)
	}
	checkDoc(t, role.Trust, policy.Trust, "SupermetricsStack/SupermetricsRole/Resource", []stmtWant{{line: 28}})
	if p := role.Trust.Statements[0].Principal; p.AWS[0] != vendorRole {
		t.Errorf("Fn::Join principal %q", p.AWS)
	}
	if len(role.Identity) != 1 {
		t.Fatalf("identity %d", len(role.Identity))
	}
	checkDoc(t, role.Identity[0], policy.Identity, "SupermetricsStack/SupermetricsRole/DefaultPolicy/Resource", []stmtWant{
		{60, []string{"arn:aws:s3:::acme-sm-cdk-exports/*"}},
		{78, []string{"arn:aws:s3:::acme-sm-cdk-exports"}},
	})
	if len(in.Buckets) != 1 || in.Buckets[0].Name != "acme-sm-cdk-exports" || in.Buckets[0].SSEAlgorithm != "AES256" {
		t.Errorf("buckets %+v", in.Buckets)
	}
	if len(in.Unresolved) != 1 || in.Unresolved[0].What != "ARN of role" || in.Unresolved[0].Address != "SupermetricsStack/SupermetricsRole/Resource" {
		t.Errorf("unresolved %+v", in.Unresolved)
	}
}

func TestCloudFormationIntrinsics(t *testing.T) {
	tmpl := `
Parameters:
  Name: {Type: String, Default: uploads}
  Acct: {Type: String, Default: "222233334444"}
  Ids: {Type: CommaDelimitedList, Default: "a,b,c"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x/y}
  Free: {Type: String}
Mappings:
  Env: {prod: {Bucket: prod-exports}}
Conditions:
  IsProd: !Equals [!Ref Name, uploads]
  Unknowable: !Equals [!Ref Free, x]
  Both: !And [!Condition IsProd, !Not [!Equals [a, b]]]
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {RoleName: !Sub "${Name}-role", Path: /sm/}}
  Anon: {Type: AWS::S3::Bucket}
  Values:
    Type: Custom::Values
    Properties:
      V:
        - !Sub arn:aws:iam::${Acct}:role/${Role}
        - !Sub "${!Literal}-${AWS::Region}"
        - !Select [1, !Ref Ids]
        - !Select [0, !Split [",", "x,y"]]
        - !FindInMap [Env, prod, Bucket]
        - !If [Both, yes, no]
        - !If [Unknowable, yes, no]
        - !Ref Ssm
        - !ImportValue shared-bucket
        - !GetAtt Anon.Arn
        - !GetAtt Role.Arn
        - !Ref Missing
        - !Join ["", [a, !If [IsProd, !Ref "AWS::NoValue", b], c]]
        - !Base64 hi
        - !GetAZs ""
`
	root, err := tree.FromYAML([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	c := &cfnTemplate{b: input.NewBuilder("t.yaml", "", input.Deployment{}), file: "t.yaml", root: root, res: map[string]*tree.Node{}}
	for _, m := range root.Get("Resources").Members {
		c.ids = append(c.ids, m.Key)
		c.res[m.Key] = m.Value
	}
	got := c.resolve(root.Path("Resources", "Values", "Properties", "V"), 0)
	want := []string{
		"arn:aws:iam::222233334444:role/uploads-role",
		"?!Ref AWS::Region is the Region the stack is deployed to (set region)",
		"b",
		"x",
		"prod-exports",
		"yes",
		"?!If Unknowable depends on values known at deployment",
		"?!Ref Ssm is read from SSM Parameter Store at deployment",
		"?!ImportValue shared-bucket is another stack's export",
		"?!GetAtt Anon.Arn: BucketName is generated at deployment",
		"?!GetAtt Role.Arn: the account the stack is deployed to is not in the template",
		"?!Ref Missing names no parameter or resource",
		"ac",
		"aGk=",
		"?!GetAZs is not evaluated by smlint",
	}
	if len(got.Items) != len(want) {
		t.Fatalf("%d values", len(got.Items))
	}
	for i, w := range want {
		n := got.Items[i]
		s := n.Text
		if n.Kind == tree.Unknown {
			s = "?" + plainReason(s)
		} else if n.Kind != tree.String {
			s = n.Kind.String()
		}
		if s != w {
			t.Errorf("V[%d] = %q, want %q", i, s, w)
		}
		if n.Line != 21+i {
			t.Errorf("V[%d] line %d, want %d", i, n.Line, 21+i)
		}
	}
	// With the account pinned, GetAtt Role.Arn includes the path.
	c.account = "111122223333"
	if s, _ := c.getAtt("Role", "Arn", 1, 0).Str(); s != "arn:aws:iam::111122223333:role/sm/uploads-role" {
		t.Errorf("pinned Arn %q", s)
	}
}

func TestCloudFormationCycleAndAttachments(t *testing.T) {
	tmpl := `{"Resources":{
"A":{"Type":"AWS::IAM::Role","Properties":{"RoleName":{"Fn::Sub":"${B}"}}},
"B":{"Type":"AWS::IAM::Role","Properties":{"RoleName":{"Ref":"A"}}},
"P":{"Type":"AWS::IAM::Policy","Properties":{"PolicyName":"p","Roles":[{"Ref":"A"},"existing"],"PolicyDocument":{"Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}}}},
"U":{"Type":"AWS::IAM::User","Properties":{"UserName":"u","Groups":["g"],"PermissionsBoundary":"arn:aws:iam::111122223333:policy/b"}}}}`
	root, err := tree.FromJSON([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	if !Detect(root) {
		t.Fatal("not detected")
	}
	in := load(root, "t.json", input.Deployment{})
	if len(in.Principals) != 4 {
		t.Fatalf("principals %d", len(in.Principals))
	}
	a := in.Principals[0]
	if !policy.IsUnknown(a.Name) || !strings.Contains(policy.UnknownReason(a.Name), "deeper") || len(a.Identity) != 1 {
		t.Errorf("A = %+v", a)
	}
	u := in.Principals[2]
	if u.Type != "user" || u.BoundaryARN != "arn:aws:iam::111122223333:policy/b" || u.Boundary != nil || len(u.Groups) != 1 {
		t.Errorf("U = %+v", u)
	}
	ex := in.Principals[3]
	if ex.Name != "existing" || ex.Complete || len(ex.Identity) != 1 {
		t.Errorf("existing = %+v", ex)
	}
}

func TestCloudFormationExponentialNames(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Resources":{`)
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, `"R%d":{"Type":"AWS::IAM::Role","Properties":{"RoleName":{"Fn::Sub":"${R%d}${R%d}"}}},`, i, i+1, i+1)
	}
	b.WriteString(`"R30":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"x"}}}}`)
	root, err := tree.FromJSON([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	// 2^30 copies of "x" if substitutions were expanded naively. The bound
	// is on the work's result, not on time (no timing assertions in unit
	// tests; a hang is caught by go test -timeout): no resolved name may
	// grow past the loader's string limit.
	in := load(root, "t.json", input.Deployment{})
	if len(in.Principals) == 0 {
		t.Fatal("no role was loaded")
	}
	for _, p := range in.Principals {
		if len(p.Name) > 1<<20 || len(p.ARN) > 1<<20 {
			t.Errorf("%s: a name of %d bytes was built", p.Address, len(p.Name))
		}
	}
}

func TestDetect(t *testing.T) {
	for src, want := range map[string]bool{
		`{"Resources":{"R":{"Type":"AWS::S3::Bucket"}}}`:           true,
		`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}`: true,
		`{"Resources":["x"]}`:                   false,
		`{"Resources":{"R":{"Type":"bucket"}}}`: false,
		`{"Statement":[]}`:                      false,
	} {
		root, err := tree.FromJSON([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(root); got != want {
			t.Errorf("%s: %v", src, got)
		}
	}
}

func FuzzCloudFormation(f *testing.F) {
	for _, file := range []string{"../testdata/cloudformation/supermetrics.yaml", "../testdata/cloudformation/cdk-stack.template.json"} {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Resources:\n  A: {Type: AWS::IAM::Role, Properties: {RoleName: !Sub '${A.Arn}', ManagedPolicyArns: !If [C, [!Ref A], []], Policies: [!Ref X]}}\nConditions: {C: !Or [!Condition C]}\n"))
	f.Add([]byte(`{"Resources":{"K":{"Type":"AWS::KMS::Key"},"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketEncryption":{"Fn::If":["x",1,2]}}},"P":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"Users":[{"Fn::GetAtt":"B.Arn"}],"PolicyDocument":"{}"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := tree.Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxString: 1 << 12, MaxNodes: 20000}
		root, err := tree.FromJSONLimits(data, lim)
		if err != nil {
			if root, err = tree.FromYAMLLimits(data, lim); err != nil {
				return
			}
		}
		if !Detect(root) {
			return
		}
		load(root, "t", input.Deployment{})
	})
}

func loadCFNWith(t *testing.T, src string, d input.Deployment) *input.Input {
	t.Helper()
	root, err := tree.FromYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	in := load(root, "t.yaml", d)
	return in
}

// Conditions (AWSCloudFormation/latest/UserGuide/conditions-section-structure.html):
// a resource whose Condition is false is not created; one whose condition
// depends on a value known only at deployment may or may not be.
func TestCloudFormationResourceConditions(t *testing.T) {
	tmpl := func(param, cond string) string {
		return `
Parameters:
  Freeze:
    Type: String
` + param + `
Conditions:
  IsFrozen: ` + cond + `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
  Deny:
    Type: AWS::IAM::Policy
    Condition: IsFrozen
    Properties:
      PolicyName: d
      Roles: [!Ref Role]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: s3:PutObject
            Resource: "*"
            Condition:
              Bool: {aws:SecureTransport: "true"}
`
	}
	cases := []struct {
		name, param, cond string
		deploy            input.Deployment
		want              int // 0 not created, 1 created, -1 maybe
	}{
		{"false on the default", `    Default: "no"`, `!Equals [!Ref Freeze, "yes"]`, input.Deployment{}, 0},
		{"true on the default", `    Default: "yes"`, `!Equals [!Ref Freeze, "yes"]`, input.Deployment{}, 1},
		{"Not / And / Or / Condition", `    Default: "no"`, `!Or [!Not [!Equals [!Ref Freeze, "no"]], !And [!Equals [a, a], !Equals [!Ref "AWS::Region", eu-west-1]]]`, input.Deployment{Region: "eu-west-1"}, 1},
		{"region from the setup decides", `    Default: "no"`, `!Equals [!Ref "AWS::Region", eu-west-1]`, input.Deployment{Region: "us-east-1"}, 0},
		{"unknown region", `    Default: "no"`, `!Equals [!Ref "AWS::Region", eu-west-1]`, input.Deployment{}, -1},
		{"parameter without default", ``, `!Equals [!Ref Freeze, "yes"]`, input.Deployment{}, -1},
		{"account from the setup", ``, `!Equals [!Ref "AWS::AccountId", "111122223333"]`, input.Deployment{AccountID: "111122223333"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := loadCFNWith(t, tmpl(c.param, c.cond), c.deploy)
			if len(in.Principals) != 1 {
				t.Fatalf("principals %d", len(in.Principals))
			}
			docs := in.Principals[0].Identity
			switch c.want {
			case 0:
				if len(docs) != 0 || len(in.Skipped) != 1 || !strings.Contains(in.Skipped[0].Message, "Condition IsFrozen is false") {
					t.Errorf("docs %d skipped %+v", len(docs), in.Skipped)
				}
			case 1:
				if len(docs) != 1 || len(docs[0].Statements[0].Condition) != 1 {
					t.Errorf("docs %+v", docs)
				}
			case -1:
				if len(docs) != 1 {
					t.Fatalf("docs %d", len(docs))
				}
				conds := docs[0].Statements[0].Condition
				if len(conds) != 2 || !policy.IsUnknown(conds[1].Key) || !strings.Contains(policy.UnknownReason(conds[1].Key), "exists only if condition IsFrozen holds") {
					t.Errorf("conditions %+v", conds)
				}
				n := 0
				for _, u := range in.Unresolved {
					if strings.Contains(u.Reason, "exists only if") {
						n++
					}
				}
				if n != 1 {
					t.Errorf("unresolved %+v", in.Unresolved)
				}
			}
		})
	}
}

func TestCloudFormationUndefinedResourceCondition(t *testing.T) {
	in := loadCFNWith(t, `
Resources:
  Role:
    Type: AWS::IAM::Role
    Condition: Missing
    Properties:
      RoleName: r
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::043417694514:role/supermetrics-s3-role"}, Action: sts:AssumeRole}]
`, input.Deployment{})
	if len(in.Errors) != 1 || in.Errors[0].Line != 5 {
		t.Errorf("errors %+v", in.Errors)
	}
	if len(in.Principals) != 1 || in.Principals[0].Trust == nil || !policy.IsUnknown(in.Principals[0].Trust.Statements[0].Condition[0].Key) {
		t.Errorf("the role may or may not exist: %+v", in.Principals)
	}
}

// Pseudo parameters (AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html)
// take the account and Region of the setup; the partition follows the Region.
func TestCloudFormationPseudoParameters(t *testing.T) {
	src := `
Conditions:
  Unknowable: !Equals [!Ref Missing, x]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x"}
            Action: sts:AssumeRole
            Resource: !Sub "${AWS::Region}|${AWS::URLSuffix}"
          - Effect: Allow
            Action: sts:AssumeRole
            Resource: !If [Unknowable, same, same]
`
	for _, c := range []struct {
		d                        input.Deployment
		principal, resource, arn string
	}{
		{input.Deployment{AccountID: "111122223333", Region: "eu-west-1"}, "arn:aws:iam::111122223333:role/x", "eu-west-1|amazonaws.com", "arn:aws:iam::111122223333:role/r"},
		{input.Deployment{AccountID: "111122223333", Region: "cn-north-1"}, "arn:aws-cn:iam::111122223333:role/x", "cn-north-1|amazonaws.com.cn", "arn:aws-cn:iam::111122223333:role/r"},
		{input.Deployment{AccountID: "111122223333", Region: "us-gov-west-1"}, "arn:aws-us-gov:iam::111122223333:role/x", "us-gov-west-1|amazonaws.com", "arn:aws-us-gov:iam::111122223333:role/r"},
		{input.Deployment{AccountID: "not-an-account"}, "?", "?", "?"},
	} {
		in := loadCFNWith(t, src, c.d)
		pr := in.Principals[0]
		st := pr.Trust.Statements
		got := []string{st[0].Principal.AWS[0], st[0].Resource[0], pr.ARN}
		for i, want := range []string{c.principal, c.resource, c.arn} {
			if want == "?" && !policy.IsUnknown(got[i]) || want != "?" && got[i] != want {
				t.Errorf("%+v: value %d = %q, want %q", c.d, i, got[i], want)
			}
		}
		if st[1].Resource[0] != "same" {
			t.Errorf("!If with equal branches = %q", st[1].Resource[0])
		}
	}
}

// !GetAtt and !Ref of a template resource are symbolic values; a string
// built from one (!Sub "${K.Arn}/x") is not the value itself.
func TestCloudFormationSymbolicReferences(t *testing.T) {
	in := loadCFNWith(t, `
Resources:
  K:
    Type: AWS::KMS::Key
  L:
    Type: AWS::KMS::Key
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !GetAtt K.Arn}
  C:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: c
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !Ref K}
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: [!GetAtt K.Arn, !GetAtt L.Arn, !Sub "${K.Arn}", !Join ["", [!GetAtt K.Arn]], !Select [0, [!GetAtt K.Arn]]]
`, input.Deployment{})
	if len(in.Keys) != 2 || len(in.Buckets) != 2 {
		t.Fatalf("keys %d buckets %d", len(in.Keys), len(in.Buckets))
	}
	k, l, b := in.Keys[0].ARN, in.Keys[1].ARN, in.Buckets[0].KMSMasterKeyID
	res := in.Principals[0].Identity[0].Statements[0].Resource
	eq := func(x, y string) string {
		same, ok := policy.SameSymbol(x, y)
		switch {
		case !ok:
			return "?"
		case same:
			return "="
		}
		return "!="
	}
	for i, c := range []struct{ x, y, want string }{
		{k, b, "="}, {k, res[0], "="}, {l, res[1], "="}, {k, l, "!="}, {b, res[1], "!="},
		{k, res[2], "?"}, {k, res[3], "?"}, {k, res[4], "="},
		{k, in.Buckets[1].KMSMasterKeyID, "="}, // !Ref K (key id) is recorded as K's ARN
	} {
		if got := eq(c.x, c.y); got != c.want {
			t.Errorf("#%d: %q vs %q: %s, want %s", i, c.x, c.y, got, c.want)
		}
	}
	for _, u := range in.Unresolved {
		if strings.ContainsAny(u.Reason, "\uFFFE\uFFFF") {
			t.Errorf("reason shows the identity: %q", u.Reason)
		}
	}
}
