//go:build !linux

package tree

import "unsafe"

// prefault is not available here: the pages are written one by one.
func prefault(unsafe.Pointer, uintptr) bool { return false }
