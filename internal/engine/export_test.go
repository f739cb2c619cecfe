package engine

// ToValue is toValue for the external benchmarks (input_value_test.go).
var ToValue = toValue
