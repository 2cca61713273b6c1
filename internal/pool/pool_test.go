package pool_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

var (
	errClosed = errors.New("test: closed")
	errNilCtx = errors.New("test: nil context")
)

// TestOptions: bad values are refused with the package's prefix, nil
// options are ignored rather than called, and two namespace options
// conflict before anything is opened.
func TestOptions(t *testing.T) {
	for _, opt := range []pool.Option{pool.Size("test", 0), pool.ReceiveBufferSize("test", -1), pool.Transport("test", nil), pool.NetnsHandle("test", nil)} {
		if _, err := pool.Apply([]pool.Option{opt}); err == nil || !strings.HasPrefix(err.Error(), "test: ") {
			t.Errorf("got %v, want an error prefixed test:", err)
		}
	}
	o, err := pool.Apply([]pool.Option{nil, pool.Size("test", 2), pool.NoExtAck})
	if err != nil || o.Size != 2 || !o.NoExtAck || o.RcvBuf != 1<<20 {
		t.Errorf("Apply = %+v, %v", o, err)
	}
	o, _ = pool.Apply([]pool.Option{pool.Netns("a"), pool.NetnsPath("/b")})
	p := pool.Pool{Pkg: "test", Proto: unix.NETLINK_ROUTE, ErrClosed: errClosed, ErrNilContext: errNilCtx}
	if err := p.Open(&o, socket.Config{}); err == nil || !strings.Contains(err.Error(), "more than one network namespace") {
		t.Errorf("Open = %v", err)
	}
}

// fakeTransport is a transport that only counts Close.
type fakeTransport struct {
	socket.Transport
	closed *int
}

func (f fakeTransport) Close() error { *f.closed++; return nil }

// TestPool: borrowing, returning past the pool's size, a nil context, and
// Close closing every open transport, idle or borrowed, once.
func TestPool(t *testing.T) {
	closed, dialed := 0, 0
	o, err := pool.Apply([]pool.Option{pool.Size("test", 1), pool.Transport("test", func(proto int, cfg *socket.Config) (socket.Transport, error) {
		if proto != unix.NETLINK_ROUTE || !cfg.StrictCheck || !cfg.ExtAck {
			t.Errorf("dialed %d with %+v", proto, cfg)
		}
		dialed++
		return fakeTransport{closed: &closed}, nil
	})})
	if err != nil {
		t.Fatal(err)
	}
	p := pool.Pool{Pkg: "test", Proto: unix.NETLINK_ROUTE, ErrClosed: errClosed, ErrNilContext: errNilCtx}
	if err := p.Open(&o, socket.Config{StrictCheck: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(nil); err != errNilCtx { //nolint:staticcheck // a nil context on purpose
		t.Errorf("Get(nil) = %v", err)
	}
	a, _ := p.Get(context.Background())
	b, _ := p.Get(context.Background())
	if dialed != 2 || p.OpenCount() != 2 {
		t.Fatalf("dialed %d, open %d", dialed, p.OpenCount())
	}
	p.Put(&a)
	p.Put(&b) // the pool holds one: b is closed
	if a != nil || b != nil || closed != 1 || p.OpenCount() != 1 {
		t.Errorf("after Put: closed %d, open %d", closed, p.OpenCount())
	}
	c, _ := p.Get(context.Background())
	p.Discard(&c)
	p.Discard(&c) // a second Discard is a no-op
	if closed != 2 {
		t.Errorf("after Discard: closed %d", closed)
	}
	d, _ := p.Get(context.Background())
	if !p.Close() || p.Close() {
		t.Error("Close did not report the first close alone")
	}
	if closed != 3 || !p.Closed() {
		t.Errorf("after Close: closed %d", closed)
	}
	p.Put(&d) // returned after Close: closed again by the pool, not pooled
	if _, err := p.Get(context.Background()); err != errClosed {
		t.Errorf("Get after Close = %v", err)
	}
}

// option is a package's own Option type, as rtm.Option and genl.Option.
type option func(*pool.Options) error

// TestOpenWithAndDump: OpenWith takes a package's own option type and
// refuses a bad one before opening; Dump streams the replies, reports a
// builder's error and the kernel's with the pool's prefix, and returns
// its socket and its builder for reuse.
func TestOpenWithAndDump(t *testing.T) {
	p := pool.Pool{Pkg: "test", Proto: unix.NETLINK_ROUTE, ErrClosed: errClosed, ErrNilContext: errNilCtx}
	if err := pool.OpenWith(&p, []option{option(pool.Size("test", 0))}, socket.Config{}); err == nil || !strings.HasPrefix(err.Error(), "test: pool size") {
		t.Fatalf("OpenWith with a bad option = %v", err)
	}
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 1, Name: "lo"})
	fake.AddLink(nltest.Link{Index: 2, Name: "eth0"})
	fake.Handle(unix.RTM_GETROUTE, func(wire.Message) ([][]byte, error) { return nil, unix.EPERM })
	if err := pool.OpenWith(&p, []option{option(pool.Size("test", 1)), option(pool.Transport("test", fake.Dial))}, socket.Config{StrictCheck: true}); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	var bs pool.Builders
	dumpOf := func(typ uint16) *wire.Builder {
		b := bs.Get()
		b.Begin(typ, unix.NLM_F_DUMP)
		b.Fixed(unix.SizeofIfInfomsg)
		b.End()
		return b
	}

	var st socket.DumpStats
	n := 0
	for m, err := range p.Dump(ctx, "link dump", &bs, dumpOf(unix.RTM_GETLINK), true, &st) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Type == unix.RTM_NEWLINK {
			n++
		}
	}
	if n != 2 || p.OpenCount() != 1 {
		t.Errorf("dumped %d links, %d sockets open; want 2, 1", n, p.OpenCount())
	}
	if b := bs.Get(); len(b.Bytes()) != 0 {
		t.Errorf("a builder from the pool holds %d bytes, want none", len(b.Bytes()))
	}

	open := bs.Get()
	open.Begin(unix.RTM_GETLINK, unix.NLM_F_DUMP)
	if err := dumpErr(p.Dump(ctx, "link dump", &bs, open, false, nil)); err == nil || !strings.HasPrefix(err.Error(), "test: link dump: wire:") {
		t.Errorf("a dump of a message left open: %v", err)
	}
	if err := dumpErr(p.Dump(ctx, "route dump", &bs, dumpOf(unix.RTM_GETROUTE), false, nil)); !errors.Is(err, unix.EPERM) || !strings.Contains(err.Error(), "test: route dump") {
		t.Errorf("a dump the kernel refused: %v, want EPERM named test: route dump", err)
	}
}

// dumpErr returns the first error of a dump.
func dumpErr(dump iter.Seq2[wire.Message, error]) error {
	for _, err := range dump {
		if err != nil {
			return err
		}
	}
	return nil
}
