package main

import (
	"math"
	"runtime"
	"runtime/debug"
)

// gcMemoryLimit is the Go memory (heap, stacks, runtime) a run may use
// before it collects garbage; below it the collector does not run. A check
// of one setup allocates about 10 MB and exits: collecting would only cost
// time (a third of the CPU of a short run). A large input collects only as
// it nears the limit, instead of letting the heap double after each
// collection as Go's default does. Chosen by measurement on the 23 MB
// account export (file and tree together are about 60 MB live at the end
// of parsing; the binary itself is about 30 MiB resident), interleaved
// runs against the previous policy (no collection until 64 MiB, then
// GOGC=100: 126-131 MiB peak RSS):
//
//	limit   peak RSS (median)   CPU vs previous
//	64 MiB  96.6 MiB            1.35x (13 collections)
//	68 MiB  97.0 MiB            1.08x (10 collections)
//	72 MiB  100.5 MiB           1.02x
//	80 MiB  99-100 MiB          about 1x (3 collections)
//
// and later, once the rest of the run allocated less, against 68 MiB:
//
//	76 MiB  96.8 MiB (max 97.0)   0.87x CPU
//	80 MiB  97.6 MiB (max 100.1)  0.71x CPU
//
// Resident memory also moves by about 5 MiB with the page-cache state of
// the binary itself (smlint version: 26.7 MiB for a binary built minutes
// earlier, 31.6 MiB for one just built, as make bench does), so 68 MiB is
// kept: it holds the export under 100 MiB with that margin; 76 or 80 MiB
// would save CPU at the risk of crossing it. GOGC or GOMEMLIMIT in the
// environment override the policy.
const gcMemoryLimit = 68 << 20

// gcGiveUp is the heap in use after a collection above which the limit is
// dropped for Go's default policy (GOGC=100, no limit): the limit itself.
// With more than the limit live, holding it keeps the collector running
// almost without pause. The 1,594 AWS managed policies keep about 76 MiB
// live while the rules run: with a give-up point of 85 MiB that run made 33
// collections and spent 2.1 s of user CPU, against 0.9 s with GOGC=100
// (/usr/bin/time, same binary). The account export peaks at 64 MiB live
// after a collection (GODEBUG=gctrace=1), so it keeps the limit.
const gcGiveUp = gcMemoryLimit

// tuneGC applies the policy above unless the user set GOGC or GOMEMLIMIT.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcMemoryLimit)
	watchGC()
}

// watchGC checks the live heap after the next collection and, while it
// stays below gcGiveUp, again after the one after. A sentinel object that
// is garbage at once has its finalizer run after each collection; it holds
// a pointer and is larger than the tiny-allocator size so that it is a
// finalizable object of its own.
func watchGC() {
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) {
		if liveHeap() > gcGiveUp {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			return
		}
		watchGC()
	})
}

// liveHeap is about the heap the last collection found reachable: the
// heap in use now, read just after a collection. ReadMemStats stops the
// world for a moment; it runs once per collection, a handful in a run.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

type gcSentinel struct {
	_ *int
	_ [2]int64
}
