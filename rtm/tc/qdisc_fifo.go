package tc

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// FIFO are the options of the pfifo, bfifo and pfifo_head_drop qdiscs
// (struct tc_fifo_qopt): "tc qdisc add ... pfifo limit 100".
type FIFO struct {
	// Name is "pfifo" (limit in packets), "bfifo" (limit in bytes) or
	// "pfifo_head_drop" (packets, dropping the oldest).
	Name string
	// Limit is the queue's length, in packets or bytes. Zero sends no
	// options: the kernel takes the device's txqueuelen (times its MTU
	// for bfifo).
	Limit uint32
}

// Kind returns f.Name.
func (f *FIFO) Kind() string { return f.Name }

// AppendOptions appends struct tc_fifo_qopt, when a limit is set.
func (f *FIFO) AppendOptions(r *rtnl.Req) error {
	switch f.Name {
	case "pfifo", "bfifo", "pfifo_head_drop":
	default:
		return fmt.Errorf("not a FIFO kind: want pfifo, bfifo or pfifo_head_drop")
	}
	if f.Limit != 0 {
		r.B.Binary(attrOptions, native.AppendUint32(nil, f.Limit))
	}
	return nil
}

// DecodeOptions reads struct tc_fifo_qopt.
func (f *FIFO) DecodeOptions(b []byte) error {
	if ok, err := fixedOptions(b, 4); !ok {
		return err
	}
	f.Limit = native.Uint32(b)
	return nil
}

func (*FIFO) qdiscOptions() {}

// Ingress is the ingress qdisc ("tc qdisc add dev eth0 ingress"), to
// attach at HandleIngress; it has no options.
type Ingress struct{}

// Kind returns "ingress".
func (*Ingress) Kind() string { return "ingress" }

// AppendOptions appends nothing: tc sends no options.
func (*Ingress) AppendOptions(*rtnl.Req) error { return nil }

// DecodeOptions accepts anything: the qdisc has no options.
func (*Ingress) DecodeOptions([]byte) error { return nil }

func (*Ingress) qdiscOptions() {}

// Clsact is the clsact qdisc ("tc qdisc add dev eth0 clsact"), with an
// ingress and an egress hook for filters, to attach at HandleClsact; it
// has no options.
type Clsact struct{}

// Kind returns "clsact".
func (*Clsact) Kind() string { return "clsact" }

// AppendOptions appends nothing: tc sends no options.
func (*Clsact) AppendOptions(*rtnl.Req) error { return nil }

// DecodeOptions accepts anything: the qdisc has no options.
func (*Clsact) DecodeOptions([]byte) error { return nil }

func (*Clsact) qdiscOptions() {}

// Bare is a qdisc kind that tc configures with no options: "mq",
// "pfifo_fast", "noqueue", "multiq"'s defaults... Name is the kind.
type Bare struct{ Name string }

// Kind returns b.Name.
func (b *Bare) Kind() string { return b.Name }

// AppendOptions appends nothing.
func (*Bare) AppendOptions(*rtnl.Req) error { return nil }

// DecodeOptions ignores the options.
func (*Bare) DecodeOptions([]byte) error { return nil }

func (*Bare) qdiscOptions() {}
