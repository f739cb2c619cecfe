package cloudformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

func (c *cfnTemplate) load() {
	c.selectCreated()
	for _, id := range c.ids {
		switch c.typeOf(id) {
		case "AWS::IAM::Role":
			c.principal(id, "role")
		case "AWS::IAM::User":
			c.principal(id, "user")
		case "AWS::S3::Bucket":
			c.bucket(id)
		case "AWS::KMS::Key":
			c.key(id)
		}
	}
	for _, id := range c.ids {
		switch c.typeOf(id) {
		case "AWS::IAM::Policy":
			c.policyResource(id)
		case "AWS::IAM::ManagedPolicy":
			c.managedPolicyResource(id)
		case "AWS::IAM::RolePolicy":
			c.singlePolicy(id, "role", "RoleName")
		case "AWS::IAM::UserPolicy":
			c.singlePolicy(id, "user", "UserName")
		case "AWS::S3::BucketPolicy":
			if d := c.doc(id, c.prop(id, "PolicyDocument"), policy.Bucket, policy.OriginResource, c.label(id)); d != nil {
				c.b.Document(d)
			}
		}
	}
}

func (c *cfnTemplate) unresolved(id string, line int, what, reason string) {
	c.b.Unresolved(line, c.label(id), what, plainReason(reason))
}

// value resolves a property to a string, or the unknown marker for it
// (recorded under what unless what is ""). absent is the reason used when
// the property is not set.
func (c *cfnTemplate) value(id string, n *tree.Node, what, absent string) string {
	line := c.res[id].Line
	var r *tree.Node
	if n != nil {
		r = c.resolve(n, 0)
		line = n.Line
	}
	switch {
	case r == nil || r == noValue:
		if absent == "" {
			return ""
		}
		r = tree.NewUnknown(absent, line)
	case r.Kind == tree.String:
		return r.Text
	case r.Kind == tree.Number || r.Kind == tree.Bool:
		return r.Text
	case r.Kind != tree.Unknown:
		r = tree.NewUnknown(fmt.Sprintf("%s is %s, not a string", what, r.Kind), line)
	}
	if what != "" {
		c.unresolved(id, r.Line, what, r.Text)
	}
	return policy.UnknownValue(r.Text)
}

// doc resolves and parses a policy document property, recording every
// value the template leaves unknown.
func (c *cfnTemplate) doc(id string, n *tree.Node, kind policy.Kind, origin policy.Origin, name string) *policy.Document {
	if n == nil {
		return nil
	}
	r := c.resolve(n, 0)
	if r == noValue {
		return nil
	}
	if why := c.maybe[id]; why != "" {
		possibly(r, why)
	}
	d, err := policy.FromNode(r, kind, c.file)
	if err != nil {
		c.b.DocError(n.Line, name, err)
		return nil
	}
	d.Name, d.Origin = name, origin
	c.recordUnknowns(id, r, kind)
	return d
}

func (c *cfnTemplate) recordUnknowns(id string, doc *tree.Node, kind policy.Kind) {
	if doc.Kind == tree.Unknown {
		c.unresolved(id, doc.Line, string(kind)+" policy document", doc.Text)
		return
	}
	each := func(n *tree.Node, what string) {
		tree.Walk(n, func(x *tree.Node) bool {
			if x.Kind == tree.Unknown && x.Text != c.maybe[id] {
				c.unresolved(id, x.Line, what, x.Text)
			}
			return true
		})
	}
	for _, m := range doc.Members {
		if m.Key != "Statement" {
			each(m.Value, m.Key+" of the "+string(kind)+" policy")
			continue
		}
		stmts := []*tree.Node{m.Value}
		if m.Value.Kind == tree.Array {
			stmts = m.Value.Items
		}
		for i, s := range stmts {
			if s.Kind != tree.Object {
				each(s, fmt.Sprintf("statement #%d", i+1))
				continue
			}
			label := fmt.Sprintf("#%d", i+1)
			if sid, ok := s.Get("Sid").Str(); ok && sid != "" {
				label = sid
			}
			for _, sm := range s.Members {
				each(sm.Value, sm.Key+" of statement "+label)
			}
		}
	}
}

// linked returns the logical id an intrinsic refers to ({"Ref": X} or
// {"Fn::GetAtt": [X, ...]}) when X is a resource of the template.
func (c *cfnTemplate) linked(n *tree.Node) string {
	if n == nil || n.Kind != tree.Object || len(n.Members) != 1 {
		return ""
	}
	var id string
	switch v := n.Members[0].Value; n.Members[0].Key {
	case "Ref":
		id, _ = v.Str()
	case "Fn::GetAtt":
		if s, ok := v.Str(); ok {
			id, _, _ = strings.Cut(s, ".")
		} else if len(input.Items(v)) > 0 {
			id, _ = v.Items[0].Str()
		}
	}
	if c.res[id] == nil {
		return ""
	}
	return id
}

// list returns the elements of a list property: the raw elements when it is
// written as a list (so that Ref/GetAtt links stay visible), else the
// elements of its resolved value.
func (c *cfnTemplate) list(n *tree.Node) []*tree.Node {
	if n == nil {
		return nil
	}
	if n.Kind == tree.Array {
		return n.Items
	}
	r := c.resolve(n, 0)
	if r.Kind == tree.Unknown {
		return []*tree.Node{r}
	}
	return input.Items(r)
}

func (c *cfnTemplate) principal(id, typ string) {
	nameProp := map[string]string{"role": "RoleName", "user": "UserName"}[typ]
	pr := &input.Principal{Type: typ, File: c.file, Line: c.res[id].Line, Address: c.label(id), Account: c.account, Complete: true}
	pr.Name = c.value(id, c.prop(id, nameProp), "", fmt.Sprintf("%s is generated at deployment (no %s)", typ, nameProp))
	arn := c.getAtt(id, "Arn", c.res[id].Line, 0)
	if s, ok := arn.Str(); ok {
		pr.ARN = s
	} else {
		pr.ARN = policy.UnknownValue(arn.Text)
		c.unresolved(id, arn.Line, "ARN of "+typ, arn.Text)
	}
	if typ == "role" {
		pr.Trust = c.doc(id, c.prop(id, "AssumeRolePolicyDocument"), policy.Trust, policy.OriginTrust, c.label(id))
	}
	c.b.AddPrincipal(id, pr)

	for i, raw := range c.list(c.prop(id, "Policies")) {
		it := c.resolve(raw, 0)
		if it == noValue || it.Kind != tree.Object {
			if it.Kind == tree.Unknown {
				c.unresolved(id, it.Line, "inline policies of "+typ, it.Text)
				pr.Identity = append(pr.Identity, &policy.Document{Kind: policy.Identity, Origin: policy.OriginInline, File: c.file, Line: it.Line, Name: c.label(id), Unresolved: plainReason(it.Text)})
			}
			continue
		}
		name := fmt.Sprintf("%s Policies[%d]", c.label(id), i)
		if pn, ok := it.Get("PolicyName").Str(); ok {
			name = fmt.Sprintf("%s policy %s", c.label(id), pn)
		}
		if d := c.doc(id, it.Get("PolicyDocument"), policy.Identity, policy.OriginInline, name); d != nil {
			pr.Identity = append(pr.Identity, d)
		}
	}
	for _, raw := range c.list(c.prop(id, "ManagedPolicyArns")) {
		c.attach(pr, id, raw)
	}
	if b := c.prop(id, "PermissionsBoundary"); b != nil {
		if mp := c.linked(b); mp != "" && c.typeOf(mp) == "AWS::IAM::ManagedPolicy" {
			pr.Boundary = c.managedDoc(mp, policy.Boundary)
			arn := c.getAtt(mp, "PolicyArn", b.Line, 0)
			pr.BoundaryARN = arn.Text
			if arn.Kind == tree.Unknown {
				pr.BoundaryARN = policy.UnknownValue(arn.Text)
			}
		} else {
			pr.BoundaryARN = c.value(id, b, "permissions boundary", "")
			if !policy.IsUnknown(pr.BoundaryARN) && pr.BoundaryARN != "" {
				c.unresolved(id, b.Line, "permissions boundary", "permissions boundary "+pr.BoundaryARN+" is not in the template")
			}
		}
	}
	if typ == "user" {
		for _, g := range c.list(c.prop(id, "Groups")) {
			if s, ok := c.resolve(g, 0).Str(); ok {
				pr.Groups = append(pr.Groups, s)
			}
		}
	}
}

// managedDoc parses an AWS::IAM::ManagedPolicy's document once per kind
// (an identity policy, or a permissions boundary).
func (c *cfnTemplate) managedDoc(id string, kind policy.Kind) *policy.Document {
	return c.b.Once(id, kind, func() *policy.Document {
		origin := policy.OriginManaged
		if kind == policy.Boundary {
			origin = policy.OriginBoundary
		}
		d := c.doc(id, c.prop(id, "PolicyDocument"), kind, origin, c.label(id))
		if d != nil {
			if arn, ok := c.getAtt(id, "PolicyArn", c.res[id].Line, 0).Str(); ok {
				d.ARN = arn
			}
		}
		return d
	})
}

// attach adds one ManagedPolicyArns entry: the template's own managed policy
// when the entry refers to it, else a policy the template does not hold.
func (c *cfnTemplate) attach(pr *input.Principal, id string, raw *tree.Node) {
	mp := c.linked(raw)
	if mp != "" && c.typeOf(mp) == "AWS::IAM::ManagedPolicy" {
		c.attachManaged(pr, mp)
		return
	}
	arn := c.value(id, raw, "managed policy ARN", "")
	if arn == "" || c.b.Attached(pr, arn) {
		return
	}
	// A managed policy of this template named by a literal ARN.
	for _, other := range c.ids {
		if c.typeOf(other) == "AWS::IAM::ManagedPolicy" {
			if a, ok := c.getAtt(other, "PolicyArn", 0, 0).Str(); ok && a == arn {
				c.attachManaged(pr, other)
				return
			}
		}
	}
	c.b.Attach(pr, arn, arn, nil)
	pr.MissingPolicies = append(pr.MissingPolicies, arn)
}

func (c *cfnTemplate) attachManaged(pr *input.Principal, mp string) {
	if c.b.Attached(pr, mp) {
		return
	}
	arn := c.getAtt(mp, "PolicyArn", c.res[mp].Line, 0)
	text := arn.Text
	if arn.Kind != tree.String {
		text = policy.UnknownValue(arn.Text)
	}
	c.b.Attach(pr, mp, text, c.managedDoc(mp, policy.Identity))
}

// principalFor finds the role or user an entry of Roles/Users (or a
// RoleName/UserName property) names; a known name that is not in the
// template is an existing principal and gets an incomplete one of its own.
func (c *cfnTemplate) principalFor(id, typ string, raw *tree.Node) *input.Principal {
	if target := c.linked(raw); target != "" && c.b.PrincipalAt(target) != nil {
		return c.b.PrincipalAt(target)
	}
	r := c.resolve(raw, 0)
	name, ok := r.Str()
	if !ok {
		if r.Kind == tree.Unknown {
			c.unresolved(id, r.Line, typ+" the policy attaches to", r.Text)
		}
		return nil
	}
	return c.b.PrincipalNamed(typ, name, raw.Line)
}

// policyResource is AWS::IAM::Policy: one inline document put on every role
// and user it lists.
func (c *cfnTemplate) policyResource(id string) {
	d := c.doc(id, c.prop(id, "PolicyDocument"), policy.Identity, policy.OriginInline, c.label(id))
	if d == nil {
		return
	}
	attached := false
	for _, typ := range []string{"role", "user"} {
		prop := map[string]string{"role": "Roles", "user": "Users"}[typ]
		for _, raw := range c.list(c.prop(id, prop)) {
			if pr := c.principalFor(id, typ, raw); pr != nil {
				pr.Identity = append(pr.Identity, d)
				attached = true
			}
		}
	}
	if !attached {
		c.b.Document(d)
	}
}

func (c *cfnTemplate) managedPolicyResource(id string) {
	for _, typ := range []string{"role", "user"} {
		prop := map[string]string{"role": "Roles", "user": "Users"}[typ]
		for _, raw := range c.list(c.prop(id, prop)) {
			if pr := c.principalFor(id, typ, raw); pr != nil {
				c.attachManaged(pr, id)
			}
		}
	}
}

// singlePolicy is AWS::IAM::RolePolicy / AWS::IAM::UserPolicy.
func (c *cfnTemplate) singlePolicy(id, typ, nameProp string) {
	d := c.doc(id, c.prop(id, "PolicyDocument"), policy.Identity, policy.OriginInline, c.label(id))
	if d == nil {
		return
	}
	if pr := c.principalFor(id, typ, c.prop(id, nameProp)); pr != nil {
		pr.Identity = append(pr.Identity, d)
		return
	}
	c.b.Document(d)
}

func (c *cfnTemplate) bucket(id string) {
	bf := &input.BucketFacts{File: c.file, Line: c.res[id].Line}
	bf.Name = c.value(id, c.prop(id, "BucketName"), "bucket name", "bucket name is generated at deployment (no BucketName)")
	c.b.AddBucket(id, bf)
	enc := c.prop(id, "BucketEncryption")
	if enc == nil {
		return
	}
	r := c.resolve(enc, 0)
	if r.Kind == tree.Unknown {
		c.unresolved(id, r.Line, "default encryption of bucket", r.Text)
		bf.SSEAlgorithm = policy.UnknownValue(r.Text)
		return
	}
	rules := input.Items(r.Get("ServerSideEncryptionConfiguration"))
	if len(rules) == 0 {
		return
	}
	rule := rules[0]
	bf.Line = rule.Line
	def := rule.Get("ServerSideEncryptionByDefault")
	get := func(key, what string) string {
		v := def.Get(key)
		switch {
		case v == nil:
			return ""
		case v.Kind == tree.Unknown:
			c.unresolved(id, v.Line, what, v.Text)
			return policy.UnknownValue(v.Text)
		}
		return v.Text
	}
	bf.SSEAlgorithm = get("SSEAlgorithm", "default encryption of bucket")
	bf.KMSMasterKeyID = get("KMSMasterKeyID", "KMS key of bucket")
	// !Ref Key (its key id) and !GetAtt Key.Arn name the same key of this
	// template: S3 resolves the id to that key (API_ServerSideEncryptionByDefault).
	// Record it by its ARN, so that it is the same value as a grant on
	// !GetAtt Key.Arn.
	rawRules := input.Items(enc.Get("ServerSideEncryptionConfiguration"))
	if len(rawRules) > 0 && policy.IsUnknown(bf.KMSMasterKeyID) {
		raw := rawRules[0].Path("ServerSideEncryptionByDefault", "KMSMasterKeyID")
		if k := c.linked(raw); k != "" && c.typeOf(k) == "AWS::KMS::Key" {
			if arn := c.getAtt(k, "Arn", raw.Line, 0); arn.Kind == tree.Unknown {
				bf.KMSMasterKeyID = policy.UnknownValue(arn.Text)
			}
		}
	}
	if b := rule.Get("BucketKeyEnabled"); b != nil && (b.Text == "true" || b.Text == "True") {
		bf.BucketKeyEnabled = true
	}
}

// key is AWS::KMS::Key. Its id and ARN are generated at deployment; they
// carry the same unknown markers as a Ref / GetAtt of the key elsewhere in
// the template, which is how a bucket's KMSMasterKeyID is tied to it.
func (c *cfnTemplate) key(id string) {
	kf := &input.KeyFacts{File: c.file, Line: c.res[id].Line, KeyManager: "CUSTOMER", Account: c.account}
	kf.ARN = policy.UnknownValue(c.getAtt(id, "Arn", kf.Line, 0).Text)
	kf.KeyID = policy.UnknownValue(c.ref(id, kf.Line, 0).Text)
	if p := c.prop(id, "KeyPolicy"); p != nil {
		kf.Policy = c.doc(id, p, policy.Key, policy.OriginResource, c.label(id))
	} else {
		// docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		why := "KeyPolicy is not set: AWS applies the default key policy"
		kf.Policy = &policy.Document{Kind: policy.Key, Origin: policy.OriginResource, File: c.file, Line: kf.Line, Name: c.label(id), Unresolved: why}
		c.unresolved(id, kf.Line, "key policy", why)
	}
	c.b.AddKey(id, kf)
}

// selectCreated drops the resources whose Condition is false: CloudFormation
// does not create them (AWSCloudFormation/latest/UserGuide/conditions-section-structure.html,
// "Associating a condition"). Conditions are evaluated on parameter
// defaults, the pseudo parameters the setup gives, and mappings. A resource
// whose condition depends on anything else may or may not be created: it
// is kept, marked in c.maybe, and its policy statements then apply only
// possibly (see doc), so a request they decide is unknown unless both
// worlds agree.
func (c *cfnTemplate) selectCreated() {
	c.maybe = map[string]string{}
	kept := c.ids[:0:0]
	for _, id := range c.ids {
		cond := c.res[id].Get("Condition")
		if cond == nil {
			kept = append(kept, id)
			continue
		}
		name, ok := cond.Str()
		line := cond.Line
		switch v := c.condition(name, 0); {
		case !ok || c.root.Path("Conditions", name) == nil:
			c.b.Errorf(line, "%s: Condition %s is not defined in the Conditions section", id, cond.Text)
			c.maybe[id] = fmt.Sprintf("resource %s exists only if condition %s holds, which is not defined", id, cond.Text)
			kept = append(kept, id)
		case v == 0:
			c.b.Skip(line, fmt.Sprintf("%s is not created: its Condition %s is false", c.label(id), name))
		case v == 1:
			kept = append(kept, id)
		default:
			why := fmt.Sprintf("resource %s exists only if condition %s holds, which depends on values known at deployment", c.label(id), name)
			c.maybe[id] = why
			c.unresolved(id, line, "whether the resource is created", why)
			kept = append(kept, id)
		}
	}
	for _, id := range c.ids {
		if !slices.Contains(kept, id) {
			delete(c.res, id)
		}
	}
	c.ids = kept
}

// possibly adds to every statement of a resolved policy document a
// condition that holds only if the resource exists: a key no request
// carries a known value for (its evaluation is Maybe, with the reason).
// An Allow then possibly grants and a Deny possibly denies.
func possibly(doc *tree.Node, why string) {
	if doc == nil || doc.Kind != tree.Object {
		return
	}
	stmts := doc.Get("Statement")
	var list []*tree.Node
	switch {
	case stmts == nil:
		return
	case stmts.Kind == tree.Object:
		list = []*tree.Node{stmts}
	case stmts.Kind == tree.Array:
		list = stmts.Items
	}
	for _, s := range list {
		if s.Kind != tree.Object {
			continue
		}
		cond := s.Get("Condition")
		if cond == nil {
			cond = &tree.Node{Kind: tree.Object, Line: s.Line}
			s.Members = append(s.Members, tree.Member{Key: "Condition", KeyLine: s.Line, Value: cond})
		}
		if cond.Kind != tree.Object {
			continue // already unknown, or invalid (reported as such)
		}
		for _, op := range []string{"Null", "Bool", "StringEquals", "StringLike", "ArnLike"} {
			if cond.Get(op) == nil {
				cond.Members = append(cond.Members, tree.Member{Key: op, KeyLine: s.Line, Value: tree.NewUnknown(why, s.Line)})
				break
			}
		}
	}
}
