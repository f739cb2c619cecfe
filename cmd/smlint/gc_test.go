package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercentAfterCollection runs tuneGC, keeps live bytes reachable across
// one collection and returns the GC percent in force once the watch has
// run (the policy is restored to Go's default afterwards).
func gcPercentAfterCollection(t *testing.T, live int) int {
	t.Helper()
	defer func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}()
	tuneGC(func(string) string { return "" })
	keep := make([]byte, live)
	runtime.GC()
	var pct int
	for i := 0; i < 50; i++ { // the finalizer runs on its own goroutine
		pct = debug.SetGCPercent(-2)
		debug.SetGCPercent(pct)
		if pct != -1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(keep)
	return pct
}

// TestGCPolicyKeepsLimitForSmallHeaps: a heap well under gcGiveUp keeps the
// collector off (GC percent -1) after a collection.
func TestGCPolicyKeepsLimitForSmallHeaps(t *testing.T) {
	if pct := gcPercentAfterCollection(t, 1<<20); pct != -1 {
		t.Fatalf("GC percent %d after a collection with 1 MiB live, want -1 (limit only)", pct)
	}
}

// TestGCPolicyGivesUpForLargeHeaps: with more than gcGiveUp live after a
// collection, Go's default policy (GOGC=100) is restored.
func TestGCPolicyGivesUpForLargeHeaps(t *testing.T) {
	if pct := gcPercentAfterCollection(t, gcGiveUp+(8<<20)); pct != 100 {
		t.Fatalf("GC percent %d after a collection with %d MiB live, want 100", pct, (gcGiveUp+(8<<20))>>20)
	}
}

// TestGiveUpLimit: the limit goes when the live heap exceeds it, or when a
// collection leaves the heap crowded (less than a quarter of the goal to
// allocate before the next one); a roomy heap keeps it.
func TestGiveUpLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name string
		st   gcState
		want bool
	}{
		{"small heap", gcState{live: 4 * mib, goal: 50 * mib}, false},
		{"the export after its parse", gcState{live: 15 * mib, goal: 55 * mib}, false},
		{"three quarters of the goal exactly", gcState{live: 39 * mib, goal: 52 * mib}, false},
		{"live over the limit", gcState{live: gcGiveUp + mib, goal: gcGiveUp + 2*mib}, true},
		{"crowded (the managed policies once converted)", gcState{live: 44 * mib, goal: 52 * mib}, true},
		{"no figures", gcState{}, false},
	} {
		if got := giveUpLimit(tc.st); got != tc.want {
			t.Errorf("%s: giveUpLimit = %v, want %v", tc.name, got, tc.want)
		}
	}
}
