package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/netip"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Bridge forwarding database (FDB) entries are neighbour messages of
// family AF_BRIDGE; they are read through the same [Neigh] view.

// FDBFilter selects the FDB entries a dump returns. Both fields are
// applied by the kernel.
type FDBFilter struct {
	// MasterIndex keeps the entries of one bridge: its own and those of
	// its ports (NDA_MASTER, "bridge fdb show br BR"). Kernel-side.
	MasterIndex int32
	// Index keeps the entries of one port or device (ndm_ifindex,
	// "bridge fdb show dev DEV"). Kernel-side.
	Index int32
}

// FDB streams the bridge forwarding database entries that f selects (the
// entries of every bridge and every device when f is nil): those of
// bridges (NDA_MASTER set) and those devices such as VXLAN hold
// themselves (unix.NTF_SELF). Each Neigh is valid until the next
// iteration; iterating allocates nothing per entry.
//
// Under concurrent changes: the kernel resumes an FDB dump at a position
// in each device's list, newest entry first, and never flags it (the
// kernel alone was wrong in 3 FDB dumps in 4 under churn). FDB yields an
// entry at most once and ends in an error matching wire.ErrDumpInterrupted
// when the kernel sent one twice, or when it had to resume the dump after
// a full datagram and an FDB entry was removed while it ran (FDB
// subscribes to neighbour notifications for the length of the dump;
// entries aging out count). Without that error, every entry
// present throughout the dump was yielded.
func (h *Handle) FDB(ctx context.Context, f *FDBFilter) iter.Seq2[Neigh, error] {
	return func(yield func(Neigh, error) bool) {
		b, nd := h.newRequest(unix.RTM_GETNEIGH, unix.NLM_F_DUMP, unix.SizeofNdMsg, unix.AF_BRIDGE)
		if f != nil {
			if nd != nil {
				native.PutUint32(nd[4:], uint32(f.Index))
			}
			putU32(b, unix.NDA_MASTER, f.MasterIndex)
		}
		b.End()
		h.streamNeighs(ctx, "fdb dump", b, func(Neigh) bool { return true }, (*dupSet).fdbSeen, watchSpec{
			groups: [2]Group{GroupNeigh}, ngroups: 1,
			types: [2]uint16{unix.RTM_DELNEIGH, unix.RTM_DELNEIGH}, family: unix.AF_BRIDGE,
		}, yield)
	}
}

// FDBSpec describes a bridge FDB entry to add, append, replace, change or
// delete ("bridge fdb add 02:00:00:00:00:01 dev vxlan0 dst 192.0.2.1").
// Fields left zero are left out of the request.
type FDBSpec struct {
	// Index is the port or device the entry points to. Required.
	Index int32
	// LLAddr is the MAC address, 6 bytes. Required; the all-zero address
	// with [Handle.FDBAppend] makes a VXLAN device's default (flooding)
	// destinations.
	LLAddr net.HardwareAddr
	// Flags choose whose table holds the entry, unix.NTF_MASTER (the
	// bridge Index is a port of) or unix.NTF_SELF (the device's own, as
	// for VXLAN), and add unix.NTF_EXT_LEARNED, unix.NTF_ROUTER,
	// unix.NTF_USE or NTFSticky. Without NTF_MASTER or NTF_SELF, NTF_SELF
	// is meant, as with "bridge fdb add".
	Flags uint8
	// State is the NUD state; 0 means unix.NUD_NOARP|unix.NUD_PERMANENT
	// (bridge's "permanent", a local entry). unix.NUD_NOARP|
	// unix.NUD_REACHABLE is "static" and unix.NUD_REACHABLE "dynamic"
	// (an entry that ages).
	State NeighState
	// VLAN is the entry's VLAN on a VLAN-filtering bridge (NDA_VLAN);
	// 0 means none.
	VLAN uint16
	// Dst is the remote VXLAN tunnel endpoint (NDA_DST).
	Dst netip.Addr
	// Port is the remote's UDP port (NDA_PORT); 0 means the device's.
	Port uint16
	// VNI is the remote's VXLAN network identifier (NDA_VNI); 0 means
	// the device's.
	VNI uint32
	// SrcVNI is the VNI the entry belongs to on a collect-metadata
	// ("external") VXLAN device (NDA_SRC_VNI); 0 means none.
	SrcVNI uint32
	// LinkIndex is the interface through which Dst is reached
	// (NDA_IFINDEX, bridge's "via").
	LinkIndex int32
	// NHID points the entry to an FDB nexthop group (NDA_NH_ID) instead
	// of a Dst.
	NHID uint32
}

func (s *FDBSpec) validate() error {
	switch {
	case s.Index <= 0:
		return fmt.Errorf("invalid interface index %d", s.Index)
	case len(s.LLAddr) != 6:
		return fmt.Errorf("MAC address of %d bytes, want 6", len(s.LLAddr))
	case s.VLAN >= 4095:
		return fmt.Errorf("VLAN %d outside 1..4094", s.VLAN)
	case s.VNI >= 1<<24:
		return fmt.Errorf("VNI %d exceeds 24 bits", s.VNI)
	case s.SrcVNI >= 1<<24:
		return fmt.Errorf("source VNI %d exceeds 24 bits", s.SrcVNI)
	case s.Dst.IsValid() && s.Dst.Is4In6():
		return fmt.Errorf("remote %v is IPv4-mapped; use the IPv4 form", s.Dst)
	case s.NHID != 0 && s.Dst.IsValid():
		return errors.New("an entry using a nexthop group (NHID) has no Dst")
	}
	return nil
}

// encode writes an AF_BRIDGE RTM_NEWNEIGH or RTM_DELNEIGH request for s,
// laid out as "bridge fdb" lays it out.
func (s *FDBSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(); err != nil {
		return err
	}
	state, ntf := s.State, s.Flags
	if state == 0 {
		state = unix.NUD_NOARP | unix.NUD_PERMANENT
	}
	if ntf&(unix.NTF_MASTER|unix.NTF_SELF) == 0 {
		ntf |= unix.NTF_SELF
	}
	beginNeigh(b, typ, flags, unix.AF_BRIDGE, s.Index, state, ntf)
	b.Binary(unix.NDA_LLADDR, s.LLAddr)
	if s.Dst.IsValid() {
		b.Addr(unix.NDA_DST, s.Dst)
	}
	if s.VLAN != 0 {
		b.Uint16(unix.NDA_VLAN, s.VLAN)
	}
	putU32(b, ndaNHID, s.NHID)
	putU16BE(b, unix.NDA_PORT, s.Port)
	putU32(b, unix.NDA_VNI, s.VNI)
	putU32(b, unix.NDA_SRC_VNI, s.SrcVNI)
	putU32(b, unix.NDA_IFINDEX, s.LinkIndex)
	b.End()
	return nil
}

func (s *FDBSpec) opName(op string) string {
	if s.Dst.IsValid() {
		return fmt.Sprintf("%s %v dst %v", op, s.LLAddr, s.Dst)
	}
	return fmt.Sprintf("%s %v", op, s.LLAddr)
}

// The FDB changes.
var (
	fdbAddOp     = change{"fdb add", unix.RTM_NEWNEIGH, neighAddFlags}
	fdbAppendOp  = change{"fdb append", unix.RTM_NEWNEIGH, neighAppendFlags}
	fdbReplaceOp = change{"fdb replace", unix.RTM_NEWNEIGH, neighReplaceFlags}
	fdbChangeOp  = change{"fdb change", unix.RTM_NEWNEIGH, neighChangeFlags}
	fdbDelOp     = change{"fdb del", unix.RTM_DELNEIGH, 0}
)

type fdbRequest = specRequest[FDBSpec, *FDBSpec]

// FDBAdd is the request to add an FDB entry; EEXIST if the table has one
// for the address (and VLAN) ("bridge fdb add").
func FDBAdd(s FDBSpec) Request { return &fdbRequest{fdbAddOp, s} }

// FDBAppend is the request to add a remote to a VXLAN FDB entry, which
// may then have several: with the all-zero MAC, each is a destination of
// flooded traffic ("bridge fdb append 00:00:00:00:00:00 dev vx0 dst ...").
func FDBAppend(s FDBSpec) Request { return &fdbRequest{fdbAppendOp, s} }

// FDBReplace is the request to add an FDB entry or overwrite the existing
// one ("bridge fdb replace").
func FDBReplace(s FDBSpec) Request { return &fdbRequest{fdbReplaceOp, s} }

// FDBChange is the request to change an existing FDB entry; ENOENT if
// there is none.
func FDBChange(s FDBSpec) Request { return &fdbRequest{fdbChangeOp, s} }

// FDBDel is the request to delete an FDB entry; on a VXLAN device, an
// entry's Dst (with Port, VNI, LinkIndex) deletes only that remote.
func FDBDel(s FDBSpec) Request { return &fdbRequest{fdbDelOp, s} }

// FDBAdd adds an FDB entry; EEXIST if the table has one for the address
// (and VLAN).
func (h *Handle) FDBAdd(ctx context.Context, s FDBSpec) error { return h.Do(ctx, FDBAdd(s)) }

// FDBAppend adds a remote to a VXLAN FDB entry, which may then have
// several: with the all-zero MAC, each is a destination of flooded
// traffic ("bridge fdb append 00:00:00:00:00:00 dev vx0 dst ...").
func (h *Handle) FDBAppend(ctx context.Context, s FDBSpec) error { return h.Do(ctx, FDBAppend(s)) }

// FDBReplace adds an FDB entry or overwrites the existing one.
func (h *Handle) FDBReplace(ctx context.Context, s FDBSpec) error {
	return h.Do(ctx, FDBReplace(s))
}

// FDBChange changes an existing FDB entry; ENOENT if there is none.
func (h *Handle) FDBChange(ctx context.Context, s FDBSpec) error { return h.Do(ctx, FDBChange(s)) }

// FDBDel deletes an FDB entry; on a VXLAN device, an entry's Dst (with
// Port, VNI, LinkIndex) deletes only that remote.
func (h *Handle) FDBDel(ctx context.Context, s FDBSpec) error { return h.Do(ctx, FDBDel(s)) }

// FDBAdd adds an fdb-add request.
func (bt *Batch) FDBAdd(s FDBSpec) error { return bt.queue(fdbAddOp, s.encode) }

// FDBAppend adds an fdb-append request.
func (bt *Batch) FDBAppend(s FDBSpec) error { return bt.queue(fdbAppendOp, s.encode) }

// FDBReplace adds an fdb-replace request.
func (bt *Batch) FDBReplace(s FDBSpec) error { return bt.queue(fdbReplaceOp, s.encode) }

// FDBDel adds an fdb-delete request.
func (bt *Batch) FDBDel(s FDBSpec) error { return bt.queue(fdbDelOp, s.encode) }

// FDBQuery names one FDB entry for [Handle.FDBGet]: by bridge ("bridge
// fdb get MAC br BR") or by device ("bridge fdb get MAC dev DEV self").
type FDBQuery struct {
	// LLAddr is the MAC address. Required.
	LLAddr net.HardwareAddr
	// MasterIndex looks in this bridge's table.
	MasterIndex int32
	// Index looks in this port's bridge (with unix.NTF_MASTER or no
	// flag) or in the device's own table (with unix.NTF_SELF).
	Index int32
	Flags uint8
	// VLAN and VNI narrow the lookup.
	VLAN uint16
	VNI  uint32
}

// FDBGet gets one FDB entry with a single request (no dump). A missing
// entry is ErrNotFound (and unix.ENOENT). The result owns its bytes.
func (h *Handle) FDBGet(ctx context.Context, q FDBQuery) (Neigh, error) {
	op := fmt.Sprintf("fdb get %v", q.LLAddr)
	switch {
	case len(q.LLAddr) != 6:
		return Neigh{}, fmt.Errorf("rtm: %s: MAC address of %d bytes, want 6", op, len(q.LLAddr))
	case q.Index <= 0 && q.MasterIndex <= 0:
		return Neigh{}, fmt.Errorf("rtm: %s: neither a bridge nor a device", op)
	case q.Flags&^(unix.NTF_MASTER|unix.NTF_SELF) != 0:
		return Neigh{}, fmt.Errorf("rtm: %s: flags %#x; only NTF_MASTER and NTF_SELF select the table", op, q.Flags)
	}
	b, nd := h.newRequest(unix.RTM_GETNEIGH, 0, unix.SizeofNdMsg, unix.AF_BRIDGE)
	if nd != nil {
		native.PutUint32(nd[4:], uint32(max(q.Index, 0)))
		nd[10] = q.Flags
	}
	b.Binary(unix.NDA_LLADDR, q.LLAddr)
	if q.MasterIndex > 0 {
		b.Uint32(unix.NDA_MASTER, uint32(q.MasterIndex))
	}
	if q.VLAN != 0 {
		b.Uint16(unix.NDA_VLAN, q.VLAN)
	}
	putU32(b, unix.NDA_VNI, q.VNI)
	b.End()
	return h.getNeigh(ctx, op, b)
}
