package live

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// WriteText prints the cross-check section that follows the text report.
func WriteText(w io.Writer, cc *CrossCheck, color bool) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + "\x1b[0m"
	}
	title := "IAM policy simulator cross-check"
	if cc.PolicySourceARN != "" {
		title += " (iam:SimulatePrincipalPolicy for " + cc.PolicySourceARN + ")"
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, paint("\x1b[1m", title))
	if cc.Error != "" {
		fmt.Fprintf(bw, "  %s\n", paint("\x1b[33m", "not run: "+cc.Error))
	}
	if len(cc.Comparisons) > 0 {
		fmt.Fprintf(bw, "  %-20s %-15s %-13s %-13s %s\n", "action", "source ip", "smlint", "simulator", "result")
	}
	counts := map[string]int{}
	for _, r := range cc.Comparisons {
		counts[r.Status]++
		src := r.SourceIP
		if src == "" {
			src = "-"
		}
		sim := r.Simulator
		if sim == "" {
			sim = "-"
		}
		mine := r.Smlint
		if mine == "" {
			mine = "-"
		}
		result := r.Status
		code := "\x1b[2m"
		switch r.Status {
		case StatusAgree:
			code = "\x1b[32m"
		case StatusDisagree:
			code = "\x1b[31m"
		case StatusKnownLimit:
			result = "known limit"
			code = "\x1b[33m"
		case StatusNotCompared:
			result = "not compared"
		}
		fmt.Fprintf(bw, "  %-20s %-15s %-13s %-13s %s\n", r.Action, src, mine, sim, paint(code, result))
		fmt.Fprintf(bw, "  %20s %s %s\n", "", paint("\x1b[2m", "on"), r.Resource)
		if r.Limit != "" {
			fmt.Fprintf(bw, "  %20s %s %s\n", "", paint("\x1b[2m", "limit"), r.Limit)
		}
		if r.Note != "" {
			fmt.Fprintf(bw, "  %20s %s %s\n", "", paint("\x1b[2m", "note"), r.Note)
		}
		if len(r.MissingContextValues) > 0 {
			fmt.Fprintf(bw, "  %20s %s %s\n", "", paint("\x1b[2m", "missing context"), strings.Join(r.MissingContextValues, ", "))
		}
	}
	if len(cc.Notes) > 0 {
		fmt.Fprintln(bw, "  Notes:")
		for _, n := range cc.Notes {
			fmt.Fprintf(bw, "  - %s\n", n)
		}
	}
	fmt.Fprintf(bw, "  %d agree, %d disagree, %d known limit, %d not compared\n",
		counts[StatusAgree], counts[StatusDisagree], counts[StatusKnownLimit], counts[StatusNotCompared])
	return bw.Flush()
}

// AddToJSON returns the SPEC §4 report object in reportJSON with one more
// top-level key, "simulator", holding the comparisons. The report's own keys
// keep their order and values: the new key is spliced in before the closing
// brace rather than decoding into a map, which would sort the keys.
func AddToJSON(reportJSON []byte, cc *CrossCheck) ([]byte, error) {
	body := bytes.TrimRight(reportJSON, " \t\r\n")
	if !json.Valid(body) || len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, errors.New("report is not a JSON object")
	}
	rows := cc.Comparisons
	if rows == nil {
		rows = []Comparison{}
	}
	var sim bytes.Buffer
	enc := json.NewEncoder(&sim)
	enc.SetEscapeHTML(false) // as the report itself: ARNs and messages stay readable
	if err := enc.Encode(rows); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	inner := bytes.TrimSpace(body[1 : len(body)-1])
	b.WriteByte('{')
	b.Write(inner)
	if len(inner) > 0 {
		b.WriteByte(',')
	}
	b.WriteString(`"simulator":`)
	b.Write(bytes.TrimSpace(sim.Bytes()))
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
