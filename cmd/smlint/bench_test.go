package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/config"
	"github.com/smlint/smlint/internal/engine"
	"github.com/smlint/smlint/internal/load"
	"github.com/smlint/smlint/internal/load/loadtest"
	"github.com/smlint/smlint/internal/requestmodel"
)

// The scale target (issue "Inputs people actually have … at scale"): a
// ~20 MB `get-account-authorization-details` export with 1,600 customer
// managed policies and 3,200 versions, 500 roles (10 of which trust the
// vendor) and 100 users, analysed in about a second and well under 500 MB.
const (
	benchRoles    = 500
	benchPolicies = 1600
	benchVersions = 2
)

var (
	benchOnce sync.Once
	benchFile string
	benchSize int64
	benchErr  error
)

// benchExport writes the generated export to a temporary file once per
// test binary run.
func benchExport(b *testing.B) (string, int64) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smlint-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchFile = filepath.Join(dir, "account.json")
		data := loadtest.AccountExport(benchRoles, benchPolicies, benchVersions)
		benchSize = int64(len(data))
		benchErr = os.WriteFile(benchFile, data, 0o644)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFile, benchSize
}

// BenchmarkCheckAccountExport measures the whole pipeline on the 20 MB
// export: read and parse the file once, load every principal, evaluate the
// selected ones concurrently with one prepared engine. The engine is built
// outside the timer (its cost is reported as engine-ms); the peak live heap
// sampled during the runs is reported as peak-heap-MB.
func BenchmarkCheckAccountExport(b *testing.B) {
	file, size := benchExport(b)
	ctx := context.Background()
	t0 := time.Now()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	engineMS := float64(time.Since(t0).Microseconds()) / 1000
	prof := requestmodel.Default()
	setup := config.Setup{Bucket: "uploads"}

	runtime.GC()
	stop := make(chan struct{})
	peak := sampleHeap(stop)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		in := load.Paths([]string{file}, load.Options{})
		if len(in.Errors) != 0 || len(in.Principals) != benchRoles+benchRoles/5 {
			b.Fatalf("%d errors, %d principals", len(in.Errors), len(in.Principals))
		}
		rep, err := check.Run(ctx, in, check.Options{Setup: setup, Profile: prof, Engine: eng, Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Subjects) != benchRoles/50 {
			b.Fatalf("%d subjects evaluated, want %d", len(rep.Subjects), benchRoles/50)
		}
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(engineMS, "engine-ms")
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
}

// sampleHeap samples HeapInuse every millisecond until stop is closed and
// then sends the largest value seen.
func sampleHeap(stop chan struct{}) chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
			}
		}
	}()
	return out
}

// BenchmarkBinaryAccountExport runs the built binary on the 20 MB export,
// as a user would, and reports the process's wall time and maximum
// resident set size (from /usr/bin/time) next to those of `smlint version`,
// the fixed start-up cost. Skipped when /usr/bin/time is not installed.
func BenchmarkBinaryAccountExport(b *testing.B) {
	timeBin, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		b.Skip("/usr/bin/time not installed")
	}
	file, size := benchExport(b)
	bin := filepath.Join(b.TempDir(), "smlint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	measure := func(args ...string) (secs, rssMB float64) {
		cmd := exec.Command(timeBin, append([]string{"-f", "%e %M", bin}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Stdout = nil
		_ = cmd.Run() // exit 1: the export has findings
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		f := strings.Fields(lines[len(lines)-1])
		if len(f) != 2 {
			b.Fatalf("unexpected /usr/bin/time output: %q", stderr.String())
		}
		secs, _ = strconv.ParseFloat(f[0], 64)
		kb, _ := strconv.ParseFloat(f[1], 64)
		return secs, kb / 1024
	}
	var walls, rss []float64
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		s, m := measure("check", "--bucket", "uploads", "--format", "json", "--output", os.DevNull, file)
		walls = append(walls, s)
		rss = append(rss, m)
	}
	b.StopTimer()
	vs, vm := measure("version")
	b.ReportMetric(median(walls), "wall-s")
	b.ReportMetric(median(rss), "max-RSS-MB")
	if vs > 0 {
		b.ReportMetric(median(walls)/vs, "x-version-wall")
	}
	b.ReportMetric(vm, "version-RSS-MB")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
