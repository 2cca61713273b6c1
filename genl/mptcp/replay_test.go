package mptcp_test

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

// replayHandle dials a handle over the conversation name, recorded in a
// throwaway namespace when NLTEST_RECORD=1.
func replayHandle(t *testing.T, name string) *genl.Handle {
	if nltest.Recording() {
		nstest.Require(t, "genl:mptcp_pm")
	}
	return genltest.Replay(t, name, nil)
}

// TestReplayEndpoints decodes a recorded session (Linux 6.18) without
// root: endpoints added, dumped, asked for, changed and flushed, limits
// set and read, a missing endpoint's error. NLTEST_RECORD=1 records it
// anew.
func TestReplayEndpoints(t *testing.T) {
	h := replayHandle(t, "endpoints.nlconv")
	ctx := context.Background()
	var reqs []genl.Request
	for _, s := range []mptcp.EndpointSpec{
		{Addr: netip.MustParseAddr("10.0.0.1"), ID: 3, Flags: mptcp.FlagSignal, IfIndex: 1},
		{Addr: netip.MustParseAddr("dead::1"), Flags: mptcp.FlagSubflow | mptcp.FlagBackup | mptcp.FlagFullmesh, IfIndex: 1},
		{Addr: netip.MustParseAddr("10.0.0.5")},
	} {
		r, err := mptcp.EndpointAdd(s)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	if err := mptcp.Do(ctx, h, reqs...); err != nil {
		t.Fatal(err)
	}
	want := []mptcp.EndpointSpec{
		{Addr: netip.MustParseAddr("10.0.0.1"), ID: 3, Flags: mptcp.FlagSignal, IfIndex: 1},
		{Addr: netip.MustParseAddr("dead::1"), ID: 4, Flags: mptcp.FlagSubflow | mptcp.FlagBackup | mptcp.FlagFullmesh, IfIndex: 1},
		{Addr: netip.MustParseAddr("10.0.0.5"), ID: 5},
	}
	i := 0
	for e, err := range mptcp.Endpoints(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || e.Spec() != want[i] {
			t.Errorf("endpoint %d: %+v", i, e.Spec())
		}
		if v, ok := e.Get("id"); !ok || v.String() != strconv.Itoa(int(e.ID())) {
			t.Errorf("endpoint %d: by name id = %v, %v", i, v, ok)
		}
		i++
	}
	if i != len(want) {
		t.Errorf("%d endpoints, want %d", i, len(want))
	}
	if s, err := mptcp.GetEndpoint(ctx, h, 4); err != nil || s != want[1] {
		t.Errorf("GetEndpoint(4) = %+v, %v", s, err)
	}
	if _, err := mptcp.GetEndpoint(ctx, h, 77); !errors.Is(err, unix.EINVAL) {
		t.Errorf("GetEndpoint(77): %v", err)
	}
	r, err := mptcp.EndpointSetFlags(mptcp.EndpointSpec{ID: 5, Flags: mptcp.FlagBackup})
	if err != nil {
		t.Fatal(err)
	}
	if err := mptcp.Do(ctx, h, r); err != nil {
		t.Fatal(err)
	}
	if s, err := mptcp.GetEndpoint(ctx, h, 5); err != nil || s.Flags != mptcp.FlagBackup {
		t.Errorf("GetEndpoint(5) after set backup = %+v, %v", s, err)
	}
	two := uint32(2)
	if err := mptcp.Do(ctx, h, mptcp.LimitsSet(mptcp.LimitsSpec{AddAddrAccepted: &two})); err != nil {
		t.Fatal(err)
	}
	if l, err := mptcp.GetLimits(ctx, h); err != nil || l.AddAddrAccepted != 2 {
		t.Errorf("GetLimits = %+v, %v", l, err)
	}
	if err := mptcp.Do(ctx, h, mptcp.EndpointFlush()); err != nil {
		t.Fatal(err)
	}
	for e, err := range mptcp.Endpoints(ctx, h) {
		t.Errorf("after flush: %+v, %v", e.Spec(), err)
	}
}
