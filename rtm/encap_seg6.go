package rtm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/uapi"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Seg6Mode is how a seg6 route applies its segment routing header.
type Seg6Mode int32

// The modes of SEG6_IPTUNNEL_*, named as iproute2 names them.
const (
	Seg6Inline     Seg6Mode = 0 // "inline": insert the SRH
	Seg6Encap      Seg6Mode = 1 // "encap": an outer IPv6 header with the SRH
	Seg6L2Encap    Seg6Mode = 2 // "l2encap"
	Seg6EncapRed   Seg6Mode = 3 // "encap.red": reduced SRH
	Seg6L2EncapRed Seg6Mode = 4 // "l2encap.red"
	seg6ModeLast            = Seg6L2EncapRed
	sr6FlagHMAC             = 1 << 3
	sr6TLVHMAC              = 5
	sr6TLVHMACLen           = 40 // struct sr6_tlv_hmac
	srhTypeSeg6             = 4  // IPV6_SRCRT_TYPE_4
	srhTypeRPL              = 3  // IPV6_SRCRT_TYPE_3
	maxSRHSegments          = 127
)

var seg6ModeNames = [...]string{"inline", "encap", "l2encap", "encap.red", "l2encap.red"}

// String returns iproute2's name of the mode.
func (m Seg6Mode) String() string {
	return rtnl.Name(seg6ModeNames[:], m, "mode %d")
}

// EncapSeg6 steers packets through a segment list: "encap seg6 mode encap
// segs fc00::1,fc00::2 hmac 7".
type EncapSeg6 struct {
	Mode Seg6Mode
	// Segments in the order packets visit them, as iproute2's "segs"
	// (the header holds them last first).
	Segments []netip.Addr
	// HMACKeyID adds an HMAC TLV with this key id; 0 adds none.
	HMACKeyID uint32
}

// EncapType returns LWTUNNEL_ENCAP_SEG6.
func (EncapSeg6) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_SEG6 }

func (e EncapSeg6) validate() error {
	if e.Mode < 0 || e.Mode > seg6ModeLast {
		return fmt.Errorf("unknown mode %d", int32(e.Mode))
	}
	return checkSegments(e.Segments, e.Mode == Seg6Inline)
}

func (e EncapSeg6) appendAttrs(b *wire.Builder) {
	n := srhLen(len(e.Segments), e.Mode == Seg6Inline, e.HMACKeyID)
	buf := make([]byte, 4+n)
	binary.NativeEndian.PutUint32(buf, uint32(e.Mode))
	putSRH(buf[4:], e.Segments, e.Mode == Seg6Inline, e.HMACKeyID)
	b.Binary(uapi.SEG6_IPTUNNEL_SRH, buf)
}

// checkSegments checks a segment list; inline (an SRH inserted into the
// packet) keeps one slot more, for the packet's own destination.
func checkSegments(segs []netip.Addr, inline bool) error {
	n := len(segs)
	if inline {
		n++
	}
	switch {
	case len(segs) == 0:
		return errors.New("no segments")
	case n > maxSRHSegments:
		return fmt.Errorf("%d segments; a routing header holds at most %d", len(segs), maxSRHSegments)
	}
	for _, s := range segs {
		if !s.Is6() || s.Is4In6() {
			return fmt.Errorf("segment %v is not an IPv6 address", s)
		}
	}
	return nil
}

// srhLen is the size of the routing header iproute2 builds (parse_srh).
func srhLen(nsegs int, inline bool, hmac uint32) int {
	if inline {
		nsegs++
	}
	n := 8 + 16*nsegs
	if hmac != 0 {
		n += sr6TLVHMACLen
	}
	return n
}

// putSRH lays out struct ipv6_sr_hdr as iproute2's parse_srh does: the
// segments last first, a zero slot 0 for inline mode, and the HMAC TLV
// (its key id alone; the kernel computes the HMAC) at the end.
func putSRH(p []byte, segs []netip.Addr, inline bool, hmac uint32) {
	nsegs := len(segs)
	if inline {
		nsegs++
	}
	p[1] = byte(len(p)>>3 - 1) // hdrlen
	p[2] = srhTypeSeg6
	p[3] = byte(nsegs - 1) // segments_left
	p[4] = byte(nsegs - 1) // first_segment
	if hmac != 0 {
		p[5] = sr6FlagHMAC
	}
	for i, s := range segs {
		a := s.As16()
		copy(p[8+16*(nsegs-1-i):], a[:])
	}
	if hmac != 0 {
		t := p[len(p)-sr6TLVHMACLen:]
		t[0], t[1] = sr6TLVHMAC, sr6TLVHMACLen-2
		binary.BigEndian.PutUint32(t[4:], hmac)
	}
}

// parseSRH reads struct ipv6_sr_hdr: the segments in travel order
// (dropping the zero slot iproute2 leaves for inline mode when zero) and
// the HMAC key id.
func parseSRH(p []byte, inline bool) (segs []netip.Addr, hmac uint32, err error) {
	if len(p) < 8 {
		return nil, 0, fmt.Errorf("routing header of %d bytes", len(p))
	}
	n := int(p[4]) + 1 // first_segment indexes the last entry
	if 8+16*n > len(p) {
		return nil, 0, fmt.Errorf("routing header claims %d segments in %d bytes", n, len(p))
	}
	for i := n - 1; i >= 0; i-- {
		a := netip.AddrFrom16([16]byte(p[8+16*i:]))
		if i == 0 && inline && a.IsUnspecified() {
			continue
		}
		segs = append(segs, a)
	}
	if p[5]&sr6FlagHMAC != 0 {
		// TLVs follow the segments; find the HMAC one.
		for t := p[8+16*n:]; len(t) >= 2; {
			if t[0] == sr6TLVHMAC && len(t) >= 8 {
				hmac = binary.BigEndian.Uint32(t[4:])
				break
			}
			if t[0] == 0 { // Pad1
				t = t[1:]
				continue
			}
			if 2+int(t[1]) > len(t) {
				break
			}
			t = t[2+int(t[1]):]
		}
	}
	return segs, hmac, nil
}

func parseSeg6Encap(c nla.Chain) (Encap, error) {
	a, ok := c.Get(uapi.SEG6_IPTUNNEL_SRH)
	if !ok || len(a.Data) < 4 {
		return nil, errors.New("no routing header")
	}
	e := EncapSeg6{Mode: Seg6Mode(int32(binary.NativeEndian.Uint32(a.Data)))}
	var err error
	e.Segments, e.HMACKeyID, err = parseSRH(a.Data[4:], e.Mode == Seg6Inline)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Seg6LocalAction is a seg6local behaviour (SEG6_LOCAL_ACTION_*).
type Seg6LocalAction uint32

// The seg6local actions, named as iproute2 names them in comments.
const (
	Seg6LocalEnd        Seg6LocalAction = 1  // End
	Seg6LocalEndX       Seg6LocalAction = 2  // End.X
	Seg6LocalEndT       Seg6LocalAction = 3  // End.T
	Seg6LocalEndDX2     Seg6LocalAction = 4  // End.DX2
	Seg6LocalEndDX6     Seg6LocalAction = 5  // End.DX6
	Seg6LocalEndDX4     Seg6LocalAction = 6  // End.DX4
	Seg6LocalEndDT6     Seg6LocalAction = 7  // End.DT6
	Seg6LocalEndDT4     Seg6LocalAction = 8  // End.DT4
	Seg6LocalEndB6      Seg6LocalAction = 9  // End.B6
	Seg6LocalEndB6Encap Seg6LocalAction = 10 // End.B6.Encaps
	Seg6LocalEndBM      Seg6LocalAction = 11 // End.BM
	Seg6LocalEndS       Seg6LocalAction = 12 // End.S
	Seg6LocalEndAS      Seg6LocalAction = 13 // End.AS
	Seg6LocalEndAM      Seg6LocalAction = 14 // End.AM
	Seg6LocalEndBPF     Seg6LocalAction = 15 // End.BPF
	Seg6LocalEndDT46    Seg6LocalAction = 16 // End.DT46
	seg6LocalActionLast                 = Seg6LocalEndDT46
)

var seg6LocalActionNames = [...]string{"", "End", "End.X", "End.T", "End.DX2", "End.DX6", "End.DX4",
	"End.DT6", "End.DT4", "End.B6", "End.B6.Encaps", "End.BM", "End.S", "End.AS", "End.AM", "End.BPF", "End.DT46"}

// String returns iproute2's name of the action.
func (a Seg6LocalAction) String() string {
	return rtnl.Name(seg6LocalActionNames[:], a, "action %d")
}

// ParseSeg6LocalAction returns the action iproute2 names s ("End.DT6").
func ParseSeg6LocalAction(s string) (Seg6LocalAction, bool) {
	return rtnl.Value[Seg6LocalAction](seg6LocalActionNames[:], s)
}

// Seg6 flavors (bits of EncapSeg6Local.Flavors, 1<<SEG6_LOCAL_FLV_OP_*).
const (
	Seg6FlavorPSP      uint32 = 1 << 1 // "psp"
	Seg6FlavorUSP      uint32 = 1 << 2 // "usp"
	Seg6FlavorUSD      uint32 = 1 << 3 // "usd"
	Seg6FlavorNextCSID uint32 = 1 << 4 // "next-csid"
)

// EncapSeg6Local is a seg6local behaviour of a local segment id: "encap
// seg6local action End.DT6 vrftable 100". Which fields an action needs is
// the kernel's to check (it answers with an extended ACK); Action is
// required.
type EncapSeg6Local struct {
	Action          Seg6LocalAction
	Table, VRFTable uint32
	NH4, NH6        netip.Addr
	IIF, OIF        int32
	// Segments and HMACKeyID make the SRH of End.B6 and End.B6.Encaps.
	Segments  []netip.Addr
	HMACKeyID uint32
	// BPF is End.BPF's program ("endpoint obj F.o").
	BPF BPFProg
	// Counters asks the kernel to count packets, bytes and errors
	// ("count"); ParseEncap reports the counts.
	Counters                       bool
	Packets, Bytes, Errors         uint64
	Flavors                        uint32 // Seg6Flavor* bits
	LocatorBlockBits, NodeFuncBits uint8  // of next-csid; 0 is not sent
}

// EncapType returns LWTUNNEL_ENCAP_SEG6_LOCAL.
func (EncapSeg6Local) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_SEG6_LOCAL }

func (e EncapSeg6Local) validate() error {
	switch {
	case e.Action < 1 || e.Action > seg6LocalActionLast:
		return fmt.Errorf("unknown action %d", uint32(e.Action))
	case e.NH4.IsValid() && !e.NH4.Is4():
		return fmt.Errorf("nh4 %v is not IPv4", e.NH4)
	case e.NH6.IsValid() && (!e.NH6.Is6() || e.NH6.Is4In6()):
		return fmt.Errorf("nh6 %v is not IPv6", e.NH6)
	case e.IIF < 0 || e.OIF < 0:
		return errors.New("negative interface index")
	case (e.LocatorBlockBits != 0 || e.NodeFuncBits != 0) && e.Flavors&Seg6FlavorNextCSID == 0:
		return errors.New("locator-block and node-function lengths need the next-csid flavor")
	}
	if len(e.Segments) > 0 || e.HMACKeyID != 0 {
		if err := checkSegments(e.Segments, e.Action != Seg6LocalEndB6Encap); err != nil {
			return err
		}
	}
	return e.BPF.check("endpoint")
}

func (e EncapSeg6Local) appendAttrs(b *wire.Builder) {
	b.Uint32(uapi.SEG6_LOCAL_ACTION, uint32(e.Action))
	putU32(b, uapi.SEG6_LOCAL_TABLE, e.Table)
	putU32(b, uapi.SEG6_LOCAL_VRFTABLE, e.VRFTable)
	if e.NH4.IsValid() {
		b.Addr(uapi.SEG6_LOCAL_NH4, e.NH4)
	}
	if e.NH6.IsValid() {
		b.Addr(uapi.SEG6_LOCAL_NH6, e.NH6)
	}
	putU32(b, uapi.SEG6_LOCAL_IIF, e.IIF)
	putU32(b, uapi.SEG6_LOCAL_OIF, e.OIF)
	if e.Counters {
		// The kernel starts counters at zero whatever is sent; iproute2
		// sends zeros.
		n := b.BeginNest(uapi.SEG6_LOCAL_COUNTERS)
		b.Uint64(uapi.SEG6_LOCAL_CNT_PACKETS, 0)
		b.Uint64(uapi.SEG6_LOCAL_CNT_BYTES, 0)
		b.Uint64(uapi.SEG6_LOCAL_CNT_ERRORS, 0)
		b.EndNest(n)
	}
	if e.Flavors != 0 {
		n := b.BeginNest(uapi.SEG6_LOCAL_FLAVORS)
		b.Uint32(uapi.SEG6_LOCAL_FLV_OPERATION, e.Flavors)
		if e.LocatorBlockBits != 0 {
			b.Uint8(uapi.SEG6_LOCAL_FLV_LCBLOCK_BITS, e.LocatorBlockBits)
		}
		if e.NodeFuncBits != 0 {
			b.Uint8(uapi.SEG6_LOCAL_FLV_LCNODE_FUNC_BITS, e.NodeFuncBits)
		}
		b.EndNest(n)
	}
	e.BPF.append(b, uapi.SEG6_LOCAL_BPF)
	if len(e.Segments) > 0 {
		inline := e.Action != Seg6LocalEndB6Encap
		buf := make([]byte, srhLen(len(e.Segments), inline, e.HMACKeyID))
		putSRH(buf, e.Segments, inline, e.HMACKeyID)
		b.Binary(uapi.SEG6_LOCAL_SRH, buf)
	}
}

func parseSeg6LocalEncap(c nla.Chain) (Encap, error) {
	var e EncapSeg6Local
	var srh []byte
	var err error
	for a := range c.All() {
		switch a.Kind() {
		case uapi.SEG6_LOCAL_ACTION:
			var v uint32
			v, err = a.Uint32()
			e.Action = Seg6LocalAction(v)
		case uapi.SEG6_LOCAL_SRH:
			srh = a.Data
		case uapi.SEG6_LOCAL_TABLE:
			e.Table, err = a.Uint32()
		case uapi.SEG6_LOCAL_VRFTABLE:
			e.VRFTable, err = a.Uint32()
		case uapi.SEG6_LOCAL_NH4:
			e.NH4, err = a.Addr()
		case uapi.SEG6_LOCAL_NH6:
			e.NH6, err = a.Addr()
		case uapi.SEG6_LOCAL_IIF:
			e.IIF, err = a.Int32()
		case uapi.SEG6_LOCAL_OIF:
			e.OIF, err = a.Int32()
		case uapi.SEG6_LOCAL_BPF:
			e.BPF, err = parseBPFProg(a.Nested())
		case uapi.SEG6_LOCAL_COUNTERS:
			e.Counters = true
			err = rtnl.U64s(a.Nested(), uapi.SEG6_LOCAL_CNT_PACKETS, &e.Packets, &e.Bytes, &e.Errors)
		case uapi.SEG6_LOCAL_FLAVORS:
			for n := range a.Nested().All() {
				switch n.Kind() {
				case uapi.SEG6_LOCAL_FLV_OPERATION:
					e.Flavors, err = n.Uint32()
				case uapi.SEG6_LOCAL_FLV_LCBLOCK_BITS:
					e.LocatorBlockBits, err = n.Uint8()
				case uapi.SEG6_LOCAL_FLV_LCNODE_FUNC_BITS:
					e.NodeFuncBits, err = n.Uint8()
				}
				if err != nil {
					break
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if srh != nil {
		e.Segments, e.HMACKeyID, err = parseSRH(srh, e.Action != Seg6LocalEndB6Encap)
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// rplIPTunnelSRH is RPL_IPTUNNEL_SRH.
const rplIPTunnelSRH = 1

// EncapRPL inserts an RPL source routing header (RFC 6554): "encap rpl
// segs fc00::1,fc00::2". Segments are sent uncompressed, as iproute2
// sends them.
type EncapRPL struct {
	Segments []netip.Addr
}

// EncapType returns LWTUNNEL_ENCAP_RPL.
func (EncapRPL) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_RPL }

func (e EncapRPL) validate() error { return checkSegments(e.Segments, false) }

func (e EncapRPL) appendAttrs(b *wire.Builder) {
	n := len(e.Segments)
	buf := make([]byte, 8+16*n)
	buf[1] = byte(len(buf)>>3 - 1)
	buf[2] = srhTypeRPL
	buf[3] = byte(n) // segments_left
	for i, s := range e.Segments {
		a := s.As16()
		copy(buf[8+16*(n-1-i):], a[:])
	}
	b.Binary(rplIPTunnelSRH, buf)
}

func parseRPLEncap(c nla.Chain) (Encap, error) {
	a, ok := c.Get(rplIPTunnelSRH)
	if !ok || len(a.Data) < 8 {
		return nil, errors.New("no routing header")
	}
	p := a.Data
	// struct ipv6_rpl_sr_hdr: cmpri and cmpre say how many leading bytes
	// the segments (and the last) share with the destination; iproute2
	// and this package send none elided.
	cmpri, cmpre := int(p[4]>>4), int(p[4]&0xf)
	n := int(p[3])
	if n == 0 {
		return EncapRPL{}, nil
	}
	size := (n-1)*(16-cmpri) + 16 - cmpre
	if 8+size > len(p) {
		return nil, fmt.Errorf("routing header claims %d segments in %d bytes", n, len(p))
	}
	var e EncapRPL
	off := 8
	for i := 0; i < n; i++ {
		elided := cmpri
		if i == n-1 {
			elided = cmpre
		}
		var a [16]byte
		copy(a[elided:], p[off:off+16-elided])
		off += 16 - elided
		e.Segments = append(e.Segments, netip.AddrFrom16(a))
	}
	// The header holds the last segment first.
	for i, j := 0, len(e.Segments)-1; i < j; i, j = i+1, j-1 {
		e.Segments[i], e.Segments[j] = e.Segments[j], e.Segments[i]
	}
	return e, nil
}

// IOAM6Mode is how an ioam6 route adds its trace header.
type IOAM6Mode uint8

// The modes of IOAM6_IPTUNNEL_MODE_*.
const (
	IOAM6Inline IOAM6Mode = 1 // "inline" (the default)
	IOAM6Encap  IOAM6Mode = 2 // "encap": in an outer IPv6 header to TunnelDst
	IOAM6Auto   IOAM6Mode = 3 // "auto"
)

// The attributes of LWTUNNEL_ENCAP_IOAM6 (IOAM6_IPTUNNEL_*) and limits.
const (
	ioam6Mode       = 1
	ioam6Dst        = 2
	ioam6Trace      = 3
	ioam6FreqK      = 4
	ioam6FreqN      = 5
	ioam6Src        = 6
	ioam6FreqMax    = 1000000
	ioam6TraceMax   = 244 // IOAM6_TRACE_DATA_SIZE_MAX
	ioam6TraceHdrSz = 8   // struct ioam6_trace_hdr
)

// EncapIOAM6 adds an IOAM pre-allocated trace (RFC 9197): "encap ioam6
// freq 1/2 mode encap tundst 2001:db8::1 trace prealloc type 0x800000 ns 1
// size 12".
type EncapIOAM6 struct {
	// FreqK of every FreqN packets get the trace; 0 means 1.
	FreqK, FreqN uint32
	// Mode is 0 or IOAM6Inline for inline.
	Mode IOAM6Mode
	// TunnelDst is the outer destination of the encap and auto modes;
	// TunnelSrc their optional source (Linux 6.12).
	TunnelDst, TunnelSrc netip.Addr
	// TraceType is the 24-bit trace type, Namespace the IOAM namespace,
	// TraceSize the bytes pre-allocated (a multiple of 4, at most 244).
	TraceType uint32
	Namespace uint16
	TraceSize uint16
}

// EncapType returns LWTUNNEL_ENCAP_IOAM6.
func (EncapIOAM6) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_IOAM6 }

func (e EncapIOAM6) freq() (k, n uint32) {
	k, n = max(e.FreqK, 1), max(e.FreqN, 1)
	return k, n
}

func (e EncapIOAM6) mode() IOAM6Mode { return max(e.Mode, IOAM6Inline) }

func (e EncapIOAM6) validate() error {
	k, n := e.freq()
	inline := e.mode() == IOAM6Inline
	switch {
	case k > ioam6FreqMax || n > ioam6FreqMax:
		return fmt.Errorf("frequency %d/%d out of 1..%d", k, n, ioam6FreqMax)
	case k > n:
		return fmt.Errorf("frequency %d/%d has k > n", k, n)
	case e.mode() > IOAM6Auto:
		return fmt.Errorf("unknown mode %d", e.Mode)
	case inline && (e.TunnelDst.IsValid() || e.TunnelSrc.IsValid()):
		return errors.New("inline mode takes no tunnel addresses")
	case !inline && !e.TunnelDst.IsValid():
		return errors.New("encap and auto modes need a tunnel destination")
	case e.TunnelDst.IsValid() && !e.TunnelDst.Is6(), e.TunnelSrc.IsValid() && !e.TunnelSrc.Is6():
		return errors.New("tunnel addresses must be IPv6")
	case e.TraceType == 0 || e.TraceType >= 1<<24:
		return fmt.Errorf("trace type %#x is not a non-zero 24-bit value", e.TraceType)
	case e.TraceSize == 0 || e.TraceSize%4 != 0 || e.TraceSize > ioam6TraceMax:
		return fmt.Errorf("trace size %d is not a multiple of 4 in 4..%d", e.TraceSize, ioam6TraceMax)
	}
	return nil
}

func (e EncapIOAM6) appendAttrs(b *wire.Builder) {
	k, n := e.freq()
	b.Uint32(ioam6FreqK, k)
	b.Uint32(ioam6FreqN, n)
	b.Uint8(ioam6Mode, uint8(e.mode()))
	if e.TunnelDst.IsValid() {
		b.Addr(ioam6Dst, e.TunnelDst)
	}
	if e.TunnelSrc.IsValid() {
		b.Addr(ioam6Src, e.TunnelSrc)
	}
	var t [ioam6TraceHdrSz]byte
	binary.BigEndian.PutUint16(t[0:], e.Namespace)
	t[3] = byte(e.TraceSize / 4) // remlen
	binary.BigEndian.PutUint32(t[4:], e.TraceType<<8)
	b.Binary(ioam6Trace, t[:])
}

func parseIOAM6Encap(c nla.Chain) (Encap, error) {
	var e EncapIOAM6
	var err error
	for a := range c.All() {
		switch a.Kind() {
		case ioam6Mode:
			var m uint8
			m, err = a.Uint8()
			e.Mode = IOAM6Mode(m)
		case ioam6Dst:
			e.TunnelDst, err = a.Addr()
		case ioam6Src:
			e.TunnelSrc, err = a.Addr()
		case ioam6FreqK:
			e.FreqK, err = a.Uint32()
		case ioam6FreqN:
			e.FreqN, err = a.Uint32()
		case ioam6Trace:
			if len(a.Data) < ioam6TraceHdrSz {
				return nil, fmt.Errorf("trace header of %d bytes", len(a.Data))
			}
			e.Namespace = binary.BigEndian.Uint16(a.Data)
			e.TraceSize = uint16(a.Data[3]&0x7f) * 4
			e.TraceType = binary.BigEndian.Uint32(a.Data[4:]) >> 8
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}
