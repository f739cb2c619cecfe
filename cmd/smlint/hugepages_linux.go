package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeap is how much of the heap is asked to come in 2 MiB pages. A
// first touch of a 4 KiB page costs 15-25 µs on the VMs this runs on
// (64 MiB touched page by page: about 370 ms; in 2 MiB pages: 4 ms, and
// 16,390 faults become 32), and a run touches its heap once: the 1,594 AWS
// managed policies made 18,000 page faults, 0.2 s of system time and about
// as much again in user time. Go leaves its heap to the kernel's default,
// which is 4 KiB pages unless a range asks (transparent_hugepage=madvise,
// the usual setting). 64 MiB covers the heap of a large run under the
// memory limit (gc.go) and is only address space until touched.
const hugeHeap = 64 << 20

// adviseHugePages asks for 2 MiB pages on the next hugeHeap bytes the heap
// grows into: it allocates them as one block, marks them
// MADV_HUGEPAGE (madvise(2); the kernel backs a marked range with huge
// pages as it is first touched) and frees the block at once, so the run's
// allocations reuse the marked range. The block is never written, so it
// costs no memory: about a millisecond for one collection of the small
// heap of start-up. GODEBUG=disablethp=1, Go's own switch for huge pages,
// turns it off.
func adviseHugePages(getenv func(string) string) {
	if strings.Contains(getenv("GODEBUG"), "disablethp=1") {
		return
	}
	// No collection while the block is held: it is garbage at once.
	prev := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(prev)
	// A strings.Builder grows without clearing its new memory, where make
	// would clear a block that begins in memory the heap used before (init
	// leaves some): clearing would touch, and so back, all 64 MiB. Only the
	// first byte is written.
	var block strings.Builder
	block.Grow(hugeHeap)
	block.WriteByte(0)
	const huge = 2 << 20
	start := uintptr(unsafe.Pointer(unsafe.StringData(block.String())))
	beg := (start + huge - 1) &^ (huge - 1)
	end := (start + hugeHeap) &^ (huge - 1)
	if beg < end {
		// An error (no transparent huge pages in this kernel) leaves the
		// heap as it was.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, madvHugePage)
	}
	runtime.KeepAlive(&block) // garbage from here: the collection frees it
	runtime.GC()
}

// madvHugePage is MADV_HUGEPAGE (linux/mman.h), which package syscall
// does not name.
const madvHugePage = 14
