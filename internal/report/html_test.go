package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
)

// node helpers over golang.org/x/net/html's tree.
func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("the page does not parse: %v", err)
	}
	return doc
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byClass(n *html.Node, tag, class string) []*html.Node {
	return findAll(n, func(x *html.Node) bool { return x.Data == tag && hasClass(x, class) })
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// The example's page: one access path, six hops left to right in the
// order of the way a request takes, each coloured by what decided it, the
// statement and its file:line where one did; then the findings with their
// fixes (the real bucket and prefix filled in) and the assumptions.
func TestHTMLExampleStructure(t *testing.T) {
	rep := run(t, scenarios[0])
	doc := parseHTML(t, string(render(t, "html", rep, options(t))))
	paths := byClass(doc, "section", "path")
	if len(paths) != 1 {
		t.Fatalf("%d access paths, want 1", len(paths))
	}
	hops := byClass(paths[0], "li", "hop")
	want := []struct{ title, state string }{
		{"Supermetrics' role", HopAllowed}, {"Trust policy", HopDenied}, {"Your role", HopAllowed},
		{"Its policies and boundary", HopDenied}, {"Bucket policy", HopDenied}, {"KMS key", HopAbsent},
	}
	if len(hops) != len(want) {
		t.Fatalf("%d hops, want %d", len(hops), len(want))
	}
	for i, w := range want {
		h3 := findAll(hops[i], func(n *html.Node) bool { return n.Data == "h3" })
		if len(h3) != 1 || text(h3[0]) != w.title {
			t.Errorf("hop %d is %q, want %q", i, text(h3[0]), w.title)
		}
		if got := attr(hops[i], "data-state"); got != w.state || !hasClass(hops[i], "hop-"+w.state) {
			t.Errorf("hop %s: state %q (class %q), want %q", w.title, got, attr(hops[i], "class"), w.state)
		}
	}
	// The bucket policy's Deny decided the upload: its line is red and names
	// the statement where it stands.
	bucket := byClass(hops[4], "li", "line-denied")
	if len(bucket) != 1 || !strings.Contains(text(bucket[0]), "s3:PutObject Deny DenyUnencryptedUploads") ||
		text(byClass(bucket[0], "span", "where")[0]) != "fixtures/example/get-bucket-policy.json:2" {
		t.Errorf("bucket policy hop lines: %q", text(hops[4]))
	}
	// Every file:line on the path is one the report names.
	known := map[string]bool{}
	for _, r := range rep.Requests {
		for _, b := range r.Because {
			known[where(b.File, b.Line)] = true
		}
	}
	for _, f := range rep.Findings {
		known[where(f.File, f.Line)] = true
	}
	for _, s := range rep.Subjects {
		known[where(s.Principal.File, s.Principal.Line)] = true
	}
	for _, w := range byClass(paths[0], "span", "where") {
		if !known[text(w)] {
			t.Errorf("the path points at %s, which no statement, finding or principal of the report is", text(w))
		}
	}
	findings := byClass(doc, "article", "finding")
	if len(findings) != len(rep.Findings) {
		t.Errorf("%d findings on the page, report has %d", len(findings), len(rep.Findings))
	}
	for i, f := range rep.Findings {
		if !hasClass(findings[i], "sev-"+f.Severity) || !strings.Contains(text(findings[i]), f.Rule) {
			t.Errorf("finding %d: %q", i, text(findings[i]))
		}
		if fix := byClass(findings[i], "p", "fix"); len(fix) != 1 || strings.Contains(text(fix[0]), "BUCKET") {
			t.Errorf("finding %d fix: %v", i, fix)
		}
	}
	if !strings.Contains(text(doc), "arn:aws:s3:::acme-marketing-data/supermetrics/*: exclude the role") {
		t.Error("putobject-denied's fix does not name the real bucket and prefix")
	}
	items := findAll(doc, func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "assumptions") })
	if len(items) != len(rep.Assumptions) || len(items) == 0 {
		t.Errorf("%d assumptions listed, report has %d", len(items), len(rep.Assumptions))
	}
}

// Self-contained: no script, no stylesheet, image, frame or font fetched
// from anywhere; the only URLs are links to the rule pages.
func TestHTMLSelfContained(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { selfContained(t, sc) })
	}
}

func selfContained(t *testing.T, sc scenario) {
	page := string(render(t, "html", run(t, sc), options(t)))
	doc := parseHTML(t, page)
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed", "base":
			t.Errorf("%s: a <%s> element", sc.name, n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "src" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s %s=%q>", sc.name, n.Data, a.Key, a.Val)
			}
			if a.Key == "href" && !strings.HasPrefix(a.Val, RulesDocBase) {
				t.Errorf("%s: link to %q", sc.name, a.Val)
			}
		}
	}
	if regexp.MustCompile(`url\(|@import`).MatchString(page) {
		t.Errorf("%s: the style loads something", sc.name)
	}
}

// Policy text is attacker-controlled: a Sid, a message, a file name, a
// reason or an ARN that holds markup comes out as text, never as elements.
func TestHTMLEscapesEverything(t *testing.T) {
	evil := `"><script>alert(1)</script><img src=x onerror=alert(2)>&amp;`
	rep := &check.Report{
		Setup:  config.Setup{Bucket: evil, Prefix: evil, Auth: "role", RoleARN: evil, KMSKeyARN: evil},
		Upload: "denied",
		Findings: []engine.Finding{{Rule: "putobject-denied", Severity: "error", Message: evil, File: evil, Line: 3, Sid: evil,
			Remediation: "Allow arn:aws:s3:::BUCKET/PREFIX* " + evil}},
		Assumptions: []string{evil},
	}
	req := check.RequestResult{ID: "put-object", Action: "s3:PutObject", Resource: evil, Principal: evil, Decision: "explicit_deny",
		Because: []check.Because{{File: evil, Line: 2, Sid: evil, Effect: "Deny", Kind: "bucket", Name: evil}}, Reasons: []string{evil}}
	trust := check.RequestResult{ID: "assume-role", Action: "sts:AssumeRole", Principal: evil, Decision: "unknown", Reasons: []string{evil}}
	rep.Requests = []check.RequestResult{trust, req}
	rep.Subjects = []*check.Subject{{Principal: &check.PrincipalInfo{Type: "role", ARN: evil, Name: evil, File: evil, Line: 1},
		Upload: "denied", Requests: rep.Requests, Findings: rep.Findings}}
	m := &Model{Report: rep, CrossCheck: &CrossCheck{PolicySourceARN: evil, Error: evil, Notes: []string{evil},
		Comparisons: []Comparison{{Action: evil, Resource: evil, Status: evil, Note: evil, Limit: evil}}}}
	page := renderModel(t, "html", m, options(t))
	doc := parseHTML(t, page)
	if n := findAll(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "img" }); len(n) != 0 {
		t.Fatalf("markup from the input became %d element(s)", len(n))
	}
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "src" {
				t.Errorf("input became an attribute: <%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
	}
	// The text survives as text, as often as it was placed.
	if got := strings.Count(text(doc), evil); got < 15 {
		t.Errorf("the hostile text appears %d times as text, want it everywhere it was put (>= 15)", got)
	}
	if strings.Contains(page, "<script") {
		t.Error("raw <script in the page")
	}
}

// The way differs by method and key: an access key has no trust hop; a
// KMS key on the path is decided by the key policy; an undecided request
// greys its hop.
func TestAccessPathShapes(t *testing.T) {
	allowS3 := func(decision string, because ...check.Because) []check.RequestResult {
		var rs []check.RequestResult
		for _, a := range []string{"s3:PutObject", "s3:ListBucket"} {
			rs = append(rs, check.RequestResult{Action: a, Decision: decision, Because: because})
		}
		return rs
	}
	id := check.Because{File: "p.json", Line: 4, Sid: "Up", Effect: "Allow", Kind: "identity"}
	user := &check.PrincipalInfo{Type: "user", Name: "uploader", File: "u.json", Line: 1}
	hops := AccessPath(&check.Subject{Principal: user, Requests: allowS3("allowed", id)}, config.Setup{Auth: "access-key", AccessKeyID: "AKIAEXAMPLE"}, nil)
	var titles []string
	for _, h := range hops {
		titles = append(titles, h.Title+"="+h.State)
	}
	if got := strings.Join(titles, ", "); got != "Supermetrics (access key)=allowed, Your IAM user=allowed, Its policies and boundary=allowed, Bucket policy=allowed, KMS key=absent" {
		t.Errorf("access key: %s", got)
	}

	role := &check.PrincipalInfo{Type: "role", ARN: "arn:aws:iam::111122223333:role/r"}
	reqs := append([]check.RequestResult{{Action: "sts:AssumeRole", Decision: "allowed", Because: []check.Because{{Kind: "trust", Effect: "Allow", File: "t.json", Line: 2}}}},
		allowS3("allowed", id)...)
	reqs = append(reqs, check.RequestResult{Action: "kms:GenerateDataKey", Decision: "implicit_deny"},
		check.RequestResult{Action: "kms:Decrypt", Decision: "allowed", Because: []check.Because{{Kind: "key", Effect: "Allow", Sid: "K", File: "k.json", Line: 9}}})
	hops = AccessPath(&check.Subject{Principal: role, Requests: reqs}, config.Setup{Auth: "role", KMSKeyARN: "arn:aws:kms:eu-west-1:111122223333:key/k"}, nil)
	key := hops[len(hops)-1]
	if key.Title != "KMS key" || key.State != HopDenied || len(key.Lines) != 2 || key.Lines[0].Text != "no statement allows it" ||
		key.Lines[1].Where != "k.json:9" {
		t.Errorf("KMS hop: %+v", key)
	}

	unknown := AccessPath(&check.Subject{Principal: role, Requests: allowS3("unknown", check.Because{Kind: "boundary", File: "b.json", Line: 3})},
		config.Setup{Auth: "role"}, nil)
	for _, h := range unknown {
		if h.Title == "Its policies and boundary" && (h.State != HopUnknown || h.Lines[0].Where != "b.json:3") {
			t.Errorf("undecided boundary: %+v", h)
		}
		if h.Title == "Trust policy" && h.State != HopAbsent {
			t.Errorf("no trust request: trust hop %+v", h)
		}
	}
}

// Chromium renders the example's page (when it is installed; CI need not
// have it): the browser's DOM has the six hops, and a screenshot is taken.
func TestHTMLInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("*** chromium is not installed (apt-get install chromium): the HTML page is NOT checked in a browser ***")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "example.html")
	if err := os.WriteFile(page, render(t, "html", run(t, scenarios[0]), options(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + filepath.Join(dir, "profile")}
	out, err := exec.Command(bin, append(flags, "--dump-dom", "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	dom := parseHTML(t, string(out))
	if hops := byClass(dom, "li", "hop"); len(hops) != 6 {
		t.Errorf("chromium's DOM has %d hops, want 6", len(hops))
	}
	shot := filepath.Join(dir, "shot.png")
	if err := exec.Command(bin, append(flags, "--screenshot="+shot, "--window-size=1400,1000", "file://"+page)...).Run(); err != nil {
		t.Fatalf("chromium --screenshot: %v", err)
	}
	if b, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("no PNG screenshot: %v", err)
	}
}
