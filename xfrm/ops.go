package xfrm

import (
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// StateFilter narrows a dump of SAs in the kernel (XFRMA_PROTO,
// XFRMA_ADDRESS_FILTER). The zero StateFilter dumps every SA.
type StateFilter struct {
	Proto    Proto        // 0: any
	Src, Dst netip.Prefix // invalid: any; both of one family when set
}

// validate checks that f's prefixes are of one family.
func (f *StateFilter) validate() error {
	if f.Src.IsValid() && f.Dst.IsValid() && f.Src.Addr().Is4() != f.Dst.Addr().Is4() {
		return fmt.Errorf("filter prefixes %s and %s differ in family", f.Src, f.Dst)
	}
	return nil
}

// build writes the dump request of f: a bare header, then its filters.
func (f *StateFilter) build(b *wire.Builder) {
	b.Begin(msgGetSA, unix.NLM_F_DUMP)
	if f.Proto != 0 {
		b.Uint8(attrProto, uint8(f.Proto))
	}
	if f.Src.IsValid() || f.Dst.IsValid() {
		// struct xfrm_address_filter: saddr, daddr, family, splen, dplen.
		var buf [sizeofAddrFilter]byte
		fam := unix.AF_INET6
		for i, p := range [2]netip.Prefix{f.Src, f.Dst} {
			if p.IsValid() {
				putAddr(buf[16*i:], p.Masked().Addr())
				buf[34+i] = uint8(p.Bits())
				if p.Addr().Unmap().Is4() {
					fam = unix.AF_INET
				}
			}
		}
		native.PutUint16(buf[32:], uint16(fam))
		b.Binary(attrAddrFilter, buf[:])
	}
	b.End()
}

// States dumps the SAs, in the kernel's order, as views valid for one
// iteration each (see [StateView]). An error ends the sequence: a
// rejected dump, a receive error, or wire.ErrDumpInterrupted after every
// SA was yielded when the SA database changed under the dump.
func (h *Handle) States(ctx context.Context, f StateFilter) iter.Seq2[StateView, error] {
	return dumpViews(h, ctx, "state dump", msgNewSA, f.validate, f.build, newStateView)
}

// Policies dumps the policies, in the kernel's order, as views valid for
// one iteration each (see [PolicyView]). Errors are those of
// [Handle.States].
func (h *Handle) Policies(ctx context.Context) iter.Seq2[PolicyView, error] {
	return dumpViews(h, ctx, "policy dump", msgNewPolicy, func() error { return nil }, func(b *wire.Builder) {
		b.Begin(msgGetPolicy, unix.NLM_F_DUMP)
		b.End()
	}, newPolicyView)
}

// dumpViews runs the dump that build writes, once validate has passed,
// and yields the replies of type typ as views that view makes.
func dumpViews[V any](h *Handle, ctx context.Context, op string, typ uint16, validate func() error, build func(*wire.Builder),
	view func(wire.Message) (V, error)) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		var zero V
		if err := h.check(ctx); err != nil {
			yield(zero, err)
			return
		}
		if err := validate(); err != nil {
			yield(zero, fmt.Errorf("xfrm: %s: %w", op, err))
			return
		}
		b := h.builder.Get()
		build(b)
		for m, err := range h.dump(ctx, op, b) {
			if err != nil {
				yield(zero, err)
				return
			}
			if m.Header.Type != typ {
				continue
			}
			v, err := view(m)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// request sends the request build writes, once validate has passed: as
// a get answered by one reply, which view makes a view of for fn, when
// view is not nil, else as a change the kernel acknowledges.
func request[V any](h *Handle, ctx context.Context, op string, validate func() error, build func(*wire.Builder),
	view func(wire.Message) (V, error), fn func(V)) error {
	if err := h.check(ctx); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return fmt.Errorf("xfrm: %s: %w", op, err)
	}
	b := h.builder.Get()
	build(b)
	if view == nil {
		return h.exchange(ctx, op, b, true, nil)
	}
	return h.exchange(ctx, op, b, false, func(m wire.Message) error {
		v, err := view(m)
		if err == nil && fn != nil {
			fn(v)
		}
		return err
	})
}

// change is request for a change: no reply but the acknowledgement.
func (h *Handle) change(ctx context.Context, op string, validate func() error, build func(*wire.Builder)) error {
	return request[StateView](h, ctx, op, validate, build, nil, nil)
}

// State returns the SA id names (XFRM_MSG_GETSA).
func (h *Handle) State(ctx context.Context, id *StateID) (State, error) {
	var s State
	err := h.GetStateView(ctx, id, func(v StateView) { s = v.State() })
	return s, err
}

// GetStateView gets the SA id names (XFRM_MSG_GETSA) and passes it to
// fn as a view, valid during the call only.
func (h *Handle) GetStateView(ctx context.Context, id *StateID, fn func(StateView)) error {
	return request(h, ctx, "state get", id.validate, func(b *wire.Builder) { id.build(b, msgGetSA) }, newStateView, fn)
}

// StateAdd adds the SA s (XFRM_MSG_NEWSA); it fails with EEXIST if the
// SA exists. s is checked before anything is sent.
func (h *Handle) StateAdd(ctx context.Context, s *State) error {
	return h.change(ctx, "state add", s.validate, func(b *wire.Builder) { s.build(b, msgNewSA, 0) })
}

// StateUpdate replaces the SA s (XFRM_MSG_UPDSA); it fails with ESRCH if
// there is none.
func (h *Handle) StateUpdate(ctx context.Context, s *State) error {
	return h.change(ctx, "state update", s.validate, func(b *wire.Builder) { s.build(b, msgUpdSA, 0) })
}

// StateDel deletes the SA id names (XFRM_MSG_DELSA).
func (h *Handle) StateDel(ctx context.Context, id *StateID) error {
	return h.change(ctx, "state delete", id.validate, func(b *wire.Builder) { id.build(b, msgDelSA) })
}

// StateFlush deletes every SA of protocol p (XFRM_MSG_FLUSHSA): ProtoAny
// (0) every SA, as "ip xfrm state flush" does; ProtoIPsecAny those of
// ESP, AH and IPComp.
func (h *Handle) StateFlush(ctx context.Context, p Proto) error {
	return h.change(ctx, "state flush", func() error { return nil }, func(b *wire.Builder) {
		b.Begin(msgFlushSA, 0)
		if f := b.Fixed(1); f != nil {
			f[0] = uint8(p) // struct xfrm_usersa_flush
		}
		b.End()
	})
}

// AllocSPI asks the kernel for an SPI in [Min, Max] for the SA that Src,
// Dst, Proto, Mode, Reqid (and Mark) describe (XFRM_MSG_ALLOCSPI), as an
// IKE daemon does before it adds the SA: the kernel holds a larval SA
// with that SPI (in the SA dump, for its acquire timeout).
type AllocSPI struct {
	Src, Dst netip.Addr
	Proto    Proto
	Mode     Mode
	Reqid    uint32
	Seq      uint32
	Min, Max uint32
	Mark     *Mark
}

// validate checks a.
func (a *AllocSPI) validate() error {
	if a == nil {
		return errNil
	}
	if _, err := pairFamily("allocspi", a.Src.Unmap(), a.Dst.Unmap()); err != nil {
		return err
	}
	if !a.Proto.ipsec() {
		return fmt.Errorf("protocol %s", a.Proto)
	}
	if a.Min > a.Max {
		return fmt.Errorf("range %#x-%#x", a.Min, a.Max)
	}
	return nil
}

// build writes a's request (struct xfrm_userspi_info).
func (a *AllocSPI) build(b *wire.Builder) {
	b.Begin(msgAllocSPI, 0)
	if p := b.Fixed(sizeofUserspiInfo); p != nil {
		dst := a.Dst.Unmap()
		putAddr(p[saID+idDaddr:], dst)
		p[saID+idProto] = uint8(a.Proto)
		putAddr(p[saSaddr:], a.Src)
		native.PutUint32(p[saSeq:], a.Seq)
		native.PutUint32(p[saReqid:], a.Reqid)
		native.PutUint16(p[saFamily:], addrFamily(dst))
		p[saMode] = uint8(a.Mode)
		native.PutUint32(p[sizeofUsersaInfo:], a.Min)
		native.PutUint32(p[sizeofUsersaInfo+4:], a.Max)
	}
	if a.Mark != nil {
		markAttr(b, a.Mark)
	}
	b.End()
}

// StateAllocSPI runs a; it returns the larval SA, whose SPI is the one
// allocated.
func (h *Handle) StateAllocSPI(ctx context.Context, a *AllocSPI) (s State, err error) {
	err = h.AllocSPIView(ctx, a, func(v StateView) { s = v.State() })
	return
}

// AllocSPIView runs a and passes the larval SA to fn as a view, valid
// during the call only.
func (h *Handle) AllocSPIView(ctx context.Context, a *AllocSPI, fn func(StateView)) error {
	return request(h, ctx, "state allocspi", a.validate, a.build, newStateView, fn)
}

// The policy calls, which the state calls mirror.

// PolicyAdd adds the policy p (XFRM_MSG_NEWPOLICY); it fails with EEXIST
// if one with its selector, direction, type and mark exists. PolicyUpdate
// adds or replaces it (XFRM_MSG_UPDPOLICY). PolicyDel deletes the policy
// id names (XFRM_MSG_DELPOLICY), Policy returns it (XFRM_MSG_GETPOLICY),
// and GetPolicyView passes it to fn as a view valid during the call.
func (h *Handle) PolicyAdd(ctx context.Context, p *Policy) error {
	return h.policyChange(ctx, "add", p, msgNewPolicy)
}

// PolicyUpdate: see [Handle.PolicyAdd].
func (h *Handle) PolicyUpdate(ctx context.Context, p *Policy) error {
	return h.policyChange(ctx, "update", p, msgUpdPolicy)
}

// policyChange sends p in a request of type typ.
func (h *Handle) policyChange(ctx context.Context, verb string, p *Policy, typ uint16) error {
	return h.change(ctx, "policy "+verb, p.validate, func(b *wire.Builder) { p.build(b, typ, 0) })
}

// PolicyDel: see [Handle.PolicyAdd].
func (h *Handle) PolicyDel(ctx context.Context, id *PolicyID) error {
	build := func(b *wire.Builder) { id.build(b, msgDelPolicy) }
	return h.change(ctx, "policy delete", id.validate, build)
}

// Policy: see [Handle.PolicyAdd].
func (h *Handle) Policy(ctx context.Context, id *PolicyID) (p Policy, err error) {
	err = h.GetPolicyView(ctx, id, func(v PolicyView) { p = v.Policy() })
	return
}

// GetPolicyView: see [Handle.PolicyAdd].
func (h *Handle) GetPolicyView(ctx context.Context, id *PolicyID, fn func(PolicyView)) error {
	build := func(b *wire.Builder) { id.build(b, msgGetPolicy) }
	return request(h, ctx, "policy get", id.validate, build, newPolicyView, fn)
}

// PolicyFlush deletes every policy of type t (XFRM_MSG_FLUSHPOLICY); with
// hasType false, the main ones, as "ip xfrm policy flush" does.
func (h *Handle) PolicyFlush(ctx context.Context, t PolicyType, hasType bool) error {
	validate := func() error {
		if hasType && t > PolicySub && t != PolicyAny {
			return fmt.Errorf("policy type %d", t)
		}
		return nil
	}
	return h.change(ctx, "policy flush", validate, func(b *wire.Builder) {
		b.Begin(msgFlushPolicy, 0)
		if hasType {
			typeAttr(b, t)
		}
		b.End()
	})
}

// SAInfo is the SA database's size (XFRM_MSG_NEWSADINFO).
type SAInfo struct {
	Count              uint32 // SAs
	HashCount, HashMax uint32 // hash buckets in use, allowed
}

// SAInfo returns the SA database's counts (XFRM_MSG_GETSADINFO).
func (h *Handle) SAInfo(ctx context.Context) (SAInfo, error) {
	var info SAInfo
	err := h.info(ctx, "state count", msgGetSADInfo, func(c nla.Chain) {
		info.Count, _ = u32Of(c, sadCnt)
		if b, ok := attrAt(c, sadHInfo, sizeofHInfo); ok {
			info.HashCount, info.HashMax = native.Uint32(b), native.Uint32(b[4:])
		}
	})
	return info, err
}

// SPDInfo is the policy database's size (XFRM_MSG_NEWSPDINFO): policies
// per direction, and per-socket policies.
type SPDInfo struct {
	In, Out, Fwd         uint32
	InSocket, OutSocket  uint32
	FwdSocket            uint32
	HashCount, HashMax   uint32
	HasThresh            bool
	IPv4LBits, IPv4RBits uint8 // XFRMA_SPD_IPV4_HTHRESH
	IPv6LBits, IPv6RBits uint8 // XFRMA_SPD_IPV6_HTHRESH
}

// SPDInfo returns the policy database's counts (XFRM_MSG_GETSPDINFO).
func (h *Handle) SPDInfo(ctx context.Context) (SPDInfo, error) {
	var info SPDInfo
	err := h.info(ctx, "policy count", msgGetSPDInfo, func(c nla.Chain) {
		if b, ok := attrAt(c, spdInfo, sizeofSPDInfo); ok {
			info.In, info.Out, info.Fwd = native.Uint32(b), native.Uint32(b[4:]), native.Uint32(b[8:])
			info.InSocket, info.OutSocket, info.FwdSocket = native.Uint32(b[12:]), native.Uint32(b[16:]), native.Uint32(b[20:])
		}
		if b, ok := attrAt(c, spdHInfo, sizeofHInfo); ok {
			info.HashCount, info.HashMax = native.Uint32(b), native.Uint32(b[4:])
		}
		if b, ok := attrAt(c, spdIPv4HThresh, 2); ok {
			info.HasThresh = true
			info.IPv4LBits, info.IPv4RBits = b[0], b[1]
		}
		if b, ok := attrAt(c, spdIPv6HThresh, 2); ok {
			info.HasThresh = true
			info.IPv6LBits, info.IPv6RBits = b[0], b[1]
		}
	})
	return info, err
}

// info runs a GETSADINFO or GETSPDINFO query (a __u32 flags word, then
// attributes in the reply).
func (h *Handle) info(ctx context.Context, op string, typ uint16, parse func(nla.Chain)) error {
	if err := h.check(ctx); err != nil {
		return err
	}
	b := h.builder.Get()
	b.Begin(typ, 0)
	if f := b.Fixed(4); f != nil {
		binary.NativeEndian.PutUint32(f, 0xffffffff)
	}
	b.End()
	return h.exchange(ctx, op, b, false, func(m wire.Message) error {
		if len(m.Data) < 4 {
			return fmt.Errorf("xfrm: %s: reply of %d bytes: %w", op, len(m.Data), wire.ErrMalformed)
		}
		parse(nla.Chain(m.Data[4:]))
		return nil
	})
}
