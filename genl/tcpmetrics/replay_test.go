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
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

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
