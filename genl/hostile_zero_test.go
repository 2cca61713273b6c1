package genl_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/hostile"
)

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
			if err := seqErr(m.Events(context.Background())); err == nil {
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
