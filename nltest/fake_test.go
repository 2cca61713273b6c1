package nltest_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func fakeHandle(t *testing.T, f *nltest.Fake) *rtm.Handle {
	t.Helper()
	h, err := rtm.Dial(rtm.WithTransport(f.Dial))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestFakeBatch checks that a batch gets a result per request, as from
// the kernel, and that echoed requests come back.
func TestFakeBatch(t *testing.T) {
	ctx := context.Background()
	f := nltest.NewRTNL()
	h := fakeHandle(t, f)
	b := h.NewBatch()
	for _, p := range []string{"192.0.2.1/24", "192.0.2.2/24", "192.0.2.1/24"} {
		if err := b.AddrAdd(rtm.AddrSpec{Index: 1, Prefix: netip.MustParsePrefix(p)}); err != nil {
			t.Fatal(err)
		}
	}
	var echoed []netip.Prefix
	results, err := b.RunEcho(ctx, func(i int, m wire.Message) error {
		a, err := rtm.AddrFromBytes(m.Data)
		if err == nil {
			echoed = append(echoed, a.Prefix())
		}
		return err
	})
	var be *socket.BatchError
	if !errors.As(err, &be) || be.Failed != 1 || be.First != 2 {
		t.Fatalf("batch with a duplicate: %v, want request 2 alone to fail", err)
	}
	if results[0] != nil || results[1] != nil || !errors.Is(results[2], unix.EEXIST) {
		t.Errorf("results %v; want nil, nil, EEXIST", results)
	}
	if len(echoed) != 2 {
		t.Errorf("echoed %v; want the two addresses added", echoed)
	}
}

// TestFakeClosedAndCancelled checks the errors of a closed transport and
// of a cancelled context, before anything is answered.
func TestFakeClosedAndCancelled(t *testing.T) {
	f := nltest.NewRTNL()
	h := fakeHandle(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.LinkByIndex(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("a call with a cancelled context: %v, want context.Canceled", err)
	}
	if n := f.Requests(unix.RTM_GETLINK); n != 0 {
		t.Errorf("%d requests answered for a cancelled call", n)
	}
	tr, err := f.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tr.Close()
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("a dump on a closed transport: %v, want net.ErrClosed", err)
		}
	}
	if _, err := tr.Send(rawnl.LinkDump()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Send on a closed transport: %v, want net.ErrClosed", err)
	}
}

// TestFakeDumpFilters checks that dumps are filtered as with strict
// checking: addresses by family and link, routes by family and table.
func TestFakeDumpFilters(t *testing.T) {
	ctx := context.Background()
	f := nltest.NewRTNL()
	f.AddLink(nltest.Link{Index: 2, Name: "eth0"})
	f.AddAddr(nltest.Addr{Index: 1, Prefix: netip.MustParsePrefix("127.0.0.1/8")})
	f.AddAddr(nltest.Addr{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.1/24")})
	f.AddAddr(nltest.Addr{Index: 2, Prefix: netip.MustParsePrefix("2001:db8::1/64")})
	f.AddRoute(nltest.Route{Dst: netip.MustParsePrefix("198.51.100.0/24"), OIF: 2})
	f.AddRoute(nltest.Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), OIF: 2, Table: 1000})
	f.AddRoute(nltest.Route{Dst: netip.MustParsePrefix("2001:db8:1::/64"), OIF: 2})
	h := fakeHandle(t, f)
	count := func(seq func(func(netip.Prefix, error) bool)) int {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	addrs := func(af *rtm.AddrFilter) func(func(netip.Prefix, error) bool) {
		return func(yield func(netip.Prefix, error) bool) {
			for a, err := range h.Addrs(ctx, af) {
				if !yield(a.Prefix(), err) {
					return
				}
			}
		}
	}
	routes := func(rf *rtm.RouteFilter) func(func(netip.Prefix, error) bool) {
		return func(yield func(netip.Prefix, error) bool) {
			for r, err := range h.Routes(ctx, rf) {
				if !yield(r.Dst(), err) {
					return
				}
			}
		}
	}
	for _, c := range []struct {
		name string
		got  int
		want int
	}{
		{"all addresses", count(addrs(nil)), 3},
		{"addresses of eth0", count(addrs(&rtm.AddrFilter{Index: 2})), 2},
		{"IPv6 addresses", count(addrs(&rtm.AddrFilter{Family: unix.AF_INET6})), 1},
		{"all routes", count(routes(nil)), 3},
		{"IPv4 routes", count(routes(&rtm.RouteFilter{Family: unix.AF_INET})), 2},
		{"routes of table 1000", count(routes(&rtm.RouteFilter{Table: 1000})), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestFakeAddrFlags checks the kernel's rules for adding: NLM_F_EXCL
// refuses an existing address, NLM_F_REPLACE replaces it.
func TestFakeAddrFlags(t *testing.T) {
	ctx := context.Background()
	f := nltest.NewRTNL()
	h := fakeHandle(t, f)
	spec := rtm.AddrSpec{Index: 1, Prefix: netip.MustParsePrefix("192.0.2.1/24")}
	if err := h.AddrAdd(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if err := h.AddrAdd(ctx, spec); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding it again: %v, want EEXIST", err)
	}
	if err := h.AddrReplace(ctx, spec); err != nil {
		t.Errorf("replacing it: %v", err)
	}
	if n := len(f.Addrs()); n != 1 {
		t.Errorf("%d addresses after a replace, want 1", n)
	}
	if err := h.AddrDel(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if err := h.AddrDel(ctx, spec); !errors.Is(err, unix.EADDRNOTAVAIL) {
		t.Errorf("deleting it again: %v, want EADDRNOTAVAIL", err)
	}
}

// TestFakeLinks creates, changes and deletes links through rtm.
func TestFakeLinks(t *testing.T) {
	ctx := context.Background()
	f := nltest.NewRTNL()
	h := fakeHandle(t, f)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}); err != nil {
		t.Fatal(err)
	}
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}); !errors.Is(err, unix.EEXIST) {
		t.Errorf("creating br0 again: %v, want EEXIST", err)
	}
	l, err := h.LinkByName(ctx, "br0")
	if err != nil || l.Kind() != "bridge" || l.Index() != 2 {
		t.Fatalf("br0: index %d, kind %q, %v; want 2, bridge", l.Index(), l.Kind(), err)
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: 2, MTU: 9000, Name: "br1"}); err != nil {
		t.Fatal(err)
	}
	if l, err := h.LinkByIndex(ctx, 2); err != nil || l.Name() != "br1" || l.MTU() != 9000 {
		t.Errorf("after LinkSet: %s, mtu %d, %v; want br1, 9000", l.Name(), l.MTU(), err)
	}
	if err := h.LinkDel(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := h.LinkByIndex(ctx, 2); !errors.Is(err, unix.ENODEV) {
		t.Errorf("after LinkDel: %v, want ENODEV", err)
	}
	if err := h.LinkSet(ctx, rtm.LinkSpec{Index: 9, MTU: 1280}); !errors.Is(err, unix.ENODEV) {
		t.Errorf("changing a missing link: %v, want ENODEV", err)
	}
}
