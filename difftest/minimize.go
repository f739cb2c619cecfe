package difftest

import (
	"encoding/json"
	"sort"
)

// Minimize shrinks each disagreement to a smaller case on which the two
// sides still give the same pair of answers: whole documents, statements,
// condition entries and extra list values are dropped one at a time, greedily,
// for up to rounds rounds. Each round is one simulator batch for all cases.
// The classifier then looks at what is left, which is what explains the
// disagreement.
func Minimize(repo, nodeDir string, ds []Disagreement, rounds int) ([]Disagreement, error) {
	out := append([]Disagreement(nil), ds...)
	done := make([]bool, len(out))
	for round := 0; round < rounds; round++ {
		var batch []Case
		owner := map[int]int{} // candidate id -> index in out
		first := map[int][]int{}
		next := 1 << 30
		for i, d := range out {
			if done[i] || d.Smlint.Outcome == Rejected || d.Sim.Outcome == Rejected {
				done[i] = true
				continue
			}
			for _, c := range shrink(d.Case) {
				// smlint is cheap: send the simulator only candidates on
				// which smlint still gives the same answer.
				if EvaluateSmlint(c).Outcome != d.Smlint.Outcome {
					continue
				}
				c.ID = next
				next++
				owner[c.ID] = i
				first[i] = append(first[i], c.ID)
				batch = append(batch, c)
			}
			if len(first[i]) == 0 {
				done[i] = true
			}
		}
		if len(batch) == 0 {
			break
		}
		byID := map[int]Case{}
		for _, c := range batch {
			byID[c.ID] = c
		}
		sim, err := RunSimulator(repo, nodeDir, batch, workers(len(batch)))
		if err != nil {
			return nil, err
		}
		for i := range out {
			if done[i] {
				continue
			}
			ids := first[i]
			sort.Ints(ids)
			found := false
			for _, id := range ids {
				c := byID[id]
				sr := sim[id]
				if sr.Outcome != out[i].Sim.Outcome {
					continue
				}
				sm := EvaluateSmlint(c)
				if sm.Outcome != out[i].Smlint.Outcome {
					continue
				}
				c.ID = out[i].Case.ID
				out[i] = Disagreement{Case: c, Smlint: sm, Sim: sr}
				found = true
				break
			}
			if !found {
				done[i] = true
			}
		}
	}
	return out, nil
}

// clone deep-copies a case through JSON (cases are small).
func clone(c Case) Case {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var out Case
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// shrink lists the cases one step smaller than c.
func shrink(c Case) []Case {
	var out []Case
	// Whole documents.
	for i := range c.Identity {
		x := clone(c)
		x.Identity = append(x.Identity[:i], x.Identity[i+1:]...)
		out = append(out, x)
	}
	if len(c.Boundary) > 0 {
		x := clone(c)
		x.Boundary = nil
		out = append(out, x)
	}
	if c.ResourcePolicy != nil && c.Kind == KindS3 {
		x := clone(c)
		x.ResourcePolicy = nil
		out = append(out, x)
	}
	// Statements, then parts of statements, in every document.
	docs := func(x *Case) []*Doc {
		var ds []*Doc
		for i := range x.Identity {
			ds = append(ds, &x.Identity[i])
		}
		for i := range x.Boundary {
			ds = append(ds, &x.Boundary[i])
		}
		if x.ResourcePolicy != nil {
			ds = append(ds, x.ResourcePolicy)
		}
		return ds
	}
	nd := len(docs(&c))
	for di := 0; di < nd; di++ {
		d := docs(&c)[di]
		for si := range d.Statement {
			if len(d.Statement) > 1 {
				x := clone(c)
				xd := docs(&x)[di]
				xd.Statement = append(xd.Statement[:si], xd.Statement[si+1:]...)
				out = append(out, x)
			}
			st := d.Statement[si]
			for _, op := range sortedKeys(st.Condition) {
				for _, k := range sortedKeys(st.Condition[op]) {
					x := clone(c)
					xs := &docs(&x)[di].Statement[si]
					delete(xs.Condition[op], k)
					if len(xs.Condition[op]) == 0 {
						delete(xs.Condition, op)
					}
					if len(xs.Condition) == 0 {
						xs.Condition = nil
					}
					out = append(out, x)
				}
			}
			if st.Sid != "" {
				x := clone(c)
				docs(&x)[di].Statement[si].Sid = ""
				out = append(out, x)
			}
			// Lists with several values: keep one.
			fields := []func(s *Stmt) *any{
				func(s *Stmt) *any { return &s.Action }, func(s *Stmt) *any { return &s.NotAction },
				func(s *Stmt) *any { return &s.Resource }, func(s *Stmt) *any { return &s.NotResource },
			}
			for _, f := range fields {
				vals := list(*f(&st))
				if len(vals) < 2 {
					continue
				}
				for _, v := range vals {
					x := clone(c)
					*f(&docs(&x)[di].Statement[si]) = v
					out = append(out, x)
				}
			}
			for _, f := range []func(s *Stmt) *any{func(s *Stmt) *any { return &s.Principal }, func(s *Stmt) *any { return &s.NotPrincipal }} {
				m, ok := (*f(&st)).(map[string]any)
				if !ok {
					continue
				}
				vals := list(m["AWS"])
				if len(vals) < 2 {
					continue
				}
				for _, v := range vals {
					x := clone(c)
					*f(&docs(&x)[di].Statement[si]) = map[string]any{"AWS": v}
					out = append(out, x)
				}
			}
			for _, op := range sortedKeys(st.Condition) {
				for _, k := range sortedKeys(st.Condition[op]) {
					vals := list(st.Condition[op][k])
					if len(vals) < 2 {
						continue
					}
					for _, one := range vals {
						x := clone(c)
						docs(&x)[di].Statement[si].Condition[op][k] = one
						out = append(out, x)
					}
				}
			}
		}
	}
	return out
}

// list reads a string-or-array value (as generated, or after a JSON round trip).
func list(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
