package socket_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// loRequest asks for the loopback link (index 1), which every namespace
// has.
func loRequest(flags uint16) []byte {
	var b wire.Builder
	b.Begin(unix.RTM_GETLINK, flags)
	b.Fixed(unix.SizeofIfInfomsg)[4] = 1
	b.Uint32(unix.IFLA_EXT_MASK, 0)
	b.End()
	return b.Bytes()
}

// getLo gets the loopback link with a Query and checks the reply.
func getLo(ctx context.Context, c *socket.Conn) error {
	got := 0
	err := c.Query(ctx, loRequest(0), func(m wire.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < unix.SizeofIfInfomsg || m.Data[4] != 1 {
			return fmt.Errorf("reply %+v is not the loopback link", m.Header)
		}
		got++
		return nil
	})
	if err == nil && got != 1 {
		err = fmt.Errorf("%d replies, want 1", got)
	}
	return err
}

// TestNilContext checks that every call refuses a nil context with an
// error and leaves the socket usable. A nil context used to panic with the
// socket's lock held, and the next call waited for the lock forever. It
// sends nothing but a get of lo, so it runs in the test's own namespace,
// unprivileged.
func TestNilContext(t *testing.T) {
	c, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{FixedLen: linkFixedLen})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var nilCtx context.Context
	var b wire.Builder
	b.Begin(unix.NLMSG_NOOP, 0)
	b.End()
	calls := map[string]func() error{
		"Execute": func() error { return c.Execute(nilCtx, loRequest(0), nil) },
		"Query":   func() error { return c.Query(nilCtx, loRequest(0), nil) },
		"Dump": func() error {
			for _, err := range c.Dump(nilCtx, rawnl.LinkDump()) {
				return err
			}
			return errors.New("no error yielded")
		},
		"Batch": func() error { return c.Batch(nilCtx, b.Bytes(), nil, nil) },
		"Recv":  func() error { _, err := c.Recv(nilCtx); return err },
		"Notifications": func() error {
			for _, err := range c.Notifications(nilCtx) {
				return err
			}
			return errors.New("no error yielded")
		},
	}
	for _, name := range []string{"Execute", "Query", "Dump", "Batch", "Recv", "Notifications"} {
		hostile.Within(t, name+" with a nil context", func() {
			hostile.NoPanic(t, name, func() {
				if err := calls[name](); err == nil || !strings.Contains(err.Error(), "nil context") {
					t.Errorf("%s(nil context) = %v, want a nil-context error", name, err)
				}
			})
		})
	}
	hostile.Within(t, "a call after the nil contexts", func() {
		ctx, cancel := context.WithTimeout(context.Background(), hostile.Watchdog)
		defer cancel()
		if err := getLo(ctx, c); err != nil {
			t.Fatal(err)
		}
	})
}

// TestWaitHonoursContext checks that a call waiting for a socket another
// goroutine holds gives up when its context ends.
func TestWaitHonoursContext(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	holding, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	dumped := make(chan error, 1)
	go func() {
		var err error
		first := true
		for _, e := range c.Dump(context.Background(), rawnl.LinkDump()) {
			if e != nil {
				err = e
				break
			}
			if first {
				first = false
				close(holding)
				<-release
			}
		}
		dumped <- err
	}()
	<-holding
	hostile.Within(t, "a call waiting for a held socket", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := getLo(ctx, c); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("call on a held socket = %v, want context.DeadlineExceeded", err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		if err := getLo(ctx, c); !errors.Is(err, context.Canceled) {
			t.Errorf("call on a held socket = %v, want context.Canceled", err)
		}
	})
	close(release)
	hostile.Within(t, "the holding dump", func() {
		if err := <-dumped; err != nil {
			t.Error(err)
		}
	})
	hostile.Within(t, "a call once the socket is free", func() {
		if err := getLo(context.Background(), c); err != nil {
			t.Error(err)
		}
	})
}

// TestPanicReleasesSocket panics in each kind of callback and loop body
// and checks that the socket is released and stays in step.
func TestPanicReleasesSocket(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	ctx := context.Background()
	var noop wire.Builder
	for range 3 {
		noop.Begin(unix.RTM_GETLINK, unix.NLM_F_ECHO)
		noop.Fixed(unix.SizeofIfInfomsg)[4] = 1
		noop.End()
	}
	panics := map[string]func(){
		"Dump loop body": func() {
			for range c.Dump(ctx, rawnl.LinkDump()) {
				panic("loop body")
			}
		},
		"Execute onReply": func() {
			c.Execute(ctx, loRequest(0), func(wire.Message) error { panic("onReply") })
		},
		"Query onReply": func() {
			c.Query(ctx, loRequest(0), func(wire.Message) error { panic("onReply") })
		},
		"Batch onReply": func() {
			c.Batch(ctx, noop.Bytes(), nil, func(int, wire.Message) error { panic("onReply") })
		},
		"Notifications loop body": func() {
			ctx, cancel := context.WithTimeout(ctx, hostile.Watchdog)
			defer cancel()
			// A notification: the loopback link's answer to a Send.
			if _, err := c.Send(loRequest(0)); err != nil {
				t.Error(err)
				return
			}
			for range c.Notifications(ctx) {
				panic("loop body")
			}
		},
	}
	for _, name := range []string{"Dump loop body", "Execute onReply", "Query onReply", "Batch onReply", "Notifications loop body"} {
		hostile.Within(t, "a panic in "+name, func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			panics[name]()
		})
		for i := range 5 {
			hostile.Within(t, fmt.Sprintf("call %d after a panic in %s", i, name), func() {
				ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				defer cancel()
				if err := getLo(ctx, c); err != nil {
					t.Errorf("call %d after a panic in %s: %v", i, name, err)
				}
			})
		}
	}
}

// floodAndCall floods c's queue from another port of ns until the
// sender gets EAGAIN, three times, and after each flood makes four calls
// with no deadline: each must return, the first with nil or ErrOverrun
// (its reply may be the one the full queue dropped), the others with nil.
func floodAndCall(t *testing.T, c *socket.Conn, ns *nstest.NS) {
	t.Helper()
	for round := range 3 {
		n, err := hostile.Flood(ns.Handle, c.PortID(), 1, 4096, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			hostile.Within(t, fmt.Sprintf("round %d, call %d after %d datagrams", round, i, n), func() {
				if err := getLo(context.Background(), c); err != nil && (i > 0 || !errors.Is(err, socket.ErrOverrun)) {
					t.Errorf("round %d, call %d after %d datagrams: %v", round, i, n, err)
				}
			})
		}
	}
}

// TestFloodIdleSocket floods an idle socket's queue with datagrams from
// another port until the sender gets EAGAIN, as a process with
// CAP_NET_ADMIN in the namespace can, and checks that calls with no
// deadline all return. The first call's reply finds the queue full: the
// kernel drops it and reports the overrun (ErrOverrun); until the queue
// has been emptied it then drops replies without a word, so a call that
// did not empty it first waited forever.
func TestFloodIdleSocket(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	floodAndCall(t, c, ns)
	if s := c.Stats(); s.Foreign == 0 {
		t.Errorf("stats %+v: no foreign datagram counted", s)
	}
}

// TestFloodDuringDump floods the socket from another port while a dump is
// read, and checks that the dump still yields every object and that the
// calls after it return.
func TestFloodDuringDump(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	const routes = 2000
	lines := []string{
		"link add veth0 type veth peer name veth1",
		"link set veth0 up",
		"link set veth1 up",
		"addr add 192.0.2.1/24 dev veth0",
	}
	for i := range routes {
		lines = append(lines, fmt.Sprintf("route add 10.%d.%d.0/24 via 192.0.2.2 dev veth0", i>>8, i&0xff))
	}
	ipBatch(t, ns, lines)
	var req wire.Builder
	req.Begin(unix.RTM_GETROUTE, unix.NLM_F_DUMP)
	req.Fixed(unix.SizeofRtMsg)[0] = unix.AF_INET
	req.End()
	for round := range 3 {
		hostile.Within(t, fmt.Sprintf("round %d: a dump flooded midway", round), func() {
			n, flooded := 0, 0
			for m, err := range c.Dump(context.Background(), req.Bytes()) {
				if err != nil {
					t.Errorf("round %d: dump failed after %d routes: %v", round, n, err)
					return
				}
				if m.Header.Type != unix.RTM_NEWROUTE {
					continue
				}
				n++
				if n == 1 || n == routes/2 {
					f, err := hostile.Flood(ns.Handle, c.PortID(), m.Header.Seq, 4096, 100000)
					if err != nil {
						t.Error(err)
					}
					flooded += f
				}
			}
			// The main table's routes, the prefix route of veth0 and the
			// local table's: at least routes+1.
			if n < routes+1 {
				t.Errorf("round %d: dump yielded %d routes, want at least %d (flooded with %d datagrams)", round, n, routes+1, flooded)
			}
		})
		for i := range 4 {
			hostile.Within(t, fmt.Sprintf("round %d, call %d after the dump", round, i), func() {
				err := getLo(context.Background(), c)
				switch {
				case i == 0 && (err == nil || errors.Is(err, socket.ErrOverrun)):
				case err != nil:
					t.Errorf("round %d, call %d after the dump: %v", round, i, err)
				}
			})
		}
	}
}

// TestForeignDatagramsDoNotGrowBuffer sends a peeking socket datagrams
// larger than its buffer from another port: they are dropped unread, and
// must not make the socket grow its buffer to fit them, as the size check
// before each receive used to.
func TestForeignDatagramsDoNotGrowBuffer(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	c.SetPeek(true)
	if err := hostile.Send(ns.Handle, c.PortID(), 1, 2*socket.DefaultBufferSize, 1); err != nil {
		t.Fatal(err)
	}
	hostile.Within(t, "a call after a large datagram", func() {
		if err := getLo(context.Background(), c); err != nil {
			t.Error(err)
		}
	})
	if got := socket.BufferSize(c); got != socket.DefaultBufferSize {
		t.Errorf("receive buffer grew to %d bytes for another port's datagram", got)
	}
}

// TestFloodPeekingSocket is TestFloodIdleSocket on a socket that checks
// each datagram's size first (rtm's sockets do, once they have dumped
// links with VF information). The kernel reports an overrun to one
// receive only, and the size check's used to swallow it: then even the
// first call waited forever for the reply the overrun had dropped.
func TestFloodPeekingSocket(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	c.SetPeek(true)
	floodAndCall(t, c, ns)
	if s := c.Stats(); s.Overruns == 0 {
		t.Errorf("stats %+v: no overrun reported", s)
	}
}

// TestCloseFreesWaiters checks that Close frees a call waiting, with no
// deadline, for a socket another goroutine holds.
func TestCloseFreesWaiters(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	holding, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		for range c.Dump(context.Background(), rawnl.LinkDump()) {
			close(holding)
			<-release
			return
		}
	}()
	<-holding
	waited := make(chan error, 1)
	go func() { waited <- getLo(context.Background(), c) }()
	c.Close()
	hostile.Within(t, "a call waiting for the socket when it was closed", func() {
		if err := <-waited; !errors.Is(err, net.ErrClosed) {
			t.Errorf("waiting call = %v, want net.ErrClosed", err)
		}
	})
}
