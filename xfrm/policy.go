package xfrm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

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
	if p.HasType {
		typeAttr(b, p.Type)
	}
	if len(p.Templates) > 0 {
		buf := make([]byte, sizeofTmpl*len(p.Templates))
		for i := range p.Templates {
			p.Templates[i].put(buf[sizeofTmpl*i:])
		}
		b.Binary(attrTmpl, buf)
	}
	if p.Mark != nil {
		markAttr(b, p.Mark)
	}
	if p.SecCtx != nil {
		secCtxAttr(b, p.SecCtx)
	}
	if p.HasIfID {
		b.Uint32(attrIfID, p.IfID)
	}
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
	if id.HasType {
		typeAttr(b, id.Type)
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
	b.End()
}
