//go:build !unix

package load

// mapping is not used here: files are read into memory (readFile).
type mapping struct{ data []byte }

func mapFile(uintptr, int64) (*mapping, bool) { return nil, false }

func (m *mapping) passed(int) {}

func (m *mapping) close() {}
