package load

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smlint/smlint/internal/tree"
)

var update = flag.Bool("update", false, "rewrite testdata/detected.golden")

// TestDetection pins which format recognises every file of the fixture
// table and of this package's testdata: the formats are tried in the order
// of one table, and a change of order (or of a detect function) that moves
// a file to another format shows here, file by file.
func TestDetection(t *testing.T) {
	var b strings.Builder
	for _, root := range []string{"../../fixtures", "testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "fuzz" {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if name == "expected.json" || strings.HasPrefix(name, ".") || !(dataExt[strings.ToLower(filepath.Ext(name))] || terraformSource(name)) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b.WriteString(filepath.ToSlash(path) + "\t" + detectedAs(path, data) + "\n")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	golden := filepath.Join("testdata", "detected.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("line %d: got %q, want %q", i+1, g, w)
			}
		}
	}
}

// detectedAs names the format loadBytes would pick for a file, or why none.
func detectedAs(file string, data []byte) string {
	if strings.HasSuffix(strings.ToLower(file), ".tf") {
		return "(terraform source)"
	}
	root, err := parseData(file, data, tree.FromJSON)
	if err != nil {
		return "(unparsed)"
	}
	if f, ok := detect(root); ok {
		return f.Name()
	}
	return "(none)"
}
