package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// hugePageAdvised is the size in KiB of the process's mappings marked
// MADV_HUGEPAGE ("hg" among VmFlags in /proc/self/smaps, proc(5)).
func hugePageAdvised(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	total, size := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Size:"); ok {
			size, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.Contains(" "+v+" ", " hg ") {
			total += size
		}
	}
	return total
}

func TestAdviseHugePagesMarksTheHeap(t *testing.T) {
	before := hugePageAdvised(t)
	adviseHugePages(func(string) string { return "" })
	// The marked range is the block less its unaligned ends.
	if got := hugePageAdvised(t) - before; got < (hugeHeap-4<<20)>>10 {
		t.Errorf("after adviseHugePages %d KiB more are marked MADV_HUGEPAGE, want at least %d", got, (hugeHeap-4<<20)>>10)
	}
}

func TestAdviseHugePagesHonoursDisableTHP(t *testing.T) {
	before := hugePageAdvised(t)
	adviseHugePages(func(k string) string {
		if k == "GODEBUG" {
			return "gctrace=0,disablethp=1"
		}
		return ""
	})
	if got := hugePageAdvised(t); got != before {
		t.Errorf("with GODEBUG=disablethp=1, %d KiB marked MADV_HUGEPAGE, was %d", got, before)
	}
}
