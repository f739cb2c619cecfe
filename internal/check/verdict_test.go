package check

import (
	"testing"

	"github.com/smlint/smlint/internal/engine"
)

// Issue 8 F3: the verdict and the findings never contradict.
func TestReconcile(t *testing.T) {
	cases := []struct {
		name              string
		findings          []engine.Finding
		upload, multipart string
	}{
		{"an SCP deny reported as putobject-denied", []engine.Finding{{Rule: "putobject-denied", Severity: "error"}}, VerdictDenied, VerdictDenied},
		{"a temporary access key", []engine.Finding{{Rule: "access-key-unusable", Severity: "error"}}, VerdictUnknown, VerdictUnknown},
		{"the verdict was for another role", []engine.Finding{{Rule: "role-arn-wrong", Severity: "error"}}, VerdictUnknown, VerdictUnknown},
		{"near miss: a warning does not refuse", []engine.Finding{{Rule: "kms-gap", Severity: "warning"}}, VerdictAllowed, VerdictAllowed},
		{"near miss: a breadth error does not refuse", []engine.Finding{{Rule: "trust-too-broad", Severity: "error"}}, VerdictAllowed, VerdictAllowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, m := reconcile(VerdictAllowed, VerdictAllowed, c.findings)
			if u != c.upload || m != c.multipart {
				t.Errorf("reconcile = %s, %s; want %s, %s", u, m, c.upload, c.multipart)
			}
		})
	}
	// A verdict is only ever lowered.
	if u, _ := reconcile(VerdictDenied, VerdictDenied, []engine.Finding{{Rule: "role-arn-wrong", Severity: "error"}}); u != VerdictDenied {
		t.Errorf("denied raised to %s", u)
	}
}
