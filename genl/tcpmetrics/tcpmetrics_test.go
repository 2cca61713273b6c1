package tcpmetrics_test

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

func ctxT(t *testing.T) context.Context {
	return testrun.Context(t, time.Minute) // a bound, not a measure
}

// pair makes two throwaway namespaces joined by a veth pair, with
// 10.78.0.1 and fd78::1 in the first, 10.78.0.2 and fd78::2 in the
// second (nstest.Joined), on a kernel with tcp_metrics.
func pair(t *testing.T) (a, b *nstest.NS) {
	nstest.Require(t, "genl:tcp_metrics")
	return nstest.Joined(t, 78)
}

// connect opens a TCP connection from namespace a to server (a
// listener in namespace b), moves data both ways and closes it: closing
// stores the connection's metrics in a's cache.
func connect(t *testing.T, ctx context.Context, a, b *nstest.NS, server string) {
	t.Helper()
	nstest.TCPExchange(t, ctx, a, b, server, 200<<10)
}

// ipEntry is one entry of `ip -j tcp_metrics show`, without its age
// (which moves between the two reads).
type ipEntry struct {
	Dst      string  `json:"dst"`
	Cwnd     uint32  `json:"cwnd"`
	Ssthresh uint32  `json:"ssthresh"`
	RTT      float64 `json:"rtt"`
	RTTVar   float64 `json:"rttvar"`
	Source   string  `json:"source"`
}

func fromEntry(e tcpmetrics.Entry) ipEntry {
	x := ipEntry{Dst: e.Destination().String(), Source: e.Source().String()}
	x.Cwnd, _ = e.Value(tcpmetrics.TCPMetricsAMetricsCwnd)
	x.Ssthresh, _ = e.Value(tcpmetrics.TCPMetricsAMetricsSsthresh)
	rtt, _ := e.RTT()
	x.RTT = g(rtt.Seconds())
	rttvar, _ := e.RTTVar()
	x.RTTVar = g(rttvar.Seconds())
	return x
}

// g rounds v as ip's JSON prints a float (%g: six significant digits).
func g(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

func ipEntries(t *testing.T, ns *nstest.NS) []ipEntry {
	var es []ipEntry
	nstest.IPJSON(t, ns, &es, "tcp_metrics", "show")
	return es
}

func dump(t *testing.T, ctx context.Context, h *genl.Handle) []ipEntry {
	var es []ipEntry
	for e, err := range tcpmetrics.Dump(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if age, ok := e.Age(); !ok || age > time.Hour {
			t.Errorf("%s: age %v, %v", e.Destination(), age, ok)
		}
		es = append(es, fromEntry(e))
	}
	return es
}

// TestMetrics makes TCP connections over IPv4 and IPv6 between two
// namespaces and compares the client's cache, dumped and asked for, with
// `ip tcp_metrics show`; then deletes one entry and the rest.
func TestMetrics(t *testing.T) {
	a, b := pair(t)
	ctx := ctxT(t)
	h := genltest.Dial(t, genl.WithNetns(a.Name))
	connect(t, ctx, a, b, "10.78.0.2:5001")
	connect(t, ctx, a, b, "[fd78::2]:5001")

	got, want := dump(t, ctx, h), ipEntries(t, a)
	if len(got) != 2 || !slices.Equal(got, want) {
		t.Fatalf("Dump:\n%+v\nip tcp_metrics show:\n%+v", got, want)
	}
	for _, x := range got {
		if x.RTT == 0 || x.Cwnd == 0 {
			t.Errorf("%s: no RTT or congestion window: %+v", x.Dst, x)
		}
	}
	v4, v6 := netip.MustParseAddr("10.78.0.2"), netip.MustParseAddr("fd78::2")
	e, err := tcpmetrics.Get(ctx, h, v4, netip.Addr{})
	if err != nil || fromEntry(e) != want[slices.IndexFunc(want, func(x ipEntry) bool { return x.Dst == "10.78.0.2" })] {
		t.Errorf("Get(%s) = %+v, %v", v4, fromEntry(e), err)
	}
	if e, err := tcpmetrics.Get(ctx, h, v6, netip.MustParseAddr("fd78::1")); err != nil || e.Source() != netip.MustParseAddr("fd78::1") {
		t.Errorf("Get(%s from fd78::1) = %+v, %v", v6, fromEntry(e), err)
	}
	if _, err := tcpmetrics.Get(ctx, h, netip.MustParseAddr("10.78.0.9"), netip.Addr{}); !errors.Is(err, unix.ESRCH) {
		t.Errorf("Get of an address without an entry: %v, want ESRCH", err)
	}

	del, err := tcpmetrics.Delete(v4, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tcpmetrics.Do(ctx, h, del); err != nil {
		t.Fatal(err)
	}
	if got, want = dump(t, ctx, h), ipEntries(t, a); len(got) != 1 || got[0].Dst != "fd78::2" || !slices.Equal(got, want) {
		t.Errorf("after deleting %s: %+v; ip: %+v", v4, got, want)
	}
	if err := tcpmetrics.Do(ctx, h, del); !errors.Is(err, unix.ESRCH) {
		t.Errorf("deleting %s again: %v, want ESRCH", v4, err)
	}
	if err := tcpmetrics.Do(ctx, h, tcpmetrics.DeleteAll()); err != nil {
		t.Fatal(err)
	}
	if got, want = dump(t, ctx, h), ipEntries(t, a); len(got) != 0 || len(want) != 0 {
		t.Errorf("after deleting all: %+v; ip: %+v", got, want)
	}
}

// TestBadInput checks that requests the kernel would refuse fail before
// sending, and that a kernel without the family is a typed error.
func TestBadInput(t *testing.T) {
	if _, err := tcpmetrics.Delete(netip.Addr{}, netip.Addr{}); !errors.Is(err, tcpmetrics.ErrInvalid) {
		t.Errorf("Delete without an address: %v", err)
	}
	if _, err := tcpmetrics.Delete(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("::1")); !errors.Is(err, tcpmetrics.ErrInvalid) {
		t.Errorf("Delete with mixed families: %v", err)
	}
	h, fake := genltest.NoFamilies(t)
	ctx := context.Background()
	if _, err := tcpmetrics.Get(ctx, h, netip.Addr{}, netip.Addr{}); !errors.Is(err, tcpmetrics.ErrInvalid) {
		t.Errorf("Get without an address: %v", err)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 0 {
		t.Errorf("an invalid Get sent %d requests", n)
	}
	genltest.WantNotFound(t, "Dump", "tcp_metrics", genltest.FirstErr(tcpmetrics.Dump(ctx, h)))
	genltest.WantNotFound(t, "Do", "tcp_metrics", tcpmetrics.Do(ctx, h, tcpmetrics.DeleteAll()))
}

// TestReplayMetrics decodes a recorded session (Linux 6.18, after a TCP
// connection over IPv4 and one over IPv6 between two namespaces) without
// root: dump, get, delete. NLTEST_RECORD=1 records it anew.
func TestReplayMetrics(t *testing.T) {
	opts := []genl.Option{genl.WithTransport(nltest.Conversation(t, filepath.Join("testdata", "conv", "metrics.nlconv")))}
	if nltest.Recording() {
		a, b := pair(t)
		ctx := ctxT(t)
		connect(t, ctx, a, b, "10.78.0.2:5001")
		connect(t, ctx, a, b, "[fd78::2]:5001")
		opts = append(opts, genl.WithNetns(a.Name))
	}
	h := genltest.Dial(t, opts...)
	ctx := context.Background()
	var dsts []string
	for e, err := range tcpmetrics.Dump(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		dsts = append(dsts, e.Destination().String()+" from "+e.Source().String())
		rtt, ok := e.RTT()
		cwnd, ok2 := e.Value(tcpmetrics.TCPMetricsAMetricsCwnd)
		if age, ok3 := e.Age(); !ok || !ok2 || !ok3 || rtt <= 0 || rtt > time.Second || cwnd == 0 || age > time.Minute {
			t.Errorf("%s: rtt %v, cwnd %d, age %v", e.Destination(), rtt, cwnd, age)
		}
		if v, ok := e.Get("vals", "cwnd"); !ok || v.String() != strconv.Itoa(int(cwnd)) {
			t.Errorf("%s: by name vals/cwnd = %v, %v; want %d", e.Destination(), v, ok, cwnd)
		}
		if v, ok := e.Get("saddr_ipv4"); ok != e.Source().Is4() || ok && v.String() != e.Source().String() {
			t.Errorf("%s: by name saddr_ipv4 = %v, %v", e.Destination(), v, ok)
		}
		names := 0
		for name := range e.Attrs() {
			if name == "" {
				t.Errorf("%s: an attribute without a name", e.Destination())
			}
			names++
		}
		if names < 4 {
			t.Errorf("%s: %d attributes by name", e.Destination(), names)
		}
		n := 0
		for typ := range e.Values() {
			if typ == 0 {
				t.Errorf("metric of type 0")
			}
			n++
		}
		if n < 3 {
			t.Errorf("%s: %d metrics", e.Destination(), n)
		}
	}
	slices.Sort(dsts) // the kernel's hash decides the order
	if len(dsts) != 2 || dsts[0] != "10.78.0.2 from 10.78.0.1" || dsts[1] != "fd78::2 from fd78::1" {
		t.Errorf("entries %q", dsts)
	}
	v4 := netip.MustParseAddr("10.78.0.2")
	if e, err := tcpmetrics.Get(ctx, h, v4, netip.Addr{}); err != nil || e.Destination() != v4 {
		t.Errorf("Get(%s) = %v, %v", v4, e.Destination(), err)
	}
	del, _ := tcpmetrics.Delete(v4, netip.Addr{})
	if err := tcpmetrics.Do(ctx, h, del); err != nil {
		t.Fatal(err)
	}
	if _, err := tcpmetrics.Get(ctx, h, v4, netip.Addr{}); !errors.Is(err, unix.ESRCH) {
		t.Errorf("Get after Delete: %v, want ESRCH", err)
	}
}
