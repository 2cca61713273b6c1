package rtm

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Encap is a lightweight-tunnel encapsulation (LWTUNNEL_ENCAP_*), as
// "ip route add ... encap TYPE ..." and "ip nexthop add ... encap ..." set
// it: the Tunnel field of [RouteSpec], [RouteHopSpec] and [NexthopSpec].
// It is one of [EncapMPLS], [EncapIP], [EncapIP6], [EncapILA],
// [EncapBPF], [EncapSeg6], [EncapSeg6Local], [EncapRPL], [EncapIOAM6],
// [EncapXFRM], or [EncapRaw] for an encapsulation given as attributes.
// [ParseEncap] decodes one from a route or nexthop the kernel reports.
//
// Only this package implements Encap: each type validates itself before
// anything is sent.
type Encap interface {
	// EncapType returns the LWTUNNEL_ENCAP_* type.
	EncapType() uint16
	// validate reports what the kernel would refuse, or what would be
	// sent wrong.
	validate() error
	// appendAttrs writes the attributes inside RTA_ENCAP / NHA_ENCAP.
	appendAttrs(b *wire.Builder)
}

// encodeEncap writes e as the pair of attributes typeAttr (the encap type)
// and nestAttr (its attributes), the way iproute2 lays them out.
func encodeEncap(b *wire.Builder, typeAttr, nestAttr uint16, e Encap) {
	n := b.BeginNest(nestAttr)
	e.appendAttrs(b)
	b.EndNest(n)
	b.Uint16(typeAttr, e.EncapType())
}

// checkEncap validates a Tunnel field; the error names the encapsulation.
func checkEncap(e Encap) error {
	if e == nil {
		return nil
	}
	if err := e.validate(); err != nil {
		return fmt.Errorf("encap %s: %w", EncapName(e.EncapType()), err)
	}
	return nil
}

// encapNames are iproute2's names of the LWTUNNEL_ENCAP_* types.
var encapNames = [...]string{
	unix.LWTUNNEL_ENCAP_MPLS: "mpls", unix.LWTUNNEL_ENCAP_IP: "ip", unix.LWTUNNEL_ENCAP_ILA: "ila",
	unix.LWTUNNEL_ENCAP_IP6: "ip6", unix.LWTUNNEL_ENCAP_SEG6: "seg6", unix.LWTUNNEL_ENCAP_BPF: "bpf",
	unix.LWTUNNEL_ENCAP_SEG6_LOCAL: "seg6local", unix.LWTUNNEL_ENCAP_RPL: "rpl",
	unix.LWTUNNEL_ENCAP_IOAM6: "ioam6", unix.LWTUNNEL_ENCAP_XFRM: "xfrm",
}

// EncapName returns iproute2's name of an LWTUNNEL_ENCAP_* type ("seg6"),
// or the number for a type it does not know.
func EncapName(t uint16) string {
	return rtnl.Name(encapNames[:], t, "%d")
}

// EncapRaw is an encapsulation given as its type and attributes, for types
// this package has no struct for; ParseEncap returns it for those too.
type EncapRaw struct {
	Type  uint16
	Attrs nla.Chain
}

// EncapType returns r.Type.
func (r EncapRaw) EncapType() uint16 { return r.Type }

func (r EncapRaw) validate() error {
	if r.Type == 0 {
		return errors.New("no encapsulation type")
	}
	return r.Attrs.Err()
}

func (r EncapRaw) appendAttrs(b *wire.Builder) {
	if p := b.Reserve(len(r.Attrs)); p != nil {
		copy(p, r.Attrs)
	}
}

// EncapMPLS pushes an MPLS label stack ("encap mpls 100/200 ttl 10").
type EncapMPLS struct {
	// Labels, outermost first: 1 to 30 labels of 20 bits.
	Labels []uint32
	// TTL of the pushed labels; 0 leaves the kernel's choice.
	TTL uint8
}

// EncapType returns LWTUNNEL_ENCAP_MPLS.
func (EncapMPLS) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_MPLS }

func (e EncapMPLS) validate() error {
	switch {
	case len(e.Labels) == 0:
		return errors.New("no labels")
	case len(e.Labels) > maxMPLSLabels:
		return fmt.Errorf("%d labels; the kernel pushes at most %d", len(e.Labels), maxMPLSLabels)
	}
	return checkLabels(e.Labels)
}

// maxMPLSLabels is the kernel's MAX_NEW_LABELS.
const maxMPLSLabels = 30

func (e EncapMPLS) appendAttrs(b *wire.Builder) {
	b.Binary(unix.MPLS_IPTUNNEL_DST, appendLabels(nil, e.Labels))
	if e.TTL != 0 {
		b.Uint8(unix.MPLS_IPTUNNEL_TTL, e.TTL)
	}
}

// TunnelFlags are the TUNNEL_* flags of an IP tunnel key.
type TunnelFlags uint16

// The flags iproute2 sets ("csum", "key", "seq").
const (
	TunnelCsum TunnelFlags = 0x01
	TunnelKey  TunnelFlags = 0x04
	TunnelSeq  TunnelFlags = 0x08
)

// The attributes of LWTUNNEL_ENCAP_IP and LWTUNNEL_ENCAP_IP6 (enum
// lwtunnel_ip_t and lwtunnel_ip6_t, which number them alike).
const (
	lwtIPID    = 1
	lwtIPDst   = 2
	lwtIPSrc   = 3
	lwtIPTTL   = 4 // LWTUNNEL_IP6_HOPLIMIT
	lwtIPTOS   = 5 // LWTUNNEL_IP6_TC
	lwtIPFlags = 6
	lwtIPOpts  = 8
)

// EncapIP is the metadata of an IPv4 tunnel for a collect-metadata
// (external) tunnel device: "encap ip id 10 dst 192.0.2.1 ttl 64 key".
type EncapIP struct {
	// ID is the tunnel id (key, VNI); 0 is not sent.
	ID       uint64
	Dst, Src netip.Addr // IPv4
	TTL, TOS uint8
	Flags    TunnelFlags
	// Options are the LWTUNNEL_IP_OPTS attributes (geneve, vxlan or
	// erspan options), as they are sent.
	Options nla.Chain
}

// EncapType returns LWTUNNEL_ENCAP_IP.
func (EncapIP) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_IP }

func (e EncapIP) validate() error { return validateTunnelKey(true, e.Dst, e.Src, e.Options) }

func (e EncapIP) appendAttrs(b *wire.Builder) {
	appendTunnelKey(b, e.ID, e.Dst, e.Src, e.TTL, e.TOS, e.Flags, e.Options)
}

// EncapIP6 is EncapIP for an IPv6 tunnel: "encap ip6 id 10 dst 2001:db8::1
// hoplimit 64 tc 0x10".
type EncapIP6 struct {
	ID           uint64
	Dst, Src     netip.Addr // IPv6
	HopLimit, TC uint8
	Flags        TunnelFlags
	Options      nla.Chain
}

// EncapType returns LWTUNNEL_ENCAP_IP6.
func (EncapIP6) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_IP6 }

func (e EncapIP6) validate() error { return validateTunnelKey(false, e.Dst, e.Src, e.Options) }

// validateTunnelKey checks the addresses of EncapIP (is4) or EncapIP6,
// and the options.
func validateTunnelKey(is4 bool, dst, src netip.Addr, opts nla.Chain) error {
	for _, a := range []netip.Addr{dst, src} {
		switch {
		case !a.IsValid() || a.Is4() == is4:
		case is4:
			return fmt.Errorf("address %v is not IPv4 (use EncapIP6)", a)
		default:
			return fmt.Errorf("address %v is not IPv6 (use EncapIP)", a)
		}
	}
	return opts.Err()
}

func (e EncapIP6) appendAttrs(b *wire.Builder) {
	appendTunnelKey(b, e.ID, e.Dst, e.Src, e.HopLimit, e.TC, e.Flags, e.Options)
}

// appendTunnelKey writes the attributes of EncapIP and EncapIP6 in
// iproute2's order.
func appendTunnelKey(b *wire.Builder, id uint64, dst, src netip.Addr, ttl, tos uint8, flags TunnelFlags, opts nla.Chain) {
	if id != 0 {
		b.Uint64BE(lwtIPID, id)
	}
	if dst.IsValid() {
		b.Addr(lwtIPDst, dst)
	}
	if src.IsValid() {
		b.Addr(lwtIPSrc, src)
	}
	if tos != 0 {
		b.Uint8(lwtIPTOS, tos)
	}
	if ttl != 0 {
		b.Uint8(lwtIPTTL, ttl)
	}
	if len(opts) > 0 {
		n := b.BeginNest(lwtIPOpts)
		if p := b.Reserve(len(opts)); p != nil {
			copy(p, opts)
		}
		b.EndNest(n)
	}
	if flags != 0 {
		b.Uint16BE(lwtIPFlags, uint16(flags))
	}
}

// The attributes of LWTUNNEL_ENCAP_ILA (enum ILA_ATTR_*).
const (
	ilaLocator   = 1
	ilaCsumMode  = 7
	ilaIdentType = 8
	ilaHookType  = 9
)

// EncapILA rewrites the locator of an identifier-locator address: "encap
// ila 2001:0:0:1 csum-mode neutral-map". Modes and types are sent when
// their Set field is true (0 is a valid value of each).
type EncapILA struct {
	// Locator is the 64-bit locator, 2001:0:0:1 being 0x2001000000000001.
	Locator                                uint64
	CsumMode, IdentType, HookType          uint8
	CsumModeSet, IdentTypeSet, HookTypeSet bool
}

// EncapType returns LWTUNNEL_ENCAP_ILA.
func (EncapILA) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_ILA }

func (e EncapILA) validate() error { return nil }

func (e EncapILA) appendAttrs(b *wire.Builder) {
	b.Uint64BE(ilaLocator, e.Locator)
	if e.CsumModeSet {
		b.Uint8(ilaCsumMode, e.CsumMode)
	}
	if e.IdentTypeSet {
		b.Uint8(ilaIdentType, e.IdentType)
	}
	if e.HookTypeSet {
		b.Uint8(ilaHookType, e.HookType)
	}
}

// The attributes of LWTUNNEL_ENCAP_BPF (LWT_BPF_*) and of each program.
const (
	lwtBPFIn       = 1
	lwtBPFOut      = 2
	lwtBPFXmit     = 3
	lwtBPFHeadroom = 4
	lwtBPFProgFD   = 1
	lwtBPFProgName = 2
	// lwtBPFMaxHeadroom is LWT_BPF_MAX_HEADROOM.
	lwtBPFMaxHeadroom = 256
)

// BPFProg is a BPF program attached to a route: loaded by the caller
// (the bpf syscall), given by its file descriptor, and named for people.
// The kernel reports the name back, not the descriptor.
type BPFProg struct {
	// FD is the program's descriptor; 0 means no program.
	FD   int
	Name string
}

func (p BPFProg) isZero() bool { return p.FD == 0 && p.Name == "" }

func (p BPFProg) check(hook string) error {
	if p.FD < 0 || (p.FD == 0 && p.Name != "") {
		return fmt.Errorf("%s program %q has no file descriptor", hook, p.Name)
	}
	return nil
}

func (p BPFProg) append(b *wire.Builder, attr uint16) {
	if p.isZero() {
		return
	}
	n := b.BeginNest(attr)
	b.Uint32(lwtBPFProgFD, uint32(p.FD))
	// iproute2 sends the name with its NUL, as a C string.
	b.String(lwtBPFProgName, p.Name)
	b.EndNest(n)
}

// EncapBPF runs BPF programs on a route's packets: "encap bpf in obj
// F.o xmit obj G.o headroom 14".
type EncapBPF struct {
	In, Out, Xmit BPFProg
	// Headroom is what Xmit may push (at most 256 bytes); 0 is not sent.
	Headroom uint32
}

// EncapType returns LWTUNNEL_ENCAP_BPF.
func (EncapBPF) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_BPF }

func (e EncapBPF) validate() error {
	if e.In.isZero() && e.Out.isZero() && e.Xmit.isZero() {
		return errors.New("no program")
	}
	for _, p := range []struct {
		hook string
		p    BPFProg
	}{{"in", e.In}, {"out", e.Out}, {"xmit", e.Xmit}} {
		if err := p.p.check(p.hook); err != nil {
			return err
		}
	}
	if e.Headroom > lwtBPFMaxHeadroom {
		return fmt.Errorf("headroom %d exceeds %d", e.Headroom, lwtBPFMaxHeadroom)
	}
	return nil
}

func (e EncapBPF) appendAttrs(b *wire.Builder) {
	e.In.append(b, lwtBPFIn)
	e.Out.append(b, lwtBPFOut)
	e.Xmit.append(b, lwtBPFXmit)
	if e.Headroom != 0 {
		b.Uint32(lwtBPFHeadroom, e.Headroom)
	}
}

// The attributes of LWTUNNEL_ENCAP_XFRM (LWT_XFRM_*).
const (
	lwtXFRMIfID = 1
	lwtXFRMLink = 2
)

// EncapXFRM routes into an xfrm interface: "encap xfrm if_id 7 link_dev
// eth0".
type EncapXFRM struct {
	IfID uint32 // required
	Link int32  // 0: none
}

// EncapType returns LWTUNNEL_ENCAP_XFRM.
func (EncapXFRM) EncapType() uint16 { return unix.LWTUNNEL_ENCAP_XFRM }

func (e EncapXFRM) validate() error {
	if e.IfID == 0 {
		return errors.New("if_id 0")
	}
	if e.Link < 0 {
		return fmt.Errorf("link index %d", e.Link)
	}
	return nil
}

func (e EncapXFRM) appendAttrs(b *wire.Builder) {
	b.Uint32(lwtXFRMIfID, e.IfID)
	if e.Link != 0 {
		b.Uint32(lwtXFRMLink, uint32(e.Link))
	}
}

// ParseEncap decodes the encapsulation of type typ whose attributes are
// attrs, as [Route.Encap], [RouteHop] and [Nexthop.Encap] report them.
// Types this package has no struct for come back as [EncapRaw] (a copy);
// attributes a struct has no field for are ignored. It returns an error
// for a malformed payload, never panics, and its result does not alias
// attrs.
func ParseEncap(typ uint16, attrs nla.Chain) (Encap, error) {
	if err := attrs.Err(); err != nil {
		return nil, fmt.Errorf("rtm: encap %s: %w", EncapName(typ), err)
	}
	var e Encap
	var err error
	switch typ {
	case unix.LWTUNNEL_ENCAP_MPLS:
		e, err = parseMPLSEncap(attrs)
	case unix.LWTUNNEL_ENCAP_IP:
		var k tunnelKey
		k, err = parseTunnelKey(attrs)
		e = EncapIP{ID: k.id, Dst: k.dst, Src: k.src, TTL: k.ttl, TOS: k.tos, Flags: k.flags, Options: k.opts}
	case unix.LWTUNNEL_ENCAP_IP6:
		var k tunnelKey
		k, err = parseTunnelKey(attrs)
		e = EncapIP6{ID: k.id, Dst: k.dst, Src: k.src, HopLimit: k.ttl, TC: k.tos, Flags: k.flags, Options: k.opts}
	case unix.LWTUNNEL_ENCAP_ILA:
		e, err = parseILAEncap(attrs)
	case unix.LWTUNNEL_ENCAP_BPF:
		e, err = parseBPFEncap(attrs)
	case unix.LWTUNNEL_ENCAP_SEG6:
		e, err = parseSeg6Encap(attrs)
	case unix.LWTUNNEL_ENCAP_SEG6_LOCAL:
		e, err = parseSeg6LocalEncap(attrs)
	case unix.LWTUNNEL_ENCAP_RPL:
		e, err = parseRPLEncap(attrs)
	case unix.LWTUNNEL_ENCAP_IOAM6:
		e, err = parseIOAM6Encap(attrs)
	case unix.LWTUNNEL_ENCAP_XFRM:
		var x EncapXFRM
		for a := range attrs.All() {
			switch a.Kind() {
			case lwtXFRMIfID:
				x.IfID, err = a.Uint32()
			case lwtXFRMLink:
				var v uint32
				v, err = a.Uint32()
				x.Link = int32(v)
			}
			if err != nil {
				break
			}
		}
		e = x
	default:
		e = EncapRaw{Type: typ, Attrs: append(nla.Chain(nil), attrs...)}
	}
	if err != nil {
		return nil, fmt.Errorf("rtm: encap %s: %w", EncapName(typ), err)
	}
	return e, nil
}

func parseMPLSEncap(c nla.Chain) (Encap, error) {
	var e EncapMPLS
	for a := range c.All() {
		switch a.Kind() {
		case unix.MPLS_IPTUNNEL_DST:
			if len(a.Data)%4 != 0 {
				return nil, fmt.Errorf("label stack of %d bytes", len(a.Data))
			}
			e.Labels = decodeLabels(a.Data)
		case unix.MPLS_IPTUNNEL_TTL:
			v, err := a.Uint8()
			if err != nil {
				return nil, err
			}
			e.TTL = v
		}
	}
	return e, nil
}

type tunnelKey struct {
	id       uint64
	dst, src netip.Addr
	ttl, tos uint8
	flags    TunnelFlags
	opts     nla.Chain
}

func parseTunnelKey(c nla.Chain) (k tunnelKey, err error) {
	for a := range c.All() {
		switch a.Kind() {
		case lwtIPID:
			k.id, err = a.Uint64BE()
		case lwtIPDst:
			k.dst, err = a.Addr()
		case lwtIPSrc:
			k.src, err = a.Addr()
		case lwtIPTTL:
			k.ttl, err = a.Uint8()
		case lwtIPTOS:
			k.tos, err = a.Uint8()
		case lwtIPFlags:
			var f uint16
			f, err = a.Uint16BE()
			k.flags = TunnelFlags(f)
		case lwtIPOpts:
			k.opts = append(nla.Chain(nil), a.Data...)
		}
		if err != nil {
			return k, err
		}
	}
	return k, nil
}

func parseILAEncap(c nla.Chain) (Encap, error) {
	var e EncapILA
	var err error
	for a := range c.All() {
		switch a.Kind() {
		case ilaLocator:
			e.Locator, err = a.Uint64BE()
		case ilaCsumMode:
			e.CsumMode, err = a.Uint8()
			e.CsumModeSet = true
		case ilaIdentType:
			e.IdentType, err = a.Uint8()
			e.IdentTypeSet = true
		case ilaHookType:
			e.HookType, err = a.Uint8()
			e.HookTypeSet = true
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

func parseBPFProg(c nla.Chain) (BPFProg, error) {
	var p BPFProg
	for a := range c.All() {
		switch a.Kind() {
		case lwtBPFProgFD:
			v, err := a.Uint32()
			if err != nil {
				return p, err
			}
			p.FD = int(v)
		case lwtBPFProgName:
			s, err := a.Text()
			if err != nil {
				return p, err
			}
			p.Name = s
		}
	}
	return p, c.Err()
}

func parseBPFEncap(c nla.Chain) (Encap, error) {
	var e EncapBPF
	var err error
	for a := range c.All() {
		switch a.Kind() {
		case lwtBPFIn:
			e.In, err = parseBPFProg(a.Nested())
		case lwtBPFOut:
			e.Out, err = parseBPFProg(a.Nested())
		case lwtBPFXmit:
			e.Xmit, err = parseBPFProg(a.Nested())
		case lwtBPFHeadroom:
			e.Headroom, err = a.Uint32()
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Tunnel decodes the route's encapsulation (see [ParseEncap]); nil and no
// error when it has none.
func (r Route) Tunnel() (Encap, error) { return parseEncapOf(r.Encap()) }

// Tunnel decodes the hop's encapsulation (see [ParseEncap]); nil and no
// error when it has none.
func (h RouteHop) Tunnel() (Encap, error) { return parseEncapOf(h.EncapType, h.Encap) }

// Tunnel decodes the nexthop's encapsulation (see [ParseEncap]); nil and
// no error when it has none.
func (n Nexthop) Tunnel() (Encap, error) { return parseEncapOf(n.Encap()) }

func parseEncapOf(typ uint16, attrs nla.Chain) (Encap, error) {
	if typ == 0 {
		return nil, nil
	}
	return ParseEncap(typ, attrs)
}
