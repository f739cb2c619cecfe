package parallel

import (
	"sync/atomic"
	"testing"
)

// TestForCallsEachIndexOnce: every index exactly once, for any number of
// workers, none, or more workers than steps.
func TestForCallsEachIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 4}, {5, 1}, {5, 0}, {100, 2}, {3, 8}, {1000, 7}} {
		calls := make([]atomic.Int32, tc.n)
		For(tc.n, tc.workers, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Errorf("n=%d workers=%d: index %d called %d times", tc.n, tc.workers, i, c)
			}
		}
	}
}

// TestForUsesSeveralGoroutines: with two workers, two calls can be in
// flight at once (the first waits for the second to start).
func TestForUsesSeveralGoroutines(t *testing.T) {
	started := make(chan struct{})
	For(2, 2, func(i int) {
		if i == 0 {
			<-started
		} else {
			close(started)
		}
	})
}
