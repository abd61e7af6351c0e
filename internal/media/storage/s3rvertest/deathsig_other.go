//go:build unix && !linux

package s3rvertest

import "syscall"

// setDeathSignal does nothing where there is no parent-death signal; the
// tests' cleanups still stop s3rver.
func setDeathSignal(*syscall.SysProcAttr) {}
