package tc

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// prioMQ is TCA_PRIO_MQ, prio's "multiqueue".
const prioMQ = 1

// sizeofPrioQopt is the size of struct tc_prio_qopt.
const sizeofPrioQopt = 20

// DefaultPriomap is tc's priomap of prio (and pfifo_fast): the band of
// each of the 16 priorities.
var DefaultPriomap = [16]uint8{1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}

// Prio are the options of the prio qdisc (struct tc_prio_qopt): "tc
// qdisc add ... prio bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1".
// pfifo_fast reports the same structure (Name "pfifo_fast").
type Prio struct {
	// Name is "prio" (the default when empty) or "pfifo_fast", whose
	// options are read only.
	Name string
	// Bands is the number of bands, 2 to 16; 0 is tc's 3.
	Bands int32
	// Priomap maps each priority to a band; the zero array is tc's
	// DefaultPriomap.
	Priomap [16]uint8
	// Multiqueue maps bands to the device's queues (tc's "multiqueue").
	Multiqueue bool
}

// Kind returns "prio", or o.Name.
func (o *Prio) Kind() string {
	if o.Name == "" {
		return "prio"
	}
	return o.Name
}

// AppendOptions validates the bands and priomap and appends them as tc
// does: the structure, then a nest for the multiqueue flag.
func (o *Prio) AppendOptions(r *rtnl.Req) error {
	if o.Kind() == "pfifo_fast" {
		return nil // tc sends no options for pfifo_fast
	}
	bands := o.Bands
	if bands == 0 {
		bands = 3
	}
	if bands < 2 || bands > 16 {
		return fmt.Errorf("bands %d: want 2 to 16", bands)
	}
	pm := o.Priomap
	if pm == ([16]uint8{}) {
		pm = DefaultPriomap
	}
	for i, band := range pm {
		if int32(band) >= bands {
			return fmt.Errorf("priomap: priority %d maps to band %d of %d", i, band, bands)
		}
	}
	b := r.B
	start := b.Len()
	qopt := native.AppendUint32(make([]byte, 0, sizeofPrioQopt), uint32(bands))
	b.Binary(attrOptions, append(qopt, pm[:]...))
	n := beginNest(b, attrOptions)
	if o.Multiqueue {
		b.Flag(prioMQ)
	}
	endNest(b, n)
	endNest(b, nestMark(start))
	return nil
}

// DecodeOptions reads struct tc_prio_qopt and the nested flags after it.
func (o *Prio) DecodeOptions(data []byte) error {
	name := o.Name
	*o = Prio{Name: name}
	if len(data) < sizeofPrioQopt {
		return fmt.Errorf("%d bytes, want %d", len(data), sizeofPrioQopt)
	}
	o.Bands = int32(native.Uint32(data))
	copy(o.Priomap[:], data[4:20])
	if rest := data[sizeofPrioQopt:]; len(rest) >= 4 {
		nest := chainOf(rest)
		if a, ok := nest.Get(attrOptions); ok {
			_, o.Multiqueue = a.Nested().Get(prioMQ)
		}
	}
	if o.Name == "prio" {
		o.Name = ""
	}
	return nil
}

func (*Prio) qdiscOptions() {}
