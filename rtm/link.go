package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Link is a view of one RTM_NEWLINK message: a network interface. A Link
// yielded by a dump aliases the receive buffer and is valid only until the
// next iteration; [Link.Clone] detaches one to keep. Accessors of absent
// attributes return zero values; [Link.Get] tells absent from zero.
type Link struct{ view[ifinfomsg] }

// LinkFromBytes returns the Link in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func LinkFromBytes(b []byte) (Link, error) { return viewOf[Link](&linkMsgs, b, nil) }

// Clone returns a copy of l that owns its bytes and stays valid.
func (l Link) Clone() Link { return Link{l.clone()} }

// Family returns ifi_family (AF_UNSPEC, or AF_BRIDGE for bridge ports).
func (l Link) Family() uint8 { return l.hdr()[0] }

// Type returns ifi_type, the ARPHRD_* device type.
func (l Link) Type() uint16 { return native.Uint16(l.hdr()[2:]) }

// Index returns the interface index.
func (l Link) Index() int32 { return int32(native.Uint32(l.hdr()[4:])) }

// Flags returns the IFF_* device flags.
func (l Link) Flags() uint32 { return native.Uint32(l.hdr()[8:]) }

// Change returns the ifi_change mask of a notification.
func (l Link) Change() uint32 { return native.Uint32(l.hdr()[12:]) }

// IsUp reports IFF_UP.
func (l Link) IsUp() bool { return l.Flags()&unix.IFF_UP != 0 }

// Name returns IFLA_IFNAME.
func (l Link) Name() string { return l.text(unix.IFLA_IFNAME) }

// NameIs reports whether the name equals s, without allocating.
func (l Link) NameIs(s string) bool {
	a, _ := l.get(unix.IFLA_IFNAME)
	b, err := a.TextBytes()
	return err == nil && string(b) == s
}

// MTU returns IFLA_MTU.
func (l Link) MTU() uint32 { return l.u32or(unix.IFLA_MTU, 0) }

// MinMTU returns IFLA_MIN_MTU.
func (l Link) MinMTU() uint32 { return l.u32or(unix.IFLA_MIN_MTU, 0) }

// MaxMTU returns IFLA_MAX_MTU.
func (l Link) MaxMTU() uint32 { return l.u32or(unix.IFLA_MAX_MTU, 0) }

// OperState returns IFLA_OPERSTATE (IF_OPER_*).
func (l Link) OperState() OperState { return OperState(l.u8or(unix.IFLA_OPERSTATE, 0)) }

// LinkMode returns IFLA_LINKMODE (0 default, 1 dormant).
func (l Link) LinkMode() uint8 { return l.u8or(unix.IFLA_LINKMODE, 0) }

// HardwareAddr returns IFLA_ADDRESS. It aliases the message.
func (l Link) HardwareAddr() net.HardwareAddr { return l.hw(unix.IFLA_ADDRESS) }

// Broadcast returns IFLA_BROADCAST. It aliases the message.
func (l Link) Broadcast() net.HardwareAddr { return l.hw(unix.IFLA_BROADCAST) }

// PermanentAddr returns IFLA_PERM_ADDRESS. It aliases the message.
func (l Link) PermanentAddr() net.HardwareAddr { return l.hw(unix.IFLA_PERM_ADDRESS) }

// TxQueueLen returns IFLA_TXQLEN.
func (l Link) TxQueueLen() uint32 { return l.u32or(unix.IFLA_TXQLEN, 0) }

// MasterIndex returns IFLA_MASTER, the index of the bridge or bond the
// link is a port of, or 0.
func (l Link) MasterIndex() int32 { return int32(l.u32or(unix.IFLA_MASTER, 0)) }

// ParentIndex returns IFLA_LINK, the index of the lower device (a veth's
// peer, a macvlan's parent), or 0. With LinkNetnsID set, the index is in
// that other namespace.
func (l Link) ParentIndex() int32 { return int32(l.u32or(unix.IFLA_LINK, 0)) }

// LinkNetnsID returns IFLA_LINK_NETNSID: the id of the namespace
// ParentIndex lives in, and whether it is set.
func (l Link) LinkNetnsID() (int32, bool) { return l.i32(unix.IFLA_LINK_NETNSID) }

// Group returns IFLA_GROUP.
func (l Link) Group() uint32 { return l.u32or(unix.IFLA_GROUP, 0) }

// Promiscuity returns IFLA_PROMISCUITY, the promiscuous-mode count.
func (l Link) Promiscuity() uint32 { return l.u32or(unix.IFLA_PROMISCUITY, 0) }

// NumTxQueues returns IFLA_NUM_TX_QUEUES.
func (l Link) NumTxQueues() uint32 { return l.u32or(unix.IFLA_NUM_TX_QUEUES, 0) }

// NumRxQueues returns IFLA_NUM_RX_QUEUES.
func (l Link) NumRxQueues() uint32 { return l.u32or(unix.IFLA_NUM_RX_QUEUES, 0) }

// Carrier returns IFLA_CARRIER.
func (l Link) Carrier() bool { return l.u8or(unix.IFLA_CARRIER, 0) != 0 }

// CarrierChanges returns IFLA_CARRIER_CHANGES.
func (l Link) CarrierChanges() uint32 { return l.u32or(unix.IFLA_CARRIER_CHANGES, 0) }

// CarrierUpCount returns IFLA_CARRIER_UP_COUNT.
func (l Link) CarrierUpCount() uint32 { return l.u32or(unix.IFLA_CARRIER_UP_COUNT, 0) }

// CarrierDownCount returns IFLA_CARRIER_DOWN_COUNT.
func (l Link) CarrierDownCount() uint32 { return l.u32or(unix.IFLA_CARRIER_DOWN_COUNT, 0) }

// Qdisc returns IFLA_QDISC, the root queueing discipline's kind.
func (l Link) Qdisc() string { return l.text(unix.IFLA_QDISC) }

// Alias returns IFLA_IFALIAS.
func (l Link) Alias() string { return l.text(unix.IFLA_IFALIAS) }

// AltNames yields the alternative names (IFLA_PROP_LIST/IFLA_ALT_IFNAME).
func (l Link) AltNames() iter.Seq[string] {
	return func(yield func(string) bool) {
		p, ok := l.get(unix.IFLA_PROP_LIST)
		if !ok {
			return
		}
		for a := range p.Nested().AllOf(unix.IFLA_ALT_IFNAME) {
			if s, err := a.Text(); err == nil && !yield(s) {
				return
			}
		}
	}
}

// GSOMaxSize returns IFLA_GSO_MAX_SIZE.
func (l Link) GSOMaxSize() uint32 { return l.u32or(unix.IFLA_GSO_MAX_SIZE, 0) }

// GSOMaxSegs returns IFLA_GSO_MAX_SEGS.
func (l Link) GSOMaxSegs() uint32 { return l.u32or(unix.IFLA_GSO_MAX_SEGS, 0) }

// GROMaxSize returns IFLA_GRO_MAX_SIZE.
func (l Link) GROMaxSize() uint32 { return l.u32or(unix.IFLA_GRO_MAX_SIZE, 0) }

// TSOMaxSize returns IFLA_TSO_MAX_SIZE.
func (l Link) TSOMaxSize() uint32 { return l.u32or(unix.IFLA_TSO_MAX_SIZE, 0) }

// TSOMaxSegs returns IFLA_TSO_MAX_SEGS.
func (l Link) TSOMaxSegs() uint32 { return l.u32or(unix.IFLA_TSO_MAX_SEGS, 0) }

// ParentDevice returns IFLA_PARENT_DEV_NAME and IFLA_PARENT_DEV_BUS_NAME,
// such as "0000:00:03.0" and "pci".
func (l Link) ParentDevice() (name, bus string) {
	return l.text(unix.IFLA_PARENT_DEV_NAME), l.text(unix.IFLA_PARENT_DEV_BUS_NAME)
}

// LinkStats64 is struct rtnl_link_stats64: the interface counters.
type LinkStats64 struct {
	RxPackets, TxPackets, RxBytes, TxBytes, RxErrors, TxErrors    uint64
	RxDropped, TxDropped, Multicast, Collisions                   uint64
	RxLengthErrors, RxOverErrors, RxCRCErrors, RxFrameErrors      uint64
	RxFIFOErrors, RxMissedErrors                                  uint64
	TxAbortedErrors, TxCarrierErrors, TxFIFOErrors                uint64
	TxHeartbeatErrors, TxWindowErrors, RxCompressed, TxCompressed uint64
	RxNoHandler, RxOtherhostDropped                               uint64
}

// Stats64 returns IFLA_STATS64 and whether it was present. Counters a kernel does not send (older
// kernels send fewer) are zero.
func (l Link) Stats64() (LinkStats64, bool) {
	a, ok := l.get(unix.IFLA_STATS64)
	if !ok {
		return LinkStats64{}, false
	}
	return decodeLinkStats64(a.Data), true
}

// decodeLinkStats64 decodes struct rtnl_link_stats64, as long as it is.
func decodeLinkStats64(d []byte) LinkStats64 {
	var s LinkStats64
	readU64s(d, &s.RxPackets, &s.TxPackets, &s.RxBytes, &s.TxBytes, &s.RxErrors, &s.TxErrors,
		&s.RxDropped, &s.TxDropped, &s.Multicast, &s.Collisions, &s.RxLengthErrors, &s.RxOverErrors,
		&s.RxCRCErrors, &s.RxFrameErrors, &s.RxFIFOErrors, &s.RxMissedErrors, &s.TxAbortedErrors,
		&s.TxCarrierErrors, &s.TxFIFOErrors, &s.TxHeartbeatErrors, &s.TxWindowErrors,
		&s.RxCompressed, &s.TxCompressed, &s.RxNoHandler, &s.RxOtherhostDropped)
	return s
}

// readU64s reads a struct of native-endian 64-bit counters from d into
// fields, in order; the fields past a short d's end stay zero, as
// iproute2 reads a struct shorter than its own.
func readU64s(d []byte, fields ...*uint64) {
	for i, f := range fields {
		if (i+1)*8 > len(d) {
			return
		}
		*f = native.Uint64(d[i*8:])
	}
}

// Kind returns the IFLA_INFO_KIND of IFLA_LINKINFO ("veth", "bridge",
// ...), or "" for devices without one (physical NICs, loopback).
func (l Link) Kind() string {
	info, ok := l.get(unix.IFLA_LINKINFO)
	if !ok {
		return ""
	}
	k, _ := info.Nested().Get(unix.IFLA_INFO_KIND)
	s, _ := k.Text()
	return s
}

// KindData returns the attribute chain of IFLA_INFO_DATA, whose types
// depend on Kind.
func (l Link) KindData() nla.Chain {
	a, _ := l.Chain().Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_DATA)
	return a.Nested()
}

// PortKind returns IFLA_INFO_SLAVE_KIND: the kind of the master this link
// is a port of ("bridge", "bond").
func (l Link) PortKind() string {
	a, _ := l.Chain().Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_SLAVE_KIND)
	s, _ := a.Text()
	return s
}

// PortData returns the attribute chain of IFLA_INFO_SLAVE_DATA, the port's
// settings in its master (IFLA_BRPORT_* for bridge ports).
func (l Link) PortData() nla.Chain {
	a, _ := l.Chain().Path(unix.IFLA_LINKINFO, unix.IFLA_INFO_SLAVE_DATA)
	return a.Nested()
}

// XDP returns the IFLA_XDP attribute chain (IFLA_XDP_ATTACHED,
// IFLA_XDP_PROG_ID, ...).
func (l Link) XDP() nla.Chain {
	a, _ := l.get(unix.IFLA_XDP)
	return a.Nested()
}

// AFSpec returns the IFLA_AF_SPEC nest of family af (unix.AF_INET,
// unix.AF_INET6): per-family settings such as IPv4 devconf
// (IFLA_INET_CONF) and IPv6 devconf and address generation mode.
func (l Link) AFSpec(af uint16) nla.Chain {
	a, _ := l.Chain().Path(unix.IFLA_AF_SPEC, af)
	return a.Nested()
}

// Get returns an attribute by pyroute2-style name and nested path:
// Get("ifname"), Get("stats64", "rx_bytes"), Get("linkinfo", "data",
// "vxlan_id"). Unknown types are named "attr_N". Names are also accepted
// in the kernel's form: Get("IFLA_LINKINFO", "IFLA_INFO_KIND"). The fixed
// header's fields answer too, as in pyroute2: Get("index"),
// Get("flags"), Get("family"), Get("ifi_type"), Get("change"); every
// view's Get does the same with its own header (an address's
// "prefixlen", a route's "dst_len", ...), attributes winning where both
// have a name.
func (l Link) Get(path ...string) (Value, bool) {
	return l.lookup(linkSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (l Link) GetAll(path ...string) iter.Seq[Value] { return l.lookupAll(linkSchema, path) }

// Attrs yields every attribute with its pyroute2-style name, in message
// order.
func (l Link) Attrs() iter.Seq2[string, Value] { return schema.All(linkSchema, l.Chain()) }

// OperState is an RFC 2863 operational state (IF_OPER_*).
type OperState uint8

var operStateNames = [...]string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}

// String returns the state as iproute2 prints it.
func (s OperState) String() string {
	return rtnl.Name(operStateNames[:], s, "%d")
}

// LinkFilter selects the links a dump returns. Where the kernel can
// filter (under strict checking) it does; the documentation of each field
// says which. Every field is also checked in user space, because the kernel
// ignores filters it cannot apply (a kind whose module is not loaded, any
// filter without strict checking) and then returns everything.
type LinkFilter struct {
	// MasterIndex keeps the ports of this bridge or bond, or, if it is
	// NoMaster, the links that are nobody's port. Kernel-side.
	MasterIndex int32
	// Kind keeps links of this kind ("veth", "bridge"). Kernel-side.
	Kind string
	// Family selects AF_BRIDGE to dump bridge ports with their bridge
	// settings (like "bridge link"); zero dumps every link.
	Family uint8
	// VF asks for SR-IOV virtual-function information
	// (RTEXT_FILTER_VF). Off by default: on hosts with many VFs it makes
	// dumps slow and messages huge.
	VF bool
	// SkipStats asks the kernel to leave the per-family statistics out
	// (RTEXT_FILTER_SKIP_STATS): IPv6's IFLA_INET6_STATS and
	// IFLA_INET6_ICMP6STATS, about 400 of a link's 1,500 bytes. Stats64
	// stays. Kernel-side.
	SkipStats bool
	// Alias keeps the links of this alias (IFLA_IFALIAS). The kernel
	// cannot filter by alias: user space does.
	Alias string
}

func (f *LinkFilter) keep(l Link) bool {
	if f == nil {
		return true
	}
	switch f.MasterIndex {
	case 0:
	case NoMaster:
		if l.MasterIndex() != 0 {
			return false
		}
	default:
		if l.MasterIndex() != f.MasterIndex {
			return false
		}
	}
	if f.Kind != "" {
		info, _ := l.get(unix.IFLA_LINKINFO)
		k, _ := info.Nested().Get(unix.IFLA_INFO_KIND)
		b, _ := k.TextBytes()
		if string(b) != f.Kind {
			return false
		}
	}
	if f.Alias != "" {
		a, _ := l.get(unix.IFLA_IFALIAS)
		if b, err := a.TextBytes(); err != nil || string(b) != f.Alias {
			return false
		}
	}
	return f.Family == 0 || l.Family() == f.Family
}

// NoMaster as [LinkFilter.MasterIndex] selects links without a master, as
// the kernel reads IFLA_MASTER -1 in a dump request.
const NoMaster = -1

// rtextFilterVF is RTEXT_FILTER_VF (linux/rtnetlink.h), which x/sys/unix
// lacks.
const rtextFilterVF = 1 << 0

func linkRequest(b *wire.Builder, typ, flags uint16, family uint8, index int32) {
	beginMsg(b, typ, flags, unix.SizeofIfInfomsg, family, index)
}

func (f *LinkFilter) extMask() uint32 {
	var m uint32
	if f != nil && f.VF {
		m |= rtextFilterVF
	}
	if f != nil && f.SkipStats {
		m |= rtextFilterSkipStats
	}
	return m
}

// Links streams the links that f selects (every link when f is nil). Each
// Link is valid until the next iteration. The iteration allocates nothing
// per link.
//
// Under concurrent changes: the kernel resumes a link dump after the last
// interface index it sent, so every link present throughout the dump is
// yielded exactly once; the dump ends in an error matching
// wire.ErrDumpInterrupted when the kernel saw links change meanwhile.
func (h *Handle) Links(ctx context.Context, f *LinkFilter) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		b := h.newBuilder()
		var family uint8
		if f != nil {
			family = f.Family
		}
		linkRequest(b, unix.RTM_GETLINK, unix.NLM_F_DUMP, family, 0)
		if m := f.extMask(); m != 0 {
			b.Uint32(unix.IFLA_EXT_MASK, m)
		}
		if f != nil && f.MasterIndex != 0 {
			b.Uint32(unix.IFLA_MASTER, uint32(f.MasterIndex))
		}
		if f != nil && f.Kind != "" {
			n := b.BeginNest(unix.IFLA_LINKINFO)
			b.String(unix.IFLA_INFO_KIND, f.Kind)
			b.EndNest(n)
		}
		b.End()
		dumpOf(ctx, h, "link dump", &linkMsgs, b, dumpRun{peek: f != nil && f.VF}, func(v view[ifinfomsg], err error) bool {
			if l := (Link{v}); err != nil || f.keep(l) {
				return yield(l, err)
			}
			return true
		})
	}
}

// LinkByName gets one link by name with a single request (no dump).
func (h *Handle) LinkByName(ctx context.Context, name string) (Link, error) {
	if err := checkName(name); err != nil {
		return Link{}, err
	}
	b := h.newBuilder()
	linkRequest(b, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, 0)
	b.String(unix.IFLA_IFNAME, name)
	b.Uint32(unix.IFLA_EXT_MASK, 0)
	b.End()
	return h.getLink(ctx, b)
}

// LinkByIndex gets one link by index with a single request (no dump).
func (h *Handle) LinkByIndex(ctx context.Context, index int32) (Link, error) {
	if index <= 0 {
		return Link{}, fmt.Errorf("rtm: link get: invalid index %d", index)
	}
	b := h.newBuilder()
	linkRequest(b, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, index)
	b.End()
	return h.getLink(ctx, b)
}

func (h *Handle) getLink(ctx context.Context, b *wire.Builder) (Link, error) {
	return getOf[Link](ctx, h, "link get", true, b, &linkMsgs)
}

// checkName validates an interface name as the kernel's dev_valid_name does.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("rtm: empty interface name")
	case len(name) >= unix.IFNAMSIZ:
		return fmt.Errorf("rtm: interface name %q is %d bytes, longer than %d", name, len(name), unix.IFNAMSIZ-1)
	case name == "." || name == "..":
		return fmt.Errorf("rtm: invalid interface name %q", name)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '/' || c == ':' || c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return fmt.Errorf("rtm: interface name %q contains %q", name, c)
		}
	}
	return nil
}
