package main

import (
	"math"
	"runtime"
	"runtime/debug"
)

// gcStartLimit is the heap size up to which a run does not collect garbage.
// A check of one setup allocates about 10 MB and exits: collecting would
// only cost time (a third of the CPU of a short run). Once the Go heap
// reaches the limit the run is not short, the runtime collects, and the
// first collection restores Go's default policy (GOGC=100, no memory
// limit), so large inputs keep the memory profile they had. Chosen by
// measurement (BENCHMARKS.md); GOGC or GOMEMLIMIT in the environment
// override it.
const gcStartLimit = 64 << 20

// tuneGC applies the policy above unless the user set GOGC or GOMEMLIMIT.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcStartLimit)
	// The sentinel becomes garbage now; its finalizer runs after the first
	// collection, whatever triggered it. It holds a pointer and is larger
	// than the tiny-allocator size so that it is a finalizable object.
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

type gcSentinel struct {
	_ *int
	_ [2]int64
}
