package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file named by
// SMLINT_CPUPROFILE (undocumented, for finding where time goes on a large
// input: `go tool pprof bin/smlint FILE`). It returns the function that
// ends the profile; without the variable both are no-ops.
func startProfile(getenv func(string) string) (stop func()) {
	heap := heapProfile(getenv("SMLINT_HEAPPROFILE"))
	path := getenv("SMLINT_CPUPROFILE")
	if path == "" {
		return heap
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "smlint: SMLINT_CPUPROFILE:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "smlint: SMLINT_CPUPROFILE:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		heap()
	}
}

// heapProfile returns the function that writes, at the end of a run, a
// heap profile to path (SMLINT_HEAPPROFILE, undocumented): its in-use
// figures are the heap found live by the last collection of the run, what
// a large run keeps (`go tool pprof -sample_index=inuse_space`); a no-op
// without a path.
func heapProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	return func() {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "smlint: SMLINT_HEAPPROFILE:", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, "smlint: SMLINT_HEAPPROFILE:", err)
		}
	}
}
