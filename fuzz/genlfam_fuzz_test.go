package fuzz

import (
	"encoding/hex"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// familySeeds returns the payloads of the replies of a family other
// than nlctrl recorded in the conversation at path.
func familySeeds(t testing.TB, path ...string) [][]byte {
	return convReplies(t, func(typ uint16) bool { return typ > unix.GENL_ID_CTRL }, filepath.Join(path...))
}

// mptcpEventSeeds are MPTCP events the kernel sent (Linux 6.18) for a
// connection over loopback: CREATED with its addresses and ports, its
// listener's LISTENER_CLOSED, its CLOSED.
var mptcpEventSeeds = []string{
	"01010000" + "080001004539ca08050012000100000006000d00020000000600020002000000080005007f000001080007007f000001060009008003000006000a00ebfa000005000300000000000500040000000000",
	"10010000" + "06000200020000000600090080030000080005007f000001",
	"03010000" + "080001004539ca08",
}

// decodeGenl decodes payload data as a message of a family with no user
// header.
func decodeGenl(data []byte) (genl.Message, error) {
	return genl.Decode(wire.Message{Header: unix.NlMsghdr{Type: 0x20}, Data: data}, 0)
}

// fuzzFamily fuzzes body with the replies recorded for package family of
// genl (its testdata/conv/conv) among its seeds: each input decoded as a
// message of a family with no user header, those that do not decode
// skipped.
func fuzzFamily(f *testing.F, family, conv string, body func(t *testing.T, m genl.Message)) {
	fuzzDecode(f, familySeeds(f, "..", "genl", family, "testdata", "conv", conv), decodeGenl, body)
}

// checkByName walks every attribute of a view by name and counts them; it
// must name as many as the raw chain holds, and never panic.
func checkByName(t *testing.T, what string, named func(func(string, genl.Value) bool), raw int) {
	n := 0
	named(func(name string, v genl.Value) bool {
		_ = v.String()
		_, _ = v.MarshalJSON()
		n++
		return true
	})
	if n != raw {
		t.Fatalf("%s: %d attributes by name, %d raw", what, n, raw)
	}
}

// FuzzMptcpEndpoint reads arbitrary bytes as an MPTCP_PM_CMD_GET_ADDR
// reply and as a path manager event: every accessor must return without
// panicking, by-name access must name every attribute, and an endpoint's
// address must be of the family it claims. Run without -fuzz, it fails
// unless its seeds (recorded replies) produced an endpoint with an
// address and an event with a token.
func FuzzMptcpEndpoint(f *testing.F) {
	for _, s := range mptcpEventSeeds {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	var endpoint, event atomic.Bool
	wantSeeds(f, "decoded as an endpoint with an address and an event with a token", &endpoint, &event)
	fuzzFamily(f, "mptcp", "endpoints.nlconv", func(t *testing.T, m genl.Message) {
		if e, err := mptcp.ParseEndpoint(m); err == nil {
			s := e.Spec()
			_ = e.Flags().String()
			if s.Addr.IsValid() {
				if (e.Family() == unix.AF_INET) != s.Addr.Is4() {
					t.Fatalf("endpoint of family %d with address %v", e.Family(), s.Addr)
				}
				endpoint.Store(true)
			}
			_, _ = e.Get("addr6")
			checkByName(t, "endpoint", e.Attrs(), count(e.Chain().All()))
		}
		if l, err := mptcp.ParseLimits(m); err == nil && l.Subflows > 0 && len(m.Attrs) < 8 {
			t.Fatalf("limits %+v from %d bytes of attributes", l, len(m.Attrs))
		}
		ev := mptcp.ParseEvent(m)
		_ = ev.Name()
		_, _, _ = ev.Source(), ev.Destination(), ev.IfIndex()
		_, _, _ = ev.SourcePort(), ev.DestinationPort(), ev.Flags()
		_, _, _, _ = ev.LocalID(), ev.RemoteID(), ev.ResetReason(), ev.ResetFlags()
		_, _, _ = ev.Backup(), ev.Error(), ev.Timeout()
		if ev.Token() != 0 {
			event.Store(true)
		}
		checkByName(t, "event", ev.Attrs(), count(ev.Chain().All()))
	})
}

// FuzzTCPMetrics reads arbitrary bytes as a TCP_METRICS_CMD_GET reply:
// ParseEntry either fails or returns an entry with a destination, every
// accessor returns without panicking, a Clone reads the same and
// by-name access names every attribute. Run without -fuzz, it fails
// unless its seeds (recorded replies) produced an entry with an RTT.
func FuzzTCPMetrics(f *testing.F) {
	var rtt atomic.Bool
	wantSeeds(f, "decoded as an entry with an RTT", &rtt)
	fuzzFamily(f, "tcpmetrics", "metrics.nlconv", func(t *testing.T, m genl.Message) {
		e, err := tcpmetrics.ParseEntry(m)
		if err != nil {
			return
		}
		if !e.Destination().IsValid() {
			t.Fatal("an entry without a destination")
		}
		_ = e.Source()
		_, _ = e.Age()
		if _, ok := e.RTT(); ok {
			rtt.Store(true)
		}
		_, _ = e.RTTVar()
		_, _ = e.FastOpenMSS()
		_, _, _ = e.FastOpenSynDrops()
		_ = e.FastOpenCookie()
		for typ := range e.Values() {
			if _, ok := e.Value(typ); !ok {
				t.Fatalf("metric %d iterated but not found", typ)
			}
		}
		c := e.Clone()
		if c.Destination() != e.Destination() || c.Source() != e.Source() {
			t.Fatal("Clone reads differently")
		}
		_, _ = e.Get("vals", "rtt_us")
		checkByName(t, "entry", e.Attrs(), count(e.Chain().All()))
	})
}

// FuzzNetdev reads arbitrary bytes as replies of the netdev family
// (device, queue, NAPI): every accessor returns without panicking and
// by-name access names every attribute. Run without -fuzz, it fails
// unless its seeds (recorded replies) produced a device with XDP
// features.
func FuzzNetdev(f *testing.F) {
	var xdp atomic.Bool
	wantSeeds(f, "decoded as a device with XDP features", &xdp)
	fuzzFamily(f, "netdev", "devices.nlconv", func(t *testing.T, m genl.Message) {
		if d, err := netdev.ParseDevice(m); err == nil {
			if d.XDPFeatures() != 0 {
				xdp.Store(true)
			}
			_ = d.XDPFeatures().String() + d.XDPRxMetadata().String() + d.XSKFeatures().String()
			_, _ = d.XDPZeroCopyMaxSegs()
			checkByName(t, "device", d.Attrs(), count(d.Chain().All()))
		}
		if q, err := netdev.ParseQueue(m); err == nil {
			_, _, _, _ = q.ID(), q.Type(), q.Index(), q.NAPIID()
			checkByName(t, "queue", q.Attrs(), count(q.Chain().All()))
		}
		if n, err := netdev.ParseNAPI(m); err == nil {
			_, _ = n.ID(), n.Index()
			_, _ = n.IRQ()
			_, _ = n.PID()
			checkByName(t, "napi", n.Attrs(), count(n.Chain().All()))
		}
	})
}

// count counts what seq yields.
func count[T any](seq func(func(T) bool)) int {
	n := 0
	for range seq {
		n++
	}
	return n
}
