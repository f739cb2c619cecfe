package main

import (
	"context"

	"github.com/smlint/smlint/internal/engine"
)

// startEngine builds the rule engine in a goroutine and returns a function
// that waits for it. check starts it before loading the files: decoding the
// compiled rules and loading share nothing, and on two cores the engine is
// ready by the time a large export has been read.
func startEngine(ctx context.Context, opts engine.Options) func() (*engine.Engine, error) {
	build := newEngine // read now: tests swap it between runs
	type result struct {
		eng *engine.Engine
		err error
	}
	done := make(chan result, 1)
	go func() {
		eng, err := build(ctx, opts)
		done <- result{eng, err}
	}()
	return func() (*engine.Engine, error) {
		r := <-done
		return r.eng, r.err
	}
}
