package fuzz

import (
	"bytes"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/ipr-go/ipr/wire"
)

// The tc filter and action targets decode arbitrary bytes with each
// kind's decoder, then encode what they decoded. Nothing may panic, and
// encoding is a fixed point: what a decoded value encodes to decodes to a
// value that encodes to the same bytes. Their seeds are the requests tc
// sends (rtm/tc/testdata/iproute2), one per captured command.

// tcKinds are the classifiers whose options FuzzTCFilterOptions decodes;
// a seed's kind outside them is decoded as a raw filter.
var tcKinds = []string{"u32", "flower", "matchall", "bpf", "fw", "route", "cgroup", "flow", "basic"}

// encodeTC appends req to a fresh builder and returns the message, or nil
// if the request refuses its settings.
func encodeTC(t *testing.T, req rtm.Request) []byte {
	r := rtnl.Req{B: &wire.Builder{}}
	if err := req.AppendTo(&r); err != nil {
		return nil
	}
	if err := r.B.Err(); err != nil {
		t.Fatalf("a request that validated left its builder in error: %v", err)
	}
	return r.B.Bytes()
}

// specFixedPoint checks that s, which a view read from arbitrary bytes,
// encodes (with add) to a message whose body decodes (with fromBytes) to a
// specification that encodes to the same bytes. what names the object
// ("chain", "filter") in a failure.
func specFixedPoint[S any, V interface{ Spec() (S, error) }](t *testing.T, what string, s S,
	add func(S) rtm.Request, fromBytes func([]byte) (V, error)) {
	first := encodeTC(t, add(s))
	if first == nil {
		return
	}
	again, err := fromBytes(first[16:])
	if err != nil {
		t.Fatalf("a %s this package encoded does not decode: %v", what, err)
	}
	s2, err := again.Spec()
	if err != nil {
		t.Fatalf("a %s this package encoded does not decode: %v", what, err)
	}
	if second := encodeTC(t, add(s2)); !bytes.Equal(first, second) {
		t.Fatalf("encoding is not a fixed point:\n%x\n%x", first, second)
	}
}

// optionsOf returns the payload of TCA_OPTIONS in a filter message.
func optionsOf(msg []byte) []byte {
	a, _ := nla.Chain(msg[16+20:]).Get(2)
	return a.Data
}

func FuzzTCFilterOptions(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind string, opts []byte) {
		o, err := tc.DecodeFilterOptions(kind, opts)
		if o == nil {
			t.Fatal("DecodeFilterOptions returned nil options")
		}
		if err != nil {
			return
		}
		spec := tc.FilterSpec{Ifindex: 1, Parent: 0xfffffff2, Priority: 1, Protocol: 0x800, Options: o}
		first := encodeTC(t, tc.FilterAdd(spec))
		if first == nil {
			return
		}
		o2, err := tc.DecodeFilterOptions(kind, optionsOf(first))
		if err != nil {
			t.Fatalf("%s: options this package encoded do not decode: %v", kind, err)
		}
		spec.Options = o2
		second := encodeTC(t, tc.FilterAdd(spec))
		if !bytes.Equal(first, second) {
			t.Fatalf("%s: encoding is not a fixed point:\n%x\n%x", kind, first, second)
		}
	})
}

func FuzzTCActions(f *testing.F) {
	f.Fuzz(func(t *testing.T, list []byte) {
		for v := range tc.Actions(nla.Chain(list)) {
			v.Kind()
			v.Index()
			v.Control()
			v.RefCount()
			v.BindCount()
			v.Cookie()
			v.Flags()
			v.Stats()
		}
		acts, err := tc.DecodeActions(nla.Chain(list))
		if err != nil || len(acts) == 0 {
			return
		}
		first := encodeTC(t, tc.ActionAdd(acts...))
		if first == nil {
			return
		}
		tab, _ := nla.Chain(first[16+4:]).Get(1)
		again, err := tc.DecodeActions(tab.Nested())
		if err != nil {
			t.Fatalf("actions this package encoded do not decode: %v", err)
		}
		if second := encodeTC(t, tc.ActionAdd(again...)); !bytes.Equal(first, second) {
			t.Fatalf("encoding is not a fixed point:\n%x\n%x", first, second)
		}
	})
}

// FuzzTCFilter decodes arbitrary bytes as a filter message's payload:
// the view's accessors, its actions in place, and its specification,
// which must encode to a fixed point as the options do.
func FuzzTCFilter(f *testing.F) {
	fuzzDecode(f, nil, tc.FilterFromBytes, func(t *testing.T, v tc.Filter) {
		v.Priority()
		v.Protocol()
		v.Kind()
		v.Handle()
		v.Parent()
		v.ChainIndex()
		v.Stats()
		for a := range v.Actions() {
			a.Kind()
			a.Index()
			a.Control()
			a.Options()
		}
		c := v.Clone()
		if !bytes.Equal(c.Bytes(), v.Bytes()) {
			t.Fatal("a clone reads differently")
		}
		s, err := v.Spec()
		if err != nil || s.Options == nil || (s.Ifindex <= 0) == (s.Block == 0) {
			return
		}
		specFixedPoint(t, "filter", s, tc.FilterAdd, tc.FilterFromBytes)
	})
}
