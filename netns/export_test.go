package netns

import "runtime"

// Lock the main goroutine to the main thread for the whole test binary. The
// runtime never terminates the main thread: a goroutine that exits locked
// to it parks it for good instead. Were a Do goroutine with a failed restore
// to run there, the thread would stay in the wrong namespace, and the tests
// that count threads would see it. Locked to main, it runs nothing else.
func init() {
	runtime.LockOSThread()
}

// SetRestoreFault makes every switch back to a thread's own namespace call
// fault first and, if it returns true, fail without switching. It returns a
// function that removes the fault. Tests that use it must not run in
// parallel with tests that enter namespaces.
func SetRestoreFault(fault func() bool) (reset func()) {
	restoreFault = fault
	return func() { restoreFault = nil }
}

// SaveThreadNS exposes saveThreadNS.
var SaveThreadNS = saveThreadNS
