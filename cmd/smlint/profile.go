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
	path := getenv("SMLINT_CPUPROFILE")
	if path == "" {
		return func() {}
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
	}
}
