package pool_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/pool"
	"github.com/ipr-go/ipr/socket"
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
