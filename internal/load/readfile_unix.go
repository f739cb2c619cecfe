//go:build unix

package load

import (
	"io/fs"

	"golang.org/x/sys/unix"

	"github.com/smlint/smlint/internal/tree"
)

// readFile reads a regular file of at most tree.DefaultLimits.MaxBytes: a
// large one is mapped (mapping non-nil; its data is valid until
// mapping.close), a small one read into memory. regular says the walk or
// the caller's stat found a regular file there.
//
// A directory of 1,594 policies is 1,594 small files, and an os.File costs
// eleven system calls each (stat, open, the runtime poller's fcntl and
// epoll_ctl, fstat, reads, close): this path opens with the system calls
// themselves, five each, and reads the 8.8 MB in about a third of the
// time. O_NONBLOCK keeps the open of a FIFO put there since the walk from
// waiting for a writer; fstat then refuses it. Anything unusual (an
// error, not a regular file, not known to be one) goes to readFileOS,
// which names the problem as it always has.
func readFile(path string, regular bool) ([]byte, *mapping, error) {
	if !regular {
		return readFileOS(path)
	}
	fd, err := openNonblocking(path)
	if err != nil {
		return readFileOS(path)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return readFileOS(path)
	}
	limit := int64(tree.DefaultLimits.MaxBytes)
	if st.Size > limit {
		return nil, nil, overLimit(st.Size, limit)
	}
	if st.Size >= mapAtLeast {
		if m, ok := mapFile(uintptr(fd), st.Size); ok {
			return m.data, m, nil
		}
	}
	return readAll(st.Size, limit, func(b []byte) (int, error) {
		for {
			n, err := unix.Read(fd, b)
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				// As os.File says it (errMessage prints "read: ...").
				return 0, &fs.PathError{Op: "read", Path: path, Err: err}
			}
			return n, nil
		}
	})
}

// openNonblocking opens path read-only, without waiting for a FIFO's
// writer, retrying when a signal interrupts the call (as os.Open does).
func openNonblocking(path string) (int, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// fstat is unix.Fstat retried when a signal interrupts it.
func fstat(fd int, st *unix.Stat_t) error {
	for {
		if err := unix.Fstat(fd, st); err != unix.EINTR {
			return err
		}
	}
}
