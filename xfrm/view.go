package xfrm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// native is the kernel's byte order for host-order fields.
var native = binary.NativeEndian

// addrAt returns the xfrm_address_t at b of family fam (an invalid Addr
// for another family).
func addrAt(b []byte, fam uint16) netip.Addr {
	switch fam {
	case unix.AF_INET:
		return netip.AddrFrom4([4]byte(b[:4]))
	case unix.AF_INET6:
		return netip.AddrFrom16([16]byte(b[:16]))
	}
	return netip.Addr{}
}

// selectorAt decodes the struct xfrm_selector at b; a selector with no
// family has its addresses in family def (an SA's), as the kernel reads
// it, and keeps Family zero.
func selectorAt(b []byte, def uint16) Selector {
	fam := native.Uint16(b[selFamily:])
	sel := Selector{
		Family:      fam,
		Proto:       b[selProto],
		DstPort:     binary.BigEndian.Uint16(b[selDport:]),
		DstPortMask: binary.BigEndian.Uint16(b[selDportMask:]),
		SrcPort:     binary.BigEndian.Uint16(b[selSport:]),
		SrcPortMask: binary.BigEndian.Uint16(b[selSportMask:]),
		Ifindex:     int32(native.Uint32(b[selIfindex:])),
		UID:         native.Uint32(b[selUser:]),
	}
	if fam == unix.AF_UNSPEC {
		fam = def
	}
	if a := addrAt(b[selDaddr:], fam); a.IsValid() {
		sel.Dst = netip.PrefixFrom(a, int(b[selPrefixlenD]))
	}
	if a := addrAt(b[selSaddr:], fam); a.IsValid() {
		sel.Src = netip.PrefixFrom(a, int(b[selPrefixlenS]))
	}
	return sel
}

// lifetimeAt decodes the struct xfrm_lifetime_cfg at b, as the kernel
// holds it (XFRM_INF for no limit: see Lifetime).
func lifetimeAt(b []byte) Lifetime {
	v := func(i int) uint64 { return native.Uint64(b[8*i:]) }
	lim := func(i int) uint64 {
		if x := v(i); x != xfrmInf {
			return x
		}
		return 0
	}
	return Lifetime{SoftBytes: lim(0), HardBytes: lim(1), SoftPackets: lim(2), HardPackets: lim(3),
		SoftAddSeconds: v(4), HardAddSeconds: v(5), SoftUseSeconds: v(6), HardUseSeconds: v(7)}
}

// currentAt decodes the struct xfrm_lifetime_cur at b.
func currentAt(b []byte) Current {
	return Current{Bytes: native.Uint64(b), Packets: native.Uint64(b[8:]), AddTime: native.Uint64(b[16:]), UseTime: native.Uint64(b[24:])}
}

// attrAt returns attribute typ of c when it holds at least n bytes.
func attrAt(c nla.Chain, typ uint16, n int) ([]byte, bool) {
	a, ok := c.Get(typ)
	if !ok || len(a.Data) < n {
		return nil, false
	}
	return a.Data, true
}

// AlgoView is an algorithm attribute of an SA (struct xfrm_algo,
// xfrm_algo_auth or xfrm_algo_aead), aliasing the message.
type AlgoView struct {
	b   []byte
	hdr int // size before the key
	typ uint16
}

// algoView returns attribute typ of c as an AlgoView.
func algoView(c nla.Chain, typ uint16) (AlgoView, bool) {
	hdr := sizeofAlgo
	if typ == attrAlgAuthTrunc || typ == attrAlgAEAD {
		hdr = sizeofAlgoAuth
	}
	b, ok := attrAt(c, typ, hdr)
	if !ok {
		return AlgoView{}, false
	}
	return AlgoView{b: b, hdr: hdr, typ: typ}, true
}

// NameBytes returns the algorithm's name, aliasing the message.
func (a AlgoView) NameBytes() []byte {
	n := a.b[:algoNameLen]
	if i := bytes.IndexByte(n, 0); i >= 0 {
		n = n[:i]
	}
	return n
}

// Name returns the algorithm's name.
func (a AlgoView) Name() string { return string(a.NameBytes()) }

// KeyBits returns the key's length in bits.
func (a AlgoView) KeyBits() uint32 { return native.Uint32(a.b[algoNameLen:]) }

// Key returns the key, aliasing the message (up to the attribute's end
// if it is shorter than KeyBits says).
func (a AlgoView) Key() []byte {
	k := a.b[a.hdr:]
	if n := int(a.KeyBits()+7) / 8; n < len(k) {
		k = k[:n]
	}
	return k
}

// TruncBits returns the truncation length of an XFRMA_ALG_AUTH_TRUNC,
// else 0.
func (a AlgoView) TruncBits() uint32 {
	if a.typ != attrAlgAuthTrunc {
		return 0
	}
	return native.Uint32(a.b[sizeofAlgo:])
}

// ICVBits returns the ICV length of an XFRMA_ALG_AEAD, else 0.
func (a AlgoView) ICVBits() uint32 {
	if a.typ != attrAlgAEAD {
		return 0
	}
	return native.Uint32(a.b[sizeofAlgo:])
}

// Algo returns a copy of the algorithm.
func (a AlgoView) Algo() *Algo {
	alg := &Algo{Name: a.Name(), KeyBits: a.KeyBits(), TruncBits: a.TruncBits(), ICVBits: a.ICVBits()}
	if k := a.Key(); len(k) > 0 {
		alg.Key = bytes.Clone(k)
	}
	return alg
}

// view is a message's fixed struct and its attributes.
type view struct {
	b     []byte
	attrs nla.Chain
}

// split checks that m's data holds a fixed struct of size bytes, a
// what, and returns it and the attributes after it.
func split(m wire.Message, size int, what string) (view, error) {
	if len(m.Data) < size {
		return view{}, fmt.Errorf("xfrm: %s message of %d bytes: %w", what, len(m.Data), wire.ErrMalformed)
	}
	return view{b: m.Data[:size], attrs: nla.Chain(m.Data[size:])}, nil
}

// Attrs returns the attributes of the SA or policy.
func (v view) Attrs() nla.Chain { return v.attrs }

// StateView is an SA as the kernel reports it (struct xfrm_usersa_info
// and attributes), read in place: it aliases the receive buffer and is
// valid only until the dump moves on. [StateView.State] copies it.
type StateView struct{ view }

// newStateView checks that m carries an xfrm_usersa_info.
func newStateView(m wire.Message) (StateView, error) {
	v, err := split(m, sizeofUsersaInfo, "sa")
	return StateView{v}, err
}

// Family returns the SA's address family (AF_INET or AF_INET6).
func (v StateView) Family() uint16 { return native.Uint16(v.b[saFamily:]) }

// Src returns the SA's source address.
func (v StateView) Src() netip.Addr { return addrAt(v.b[saSaddr:], v.Family()) }

// Dst returns the SA's destination address.
func (v StateView) Dst() netip.Addr { return addrAt(v.b[saID+idDaddr:], v.Family()) }

// Proto returns the SA's protocol.
func (v StateView) Proto() Proto { return Proto(v.b[saID+idProto]) }

// SPI returns the SA's security parameter index.
func (v StateView) SPI() uint32 { return binary.BigEndian.Uint32(v.b[saID+idSPI:]) }

// Mode returns the SA's mode.
func (v StateView) Mode() Mode { return Mode(v.b[saMode]) }

// Reqid returns the SA's request id.
func (v StateView) Reqid() uint32 { return native.Uint32(v.b[saReqid:]) }

// Seq returns xfrm_usersa_info.seq.
func (v StateView) Seq() uint32 { return native.Uint32(v.b[saSeq:]) }

// ReplayWindow returns the replay window of the fixed header.
func (v StateView) ReplayWindow() uint8 { return v.b[saReplayWindow] }

// Flags returns the SA's flags.
func (v StateView) Flags() StateFlags { return StateFlags(v.b[saFlags]) }

// Selector returns the SA's selector.
func (v StateView) Selector() Selector { return selectorAt(v.b[saSel:], v.Family()) }

// Lifetime returns the SA's limits.
func (v StateView) Lifetime() Lifetime { return lifetimeAt(v.b[saLft:]) }

// Current returns the SA's counters.
func (v StateView) Current() Current { return currentAt(v.b[saCurlft:]) }

// Stats returns the SA's error counters.
func (v StateView) Stats() Stats {
	b := v.b[saStats:]
	return Stats{ReplayWindow: native.Uint32(b), Replay: native.Uint32(b[4:]), IntegrityFailed: native.Uint32(b[8:])}
}

// Crypt returns the SA's encryption algorithm (XFRMA_ALG_CRYPT).
func (v StateView) Crypt() (AlgoView, bool) { return algoView(v.attrs, attrAlgCrypt) }

// Auth returns the SA's authentication algorithm: XFRMA_ALG_AUTH_TRUNC,
// else XFRMA_ALG_AUTH.
func (v StateView) Auth() (AlgoView, bool) {
	if a, ok := algoView(v.attrs, attrAlgAuthTrunc); ok {
		return a, true
	}
	return algoView(v.attrs, attrAlgAuth)
}

// AuthNoTrunc returns the XFRMA_ALG_AUTH attribute alone (the kernel
// reports both it and XFRMA_ALG_AUTH_TRUNC for an SA added with either).
func (v StateView) AuthNoTrunc() (AlgoView, bool) { return algoView(v.attrs, attrAlgAuth) }

// AEAD returns the SA's AEAD algorithm (XFRMA_ALG_AEAD).
func (v StateView) AEAD() (AlgoView, bool) { return algoView(v.attrs, attrAlgAEAD) }

// Comp returns the SA's compression algorithm (XFRMA_ALG_COMP).
func (v StateView) Comp() (AlgoView, bool) { return algoView(v.attrs, attrAlgComp) }

// Encap returns the SA's encapsulation (XFRMA_ENCAP).
func (v StateView) Encap() (Encap, bool) {
	b, ok := attrAt(v.attrs, attrEncap, sizeofEncap)
	if !ok {
		return Encap{}, false
	}
	e := Encap{Type: native.Uint16(b), SrcPort: binary.BigEndian.Uint16(b[encapSport:]), DstPort: binary.BigEndian.Uint16(b[encapDport:])}
	e.OrigAddr = addrAt(b[encapOA:], v.Family())
	return e, true
}

// CoAddr returns the SA's care-of address (XFRMA_COADDR).
func (v StateView) CoAddr() (netip.Addr, bool) {
	b, ok := attrAt(v.attrs, attrCoAddr, sizeofAddr)
	if !ok {
		return netip.Addr{}, false
	}
	return addrAt(b, v.Family()), true
}

// Mark returns the SA's mark (XFRMA_MARK).
func (v StateView) Mark() (Mark, bool) { return markOf(v.attrs) }

func markOf(c nla.Chain) (Mark, bool) {
	b, ok := attrAt(c, attrMark, sizeofMark)
	if !ok {
		return Mark{}, false
	}
	return Mark{Value: native.Uint32(b), Mask: native.Uint32(b[4:])}, true
}

// u32Of returns the __u32 attribute typ of c.
func u32Of(c nla.Chain, typ uint16) (uint32, bool) {
	b, ok := attrAt(c, typ, 4)
	if !ok {
		return 0, false
	}
	return native.Uint32(b), true
}

// SetMark returns the SA's output mark (XFRMA_SET_MARK and
// XFRMA_SET_MARK_MASK).
func (v StateView) SetMark() (Mark, bool) {
	val, ok := u32Of(v.attrs, attrSetMark)
	if !ok {
		return Mark{}, false
	}
	m, _ := u32Of(v.attrs, attrSetMarkMask)
	return Mark{Value: val, Mask: m}, true
}

// IfID returns the SA's interface id (XFRMA_IF_ID).
func (v StateView) IfID() (uint32, bool) { return u32Of(v.attrs, attrIfID) }

// ExtraFlags returns XFRMA_SA_EXTRA_FLAGS.
func (v StateView) ExtraFlags() (uint32, bool) { return u32Of(v.attrs, attrSAExtraFlags) }

// TFCPad returns XFRMA_TFCPAD.
func (v StateView) TFCPad() (uint32, bool) { return u32Of(v.attrs, attrTFCPad) }

// LastUsed returns XFRMA_LASTUSED, in seconds since the epoch.
func (v StateView) LastUsed() (uint64, bool) {
	b, ok := attrAt(v.attrs, attrLastUsed, 8)
	if !ok {
		return 0, false
	}
	return native.Uint64(b), true
}

// Replay returns the SA's anti-replay state (XFRMA_REPLAY_VAL).
func (v StateView) Replay() (Replay, bool) {
	b, ok := attrAt(v.attrs, attrReplayVal, sizeofReplay)
	if !ok {
		return Replay{}, false
	}
	return Replay{OSeq: native.Uint32(b), Seq: native.Uint32(b[4:]), Bitmap: native.Uint32(b[8:])}, true
}

// ReplayESN returns the SA's ESN anti-replay state without its bitmap
// (XFRMA_REPLAY_ESN_VAL); ReplayESNBitmap returns the bitmap's words.
func (v StateView) ReplayESN() (ReplayESN, bool) {
	b, ok := attrAt(v.attrs, attrReplayESNVal, sizeofReplayESN)
	if !ok {
		return ReplayESN{}, false
	}
	return ReplayESN{OSeq: native.Uint32(b[4:]), Seq: native.Uint32(b[8:]), OSeqHi: native.Uint32(b[12:]),
		SeqHi: native.Uint32(b[16:]), Window: native.Uint32(b[20:])}, true
}

// ReplayESNBitmap returns word i of the ESN replay bitmap, and the number
// of words the attribute holds.
func (v StateView) ReplayESNBitmap(i int) (word uint32, words int) {
	b, ok := attrAt(v.attrs, attrReplayESNVal, sizeofReplayESN)
	if !ok {
		return 0, 0
	}
	n := int(native.Uint32(b))
	if avail := (len(b) - sizeofReplayESN) / 4; n > avail {
		n = avail
	}
	if i < 0 || i >= n {
		return 0, n
	}
	return native.Uint32(b[sizeofReplayESN+4*i:]), n
}

// Offload returns the SA's offload device (XFRMA_OFFLOAD_DEV).
func (v StateView) Offload() (Offload, bool) { return offloadOf(v.attrs) }

func offloadOf(c nla.Chain) (Offload, bool) {
	b, ok := attrAt(c, attrOffloadDev, 5)
	if !ok {
		return Offload{}, false
	}
	return Offload{Ifindex: int32(native.Uint32(b)), Flags: b[4]}, true
}

// SecCtx returns the security context string, aliasing the message
// (XFRMA_SEC_CTX), with its DOI and algorithm.
func (v StateView) SecCtx() (ctx []byte, doi, alg uint8, ok bool) { return secCtxOf(v.attrs) }

func secCtxOf(c nla.Chain) (ctx []byte, doi, alg uint8, ok bool) {
	b, ok := attrAt(c, attrSecCtx, sizeofUserSecCtx)
	if !ok {
		return nil, 0, 0, false
	}
	n := int(native.Uint16(b[6:]))
	ctx = b[sizeofUserSecCtx:]
	if n < len(ctx) {
		ctx = ctx[:n]
	}
	return bytes.TrimRight(ctx, "\x00"), b[5], b[4], true
}

// State returns a copy of the SA that keeps nothing of the message.
func (v StateView) State() State {
	s := State{Src: v.Src(), Dst: v.Dst(), Proto: v.Proto(), SPI: v.SPI(), Mode: v.Mode(), Reqid: v.Reqid(),
		Seq: v.Seq(), ReplayWindow: v.ReplayWindow(), Flags: v.Flags(), Selector: v.Selector(),
		Lifetime: v.Lifetime(), Current: v.Current(), Stats: v.Stats()}
	if a, ok := v.Crypt(); ok {
		s.Crypt = a.Algo()
	}
	if a, ok := v.Auth(); ok {
		s.Auth = a.Algo()
	}
	if a, ok := v.AEAD(); ok {
		s.AEAD = a.Algo()
	}
	if a, ok := v.Comp(); ok {
		s.Comp = a.Algo()
	}
	if e, ok := v.Encap(); ok {
		s.Encap = &e
	}
	s.CoAddr, _ = v.CoAddr()
	if c, doi, alg, ok := v.SecCtx(); ok {
		s.SecCtx = &SecCtx{DOI: doi, Alg: alg, Context: string(c)}
	}
	if o, ok := v.Offload(); ok {
		s.Offload = &o
	}
	if r, ok := v.Replay(); ok {
		s.Replay = &r
	}
	if r, ok := v.ReplayESN(); ok {
		_, n := v.ReplayESNBitmap(0)
		for i := range n {
			w, _ := v.ReplayESNBitmap(i)
			r.Bitmap = append(r.Bitmap, w)
		}
		s.ReplayESN = &r
	}
	s.ExtraFlags, _ = v.ExtraFlags()
	if m, ok := v.Mark(); ok {
		s.Mark = &m
	}
	if m, ok := v.SetMark(); ok {
		s.SetMark = &m
	}
	s.IfID, s.HasIfID = v.IfID()
	s.TFCPad, _ = v.TFCPad()
	s.LastUsed, _ = v.LastUsed()
	return s
}

// PolicyView is a policy as the kernel reports it (struct
// xfrm_userpolicy_info and attributes), read in place: it aliases the
// receive buffer and is valid only until the dump moves on.
// [PolicyView.Policy] copies it.
type PolicyView struct{ view }

// newPolicyView checks that m carries an xfrm_userpolicy_info.
func newPolicyView(m wire.Message) (PolicyView, error) {
	v, err := split(m, sizeofUserpolicyInfo, "policy")
	return PolicyView{v}, err
}

// Selector returns the policy's selector.
func (v PolicyView) Selector() Selector { return selectorAt(v.b[polSel:], 0) }

// Lifetime returns the policy's limits.
func (v PolicyView) Lifetime() Lifetime { return lifetimeAt(v.b[polLft:]) }

// Current returns the policy's counters.
func (v PolicyView) Current() Current { return currentAt(v.b[polCurlft:]) }

// Priority returns the policy's priority.
func (v PolicyView) Priority() uint32 { return native.Uint32(v.b[polPriority:]) }

// Index returns the policy's index.
func (v PolicyView) Index() uint32 { return native.Uint32(v.b[polIndex:]) }

// Dir returns the policy's direction.
func (v PolicyView) Dir() Dir { return Dir(v.b[polDir]) }

// Action returns the policy's action.
func (v PolicyView) Action() Action { return Action(v.b[polAction]) }

// Flags returns the policy's flags.
func (v PolicyView) Flags() uint8 { return v.b[polFlags] }

// Share returns the policy's share mode.
func (v PolicyView) Share() uint8 { return v.b[polShare] }

// Type returns the policy's type (XFRMA_POLICY_TYPE).
func (v PolicyView) Type() (PolicyType, bool) {
	b, ok := attrAt(v.attrs, attrPolicyType, 1)
	if !ok {
		return 0, false
	}
	return PolicyType(b[0]), true
}

// Mark returns the policy's mark (XFRMA_MARK).
func (v PolicyView) Mark() (Mark, bool) { return markOf(v.attrs) }

// IfID returns the policy's interface id (XFRMA_IF_ID).
func (v PolicyView) IfID() (uint32, bool) { return u32Of(v.attrs, attrIfID) }

// SecCtx returns the security context string, aliasing the message.
func (v PolicyView) SecCtx() (ctx []byte, doi, alg uint8, ok bool) { return secCtxOf(v.attrs) }

// Offload returns the policy's offload device (XFRMA_OFFLOAD_DEV).
func (v PolicyView) Offload() (Offload, bool) { return offloadOf(v.attrs) }

// NumTemplates returns the number of templates (XFRMA_TMPL).
func (v PolicyView) NumTemplates() int {
	a, ok := v.attrs.Get(attrTmpl)
	if !ok {
		return 0
	}
	return len(a.Data) / sizeofTmpl
}

// Template returns template i (0 <= i < NumTemplates), or false.
func (v PolicyView) Template(i int) (Template, bool) {
	a, ok := v.attrs.Get(attrTmpl)
	if !ok || i < 0 || i >= len(a.Data)/sizeofTmpl {
		return Template{}, false
	}
	return templateAt(a.Data[sizeofTmpl*i:]), true
}

// templateAt decodes the struct xfrm_user_tmpl at b.
func templateAt(b []byte) Template {
	fam := native.Uint16(b[tmplFamily:])
	return Template{
		Dst:        addrAt(b[tmplID+idDaddr:], fam),
		Src:        addrAt(b[tmplSaddr:], fam),
		Proto:      Proto(b[tmplID+idProto]),
		SPI:        binary.BigEndian.Uint32(b[tmplID+idSPI:]),
		Mode:       Mode(b[tmplMode]),
		Reqid:      native.Uint32(b[tmplReqid:]),
		Share:      b[tmplShare],
		Optional:   b[tmplOptional] != 0,
		AuthAlgos:  native.Uint32(b[tmplAalgos:]),
		CryptAlgos: native.Uint32(b[tmplEalgos:]),
		CompAlgos:  native.Uint32(b[tmplCalgos:]),
	}
}

// TemplateFamily returns the address family of template i as the kernel
// holds it (0 when there is no such template).
func (v PolicyView) TemplateFamily(i int) uint16 {
	a, ok := v.attrs.Get(attrTmpl)
	if !ok || i < 0 || i >= len(a.Data)/sizeofTmpl {
		return 0
	}
	return native.Uint16(a.Data[sizeofTmpl*i+tmplFamily:])
}

// Policy returns a copy of the policy that keeps nothing of the message.
func (v PolicyView) Policy() Policy {
	p := Policy{Selector: v.Selector(), Dir: v.Dir(), Action: v.Action(), Priority: v.Priority(), Index: v.Index(),
		Flags: v.Flags(), Share: v.Share(), Lifetime: v.Lifetime(), Current: v.Current()}
	p.Type, p.HasType = v.Type()
	for i := range v.NumTemplates() {
		t, _ := v.Template(i)
		p.Templates = append(p.Templates, t)
	}
	if m, ok := v.Mark(); ok {
		p.Mark = &m
	}
	p.IfID, p.HasIfID = v.IfID()
	if c, doi, alg, ok := v.SecCtx(); ok {
		p.SecCtx = &SecCtx{DOI: doi, Alg: alg, Context: string(c)}
	}
	return p
}
