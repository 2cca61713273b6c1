package main

// The printing of "ipr xfrm": iproute2 6.1's ipxfrm.c
// (xfrm_state_info_print, xfrm_policy_info_print and their helpers), in
// text (ip xfrm has no JSON).

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// xfrmPrinter writes one object as ip does: sl is _SL_, "\n" or, with
// -o, "\\"; stats is -s's level.
type xfrmPrinter struct {
	e     *env
	b     strings.Builder
	sl    string
	stats int
}

func newXfrmPrinter(e *env) *xfrmPrinter {
	p := &xfrmPrinter{e: e, sl: "\n", stats: e.Stats.level}
	if e.Oneline {
		p.sl = "\\"
	}
	return p
}

func (p *xfrmPrinter) f(format string, args ...any) { fmt.Fprintf(&p.b, format, args...) }

// flush writes what was printed, ending a -o line.
func (p *xfrmPrinter) flush() {
	if p.e.Oneline {
		p.b.WriteString("\n")
	}
	p.e.Stdout.Write([]byte(p.b.String()))
	p.b.Reset()
}

// xfrmAddr is rt_addr_n2a of an xfrm_address_t of family fam.
func xfrmAddr(a netip.Addr, fam uint16) string {
	switch {
	case a.IsValid():
		return a.String()
	case fam == unix.AF_INET6:
		return "::"
	case fam == unix.AF_INET:
		return "0.0.0.0"
	}
	return "???"
}

// id is xfrm_id_info_print.
func (p *xfrmPrinter) id(src, dst netip.Addr, fam uint16, proto xfrm.Proto, spi uint32, mode xfrm.Mode, reqid uint32, forceSPI bool, prefix, title string) {
	p.b.WriteString(title)
	p.f("src %s ", xfrmAddr(src, fam))
	p.f("dst %s%s", xfrmAddr(dst, fam), p.sl)
	p.b.WriteString(prefix)
	p.f("\tproto %s ", proto)
	if p.stats > 0 || forceSPI || spi != 0 {
		p.f("spi 0x%08x", spi)
		if p.stats > 0 {
			p.f("(%d)", spi)
		}
		p.b.WriteString(" ")
	}
	p.f("reqid %d", reqid)
	if p.stats > 0 {
		p.f("(0x%08x)", reqid)
	}
	p.f(" mode %s%s", mode, p.sl)
}

func xfrmLimit(v uint64) string {
	if v == 0 {
		// The views read XFRM_INF as no limit (0).
		return "(INF)"
	}
	return fmt.Sprint(v)
}

// xfrmTime is strxf_time: local time, "-" for 0.
func xfrmTime(t uint64) string {
	if t == 0 {
		return "-"
	}
	return time.Unix(int64(t), 0).Format("2006-01-02 15:04:05")
}

// lifetime is xfrm_lifetime_print.
func (p *xfrmPrinter) lifetime(l xfrm.Lifetime, c xfrm.Current, prefix string) {
	p.f("%slifetime config:%s", prefix, p.sl)
	p.f("%s  limit: soft %s(bytes), hard %s(bytes)%s", prefix, xfrmLimit(l.SoftBytes), xfrmLimit(l.HardBytes), p.sl)
	p.f("%s  limit: soft %s(packets), hard %s(packets)%s", prefix, xfrmLimit(l.SoftPackets), xfrmLimit(l.HardPackets), p.sl)
	p.f("%s  expire add: soft %d(sec), hard %d(sec)%s", prefix, l.SoftAddSeconds, l.HardAddSeconds, p.sl)
	p.f("%s  expire use: soft %d(sec), hard %d(sec)%s", prefix, l.SoftUseSeconds, l.HardUseSeconds, p.sl)
	p.f("%slifetime current:%s", prefix, p.sl)
	p.f("%s  %d(bytes), %d(packets)%s", prefix, c.Bytes, c.Packets, p.sl)
	p.f("%s  add %s use %s%s", prefix, xfrmTime(c.AddTime), xfrmTime(c.UseTime), p.sl)
}

// selector is xfrm_selector_print; fam stands in for a selector
// without a family.
func (p *xfrmPrinter) selector(sel xfrm.Selector, fam uint16, prefix string) {
	f := sel.Family
	if f == 0 {
		f = fam
	}
	p.b.WriteString(prefix)
	pfx := func(q netip.Prefix) (string, int) {
		if !q.IsValid() {
			return xfrmAddr(netip.Addr{}, f), 0
		}
		return q.Addr().String(), q.Bits()
	}
	a, n := pfx(sel.Src)
	p.f("src %s/%d ", a, n)
	a, n = pfx(sel.Dst)
	p.f("dst %s/%d ", a, n)
	if sel.Proto != 0 {
		p.f("proto %s ", xfrmUpspecName(sel.Proto))
	}
	switch sel.Proto {
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6:
		if sel.SrcPortMask != 0 {
			p.f("type %d ", sel.SrcPort)
		}
		if sel.DstPortMask != 0 {
			p.f("code %d ", sel.DstPort)
		}
	case unix.IPPROTO_GRE:
		if sel.SrcPortMask != 0 || sel.DstPortMask != 0 {
			p.f("key %d ", uint32(sel.SrcPort)<<16+uint32(sel.DstPort))
		}
	case unix.IPPROTO_MH:
		if sel.SrcPortMask != 0 {
			p.f("type %d ", sel.SrcPort)
		}
		if sel.DstPortMask != 0 && p.stats > 0 {
			p.f("(dport) 0x%.4x ", sel.DstPort>>8|sel.DstPort<<8)
		}
	default:
		if sel.SrcPortMask != 0 {
			p.f("sport %d ", sel.SrcPort)
		}
		if sel.DstPortMask != 0 {
			p.f("dport %d ", sel.DstPort)
		}
	}
	if sel.Ifindex > 0 {
		p.f("dev %s ", p.e.linkName(sel.Ifindex))
	}
	if p.stats > 0 {
		p.f("uid %d", sel.UID)
	}
	p.b.WriteString(p.sl)
}

// algo is __xfrm_algo_print with its callers' endings.
func (p *xfrmPrinter) algo(typ string, a xfrm.AlgoView, nokeys bool, prefix, tail string) {
	p.f("%s%s %s ", prefix, typ, a.NameBytes())
	key := a.Key()
	switch {
	case len(key) < int(a.KeyBits()/8):
		p.b.WriteString("(ERROR truncated)")
	case nokeys:
		p.b.WriteString("<<Keys hidden>>")
	case len(key) > 0:
		p.f("0x%x", key[:a.KeyBits()/8])
		if p.stats > 0 {
			p.f(" (%d bits)", a.KeyBits())
		}
	}
	p.b.WriteString(tail)
	p.b.WriteString(p.sl)
}

// attrs is xfrm_xfrma_print over what a state's or a policy's view
// reports (mark, set mark, algorithms, encap, templates, coa, lastused,
// replay, offload, if_id, tfcpad); fam is the object's family.
type xfrmAttrs struct {
	mark, setMark     *xfrm.Mark
	auth, aead, crypt *xfrm.AlgoView
	comp              *xfrm.AlgoView
	encap             *xfrm.Encap
	pol               *xfrm.PolicyView
	coa               *netip.Addr
	lastUsed          *uint64
	replay            *xfrm.Replay
	st                *xfrm.StateView
	offload           *xfrm.Offload
	ifID, tfcpad      *uint32
	hasAuthTrunc      bool
}

func (p *xfrmPrinter) attrs(x *xfrmAttrs, fam uint16, prefix string, nokeys bool) {
	outMark := func() {
		p.f("output-mark 0x%x", x.setMark.Value)
		if x.setMark.Mask != 0 {
			p.f("/0x%x", x.setMark.Mask)
		}
	}
	if x.mark != nil {
		p.f("\tmark %s/%s ", cHex(uint64(x.mark.Value)), cHex(uint64(x.mark.Mask)))
		if x.setMark != nil {
			outMark()
		}
		p.b.WriteString(p.sl)
	} else if x.setMark != nil {
		p.b.WriteString("\t")
		outMark()
		p.b.WriteString(p.sl)
	}
	if x.auth != nil {
		if x.hasAuthTrunc {
			p.algo("auth-trunc", *x.auth, nokeys, prefix, fmt.Sprintf(" %d", x.auth.TruncBits()))
		} else {
			p.algo("auth", *x.auth, nokeys, prefix, "")
		}
	}
	if x.aead != nil {
		p.algo("aead", *x.aead, nokeys, prefix, fmt.Sprintf(" %d", x.aead.ICVBits()))
	}
	if x.crypt != nil {
		p.algo("enc", *x.crypt, nokeys, prefix, "")
	}
	if x.comp != nil {
		p.algo("comp", *x.comp, nokeys, prefix, "")
	}
	if e := x.encap; e != nil {
		p.f("%sencap type ", prefix)
		switch e.Type {
		case xfrm.EncapESPInUDPNonIKE:
			p.b.WriteString("espinudp-nonike ")
		case xfrm.EncapESPInUDP:
			p.b.WriteString("espinudp ")
		case xfrm.EncapESPInTCP:
			p.b.WriteString("espintcp ")
		default:
			p.f("%d ", e.Type)
		}
		p.f("sport %d dport %d addr %s%s", e.SrcPort, e.DstPort, xfrmAddr(e.OrigAddr, fam), p.sl)
	}
	if v := x.pol; v != nil {
		if _, ok := v.Attrs().Get(5); ok {
			p.templates(*v, prefix)
		}
	}
	if x.coa != nil {
		p.f("%scoa %s%s", prefix, xfrmAddr(*x.coa, fam), p.sl)
	}
	if x.lastUsed != nil {
		p.f("%slastused %s%s", prefix, xfrmTime(*x.lastUsed), p.sl)
	}
	if r := x.replay; r != nil {
		p.f("%santi-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x%s", prefix, r.Seq, r.OSeq, r.Bitmap, p.sl)
	}
	if v := x.st; v != nil {
		if r, ok := v.ReplayESN(); ok {
			_, words := v.ReplayESNBitmap(0)
			p.f("%santi-replay esn context:%s", prefix, p.sl)
			p.f("%s seq-hi 0x%x, seq 0x%x, oseq-hi 0x%x, oseq 0x%x%s", prefix, r.SeqHi, r.Seq, r.OSeqHi, r.OSeq, p.sl)
			p.f("%s replay_window %d, bitmap-length %d", prefix, r.Window, words)
			for i, j := words, 0; i > 0; i-- {
				if j%8 == 0 {
					p.f("%s%s ", p.sl, prefix)
				}
				j++
				w, _ := v.ReplayESNBitmap(i - 1)
				p.f("%08x ", w)
			}
			p.b.WriteString(p.sl)
		}
	}
	if o := x.offload; o != nil {
		dir := "out"
		if o.Flags&2 != 0 {
			dir = "in"
		}
		p.f("%scrypto offload parameters: dev %s dir %s%s", prefix, p.e.linkName(o.Ifindex), dir, p.sl)
	}
	if x.ifID != nil {
		p.f("%sif_id %s%s", prefix, cHex(uint64(*x.ifID)), p.sl)
	}
	if x.tfcpad != nil {
		p.f("%stfcpad %d%s", prefix, *x.tfcpad, p.sl)
	}
}

// templates is xfrm_tmpl_print.
func (p *xfrmPrinter) templates(v xfrm.PolicyView, prefix string) {
	n := v.NumTemplates()
	if n == 0 {
		p.f("%s(ERROR \"tmpl\" truncated)%s", prefix, p.sl)
		return
	}
	for i := range n {
		t, _ := v.Template(i)
		p.b.WriteString(prefix)
		p.id(t.Src, t.Dst, v.TemplateFamily(i), t.Proto, t.SPI, t.Mode, t.Reqid, false, prefix, "tmpl ")
		if p.stats > 0 || t.Optional {
			p.f("%s\t", prefix)
			switch {
			case t.Optional:
				p.b.WriteString("level use ")
			case p.stats > 0:
				p.b.WriteString("level required ")
			}
			if p.stats > 0 {
				p.f("share %s ", xfrmShare(t.Share))
			}
			p.b.WriteString(p.sl)
		}
		if p.stats > 0 {
			p.f("%s\tenc-mask %08x auth-mask %08x comp-mask %08x%s", prefix, t.CryptAlgos, t.AuthAlgos, t.CompAlgos, p.sl)
		}
	}
}

// xfrmShare is strxf_share.
func xfrmShare(s uint8) string { return xfrmName(s, "any", "session", "user", "unique") }

// xfrmName returns names[v], or v as a number past them.
func xfrmName(v uint8, names ...string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprint(v)
}

// flags8 is strxf_mask8.
func flags8(v uint8) string { return fmt.Sprintf("%08b", v) }

// flagWords prints the names of the bits of v that names has, in order,
// then the rest in hex, as XFRM_FLAG_PRINT does (a space between).
func (p *xfrmPrinter) flagWords(v uint32, names []string) {
	for i, n := range names {
		if bit := uint32(1) << i; v&bit != 0 {
			v &^= bit
			p.b.WriteString(n)
			if v != 0 {
				p.b.WriteString(" ")
			}
		}
	}
	if v != 0 {
		p.f("%x", v)
	}
}

// state is xfrm_state_info_print.
func (p *xfrmPrinter) state(v xfrm.StateView, nokeys bool) {
	proto := v.Proto()
	ipsec := proto == xfrm.ProtoESP || proto == xfrm.ProtoAH || proto == xfrm.ProtoComp
	fam := v.Family()
	p.id(v.Src(), v.Dst(), fam, proto, v.SPI(), v.Mode(), v.Reqid(), ipsec, "", "")
	const buf = "\t"
	p.f("%sreplay-window %d ", buf, v.ReplayWindow())
	if p.stats > 0 {
		p.f("seq 0x%08d ", v.Seq())
	}
	if p.stats > 0 || v.Flags() != 0 {
		p.b.WriteString("flag ")
		p.flagWords(uint32(v.Flags()), []string{"noecn", "decap-dscp", "nopmtudisc", "wildrecv", "icmp", "af-unspec", "align4", "esn"})
	}
	if x, ok := v.ExtraFlags(); ok && p.stats > 0 {
		p.b.WriteString("extra_flag ")
		p.flagWords(x, []string{"dont-encap-dscp", "oseq-may-wrap"})
	}
	if p.stats > 0 {
		p.f(" (0x%s)", flags8(uint8(v.Flags())))
	}
	p.b.WriteString(p.sl)
	x := xfrmAttrs{st: &v}
	x.mark = ptr(v.Mark())
	x.setMark = ptr(v.SetMark())
	if a, ok := v.Auth(); ok {
		x.auth = &a
		x.hasAuthTrunc = a.TruncBits() != 0 || hasAttr(v, 20)
	}
	x.aead = ptr(v.AEAD())
	x.crypt = ptr(v.Crypt())
	x.comp = ptr(v.Comp())
	x.encap = ptr(v.Encap())
	x.coa = ptr(v.CoAddr())
	x.lastUsed = ptr(v.LastUsed())
	x.replay = ptr(v.Replay())
	x.offload = ptr(v.Offload())
	x.ifID = ptr(v.IfID())
	x.tfcpad = ptr(v.TFCPad())
	p.attrs(&x, fam, buf, nokeys)
	if sel := v.Selector(); sel != (xfrm.Selector{}) && !zeroSelector(sel) {
		p.selector(sel, fam, buf+"sel ")
	}
	if p.stats > 0 {
		p.lifetime(v.Lifetime(), v.Current(), buf)
		s := v.Stats()
		p.f("%sstats:%s", buf, p.sl)
		p.f("%s  replay-window %d replay %d failed %d%s", buf, s.ReplayWindow, s.Replay, s.IntegrityFailed, p.sl)
	}
	if ctx, _, _, ok := v.SecCtx(); ok {
		p.f("\tsecurity context %s %s", ctx, p.sl)
	}
}

// ptr returns a pointer to v when ok, else nil.
func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// zeroSelector reports whether sel's struct is all zeros (a view gives a
// selector with no family its SA's family for its addresses).
func zeroSelector(sel xfrm.Selector) bool {
	zp := func(q netip.Prefix) bool { return !q.IsValid() || q.Bits() == 0 && q.Addr().IsUnspecified() }
	return sel.Family == 0 && zp(sel.Src) && zp(sel.Dst) && sel.Proto == 0 && sel.SrcPort == 0 && sel.DstPort == 0 &&
		sel.SrcPortMask == 0 && sel.DstPortMask == 0 && sel.Ifindex == 0 && sel.UID == 0
}

func hasAttr(v xfrm.StateView, typ uint16) bool {
	_, ok := v.Attrs().Get(typ)
	return ok
}

// policy is xfrm_policy_info_print; fam is -f's.
func (p *xfrmPrinter) policy(v xfrm.PolicyView, fam uint16) { p.policyAt(v, fam, "", "") }

// policyAt is xfrm_policy_info_print with its prefix and title (an
// acquire's policy).
func (p *xfrmPrinter) policyAt(v xfrm.PolicyView, fam uint16, prefix, title string) {
	sel := v.Selector()
	p.selector(sel, fam, title)
	if ctx, _, _, ok := v.SecCtx(); ok {
		p.f("\tsecurity context %s %s", ctx, p.sl)
	}
	buf := prefix + "\t"
	p.b.WriteString(buf)
	dir := v.Dir()
	if dir >= 3 {
		dir -= 3
		p.b.WriteString("socket ")
	} else {
		p.b.WriteString("dir ")
	}
	p.f("%s ", dir)
	if a := v.Action(); a != xfrm.ActionAllow || p.stats > 0 {
		p.f("action %s ", xfrmName(uint8(a), "allow", "block"))
	}
	if p.stats > 0 {
		p.f("index %d ", v.Index())
	}
	p.f("priority %d ", v.Priority())
	if t, ok := v.Type(); ok {
		p.f("ptype %s ", xfrmName(uint8(t), "main", "sub"))
	}
	if p.stats > 0 {
		p.f("share %s ", xfrmShare(v.Share()))
	}
	if p.stats > 0 || v.Flags() != 0 {
		p.b.WriteString("flag ")
		p.flagWords(uint32(v.Flags()), []string{"localok", "icmp"})
	}
	if p.stats > 0 {
		p.f(" (0x%s)", flags8(v.Flags()))
	}
	p.b.WriteString(p.sl)
	if p.stats > 0 {
		p.lifetime(v.Lifetime(), v.Current(), buf)
	}
	x := xfrmAttrs{pol: &v}
	x.mark = ptr(v.Mark())
	x.offload = ptr(v.Offload())
	x.ifID = ptr(v.IfID())
	p.attrs(&x, sel.Family, buf, false)
}
