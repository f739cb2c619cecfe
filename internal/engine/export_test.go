package engine

// ToValue is toValue for the external benchmarks (input_bench_test.go).
var ToValue = toValue
