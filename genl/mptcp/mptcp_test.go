package mptcp_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"golang.org/x/sys/unix"
)

func dialNS(t *testing.T) (*genl.Handle, *nstest.NS) {
	t.Helper()
	return genltest.DialNS(t, "genl:mptcp_pm")
}

func ctxT(t *testing.T) context.Context {
	return testrun.Context(t, time.Minute) // a bound, not a measure
}

// ipEndpoint is one endpoint of `ip -j mptcp endpoint show`.
type ipEndpoint struct {
	Address  string `json:"address"`
	ID       uint8  `json:"id"`
	Port     uint16 `json:"port"`
	Signal   bool   `json:"signal"`
	Subflow  bool   `json:"subflow"`
	Backup   bool   `json:"backup"`
	Fullmesh bool   `json:"fullmesh"`
	Dev      string `json:"dev"`
}

func fromSpec(s mptcp.EndpointSpec, dev string) ipEndpoint {
	return ipEndpoint{Address: s.Addr.String(), ID: s.ID, Port: s.Port,
		Signal: s.Flags&mptcp.FlagSignal != 0, Subflow: s.Flags&mptcp.FlagSubflow != 0,
		Backup: s.Flags&mptcp.FlagBackup != 0, Fullmesh: s.Flags&mptcp.FlagFullmesh != 0, Dev: dev}
}

func ipEndpoints(t *testing.T, ns *nstest.NS) []ipEndpoint {
	var eps []ipEndpoint
	nstest.IPJSON(t, ns, &eps, "mptcp", "endpoint", "show")
	return eps
}

func dumpEndpoints(t *testing.T, ctx context.Context, h *genl.Handle) []ipEndpoint {
	var got []ipEndpoint
	for e, err := range mptcp.Endpoints(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		dev := ""
		if e.IfIndex() == 1 {
			dev = "lo"
		}
		got = append(got, fromSpec(e.Spec(), dev))
	}
	return got
}

// TestEndpoints adds endpoints with the library and with ip, and compares
// what each reads back; then changes flags, deletes and flushes.
func TestEndpoints(t *testing.T) {
	h, ns := dialNS(t)
	ctx := ctxT(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	nstest.IP(t, ns, "addr", "add", "10.9.0.1/24", "dev", "lo")
	specs := []mptcp.EndpointSpec{
		{Addr: netip.MustParseAddr("10.0.0.1"), ID: 3, Flags: mptcp.FlagSignal, IfIndex: 1},
		{Addr: netip.MustParseAddr("dead::1"), Flags: mptcp.FlagSubflow | mptcp.FlagBackup | mptcp.FlagFullmesh, IfIndex: 1},
		{Addr: netip.MustParseAddr("10.0.0.5")},
		{Addr: netip.MustParseAddr("10.9.0.1"), ID: 9, Port: 10000, Flags: mptcp.FlagSignal},
	}
	var reqs []genl.Request
	for _, s := range specs {
		r, err := mptcp.EndpointAdd(s)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	if err := mptcp.Do(ctx, h, reqs[0]); err != nil {
		t.Fatal(err)
	}
	if err := mptcp.Do(ctx, h, reqs[1:]...); err != nil { // pipelined
		t.Fatal(err)
	}
	nstest.IP(t, ns, "mptcp", "endpoint", "add", "10.0.0.7", "id", "20", "subflow", "backup")
	got, want := dumpEndpoints(t, ctx, h), ipEndpoints(t, ns)
	if len(got) != 5 || !slices.Equal(got, want) {
		t.Fatalf("Endpoints:\n%+v\nip mptcp endpoint show:\n%+v", got, want)
	}
	// Ids the kernel chose: the next free ones.
	if got[1].ID != 4 || got[2].ID != 5 {
		t.Errorf("ids chosen %d, %d, want 4, 5", got[1].ID, got[2].ID)
	}

	s, err := mptcp.GetEndpoint(ctx, h, 20)
	if err != nil || s != (mptcp.EndpointSpec{Addr: netip.MustParseAddr("10.0.0.7"), ID: 20, Flags: mptcp.FlagSubflow | mptcp.FlagBackup}) {
		t.Errorf("GetEndpoint(20) = %+v, %v", s, err)
	}
	_, err = mptcp.GetEndpoint(ctx, h, 77)
	if !errors.Is(err, unix.EINVAL) || !strings.Contains(err.Error(), "address not found") {
		t.Errorf("GetEndpoint(77): %v, want EINVAL with the kernel's message", err)
	}

	// Change flags by id and by address.
	r, err := mptcp.EndpointSetFlags(mptcp.EndpointSpec{ID: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := mptcp.Do(ctx, h, r); err != nil {
		t.Fatal(err)
	}
	r, err = mptcp.EndpointSetFlags(mptcp.EndpointSpec{Addr: netip.MustParseAddr("10.0.0.5"), Flags: mptcp.FlagBackup})
	if err != nil {
		t.Fatal(err)
	}
	if err := mptcp.Do(ctx, h, r); err != nil {
		t.Fatal(err)
	}
	r, err = mptcp.EndpointDelete(3, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	if err := mptcp.Do(ctx, h, r); err != nil {
		t.Fatal(err)
	}
	got, want = dumpEndpoints(t, ctx, h), ipEndpoints(t, ns)
	if len(got) != 4 || !slices.Equal(got, want) || !got[1].Backup || got[3].Backup {
		t.Fatalf("after set flags and delete, Endpoints:\n%+v\nip mptcp endpoint show:\n%+v", got, want)
	}
	if err := mptcp.Do(ctx, h, r); !errors.Is(err, unix.EINVAL) {
		t.Errorf("deleting id 3 again: %v, want EINVAL", err)
	}
	if err := mptcp.Do(ctx, h, mptcp.EndpointFlush()); err != nil {
		t.Fatal(err)
	}
	if got, want = dumpEndpoints(t, ctx, h), ipEndpoints(t, ns); len(got) != 0 || len(want) != 0 {
		t.Errorf("after flush: %+v, ip: %+v", got, want)
	}
}

// TestLimits sets limits with the library and reads them with ip, and
// the other way round.
func TestLimits(t *testing.T) {
	h, ns := dialNS(t)
	ctx := ctxT(t)
	three, five := uint32(3), uint32(5)
	if err := mptcp.Do(ctx, h, mptcp.LimitsSet(mptcp.LimitsSpec{Subflows: &three, AddAddrAccepted: &five})); err != nil {
		t.Fatal(err)
	}
	if out := nstest.IP(t, ns, "mptcp", "limits", "show"); out != "add_addr_accepted 5 subflows 3 \n" {
		t.Errorf("ip mptcp limits show: %q", out)
	}
	nstest.IP(t, ns, "mptcp", "limits", "set", "subflows", "7")
	l, err := mptcp.GetLimits(ctx, h)
	if err != nil || l != (mptcp.Limits{AddAddrAccepted: 5, Subflows: 7}) {
		t.Errorf("GetLimits = %+v, %v", l, err)
	}
	big := uint32(1000)
	err = mptcp.Do(ctx, h, mptcp.LimitsSet(mptcp.LimitsSpec{Subflows: &big}))
	if !errors.Is(err, unix.EINVAL) || !strings.Contains(err.Error(), "limit greater than maximum") {
		t.Errorf("subflows 1000: %v, want EINVAL with the kernel's message", err)
	}
}

// TestBadInput checks that the constructors refuse what the kernel
// would, before anything is sent, and that a kernel without the family
// is a typed error.
func TestBadInput(t *testing.T) {
	a := netip.MustParseAddr("10.0.0.1")
	for _, c := range []struct {
		name string
		err  error
	}{
		{"add without address", second(mptcp.EndpointAdd(mptcp.EndpointSpec{}))},
		{"add signal fullmesh", second(mptcp.EndpointAdd(mptcp.EndpointSpec{Addr: a, Flags: mptcp.FlagSignal | mptcp.FlagFullmesh}))},
		{"add port without signal", second(mptcp.EndpointAdd(mptcp.EndpointSpec{Addr: a, Port: 1}))},
		{"add unknown flags", second(mptcp.EndpointAdd(mptcp.EndpointSpec{Addr: a, Flags: 1 << 9}))},
		{"add negative ifindex", second(mptcp.EndpointAdd(mptcp.EndpointSpec{Addr: a, IfIndex: -1}))},
		{"delete id and address", second(mptcp.EndpointDelete(1, a))},
		{"delete id 0 without address", second(mptcp.EndpointDelete(0, netip.Addr{}))},
		{"set signal", second(mptcp.EndpointSetFlags(mptcp.EndpointSpec{ID: 1, Flags: mptcp.FlagSignal}))},
		{"set id and port", second(mptcp.EndpointSetFlags(mptcp.EndpointSpec{ID: 1, Port: 80}))},
		{"set nothing named", second(mptcp.EndpointSetFlags(mptcp.EndpointSpec{Flags: mptcp.FlagBackup}))},
	} {
		if !errors.Is(c.err, mptcp.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, c.err)
		}
	}

	h, fake := genltest.NoFamilies(t)
	ctx := context.Background()
	_, err := mptcp.GetLimits(ctx, h)
	genltest.WantNotFound(t, "GetLimits", "mptcp_pm", err)
	genltest.WantNotFound(t, "Endpoints", "mptcp_pm", genltest.FirstErr(mptcp.Endpoints(ctx, h)))
	_, err = mptcp.Monitor(ctx, h)
	genltest.WantNotFound(t, "Monitor", "mptcp_pm", err)
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 3 {
		t.Errorf("%d requests, want the 3 family lookups", n)
	}
}

func second[T any](_ T, err error) error { return err }
