package socket_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func linkFixedLen(t uint16) int {
	if t >= unix.RTM_NEWLINK && t <= unix.RTM_SETLINK {
		return unix.SizeofIfInfomsg
	}
	return -1
}

// dial opens an rtnetlink socket inside a fresh namespace.
func dial(t *testing.T, cfg socket.Config) (*socket.Conn, *nstest.NS) {
	t.Helper()
	ns := nstest.New(t)
	cfg.Netns = ns.Handle
	if cfg.FixedLen == nil {
		cfg.FixedLen = linkFixedLen
	}
	c, err := socket.Dial(unix.NETLINK_ROUTE, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ns
}

// addLink appends an RTM_NEWLINK creating a link of kind.
func addLink(b *wire.Builder, name, kind string) {
	b.Begin(unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	b.Fixed(unix.SizeofIfInfomsg)
	b.String(unix.IFLA_IFNAME, name)
	li := b.BeginNest(unix.IFLA_LINKINFO)
	b.String(unix.IFLA_INFO_KIND, kind)
	b.EndNest(li)
	b.End()
}

// ipLinkNames asks iproute2, the oracle, which links the namespace has.
func ipLinkNames(t *testing.T, ns *nstest.NS) map[string]bool {
	var links []struct {
		Name string `json:"ifname"`
	}
	nstest.IPJSON(t, ns, &links, "link", "show")
	names := map[string]bool{}
	for _, l := range links {
		names[l.Name] = true
	}
	return names
}

func dumpLinkNames(t *testing.T, c *socket.Conn) map[string]bool {
	names := map[string]bool{}
	var x nla.Index
	for m, err := range c.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		x.Reset(nla.Chain(m.Data[unix.SizeofIfInfomsg:]))
		a, ok := x.Get(unix.IFLA_IFNAME)
		if !ok {
			t.Fatal("link without IFLA_IFNAME")
		}
		s, err := a.Text()
		if err != nil {
			t.Fatal(err)
		}
		names[s] = true
	}
	return names
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestExecuteAndKernelErrors(t *testing.T) {
	var warnings []string
	c, ns := dial(t, socket.Config{ExtAck: true, StrictCheck: true,
		Warn: func(_ unix.NlMsghdr, w string) { warnings = append(warnings, w) }})
	ctx := context.Background()
	var b wire.Builder
	addLink(&b, "br0", "bridge")
	if err := c.Execute(ctx, b.Bytes(), nil); err != nil {
		t.Fatal(err)
	}
	if !ipLinkNames(t, ns)["br0"] {
		t.Fatal("ip does not see br0")
	}
	// Again: the kernel refuses, and the error says why.
	b.Reset(b.Bytes())
	addLink(&b, "br0", "bridge")
	err := c.Execute(ctx, b.Bytes(), nil)
	var e *wire.Error
	if !errors.Is(err, unix.EEXIST) || !errors.Is(err, os.ErrExist) || !errors.As(err, &e) {
		t.Fatalf("duplicate add: %v", err)
	}
	if e.Request.Type != unix.RTM_NEWLINK || e.Request.Seq == 0 {
		t.Fatalf("error does not carry the request header: %+v", e.Request)
	}

	// A name longer than IFNAMSIZ-1 fails policy validation; the extended
	// ACK points at IFLA_IFNAME and states the policy.
	for _, capAck := range []bool{false, true} {
		c2, _ := dial(t, socket.Config{ExtAck: true, CapAck: capAck})
		b.Reset(b.Bytes())
		addLink(&b, "a-name-of-twenty-chars", "bridge")
		err = c2.Execute(ctx, b.Bytes(), nil)
		if !errors.Is(err, unix.ERANGE) || !errors.As(err, &e) {
			t.Fatalf("capack=%v: long name: %v", capAck, err)
		}
		if e.Message == "" || e.Offset != wire.HeaderLen+unix.SizeofIfInfomsg {
			t.Fatalf("capack=%v: extack %+v", capAck, e)
		}
		// Located from the kernel's echo, or from our own request when the
		// echo is capped.
		if len(e.Attr) != 1 || e.Attr[0] != unix.IFLA_IFNAME {
			t.Fatalf("capack=%v: located %v, want [IFLA_IFNAME]", capAck, e.Attr)
		}
		if e.Policy == nil || e.Policy.MaxLength != unix.IFNAMSIZ-1 {
			t.Fatalf("capack=%v: policy %+v", capAck, e.Policy)
		}
		if !strings.Contains(err.Error(), e.Message) {
			t.Fatalf("capack=%v: Error() %q lacks the kernel's message", capAck, err)
		}
	}

	// A get request's reply goes to onReply.
	b.Reset(b.Bytes())
	b.Begin(unix.RTM_GETLINK, 0)
	b.Fixed(unix.SizeofIfInfomsg)
	b.String(unix.IFLA_IFNAME, "br0")
	b.End()
	var got string
	err = c.Execute(ctx, b.Bytes(), func(m wire.Message) error {
		a, _ := nla.Chain(m.Data[unix.SizeofIfInfomsg:]).Get(unix.IFLA_IFNAME)
		got, _ = a.Text()
		return nil
	})
	if err != nil || got != "br0" {
		t.Fatalf("get: %q, %v", got, err)
	}
	if len(warnings) != 0 {
		t.Fatalf("unexpected warnings %q", warnings)
	}
}

func TestDumpMatchesIP(t *testing.T) {
	c, ns := dial(t, socket.Config{ExtAck: true, StrictCheck: true})
	addBridges(t, ns, 20)
	if got, want := dumpLinkNames(t, c), ipLinkNames(t, ns); !sameSet(got, want) {
		t.Fatalf("dump %v, ip %v", got, want)
	}
	// The socket lives in the test's namespace: the host's links are not
	// in the dump.
	if len(dumpLinkNames(t, c)) != 21 {
		t.Fatal("the dump saw links outside the namespace")
	}
}

// addBridges adds n bridges, br0 to br(n-1), to ns: enough links for a
// dump of several datagrams.
func addBridges(t *testing.T, ns *nstest.NS, n int) {
	t.Helper()
	for i := range n {
		nstest.IP(t, ns, "link", "add", fmt.Sprintf("br%d", i), "type", "bridge")
	}
}

func TestDumpAbandonedThenReused(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	addBridges(t, ns, 60)
	for range c.Dump(context.Background(), rawnl.LinkDump()) {
		break // abandon after one message; many datagrams remain
	}
	// Without draining, the kernel would answer EBUSY (dump in progress).
	if got := dumpLinkNames(t, c); len(got) != 61 {
		t.Fatalf("dump after an abandoned one saw %d links", len(got))
	}
	var b wire.Builder
	addLink(&b, "after", "bridge")
	if err := c.Execute(context.Background(), b.Bytes(), nil); err != nil {
		t.Fatal(err)
	}
	if c.Stats().Stale == 0 {
		t.Fatal("the abandoned dump's replies were not counted as stale")
	}
}

func TestDumpInterrupted(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	addBridges(t, ns, 60)
	n, changed := 0, false
	var last error
	for _, err := range c.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			last = err
			break
		}
		n++
		if !changed {
			// Change the link list while the dump is under way.
			nstest.IP(t, ns, "link", "add", "intruder", "type", "bridge")
			changed = true
		}
	}
	if !errors.Is(last, wire.ErrDumpInterrupted) {
		t.Fatalf("dump changed midway ended with %v after %d messages", last, n)
	}
	if n < 61 {
		t.Fatalf("interrupted dump delivered %d messages before the error", n)
	}
	// wire.Retry gets a consistent dump once nothing changes.
	attempts := 0
	err := wire.Retry(context.Background(), 3, func(ctx context.Context) error {
		attempts++
		for _, err := range c.Dump(ctx, rawnl.LinkDump()) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || attempts != 1 {
		t.Fatalf("retry: %v after %d attempts", err, attempts)
	}
}

func TestBatchResults(t *testing.T) {
	c, ns := dial(t, socket.Config{ExtAck: true, SendBufferSize: 8 << 10})
	nstest.IP(t, ns, "link", "add", "dup7", "type", "bridge")
	var b wire.Builder
	const n = 400 // several sendmsg chunks with an 8 KiB send buffer
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("b%d", i)
		switch i {
		case 7:
			name = "dup7"
		case 123:
			name = "x-name-far-too-long-for-a-link"
		}
		addLink(&b, name, "bridge")
	}
	results := make([]error, n)
	err := c.Batch(context.Background(), b.Bytes(), results, nil)
	var be *socket.BatchError
	if !errors.As(err, &be) || be.Failed != 2 || be.First != 7 || !errors.Is(err, unix.EEXIST) {
		t.Fatalf("batch: %v", err)
	}
	for i, r := range results {
		switch i {
		case 7:
			if !errors.Is(r, unix.EEXIST) {
				t.Errorf("result 7: %v", r)
			}
		case 123:
			var e *wire.Error
			if !errors.Is(r, unix.ERANGE) || !errors.As(r, &e) || len(e.Attr) != 1 || e.Attr[0] != unix.IFLA_IFNAME {
				t.Errorf("result 123: %v", r)
			}
		default:
			if r != nil {
				t.Errorf("result %d: %v", i, r)
			}
		}
	}
	links := ipLinkNames(t, ns)
	if len(links) != n /* n-2 new + lo + dup7 */ {
		t.Fatalf("ip sees %d links, want %d", len(links), n)
	}
	// A batch of only successes returns nil.
	b.Reset(b.Bytes())
	addLink(&b, "last", "bridge")
	if err := c.Batch(context.Background(), b.Bytes(), nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestForeignSenderDropped(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	// A user-space socket in the same namespace sends to our port.
	var spoof int
	err := nsDo(ns, func() (err error) {
		spoof, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(spoof)
	if err := unix.Bind(spoof, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	// A forged "success" ack that would fool a socket that trusted anyone.
	fake := make([]byte, 36)
	wire.PutHeader(fake, unix.NlMsghdr{Len: 36, Type: unix.NLMSG_ERROR, Seq: 2})
	if err := unix.Sendto(spoof, fake, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PortID()}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.Recv(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Recv delivered something: %v", err)
	}
	if got := c.Stats().Foreign; got != 1 {
		t.Fatalf("Foreign = %d, want 1", got)
	}
	// The socket still works.
	if len(dumpLinkNames(t, c)) != 1 {
		t.Fatal("dump after a foreign datagram failed")
	}
}

func nsDo(ns *nstest.NS, f func() error) error {
	return netnsDo(ns, f)
}

func TestOverrunAndRecovery(t *testing.T) {
	c, ns := dial(t, socket.Config{Groups: []uint32{unix.RTNLGRP_LINK}})
	if err := c.SetReceiveBufferSize(4096); err != nil {
		t.Fatal(err)
	}
	// Many notifications while nobody reads overflow the queue.
	var b wire.Builder
	for i := 0; i < 200; i++ {
		addLink(&b, fmt.Sprintf("b%d", i), "bridge")
	}
	ctl, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{Netns: ns.Handle})
	if err != nil {
		t.Fatal(err)
	}
	defer ctl.Close()
	if err := ctl.Batch(context.Background(), b.Bytes(), nil, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, err := c.Recv(ctx)
		if errors.Is(err, socket.ErrOverrun) {
			if !errors.Is(err, unix.ENOBUFS) {
				t.Fatal("ErrOverrun does not match ENOBUFS")
			}
			break
		}
		if err != nil {
			t.Fatalf("no overrun: %v", err)
		}
	}
	// While the queue stays congested the kernel drops notifications
	// without signalling again, so drain it as a resyncing reader would.
	for {
		short, cancelShort := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err := c.Recv(short)
		cancelShort()
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil && !errors.Is(err, socket.ErrOverrun) {
			t.Fatal(err)
		}
	}
	// The socket stays usable: a new change arrives.
	nstest.IP(t, ns, "link", "add", "after", "type", "bridge")
	for {
		d, err := c.Recv(ctx)
		if err != nil {
			t.Fatalf("no notification after the overrun: %v", err)
		}
		if strings.Contains(string(d.Data), "after") {
			break
		}
	}
	if c.Stats().Overruns == 0 {
		t.Fatalf("stats %+v", c.Stats())
	}
}

func TestContextCancelAndDeadline(t *testing.T) {
	c, _ := dial(t, socket.Config{Groups: []uint32{unix.RTNLGRP_LINK}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	if _, err := c.Recv(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled Recv: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer dcancel()
	if _, err := c.Recv(dctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Recv past deadline: %v", err)
	}
	// A finished context leaves no deadline behind.
	if len(dumpLinkNames(t, c)) != 1 {
		t.Fatal("dump after cancellations failed")
	}
	if _, err := c.Recv(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv with a done context: %v", err)
	}
}

func TestCloseIdempotentAndRacing(t *testing.T) {
	ns := nstest.New(t)
	before := hostile.OpenFDs(t)
	for i := 0; i < 50; i++ {
		c, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{Netns: ns.Handle, Groups: []uint32{unix.RTNLGRP_LINK}})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for j := 0; j < 2; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Recv(context.Background())
				errs <- err
			}()
		}
		time.Sleep(time.Millisecond)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if !errors.Is(err, net.ErrClosed) {
				t.Fatalf("Recv racing Close: %v", err)
			}
		}
	}
	if after := hostile.OpenFDs(t); after != before {
		t.Fatalf("%d descriptors before, %d after", before, after)
	}
}

func TestDumpAllocsPerMessage(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	req := rawnl.LinkDump()
	count := func() float64 {
		return testrun.LeastAllocs(5, func() {
			for _, err := range c.Dump(context.Background(), req) {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	small := count()
	addBridges(t, ns, 100)
	large := count()
	// An allocation per message would cost a hundred more; the least of
	// three measures leaves the runtime's own noise out.
	if large > small+2 {
		t.Fatalf("a dump of 1 link allocates %v times, of 101 links %v: allocation per message", small, large)
	}
}

func TestBatchOverrunNeverHangsOrLies(t *testing.T) {
	c, _ := dial(t, socket.Config{ExtAck: true, ReceiveBufferSize: 1})
	var b wire.Builder
	const n = 300
	for i := 0; i < n; i++ {
		addLink(&b, "lo", "bridge") // every one fails: EEXIST
	}
	results := make([]error, n)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := c.Batch(ctx, b.Bytes(), results, nil)
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("batch: %v", err)
	}
	exist, unknown := 0, 0
	for i, r := range results {
		switch {
		case errors.Is(r, unix.EEXIST):
			exist++
		case errors.Is(r, socket.ErrUnknownOutcome):
			unknown++
		default:
			t.Fatalf("result %d: %v (a failed request reported as %v)", i, r, r)
		}
	}
	if exist == 0 || c.Stats().Overruns == 0 {
		t.Fatalf("%d EEXIST, %d unknown, stats %+v: the test did not overrun", exist, unknown, c.Stats())
	}
	t.Logf("%d EEXIST, %d unknown after %d overruns", exist, unknown, c.Stats().Overruns)
	// The socket is still in step.
	b.Reset(b.Bytes())
	addLink(&b, "fresh", "bridge")
	if err := c.Execute(context.Background(), b.Bytes(), nil); err != nil {
		t.Fatal(err)
	}
}

// TestDumpAbandonedInLastDatagram breaks out of a dump whose end is in the
// same datagram as the message being read: nothing is left to drain, and
// the next exchange must not wait for it.
func TestDumpAbandonedInLastDatagram(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	for i := 0; i < 3; i++ {
		for range c.Dump(context.Background(), rawnl.LinkDump()) {
			break // lo, then DONE, arrive in one datagram
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n := 0
	for _, err := range c.Dump(ctx, rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("dump after abandoned ones saw %d links", n)
	}
}

func TestQueryGetsWithoutAck(t *testing.T) {
	c, _ := dial(t, socket.Config{ExtAck: true})
	var b wire.Builder
	get := func(name string) (string, error) {
		b.Reset(b.Bytes())
		b.Begin(unix.RTM_GETLINK, 0)
		b.Fixed(unix.SizeofIfInfomsg)
		b.String(unix.IFLA_IFNAME, name)
		b.End()
		var got string
		err := c.Query(context.Background(), b.Bytes(), func(m wire.Message) error {
			a, _ := nla.Chain(m.Data[unix.SizeofIfInfomsg:]).Get(unix.IFLA_IFNAME)
			got, _ = a.Text()
			return nil
		})
		return got, err
	}
	for i := 0; i < 3; i++ {
		if got, err := get("lo"); err != nil || got != "lo" {
			t.Fatalf("query lo: %q %v", got, err)
		}
		if _, err := get("nosuch"); !errors.Is(err, unix.ENODEV) {
			t.Fatalf("query missing: %v", err)
		}
	}
	// Nothing was left behind: no acks arrived for the replies.
	if s := c.Stats(); s.Stale != 0 {
		t.Fatalf("stale messages after queries: %+v", s)
	}
	if len(dumpLinkNames(t, c)) != 1 {
		t.Fatal("dump after queries failed")
	}
}

// TestPeekNeverTruncates receives a dump through a buffer far smaller than
// its datagrams: with peeking on, the buffer grows first and nothing is
// lost or reported as truncated.
func TestPeekNeverTruncates(t *testing.T) {
	c, ns := dial(t, socket.Config{})
	addBridges(t, ns, 30)
	socket.ShrinkBuffer(c, 512)
	c.SetPeek(true)
	if got := dumpLinkNames(t, c); len(got) != 31 {
		t.Fatalf("dump through a small buffer saw %d links", len(got))
	}
}

// TestTruncationIsReportedThenAvoided shows the default: the first
// oversized datagram is lost, with a TruncatedError, and the socket then
// peeks so that it cannot happen again.
func TestTruncationIsReportedThenAvoided(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	socket.ShrinkBuffer(c, 64)
	var te *socket.TruncatedError
	for _, err := range c.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil && !errors.As(err, &te) {
			t.Fatal(err)
		}
	}
	if te == nil || te.Size <= te.Buffer {
		t.Fatalf("no truncation reported: %v", te)
	}
	if got := dumpLinkNames(t, c); len(got) != 1 {
		t.Fatalf("after the truncation the dump saw %d links", len(got))
	}
}

// TestTruncatedDoneDoesNotHang loses a dump's only datagram, DONE
// included, to truncation; the next exchange must not wait for the DONE.
// An IPv4 rule dump (three default rules) fits in one datagram with its
// DONE.
func TestTruncatedDoneDoesNotHang(t *testing.T) {
	c, _ := dial(t, socket.Config{})
	ruleDump := func() []byte {
		var b wire.Builder
		b.Begin(unix.RTM_GETRULE, unix.NLM_F_DUMP)
		b.Fixed(12)[0] = unix.AF_INET // struct fib_rule_hdr
		b.End()
		return b.Bytes()
	}
	for i := 0; i < 3; i++ {
		socket.ShrinkBuffer(c, 64)
		c.SetPeek(false)
		var te *socket.TruncatedError
		for _, err := range c.Dump(context.Background(), ruleDump()) {
			if err != nil && !errors.As(err, &te) {
				t.Fatal(err)
			}
		}
		if te == nil {
			t.Fatalf("round %d: the dump was not truncated", i)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		n := 0
		for _, err := range c.Dump(ctx, ruleDump()) {
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			n++
		}
		cancel()
		if n != 3 {
			t.Fatalf("round %d: %d rules", i, n)
		}
	}
}
