package rules_test

import (
	"io/fs"
	"strings"

	"github.com/smlint/smlint/rules"
)

func readEmbedded(file string) ([]byte, error) {
	return fs.ReadFile(rules.FS, strings.TrimPrefix(file, "rules/"))
}
