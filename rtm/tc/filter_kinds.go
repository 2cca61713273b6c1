package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
)

// decodeFilterActions decodes an action list attribute.
func decodeFilterActions(a nla.Attr) ([]Action, error) { return DecodeActions(a.Nested()) }

// filterParts are the attributes a classifier's options share with the
// other kinds': its class id, action list and legacy policer, by type (0
// for a kind without), and the fields they decode into.
type filterParts struct {
	classType, actType, polType uint16
	classID                     *Handle
	acts                        *[]Action
	pol                         **Police
}

// append appends the shared parts: the class id, if not 0, the action
// list, if not empty, and the policer, if set.
func (p filterParts) append(e *nla.Encoder) error {
	if p.classType != 0 {
		putU32(e, p.classType, *p.classID)
	}
	if len(*p.acts) > 0 {
		if err := appendActions(e, p.actType, *p.acts); err != nil {
			return err
		}
	}
	if p.pol != nil && *p.pol != nil {
		return appendPolice(e, p.polType, *p.pol)
	}
	return nil
}

// decode decodes the attributes of a classifier's options: the shared
// parts and every other attribute by each. It stops at the first error.
func (p filterParts) decode(opts nla.Chain, each func(a nla.Attr) error) error {
	for a := range opts.All() {
		var err error
		switch k := a.Kind(); {
		case k == p.actType:
			*p.acts, err = decodeFilterActions(a)
		case p.polType != 0 && k == p.polType:
			*p.pol, err = decodePoliceAttr(a)
		case p.classType != 0 && k == p.classType:
			*p.classID = Handle(attrU32(a))
		default:
			err = each(a)
		}
		if err != nil {
			return err
		}
	}
	return opts.Err()
}

// decodePoliceAttr decodes a legacy policer attribute.
func decodePoliceAttr(a nla.Attr) (*Police, error) {
	p := new(Police)
	return p, p.decode(a.Nested())
}

// checkIndev refuses an input device name (u32's, fw's and flower's
// "indev") longer than the kernel's IFNAMSIZ-1 bytes.
func checkIndev(indev string) error {
	if len(indev) >= 16 {
		return fmt.Errorf("indev %q: longer than 15 bytes", indev)
	}
	return nil
}

// checkSkipFlags refuses skip_hw with skip_sw, as tc does.
func checkSkipFlags(flags uint32) error {
	if flags&filterSkipBoth == filterSkipBoth {
		return errors.New("skip_hw and skip_sw are mutually exclusive")
	}
	return nil
}

// Matchall is the classifier that matches every packet ("matchall action
// mirred egress redirect dev eth1").
type Matchall struct {
	ClassID Handle
	Actions []Action
	// Flags are FilterSkipHW or FilterSkipSW; dumps add FilterInHW or
	// FilterNotInHW.
	Flags uint32
}

// Kind returns "matchall".
func (*Matchall) Kind() string { return "matchall" }

func (m *Matchall) appendOpts(e *nla.Encoder) error {
	if err := checkSkipFlags(m.Flags); err != nil {
		return err
	}
	if err := m.parts().append(e); err != nil {
		return err
	}
	putU32(e, tcaMatchallFlags, m.Flags)
	return nil
}

func (m *Matchall) parts() filterParts {
	return filterParts{tcaMatchallClassid, tcaMatchallAct, 0, &m.ClassID, &m.Actions, nil}
}

func (m *Matchall) decode(opts nla.Chain) error {
	return m.parts().decode(opts, func(a nla.Attr) error {
		if a.Kind() == tcaMatchallFlags {
			m.Flags, _ = a.Uint32()
		}
		return nil
	})
}

// BPF is the bpf classifier: an eBPF program by descriptor, in
// direct-action mode or returning a class, or classic BPF bytecode ("bpf
// object-pinned /sys/fs/bpf/prog da", "bpf bytecode '1,6 0 0 -1,'").
type BPF struct {
	// FD is a loaded program's descriptor (BPF_PROG_TYPE_SCHED_CLS),
	// which the caller keeps open until the request is sent; Name names
	// it in dumps (tc sends the object file and section).
	FD   int
	Name string
	// Ops is classic BPF bytecode, instead of FD.
	Ops []BPFInstruction
	// DirectAction makes the program's return value the verdict ("da").
	DirectAction bool
	ClassID      Handle
	Actions      []Action
	Police       *Police
	// Flags are FilterSkipHW or FilterSkipSW (TCA_BPF_FLAGS_GEN).
	Flags uint32
	// ID and Tag identify the program in dumps (read only).
	ID  uint32
	Tag []byte
}

// Kind returns "bpf".
func (*BPF) Kind() string { return "bpf" }

func (b *BPF) appendOpts(e *nla.Encoder) error {
	prog := bpfProg{&b.FD, &b.Name, &b.Ops, &b.ID, &b.Tag}
	if err := prog.check(); err != nil {
		return err
	}
	if err := checkSkipFlags(b.Flags); err != nil {
		return err
	}
	if len(b.Name) > 255 {
		return fmt.Errorf("name of %d bytes", len(b.Name))
	}
	if err := b.parts().append(e); err != nil {
		return err
	}
	if err := prog.append(e, &clsBPFAttrs); err != nil {
		return err
	}
	putU32(e, tcaBpfFlagsGen, b.Flags)
	if b.DirectAction {
		e.Uint32(tcaBpfFlags, 1) // TCA_BPF_FLAG_ACT_DIRECT
	}
	return nil
}

func (b *BPF) parts() filterParts {
	return filterParts{tcaBpfClassid, tcaBpfAct, tcaBpfPolice, &b.ClassID, &b.Actions, &b.Police}
}

func (b *BPF) decode(opts nla.Chain) error {
	prog := bpfProg{&b.FD, &b.Name, &b.Ops, &b.ID, &b.Tag}
	return b.parts().decode(opts, func(a nla.Attr) error {
		switch {
		case prog.decode(a, &clsBPFAttrs):
		case a.Kind() == tcaBpfFlagsGen:
			b.Flags, _ = a.Uint32()
		case a.Kind() == tcaBpfFlags:
			b.DirectAction = attrU32(a)&1 != 0
		}
		return nil
	})
}

// Fw is the fw classifier: it matches the packet's firewall mark against
// the filter's handle, under Mask ("handle 5/0xff fw classid 1:5").
type Fw struct {
	// Mask, if set, masks the mark before comparing (the handle's
	// "/MASK").
	Mask    *uint32
	ClassID Handle
	Police  *Police
	Actions []Action
	Indev   string
}

// Kind returns "fw".
func (*Fw) Kind() string { return "fw" }

func (f *Fw) appendOpts(e *nla.Encoder) error {
	if err := checkIndev(f.Indev); err != nil {
		return err
	}
	putOpt(e, (*nla.Encoder).Uint32, tcaFwMask, f.Mask)
	putU32(e, tcaFwClassid, f.ClassID)
	if f.Police != nil {
		if err := appendPolice(e, tcaFwPolice, f.Police); err != nil {
			return err
		}
	}
	if len(f.Actions) > 0 {
		if err := appendActions(e, tcaFwAct, f.Actions); err != nil {
			return err
		}
	}
	if f.Indev != "" {
		e.String(tcaFwIndev, f.Indev)
	}
	return nil
}

func (f *Fw) parts() filterParts {
	return filterParts{tcaFwClassid, tcaFwAct, tcaFwPolice, &f.ClassID, &f.Actions, &f.Police}
}

func (f *Fw) decode(opts nla.Chain) error {
	return f.parts().decode(opts, func(a nla.Attr) error {
		switch a.Kind() {
		case tcaFwMask:
			f.Mask = ptrOf(a.Uint32())
		case tcaFwIndev:
			f.Indev, _ = a.Text()
		}
		return nil
	})
}

// Route is the route classifier: it matches the realms of the route a
// packet took ("route to 10 classid 1:1", "route from 5", "route fromif
// eth0").
type Route struct {
	// To and From are realms (0 to 255); FromIf an interface index,
	// instead of From.
	To, From *uint32
	FromIf   int32
	ClassID  Handle
	Police   *Police
	Actions  []Action
}

// Kind returns "route".
func (*Route) Kind() string { return "route" }

// defaultHandle is the handle tc derives from the realms when none is
// given (the kernel computes the same one and refuses another): the
// destination realm in the low byte, the source realm or 0x8000|FromIf
// in the high half, 0x8000 in the low half meaning "no destination", and
// 0xffff in the high half "no source".
func (r *Route) defaultHandle() uint32 {
	h := uint32(0xffff8000)
	if r.To != nil {
		h = h&^0x80ff | *r.To&0xff
	}
	if r.From != nil {
		h = h&0xffff | *r.From<<16
	}
	if r.FromIf != 0 {
		h = h&0xffff | (0x8000|uint32(r.FromIf))<<16
	}
	return h
}

func (r *Route) appendOpts(e *nla.Encoder) error {
	if r.From != nil && r.FromIf != 0 {
		return errors.New("from and fromif are mutually exclusive")
	}
	if r.To != nil && *r.To > 255 || r.From != nil && *r.From > 255 {
		return errors.New("a realm is 0 to 255")
	}
	putOpt(e, (*nla.Encoder).Uint32, tcaRoute4To, r.To)
	putOpt(e, (*nla.Encoder).Uint32, tcaRoute4From, r.From)
	putU32(e, tcaRoute4Iif, r.FromIf)
	return r.parts().append(e)
}

func (r *Route) parts() filterParts {
	return filterParts{tcaRoute4Classid, tcaRoute4Act, tcaRoute4Police, &r.ClassID, &r.Actions, &r.Police}
}

func (r *Route) decode(opts nla.Chain) error {
	return r.parts().decode(opts, func(a nla.Attr) error {
		switch a.Kind() {
		case tcaRoute4To:
			r.To = ptrOf(a.Uint32())
		case tcaRoute4From:
			r.From = ptrOf(a.Uint32())
		case tcaRoute4Iif:
			r.FromIf = int32(attrU32(a))
		}
		return nil
	})
}

// Cgroup is the cgroup classifier: it classifies by the net_cls cgroup
// of the sending socket ("cgroup action drop").
type Cgroup struct {
	// Ematches is an extended match tree, as its attribute's payload
	// (TCA_CGROUP_EMATCHES; see [Basic]).
	Ematches []byte
	Actions  []Action
	Police   *Police
}

// Kind returns "cgroup".
func (*Cgroup) Kind() string { return "cgroup" }

func (c *Cgroup) appendOpts(e *nla.Encoder) error {
	if err := appendEmatches(e, tcaCgroupEmatches, c.Ematches); err != nil {
		return err
	}
	return c.parts().append(e)
}

func (c *Cgroup) parts() filterParts {
	return filterParts{0, tcaCgroupAct, tcaCgroupPolice, nil, &c.Actions, &c.Police}
}

func (c *Cgroup) decode(opts nla.Chain) error {
	return c.parts().decode(opts, func(a nla.Attr) error {
		if a.Kind() == tcaCgroupEmatches {
			c.Ematches = append([]byte(nil), a.Data...)
		}
		return nil
	})
}

// appendEmatches appends an extended match tree given as its payload,
// checking it is an attribute chain.
func appendEmatches(e *nla.Encoder, typ uint16, tree []byte) error {
	if tree == nil {
		return nil
	}
	if err := nla.Chain(tree).Err(); err != nil {
		return fmt.Errorf("ematch tree: %w", err)
	}
	e.Binary(typ, tree)
	return nil
}

// Basic is the basic classifier: extended matches (ematch) and actions
// ("basic match 'cmp(u16 at 0 layer 2 mask 0xff00 gt 10)' classid 1:2").
type Basic struct {
	ClassID Handle
	// Ematches is the extended match tree, as the payload of
	// TCA_BASIC_EMATCHES (TCA_EMATCH_TREE_HDR and TCA_EMATCH_TREE_LIST),
	// kept as bytes: a dump's tree sent back unchanged.
	Ematches []byte
	Actions  []Action
	Police   *Police
	// PacketCounts are the hit counters of a dump with statistics (read
	// only): packets that reached the filter, and that matched.
	Reached, Matched uint64
}

// Kind returns "basic".
func (*Basic) Kind() string { return "basic" }

func (b *Basic) appendOpts(e *nla.Encoder) error {
	if err := appendEmatches(e, tcaBasicEmatches, b.Ematches); err != nil {
		return err
	}
	return b.parts().append(e)
}

func (b *Basic) parts() filterParts {
	return filterParts{tcaBasicClassid, tcaBasicAct, tcaBasicPolice, &b.ClassID, &b.Actions, &b.Police}
}

func (b *Basic) decode(opts nla.Chain) error {
	return b.parts().decode(opts, func(a nla.Attr) error {
		switch a.Kind() {
		case tcaBasicEmatches:
			b.Ematches = append([]byte(nil), a.Data...)
		case tcaBasicPcnt:
			if len(a.Data) >= 16 {
				b.Reached, b.Matched = native.Uint64(a.Data), native.Uint64(a.Data[8:])
			}
		}
		return nil
	})
}

// Flow is the flow classifier: it maps packets to classes by a hash of
// flow keys, or by one key's value ("flow hash keys src,dst divisor 256
// baseclass 1:10", "flow map key mark and 0xff").
type Flow struct {
	// Keys is a set of FlowKey* bits.
	Keys uint32
	// Hash selects hashing mode; otherwise map mode, where the key is
	// ANDed with Mask (nil: all ones) and XORed with Xor, then shifted
	// right by Rshift and added Addend.
	Hash      bool
	Mask      *uint32
	Xor       uint32
	Rshift    uint32
	Addend    uint32
	Divisor   uint32
	BaseClass Handle
	// Perturb, in seconds, rehashes periodically.
	Perturb  uint32
	Police   *Police
	Actions  []Action
	Ematches []byte
}

// The keys of [Flow] (1 << FLOW_KEY_*), with tc's names.
const (
	FlowKeySrc          = 1 << 0  // "src"
	FlowKeyDst          = 1 << 1  // "dst"
	FlowKeyProto        = 1 << 2  // "proto"
	FlowKeyProtoSrc     = 1 << 3  // "proto-src"
	FlowKeyProtoDst     = 1 << 4  // "proto-dst"
	FlowKeyIif          = 1 << 5  // "iif"
	FlowKeyPriority     = 1 << 6  // "priority"
	FlowKeyMark         = 1 << 7  // "mark"
	FlowKeyNfct         = 1 << 8  // "nfct"
	FlowKeyNfctSrc      = 1 << 9  // "nfct-src"
	FlowKeyNfctDst      = 1 << 10 // "nfct-dst"
	FlowKeyNfctProtoSrc = 1 << 11 // "nfct-proto-src"
	FlowKeyNfctProtoDst = 1 << 12 // "nfct-proto-dst"
	FlowKeyRtclassid    = 1 << 13 // "rt-classid"
	FlowKeySkuid        = 1 << 14 // "sk-uid"
	FlowKeySkgid        = 1 << 15 // "sk-gid"
	FlowKeyVlanTag      = 1 << 16 // "vlan-tag"
	FlowKeyRxhash       = 1 << 17 // "rxhash"
)

// Kind returns "flow".
func (*Flow) Kind() string { return "flow" }

func (f *Flow) appendOpts(e *nla.Encoder) error {
	if f.Keys == 0 {
		return errors.New("no keys")
	}
	if !f.Hash && f.Keys&(f.Keys-1) != 0 {
		return errors.New("map mode takes one key")
	}
	e.Uint32(tcaFlowKeys, f.Keys)
	putU32(e, tcaFlowRshift, f.Rshift)
	putU32(e, tcaFlowAddend, f.Addend)
	putU32(e, tcaFlowDivisor, f.Divisor)
	putU32(e, tcaFlowBaseclass, f.BaseClass)
	putU32(e, tcaFlowPerturb, f.Perturb)
	if err := f.parts().append(e); err != nil {
		return err
	}
	if err := appendEmatches(e, tcaFlowEmatches, f.Ematches); err != nil {
		return err
	}
	mode := uint32(0) // FLOW_MODE_MAP
	if f.Hash {
		mode = 1
	}
	e.Uint32(tcaFlowMode, mode)
	if !f.Hash && (f.Mask != nil || f.Xor != 0) {
		mask := ^uint32(0)
		if f.Mask != nil {
			mask = *f.Mask
		}
		e.Uint32(tcaFlowMask, mask)
		e.Uint32(tcaFlowXor, f.Xor)
	}
	return nil
}

func (f *Flow) parts() filterParts {
	return filterParts{0, tcaFlowAct, tcaFlowPolice, nil, &f.Actions, &f.Police}
}

func (f *Flow) decode(opts nla.Chain) error {
	return f.parts().decode(opts, func(a nla.Attr) error {
		v, _ := a.Uint32()
		switch a.Kind() {
		case tcaFlowKeys:
			f.Keys = v
		case tcaFlowMode:
			f.Hash = v == 1
		case tcaFlowMask:
			if v != ^uint32(0) {
				f.Mask = &v
			}
		case tcaFlowXor:
			f.Xor = v
		case tcaFlowRshift:
			f.Rshift = v
		case tcaFlowAddend:
			f.Addend = v
		case tcaFlowDivisor:
			f.Divisor = v
		case tcaFlowBaseclass:
			f.BaseClass = Handle(v)
		case tcaFlowPerturb:
			f.Perturb = v
		case tcaFlowEmatches:
			f.Ematches = append([]byte(nil), a.Data...)
		}
		return nil
	})
}
