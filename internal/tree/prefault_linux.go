package tree

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// prefault maps the pages of the n bytes at p in one system call
// (madvise MADV_POPULATE_WRITE, Linux 5.14 and later) instead of one fault
// per page; false when the system does not do it.
func prefault(p unsafe.Pointer, n uintptr) bool {
	return unix.Madvise(unsafe.Slice((*byte)(p), n), unix.MADV_POPULATE_WRITE) == nil
}
