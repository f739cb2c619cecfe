package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// referenceSize is how IAM counts a policy's size ("IAM does not count
// white space when calculating the size of a policy",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
// one rune at a time: every character inside a string, every character
// but white space outside.
func referenceSize(s string) int {
	n, inStr, esc := 0, false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
			n++
			continue
		}
		i++
		switch {
		case inStr:
			n++
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			n++
			inStr = c == '"'
		}
	}
	return n
}

// TestCountSizeIsReference: countSize agrees with the rune-by-rune count on
// policies and on random strings of quotes, escapes, white space,
// multi-byte and invalid UTF-8.
func TestCountSizeIsReference(t *testing.T) {
	texts := []string{"", "{}", `{ "a" : "b c" }`, "{\n\t\"Statement\": [ ]\r\n}", `"\" x"  y`, `"\\" x`, `"é\" x" y`, "\"\\\xff\" x\" y", `"unterminated  `}
	alphabet := []string{" ", "\t", "\n", "\r", `"`, `\`, "a", "é", "\u212A", "\xff", "\xe2\x82", "{", ":"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := countSize(s), referenceSize(s); got != want {
			t.Fatalf("countSize(%q) = %d, want %d", s, got, want)
		}
	}
}
