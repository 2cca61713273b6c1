package genl_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/nltest"
)

// seqErr returns the first error of an iterator, or nil; a sequence that
// yields nothing at all from a nil handle or context is a silent failure,
// and reported by the caller as no error.
func seqErr[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func errOf[T any](_ T, err error) error { return err }

// apiCall is one exported entry point of genl or a family package, called
// with handle h and context ctx, and zero values for everything else.
type apiCall struct {
	name string
	call func(ctx context.Context, h *genl.Handle) error
}

// bare are the calls that take nothing but a context and a handle: with
// a good handle, their "zero arguments" are valid ones, no error.
var bare = map[string]bool{"nlctrl.Families": true}

// apiCalls lists every exported function and method of genl and its
// family packages that takes a handle or a context, called with zero
// values (a zero Device, a zero address, a nil family, nil callbacks).
func apiCalls() []apiCall {
	zdev := ethtool.Device{}
	var nilFam *genl.Family
	return []apiCall{
		// genl itself.
		{"Handle.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(h.Family(ctx, "")) }},
		{"Handle.Do", func(ctx context.Context, h *genl.Handle) error { return h.Do(ctx, nilFam, genl.Request{}, nil) }},
		{"Handle.Query", func(ctx context.Context, h *genl.Handle) error { return h.Query(ctx, nilFam, genl.Request{}, nil) }},
		{"Handle.Dump", func(ctx context.Context, h *genl.Handle) error { return seqErr(h.Dump(ctx, nilFam, genl.Request{})) }},
		{"Handle.Batch", func(ctx context.Context, h *genl.Handle) error {
			return errOf(h.Batch(ctx, nilFam, []genl.Request{{}}, nil))
		}},
		{"Handle.DoFamily", func(ctx context.Context, h *genl.Handle) error { return h.DoFamily(ctx, "", genl.Request{}) }},
		{"Handle.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(h.Monitor(genl.Subscription{})) }},
		{"DumpFamily", func(ctx context.Context, h *genl.Handle) error {
			return seqErr(genl.DumpFamily[int](ctx, h, "", genl.Request{}, nil))
		}},
		{"QueryFamily", func(ctx context.Context, h *genl.Handle) error {
			return errOf(genl.QueryFamily[int](ctx, h, "", genl.Request{}, nil))
		}},
		// nlctrl.
		{"nlctrl.Families", func(ctx context.Context, h *genl.Handle) error { return seqErr(nlctrl.Families(ctx, h)) }},
		{"nlctrl.Policy", func(ctx context.Context, h *genl.Handle) error { return errOf(nlctrl.Policy(ctx, h, "")) }},
		// netdev.
		{"netdev.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.Family(ctx, h)) }},
		{"netdev.Devices", func(ctx context.Context, h *genl.Handle) error { return seqErr(netdev.Devices(ctx, h)) }},
		{"netdev.GetDevice", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetDevice(ctx, h, 0)) }},
		{"netdev.NAPIs", func(ctx context.Context, h *genl.Handle) error { return seqErr(netdev.NAPIs(ctx, h, 0)) }},
		{"netdev.GetNAPI", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetNAPI(ctx, h, 0)) }},
		{"netdev.Queues", func(ctx context.Context, h *genl.Handle) error { return seqErr(netdev.Queues(ctx, h, 0)) }},
		{"netdev.GetQueue", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetQueue(ctx, h, 0, 0, 0)) }},
		{"netdev.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.Monitor(ctx, h)) }},
		// tcpmetrics.
		{"tcpmetrics.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(tcpmetrics.Family(ctx, h)) }},
		{"tcpmetrics.Dump", func(ctx context.Context, h *genl.Handle) error { return seqErr(tcpmetrics.Dump(ctx, h)) }},
		{"tcpmetrics.Get", func(ctx context.Context, h *genl.Handle) error {
			return errOf(tcpmetrics.Get(ctx, h, netip.Addr{}, netip.Addr{}))
		}},
		{"tcpmetrics.Do", func(ctx context.Context, h *genl.Handle) error { return tcpmetrics.Do(ctx, h, genl.Request{}) }},
		// mptcp.
		{"mptcp.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.Family(ctx, h)) }},
		{"mptcp.Endpoints", func(ctx context.Context, h *genl.Handle) error { return seqErr(mptcp.Endpoints(ctx, h)) }},
		{"mptcp.GetEndpoint", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.GetEndpoint(ctx, h, 0)) }},
		{"mptcp.GetLimits", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.GetLimits(ctx, h)) }},
		{"mptcp.Do", func(ctx context.Context, h *genl.Handle) error { return mptcp.Do(ctx, h, genl.Request{}) }},
		{"mptcp.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.Monitor(ctx, h)) }},
		// ethtool.
		{"ethtool.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.Family(ctx, h)) }},
		{"ethtool.GetFeatures", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetFeatures(ctx, h, zdev)) }},
		{"ethtool.SetFeatures", func(ctx context.Context, h *genl.Handle) error { return ethtool.SetFeatures(ctx, h, zdev, nil) }},
		{"ethtool.AllFeatures", func(ctx context.Context, h *genl.Handle) error { return seqErr(ethtool.AllFeatures(ctx, h)) }},
		{"ethtool.FeaturesOf", func(ctx context.Context, h *genl.Handle) error {
			_, _, err := ethtool.FeaturesOf(ctx, h, []ethtool.Device{zdev})
			return err
		}},
		{"ethtool.StringSet", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.StringSet(ctx, h, zdev, 0)) }},
		{"ethtool.GetChannels", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetChannels(ctx, h, zdev)) }},
		{"ethtool.SetChannels", func(ctx context.Context, h *genl.Handle) error { return ethtool.SetChannels(ctx, h, zdev, 0, 0) }},
		{"ethtool.GetLinkInfo", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetLinkInfo(ctx, h, zdev)) }},
		{"ethtool.GetLinkModes", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetLinkModes(ctx, h, zdev)) }},
		{"ethtool.GetLinkState", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetLinkState(ctx, h, zdev)) }},
		{"ethtool.GetPrivFlags", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetPrivFlags(ctx, h, zdev)) }},
		{"ethtool.GetRings", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetRings(ctx, h, zdev)) }},
		{"ethtool.GetStats", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetStats(ctx, h, zdev)) }},
		// devlink.
		{"devlink.Devices", func(ctx context.Context, h *genl.Handle) error { return seqErr(devlink.Devices(ctx, h)) }},
		{"devlink.Infos", func(ctx context.Context, h *genl.Handle) error { return seqErr(devlink.Infos(ctx, h)) }},
		{"devlink.Params", func(ctx context.Context, h *genl.Handle) error { return seqErr(devlink.Params(ctx, h)) }},
		{"devlink.Ports", func(ctx context.Context, h *genl.Handle) error { return seqErr(devlink.Ports(ctx, h)) }},
		{"devlink.GetDevice", func(ctx context.Context, h *genl.Handle) error {
			return errOf(devlink.GetDevice(ctx, h, devlink.DeviceHandle{}))
		}},
		{"devlink.GetInfo", func(ctx context.Context, h *genl.Handle) error {
			return errOf(devlink.GetInfo(ctx, h, devlink.DeviceHandle{}))
		}},
		{"devlink.GetParam", func(ctx context.Context, h *genl.Handle) error {
			return errOf(devlink.GetParam(ctx, h, devlink.DeviceHandle{}, ""))
		}},
		{"devlink.SetParam", func(ctx context.Context, h *genl.Handle) error {
			return devlink.SetParam(ctx, h, devlink.DeviceHandle{}, "", 0, devlink.ParamValue{})
		}},
		{"devlink.GetPort", func(ctx context.Context, h *genl.Handle) error {
			return errOf(devlink.GetPort(ctx, h, devlink.PortHandle{}))
		}},
		// wireguard.
		{"wireguard.Get", func(ctx context.Context, h *genl.Handle) error { return errOf(wireguard.Get(ctx, h, wireguard.Link{})) }},
		{"wireguard.Messages", func(ctx context.Context, h *genl.Handle) error {
			return seqErr(wireguard.Messages(ctx, h, wireguard.Link{}))
		}},
		{"wireguard.Configure", func(ctx context.Context, h *genl.Handle) error { return wireguard.Configure(ctx, h, nil) }},
	}
}

// TestHostileNilAndZero calls every entry point of genl and its family
// packages with a nil handle, a nil context, a closed handle and zero
// arguments: each returns an error, none panics or blocks. The handle is
// a scripted kernel (nltest.Fake) that knows no family, so the test runs
// unprivileged; the zero arguments must be refused before anything is
// sent, or be answered by the fake's errors.
func TestHostileNilAndZero(t *testing.T) {
	fake := nltest.NewFake()
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	closed, err := genl.Dial(genl.WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	var nilCtx context.Context
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range apiCalls() {
		for _, v := range []struct {
			what string
			ctx  context.Context
			h    *genl.Handle
		}{
			{"a nil handle", context.Background(), nil},
			{"a nil context", nilCtx, h},
			{"a nil handle and context", nilCtx, nil},
			{"a cancelled context", cancelled, h},
			{"a closed handle", context.Background(), closed},
			{"zero arguments", context.Background(), h},
		} {
			hostile.Within(t, c.name+" with "+v.what, func() {
				hostile.NoPanic(t, c.name+" with "+v.what, func() {
					if err := c.call(v.ctx, v.h); err == nil && !(bare[c.name] && v.what == "zero arguments") {
						t.Errorf("%s with %s: no error", c.name, v.what)
					}
				})
			})
		}
	}
}
