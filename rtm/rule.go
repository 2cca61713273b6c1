package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Rule attributes x/sys/unix lacks (linux/fib_rules.h, Linux 6.12 to
// 6.17).
const (
	fraDSCP          = 25 // FRA_DSCP: u8, the DSCP value (6 bits)
	fraFlowLabel     = 26 // FRA_FLOWLABEL: be32, IPv6 flow label
	fraFlowLabelMask = 27 // FRA_FLOWLABEL_MASK: be32
	fraSportMask     = 28 // FRA_SPORT_MASK: u16
	fraDportMask     = 29 // FRA_DPORT_MASK: u16
	fraDSCPMask      = 30 // FRA_DSCP_MASK: u8
)

// Rule is a view of one RTM_NEWRULE message: a routing policy rule. A Rule
// yielded by a dump is valid until the next iteration; Clone detaches it.
type Rule struct{ view[fibRuleHdr] }

// RuleFromBytes returns the Rule in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func RuleFromBytes(b []byte) (Rule, error) { return viewOf[Rule](&ruleMsgs, b, nil) }

// Clone returns a copy of r that owns its bytes.
func (r Rule) Clone() Rule { return Rule{r.clone()} }

// Family returns AF_INET or AF_INET6 (or RTNL_FAMILY_IPMR/IP6MR for
// multicast routing rules).
func (r Rule) Family() uint8 { return r.hdr()[0] }

// DstLen returns the destination prefix length.
func (r Rule) DstLen() int { return int(r.hdr()[1]) }

// SrcLen returns the source prefix length.
func (r Rule) SrcLen() int { return int(r.hdr()[2]) }

// TOS returns the TOS selector.
func (r Rule) TOS() uint8 { return r.hdr()[3] }

// Table returns the table the rule looks up: FRA_TABLE, which holds ids
// over 255, or the header's byte when the attribute is absent.
func (r Rule) Table() uint32 {
	if v, ok := r.u32(unix.FRA_TABLE); ok {
		return v
	}
	return uint32(r.hdr()[4])
}

// Action returns the action (unix.FR_ACT_TO_TBL, FR_ACT_GOTO, FR_ACT_NOP,
// FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT).
func (r Rule) Action() uint8 { return r.hdr()[7] }

// Flags returns the FIB_RULE_* flags: unix.FIB_RULE_INVERT ("not"),
// FIB_RULE_UNRESOLVED (a goto whose target is missing), ...
func (r Rule) Flags() uint32 { return native.Uint32(r.hdr()[8:]) }

func (r Rule) prefix(t uint16, bits int) netip.Prefix {
	a, ok := r.get(t)
	if !ok {
		return netip.Prefix{}
	}
	ip, err := a.Addr()
	if err != nil {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(ip, bits)
}

// Src returns the source prefix selector, or the zero Prefix for "from
// all".
func (r Rule) Src() netip.Prefix { return r.prefix(unix.FRA_SRC, r.SrcLen()) }

// Dst returns the destination prefix selector, or the zero Prefix.
func (r Rule) Dst() netip.Prefix { return r.prefix(unix.FRA_DST, r.DstLen()) }

// Priority returns FRA_PRIORITY, the rule's preference; absent means 0.
func (r Rule) Priority() uint32 { return r.u32or(unix.FRA_PRIORITY, 0) }

// IIFName returns FRA_IIFNAME, the input interface selector.
func (r Rule) IIFName() string { return r.text(unix.FRA_IIFNAME) }

// OIFName returns FRA_OIFNAME, the output interface selector.
func (r Rule) OIFName() string { return r.text(unix.FRA_OIFNAME) }

// Mark returns FRA_FWMARK, the firewall mark selector.
func (r Rule) Mark() uint32 { return r.u32or(unix.FRA_FWMARK, 0) }

// Mask returns FRA_FWMASK, the mask applied to the mark; the kernel
// reports 0xffffffff for a mark given without one.
func (r Rule) Mask() (uint32, bool) { return r.u32(unix.FRA_FWMASK) }

// Goto returns FRA_GOTO, the priority a FR_ACT_GOTO rule jumps to.
func (r Rule) Goto() uint32 { return r.u32or(unix.FRA_GOTO, 0) }

// Flow returns FRA_FLOW, the realms selector (IPv4): to in the low 16
// bits, from in the high 16.
func (r Rule) Flow() uint32 { return r.u32or(unix.FRA_FLOW, 0) }

// TunID returns FRA_TUN_ID, the tunnel id selector.
func (r Rule) TunID() uint64 {
	a, ok := r.get(unix.FRA_TUN_ID)
	if !ok {
		return 0
	}
	v, _ := a.Uint64BE()
	return v
}

// SuppressPrefixLen returns FRA_SUPPRESS_PREFIXLEN: a route the lookup
// found with a prefix this long or shorter is ignored.
func (r Rule) SuppressPrefixLen() (uint32, bool) { return r.optional(unix.FRA_SUPPRESS_PREFIXLEN) }

// SuppressIfGroup returns FRA_SUPPRESS_IFGROUP: a route the lookup found
// through an interface of this group is ignored.
func (r Rule) SuppressIfGroup() (uint32, bool) { return r.optional(unix.FRA_SUPPRESS_IFGROUP) }

// optional reads a u32 the kernel reports as -1 when unset.
func (r Rule) optional(t uint16) (uint32, bool) {
	v, ok := r.u32(t)
	if v == ^uint32(0) {
		return 0, false
	}
	return v, ok
}

// L3MDev reports FRA_L3MDEV: the rule looks up the table of the packet's
// L3 master device (VRF).
func (r Rule) L3MDev() bool {
	v, _ := r.u8(unix.FRA_L3MDEV)
	return v != 0
}

// UIDRange is an inclusive range of user ids (struct
// fib_rule_uid_range).
type UIDRange struct{ Start, End uint32 }

// UIDRange returns FRA_UID_RANGE.
func (r Rule) UIDRange() (UIDRange, bool) {
	a, ok := r.get(unix.FRA_UID_RANGE)
	if !ok || len(a.Data) < 8 {
		return UIDRange{}, false
	}
	return UIDRange{native.Uint32(a.Data), native.Uint32(a.Data[4:])}, true
}

// PortRange is an inclusive range of ports (struct
// fib_rule_port_range); a single port has Start == End.
type PortRange struct{ Start, End uint16 }

func (r Rule) ports(t uint16) (PortRange, bool) {
	a, ok := r.get(t)
	if !ok || len(a.Data) < 4 {
		return PortRange{}, false
	}
	return PortRange{native.Uint16(a.Data), native.Uint16(a.Data[2:])}, true
}

// SrcPorts returns FRA_SPORT_RANGE.
func (r Rule) SrcPorts() (PortRange, bool) { return r.ports(unix.FRA_SPORT_RANGE) }

// DstPorts returns FRA_DPORT_RANGE.
func (r Rule) DstPorts() (PortRange, bool) { return r.ports(unix.FRA_DPORT_RANGE) }

// SrcPortMask returns FRA_SPORT_MASK (Linux 6.15).
func (r Rule) SrcPortMask() (uint16, bool) { return r.u16(fraSportMask) }

// DstPortMask returns FRA_DPORT_MASK (Linux 6.15).
func (r Rule) DstPortMask() (uint16, bool) { return r.u16(fraDportMask) }

// Protocol returns FRA_PROTOCOL, who installed the rule (RTPROT_*).
func (r Rule) Protocol() uint8 { return r.u8or(unix.FRA_PROTOCOL, 0) }

// IPProto returns FRA_IP_PROTO, the transport protocol selector.
func (r Rule) IPProto() uint8 { return r.u8or(unix.FRA_IP_PROTO, 0) }

// DSCP returns FRA_DSCP (Linux 6.12), the DSCP selector.
func (r Rule) DSCP() (uint8, bool) { return r.u8(fraDSCP) }

// DSCPMask returns FRA_DSCP_MASK (Linux 6.17).
func (r Rule) DSCPMask() (uint8, bool) { return r.u8(fraDSCPMask) }

// FlowLabel returns FRA_FLOWLABEL and FRA_FLOWLABEL_MASK (Linux 6.13),
// the IPv6 flow label selector.
func (r Rule) FlowLabel() (label, mask uint32, ok bool) {
	a, ok := r.get(fraFlowLabel)
	if !ok {
		return 0, 0, false
	}
	label, err := a.Uint32BE()
	if m, ok := r.get(fraFlowLabelMask); ok {
		mask, _ = m.Uint32BE()
	}
	return label, mask, err == nil
}

// Get returns an attribute by pyroute2-style name ("priority", "table",
// ("uid_range", "start")).
func (r Rule) Get(path ...string) (Value, bool) {
	return r.lookup(ruleSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (r Rule) GetAll(path ...string) iter.Seq[Value] { return r.lookupAll(ruleSchema, path) }

// Attrs yields every attribute with its pyroute2-style name.
func (r Rule) Attrs() iter.Seq2[string, Value] { return schema.All(ruleSchema, r.Chain()) }

// RuleFilter selects the rules a dump returns. The kernel filters rule
// dumps by family only; the other fields are applied in user space.
type RuleFilter struct {
	// Family is AF_INET, AF_INET6, or 0 for every family (multicast
	// routing rules included). Kernel-side.
	Family uint8
	// Table keeps the rules that look up one table. User space.
	Table uint32
	// Priority keeps the rules of one priority. User space.
	Priority Opt[uint32]
	// Protocol keeps the rules installed by one protocol. User space.
	Protocol uint8
}

func (f *RuleFilter) keep(r Rule) bool {
	if f == nil {
		return true
	}
	if f.Table != 0 && r.Table() != f.Table {
		return false
	}
	if p, ok := f.Priority.Get(); ok && r.Priority() != p {
		return false
	}
	return f.Protocol == 0 || r.Protocol() == f.Protocol
}

// Rules streams the rules that f selects (every rule of every family when
// f is nil). Each Rule is valid until the next iteration; iterating
// allocates nothing per rule.
//
// Under concurrent changes: the kernel neither flags a rule dump that
// raced with a change nor resumes it where it left off (it counts
// positions), so a rule dump could repeat or skip a rule unnoticed. Rules
// therefore subscribes to rule notifications for the length of the dump
// and, when the dump spanned several datagrams, ends with an error
// matching wire.ErrDumpInterrupted if a rule of the family was added or
// removed meanwhile. Without that error, every rule present throughout
// the dump was yielded once.
func (h *Handle) Rules(ctx context.Context, f *RuleFilter) iter.Seq2[Rule, error] {
	return func(yield func(Rule, error) bool) {
		spec := watchSpec{groups: [2]Group{GroupIPv4Rule, GroupIPv6Rule}, ngroups: 2,
			types: [2]uint16{unix.RTM_NEWRULE, unix.RTM_DELRULE}}
		b, hdr := h.newRequest(unix.RTM_GETRULE, unix.NLM_F_DUMP, sizeofFibRuleHdr, 0)
		if f != nil {
			if hdr != nil {
				hdr[0] = f.Family
			}
			spec.forFamily(f.Family)
		}
		b.End()
		watch, err := h.watchDump(ctx, "rule dump", spec, b)
		if err != nil {
			yield(Rule{}, err)
			return
		}
		defer watch.close()
		done, err := h.ruleDump(ctx, b, watch, func(r Rule) bool {
			return !f.keep(r) || yield(r, nil)
		})
		if !done {
			return
		}
		if err == nil {
			err = watch.err(ctx, "rule dump")
		}
		if err != nil {
			yield(Rule{}, err)
		}
	}
}

// ruleDump runs the rule dump in b, passing each rule to each, and tells
// w how the kernel delivered it. done is false when each stopped the
// dump.
func (h *Handle) ruleDump(ctx context.Context, b *wire.Builder, w *watch, each func(Rule) bool) (done bool, err error) {
	stopped := false
	dumpOf(ctx, h, "rule dump", &ruleMsgs, b, dumpRun{stats: &w.stats, idx: &w.idx}, func(v view[fibRuleHdr], e error) bool {
		switch r := (Rule{v}); {
		case e != nil:
			err = e
		case !each(r):
			stopped = true
		default:
			return true
		}
		return false
	})
	switch {
	case err != nil:
		return true, err
	case stopped:
		return false, nil
	}
	return true, nil
}

// RuleSpec describes a policy rule to add or delete ("ip rule add from
// 10.0.0.0/8 table 100"). Fields left zero are left out of the request; on
// delete, the kernel deletes the first rule that matches every field sent.
type RuleSpec struct {
	// Family is AF_INET or AF_INET6, or RTNLFamilyIPMR or RTNLFamilyIP6MR
	// for the rules that choose a multicast routing table ("ip mrule");
	// 0 takes Src's or Dst's family, or AF_INET, as "ip rule" does.
	Family uint8
	// Priority is the rule's preference. Unset, adding lets the kernel
	// choose (one less than the priority of the rule after the first, or
	// 0), and deleting matches any.
	Priority Opt[uint32]
	// Action is FR_ACT_*; 0 means unix.FR_ACT_TO_TBL when adding
	// (unix.FR_ACT_GOTO if Goto is set), and any action when deleting.
	Action uint8
	// Table is the table a FR_ACT_TO_TBL rule looks up; 0 means main
	// when adding (unless L3MDev). It is always sent as FRA_TABLE, so
	// ids over 255 work.
	Table uint32
	// Goto is the priority a FR_ACT_GOTO rule jumps to.
	Goto uint32
	// Src and Dst select by source and destination prefix.
	Src, Dst netip.Prefix
	// Flags are FIB_RULE_* flags: unix.FIB_RULE_INVERT negates the
	// selectors ("not").
	Flags uint32
	// TOS selects by the TOS byte; DSCP (Linux 6.12) by the DSCP value,
	// under DSCPMask (Linux 6.17) if that is not zero. Not both.
	TOS      uint8
	DSCP     Opt[uint8]
	DSCPMask uint8
	// Mark selects by firewall mark under Mask; a zero Mask means all
	// bits (the kernel's default). A mark of 0 needs a Mask.
	Mark, Mask uint32
	// IIFName and OIFName select by input and output interface.
	IIFName, OIFName string
	// L3MDev looks up the table of the L3 master device (VRF) the packet
	// came in or goes out through; Table must then be 0.
	L3MDev bool
	// UIDRange selects by the socket's user id.
	UIDRange Opt[UIDRange]
	// IPProto, SrcPorts and DstPorts select by transport protocol and
	// port ranges; SrcPortMask and DstPortMask (Linux 6.15) match a port
	// under a mask instead (with Start == End).
	IPProto                  uint8
	SrcPorts, DstPorts       PortRange
	SrcPortMask, DstPortMask uint16
	// FlowLabel selects IPv6 packets by flow label under FlowLabelMask
	// (Linux 6.13), sent when the mask is not zero.
	FlowLabel, FlowLabelMask uint32
	// SuppressPrefixLen ignores lookup results with a prefix this long
	// or shorter; 0 is meaningful ("suppress_prefixlength 0" ignores
	// default routes).
	SuppressPrefixLen Opt[uint32]
	// SuppressIfGroup ignores lookup results through interfaces of this
	// group.
	SuppressIfGroup Opt[uint32]
	// Flow selects by realms (IPv4): to in the low 16 bits, from in the
	// high 16.
	Flow uint32
	// TunID selects by tunnel id (metadata tunnels).
	TunID uint64
	// Protocol records who installs the rule (FRA_PROTOCOL).
	Protocol uint8
}

func (s *RuleSpec) family() uint8 {
	switch {
	case s.Family != 0:
		return s.Family
	case s.Src.IsValid():
		return ipFamily(s.Src.Addr())
	case s.Dst.IsValid():
		return ipFamily(s.Dst.Addr())
	}
	return unix.AF_INET
}

func (s *RuleSpec) validate(add bool) error {
	// fam is the family of the addresses: a multicast rule's are of the
	// family it routes.
	fam := s.family()
	switch fam {
	case unix.AF_INET, unix.AF_INET6:
	case RTNLFamilyIPMR:
		fam = unix.AF_INET
	case RTNLFamilyIP6MR:
		fam = unix.AF_INET6
	default:
		return fmt.Errorf("family %d is neither AF_INET nor AF_INET6 (nor their multicast families)", fam)
	}
	for _, p := range []struct {
		name string
		p    netip.Prefix
	}{{"source", s.Src}, {"destination", s.Dst}} {
		if err := checkPrefix(p.name, p.p); err != nil {
			return err
		}
		switch {
		case !p.p.IsValid():
		case p.p.Addr().Is4In6():
			return fmt.Errorf("%s %v is IPv4-mapped; use the IPv4 form", p.name, p.p)
		case ipFamily(p.p.Addr()) != fam:
			return fmt.Errorf("%s %v is not of the rule's family", p.name, p.p)
		case p.p != p.p.Masked():
			return fmt.Errorf("%s %v has host bits set (did you mean %v?)", p.name, p.p, p.p.Masked())
		}
	}
	for _, n := range []string{s.IIFName, s.OIFName} {
		if len(n) >= unix.IFNAMSIZ {
			return fmt.Errorf("interface name %q longer than %d bytes", n, unix.IFNAMSIZ-1)
		}
	}
	action := s.action(add)
	switch {
	case action > unix.FR_ACT_PROHIBIT || action == unix.FR_ACT_RES3 || action == unix.FR_ACT_RES4:
		return fmt.Errorf("unknown action %d", action)
	case action == unix.FR_ACT_GOTO && s.Goto == 0 && add:
		return errors.New("a goto rule needs the priority to go to (Goto)")
	case s.Goto != 0 && action != unix.FR_ACT_GOTO && action != 0:
		return fmt.Errorf("a goto target with action %d", action)
	case s.L3MDev && s.Table != 0:
		return errors.New("an l3mdev rule takes its table from the device; Table must be 0")
	}
	if d, ok := s.DSCP.Get(); ok {
		if d >= 64 || s.DSCPMask >= 64 {
			return fmt.Errorf("DSCP %d (mask %d) exceeds 6 bits", d, s.DSCPMask)
		}
		if s.TOS != 0 {
			return errors.New("TOS and DSCP are exclusive")
		}
	} else if s.DSCPMask != 0 {
		return errors.New("DSCPMask without DSCP")
	}
	if u, ok := s.UIDRange.Get(); ok && u.Start > u.End {
		return fmt.Errorf("UID range %d-%d is empty", u.Start, u.End)
	}
	for _, p := range []struct {
		name string
		r    PortRange
		mask uint16
	}{{"source", s.SrcPorts, s.SrcPortMask}, {"destination", s.DstPorts, s.DstPortMask}} {
		if p.r == (PortRange{}) {
			if p.mask != 0 {
				return fmt.Errorf("%s port mask without a port", p.name)
			}
			continue
		}
		if p.r.Start == 0 || p.r.Start > p.r.End {
			return fmt.Errorf("%s port range %d-%d is invalid", p.name, p.r.Start, p.r.End)
		}
		if p.mask != 0 && p.r.Start != p.r.End {
			return fmt.Errorf("%s port mask with a range; give one port", p.name)
		}
	}
	if s.FlowLabelMask != 0 || s.FlowLabel != 0 {
		switch {
		case fam != unix.AF_INET6:
			return errors.New("flow labels are IPv6 only")
		case s.FlowLabel >= 1<<20 || s.FlowLabelMask >= 1<<20:
			return fmt.Errorf("flow label %#x/%#x exceeds 20 bits", s.FlowLabel, s.FlowLabelMask)
		case s.FlowLabelMask == 0:
			return errors.New("a flow label needs a FlowLabelMask")
		case s.FlowLabel&^s.FlowLabelMask != 0:
			return fmt.Errorf("flow label %#x has bits outside its mask %#x", s.FlowLabel, s.FlowLabelMask)
		}
	}
	return nil
}

// action returns the action sent: iproute2's default of FR_ACT_TO_TBL
// for adds.
func (s *RuleSpec) action(add bool) uint8 {
	switch {
	case s.Action != 0 || !add:
		return s.Action
	case s.Goto != 0:
		return unix.FR_ACT_GOTO
	}
	return unix.FR_ACT_TO_TBL
}

// encode writes an RTM_NEWRULE or RTM_DELRULE request for s, laid out as
// "ip rule" lays it out.
func (s *RuleSpec) encode(b *wire.Builder, typ, flags uint16) error {
	add := typ == unix.RTM_NEWRULE
	if err := s.validate(add); err != nil {
		return err
	}
	action := s.action(add)
	table := s.Table
	if add && table == 0 && action == unix.FR_ACT_TO_TBL && !s.L3MDev {
		table = unix.RT_TABLE_MAIN
	}
	b.Begin(typ, flags)
	if hdr := b.Fixed(sizeofFibRuleHdr); hdr != nil {
		var dstLen uint8
		if s.Dst.IsValid() {
			dstLen = uint8(s.Dst.Bits())
		}
		putRouteHeader(hdr, s.family(), dstLen, s.Src, s.TOS, table, s.Flags)
		hdr[7] = action
	}
	if p, ok := s.Priority.Get(); ok {
		b.Uint32(unix.FRA_PRIORITY, p)
	}
	if s.Src.IsValid() {
		b.Addr(unix.FRA_SRC, s.Src.Addr())
	}
	if s.Dst.IsValid() {
		b.Addr(unix.FRA_DST, s.Dst.Addr())
	}
	if s.Mark != 0 || s.Mask != 0 {
		b.Uint32(unix.FRA_FWMARK, s.Mark)
		putU32(b, unix.FRA_FWMASK, s.Mask)
	}
	if d, ok := s.DSCP.Get(); ok {
		b.Uint8(fraDSCP, d)
		putU8(b, fraDSCPMask, s.DSCPMask)
	}
	if s.FlowLabelMask != 0 {
		b.Uint32BE(fraFlowLabel, s.FlowLabel)
		b.Uint32BE(fraFlowLabelMask, s.FlowLabelMask)
	}
	putU32(b, unix.FRA_FLOW, s.Flow)
	if s.TunID != 0 {
		b.Uint64BE(unix.FRA_TUN_ID, s.TunID)
	}
	putU32(b, unix.FRA_TABLE, table)
	putOpt(b.Uint32, unix.FRA_SUPPRESS_PREFIXLEN, s.SuppressPrefixLen)
	putOpt(b.Uint32, unix.FRA_SUPPRESS_IFGROUP, s.SuppressIfGroup)
	if s.IIFName != "" {
		b.String(unix.FRA_IIFNAME, s.IIFName)
	}
	if s.OIFName != "" {
		b.String(unix.FRA_OIFNAME, s.OIFName)
	}
	if s.L3MDev {
		b.Uint8(unix.FRA_L3MDEV, 1)
	}
	if u, ok := s.UIDRange.Get(); ok {
		var r [8]byte
		native.PutUint32(r[:], u.Start)
		native.PutUint32(r[4:], u.End)
		b.Binary(unix.FRA_UID_RANGE, r[:])
	}
	putU8(b, unix.FRA_PROTOCOL, s.Protocol)
	putU8(b, unix.FRA_IP_PROTO, s.IPProto)
	encodePorts(b, unix.FRA_SPORT_RANGE, fraSportMask, s.SrcPorts, s.SrcPortMask)
	encodePorts(b, unix.FRA_DPORT_RANGE, fraDportMask, s.DstPorts, s.DstPortMask)
	putU32(b, unix.FRA_GOTO, s.Goto)
	b.End()
	return nil
}

func encodePorts(b *wire.Builder, typ, maskType uint16, r PortRange, mask uint16) {
	if r == (PortRange{}) {
		return
	}
	var v [4]byte
	native.PutUint16(v[:], r.Start)
	native.PutUint16(v[2:], r.End)
	b.Binary(typ, v[:])
	if mask != 0 {
		b.Uint16(maskType, mask)
	}
}

func (s *RuleSpec) opName(op string) string {
	if p, ok := s.Priority.Get(); ok {
		return fmt.Sprintf("%s priority %d", op, p)
	}
	return op
}

// putRouteHeader writes what rtmsg and fib_rule_hdr, which mirrors it,
// share: the family, the prefix lengths, the TOS, the table when it fits
// in a byte (RTA_TABLE, FRA_TABLE carry it whole) and the flags.
func putRouteHeader(h []byte, family, dstLen uint8, src netip.Prefix, tos uint8, table, flags uint32) {
	h[0], h[1] = family, dstLen
	if src.IsValid() {
		h[2] = uint8(src.Bits())
	}
	h[3] = tos
	if table < 256 {
		h[4] = uint8(table)
	}
	native.PutUint32(h[8:], flags)
}

// ruleAddFlags are the flags of "ip rule add". The kernel has no replace
// for rules: without NLM_F_EXCL it would add a duplicate.
const ruleAddFlags = unix.NLM_F_CREATE | unix.NLM_F_EXCL

// The rule changes.
var (
	ruleAddOp = change{"rule add", unix.RTM_NEWRULE, ruleAddFlags}
	ruleDelOp = change{"rule del", unix.RTM_DELRULE, 0}
)

type ruleRequest = specRequest[RuleSpec, *RuleSpec]

// RuleAdd is the request to add a rule; EEXIST if an identical one exists
// ("ip rule add").
func RuleAdd(s RuleSpec) Request { return &ruleRequest{ruleAddOp, s} }

// RuleDel is the request to delete the first rule matching every field s
// sets; ENOENT if none does ("ip rule del").
func RuleDel(s RuleSpec) Request { return &ruleRequest{ruleDelOp, s} }

// RuleAdd adds a rule; EEXIST if an identical one exists.
func (h *Handle) RuleAdd(ctx context.Context, s RuleSpec) error { return h.Do(ctx, RuleAdd(s)) }

// RuleDel deletes the first rule matching every field s sets; ENOENT if
// none does.
func (h *Handle) RuleDel(ctx context.Context, s RuleSpec) error { return h.Do(ctx, RuleDel(s)) }

// RuleAdd adds a rule-add request.
func (bt *Batch) RuleAdd(s RuleSpec) error { return bt.queue(ruleAddOp, s.encode) }

// RuleDel adds a rule-delete request.
func (bt *Batch) RuleDel(s RuleSpec) error { return bt.queue(ruleDelOp, s.encode) }
