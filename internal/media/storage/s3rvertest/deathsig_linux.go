package s3rvertest

import "syscall"

// setDeathSignal has the kernel kill s3rver if the test binary dies without
// running its cleanups (a go test timeout, a crash), so no server outlives
// the test.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
