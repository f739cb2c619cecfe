//go:build unix

package load

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/smlint/smlint/internal/load/loadtest"
)

// writeExport writes an account export larger than mapAtLeast, so that
// Paths maps it instead of reading it.
func writeExport(t *testing.T) (string, []byte) {
	t.Helper()
	data := loadtest.AccountExport(60, 200, 2)
	if len(data) < 2*mapAtLeast {
		t.Fatalf("export of %d bytes is too small to be mapped", len(data))
	}
	path := filepath.Join(t.TempDir(), "account.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// TestMappedFileLoadsAsRead: a file large enough to be mapped (and its
// pages handed back while it is parsed) loads exactly as its bytes do.
func TestMappedFileLoadsAsRead(t *testing.T) {
	path, data := writeExport(t)
	mapped := 0
	defer func(h func(string)) { mappedHook = h }(mappedHook)
	mappedHook = func(string) { mapped++ }
	got := Paths([]string{path}, Options{})
	if mapped != 1 {
		t.Fatalf("file mapped %d times, want 1", mapped)
	}
	noErrors(t, got)
	want := Bytes(path, data, "")
	if len(got.Principals) != 72 || !reflect.DeepEqual(got.Principals, want.Principals) || !reflect.DeepEqual(got.Documents, want.Documents) {
		t.Fatalf("mapped file loads %d principals, %d documents; read: %d, %d (or they differ)",
			len(got.Principals), len(got.Documents), len(want.Principals), len(want.Documents))
	}
}

// TestMappedFileShrinking: a mapped file cut short while it is parsed
// faults on the pages past its new end; the file gets an error saying so
// and the run goes on, never a crash (SPEC §3: bad input is exit 2 with a
// clear message).
func TestMappedFileShrinking(t *testing.T) {
	path, _ := writeExport(t)
	other := td("raw", "trust.json")
	defer func(h func(string)) { mappedHook = h }(mappedHook)
	mappedHook = func(p string) {
		if err := os.Truncate(p, 0); err != nil {
			t.Error(err)
		}
	}
	in := Paths([]string{path, other}, Options{})
	if len(in.Errors) != 1 || in.Errors[0].File != path || in.Errors[0].Message != "the file changed while it was read (it became shorter): run smlint again" {
		t.Fatalf("errors %+v, want the shrunk file's", in.Errors)
	}
	if len(in.Documents) == 0 {
		t.Error("the other file was not loaded")
	}
}
