package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
)

// RawFilter is a filter of a kind this package does not decode, kept as
// its name and the payload of its options, sent back unchanged.
type RawFilter struct {
	Name    string
	Options []byte
}

// Kind returns the kind's name.
func (r *RawFilter) Kind() string { return r.Name }

func (r *RawFilter) appendOpts(e *nla.Encoder) error {
	if err := nla.Chain(r.Options).Err(); err != nil {
		return err
	}
	copy(e.Reserve(len(r.Options)), r.Options)
	return nil
}

func (r *RawFilter) decode(opts nla.Chain) error {
	r.Options = append([]byte(nil), opts...)
	return nil
}

// filterKinds are the filter kinds this package decodes: each one's
// name, the attribute of its options that holds its action list, and its
// empty options.
var filterKinds = [...]struct {
	name    string
	actions uint16
	new     func() FilterOptions
}{
	{"u32", tcaU32Act, func() FilterOptions { return new(U32) }},
	{"flower", tcaFlowerAct, func() FilterOptions { return new(Flower) }},
	{"matchall", tcaMatchallAct, func() FilterOptions { return new(Matchall) }},
	{"bpf", tcaBpfAct, func() FilterOptions { return new(BPF) }},
	{"fw", tcaFwAct, func() FilterOptions { return new(Fw) }},
	{"route", tcaRoute4Act, func() FilterOptions { return new(Route) }},
	{"cgroup", tcaCgroupAct, func() FilterOptions { return new(Cgroup) }},
	{"flow", tcaFlowAct, func() FilterOptions { return new(Flow) }},
	{"basic", tcaBasicAct, func() FilterOptions { return new(Basic) }},
}

// newFilterOptions returns empty options of the kind named kind.
func newFilterOptions(kind string) FilterOptions {
	for _, k := range filterKinds {
		if k.name == kind {
			return k.new()
		}
	}
	return &RawFilter{Name: kind}
}

// actionsType is the attribute of a kind's options that holds its action
// list; 0 for a kind this package does not know.
func actionsType(kind []byte) uint16 {
	for _, k := range filterKinds {
		if k.name == string(kind) {
			return k.actions
		}
	}
	return 0
}

// DecodeFilterOptions decodes the options of a filter of kind kind (the
// payload of its TCA_OPTIONS) into the kind's type: *U32, *Flower, ...,
// or a *RawFilter for a kind this package does not know.
func DecodeFilterOptions(kind string, opts []byte) (FilterOptions, error) {
	o := newFilterOptions(kind)
	if err := nla.Chain(opts).Err(); err != nil {
		return o, fmt.Errorf("tc: %s filter options: %w", kind, err)
	}
	if err := o.decode(nla.Chain(opts)); err != nil {
		return o, fmt.Errorf("tc: %s filter options: %w", kind, err)
	}
	return o, nil
}

var errShortTcmsg = errors.New("tc: message shorter than a tcmsg")

// decodeFilterBody decodes a filter message's body (tcmsg and
// attributes) into the specification that creates the same filter.
func decodeFilterBody(b []byte) (FilterSpec, error) {
	var s FilterSpec
	if len(b) < SizeofTcmsg {
		return s, errShortTcmsg
	}
	ifindex := int32(native.Uint32(b[4:]))
	s.Handle = native.Uint32(b[8:])
	s.Parent = Handle(native.Uint32(b[12:]))
	info := native.Uint32(b[16:])
	s.Priority = uint16(info >> 16)
	s.Protocol = htons(uint16(info))
	if ifindex == -1 {
		s.Block = uint32(s.Parent)
		s.Parent = 0
	} else {
		s.Ifindex = ifindex
	}
	attrs := nla.Chain(b[SizeofTcmsg:])
	if a, ok := attrs.Get(attrChain); ok {
		v, err := a.Uint32()
		if err != nil {
			return s, fmt.Errorf("tc: filter chain: %w", err)
		}
		s.Chain = rtm.Some(v)
	}
	if a, ok := attrs.Get(attrRate); ok && len(a.Data) >= 2 {
		s.Estimator = &Estimator{Interval: int8(a.Data[0]), EWMALog: a.Data[1]}
	}
	if a, ok := attrs.Get(attrKind); ok {
		kind, err := a.Text()
		if err != nil {
			return s, fmt.Errorf("tc: filter kind: %w", err)
		}
		var opts []byte
		if o, ok := attrs.Get(attrOptions); ok {
			opts = o.Data
		}
		s.Options, err = DecodeFilterOptions(kind, opts)
		if err != nil {
			return s, err
		}
	}
	return s, attrs.Err()
}

// decodeActionsBody decodes the actions of an action message's body
// (tcamsg and attributes).
func decodeActionsBody(b []byte) ([]Action, error) {
	if len(b) < tcamsgLen {
		return nil, errors.New("tc: message shorter than a tcamsg")
	}
	tab, ok := nla.Chain(b[tcamsgLen:]).Get(tcaActTab)
	if !ok {
		return nil, nil
	}
	return DecodeActions(tab.Nested())
}
