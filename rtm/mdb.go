package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// MDB attributes (linux/if_bridge.h); the MDBE_ATTR_* after SOURCE are
// from Linux 6.3.
const (
	mdbaMDB         = 1 // MDBA_MDB: nest of MDBA_MDB_ENTRY
	mdbaRouter      = 2 // MDBA_ROUTER: nest of MDBA_ROUTER_PORT
	mdbaMDBEntry    = 1 // MDBA_MDB_ENTRY: nest of MDBA_MDB_ENTRY_INFO
	mdbaEntryInfo   = 1 // MDBA_MDB_ENTRY_INFO: struct br_mdb_entry, then MDBA_MDB_EATTR_*
	mdbaRouterPort  = 1 // MDBA_ROUTER_PORT: u32 ifindex, then MDBA_ROUTER_PATTR_*
	mdbaSetEntry    = 1 // MDBA_SET_ENTRY: struct br_mdb_entry
	mdbaSetAttrs    = 2 // MDBA_SET_ENTRY_ATTRS: nest of MDBE_ATTR_*
	mdbEattrTimer   = 1 // u32, USER_HZ ticks
	mdbEattrSrcList = 2 // nest of MDBA_MDB_SRCLIST_ENTRY
	mdbEattrMode    = 3 // u8 MCAST_INCLUDE / MCAST_EXCLUDE
	mdbEattrSource  = 4 // address
	mdbEattrRTProt  = 5 // u8
	mdbSrcAddress   = 1 // MDBA_MDB_SRCATTR_ADDRESS
	mdbSrcTimer     = 2 // MDBA_MDB_SRCATTR_TIMER
	mdbPattrTimer   = 1 // MDBA_ROUTER_PATTR_TIMER: u32
	mdbPattrType    = 2 // MDBA_ROUTER_PATTR_TYPE: u8
	mdbPattrVID     = 5 // MDBA_ROUTER_PATTR_VID: u16
	mdbeAttrSource  = 1 // MDBE_ATTR_SOURCE
	mdbeAttrMode    = 3 // MDBE_ATTR_GROUP_MODE
	mdbeAttrRTProt  = 4 // MDBE_ATTR_RTPROT

	sizeofBrMDBEntry = 28 // struct br_mdb_entry
)

// MDB entry states and flags (br_mdb_entry's state and flags).
const (
	MDBTemporary = 0 // MDB_TEMPORARY: learnt by snooping, ages
	MDBPermanent = 1 // MDB_PERMANENT: added by user space

	MDBFlagOffload   = 1 << 0 // MDB_FLAGS_OFFLOAD
	MDBFlagFastLeave = 1 << 1 // MDB_FLAGS_FAST_LEAVE
	MDBFlagStarExcl  = 1 << 2 // MDB_FLAGS_STAR_EXCL: added by a (*, G) EXCLUDE entry
	MDBFlagBlocked   = 1 << 3 // MDB_FLAGS_BLOCKED
)

// The filter modes of an IGMPv3/MLDv2 group (MCAST_EXCLUDE, MCAST_INCLUDE).
const (
	MDBModeExclude = 0
	MDBModeInclude = 1
)

// MDB is a view of one RTM_NEWMDB message: some of the multicast database
// entries and multicast router ports of one bridge ("bridge mdb show"). A
// dump may split one bridge's entries over several messages. An MDB
// yielded by a dump is valid until the next iteration; Clone detaches it.
type MDB struct{ view[brPortMsg] }

// MDBFromBytes returns the MDB in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func MDBFromBytes(b []byte) (MDB, error) { return viewOf[MDB](&mdbMsgs, b, nil) }

// Clone returns a copy of m that owns its bytes.
func (m MDB) Clone() MDB { return MDB{m.clone()} }

// Family returns the message's family: AF_BRIDGE in notifications, 0 in
// the kernel's dumps.
func (m MDB) Family() uint8 { return m.hdr()[0] }

// Index returns the bridge's interface index (br_port_msg's ifindex).
func (m MDB) Index() int32 { return int32(native.Uint32(m.hdr()[4:])) }

// MDBEntry is one entry of a bridge's multicast database: a group that a
// port (or the bridge itself, for the host) receives.
type MDBEntry struct {
	// BridgeIndex is the bridge; PortIndex the port, or the bridge for
	// a group the host joined.
	BridgeIndex, PortIndex int32
	// State is MDBTemporary or MDBPermanent.
	State uint8
	// Flags are MDBFlag*.
	Flags uint8
	// VID is the entry's VLAN; 0 means none.
	VID uint16
	// Proto is the group's EtherType: unix.ETH_P_IP, unix.ETH_P_IPV6, or
	// 0 for a layer-2 group (MAC).
	Proto uint16
	// Group is the IP group; invalid for a layer-2 group.
	Group netip.Addr
	// MAC is a layer-2 group's address.
	MAC [6]byte
	// Attrs are the entry's MDBA_MDB_EATTR_* attributes; see the methods.
	Attrs nla.Chain
}

// Timer returns MDBA_MDB_EATTR_TIMER: the time left before a temporary
// entry expires.
func (e MDBEntry) Timer() (time.Duration, bool) { return ticks(e.Attrs, mdbEattrTimer) }

// ticks reads a u32 attribute in USER_HZ ticks (1/100 s).
func ticks(c nla.Chain, t uint16) (time.Duration, bool) {
	v, ok := rtnl.U32(c.Get(t))
	return time.Duration(v) * 10 * time.Millisecond, ok
}

// Source returns MDBA_MDB_EATTR_SOURCE, the source of an (S, G) entry.
func (e MDBEntry) Source() netip.Addr {
	a, _ := e.Attrs.Get(mdbEattrSource)
	ip, _ := a.Addr()
	return ip
}

// GroupMode returns MDBA_MDB_EATTR_GROUP_MODE: MDBModeInclude or
// MDBModeExclude.
func (e MDBEntry) GroupMode() (uint8, bool) { return rtnl.U8(e.Attrs.Get(mdbEattrMode)) }

// Protocol returns MDBA_MDB_EATTR_RTPROT: who installed the entry
// (RTPROT_KERNEL for snooping, RTPROT_STATIC for user space).
func (e MDBEntry) Protocol() (uint8, bool) { return rtnl.U8(e.Attrs.Get(mdbEattrRTProt)) }

// MDBSource is one source of an IGMPv3/MLDv2 entry's source list.
type MDBSource struct {
	Addr  netip.Addr
	Timer time.Duration
}

// Sources yields MDBA_MDB_EATTR_SRC_LIST.
func (e MDBEntry) Sources() iter.Seq[MDBSource] {
	return func(yield func(MDBSource) bool) {
		l, ok := e.Attrs.Get(mdbEattrSrcList)
		if !ok {
			return
		}
		for s := range l.Nested().All() {
			a, _ := s.Nested().Get(mdbSrcAddress)
			ip, _ := a.Addr()
			t, _ := ticks(s.Nested(), mdbSrcTimer)
			if !yield(MDBSource{Addr: ip, Timer: t}) {
				return
			}
		}
	}
}

// decodeMDBEntry decodes an MDBA_MDB_ENTRY_INFO or MDBA_SET_ENTRY payload.
func decodeMDBEntry(d []byte) (MDBEntry, bool) {
	if len(d) < sizeofBrMDBEntry-2 {
		return MDBEntry{}, false
	}
	e := MDBEntry{PortIndex: int32(native.Uint32(d)), State: d[4], Flags: d[5], VID: native.Uint16(d[6:])}
	e.Proto = uint16(d[24])<<8 | uint16(d[25])
	switch e.Proto {
	case unix.ETH_P_IP:
		e.Group = netip.AddrFrom4([4]byte(d[8:12]))
	case unix.ETH_P_IPV6:
		e.Group = netip.AddrFrom16([16]byte(d[8:24]))
	default:
		copy(e.MAC[:], d[8:14])
	}
	if len(d) > sizeofBrMDBEntry {
		e.Attrs = nla.Chain(d[sizeofBrMDBEntry:])
	}
	return e, true
}

// Entries yields the message's entries (MDBA_MDB).
func (m MDB) Entries() iter.Seq[MDBEntry] {
	return func(yield func(MDBEntry) bool) {
		a, ok := m.get(mdbaMDB)
		if !ok {
			return
		}
		for ent := range a.Nested().AllOf(mdbaMDBEntry) {
			for info := range ent.Nested().AllOf(mdbaEntryInfo) {
				e, ok := decodeMDBEntry(info.Data)
				if !ok {
					continue
				}
				e.BridgeIndex = m.Index()
				if !yield(e) {
					return
				}
			}
		}
	}
}

// MDBRouterPort is a port behind which the bridge has seen (or was told
// there is) a multicast router.
type MDBRouterPort struct {
	Index int32
	// Type is MDB_RTR_TYPE_* (the port's multicast_router setting).
	Type uint8
	// Timer is the time left before a learnt router is forgotten.
	Timer time.Duration
	// VID is the port's VLAN, for a per-VLAN router port.
	VID uint16
}

// RouterPorts yields the message's router ports (MDBA_ROUTER).
func (m MDB) RouterPorts() iter.Seq[MDBRouterPort] {
	return func(yield func(MDBRouterPort) bool) {
		a, ok := m.get(mdbaRouter)
		if !ok {
			return
		}
		for p := range a.Nested().AllOf(mdbaRouterPort) {
			if len(p.Data) < 4 {
				continue
			}
			r := MDBRouterPort{Index: int32(native.Uint32(p.Data))}
			attrs := nla.Chain(p.Data[4:])
			r.Timer, _ = ticks(attrs, mdbPattrTimer)
			r.Type, _ = rtnl.U8(attrs.Get(mdbPattrType))
			r.VID, _ = rtnl.U16(attrs.Get(mdbPattrVID))
			if !yield(r) {
				return
			}
		}
	}
}

// Get returns an attribute by pyroute2-style name ("mdb", "router").
func (m MDB) Get(path ...string) (Value, bool) {
	return schema.Lookup(mdbSchema, m.index(), m.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (m MDB) Attrs() iter.Seq2[string, Value] { return schema.All(mdbSchema, m.Chain()) }

// MDB streams the multicast database messages of every bridge, or of the
// bridge index only (user space: the kernel does not filter), with their
// entries and router ports ("bridge mdb show"). Each MDB is valid until
// the next iteration; iterating allocates nothing per message.
func (h *Handle) MDB(ctx context.Context, index int32) iter.Seq2[MDB, error] {
	return func(yield func(MDB, error) bool) {
		b, _ := h.newRequest(unix.RTM_GETMDB, unix.NLM_F_DUMP, len(brPortMsg{}), unix.AF_BRIDGE)
		b.End()
		dumpOf(ctx, h, "mdb dump", &mdbDumpMsgs, b, dumpRun{}, func(v view[brPortMsg], err error) bool {
			if m := (MDB{v}); err != nil || index == 0 || m.Index() == index {
				return yield(m, err)
			}
			return true
		})
	}
}

// MDBSpec describes a multicast database entry to add or delete ("bridge
// mdb add dev BRIDGE port PORT grp GROUP [src SOURCE] [permanent] [vid
// VID]").
type MDBSpec struct {
	// BridgeIndex is the bridge and PortIndex the port (the bridge
	// itself for the host). Required.
	BridgeIndex, PortIndex int32
	// Group is the IP multicast group; MAC a layer-2 multicast group
	// instead. Exactly one is set.
	Group netip.Addr
	MAC   net.HardwareAddr
	// VID is the entry's VLAN; 0 means none.
	VID uint16
	// Permanent makes the entry permanent; otherwise it is temporary and
	// ages as a learnt one.
	Permanent bool
	// Source makes an (S, G) entry (IGMPv3, MLDv2).
	Source netip.Addr
	// GroupMode is MDBModeInclude or MDBModeExclude for a (*, G) entry
	// (Linux 6.3).
	GroupMode Opt[uint8]
	// Protocol is who installs the entry (RTPROT_*; Linux 6.3); 0 means
	// RTPROT_STATIC.
	Protocol uint8
}

func (s *MDBSpec) validate() error {
	switch {
	case s.BridgeIndex <= 0 || s.PortIndex <= 0:
		return fmt.Errorf("invalid bridge %d or port %d index", s.BridgeIndex, s.PortIndex)
	case s.Group.IsValid() == (s.MAC != nil):
		return errors.New("an entry has either an IP group or a MAC")
	case s.MAC != nil && (len(s.MAC) != 6 || s.MAC[0]&1 == 0):
		return fmt.Errorf("MAC %v is not a multicast address", s.MAC)
	case s.Group.IsValid() && (s.Group.Is4In6() || !s.Group.IsMulticast()):
		return fmt.Errorf("group %v is not a multicast address", s.Group)
	case s.VID >= 4095:
		return fmt.Errorf("VLAN %d outside 1..4094", s.VID)
	case s.Source.IsValid() && (s.MAC != nil || s.Source.Is4() != s.Group.Is4() || s.Source.Is4In6()):
		return fmt.Errorf("source %v does not match group %v", s.Source, s.Group)
	}
	if m, ok := s.GroupMode.Get(); ok && (m > MDBModeInclude || s.MAC != nil) {
		return fmt.Errorf("invalid group mode %d", m)
	}
	return nil
}

func (s *MDBSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(); err != nil {
		return err
	}
	beginMsg(b, typ, flags, len(brPortMsg{}), unix.AF_BRIDGE, s.BridgeIndex)
	var e [sizeofBrMDBEntry]byte
	native.PutUint32(e[:], uint32(s.PortIndex))
	if s.Permanent && typ == unix.RTM_NEWMDB {
		e[4] = MDBPermanent
	}
	native.PutUint16(e[6:], s.VID)
	switch {
	case s.MAC != nil:
		copy(e[8:], s.MAC)
	case s.Group.Is4():
		a := s.Group.As4()
		copy(e[8:], a[:])
		e[24], e[25] = unix.ETH_P_IP>>8, unix.ETH_P_IP&0xff
	default:
		a := s.Group.As16()
		copy(e[8:], a[:])
		e[24], e[25] = unix.ETH_P_IPV6>>8, unix.ETH_P_IPV6&0xff
	}
	b.Binary(mdbaSetEntry, e[:])
	if s.Source.IsValid() || s.GroupMode.IsSet() || s.Protocol != 0 {
		n := b.BeginNest(mdbaSetAttrs)
		if s.Source.IsValid() {
			b.Addr(mdbeAttrSource, s.Source)
		}
		if m, ok := s.GroupMode.Get(); ok {
			b.Uint8(mdbeAttrMode, m)
		}
		putU8(b, mdbeAttrRTProt, s.Protocol)
		b.EndNest(n)
	}
	b.End()
	return nil
}

func (s *MDBSpec) opName(verb string) string {
	if s.MAC != nil {
		return fmt.Sprintf("%s grp %v", verb, s.MAC)
	}
	if s.Source.IsValid() {
		return fmt.Sprintf("%s grp %v src %v", verb, s.Group, s.Source)
	}
	return fmt.Sprintf("%s grp %v", verb, s.Group)
}

// The MDB changes, with the flags of "bridge mdb".
var (
	mdbAddOp     = change{"mdb add", unix.RTM_NEWMDB, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	mdbReplaceOp = change{"mdb replace", unix.RTM_NEWMDB, unix.NLM_F_CREATE | unix.NLM_F_REPLACE}
	mdbDelOp     = change{"mdb del", unix.RTM_DELMDB, 0}
)

type mdbRequest = specRequest[MDBSpec, *MDBSpec]

// MDBAdd is the request to add a multicast database entry; EEXIST if the
// port has the group ("bridge mdb add").
func MDBAdd(s MDBSpec) Request { return &mdbRequest{mdbAddOp, s} }

// MDBReplace is the request to add an entry or replace the port's entry
// for the group (Linux 6.3; "bridge mdb replace").
func MDBReplace(s MDBSpec) Request { return &mdbRequest{mdbReplaceOp, s} }

// MDBDel is the request to delete a multicast database entry; ENOENT if
// there is none ("bridge mdb del").
func MDBDel(s MDBSpec) Request { return &mdbRequest{mdbDelOp, s} }

// MDB returns the event's multicast database message, for RTM_NEWMDB and
// RTM_DELMDB ([GroupMDB]).
func (e Event) MDB() (MDB, bool) { return eventOf[MDB](e, &mdbMsgs) }
