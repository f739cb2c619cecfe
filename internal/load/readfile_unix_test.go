//go:build unix

package load

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/tree"
)

// TestReadFileAgreesWithOS: the system-call path of readFile returns what
// the os path returns, bytes or error message, for every kind of file the
// walk may have seen as regular and then found changed (a FIFO, a
// directory, a dangling link, a missing file), over the size limit, or
// large enough to be mapped. A FIFO must not block the open.
func TestReadFileAgreesWithOS(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	paths := map[string]string{
		"small":   write("small.json", []byte(`{"Statement":[]}`)),
		"empty":   write("empty.json", nil),
		"mapped":  write("mapped.json", bytes.Repeat([]byte(" "), 2*mapAtLeast)),
		"missing": filepath.Join(dir, "missing.json"),
		"dir":     dir,
	}
	over := write("over.json", nil)
	if err := os.Truncate(over, int64(tree.DefaultLimits.MaxBytes)+1); err != nil {
		t.Fatal(err)
	}
	paths["over the limit"] = over
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	paths["dangling link"] = dangling
	if fifo := filepath.Join(dir, "pipe.json"); syscall.Mkfifo(fifo, 0o644) == nil {
		paths["FIFO"] = fifo
	}
	for name, path := range paths {
		t.Run(name, func(t *testing.T) {
			type result struct {
				data    []byte
				mapped  bool
				message string
			}
			read := func(f func() ([]byte, *mapping, error)) result {
				done := make(chan result, 1)
				go func() {
					data, m, err := f()
					r := result{data: bytes.Clone(data), mapped: m != nil}
					if m != nil {
						m.close()
					}
					if err != nil {
						r.message = errMessage(err)
					}
					done <- r
				}()
				select {
				case r := <-done:
					return r
				case <-time.After(10 * time.Second):
					t.Fatal("reading blocked")
					return result{}
				}
			}
			got := read(func() ([]byte, *mapping, error) { return readFile(path, true) })
			want := read(func() ([]byte, *mapping, error) { return readFileOS(path) })
			if !bytes.Equal(got.data, want.data) || got.mapped != want.mapped || got.message != want.message {
				t.Fatalf("readFile: %d bytes, mapped %v, error %q; readFileOS: %d bytes, mapped %v, error %q",
					len(got.data), got.mapped, got.message, len(want.data), want.mapped, want.message)
			}
			if name != "small" && name != "empty" && name != "mapped" && want.message == "" {
				t.Fatalf("no error for %s", name)
			}
		})
	}
}
