package cloudformation

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// CloudFormation and CDK-synthesised templates, JSON or YAML (YAML short
// forms arrive as their long form: tree.FromYAML). Intrinsic functions are
// evaluated where the template alone decides the value
// (AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html);
// anything that depends on the deployment (a parameter without a Default, a
// generated physical name, another stack's export, the account id unless the
// template pins it) becomes a tree.Unknown value, so that it can never make
// a setup look ready.

// Template is the format of CloudFormation and CDK-synthesised templates.
var Template = input.NewFormat("cloudformation", Detect, Load)

// Detect reports whether root is a CloudFormation template: a
// Resources object whose entries carry a Type such as AWS::IAM::Role.
func Detect(root *tree.Node) bool {
	if root == nil || root.Kind != tree.Object {
		return false
	}
	res := root.Get("Resources")
	if res == nil || res.Kind != tree.Object {
		return false
	}
	if root.Get("AWSTemplateFormatVersion") != nil {
		return true
	}
	for _, m := range res.Members {
		if t, ok := m.Value.Get("Type").Str(); ok && strings.Contains(t, "::") {
			return true
		}
	}
	return false
}

// Load adds the IAM roles and users, bucket policies, buckets and KMS keys
// of a template to b. Documents are named by the resource's aws:cdk:path
// metadata when present, else by its logical id.
func Load(root *tree.Node, b *input.Builder) {
	c := &cfnTemplate{b: b, file: b.File, root: root, res: map[string]*tree.Node{}}
	for _, m := range root.Get("Resources").Members {
		if m.Value.Kind == tree.Object {
			c.ids = append(c.ids, m.Key)
			c.res[m.Key] = m.Value
		}
	}
	c.account = pinnedAccount(root)
	if c.account == "" && accountRE.MatchString(b.Deployment.AccountID) {
		c.account = b.Deployment.AccountID
	}
	c.region = b.Deployment.Region
	c.load()
}

// partitionOf is the partition of a Region: aws-cn for the China Regions,
// aws-us-gov for AWS GovCloud (US), aws otherwise.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

type cfnTemplate struct {
	b       *input.Builder
	file    string
	root    *tree.Node
	ids     []string // logical ids in template order
	res     map[string]*tree.Node
	account string                // 12 digits when the template pins AWS::AccountId, or the setup gives it
	region  string                // AWS::Region from the setup; "" when not known
	names   map[string]*tree.Node // resolved name property by logical id
	// maybe holds the resources whose Condition depends on values known
	// only at deployment, with the reason: they may or may not be created.
	maybe map[string]string
	steps int // resolve calls so far, bounded by maxResolveSteps
}

var accountRE = regexp.MustCompile(`^[0-9]{12}$`)

// pinnedAccount returns the account a template pins with a Rules assertion
// `Fn::Equals [Ref AWS::AccountId, "123456789012"]`: a stack made from it
// cannot be deployed anywhere else.
func pinnedAccount(root *tree.Node) string {
	found := ""
	rules := root.Get("Rules")
	if rules == nil {
		return ""
	}
	for _, rule := range rules.Members {
		if rule.Value.Get("RuleCondition") != nil {
			continue // applies only sometimes
		}
		for _, a := range input.Items(rule.Value.Get("Assertions")) {
			eq := input.Items(a.Get("Assert").Get("Fn::Equals"))
			if len(eq) != 2 {
				continue
			}
			for i := 0; i < 2; i++ {
				if ref, _ := eq[i].Get("Ref").Str(); ref == "AWS::AccountId" {
					if s, ok := eq[1-i].Str(); ok && accountRE.MatchString(s) {
						found = s
					}
				}
			}
		}
	}
	return found
}

// label names a resource for people: its CDK construct path, else its
// logical id.
func (c *cfnTemplate) label(id string) string {
	if p, ok := c.res[id].Path("Metadata", "aws:cdk:path").Str(); ok && p != "" {
		return p
	}
	return id
}

func (c *cfnTemplate) typeOf(id string) string {
	t, _ := c.res[id].Get("Type").Str()
	return t
}

func (c *cfnTemplate) prop(id, name string) *tree.Node {
	return c.res[id].Path("Properties", name)
}

// noValue stands for AWS::NoValue: the member or element is removed.
var noValue = &tree.Node{Kind: tree.Null}

const (
	maxResolveDepth = 32
	maxResolveSteps = 1_000_000
	// maxValueLen bounds a string built by !Sub or !Join: a whole policy
	// document is at most 20,480 characters (IAM and STS quotas), far less.
	maxValueLen = 1 << 16
)

func unknown(line int, format string, args ...any) *tree.Node {
	return tree.NewUnknown(fmt.Sprintf(format, args...), line)
}

// resolve evaluates the intrinsic functions in n. The result shares no
// structure with the template that the caller could mutate by accident, but
// keeps the template's lines.
func (c *cfnTemplate) resolve(n *tree.Node, depth int) *tree.Node {
	if n == nil {
		return nil
	}
	if depth > maxResolveDepth {
		return unknown(n.Line, "references nest deeper than %d levels (a cycle?)", maxResolveDepth)
	}
	// Names that refer to names twice over (${B}${B}, B = ${C}${C}, ...)
	// grow exponentially with depth: bound the total work per template.
	c.steps++
	if c.steps > maxResolveSteps {
		return unknown(n.Line, "the template needs more than %d evaluation steps; not evaluated further", maxResolveSteps)
	}
	switch n.Kind {
	case tree.Object:
		if len(n.Members) == 1 {
			k := n.Members[0].Key
			if k == "Ref" || strings.HasPrefix(k, "Fn::") {
				r := c.intrinsic(k, n.Members[0].Value, n.Line, depth+1)
				if r != noValue && r.Line != n.Line && r.Kind != tree.Object && r.Kind != tree.Array {
					// A value from a parameter default or a mapping is
					// reported where it is used.
					r = &tree.Node{Kind: r.Kind, Text: r.Text, Line: n.Line}
				}
				return r
			}
		}
		out := &tree.Node{Kind: tree.Object, Line: n.Line}
		for _, m := range n.Members {
			v := c.resolve(m.Value, depth+1)
			if v == noValue {
				continue
			}
			out.Members = append(out.Members, tree.Member{Key: m.Key, KeyLine: m.KeyLine, Value: v})
		}
		return out
	case tree.Array:
		out := &tree.Node{Kind: tree.Array, Line: n.Line}
		for _, it := range n.Items {
			v := c.resolve(it, depth+1)
			if v == noValue {
				continue
			}
			out.Items = append(out.Items, v)
		}
		return out
	}
	return n
}

func (c *cfnTemplate) intrinsic(fn string, arg *tree.Node, line, depth int) *tree.Node {
	short := "!" + strings.TrimPrefix(fn, "Fn::")
	switch fn {
	case "Ref":
		name, ok := c.resolve(arg, depth).Str()
		if !ok {
			return unknown(line, "!Ref needs a name")
		}
		return c.ref(name, line, depth)
	case "Fn::GetAtt":
		var parts []string
		a := c.resolve(arg, depth)
		switch a.Kind {
		case tree.String:
			r, at, _ := strings.Cut(a.Text, ".")
			parts = []string{r, at}
		case tree.Array:
			for _, it := range a.Items {
				s, ok := it.Str()
				if !ok {
					return unknown(line, "!GetAtt with a computed name")
				}
				parts = append(parts, s)
			}
		}
		if len(parts) != 2 {
			return unknown(line, "!GetAtt needs a resource and an attribute")
		}
		return c.getAtt(parts[0], parts[1], line, depth)
	case "Fn::Sub":
		return c.sub(arg, line, depth)
	case "Fn::Join":
		a := input.Items(arg)
		if len(a) != 2 {
			return unknown(line, "!Join needs a delimiter and a list")
		}
		delim, ok := c.resolve(a[0], depth).Str()
		if !ok {
			return unknown(line, "!Join with a computed delimiter")
		}
		list := c.resolve(a[1], depth)
		if list.Kind == tree.Unknown {
			return tree.NewUnknown(plainReason(list.Text), line)
		}
		var parts []string
		for _, it := range input.Items(list) {
			switch it.Kind {
			case tree.Unknown:
				return tree.NewUnknown(plainReason(it.Text), line)
			case tree.String, tree.Number, tree.Bool:
				parts = append(parts, it.Text)
			default:
				return unknown(line, "!Join of a %s", it.Kind)
			}
		}
		if list.Kind != tree.Array {
			return unknown(line, "!Join needs a list")
		}
		if s := strings.Join(parts, delim); len(s) <= maxValueLen {
			return tree.NewString(s, line)
		}
		return unknown(line, "!Join builds a value longer than %d characters", maxValueLen)
	case "Fn::Select":
		a := input.Items(arg)
		if len(a) != 2 {
			return unknown(line, "!Select needs an index and a list")
		}
		idx := c.resolve(a[0], depth)
		list := c.resolve(a[1], depth)
		if idx.Kind == tree.Unknown {
			return tree.NewUnknown(plainReason(idx.Text), line)
		}
		if list.Kind == tree.Unknown {
			return tree.NewUnknown(plainReason(list.Text), line)
		}
		i, err := strconv.Atoi(idx.Text)
		if err != nil || list.Kind != tree.Array || i < 0 || i >= len(list.Items) {
			return unknown(line, "!Select index %s out of range", idx.Text)
		}
		return list.Items[i]
	case "Fn::Split":
		a := input.Items(arg)
		if len(a) != 2 {
			return unknown(line, "!Split needs a delimiter and a string")
		}
		delim, ok1 := c.resolve(a[0], depth).Str()
		s := c.resolve(a[1], depth)
		if s.Kind == tree.Unknown {
			return tree.NewUnknown(plainReason(s.Text), line)
		}
		if !ok1 || delim == "" || s.Kind != tree.String {
			return unknown(line, "!Split of a computed value")
		}
		out := &tree.Node{Kind: tree.Array, Line: line}
		for _, p := range strings.Split(s.Text, delim) {
			out.Items = append(out.Items, tree.NewString(p, line))
		}
		return out
	case "Fn::If":
		a := input.Items(arg)
		if len(a) != 3 {
			return unknown(line, "!If needs a condition and two values")
		}
		name, _ := a[0].Str()
		switch c.condition(name, depth) {
		case 1:
			return c.resolve(a[1], depth)
		case 0:
			return c.resolve(a[2], depth)
		}
		// Both branches are possible: when they agree, that is the value.
		if x, y := c.resolve(a[1], depth), c.resolve(a[2], depth); sameTree(x, y) {
			return x
		}
		return unknown(line, "!If %s depends on values known at deployment", name)
	case "Fn::FindInMap":
		a := input.Items(arg)
		if len(a) < 3 {
			return unknown(line, "!FindInMap needs a map and two keys")
		}
		keys := make([]string, 3)
		for i := range keys {
			k := c.resolve(a[i], depth)
			if k.Kind == tree.Unknown {
				return tree.NewUnknown("!FindInMap key: "+plainReason(k.Text), line)
			}
			keys[i] = k.Text
		}
		v := c.root.Path("Mappings", keys[0], keys[1], keys[2])
		if v == nil {
			return unknown(line, "!FindInMap %s has no %s/%s", keys[0], keys[1], keys[2])
		}
		return c.resolve(v, depth)
	case "Fn::Base64":
		s := c.resolve(arg, depth)
		if s.Kind != tree.String {
			return unknown(line, "!Base64 of a computed value")
		}
		return tree.NewString(base64.StdEncoding.EncodeToString([]byte(s.Text)), line)
	case "Fn::ImportValue":
		name := c.resolve(arg, depth)
		if s, ok := name.Str(); ok {
			return unknown(line, "!ImportValue %s is another stack's export", s)
		}
		return unknown(line, "!ImportValue of another stack's export")
	}
	return unknown(line, "%s is not evaluated by smlint", short)
}

func (c *cfnTemplate) partition() string { return partitionOf(c.region) }

// condition evaluates a named condition: 1 true, 0 false, -1 unknown.
func (c *cfnTemplate) condition(name string, depth int) int {
	def := c.root.Path("Conditions", name)
	if def == nil || depth > maxResolveDepth {
		return -1
	}
	return c.condExpr(def, depth+1)
}

func (c *cfnTemplate) condExpr(n *tree.Node, depth int) int {
	if n == nil || n.Kind != tree.Object || len(n.Members) != 1 || depth > maxResolveDepth {
		return -1
	}
	arg := n.Members[0].Value
	switch n.Members[0].Key {
	case "Condition":
		s, _ := arg.Str()
		return c.condition(s, depth)
	case "Fn::Equals":
		a := input.Items(arg)
		if len(a) != 2 {
			return -1
		}
		x, y := c.resolve(a[0], depth), c.resolve(a[1], depth)
		if x.Kind == tree.Unknown || y.Kind == tree.Unknown || x.Kind == tree.Object || x.Kind == tree.Array || y.Kind == tree.Object || y.Kind == tree.Array {
			return -1
		}
		if x.Text == y.Text {
			return 1
		}
		return 0
	case "Fn::Not":
		a := input.Items(arg)
		if len(a) != 1 {
			return -1
		}
		if v := c.condExpr(a[0], depth+1); v >= 0 {
			return 1 - v
		}
		return -1
	case "Fn::And", "Fn::Or":
		and := n.Members[0].Key == "Fn::And"
		res := 1
		if !and {
			res = 0
		}
		for _, it := range input.Items(arg) {
			switch v := c.condExpr(it, depth+1); {
			case v < 0:
				res = -1
			case and && v == 0, !and && v == 1:
				return v
			}
		}
		return res
	}
	return -1
}

// ref evaluates Ref: a pseudo parameter, a template parameter (its Default),
// or a resource (its physical id, when the template names it).
func (c *cfnTemplate) ref(name string, line, depth int) *tree.Node {
	switch name {
	case "AWS::Partition":
		// The partition of the configured Region; without one, aws: the
		// vendor works in the aws partition only (SPEC §1).
		return tree.NewString(c.partition(), line)
	case "AWS::URLSuffix":
		if c.partition() == "aws-cn" {
			return tree.NewString("amazonaws.com.cn", line)
		}
		return tree.NewString("amazonaws.com", line)
	case "AWS::AccountId":
		if c.account != "" {
			return tree.NewString(c.account, line)
		}
		return unknown(line, "!Ref AWS::AccountId is the account the stack is deployed to (set account_id or role_arn)")
	case "AWS::Region":
		if c.region != "" {
			return tree.NewString(c.region, line)
		}
		return unknown(line, "!Ref AWS::Region is the Region the stack is deployed to (set region)")
	case "AWS::NoValue":
		return noValue
	}
	if strings.HasPrefix(name, "AWS::") {
		return unknown(line, "!Ref %s is known at deployment", name)
	}
	if p := c.root.Path("Parameters", name); p != nil {
		typ, _ := p.Get("Type").Str()
		def := p.Get("Default")
		switch {
		case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value"):
			return unknown(line, "!Ref %s is read from SSM Parameter Store at deployment", name)
		case def == nil:
			return c.symbol(unknown(line, "!Ref %s has no value", name), "cfn-param:"+name)
		}
		v := c.resolve(def, depth)
		if s, ok := v.Str(); ok && (strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList") {
			out := &tree.Node{Kind: tree.Array, Line: line}
			for _, part := range strings.Split(s, ",") {
				out.Items = append(out.Items, tree.NewString(strings.TrimSpace(part), line))
			}
			return out
		}
		if v.Kind == tree.Number || v.Kind == tree.Bool {
			return tree.NewString(v.Text, line)
		}
		return v
	}
	if c.res[name] == nil {
		return unknown(line, "!Ref %s names no parameter or resource", name)
	}
	var prop string
	switch c.typeOf(name) {
	case "AWS::IAM::Role":
		prop = "RoleName"
	case "AWS::IAM::User":
		prop = "UserName"
	case "AWS::S3::Bucket":
		prop = "BucketName"
	case "AWS::IAM::ManagedPolicy":
		return c.getAtt(name, "PolicyArn", line, depth)
	case "AWS::KMS::Key":
		return c.symbol(unknown(line, "!Ref %s (key id) is known after deployment", name), "cfn-ref:"+name)
	default:
		return c.symbol(unknown(line, "!Ref %s is known after deployment", name), "cfn-ref:"+name)
	}
	// A resource's name is the same wherever it is referred to: resolve it
	// once (names built from names twice over would otherwise cost
	// exponential work).
	if m, ok := c.names[name]; ok {
		return &tree.Node{Kind: m.Kind, Text: m.Text, Line: line}
	}
	if v := c.prop(name, prop); v != nil {
		r := c.resolve(v, depth)
		if r.Kind == tree.String || r.Kind == tree.Unknown {
			if c.names == nil {
				c.names = map[string]*tree.Node{}
			}
			c.names[name] = r
			return &tree.Node{Kind: r.Kind, Text: r.Text, Line: line}
		}
	}
	return c.symbol(unknown(line, "!Ref %s: %s is generated at deployment", name, prop), "cfn-ref:"+name)
}

// symbol gives an unknown value the identity id within this template.
func (c *cfnTemplate) symbol(u *tree.Node, id string) *tree.Node {
	return tree.NewUnknown(policy.SymbolicReason(u.Text, id+"@"+c.file), u.Line)
}

// getAtt evaluates !GetAtt id.att. When the template does not decide the
// value, it is a symbolic unknown: the same attribute of the same resource
// wherever it is used, so that a bucket encrypted with !GetAtt Key.Arn and
// a policy granting !GetAtt Key.Arn name the same key
// (AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html).
// ARNs of different resources of the template are different ARNs.
func (c *cfnTemplate) getAtt(id, att string, line, depth int) *tree.Node {
	v := c.getAttValue(id, att, line, depth)
	if v.Kind != tree.Unknown || c.res[id] == nil {
		return v
	}
	kind := "cfn-attr:"
	if att == "Arn" || att == "PolicyArn" {
		kind = policy.NewARNSymbol
	}
	return tree.NewUnknown(policy.SymbolicReason(v.Text, kind+c.file+"#"+id+"."+att), line)
}

// plainReason is the reason of an unknown value without its identity: for
// a value built from it (a !Sub around !GetAtt Key.Arn is not the key ARN).
func plainReason(s string) string {
	return policy.UnknownReason(policy.UnknownValue(s))
}

// getAttValue evaluates the attributes that follow from the template: ARNs of
// named roles, users, managed policies (with a pinned account) and named
// buckets.
func (c *cfnTemplate) getAttValue(id, att string, line, depth int) *tree.Node {
	if c.res[id] == nil {
		return unknown(line, "!GetAtt %s.%s names no resource", id, att)
	}
	later := unknown(line, "!GetAtt %s.%s is known after deployment", id, att)
	typ := c.typeOf(id)
	iamARN := func(kind, nameProp string) *tree.Node {
		name := c.resolve(c.prop(id, nameProp), depth)
		if name == nil {
			return unknown(line, "!GetAtt %s.%s: %s is generated at deployment", id, att, nameProp)
		}
		if name.Kind == tree.Unknown {
			return tree.NewUnknown(plainReason(name.Text), line)
		}
		if c.account == "" {
			return unknown(line, "!GetAtt %s.%s: the account the stack is deployed to is not in the template", id, att)
		}
		path := "/"
		if p, ok := c.resolve(c.prop(id, "Path"), depth).Str(); ok && p != "" {
			path = p
		}
		return tree.NewString("arn:"+c.partition()+":iam::"+c.account+":"+kind+path+name.Text, line)
	}
	switch {
	case typ == "AWS::IAM::Role" && att == "Arn":
		return iamARN("role", "RoleName")
	case typ == "AWS::IAM::User" && att == "Arn":
		return iamARN("user", "UserName")
	case typ == "AWS::IAM::ManagedPolicy" && att == "PolicyArn":
		return iamARN("policy", "ManagedPolicyName")
	case typ == "AWS::S3::Bucket" && att == "Arn":
		name := c.resolve(c.prop(id, "BucketName"), depth)
		switch {
		case name == nil:
			return unknown(line, "!GetAtt %s.Arn: BucketName is generated at deployment", id)
		case name.Kind == tree.Unknown:
			return tree.NewUnknown(plainReason(name.Text), line)
		case name.Kind == tree.String:
			return tree.NewString("arn:"+c.partition()+":s3:::"+name.Text, line)
		}
	}
	return later
}

var subVarRE = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub evaluates Fn::Sub: ${Name} is a variable of the second argument, a
// parameter, a resource's Ref or a pseudo parameter; ${Res.Attr} is GetAtt;
// ${!Literal} is the text ${Literal}.
func (c *cfnTemplate) sub(arg *tree.Node, line, depth int) *tree.Node {
	tmplNode, vars := arg, (*tree.Node)(nil)
	if arg.Kind == tree.Array {
		if len(arg.Items) != 2 {
			return unknown(line, "!Sub needs a string and a map of variables")
		}
		tmplNode, vars = arg.Items[0], arg.Items[1]
	}
	tmpl, ok := tmplNode.Str()
	if !ok {
		return unknown(line, "!Sub needs a string")
	}
	var why string
	out := subVarRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-1])
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		var v *tree.Node
		if vn := vars.Get(name); vn != nil {
			v = c.resolve(vn, depth)
		} else if res, att, dotted := strings.Cut(name, "."); dotted && c.res[res] != nil {
			v = c.getAtt(res, att, line, depth)
		} else {
			v = c.ref(name, line, depth)
		}
		switch v.Kind {
		case tree.String, tree.Number, tree.Bool:
			return v.Text
		case tree.Unknown:
			if why == "" {
				why = plainReason(v.Text)
			}
		default:
			if why == "" {
				why = "!Sub variable " + name + " is not a string"
			}
		}
		return m
	})
	if why != "" {
		return tree.NewUnknown(why, line)
	}
	if len(out) > maxValueLen {
		return unknown(line, "!Sub builds a value longer than %d characters", maxValueLen)
	}
	return tree.NewString(out, line)
}

// sameTree reports whether two resolved values are the same (lines aside).
// Unknown values are never the same as anything.
func sameTree(a, b *tree.Node) bool {
	if a == noValue || b == noValue {
		return a == b
	}
	if a == nil || b == nil || a.Kind != b.Kind {
		return false
	}
	if a.Kind == tree.Unknown {
		same, ok := policy.SameSymbol(policy.UnknownValue(a.Text), policy.UnknownValue(b.Text))
		return ok && same
	}
	switch a.Kind {
	case tree.Object:
		if len(a.Members) != len(b.Members) {
			return false
		}
		for i := range a.Members {
			if a.Members[i].Key != b.Members[i].Key || !sameTree(a.Members[i].Value, b.Members[i].Value) {
				return false
			}
		}
		return true
	case tree.Array:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !sameTree(a.Items[i], b.Items[i]) {
				return false
			}
		}
		return true
	}
	return a.Text == b.Text
}
