//go:build !unix

package load

import "os"

// mapping is not used here: files are read into memory (readFile).
type mapping struct{ data []byte }

func mapFile(*os.File, int64) (*mapping, bool) { return nil, false }

func (m *mapping) passed(int) {}

func (m *mapping) close() {}
