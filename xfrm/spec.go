package xfrm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// State is a security association (SA), as added or as read back (see
// [StateView.State]). Src, Dst, Proto and SPI identify it (with Mark);
// the counters (Current, Stats, LastUsed) are reported by the kernel and
// ignored in requests.
type State struct {
	Src, Dst     netip.Addr
	Proto        Proto
	SPI          uint32
	Mode         Mode
	Reqid        uint32
	Seq          uint32 // xfrm_usersa_info.seq (of an acquire)
	ReplayWindow uint8  // the window of an SA without ESN; see ReplayESN
	Flags        StateFlags
	ExtraFlags   uint32 // XFRMA_SA_EXTRA_FLAGS
	Selector     Selector
	Lifetime     Lifetime

	Crypt *Algo // XFRMA_ALG_CRYPT
	Auth  *Algo // XFRMA_ALG_AUTH, or XFRMA_ALG_AUTH_TRUNC with TruncBits
	AEAD  *Algo // XFRMA_ALG_AEAD
	Comp  *Algo // XFRMA_ALG_COMP (no key)

	Encap     *Encap
	CoAddr    netip.Addr // XFRMA_COADDR: Mobile IPv6 care-of address
	SecCtx    *SecCtx
	Offload   *Offload
	Replay    *Replay    // XFRMA_REPLAY_VAL
	ReplayESN *ReplayESN // XFRMA_REPLAY_ESN_VAL (with StateESN, or a window over 32)
	Mark      *Mark      // XFRMA_MARK
	SetMark   *Mark      // XFRMA_SET_MARK and XFRMA_SET_MARK_MASK (output mark)
	IfID      uint32     // XFRMA_IF_ID, when HasIfID
	HasIfID   bool
	TFCPad    uint32 // XFRMA_TFCPAD

	Current  Current
	Stats    Stats
	LastUsed uint64 // XFRMA_LASTUSED: seconds since the epoch
}

// StateID names an SA for [Handle.State] and [Handle.StateDel]: by
// destination, SPI and protocol (struct xfrm_usersa_id), with Src
// (XFRMA_SRCADDR) and Mark when set.
type StateID struct {
	Dst   netip.Addr
	SPI   uint32
	Proto Proto
	Src   netip.Addr
	Mark  *Mark
}

// ID returns the identity of s.
func (s *State) ID() StateID {
	return StateID{Dst: s.Dst, SPI: s.SPI, Proto: s.Proto, Src: s.Src, Mark: s.Mark}
}

// errNil is returned for a nil spec.
var errNil = errors.New("nil spec")

// family returns the address family of a and b, which must be valid and
// alike.
func pairFamily(what string, a, b netip.Addr) (uint16, error) {
	if !a.IsValid() || !b.IsValid() {
		return 0, fmt.Errorf("%s: source and destination are required", what)
	}
	if a.Is4() != b.Is4() {
		return 0, fmt.Errorf("%s: source %s and destination %s differ in family", what, a, b)
	}
	return addrFamily(a), nil
}

func addrFamily(a netip.Addr) uint16 {
	if !a.IsValid() {
		return unix.AF_UNSPEC
	}
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// validate checks s before anything is sent.
func (s *State) validate() error {
	if s == nil {
		return errNil
	}
	if s.Src.Zone() != "" || s.Dst.Zone() != "" {
		return errors.New("addresses with a zone")
	}
	if _, err := pairFamily("state", s.Src.Unmap(), s.Dst.Unmap()); err != nil {
		return err
	}
	switch s.Proto {
	case ProtoESP:
		if s.Comp != nil {
			return errors.New("esp: a compression algorithm")
		}
		if s.Crypt == nil && s.AEAD == nil {
			return errors.New("esp: an encryption or AEAD algorithm is required")
		}
		if s.AEAD != nil && (s.Crypt != nil || s.Auth != nil) {
			return errors.New("esp: an AEAD algorithm with encryption or authentication")
		}
	case ProtoAH:
		if s.Crypt != nil || s.AEAD != nil || s.Comp != nil {
			return errors.New("ah: only an authentication algorithm")
		}
		if s.Auth == nil {
			return errors.New("ah: an authentication algorithm is required")
		}
	case ProtoComp:
		if s.Crypt != nil || s.AEAD != nil || s.Auth != nil {
			return errors.New("comp: only a compression algorithm")
		}
		if s.Comp == nil {
			return errors.New("comp: a compression algorithm is required")
		}
		if s.SPI > 0xffff {
			return fmt.Errorf("comp: spi %#x over 16 bits", s.SPI)
		}
	case ProtoRoute2, ProtoHAO:
		if s.Crypt != nil || s.AEAD != nil || s.Auth != nil || s.Comp != nil {
			return fmt.Errorf("%s: algorithms", s.Proto)
		}
		if s.Mode != ModeRO && s.Mode != ModeInTrigger {
			return fmt.Errorf("%s: mode %s (ro or in_trigger)", s.Proto, s.Mode)
		}
		if !s.CoAddr.IsValid() {
			return fmt.Errorf("%s: a care-of address is required", s.Proto)
		}
	default:
		return fmt.Errorf("protocol %s", s.Proto)
	}
	if s.Proto.ipsec() {
		if s.Mode != ModeTransport && s.Mode != ModeTunnel && (s.Mode != ModeBEET || s.Proto != ProtoESP) {
			return fmt.Errorf("mode %s with %s", s.Mode, s.Proto)
		}
		if s.CoAddr.IsValid() {
			return fmt.Errorf("a care-of address with %s", s.Proto)
		}
	}
	if err := s.Selector.validate(); err != nil {
		return err
	}
	for _, a := range []struct {
		name string
		a    *Algo
		key  bool
	}{{"encryption", s.Crypt, true}, {"authentication", s.Auth, true}, {"aead", s.AEAD, true}, {"compression", s.Comp, false}} {
		if a.a != nil {
			if err := a.a.validate(a.name, a.key); err != nil {
				return err
			}
		}
	}
	if s.Flags&StateESN != 0 && s.ReplayESN == nil {
		return errors.New("the esn flag without ReplayESN")
	}
	if r := s.ReplayESN; r != nil {
		if r.Window == 0 || r.Window > replayESNMax {
			return fmt.Errorf("replay window %d (1 to %d)", r.Window, replayESNMax)
		}
		if len(r.Bitmap) > 0 && len(r.Bitmap) != int((r.Window+31)/32) {
			return fmt.Errorf("replay bitmap of %d words for a window of %d", len(r.Bitmap), r.Window)
		}
		if s.Replay != nil {
			return errors.New("both Replay and ReplayESN")
		}
	}
	if s.Encap != nil && s.Encap.OrigAddr.Zone() != "" {
		return errors.New("encap: an address with a zone")
	}
	if s.SecCtx != nil && len(s.SecCtx.Context) > 0xff00 {
		return errors.New("security context too long")
	}
	return nil
}

// validate checks a's name and key.
func (a *Algo) validate(what string, key bool) error {
	if a.Name == "" {
		return fmt.Errorf("%s algorithm without a name", what)
	}
	if len(a.Name) >= algoNameLen {
		return fmt.Errorf("%s algorithm name %q over %d bytes", what, a.Name, algoNameLen-1)
	}
	if !key && len(a.Key) > 0 {
		return fmt.Errorf("%s algorithm %q with a key", what, a.Name)
	}
	if len(a.Key) > 1<<16 {
		return fmt.Errorf("%s key of %d bytes", what, len(a.Key))
	}
	if a.KeyBits != 0 && (a.KeyBits+7)/8 > uint32(len(a.Key)) {
		return fmt.Errorf("%s key of %d bits in %d bytes", what, a.KeyBits, len(a.Key))
	}
	return nil
}

func (a *Algo) keyBits() uint32 {
	if a.KeyBits != 0 {
		return a.KeyBits
	}
	return uint32(len(a.Key)) * 8
}

// validate checks that the selector's prefixes are of one family.
func (sel *Selector) validate() error {
	if sel.Src.IsValid() && sel.Dst.IsValid() && sel.Src.Addr().Is4() != sel.Dst.Addr().Is4() {
		return fmt.Errorf("selector: %s and %s differ in family", sel.Src, sel.Dst)
	}
	if f := sel.Family; f != 0 && f != unix.AF_INET && f != unix.AF_INET6 {
		return fmt.Errorf("selector: family %d", f)
	}
	if f := sel.addrFamily(); f != sel.Family && sel.Family != 0 {
		return fmt.Errorf("selector: family %d with prefixes of family %d", sel.Family, f)
	}
	for _, p := range []netip.Prefix{sel.Src, sel.Dst} {
		if p.IsValid() && p.Addr().Zone() != "" {
			return errors.New("selector: a prefix with a zone")
		}
	}
	return nil
}

// addrFamily returns the selector's family: its prefixes', else AF_UNSPEC.
func (sel *Selector) addrFamily() uint16 {
	if sel.Src.IsValid() {
		return addrFamily(sel.Src.Addr())
	}
	if sel.Dst.IsValid() {
		return addrFamily(sel.Dst.Addr())
	}
	return sel.Family
}

// put writes the selector into b, a struct xfrm_selector.
func (sel *Selector) put(b []byte) {
	fam := sel.addrFamily()
	putPrefix := func(off, lenOff int, p netip.Prefix) {
		if p.IsValid() {
			putAddr(b[off:], p.Masked().Addr())
			b[lenOff] = uint8(p.Bits())
		}
	}
	putPrefix(selDaddr, selPrefixlenD, sel.Dst)
	putPrefix(selSaddr, selPrefixlenS, sel.Src)
	putPort := func(off int, port, mask uint16) {
		if port != 0 && mask == 0 {
			mask = 0xffff
		}
		binary.BigEndian.PutUint16(b[off:], port)
		binary.BigEndian.PutUint16(b[off+2:], mask)
	}
	putPort(selDport, sel.DstPort, sel.DstPortMask)
	putPort(selSport, sel.SrcPort, sel.SrcPortMask)
	native.PutUint16(b[selFamily:], fam)
	b[selProto] = sel.Proto
	native.PutUint32(b[selIfindex:], uint32(sel.Ifindex))
	native.PutUint32(b[selUser:], sel.UID)
}

// putAddr writes a into an xfrm_address_t.
func putAddr(b []byte, a netip.Addr) {
	a = a.Unmap()
	if a.Is4() {
		v := a.As4()
		copy(b[:4], v[:])
	} else if a.Is6() {
		v := a.As16()
		copy(b[:16], v[:])
	}
}

// putLifetime writes l into a struct xfrm_lifetime_cfg.
func (l *Lifetime) put(b []byte) {
	lim := func(v uint64) uint64 {
		if v == 0 {
			return xfrmInf
		}
		return v
	}
	for i, v := range [8]uint64{lim(l.SoftBytes), lim(l.HardBytes), lim(l.SoftPackets), lim(l.HardPackets),
		l.SoftAddSeconds, l.HardAddSeconds, l.SoftUseSeconds, l.HardUseSeconds} {
		native.PutUint64(b[8*i:], v)
	}
}

// addrAttr appends an xfrm_address_t attribute.
func addrAttr(b *wire.Builder, typ uint16, a netip.Addr) {
	var buf [sizeofAddr]byte
	putAddr(buf[:], a)
	b.Binary(typ, buf[:])
}

// markAttr appends XFRMA_MARK.
func markAttr(b *wire.Builder, m *Mark) {
	var buf [sizeofMark]byte
	native.PutUint32(buf[0:], m.Value)
	native.PutUint32(buf[4:], m.Mask)
	b.Binary(attrMark, buf[:])
}

// algoAttr appends an algorithm attribute: hdr is the size of its struct
// before the key, extra the trunc or ICV length at offset 68.
func algoAttr(b *wire.Builder, typ uint16, a *Algo, hdr int, extra uint32) {
	bits := a.keyBits()
	n := int(bits+7) / 8
	buf := make([]byte, hdr+n)
	copy(buf[:algoNameLen-1], a.Name)
	native.PutUint32(buf[algoNameLen:], bits)
	if hdr > sizeofAlgo {
		native.PutUint32(buf[sizeofAlgo:], extra)
	}
	copy(buf[hdr:], a.Key[:n])
	b.Binary(typ, buf)
}

// build writes the request that adds (typ XFRM_MSG_NEWSA) or updates
// (XFRM_MSG_UPDSA) s.
func (s *State) build(b *wire.Builder, typ, flags uint16) {
	b.Begin(typ, flags)
	p := b.Fixed(sizeofUsersaInfo)
	if p == nil {
		return
	}
	src, dst := s.Src.Unmap(), s.Dst.Unmap()
	s.Selector.put(p[saSel:])
	putAddr(p[saID+idDaddr:], dst)
	binary.BigEndian.PutUint32(p[saID+idSPI:], s.SPI)
	p[saID+idProto] = uint8(s.Proto)
	putAddr(p[saSaddr:], src)
	s.Lifetime.put(p[saLft:])
	native.PutUint32(p[saSeq:], s.Seq)
	native.PutUint32(p[saReqid:], s.Reqid)
	native.PutUint16(p[saFamily:], addrFamily(dst))
	p[saMode] = uint8(s.Mode)
	p[saFlags] = uint8(s.Flags)
	if s.ReplayESN == nil {
		p[saReplayWindow] = s.ReplayWindow
	}
	// p is not written after this: the attributes may move the buffer.
	if s.Crypt != nil {
		algoAttr(b, attrAlgCrypt, s.Crypt, sizeofAlgo, 0)
	}
	if a := s.Auth; a != nil {
		if a.TruncBits != 0 {
			algoAttr(b, attrAlgAuthTrunc, a, sizeofAlgoAuth, a.TruncBits)
		} else {
			algoAttr(b, attrAlgAuth, a, sizeofAlgo, 0)
		}
	}
	if s.AEAD != nil {
		algoAttr(b, attrAlgAEAD, s.AEAD, sizeofAlgoAEAD, s.AEAD.ICVBits)
	}
	if s.Comp != nil {
		algoAttr(b, attrAlgComp, s.Comp, sizeofAlgo, 0)
	}
	if e := s.Encap; e != nil {
		var buf [sizeofEncap]byte
		native.PutUint16(buf[encapType:], e.Type)
		binary.BigEndian.PutUint16(buf[encapSport:], e.SrcPort)
		binary.BigEndian.PutUint16(buf[encapDport:], e.DstPort)
		putAddr(buf[encapOA:], e.OrigAddr)
		b.Binary(attrEncap, buf[:])
	}
	if s.CoAddr.IsValid() {
		addrAttr(b, attrCoAddr, s.CoAddr)
	}
	if c := s.SecCtx; c != nil {
		secCtxAttr(b, c)
	}
	if o := s.Offload; o != nil {
		var buf [sizeofOffload]byte
		native.PutUint32(buf[0:], uint32(o.Ifindex))
		buf[4] = o.Flags
		b.Binary(attrOffloadDev, buf[:])
	}
	if r := s.ReplayESN; r != nil {
		words := int(r.Window+31) / 32
		buf := make([]byte, sizeofReplayESN+4*len(r.Bitmap))
		native.PutUint32(buf[0:], uint32(words))
		native.PutUint32(buf[4:], r.OSeq)
		native.PutUint32(buf[8:], r.Seq)
		native.PutUint32(buf[12:], r.OSeqHi)
		native.PutUint32(buf[16:], r.SeqHi)
		native.PutUint32(buf[20:], r.Window)
		for i, w := range r.Bitmap {
			native.PutUint32(buf[sizeofReplayESN+4*i:], w)
		}
		b.Binary(attrReplayESNVal, buf)
	} else {
		if r := s.Replay; r != nil {
			var buf [sizeofReplay]byte
			native.PutUint32(buf[0:], r.OSeq)
			native.PutUint32(buf[4:], r.Seq)
			native.PutUint32(buf[8:], r.Bitmap)
			b.Binary(attrReplayVal, buf[:])
		}
	}
	if s.ExtraFlags != 0 {
		b.Uint32(attrSAExtraFlags, s.ExtraFlags)
	}
	if s.Mark != nil {
		markAttr(b, s.Mark)
	}
	if s.HasIfID {
		b.Uint32(attrIfID, s.IfID)
	}
	if s.TFCPad != 0 {
		b.Uint32(attrTFCPad, s.TFCPad)
	}
	if m := s.SetMark; m != nil {
		if m.Value != 0 {
			b.Uint32(attrSetMark, m.Value)
		}
		if m.Mask != 0 {
			b.Uint32(attrSetMarkMask, m.Mask)
		}
	}
	b.End()
}

// secCtxAttr appends XFRMA_SEC_CTX.
func secCtxAttr(b *wire.Builder, c *SecCtx) {
	// With its NUL, as iproute2 sends it.
	buf := make([]byte, sizeofUserSecCtx+len(c.Context)+1)
	native.PutUint16(buf[0:], uint16(len(buf)))
	native.PutUint16(buf[2:], attrSecCtx)
	buf[4] = c.Alg
	buf[5] = c.DOI
	native.PutUint16(buf[6:], uint16(len(c.Context)+1))
	copy(buf[sizeofUserSecCtx:], c.Context)
	b.Binary(attrSecCtx, buf)
}

// validate checks id.
func (id *StateID) validate() error {
	if id == nil {
		return errNil
	}
	if !id.Dst.IsValid() {
		return errors.New("state id: a destination is required")
	}
	if id.Src.IsValid() && id.Src.Unmap().Is4() != id.Dst.Unmap().Is4() {
		return fmt.Errorf("state id: source %s and destination %s differ in family", id.Src, id.Dst)
	}
	if id.Dst.Zone() != "" || id.Src.Zone() != "" {
		return errors.New("state id: an address with a zone")
	}
	return nil
}

// build writes a get or delete (typ) request for id.
func (id *StateID) build(b *wire.Builder, typ uint16) {
	b.Begin(typ, 0)
	p := b.Fixed(sizeofUsersaID)
	if p == nil {
		return
	}
	dst := id.Dst.Unmap()
	putAddr(p[saidDaddr:], dst)
	binary.BigEndian.PutUint32(p[saidSPI:], id.SPI)
	native.PutUint16(p[saidFamily:], addrFamily(dst))
	p[saidProto] = uint8(id.Proto)
	if id.Src.IsValid() {
		addrAttr(b, attrSrcAddr, id.Src)
	}
	if id.Mark != nil {
		markAttr(b, id.Mark)
	}
	b.End()
}

// Policy is a security policy (SP), as added or as read back (see
// [PolicyView.Policy]): the packets its Selector matches, in direction
// Dir, are allowed through the SAs its Templates name, or blocked.
// Current is reported by the kernel and ignored in requests.
type Policy struct {
	Selector  Selector
	Dir       Dir
	Action    Action
	Priority  uint32
	Index     uint32 // the kernel's; zero in an add lets it choose
	Flags     uint8  // PolicyLocalOK, PolicyICMP
	Share     uint8
	Lifetime  Lifetime
	Type      PolicyType // XFRMA_POLICY_TYPE, sent when HasType
	HasType   bool
	Templates []Template // XFRMA_TMPL
	Mark      *Mark      // XFRMA_MARK
	IfID      uint32     // XFRMA_IF_ID, when HasIfID
	HasIfID   bool
	SecCtx    *SecCtx

	Current Current
}

// Template names the SAs a policy requires (struct xfrm_user_tmpl). Src
// may be invalid in transport mode. Optional is iproute2's "level use".
// The algorithm masks are bit sets of acceptable SADB algorithm ids; zero
// means all (^0), as iproute2 sends them.
type Template struct {
	Src, Dst              netip.Addr
	Proto                 Proto
	SPI                   uint32
	Mode                  Mode
	Reqid                 uint32
	Share                 uint8
	Optional              bool
	AuthAlgos, CryptAlgos uint32
	CompAlgos             uint32
}

// PolicyID names a policy for [Handle.Policy] and [Handle.PolicyDel]: by
// Index when not zero, else by Selector and Dir; with Type, Mark, IfID
// when set.
type PolicyID struct {
	Selector Selector
	Dir      Dir
	Index    uint32
	Type     PolicyType
	HasType  bool
	Mark     *Mark
	IfID     uint32
	HasIfID  bool
	SecCtx   *SecCtx
}

// ID returns the identity of p.
func (p *Policy) ID() PolicyID {
	return PolicyID{Selector: p.Selector, Dir: p.Dir, Index: p.Index, Type: p.Type, HasType: p.HasType,
		Mark: p.Mark, IfID: p.IfID, HasIfID: p.HasIfID, SecCtx: p.SecCtx}
}

// validate checks p before anything is sent.
func (p *Policy) validate() error {
	if p == nil {
		return errNil
	}
	if p.Dir > DirFwd {
		return fmt.Errorf("policy direction %d", p.Dir)
	}
	if p.Action > ActionBlock {
		return fmt.Errorf("policy action %d", p.Action)
	}
	if p.HasType && p.Type > PolicySub {
		return fmt.Errorf("policy type %d", p.Type)
	}
	if err := p.Selector.validate(); err != nil {
		return err
	}
	if len(p.Templates) > 6 {
		// XFRM_MAX_DEPTH (net/xfrm.h)
		return fmt.Errorf("%d templates (at most 6)", len(p.Templates))
	}
	for i := range p.Templates {
		t := &p.Templates[i]
		if !t.Dst.IsValid() {
			return fmt.Errorf("template %d: a destination is required", i+1)
		}
		if t.Src.IsValid() && t.Src.Unmap().Is4() != t.Dst.Unmap().Is4() {
			return fmt.Errorf("template %d: source %s and destination %s differ in family", i+1, t.Src, t.Dst)
		}
		if t.Src.Zone() != "" || t.Dst.Zone() != "" {
			return fmt.Errorf("template %d: an address with a zone", i+1)
		}
	}
	if p.SecCtx != nil && len(p.SecCtx.Context) > 0xff00 {
		return errors.New("security context too long")
	}
	return nil
}

// selFamily returns the family a policy request carries: the selector's,
// else AF_INET, as iproute2 sends it.
func (sel *Selector) policyFamily() uint16 {
	if f := sel.addrFamily(); f != 0 {
		return f
	}
	return unix.AF_INET
}

// build writes the request that adds (XFRM_MSG_NEWPOLICY) or updates
// (XFRM_MSG_UPDPOLICY) p.
func (p *Policy) build(b *wire.Builder, typ, flags uint16) {
	b.Begin(typ, flags)
	f := b.Fixed(sizeofUserpolicyInfo)
	if f == nil {
		return
	}
	p.Selector.put(f[polSel:])
	native.PutUint16(f[polSel+selFamily:], p.Selector.policyFamily())
	p.Lifetime.put(f[polLft:])
	native.PutUint32(f[polPriority:], p.Priority)
	native.PutUint32(f[polIndex:], p.Index)
	f[polDir] = uint8(p.Dir)
	f[polAction] = uint8(p.Action)
	f[polFlags] = p.Flags
	f[polShare] = p.Share
	id := p.ID()
	id.attrs(b, p.Templates)
	b.End()
}

// typeAttr appends XFRMA_POLICY_TYPE.
func typeAttr(b *wire.Builder, t PolicyType) {
	var buf [sizeofPolicyType]byte
	buf[0] = uint8(t)
	b.Binary(attrPolicyType, buf[:])
}

// put writes t into a struct xfrm_user_tmpl.
func (t *Template) put(b []byte) {
	dst := t.Dst.Unmap()
	putAddr(b[tmplID+idDaddr:], dst)
	binary.BigEndian.PutUint32(b[tmplID+idSPI:], t.SPI)
	b[tmplID+idProto] = uint8(t.Proto)
	native.PutUint16(b[tmplFamily:], addrFamily(dst))
	putAddr(b[tmplSaddr:], t.Src)
	native.PutUint32(b[tmplReqid:], t.Reqid)
	b[tmplMode] = uint8(t.Mode)
	b[tmplShare] = t.Share
	if t.Optional {
		b[tmplOptional] = 1
	}
	all := func(v uint32) uint32 {
		if v == 0 {
			return ^uint32(0)
		}
		return v
	}
	native.PutUint32(b[tmplAalgos:], all(t.AuthAlgos))
	native.PutUint32(b[tmplEalgos:], all(t.CryptAlgos))
	native.PutUint32(b[tmplCalgos:], all(t.CompAlgos))
}

// validate checks id.
func (id *PolicyID) validate() error {
	if id == nil {
		return errNil
	}
	if id.Dir > DirFwd {
		return fmt.Errorf("policy direction %d", id.Dir)
	}
	if id.HasType && id.Type > PolicySub {
		return fmt.Errorf("policy type %d", id.Type)
	}
	return id.Selector.validate()
}

// build writes a get or delete (typ) request for id.
func (id *PolicyID) build(b *wire.Builder, typ uint16) {
	b.Begin(typ, 0)
	f := b.Fixed(sizeofUserpolicyID)
	if f == nil {
		return
	}
	if id.Index == 0 {
		id.Selector.put(f[polidSel:])
	}
	native.PutUint16(f[polidSel+selFamily:], id.Selector.policyFamily())
	native.PutUint32(f[polidIndex:], id.Index)
	f[polidDir] = uint8(id.Dir)
	id.attrs(b, nil)
	b.End()
}

// attrs appends the attributes of a policy request, in iproute2's order:
// its type, tmpls (those of an add), mark, security context and
// interface id.
func (id *PolicyID) attrs(b *wire.Builder, tmpls []Template) {
	if id.HasType {
		typeAttr(b, id.Type)
	}
	if len(tmpls) > 0 {
		buf := make([]byte, sizeofTmpl*len(tmpls))
		for i := range tmpls {
			tmpls[i].put(buf[sizeofTmpl*i:])
		}
		b.Binary(attrTmpl, buf)
	}
	if id.Mark != nil {
		markAttr(b, id.Mark)
	}
	if id.SecCtx != nil {
		secCtxAttr(b, id.SecCtx)
	}
	if id.HasIfID {
		b.Uint32(attrIfID, id.IfID)
	}
}
