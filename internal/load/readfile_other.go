//go:build !unix

package load

// readFile reads a regular file of at most tree.DefaultLimits.MaxBytes
// through package os (readFileOS); regular is for the unix version.
func readFile(path string, _ bool) ([]byte, *mapping, error) { return readFileOS(path) }
