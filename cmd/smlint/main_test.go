package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/smlint/smlint/internal/live"
)

// TestMain runs every test of the command, then checks the read-only promise
// of `smlint simulate` against what really went over the wire: every AWS
// operation any test path started (recorded by the clients' middleware) must
// be one of live.Operations, which a test in internal/live proves are all
// reads.
func TestMain(m *testing.M) {
	code := m.Run()
	if bad := live.UnlistedOperations(); len(bad) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests made AWS calls that are not declared read-only operations: %v\n", bad)
		code = 1
	}
	os.Exit(code)
}

// TestSimulateCallsOnlyListedOperations drives the end-to-end simulate path
// and checks, right there, that the operations it made are the declared
// read-only ones (TestMain repeats the check over every test).
func TestSimulateCallsOnlyListedOperations(t *testing.T) {
	TestSimulateEndToEnd(t)
	seen := live.ObservedOperations()
	if len(seen) == 0 {
		t.Fatal("no AWS operation was recorded: the middleware is not installed")
	}
	if bad := live.UnlistedOperations(); len(bad) > 0 {
		t.Errorf("undeclared operations: %v", bad)
	}
	t.Logf("operations seen: %v", seen)
}
