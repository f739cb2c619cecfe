package suppress

import (
	"fmt"
	"strings"

	"github.com/smlint/smlint/internal/didyoumean"
)

// Selection is which rules a run reports: --only (or `only_rules:`) keeps
// just those rules, --disable-rule (and `disable_rules:`) drops some, and
// --enable-rule brings back one the config disables or adds one to an only
// list. The engine still evaluates every rule (one prepared query): the
// selection filters findings, so a disabled rule costs nothing to add back.
type Selection struct {
	Only    []string
	Disable []string
	Enable  []string
}

// Active reports whether findings of rule id are reported.
func (s Selection) Active(id string) bool {
	enabled := contains(s.Enable, id)
	if len(s.Only) > 0 && !contains(s.Only, id) && !enabled {
		return false
	}
	return enabled || !contains(s.Disable, id)
}

// Check refuses rule ids the catalogue does not have, with the closest
// known id: a typo in --disable-rule must not leave the rule on silently.
func (s Selection) Check(known []string) error {
	for _, l := range []struct {
		what string
		ids  []string
	}{{"--only", s.Only}, {"--disable-rule", s.Disable}, {"--enable-rule", s.Enable}} {
		for _, id := range l.ids {
			if !contains(known, id) {
				return fmt.Errorf("%s: unknown rule %q%s (smlint rules lists them)", l.what, id, didyoumean.Hint(id, known))
			}
		}
	}
	return nil
}

// SplitIDs reads repeatable, comma-separated rule id flags.
func SplitIDs(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
