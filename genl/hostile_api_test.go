package genl_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

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
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

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
		{"Handle.Dump", func(ctx context.Context, h *genl.Handle) error {
			return genltest.FirstErr(h.Dump(ctx, nilFam, genl.Request{}))
		}},
		{"Handle.Batch", func(ctx context.Context, h *genl.Handle) error {
			return errOf(h.Batch(ctx, nilFam, []genl.Request{{}}, nil))
		}},
		{"Handle.DoFamily", func(ctx context.Context, h *genl.Handle) error { return h.DoFamily(ctx, "", genl.Request{}) }},
		{"Handle.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(h.Monitor(genl.Subscription{})) }},
		{"DumpFamily", func(ctx context.Context, h *genl.Handle) error {
			return genltest.FirstErr(genl.DumpFamily[int](ctx, h, "", genl.Request{}, nil))
		}},
		{"QueryFamily", func(ctx context.Context, h *genl.Handle) error {
			return errOf(genl.QueryFamily[int](ctx, h, "", genl.Request{}, nil))
		}},
		// nlctrl.
		{"nlctrl.Families", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(nlctrl.Families(ctx, h)) }},
		{"nlctrl.Policy", func(ctx context.Context, h *genl.Handle) error { return errOf(nlctrl.Policy(ctx, h, "")) }},
		// netdev.
		{"netdev.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.Family(ctx, h)) }},
		{"netdev.Devices", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(netdev.Devices(ctx, h)) }},
		{"netdev.GetDevice", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetDevice(ctx, h, 0)) }},
		{"netdev.NAPIs", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(netdev.NAPIs(ctx, h, 0)) }},
		{"netdev.GetNAPI", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetNAPI(ctx, h, 0)) }},
		{"netdev.Queues", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(netdev.Queues(ctx, h, 0)) }},
		{"netdev.GetQueue", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.GetQueue(ctx, h, 0, 0, 0)) }},
		{"netdev.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(netdev.Monitor(ctx, h)) }},
		// tcpmetrics.
		{"tcpmetrics.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(tcpmetrics.Family(ctx, h)) }},
		{"tcpmetrics.Dump", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(tcpmetrics.Dump(ctx, h)) }},
		{"tcpmetrics.Get", func(ctx context.Context, h *genl.Handle) error {
			return errOf(tcpmetrics.Get(ctx, h, netip.Addr{}, netip.Addr{}))
		}},
		{"tcpmetrics.Do", func(ctx context.Context, h *genl.Handle) error { return tcpmetrics.Do(ctx, h, genl.Request{}) }},
		// mptcp.
		{"mptcp.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.Family(ctx, h)) }},
		{"mptcp.Endpoints", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(mptcp.Endpoints(ctx, h)) }},
		{"mptcp.GetEndpoint", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.GetEndpoint(ctx, h, 0)) }},
		{"mptcp.GetLimits", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.GetLimits(ctx, h)) }},
		{"mptcp.Do", func(ctx context.Context, h *genl.Handle) error { return mptcp.Do(ctx, h, genl.Request{}) }},
		{"mptcp.Monitor", func(ctx context.Context, h *genl.Handle) error { return errOf(mptcp.Monitor(ctx, h)) }},
		// ethtool.
		{"ethtool.Family", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.Family(ctx, h)) }},
		{"ethtool.GetFeatures", func(ctx context.Context, h *genl.Handle) error { return errOf(ethtool.GetFeatures(ctx, h, zdev)) }},
		{"ethtool.SetFeatures", func(ctx context.Context, h *genl.Handle) error { return ethtool.SetFeatures(ctx, h, zdev, nil) }},
		{"ethtool.AllFeatures", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(ethtool.AllFeatures(ctx, h)) }},
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
		{"devlink.Devices", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(devlink.Devices(ctx, h)) }},
		{"devlink.Infos", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(devlink.Infos(ctx, h)) }},
		{"devlink.Params", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(devlink.Params(ctx, h)) }},
		{"devlink.Ports", func(ctx context.Context, h *genl.Handle) error { return genltest.FirstErr(devlink.Ports(ctx, h)) }},
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
			return genltest.FirstErr(wireguard.Messages(ctx, h, wireguard.Link{}))
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

// TestHostileNetnsDeleted opens a handle in a namespace of its own and
// deletes the namespace from the body of a loop over a dump, while a
// monitor waits: the dump ends, later calls and the monitor still work
// (the handle's sockets and namespace reference keep the namespace
// alive), a monitor waiting with a deadline returns at it, and Close
// ends everything.
func TestHostileNetnsDeleted(t *testing.T) {
	nstest.RequirePrivileged(t)
	// nstest's naming, so that an orphan left by a killed run is swept.
	name := fmt.Sprintf("ipr-test-%d-%d", os.Getpid(), 900000+time.Now().Nanosecond()%100000)
	if err := netns.Add(name); err != nil {
		t.Fatal(err)
	}
	// After Add, which keeps the process's own namespace open for good.
	leaks := hostile.Baseline(t)
	t.Cleanup(func() {
		if err := netns.Delete(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Logf("delete %s: %v", name, err)
		}
	})
	h := genltest.Dial(t, genl.WithNetns(name))
	ctx := hostileCtx(t)
	mon := ctrlNotify(t, h)
	waiter := ctrlNotify(t, h) // a monitor's events have one reader
	waiting := waitInBackground(waiter)
	hostile.Within(t, "a dump whose namespace is deleted midway", func() {
		deleted := false
		for _, err := range nlctrl.Families(ctx, h) {
			if err != nil {
				t.Logf("the dump: %v", err)
				return
			}
			if !deleted {
				deleted = true
				if err := netns.Delete(name); err != nil {
					t.Error(err)
				}
			}
		}
		if !deleted {
			t.Error("the dump yielded nothing")
		}
	})
	if _, err := os.Stat("/run/netns/" + name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the namespace is still named: %v", err)
	}
	fiftyCalls(t, h, "after the namespace was deleted")
	if nstest.Have(t, "genl:netdev") {
		hostile.Within(t, "a netdev dump after the namespace was deleted", func() {
			n, err := firstErr(netdev.Devices(ctx, h))
			if err != nil || n != 1 {
				t.Errorf("netdev devices of the deleted namespace: %d, %v; want lo alone", n, err)
			}
		})
	}
	awaitSync(t, ctx, mon, "after the namespace was deleted")
	hostile.Within(t, "a monitor with a deadline in a deleted namespace", func() {
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		for _, err := range mon.Events(short) {
			if err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("Events: %v, want the deadline", err)
				}
				return
			}
		}
	})
	h.Close()
	waiter.Close()
	hostile.Within(t, "the waiting monitor after Close", func() {
		if err := <-waiting; err == nil {
			t.Error("no error")
		}
	})
	mon.Close()
	leaks("after the handle of a deleted namespace was closed")
}

// TestHostileFamilyAbsent checks that every family package reports a
// family the kernel lacks as genl.ErrFamilyNotFound (and unix.ENOENT,
// what nlctrl answered), naming it, against a scripted kernel that knows
// only nlctrl (so the test runs unprivileged).
func TestHostileFamilyAbsent(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{}))
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	ctx := context.Background()
	for _, c := range []struct {
		family string
		call   func() error
	}{
		{"netdev", func() error { return genltest.FirstErr(netdev.Devices(ctx, h)) }},
		{"netdev", func() error { return errOf(netdev.Monitor(ctx, h)) }},
		{"tcp_metrics", func() error { return genltest.FirstErr(tcpmetrics.Dump(ctx, h)) }},
		{"tcp_metrics", func() error { return tcpmetrics.Do(ctx, h, tcpmetrics.DeleteAll()) }},
		{"mptcp_pm", func() error { return genltest.FirstErr(mptcp.Endpoints(ctx, h)) }},
		{"mptcp_pm", func() error { return errOf(mptcp.GetLimits(ctx, h)) }},
		{"ethtool", func() error { return errOf(ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "lo"})) }},
		{"ethtool", func() error { return genltest.FirstErr(ethtool.AllFeatures(ctx, h)) }},
		{"devlink", func() error { return genltest.FirstErr(devlink.Devices(ctx, h)) }},
		{"wireguard", func() error { return errOf(wireguard.Get(ctx, h, wireguard.Link{Name: "wg0"})) }},
	} {
		hostile.Within(t, c.family, func() {
			err := c.call()
			if !errors.Is(err, genl.ErrFamilyNotFound) || !errors.Is(err, unix.ENOENT) {
				t.Errorf("%s absent: %v, want ErrFamilyNotFound and ENOENT", c.family, err)
			}
			var nf *genl.FamilyNotFoundError
			if errors.As(err, &nf) && nf.Name != c.family {
				t.Errorf("%s absent: the error names %q", c.family, nf.Name)
			}
		})
	}
	// A name nlctrl's policy refuses (longer than GENL_NAMSIZ-1) is
	// refused before sending; the kernel's answer was a bare EINVAL.
	before := fake.Requests(unix.GENL_ID_CTRL)
	if _, err := h.Family(ctx, "ipr_no_such_family"); err == nil || !strings.Contains(err.Error(), "longer than 15 bytes") {
		t.Errorf("a family name of 18 bytes: %v, want a name-length error", err)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL) - before; n != 0 {
		t.Errorf("a family name of 18 bytes was sent (%d requests)", n)
	}
}

// TestHostileFamilyAbsentKernel checks the same against the running
// kernel, where the library's answer must agree with nstest's probes of
// the same families (which is what lets kernel tests skip by feature
// name, and IPR_TEST_ASSUME_MISSING pretend a family away).
func TestHostileFamilyAbsentKernel(t *testing.T) {
	ctx := context.Background()
	kh, _ := dialHostile(t)
	if _, err := kh.Family(ctx, "ipr_nosuch"); !errors.Is(err, genl.ErrFamilyNotFound) {
		t.Errorf("a family no kernel has: %v, want ErrFamilyNotFound", err)
	}
	if _, err := kh.Family(ctx, "ipr_no_such_family"); err == nil || !strings.Contains(err.Error(), "longer than 15 bytes") {
		t.Errorf("a family name of 18 bytes: %v, want a name-length error", err)
	}
	for _, family := range []string{"devlink", "ethtool", "mptcp_pm", "netdev", "tcp_metrics", "wireguard"} {
		_, err := kh.Family(ctx, family)
		if err != nil && !errors.Is(err, genl.ErrFamilyNotFound) {
			t.Errorf("family %s: %v", family, err)
			continue
		}
		have := nstest.Have(t, "genl:"+family)
		switch {
		case err != nil && have:
			t.Errorf("family %s: nstest's probe found it, the library did not: %v", family, err)
		case err == nil && !have:
			// The probe failed, or IPR_TEST_ASSUME_MISSING names it.
			if os.Getenv(nstest.AssumeMissingEnv) == "" {
				t.Errorf("family %s: the library found it, nstest's probe did not", family)
			}
		}
	}
}

// TestHostileZeroValues calls every exported method of the zero value
// (and the nil pointer, where methods have pointer receivers) of genl's
// and the family packages' result types and views, with zero arguments,
// and runs the iterators they return to their end: a zero view, which a
// caller gets alongside an error, answers "absent", never panics.
// Encoders are left out: only the library makes them.
func TestHostileZeroValues(t *testing.T) {
	values := []any{
		genl.Message{}, &genl.Message{}, genl.Event{}, &genl.Family{}, (*genl.Family)(nil),
		&genl.Monitor{}, (*genl.Monitor)(nil),
		&genl.FamilyNotFoundError{}, &genl.OpNotSupportedError{},
		nlctrl.Policies{}, &nlctrl.Policies{}, nlctrl.OpPolicy{}, nlctrl.AttrPolicy{},
		netdev.Device{}, netdev.NAPI{}, netdev.Queue{},
		netdev.XDPFeatures(0), netdev.XDPRxMetadata(0), netdev.XSKFeatures(0),
		tcpmetrics.Entry{},
		mptcp.Endpoint{}, mptcp.Limits{}, mptcp.Event{}, mptcp.Flags(0), mptcp.EndpointSpec{},
		ethtool.Device{}, ethtool.Bitset{}, &ethtool.Bitset{}, ethtool.Channels{}, ethtool.DriverInfo{},
		ethtool.Feature{}, &ethtool.FeatureError{}, ethtool.FeatureSet{}, &ethtool.FeatureSet{},
		ethtool.LinkInfo{}, ethtool.LinkModes{}, ethtool.LinkState{}, ethtool.PrivFlag{},
		ethtool.Rings{}, ethtool.Stat{}, ethtool.StatsGroup{},
		ethtool.FeaturesView{}, ethtool.ChannelsView{}, ethtool.StrsetView{}, ethtool.StatsView{},
		ethtool.HeaderView{}, ethtool.BitsetView{}, ethtool.LinkmodesView{},
		devlink.Device{}, devlink.Info{}, devlink.Param{}, devlink.Port{}, devlink.ParamValue{},
		devlink.DeviceHandle{}, devlink.PortHandle{}, devlink.Version{},
		wireguard.DeviceView{}, wireguard.PeerView{}, &wireguard.Device{}, wireguard.Peer{},
		wireguard.Key{}, wireguard.Link{}, &wireguard.ConfigError{},
	}
	// With a context, which zero arguments lack.
	for _, m := range []*genl.Monitor{nil, {}} {
		hostile.NoPanic(t, "Events of an unopened monitor", func() {
			if err := genltest.FirstErr(m.Events(context.Background())); err == nil {
				t.Errorf("Events of monitor %p: no error", m)
			}
		})
	}
	for _, v := range values {
		rv := reflect.ValueOf(v)
		typ := fmt.Sprintf("%T", v)
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			typ = "nil " + typ
		}
		for i := range rv.NumMethod() {
			name := typ + "." + rv.Type().Method(i).Name
			m := rv.Method(i)
			if takesEncoder(m.Type()) {
				continue // writes into an encoder only the library makes
			}
			hostile.NoPanic(t, name, func() {
				for _, out := range m.Call(zeroArgs(m.Type())) {
					drain(out)
				}
			})
		}
	}
}

// takesEncoder reports whether a method of type ft writes into an
// encoder.
func takesEncoder(ft reflect.Type) bool {
	for i := range ft.NumIn() {
		if strings.HasSuffix(ft.In(i).Name(), "Encoder") {
			return true
		}
	}
	return false
}

// zeroArgs returns zero values for the parameters of a function of type
// ft (none for a variadic tail), and functions that do nothing for its
// function parameters.
func zeroArgs(ft reflect.Type) []reflect.Value {
	n := ft.NumIn()
	if ft.IsVariadic() {
		n--
	}
	args := make([]reflect.Value, n)
	for i := range n {
		in := ft.In(i)
		if in.Kind() == reflect.Func {
			args[i] = reflect.MakeFunc(in, func([]reflect.Value) []reflect.Value { return zeroResults(in) })
		} else {
			args[i] = reflect.Zero(in)
		}
	}
	return args
}

func zeroResults(ft reflect.Type) []reflect.Value {
	out := make([]reflect.Value, ft.NumOut())
	for i := range out {
		out[i] = reflect.Zero(ft.Out(i))
	}
	return out
}

// drain runs v to its end if it is an iterator (iter.Seq or iter.Seq2).
func drain(v reflect.Value) {
	ft := v.Type()
	if ft.Kind() != reflect.Func || v.IsNil() || ft.NumIn() != 1 || ft.NumOut() != 0 {
		return
	}
	yt := ft.In(0)
	if yt.Kind() != reflect.Func || yt.NumOut() != 1 || yt.Out(0).Kind() != reflect.Bool {
		return
	}
	yield := reflect.MakeFunc(yt, func([]reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(true)}
	})
	v.Call([]reflect.Value{yield})
}
