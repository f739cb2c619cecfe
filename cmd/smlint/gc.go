package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
// would save CPU at the risk of crossing it. (Those figures are from
// before large files were mapped and their pages handed back as they are
// parsed: the export now makes one collection after start-up, at 55 MiB,
// with 14 MiB live after it, and peaks at 89.5 MiB: make bench, d11f539.)
// GOGC or GOMEMLIMIT in the environment override the policy.
const gcMemoryLimit = 68 << 20

// gcGiveUp is the heap in use after a collection above which the limit is
// dropped for Go's default policy (GOGC=100, no limit): the limit itself.
// With more than the limit live, holding it keeps the collector running
// almost without pause. The 1,594 AWS managed policies keep about 76 MiB
// live while the rules run: with a give-up point of 85 MiB that run made 33
// collections and spent 2.1 s of user CPU, against 0.9 s with GOGC=100
// (/usr/bin/time, same binary). The account export keeps well under it
// (GODEBUG=gctrace=1), so it keeps the limit.
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

// The limit is given up for Go's default policy as soon as a collection
// leaves the heap crowded (the live heap more than three quarters of the
// heap goal the limit sets for the next one; the limit counts all of Go's
// memory, so that goal is some 15 MiB under it): the next collection would
// come after a few megabytes and mark the whole heap again. Until stop 16
// it took two such collections in a row while the collector had used over
// 10% of the CPU, so as to spare the account export, whose parse crowded
// the limit; since its file is mapped and parsed ahead it makes one
// collection after start-up and crowds nothing (14-15 MiB live after it).
// The 1,594 AWS managed policies in one run keep 44-48 MiB live once their
// documents are converted: giving up at the first crowded collection
// spares them the second (farm-bench, 15 pairs: CPU 0.90x, wall 0.92x;
// peak 98.1 vs 94.0 MiB); the export is unchanged (CPU 0.99x, peak 90.5 vs
// 89.3 MiB, within the noise of the binary's page cache).
func giveUpLimit(st gcState) bool {
	return st.live > gcGiveUp || crowded(st.live, st.goal)
}

// crowded: the live heap leaves less than a quarter of the goal to
// allocate before the next collection.
func crowded(live, goal uint64) bool { return live > goal/4*3 }

// watchGC checks the heap after the next collection and, while the limit
// still suits the run, after each one after. A sentinel object that is
// garbage at once has its finalizer run after each collection; it holds a
// pointer and is larger than the tiny-allocator size so that it is a
// finalizable object of its own.
func watchGC() {
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) {
		if giveUpLimit(readGCState()) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			return
		}
		watchGC()
	})
}

// gcState is what the runtime says of the last collection.
type gcState struct {
	live, goal uint64 // heap found reachable; heap goal of the next collection
}

func readGCState() gcState {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(samples)
	u := func(s metrics.Sample) uint64 {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s.Value.Uint64()
	}
	return gcState{live: u(samples[0]), goal: u(samples[1])}
}

type gcSentinel struct {
	_ *int
	_ [2]int64
}
