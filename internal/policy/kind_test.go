package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestHasServicePrefixIsToLower: hasServicePrefix answers as
// strings.HasPrefix(strings.ToLower(action), prefix) did before it, on
// mixed case, short strings, non-ASCII letters that lower-case to ASCII
// (Kelvin sign K → k, so "\u212Ams:" is kms:), ones that lower-case to
// more bytes (İ), invalid UTF-8, and random strings over those.
func TestHasServicePrefixIsToLower(t *testing.T) {
	actions := []string{"", "s", "s3", "s3:", "S3:GetObject", "sTs:AssumeRole", "KMS:Decrypt", "kms", "\u212Ams:Decrypt",
		"\u212AMS:x", "\u0130s3:", "s\u0130:", "\xffs3:", "s3\xff", "\u017Fts:AssumeRole", "*", "s3*", "ec2:Run"}
	prefixes := []string{"sts:", "s3:", "kms:"}
	alphabet := []string{"s", "S", "3", ":", "t", "T", "k", "K", "m", "M", "\u212A", "\u017F", "\u0130", "\xff", "x"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		actions = append(actions, b.String())
	}
	for _, a := range actions {
		for _, p := range prefixes {
			if got, want := hasServicePrefix(a, p), strings.HasPrefix(strings.ToLower(a), p); got != want {
				t.Errorf("hasServicePrefix(%q, %q) = %v, ToLower says %v", a, p, got, want)
			}
		}
	}
}

// TestDetectKindFoldsCase: the service prefix of an action is compared
// without regard to case (IAM JSON policy elements: Action, "The prefix
// and the action name are case insensitive":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
func TestDetectKindFoldsCase(t *testing.T) {
	cases := []struct {
		name, src string
		want      Kind
	}{
		{"trust upper case", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":["STS:AssumeRole","Sts:TagSession"],"Resource":"*"}]}`, Trust},
		{"bucket upper case", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"S3:GetObject","Resource":"*"}]}`, Bucket},
		{"key upper case", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"KMS:Decrypt","Resource":"arn:aws:kms:eu-west-1:111122223333:key/k"}]}`, Key},
		{"not action counts", `{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"sts:AssumeRole"}]}`, Trust},
		{"identity however its actions read", `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`, Identity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := mustDoc(t, c.src, ""); d.Kind != c.want {
				t.Errorf("kind = %q, want %q", d.Kind, c.want)
			}
		})
	}
}
