package netns_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// inNamespace reports, from inside fn, whether the calling thread is in ns,
// as the kernel sees it.
func inNamespace(ns *netns.Handle) error {
	got, err := statID("/proc/thread-self/ns/net")
	if err != nil {
		return err
	}
	if got != ns.ID() {
		return fmt.Errorf("thread %d is in %v, want %v", unix.Gettid(), got, ns.ID())
	}
	return nil
}

func TestDoRunsInNamespace(t *testing.T) {
	ns := nstest.New(t)
	home := mustCurrent(t)
	var inside *netns.Handle
	err := netns.Do(ns.Handle, func() error {
		var err error
		inside, err = netns.Current()
		if err != nil {
			return err
		}
		return inNamespace(ns.Handle)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer inside.Close()
	if !inside.Equal(ns.Handle) {
		t.Errorf("Current() inside Do = %v, want %v", inside.ID(), ns.Handle.ID())
	}
	if err := inNamespace(home); err != nil {
		t.Errorf("after Do: %v", err)
	}

	// Nested: the inner Do enters its namespace and the outer one's thread
	// stays where it was.
	other := nstest.New(t)
	err = netns.Do(ns.Handle, func() error {
		if err := netns.Do(other.Handle, func() error { return inNamespace(other.Handle) }); err != nil {
			return err
		}
		return inNamespace(ns.Handle)
	})
	if err != nil {
		t.Error(err)
	}
}

func TestDoReturnsError(t *testing.T) {
	ns := nstest.New(t)
	sentinel := errors.New("sentinel")
	if err := netns.Do(ns.Handle, func() error { return sentinel }); err != sentinel {
		t.Errorf("Do = %v, want fn's error %v", err, sentinel)
	}
	if err := netns.Do(ns.Handle, func() error { return nil }); err != nil {
		t.Errorf("Do = %v, want nil", err)
	}
}

func TestDoPropagatesPanic(t *testing.T) {
	ns := nstest.New(t)
	type marker struct{ n int }
	var got any
	func() {
		defer func() { got = recover() }()
		netns.Do(ns.Handle, func() error { panic(marker{42}) })
	}()
	if got != (marker{42}) {
		t.Errorf("recovered %v, want fn's panic value", got)
	}
	checkThreads(t, nil)
}

func TestDoPropagatesGoexit(t *testing.T) {
	ns := nstest.New(t)
	returned := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		netns.Do(ns.Handle, func() error { runtime.Goexit(); return nil })
		returned = true
	}()
	<-done
	if returned {
		t.Error("Do returned after fn called runtime.Goexit")
	}
	checkThreads(t, nil)
}

func TestDoRestoreFailureDestroysThread(t *testing.T) {
	ns := nstest.New(t)
	var tid atomic.Int64
	reset := netns.SetRestoreFault(func() bool { tid.Store(int64(unix.Gettid())); return true })
	defer reset()
	if err := netns.Do(ns.Handle, func() error { return inNamespace(ns.Handle) }); err != nil {
		t.Fatalf("Do with failed restore = %v; fn's work was done, so want nil", err)
	}
	reset()
	checkThreads(t, []int{int(tid.Load())})
}

func TestAddRestoreFailureDestroysThread(t *testing.T) {
	nstest.RequirePrivileged(t)
	name := freshName(t)
	var tid atomic.Int64
	reset := netns.SetRestoreFault(func() bool { tid.Store(int64(unix.Gettid())); return true })
	defer reset()
	if err := netns.Add(name); err != nil {
		t.Fatal(err)
	}
	reset()
	if tid.Load() == 0 {
		t.Fatal("Add did not restore its thread")
	}
	checkThreads(t, []int{int(tid.Load())})
	h, err := netns.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.Equal(mustCurrent(t)) {
		t.Error("Add named the current namespace")
	}
}

// TestDoStress runs many concurrent Do calls over several namespaces, with
// every tenth switch back failing, and then checks that each call ran in
// its namespace, that every thread whose switch back failed is gone, and
// that every remaining thread is in the process's namespace.
func TestDoStress(t *testing.T) {
	const namespaces, calls, faultEvery = 10, 1200, 10
	nss := make([]*nstest.NS, namespaces)
	for i := range nss {
		nss[i] = nstest.New(t)
	}

	var mu sync.Mutex
	var doomed []int
	var restores atomic.Int64
	reset := netns.SetRestoreFault(func() bool {
		if restores.Add(1)%faultEvery != 0 {
			return false
		}
		mu.Lock()
		doomed = append(doomed, unix.Gettid())
		mu.Unlock()
		return true
	})
	defer reset()

	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		ns := nss[i%namespaces].Handle
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- netns.Do(ns, func() error {
				// Yield while in the namespace, so that other calls run
				// meanwhile, on other threads.
				runtime.Gosched()
				return inNamespace(ns)
			})
		}()
	}
	wg.Wait()
	reset()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := restores.Load(); got != calls {
		t.Errorf("%d restores for %d calls", got, calls)
	}
	if len(doomed) != calls/faultEvery {
		t.Errorf("%d failed restores, want %d", len(doomed), calls/faultEvery)
	}
	checkThreads(t, doomed)
}

// checkThreads checks that the threads gone have exited and that every
// thread of the process is in the namespace the process started in,
// comparing each task's ns/net link with the process's. Exiting takes a
// moment, so it retries for a while before reporting.
func checkThreads(t *testing.T, gone []int) {
	t.Helper()
	want, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		problems = problems[:0]
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			t.Fatal(err)
		}
		alive := make(map[int]bool, len(tasks))
		for _, task := range tasks {
			tid, _ := strconv.Atoi(task.Name())
			alive[tid] = true
			link, err := os.Readlink(filepath.Join("/proc/self/task", task.Name(), "ns/net"))
			if errors.Is(err, os.ErrNotExist) {
				continue // exited meanwhile
			}
			if errors.Is(err, os.ErrPermission) {
				// A thread in the middle of exiting (the doomed ones are)
				// no longer lets anyone read its namespaces: look again.
				problems = append(problems, fmt.Sprintf("thread %d: %v", tid, err))
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if link != want {
				problems = append(problems, fmt.Sprintf("thread %d is in %s, not %s", tid, link, want))
			}
		}
		for _, tid := range gone {
			if alive[tid] {
				problems = append(problems, fmt.Sprintf("thread %d failed to restore and still exists", tid))
			}
		}
		if len(problems) == 0 {
			return
		}
		if time.Now().After(deadline) {
			break
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// BenchmarkDo measures entering a namespace and back around an empty fn.
func BenchmarkDo(b *testing.B) {
	ns := nstest.New(b)
	fn := func() error { return nil }
	b.ReportAllocs()
	for range b.N {
		if err := netns.Do(ns.Handle, fn); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoParallel is BenchmarkDo from GOMAXPROCS goroutines at once.
func BenchmarkDoParallel(b *testing.B) {
	ns := nstest.New(b)
	fn := func() error { return nil }
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := netns.Do(ns.Handle, fn); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCurrent measures opening and closing a handle.
func BenchmarkCurrent(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		h, err := netns.Current()
		if err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}

// TestSaveThreadNS checks the descriptor a thread is switched back to, both
// for a thread in the common namespace and for one elsewhere.
func TestSaveThreadNS(t *testing.T) {
	nstest.RequirePrivileged(t)
	check := func(unshare bool) (owned bool, err error) {
		done := make(chan error, 1)
		go func() {
			runtime.LockOSThread()
			// Not unlocked: a thread that unshared dies with this goroutine.
			if unshare {
				if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
					done <- err
					return
				}
			} else {
				defer runtime.UnlockOSThread()
			}
			var fd int
			fd, owned, err = netns.SaveThreadNS()
			if err != nil {
				done <- err
				return
			}
			if owned {
				defer unix.Close(fd)
			}
			var saved, thread unix.Stat_t
			if err := unix.Fstat(fd, &saved); err != nil {
				done <- err
				return
			}
			if err := unix.Stat("/proc/thread-self/ns/net", &thread); err != nil {
				done <- err
				return
			}
			if saved.Ino != thread.Ino || saved.Dev != thread.Dev {
				err = fmt.Errorf("saved namespace %d:%d, thread is in %d:%d", saved.Dev, saved.Ino, thread.Dev, thread.Ino)
			}
			done <- err
		}()
		err = <-done
		return owned, err
	}
	for range 2 {
		if owned, err := check(false); err != nil || owned {
			t.Errorf("common namespace: owned %v, %v; want the shared descriptor", owned, err)
		}
	}
	if owned, err := check(true); err != nil || !owned {
		t.Errorf("other namespace: owned %v, %v; want a descriptor of its own", owned, err)
	}
	checkThreads(t, nil)
}
