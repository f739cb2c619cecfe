package live

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// CallLog records the AWS operations a run starts, as "SERVICE:Operation"
// with the SDK's own service id and operation name (not the names smlint
// uses in messages), so that the set of operations the binary really calls
// can be checked against the read-only promise, and so that a progress line
// can say what the run is waiting on.
type CallLog struct {
	mu      sync.Mutex
	done    int
	current string
	since   time.Time
}

// Waiting returns the operation in flight ("" when none), since when, and
// how many operations have finished.
func (l *CallLog) Waiting() (op string, since time.Time, done int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current, l.since, l.done
}

func (l *CallLog) start(op string) {
	l.mu.Lock()
	l.current, l.since = op, time.Now()
	l.mu.Unlock()
}

func (l *CallLog) finish() {
	l.mu.Lock()
	l.current = ""
	l.done++
	l.mu.Unlock()
}

// observed is every operation any client of this process started: the
// process-wide record tests use to prove that smlint only reads.
var observed = struct {
	sync.Mutex
	ops map[string]bool
}{ops: map[string]bool{}}

// ObservedOperations lists, sorted, every AWS operation this process has
// started through clients made by Connect.
func ObservedOperations() []string {
	observed.Lock()
	defer observed.Unlock()
	out := make([]string, 0, len(observed.ops))
	for op := range observed.ops {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// recordOperations adds an initialize-step middleware to every client:
// it runs once per operation, before signing and retries.
func recordOperations(log *CallLog) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("smlintRecordOperation",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := middleware.GetServiceID(ctx) + ":" + middleware.GetOperationName(ctx)
				observed.Lock()
				observed.ops[op] = true
				observed.Unlock()
				if log != nil {
					log.start(op)
					defer log.finish()
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}
