//go:build unix

package load

import "golang.org/x/sys/unix"

// mapping is a file mapped read-only into memory (mmap(2)). Its pages are
// the system's page cache, not the Go heap: they cost no copy, do not count
// toward the collector's memory limit (cmd/smlint/gc.go), and can be handed
// back while the file is parsed (passed).
type mapping struct {
	data []byte
	page int
}

// mapFile maps size bytes of the open file fd; false when the system
// refuses, and the caller reads the file instead.
func mapFile(fd uintptr, size int64) (*mapping, bool) {
	data, err := unix.Mmap(int(fd), 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return &mapping{data: data, page: unix.Getpagesize()}, true
}

// passed tells the system that the first n bytes are not needed soon: their
// pages leave the process's resident memory (madvise MADV_DONTNEED). They
// stay readable (a read maps them again from the page cache), so this is
// advice, never a loss of data.
func (m *mapping) passed(n int) {
	n -= n % m.page
	if n > 0 {
		_ = unix.Madvise(m.data[:n], unix.MADV_DONTNEED)
	}
}

// close unmaps the file; data must not be used afterwards.
func (m *mapping) close() { _ = unix.Munmap(m.data) }
