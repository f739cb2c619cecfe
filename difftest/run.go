package difftest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/smlint/smlint/internal/iam"
	"github.com/smlint/smlint/internal/policy"
)

// Outcome is a decision in the vocabulary both sides share.
type Outcome string

// The decisions both sides can give (Unknown is smlint's alone).
const (
	Allowed      Outcome = "allowed"
	ImplicitDeny Outcome = "implicit_deny"
	ExplicitDeny Outcome = "explicit_deny"
	Unknown      Outcome = "unknown" // smlint only: it could not decide
	Rejected     Outcome = "rejected"
)

// SmlintResult is smlint's answer on a case.
type SmlintResult struct {
	Outcome Outcome
	Reasons []string
	// Rejected lists grammar problems smlint's parser found that make IAM
	// reject a document (the generator should never produce any).
	Rejected []string
}

// EvaluateSmlint decides a case with internal/iam, mapping it to the
// request model the checker uses (SPEC §1): same-account identity ∪ bucket
// policy for S3; the trust policy must allow, the vendor's own identity
// policies being outside smlint's view, for sts:AssumeRole; the key policy
// must allow (or delegate to IAM) for KMS.
func EvaluateSmlint(c Case) SmlintResult {
	var out SmlintResult
	parse := func(d Doc, kind policy.Kind, name string) *policy.Document {
		b, err := json.Marshal(d)
		if err != nil {
			panic(err) // generator values always marshal
		}
		doc, err := policy.FromText(string(b), kind, fmt.Sprintf("case-%d-%s.json", c.ID, name), 1)
		if err != nil {
			out.Rejected = append(out.Rejected, name+": "+err.Error())
			return nil
		}
		for _, p := range doc.Problems {
			if p.Rejected {
				out.Rejected = append(out.Rejected, name+": "+p.Message)
			}
		}
		return doc
	}
	var set iam.PolicySet
	for i, d := range c.Identity {
		set.Identity = append(set.Identity, parse(d, policy.Identity, fmt.Sprintf("identity%d", i)))
	}
	for i, d := range c.Boundary {
		set.Boundary = append(set.Boundary, parse(d, policy.Boundary, fmt.Sprintf("boundary%d", i)))
	}
	switch c.Kind {
	case KindS3:
		set.Mode = iam.SameAccount
		if c.ResourcePolicy != nil {
			set.Resource = append(set.Resource, parse(*c.ResourcePolicy, policy.Bucket, "bucket"))
		}
	case KindTrust:
		set.Mode = iam.ResourceMustAllow
		set.IdentityOutsideView = true
		set.Resource = append(set.Resource, parse(*c.ResourcePolicy, policy.Trust, "trust"))
	case KindKMS:
		set.Mode = iam.ResourceMustAllow
		set.Resource = append(set.Resource, parse(*c.ResourcePolicy, policy.Key, "key"))
	}
	if len(out.Rejected) > 0 {
		out.Outcome = Rejected
		return out
	}
	caller := iam.Caller{Type: iam.User, ARN: c.CallerARN, Account: c.CallerAccount}
	if strings.Contains(c.Principal, ":assumed-role/") {
		caller.Type = iam.RoleSession
		caller.SessionARN = c.Principal
	}
	ctx := iam.Context{}
	for _, k := range conditionKeys {
		ctx[strings.ToLower(k)] = iam.ContextValue{State: iam.Absent}
	}
	for k, v := range c.Context {
		ctx[strings.ToLower(k)] = iam.ContextValue{State: iam.Present, Values: []string{v}}
	}
	for k, prefix := range c.Foreign {
		ctx[strings.ToLower(k)] = iam.ForeignValue(prefix, false)
	}
	res := iam.Evaluate(iam.Request{Action: c.Action, Resource: c.Resource, Caller: caller, Context: ctx}, set)
	switch res.Decision {
	case iam.Allowed:
		out.Outcome = Allowed
	case iam.ImplicitDeny:
		out.Outcome = ImplicitDeny
	case iam.ExplicitDeny:
		out.Outcome = ExplicitDeny
	default:
		out.Outcome = Unknown
	}
	out.Reasons = iam.Texts(res.Reasons)
	return out
}

// The simulator's input (@cloud-copilot/iam-simulate Simulation).
type simCase struct {
	ID         int        `json:"id"`
	Simulation simulation `json:"simulation"`
}

type simulation struct {
	Request          simRequest    `json:"request"`
	IdentityPolicies []namedPolicy `json:"identityPolicies"`
	SCPs             []any         `json:"serviceControlPolicies"`
	RCPs             []any         `json:"resourceControlPolicies"`
	ResourcePolicy   *Doc          `json:"resourcePolicy,omitempty"`
	Boundaries       []namedPolicy `json:"permissionBoundaryPolicies,omitempty"`
}

type simRequest struct {
	Principal string            `json:"principal"`
	Action    string            `json:"action"`
	Resource  simResource       `json:"resource"`
	Context   map[string]string `json:"contextVariables"`
}

type simResource struct {
	Resource  string `json:"resource"`
	AccountID string `json:"accountId"`
}

type namedPolicy struct {
	Name   string `json:"name"`
	Policy Doc    `json:"policy"`
}

// vendorIdentity stands for the vendor role's own permissions, which smlint
// cannot see and takes to allow (PolicySet.IdentityOutsideView); the
// simulator is given this policy so that both start from the same premise.
var vendorIdentity = Doc{Version: "2012-10-17", Statement: []Stmt{{Effect: "Allow", Action: "sts:AssumeRole", Resource: "*"}}}

func toSimulation(c Case) simCase {
	s := simulation{
		Request: simRequest{Principal: c.Principal, Action: c.Action,
			Resource: simResource{Resource: c.Resource, AccountID: c.ResourceAccount}, Context: c.Context},
		IdentityPolicies: []namedPolicy{},
		SCPs:             []any{},
		RCPs:             []any{},
		ResourcePolicy:   c.ResourcePolicy,
	}
	for i, d := range c.Identity {
		s.IdentityPolicies = append(s.IdentityPolicies, namedPolicy{Name: fmt.Sprintf("identity%d", i), Policy: d})
	}
	if c.Kind == KindTrust {
		s.IdentityPolicies = append(s.IdentityPolicies, namedPolicy{Name: "vendor", Policy: vendorIdentity})
	}
	for i, d := range c.Boundary {
		s.Boundaries = append(s.Boundaries, namedPolicy{Name: fmt.Sprintf("boundary%d", i), Policy: d})
	}
	return simCase{ID: c.ID, Simulation: s}
}

// SimResult is the simulator's answer on a case.
type SimResult struct {
	Outcome Outcome
	Error   string   // the simulator refused the input
	Ignored []string // context keys it ignored as not applicable to the action
}

type simLine struct {
	ID      int      `json:"id"`
	Result  string   `json:"result"`
	Error   string   `json:"error"`
	Ignored []string `json:"ignoredContextKeys"`
}

// ErrNoNode means node or npm is missing, or the simulator could not be
// installed: the differential test cannot run.
var ErrNoNode = errors.New("node/npm not available")

// InstallSimulator runs sim/install.sh and returns the folder holding
// node_modules. repo is the repository root.
func InstallSimulator(repo string) (string, error) {
	for _, tool := range []string{"node", "npm", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%w: %s not on PATH", ErrNoNode, tool)
		}
	}
	cmd := exec.Command("bash", filepath.Join(repo, "difftest", "sim", "install.sh"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: install.sh: %v: %s", ErrNoNode, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1], nil
}

// workers is how many node processes to start for n cases: one per CPU, but
// no more than one per thousand cases (start-up costs about 0.2 s).
func workers(n int) int {
	return max(1, min(runtime.NumCPU(), 1+n/1000, 8))
}

// RunSimulator decides every case with the simulator, in workers node
// processes (each a batch: node's start-up costs more than a case).
func RunSimulator(repo, nodeDir string, cases []Case, workers int) (map[int]SimResult, error) {
	if workers < 1 {
		workers = 1
	}
	if workers > len(cases) {
		workers = max(1, len(cases))
	}
	results := make(map[int]SimResult, len(cases))
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		lo, hi := w*len(cases)/workers, (w+1)*len(cases)/workers
		wg.Add(1)
		go func(w int, part []Case) {
			defer wg.Done()
			got, err := runBatch(repo, nodeDir, part)
			if err != nil {
				errs[w] = err
				return
			}
			mu.Lock()
			for id, r := range got {
				results[id] = r
			}
			mu.Unlock()
		}(w, cases[lo:hi])
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return results, nil
}

// freshTwin is the reading of a case with Foreign keys where each holds a
// fresh value; the case itself (Foreign keys not in Context) is the reading
// where they are absent.
func freshTwin(c Case) Case {
	t := c
	t.ID = -(c.ID + 1)
	t.Context = map[string]string{}
	for k, v := range c.Context {
		t.Context[k] = v
	}
	for k, prefix := range c.Foreign {
		t.Context[k] = prefix + foreignFresh
	}
	return t
}

func runBatch(repo, nodeDir string, cases []Case) (map[int]SimResult, error) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	sent := 0
	for _, c := range cases {
		batch := []Case{c}
		if len(c.Foreign) > 0 {
			batch = append(batch, freshTwin(c))
		}
		for _, b := range batch {
			if err := enc.Encode(toSimulation(b)); err != nil {
				return nil, err
			}
			sent++
		}
	}
	cmd := exec.Command("node", filepath.Join(repo, "difftest", "sim", "run.mjs"))
	cmd.Env = append(os.Environ(), "DIFFTEST_NODE_DIR="+nodeDir)
	cmd.Stdin = &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("run.mjs: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	out := make(map[int]SimResult, len(cases))
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for sc.Scan() {
		var l simLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("run.mjs output %q: %v", sc.Text(), err)
		}
		r := SimResult{Error: l.Error, Ignored: l.Ignored}
		switch l.Result {
		case "Allowed":
			r.Outcome = Allowed
		case "ImplicitlyDenied":
			r.Outcome = ImplicitDeny
		case "ExplicitlyDenied":
			r.Outcome = ExplicitDeny
		default:
			r.Outcome = Rejected
			if r.Error == "" {
				r.Error = "unexpected result " + l.Result
			}
		}
		out[l.ID] = r
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) != sent {
		return nil, fmt.Errorf("run.mjs answered %d of %d cases: %s", len(out), sent, strings.TrimSpace(stderr.String()))
	}
	// A case with Foreign keys is decided when both readings agree
	// (SPEC §1); otherwise the simulator's answer is unknown, which is what
	// smlint must say.
	for _, c := range cases {
		if len(c.Foreign) == 0 {
			continue
		}
		twin := -(c.ID + 1)
		a, f := out[c.ID], out[twin]
		delete(out, twin)
		if a.Outcome != f.Outcome && a.Outcome != Rejected && f.Outcome != Rejected {
			a.Outcome = Unknown
			a.Error = fmt.Sprintf("readings of the vendor-side keys disagree: absent %s, fresh value %s", out[c.ID].Outcome, f.Outcome)
		} else if f.Outcome == Rejected {
			a = f
		}
		out[c.ID] = a
	}
	return out, nil
}
