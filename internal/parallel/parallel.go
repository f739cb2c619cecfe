// Package parallel runs the independent steps of a loop on several
// goroutines: reading files, parsing documents, preparing rule inputs,
// evaluating rules.
package parallel

import (
	"sync"
	"sync/atomic"
)

// For calls f(i) for every i in [0, n) on at most workers goroutines, each
// taking the next index when it is done with the last (so one slow step
// does not hold back a fixed share of the others), and returns once every
// call has returned. With one worker or one step, f runs on the calling
// goroutine. f must only write what belongs to its index.
func For(n, workers int, f func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}
