package terraform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// Terraform plan and state JSON, as `terraform show -json` writes them
// (developer.hashicorp.com/terraform/internals/json-format). The plan holds
// every resource's planned values; values Terraform learns only when it
// applies are left out of "values" and flagged true in the matching
// resource_changes[].change.after_unknown. The "configuration" section has
// no expression text, only the addresses each expression references; that is
// enough to tell which role a role policy attaches to, or which key a bucket
// is encrypted with, when the value itself is unknown.

// Plan is the format of `terraform show -json` output.
var Plan = input.NewFormat("terraform-plan", Detect, Load)

// Detect reports whether root is `terraform show -json` output
// (a plan, or a state: both carry format_version and terraform_version).
func Detect(root *tree.Node) bool {
	if root == nil || root.Kind != tree.Object || root.Get("format_version") == nil || root.Get("terraform_version") == nil {
		return false
	}
	return root.Get("planned_values") != nil || root.Get("resource_changes") != nil ||
		root.Path("values", "root_module") != nil || root.Get("configuration") != nil
}

// Load adds the IAM roles and users, bucket policies, buckets and KMS keys
// of a Terraform plan (or state) JSON to b. Documents and principals are
// named by their Terraform address.
func Load(root *tree.Node, b *input.Builder) {
	p := &tfPlan{b: b, byAddr: map[string]*tfResource{}, byConf: map[string][]*tfResource{}, skipped: map[string]bool{},
		inlineNames: map[*input.Principal]map[string]bool{}}
	p.collect(root)
	p.load()
}

type tfPlan struct {
	b      *input.Builder
	res    []*tfResource // planned_values order
	byAddr map[string]*tfResource
	byConf map[string][]*tfResource // module instance prefix + "\x00" + mode.type.name → instances
	config *tree.Node               // configuration.root_module
	// gone says why a resource instance does not exist after apply ("" when
	// it does); prior is true while reading prior_state.
	gone    func(addr, mode string, prior bool) string
	skipped map[string]bool
	// inlineNames are the names of the inline policies attached to each
	// principal by aws_iam_role_policy / aws_iam_user_policy, which the
	// role's inline_policy attribute repeats once applied.
	inlineNames map[*input.Principal]map[string]bool
}

type tfResource struct {
	addr    string // full address: module.s3.aws_iam_role.x["a"]
	module  string // module instance prefix: "" or module.s3 or module.s3[0]
	mode    string // managed | data
	typ     string
	name    string
	index   string // instance key as written in the address ("" without count/for_each)
	values  *tree.Node
	unknown *tree.Node // change.after_unknown
	conf    *tree.Node // configuration resource, holding expressions
	line    int
}

// confKey is the configuration identity of a resource: its module instance
// and mode.type.name without an instance key.
func confKey(module, mode, typ, name string) string {
	if mode == "data" {
		return module + "\x00data." + typ + "." + name
	}
	return module + "\x00" + typ + "." + name
}

// collect reads the resources that exist after apply
// (developer.hashicorp.com/terraform/internals/json-format): planned_values
// holds every resource instance the plan creates, updates, replaces or
// leaves alone, once, under its new address. A managed resource found only
// in prior_state is one the plan destroys (change.actions ["delete"]), or
// one moved to a new address (resource_changes[].previous_address): neither
// exists after apply under that address. Only data sources, which a plan
// reads into prior_state, and resources the plan merely forgets
// (actions ["forget"]: removed from state, left in AWS) are taken from
// prior_state. A state JSON (values.root_module) is what exists.
func (p *tfPlan) collect(root *tree.Node) {
	actions := map[string]string{} // address → actions joined with ","
	moved := map[string]bool{}     // previous addresses of moved resources
	for _, rc := range input.Items(root.Get("resource_changes")) {
		addr, _ := rc.Get("address").Str()
		var acts []string
		for _, a := range input.Items(rc.Path("change", "actions")) {
			if s, ok := a.Str(); ok {
				acts = append(acts, s)
			}
		}
		actions[addr] = strings.Join(acts, ",")
		if prev, ok := rc.Get("previous_address").Str(); ok && prev != "" && prev != addr {
			moved[prev] = true
		}
	}
	p.gone = func(addr, mode string, prior bool) string {
		switch {
		case actions[addr] == "delete":
			return "the plan destroys it (change.actions [\"delete\"])"
		case prior && mode != "data" && moved[addr]:
			return "the plan moves it to a new address"
		case prior && mode != "data" && actions[addr] != "forget":
			if _, ok := actions[addr]; ok || root.Get("planned_values") != nil {
				return "it is in prior_state only: it does not exist after apply"
			}
		}
		return ""
	}
	mods := root.Path("planned_values", "root_module")
	if mods == nil {
		mods = root.Path("values", "root_module") // state JSON
	}
	p.walkModule(mods, "", false)
	// Data sources read while planning live in prior_state only.
	p.walkModule(root.Path("prior_state", "values", "root_module"), "", true)
	for _, rc := range input.Items(root.Get("resource_changes")) {
		addr, _ := rc.Get("address").Str()
		r := p.byAddr[addr]
		if r == nil {
			continue // deleted, or not in planned_values
		}
		if u := rc.Path("change", "after_unknown"); u != nil && u.Kind == tree.Object {
			r.unknown = u
		}
	}
	p.config = root.Path("configuration", "root_module")
	for _, r := range p.res {
		r.conf = p.confResource(r)
	}
}

func (p *tfPlan) walkModule(m *tree.Node, prefix string, prior bool) {
	if m == nil || m.Kind != tree.Object {
		return
	}
	if a, ok := m.Get("address").Str(); ok {
		prefix = a
	}
	for _, rn := range input.Items(m.Get("resources")) {
		addr, _ := rn.Get("address").Str()
		if addr == "" || p.byAddr[addr] != nil {
			continue
		}
		mode, _ := rn.Get("mode").Str()
		if why := p.gone(addr, mode, prior); why != "" {
			if !p.skipped[addr] {
				p.skipped[addr] = true
				p.b.Skip(rn.Get("address").Line, addr+" is not counted: "+why)
			}
			continue
		}
		// Point at the "address" line: the resource object's brace is less
		// telling in a long plan.
		r := &tfResource{addr: addr, module: prefix, line: rn.Get("address").Line, values: rn.Get("values")}
		r.mode, _ = rn.Get("mode").Str()
		r.typ, _ = rn.Get("type").Str()
		r.name, _ = rn.Get("name").Str()
		if idx := rn.Get("index"); idx != nil {
			switch idx.Kind {
			case tree.String:
				r.index = strconv.Quote(idx.Text)
			case tree.Number:
				r.index = idx.Text
			}
		}
		if r.values == nil || r.values.Kind != tree.Object {
			r.values = &tree.Node{Kind: tree.Object, Line: rn.Line}
		}
		p.res = append(p.res, r)
		p.byAddr[addr] = r
		k := confKey(prefix, r.mode, r.typ, r.name)
		p.byConf[k] = append(p.byConf[k], r)
	}
	for _, c := range input.Items(m.Get("child_modules")) {
		p.walkModule(c, prefix, prior)
	}
}

// moduleCalls turns a module instance prefix into its call names:
// module.a[0].module.b → [a b].
func moduleCalls(prefix string) []string {
	var calls []string
	toks := splitDots(prefix)
	for i := 0; i+1 < len(toks); i += 2 {
		name := toks[i+1]
		if j := strings.IndexByte(name, '['); j >= 0 {
			name = name[:j]
		}
		calls = append(calls, name)
	}
	return calls
}

// parentPrefix drops the last module step: module.a.module.b[1] → module.a.
func parentPrefix(module string) string {
	toks := splitDots(module)
	if len(toks) <= 2 {
		return ""
	}
	return strings.Join(toks[:len(toks)-2], ".")
}

// splitDots splits an address at dots outside instance keys, which may be
// quoted strings holding dots: module.a["x.y"] → [module a["x.y"]].
func splitDots(addr string) []string {
	var toks []string
	start, inBr, inQ, esc := 0, false, false, false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inQ:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inQ = false
			}
		case c == '"' && inBr:
			inQ = true
		case c == '[':
			inBr = true
		case c == ']':
			inBr = false
		case c == '.' && !inBr:
			toks = append(toks, addr[start:i])
			start = i + 1
		}
	}
	if addr != "" {
		toks = append(toks, addr[start:])
	}
	return toks
}

// confModule returns the configuration module for a list of call names.
func (p *tfPlan) confModule(calls []string) *tree.Node {
	m := p.config
	for _, c := range calls {
		m = m.Path("module_calls", c, "module")
	}
	return m
}

func (p *tfPlan) confResource(r *tfResource) *tree.Node {
	m := p.confModule(moduleCalls(r.module))
	want := r.typ + "." + r.name
	if r.mode == "data" {
		want = "data." + want
	}
	for _, c := range input.Items(m.Get("resources")) {
		if a, _ := c.Get("address").Str(); a == want {
			return c
		}
	}
	return nil
}

// step is one element of an attribute path: a key or a list index.
type step struct {
	key string
	idx int
}

func attr(name string) step { return step{key: name, idx: -1} }
func item(i int) step       { return step{idx: i} }

func pathString(path []step) string {
	var b strings.Builder
	for _, s := range path {
		if s.idx >= 0 {
			fmt.Fprintf(&b, "[%d]", s.idx)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

func follow(n *tree.Node, s step) *tree.Node {
	if n == nil {
		return nil
	}
	if s.idx >= 0 {
		if n.Kind == tree.Array && s.idx < len(n.Items) {
			return n.Items[s.idx]
		}
		return nil
	}
	return n.Get(s.key)
}

// get returns the planned value at path, or unknown=true when Terraform
// knows it only after apply (after_unknown is true at the path or above it).
func (r *tfResource) get(path ...step) (n *tree.Node, unknown bool) {
	n, u := r.values, r.unknown
	for _, s := range path {
		if u != nil && u.Kind == tree.Bool && u.Text == "true" {
			return nil, true
		}
		n, u = follow(n, s), follow(u, s)
	}
	if u != nil && u.Kind == tree.Bool && u.Text == "true" {
		return nil, true
	}
	return n, false
}

// str returns a known string attribute ("" and false otherwise).
func (r *tfResource) str(path ...step) (string, bool) {
	n, unk := r.get(path...)
	if unk {
		return "", false
	}
	return n.Str()
}

// line is the plan line closest to the value at path: the value itself, the
// after_unknown flag for it, or the resource.
func (r *tfResource) lineOf(path ...step) int {
	n, u := r.values, r.unknown
	best := r.line
	for _, s := range path {
		n, u = follow(n, s), follow(u, s)
		switch {
		case n != nil:
			best = n.Line
		case u != nil:
			best = u.Line
		}
	}
	return best
}

// expr returns the configuration expression at path (nested blocks are
// lists of objects in the configuration too).
//
// When the path goes deeper than the configuration does (an element of a
// list whose expression is one interpolation), the deepest expression on
// the path is returned: its references are those of the element too.
func (r *tfResource) expr(path ...step) *tree.Node {
	n := r.conf.Get("expressions")
	for _, s := range path {
		next := follow(n, s)
		if next == nil {
			if n.Get("references") != nil {
				return n
			}
			return nil
		}
		n = next
	}
	return n
}

// configured reports whether the configuration sets the attribute at all:
// Optional+Computed attributes (inline_policy, managed_policy_arns, policy
// of aws_kms_key) are "known after apply" for every new resource even when
// nobody set them.
func (r *tfResource) configured(name string) bool {
	return r.conf == nil || r.conf.Get("expressions").Get(name) != nil
}

// target is a resource attribute an expression resolved to.
type target struct {
	res  *tfResource
	attr string // first attribute step, e.g. arn, name, json
}

// refTarget follows the references of the expression at path to the first
// resource attribute in the plan, through module variables and outputs.
func (p *tfPlan) refTarget(r *tfResource, path ...step) *target {
	return p.resolveRefs(r.expr(path...).Get("references"), r.module, r.index, 0)
}

func (p *tfPlan) resolveRefs(refs *tree.Node, module, index string, depth int) *target {
	if refs == nil || depth > 16 {
		return nil
	}
	for _, it := range input.Items(refs) {
		ref, ok := it.Str()
		if !ok {
			continue
		}
		if t := p.resolveRef(ref, module, index, depth); t != nil {
			return t
		}
	}
	return nil
}

func (p *tfPlan) resolveRef(ref, module, index string, depth int) *target {
	parts := strings.Split(stripIndexes(ref), ".")
	switch parts[0] {
	case "var":
		if len(parts) < 2 || module == "" {
			return nil
		}
		calls := moduleCalls(module)
		parent := p.confModule(calls[:len(calls)-1])
		call := parent.Path("module_calls", calls[len(calls)-1])
		return p.resolveRefs(call.Path("expressions", parts[1], "references"), parentPrefix(module), "", depth+1)
	case "module":
		if len(parts) < 3 {
			return nil
		}
		calls := append(moduleCalls(module), parts[1])
		out := p.confModule(calls).Path("outputs", parts[2], "expression", "references")
		child := p.childPrefix(module, parts[1])
		if child == "" {
			return nil
		}
		return p.resolveRefs(out, child, "", depth+1)
	case "local", "each", "count", "path", "terraform", "self":
		return nil
	}
	mode, rest := "managed", parts
	if parts[0] == "data" {
		mode, rest = "data", parts[1:]
	}
	if len(rest) < 3 {
		return nil // a whole resource, not an attribute of it
	}
	inst := p.byConf[confKey(module, mode, rest[0], rest[1])]
	var pick *tfResource
	switch {
	case len(inst) == 1:
		pick = inst[0]
	case len(inst) > 1 && index != "":
		// count.index / each.key pairing: same instance key.
		for _, c := range inst {
			if c.index == index {
				pick = c
			}
		}
	}
	if pick == nil {
		return nil
	}
	return &target{res: pick, attr: rest[2]}
}

// stripIndexes removes [..] parts from a reference: aws_kms_key.k[0].arn →
// aws_kms_key.k.arn.
func stripIndexes(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '[':
			depth++
		case c == ']':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// childPrefix finds the single planned instance of module call name under
// module; "" when there is none or several (for_each over modules).
func (p *tfPlan) childPrefix(module, name string) string {
	want := "module." + name
	if module != "" {
		want = module + "." + want
	}
	found := ""
	for _, r := range p.res {
		if r.module == want || strings.HasPrefix(r.module, want+"[") && !strings.Contains(r.module[len(want):], ".") {
			if found != "" && found != r.module {
				return ""
			}
			found = r.module
		}
	}
	return found
}

// reason names why a value is unknown. When the configuration links it to
// another resource's attribute, the reason names that attribute instead, so
// that two values that must be equal carry the same marker (a bucket's KMS
// key id and the key's ARN both read "known after apply: aws_kms_key.k.arn").
func (p *tfPlan) reason(r *tfResource, path ...step) string {
	if t := p.refTarget(r, path...); t != nil {
		if _, unk := t.res.get(attr(t.attr)); unk {
			return "known after apply: " + t.res.addr + "." + t.attr
		}
	}
	return "known after apply: " + r.addr + "." + pathString(path)
}

func (p *tfPlan) unresolved(r *tfResource, line int, what, reason string) {
	p.b.Unresolved(line, r.addr, what, reason)
}

// value returns a string attribute, or the unknown marker for it (recording
// the unknown in Input.Unresolved under what, unless what is "").
func (p *tfPlan) value(r *tfResource, what string, path ...step) string {
	n, unk := r.get(path...)
	if unk {
		why := p.reason(r, path...)
		if what != "" {
			p.unresolved(r, r.lineOf(path...), what, why)
		}
		return policy.UnknownValue(why)
	}
	s, _ := n.Str()
	return s
}

// doc reads the policy document held in the string attribute at path. An
// unknown document built by an aws_iam_policy_document data source is read
// from the data source's statement blocks; any other unknown document is
// a Document with Unresolved set. It returns nil when the attribute is
// absent or empty.
func (p *tfPlan) doc(r *tfResource, kind policy.Kind, origin policy.Origin, name string, path ...step) *policy.Document {
	n, unk := r.get(path...)
	line := r.lineOf(path...)
	if !unk {
		s, ok := n.Str()
		if !ok || strings.TrimSpace(s) == "" {
			return nil
		}
		d, err := policy.FromText(s, kind, p.b.File, n.Line)
		if err != nil {
			p.b.DocError(n.Line, name, err)
			return nil
		}
		d.Name, d.Origin = name, origin
		return d
	}
	if t := p.refTarget(r, path...); t != nil && t.res.typ == "aws_iam_policy_document" && t.res.mode == "data" {
		if d := p.docFromStatements(t.res, kind, name); d != nil {
			d.Origin = origin
			return d
		}
	}
	why := p.reason(r, path...)
	p.unresolved(r, line, string(kind)+" policy document", why)
	return &policy.Document{Kind: kind, Origin: origin, File: p.b.File, Line: line, Name: name, Unresolved: why}
}

// docFromStatements builds the document an aws_iam_policy_document data
// source renders, from its statement blocks, when its json is unknown
// (registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document).
// Unknown parts become tree.Unknown values. A data source that merges
// other documents (source_policy_documents, override_policy_documents) is
// left unresolved: the merged statements are not in the plan.
func (p *tfPlan) docFromStatements(ds *tfResource, kind policy.Kind, name string) *policy.Document {
	if s, ok := ds.str(attr("json")); ok && s != "" {
		d, err := policy.FromText(s, kind, p.b.File, ds.lineOf(attr("json")))
		if err != nil {
			return nil
		}
		d.Name = name
		return d
	}
	for _, k := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		n, unk := ds.get(attr(k))
		if unk || (n != nil && (n.Kind == tree.String && n.Text != "" || n.Kind == tree.Array && len(n.Items) > 0)) {
			return nil
		}
	}
	if _, unk := ds.get(attr("statement")); unk {
		return nil
	}
	line := ds.lineOf(attr("statement"))
	doc := &tree.Node{Kind: tree.Object, Line: line}
	add := func(o *tree.Node, key string, v *tree.Node) {
		if v != nil {
			o.Members = append(o.Members, tree.Member{Key: key, KeyLine: v.Line, Value: v})
		}
	}
	if v, ok := ds.str(attr("version")); ok && v != "" {
		add(doc, "Version", tree.NewString(v, ds.lineOf(attr("version"))))
	} else {
		add(doc, "Version", tree.NewString(policy.Version2012, line)) // the data source's default
	}
	if v, ok := ds.str(attr("policy_id")); ok && v != "" {
		add(doc, "Id", tree.NewString(v, line))
	}
	stmts, _ := ds.get(attr("statement"))
	list := &tree.Node{Kind: tree.Array, Line: line}
	for i, sn := range input.Items(stmts) {
		sp := []step{attr("statement"), item(i)}
		at := func(k string) []step { return append(append([]step{}, sp...), attr(k)) }
		st := &tree.Node{Kind: tree.Object, Line: sn.Line}
		label := fmt.Sprintf("#%d", i+1)
		if sid, ok := ds.str(at("sid")...); ok && sid != "" {
			add(st, "Sid", tree.NewString(sid, ds.lineOf(at("sid")...)))
			label = sid
		}
		if e, ok := ds.str(at("effect")...); ok && e != "" {
			add(st, "Effect", tree.NewString(e, ds.lineOf(at("effect")...)))
		} else if _, unk := ds.get(at("effect")...); unk {
			add(st, "Effect", p.unknownNode(ds, "Effect of statement "+label, at("effect")...))
		} else {
			add(st, "Effect", tree.NewString("Allow", sn.Line))
		}
		for _, f := range []struct{ tf, js string }{{"actions", "Action"}, {"not_actions", "NotAction"}, {"resources", "Resource"}, {"not_resources", "NotResource"}} {
			add(st, f.js, p.stringList(ds, f.js+" of statement "+label, at(f.tf)...))
		}
		for _, f := range []struct{ tf, js string }{{"principals", "Principal"}, {"not_principals", "NotPrincipal"}} {
			add(st, f.js, p.principals(ds, f.js+" of statement "+label, at(f.tf)...))
		}
		add(st, "Condition", p.conditions(ds, "Condition of statement "+label, at("condition")...))
		list.Items = append(list.Items, st)
	}
	add(doc, "Statement", list)
	d, err := policy.FromNode(doc, kind, p.b.File)
	if err != nil {
		return nil
	}
	d.Name = name
	return d
}

func (p *tfPlan) unknownNode(r *tfResource, what string, path ...step) *tree.Node {
	why := p.reason(r, path...)
	line := r.lineOf(path...)
	p.unresolved(r, line, what, why)
	return tree.NewUnknown(why, line)
}

// stringList renders a list-of-strings attribute (nil when empty), with
// unknown elements as tree.Unknown.
func (p *tfPlan) stringList(r *tfResource, what string, path ...step) *tree.Node {
	n, unknown := p.list(r, what, path...)
	if n == nil {
		return unknown
	}
	out := &tree.Node{Kind: tree.Array, Line: n.Line}
	for i, it := range n.Items {
		ip := append(append([]step{}, path...), item(i))
		if _, unk := r.get(ip...); unk {
			out.Items = append(out.Items, p.unknownNode(r, what, ip...))
			continue
		}
		out.Items = append(out.Items, it)
	}
	// Elements Terraform cannot know yet may be missing from "values"
	// altogether while after_unknown lists them.
	if u := follow(r.unknownAt(path...), item(len(n.Items))); u != nil {
		out.Items = append(out.Items, p.unknownNode(r, what, append(append([]step{}, path...), item(len(n.Items)))...))
	}
	return out
}

func (r *tfResource) unknownAt(path ...step) *tree.Node {
	u := r.unknown
	for _, s := range path {
		u = follow(u, s)
	}
	return u
}

// list reads the list attribute at path: the array when it has items;
// otherwise nil with the unknown node to render instead (a value known only
// after apply), or nil with nil (absent or empty: nothing to render).
func (p *tfPlan) list(r *tfResource, what string, path ...step) (items, unknown *tree.Node) {
	n, unk := r.get(path...)
	if unk {
		return nil, p.unknownNode(r, what, path...)
	}
	if n == nil || n.Kind != tree.Array || len(n.Items) == 0 {
		return nil, nil
	}
	return n, nil
}

// principals renders principals/not_principals blocks ({type, identifiers})
// as a Principal element.
func (p *tfPlan) principals(r *tfResource, what string, path ...step) *tree.Node {
	n, unknown := p.list(r, what, path...)
	if n == nil {
		return unknown
	}
	out := &tree.Node{Kind: tree.Object, Line: n.Line}
	for i, b := range n.Items {
		bp := append(append([]step{}, path...), item(i))
		typ, ok := r.str(append(bp, attr("type"))...)
		if !ok {
			return p.unknownNode(r, what, append(bp, attr("type"))...)
		}
		ids := p.stringList(r, what, append(bp, attr("identifiers"))...)
		if ids == nil {
			continue
		}
		if typ == "*" {
			// type "*" with identifiers ["*"] renders "Principal": "*".
			return tree.NewString("*", b.Line)
		}
		if prev := out.Get(typ); prev != nil {
			prev.Items = append(prev.Items, ids.Items...)
			continue
		}
		out.Members = append(out.Members, tree.Member{Key: typ, KeyLine: b.Line, Value: ids})
	}
	return out
}

// conditions renders condition blocks ({test, variable, values}).
func (p *tfPlan) conditions(r *tfResource, what string, path ...step) *tree.Node {
	n, unknown := p.list(r, what, path...)
	if n == nil {
		return unknown
	}
	out := &tree.Node{Kind: tree.Object, Line: n.Line}
	for i, b := range n.Items {
		bp := append(append([]step{}, path...), item(i))
		test, ok1 := r.str(append(bp, attr("test"))...)
		variable, ok2 := r.str(append(bp, attr("variable"))...)
		if !ok1 || !ok2 {
			return p.unknownNode(r, what, bp...)
		}
		vals := p.stringList(r, what, append(bp, attr("values"))...)
		if vals == nil {
			vals = &tree.Node{Kind: tree.Array, Line: b.Line}
		}
		op := out.Get(test)
		if op == nil {
			op = &tree.Node{Kind: tree.Object, Line: b.Line}
			out.Members = append(out.Members, tree.Member{Key: test, KeyLine: b.Line, Value: op})
		}
		op.Members = append(op.Members, tree.Member{Key: variable, KeyLine: b.Line, Value: vals})
	}
	return out
}
