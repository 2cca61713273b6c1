package netns

import (
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// restoreFault, when set by a test, is called before a thread is switched
// back to its namespace; if it returns true, the switch is skipped and
// treated as failed, and the thread stays in the namespace it was moved to.
var restoreFault func() bool

// errNilFunc is returned by Do for a nil function.
var errNilFunc = errors.New("netns: Do with nil func")

// Do calls fn on a goroutine locked to an OS thread that is switched into
// the namespace of ns for the duration of the call, and returns fn's error.
// Sockets, links and routes that fn creates are created in ns. Goroutines
// that fn starts are not in ns, and Do blocks until fn returns.
//
// Afterwards the thread is switched back to its own namespace and returned
// to the runtime. If that fails, the thread is not reused: the goroutine
// exits still locked to it, which makes the runtime terminate the thread
// (or, should it be the process's main thread, park it for good). fn's work
// is done by then, so this is not an error.
//
// If switching into ns fails, fn is not called and Do returns the error. If
// fn panics, Do panics with the same value on the caller's goroutine; if fn
// calls [runtime.Goexit] (as testing.T.FailNow does), Do calls it too.
// Either happens only after the thread is out of ns, switched back or
// discarded.
func Do(ns *Handle, fn func() error) error {
	if ns == nil || ns.run == nil {
		return errNilHandle
	}
	if fn == nil {
		return errNilFunc
	}
	done := make(chan outcome, 1)
	go ns.run(ns, fn, done)
	out := <-done
	switch {
	case out.panicked:
		panic(out.panicValue)
	case out.exited:
		runtime.Goexit()
	}
	return out.err
}

// outcome is how fn ended.
type outcome struct {
	err        error
	panicValue any
	panicked   bool
	exited     bool // by runtime.Goexit
}

// runIn is Do's locked goroutine.
func runIn(ns *Handle, fn func() error, done chan<- outcome) {
	runtime.LockOSThread()
	orig, owned, err := saveThreadNS()
	if err != nil {
		runtime.UnlockOSThread()
		done <- outcome{err: fmt.Errorf("netns: %w", err)}
		return
	}
	if owned {
		defer unix.Close(orig)
	}
	// A failed setns leaves the thread where it was.
	if err := ns.enter(); err != nil {
		runtime.UnlockOSThread()
		done <- outcome{err: err}
		return
	}
	var out outcome
	returned := false
	defer func() {
		if !returned {
			// recover returns nil only when no panic is in progress (panic(nil)
			// panics with *runtime.PanicNilError), so fn called Goexit.
			if v := recover(); v != nil {
				out.panicked, out.panicValue = true, v
			} else {
				out.exited = true
			}
		}
		if restore(orig) == nil {
			runtime.UnlockOSThread()
		}
		done <- out
	}()
	out.err = fn()
	returned = true
}

// restore switches the calling thread back into the namespace open as orig.
func restore(orig int) error {
	if restoreFault != nil && restoreFault() {
		return errors.New("netns: restore fault injected by test")
	}
	return unix.Setns(orig, unix.CLONE_NEWNET)
}
