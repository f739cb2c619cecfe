package load

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/smlint/smlint/internal/tree"
)

// mapAtLeast is the size from which a file is mapped instead of read: an
// account export of tens of megabytes, not the policy files of a
// repository, for which reading costs less than mapping and unmapping.
const mapAtLeast = 1 << 20

// errNotRegular refuses what is not a regular file.
var errNotRegular = errors.New("not a regular file (FIFO, socket or device); smlint reads only regular files")

// overLimit refuses a file whose stated size is over the limit.
func overLimit(size, limit int64) error {
	return fmt.Errorf("file is %d bytes, over the %d-byte limit", size, limit)
}

// readFileOS is readFile through package os, on every system: it names
// each problem (a missing file, a FIFO, a file it may not open) the way the
// hostile-input tests of cmd/smlint expect. readFile_unix.go's quicker
// path comes back here whenever something is not plain.
func readFileOS(path string) ([]byte, *mapping, error) {
	// Stat before opening: opening a FIFO blocks until a writer appears.
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, nil, err
	}
	limit := int64(tree.DefaultLimits.MaxBytes)
	if st.Size() > limit {
		return nil, nil, overLimit(st.Size(), limit)
	}
	if st.Size() >= mapAtLeast {
		if m, ok := mapFile(f.Fd(), st.Size()); ok {
			return m.data, m, nil
		}
	}
	return readAll(st.Size(), limit, func(b []byte) (int, error) {
		n, err := f.Read(b)
		if err == io.EOF {
			err = nil
		}
		return n, err
	})
}

// readAll reads a file of the stated size with read (which returns 0 and no
// error at the end) into a buffer of that size plus one byte, to notice a
// file that grew: io.ReadAll would grow and copy its buffer about twenty
// times for a 20 MB export.
func readAll(size, limit int64, read func([]byte) (int, error)) ([]byte, *mapping, error) {
	data := make([]byte, 0, size+1)
	for int64(len(data)) <= limit {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := read(data[len(data):min(cap(data), int(limit)+1)])
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			break
		}
		data = data[:len(data)+n]
	}
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("file is over the %d-byte limit", limit)
	}
	return data, nil, nil
}
