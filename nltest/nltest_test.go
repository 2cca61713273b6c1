package nltest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// conversation writes a one-exchange conversation by hand: socket 1 sends
// req (stamped as a dump with seq 7) and receives replies.
func conversation(req []byte, replies ...[]byte) string {
	r := append([]byte(nil), req...)
	wire.PutHeader(r, unix.NlMsghdr{Len: uint32(len(r)), Type: unix.RTM_GETLINK,
		Flags: unix.NLM_F_REQUEST | unix.NLM_F_DUMP, Seq: 7})
	var sb strings.Builder
	sb.WriteString("# nltest conversation v1\n")
	fmt.Fprintf(&sb, "> 1 %x\n", r)
	for _, p := range replies {
		fmt.Fprintf(&sb, "< 1 %x\n", p)
	}
	return sb.String()
}

// reply addresses a message to socket 1's request 7, in a dump.
func reply(m []byte, flags uint16) []byte {
	h := wire.DecodeHeader(m)
	h.Seq, h.Pid, h.Flags = 7, 1, flags
	wire.PutHeader(m, h)
	return m
}

func done(errno unix.Errno) []byte {
	m := nltest.Message(unix.NLMSG_DONE, []byte{byte(-int32(errno)), byte(-int32(errno) >> 8), byte(-int32(errno) >> 16), byte(-int32(errno) >> 24)})
	return reply(m, unix.NLM_F_MULTI)
}

func TestReplayServesRecordedReplies(t *testing.T) {
	lo := reply(nltest.Message(unix.RTM_NEWLINK, nltest.Link{Index: 1, Name: "lo"}.Payload()), unix.NLM_F_MULTI)
	conv := conversation(rawnl.LinkDump(), append(lo, done(0)...))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	if r.Left() != 1 {
		t.Fatalf("Left() = %d before replaying, want 1", r.Left())
	}
	var got []int32
	for m, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		l, err := rtm.LinkFromBytes(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Index())
	}
	if len(got) != 1 || got[0] != 1 || r.Left() != 0 || r.Err() != nil {
		t.Errorf("replayed links %v, %d left, err %v; want [1], 0, nil", got, r.Left(), r.Err())
	}
	// Past the end of the conversation, nothing is answered.
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		var me *nltest.MismatchError
		if !errors.As(err, &me) || me.Line != 0 {
			t.Errorf("a request past the end: %v, want a *MismatchError at line 0", err)
		}
	}
}

func TestReplayRefusesOtherRequests(t *testing.T) {
	conv := conversation(rawnl.LinkDump(), done(0))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	other := rawnl.LinkDump()
	other[wire.HeaderLen] = unix.AF_INET // another family
	for _, err := range tr.Dump(context.Background(), other) {
		var me *nltest.MismatchError
		if !errors.As(err, &me) || me.Line != 2 || !bytes.Equal(me.Got, other) {
			t.Errorf("another request: %v, want a *MismatchError naming line 2", err)
		}
	}
	if r.Err() == nil || r.Left() != 1 {
		t.Errorf("after a mismatch: Err %v, Left %d; want the mismatch, 1", r.Err(), r.Left())
	}
}

func TestReplayKernelError(t *testing.T) {
	conv := conversation(rawnl.LinkDump(), done(unix.EPERM))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		var we *wire.Error
		if !errors.Is(err, unix.EPERM) || !errors.As(err, &we) {
			t.Errorf("a dump the kernel refused: %v, want a *wire.Error wrapping EPERM", err)
		}
	}
}

// ReplayFile's dialer replays the file, or returns from every dial the
// error reading it, naming the file.
func TestReplayFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.nlconv")
	bad := filepath.Join(dir, "bad.nlconv")
	if err := os.WriteFile(good, []byte(conversation(rawnl.LinkDump(), done(unix.EPERM))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a conversation\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := nltest.ReplayFile(good)(unix.NETLINK_ROUTE, &socket.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if !errors.Is(err, unix.EPERM) {
			t.Errorf("the replayed dump: %v, want the recorded EPERM", err)
		}
	}
	missing := nltest.ReplayFile(filepath.Join(dir, "missing.nlconv"))
	for range 2 {
		if _, err := missing(unix.NETLINK_ROUTE, &socket.Config{}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("dialing a missing file: %v, want fs.ErrNotExist", err)
		}
	}
	if _, err := nltest.ReplayFile(bad)(unix.NETLINK_ROUTE, &socket.Config{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("dialing a file that is no conversation: %v, want an error naming it", err)
	}
}

func TestReadConversationErrors(t *testing.T) {
	for _, text := range []string{
		"not a conversation\n",
		"# nltest conversation v1\n> 1\n",
		"# nltest conversation v1\n> x 00\n",
		"# nltest conversation v1\n= 1 00\n",
		"# nltest conversation v1\n< 1 0g\n",
	} {
		if _, err := nltest.NewReplayer(strings.NewReader(text)); err == nil {
			t.Errorf("NewReplayer(%q) accepted it", text)
		}
	}
}

func TestFakeDefaults(t *testing.T) {
	f := nltest.NewFake()
	tr, _ := f.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	var b wire.Builder
	b.Begin(unix.RTM_GETNEIGH, 0)
	b.Fixed(unix.SizeofNdMsg)
	b.End()
	if err := tr.Query(context.Background(), b.Bytes(), nil); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("a request nobody handles: %v, want EOPNOTSUPP", err)
	}
	n := 0
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 || f.Requests(unix.RTM_GETLINK) != 1 {
		t.Errorf("a dump nobody handles gave %d messages (%d requests counted), want an empty dump", n, f.Requests(unix.RTM_GETLINK))
	}
	// A handler's error that is not an errno is sent as EINVAL.
	f.Handle(unix.RTM_GETNEIGH, func(wire.Message) ([][]byte, error) { return nil, errors.New("no") })
	if err := tr.Query(context.Background(), b.Bytes(), nil); !errors.Is(err, unix.EINVAL) {
		t.Errorf("a handler failing with a plain error: %v, want EINVAL", err)
	}
}

// TestFakeNotifies checks that a change reaches the monitors of its group
// only, and that Monitor.Sync's barrier comes after it.
func TestFakeNotifies(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := nltest.NewRTNL()
	h := fakeHandle(t, f)
	m4, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer m4.Close()
	m6, err := h.Monitor([]rtm.Group{rtm.GroupIPv6Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer m6.Close()
	p := netip.MustParsePrefix("192.0.2.1/24")
	if err := h.AddrAdd(ctx, rtm.AddrSpec{Index: 1, Prefix: p}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*rtm.Monitor{m4, m6} {
		id, err := m.Sync()
		if err != nil {
			t.Fatal(err)
		}
		var got []netip.Prefix
		for ev, err := range m.Events(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Sync == id {
				break
			}
			if a, ok := ev.Addr(); ok && ev.IsNew() {
				got = append(got, a.Prefix())
			}
		}
		want := 0
		if m == m4 {
			want = 1
		}
		if len(got) != want || want == 1 && got[0] != p {
			t.Errorf("monitor events %v; want %d of %v", got, want, p)
		}
	}
	if err := h.AddrDel(ctx, rtm.AddrSpec{Index: 1, Prefix: netip.MustParsePrefix("192.0.2.9/24")}); !errors.Is(err, unix.EADDRNOTAVAIL) {
		t.Errorf("deleting a missing address: %v, want EADDRNOTAVAIL", err)
	}
}

// TestRecordReplay records a conversation with a real kernel (root) and
// replays it: the same calls get the same answers, and a different call
// is refused.
func TestRecordReplay(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ctx := context.Background()
	calls := func(h *rtm.Handle) (string, error) {
		var sb strings.Builder
		for l, err := range h.Links(ctx, nil) {
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&sb, "%d %s %d\n", l.Index(), l.Name(), l.MTU())
		}
		v0, err := h.LinkByName(ctx, "v0")
		if err != nil {
			return "", err
		}
		err = h.AddrAdd(ctx, rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		fmt.Fprintf(&sb, "add: %v\n", err)
		err = h.AddrAdd(ctx, rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		fmt.Fprintf(&sb, "again: %v\n", err)
		b := h.NewBatch()
		b.AddrAdd(rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.2/24")})
		b.AddrAdd(rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		res, err := b.Run(ctx)
		fmt.Fprintf(&sb, "batch: %v %v\n", res, err)
		return sb.String(), nil
	}

	var conv bytes.Buffer
	rec := nltest.NewRecorder(&conv)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name), rtm.WithTransport(rec.Dial))
	if err != nil {
		t.Fatal(err)
	}
	live, err := calls(h)
	h.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}

	r, err := nltest.NewReplayer(bytes.NewReader(conv.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	h, err = rtm.Dial(rtm.WithTransport(r.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	replayed, err := calls(h)
	if err != nil || replayed != live || r.Left() != 0 {
		t.Errorf("replay: %v, %d requests left\n got:\n%s\nwant:\n%s", err, r.Left(), replayed, live)
	}
	if !strings.Contains(live, "again: rtm: address add") || !strings.Contains(live, "file exists") {
		t.Errorf("the recorded calls lack the kernel's refusal:\n%s", live)
	}
	if _, err := h.LinkByName(ctx, "v0"); err == nil || r.Err() == nil {
		t.Errorf("a request past the recording: %v (replayer: %v), want a mismatch", err, r.Err())
	}
}

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
