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
	watchGC(false)
}

// The limit is given up for Go's default policy when two collections in a
// row (as the watch sees them) leave the heap crowded (the live heap more
// than three quarters of the heap goal the limit sets for the next one;
// the limit counts all of Go's memory, so that goal is some 15 MiB under
// it) while the collector has already taken more than gcCostly of the CPU
// the run used: the next collection will come after a few megabytes and
// mark the whole heap again. The 1,594 AWS managed policies in one run
// keep 40-56 MiB live while the rules run: under the limit alone they made
// 8 to 13 collections, the collector's share of the CPU reaching 12% at
// the fifth (GODEBUG=gctrace=1); with this rule, 0.72x the CPU of the
// limit alone (farm-bench, 7 paired runs). The account export crowds the
// limit only while its file is parsed (two collections, the collector at
// 2-7% of the CPU, then 14 MiB live): it keeps the limit, and its peak
// (median 90.1 MiB over 15 paired runs, 89.3 before). Since its file is
// mapped and parsed ahead on both cores it makes one collection and
// crowds nothing; on a quiet machine the managed policies now run in the
// same time under this policy as with GOGC=100 (0.59-0.62 s, 3 runs each).
const gcCostly = 0.10

// giveUpLimit decides, after a collection, whether the limit goes (see
// gcGiveUp and gcCostly).
func giveUpLimit(st gcState, crowdedBefore bool) bool {
	return st.live > gcGiveUp || crowdedBefore && crowded(st.live, st.goal) && st.gcShare() > gcCostly
}

// crowded: the live heap leaves less than a quarter of the goal to
// allocate before the next collection.
func crowded(live, goal uint64) bool { return live > goal/4*3 }

// watchGC checks the heap after the next collection and, while the limit
// still suits the run, again after the one after; crowdedBefore says the
// previous check found the heap crowded. A sentinel object that
// is garbage at once has its finalizer run after each collection; it holds
// a pointer and is larger than the tiny-allocator size so that it is a
// finalizable object of its own.
func watchGC(crowdedBefore bool) {
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) {
		st := readGCState()
		if giveUpLimit(st, crowdedBefore) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			return
		}
		watchGC(crowded(st.live, st.goal))
	})
}

// gcState is what the runtime says of the last collection and of the CPU
// the collector has used.
type gcState struct {
	live, goal      uint64  // heap found reachable; heap goal of the next collection
	gcCPU, totalCPU float64 // seconds (the runtime's estimates)
}

func (s gcState) gcShare() float64 {
	if s.totalCPU <= 0 {
		return 0
	}
	return s.gcCPU / s.totalCPU
}

func readGCState() gcState {
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"},
	}
	metrics.Read(samples)
	u := func(s metrics.Sample) uint64 {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s.Value.Uint64()
	}
	f := func(s metrics.Sample) float64 {
		if s.Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return s.Value.Float64()
	}
	return gcState{live: u(samples[0]), goal: u(samples[1]), gcCPU: f(samples[2]), totalCPU: f(samples[3])}
}

type gcSentinel struct {
	_ *int
	_ [2]int64
}
