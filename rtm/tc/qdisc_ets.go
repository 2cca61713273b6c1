package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
)

// ETS are the options of the ets qdisc: "tc qdisc add ... ets bands 4
// strict 1 quanta 1500 3000 priomap 0 1 1 2 ...". Bands zero is strict
// plus the quanta given, as tc computes it.
type ETS struct {
	Bands, Strict uint8
	// Quanta are the quanta of the bands after the strict ones.
	Quanta []uint32
	// Priomap maps priorities to bands (up to 16).
	Priomap []uint8
}

// Kind returns "ets".
func (*ETS) Kind() string { return "ets" }

func (o *ETS) validate() (uint8, error) {
	bands := o.Bands
	if bands == 0 {
		bands = o.Strict + uint8(len(o.Quanta))
	}
	switch {
	case bands == 0:
		return 0, errors.New("bands, strict or quanta are required")
	case bands > 16:
		return 0, fmt.Errorf("%d bands: at most 16", bands)
	case int(o.Strict)+len(o.Quanta) > int(bands):
		return 0, errors.New("not enough bands for the strict bands and the quanta")
	case len(o.Priomap) > 16:
		return 0, errors.New("priomap longer than 16")
	}
	for _, q := range o.Quanta {
		if q == 0 {
			return 0, errors.New("a quantum of 0")
		}
	}
	for i, b := range o.Priomap {
		if b >= bands {
			return 0, fmt.Errorf("priomap: priority %d maps to band %d of %d", i, b, bands)
		}
	}
	return bands, nil
}

// AppendOptions validates the options and appends them as tc does.
func (o *ETS) AppendOptions(r *rtnl.Req) error {
	bands, err := o.validate()
	if err != nil {
		return err
	}
	b := r.B
	n := b.BeginNest(attrOptions)
	b.Uint8(TcaEtsNbands, bands)
	if o.Strict != 0 {
		b.Uint8(TcaEtsNstrict, o.Strict)
	}
	if len(o.Quanta) > 0 {
		q := b.BeginNest(TcaEtsQuanta)
		for _, v := range o.Quanta {
			b.Uint32(TcaEtsQuantaBand, v)
		}
		b.EndNest(q)
	}
	if len(o.Priomap) > 0 {
		p := b.BeginNest(TcaEtsPriomap)
		for _, v := range o.Priomap {
			b.Uint8(TcaEtsPriomapBand, v)
		}
		b.EndNest(p)
	}
	b.EndNest(n)
	return nil
}

// DecodeOptions reads the options the kernel reports (all of them: the
// bands' quanta and the whole priomap) or tc sends.
func (o *ETS) DecodeOptions(data []byte) error {
	*o = ETS{}
	c := chainOf(data)
	for a := range c.All() {
		switch a.Kind() {
		case TcaEtsNbands:
			o.Bands = attrU8(a)
		case TcaEtsNstrict:
			o.Strict = attrU8(a)
		case TcaEtsQuanta:
			for q := range a.Nested().AllOf(TcaEtsQuantaBand) {
				o.Quanta = append(o.Quanta, attrU32(q))
			}
		case TcaEtsPriomap:
			for p := range a.Nested().AllOf(TcaEtsPriomapBand) {
				o.Priomap = append(o.Priomap, attrU8(p))
			}
		}
	}
	return c.Err()
}

func (*ETS) qdiscOptions() {}

// ETSClass are the options of an ets class: its quantum ("tc class
// change ... ets quantum 1500"); unset for a strict band.
type ETSClass struct{ Quantum rtm.Opt[uint32] }

// Kind returns "ets".
func (*ETSClass) Kind() string { return "ets" }

// AppendOptions appends the quantum, if set.
func (o *ETSClass) AppendOptions(r *rtnl.Req) error {
	appendU32Options(r, true, []u32Field{{TcaEtsQuantaBand, &o.Quantum}})
	return nil
}

// DecodeOptions reads the quantum.
func (o *ETSClass) DecodeOptions(data []byte) error {
	*o = ETSClass{}
	return decodeU32Fields(data, []u32Field{{TcaEtsQuantaBand, &o.Quantum}}, nil)
}

func (*ETSClass) classOptions() {}
