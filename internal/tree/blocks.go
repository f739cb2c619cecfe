package tree

import "unsafe"

// Blocks of nodes, members and items for the tree of a large text, made
// ready on another goroutine while the parser reads.
//
// Most of the time spent building the tree of a large export is not the
// parser's: it is the system handing the process fresh memory, one page
// fault per 4 KiB page the first time it is written (about 9,000 faults
// for the 36 MB tree of a 23 MB export, each a trap into the kernel, and
// on a virtual machine often out to the host). A goroutine that allocates
// the next blocks and writes one word of each of their pages takes those
// faults on another processor, in parallel with the parse, which finds
// its memory mapped. Blocks are at most a few ahead of the parser, so the
// memory is the same. Since smlint asks for 2 MiB pages on the first 64 MiB
// of its heap (cmd/smlint/hugepages_linux.go) most of those faults are
// gone; what this still saves is about 4% of the export's wall time
// (farm-bench, 31 pairs with and without it: wall 1.04x without, CPU the
// same).

const (
	nodeBlock   = 4096  // 320 KiB of Node
	memberBlock = 8192  // 256 KiB of Member
	itemBlock   = 16384 // 128 KiB of *Node
	pageSize    = 4096  // the smallest page size; larger ones are touched more often than needed
)

// blockSupplier prepares blocks until stop is closed.
type blockSupplier struct {
	nodes   chan []Node
	members chan []Member
	items   chan []*Node
	stop    chan struct{}
}

func newBlockSupplier() *blockSupplier {
	s := &blockSupplier{
		nodes:   make(chan []Node, 2),
		members: make(chan []Member, 2),
		items:   make(chan []*Node, 2),
		stop:    make(chan struct{}),
	}
	go s.run()
	return s
}

func (s *blockSupplier) run() {
	var nodes []Node
	var members []Member
	var items []*Node
	for {
		if nodes == nil {
			nodes = mappedBlock[Node](nodeBlock)
		}
		if members == nil {
			members = mappedBlock[Member](memberBlock)
		}
		if items == nil {
			items = mappedBlock[*Node](itemBlock)
		}
		select {
		case s.nodes <- nodes:
			nodes = nil
		case s.members <- members:
			members = nil
		case s.items <- items:
			items = nil
		case <-s.stop:
			return
		}
	}
}

// mappedBlock allocates n values and has their memory mapped: by one
// system call where there is one (prefault), and by writing a byte of each
// page. Both are needed on a virtual machine: the call maps the pages in
// the guest at a fraction of the cost of a fault per page, but the first
// write to each still costs a few microseconds (the host's mapping), which
// is better spent here than in the parser. The byte written is zero over
// zero: the block holds nothing yet, and the parser sets each value before
// anything reads it.
func mappedBlock[T any](n int) []T {
	b := make([]T, n)
	size := uintptr(n) * unsafe.Sizeof(b[0])
	prefault(unsafe.Pointer(&b[0]), size)
	mem := unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), size)
	for i := 0; i < len(mem); i += pageSize {
		mem[i] = 0
	}
	return b
}
