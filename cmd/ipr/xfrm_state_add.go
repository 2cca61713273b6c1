package main

// "ipr xfrm state add" and "update": xfrm_state_modify.

import (
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/xfrm"
)

// xfrmStateModify is xfrm_state_modify: the SA the words describe,
// checked as ip checks it, then added or updated.
func xfrmStateModify(e *env, a *xargs, update bool) error {
	s := &xfrm.State{}
	family := e.Family
	var replayWindow, seq, oseq, seqHi, oseqHi uint32
	var mark, outMark xfrm.Mark
	var idSeen, coaSeen bool
	var ealg, aalg, aead, calg string
	for ; a.more(); a.i++ {
		w := a.cur()
		known, err := a.saWord(w, &s.Mode, &mark, &s.Reqid, &s.Seq)
		switch {
		case known:
		case w == "replay-window":
			replayWindow, err = a.u32(`value after "replay-window" is invalid`)
		case w == "replay-seq":
			seq, err = a.u32(`value after "replay-seq" is invalid`)
		case w == "replay-seq-hi":
			seqHi, err = a.u32(`value after "replay-seq-hi" is invalid`)
		case w == "replay-oseq":
			oseq, err = a.u32(`value after "replay-oseq" is invalid`)
		case w == "replay-oseq-hi":
			oseqHi, err = a.u32(`value after "replay-oseq-hi" is invalid`)
		case w == "flag":
			var v uint32
			v, err = a.flags(stateFlagNames)
			s.Flags = xfrm.StateFlags(v)
		case w == "extra-flag":
			s.ExtraFlags, err = a.flags(extraFlagNames)
		case w == "sel":
			if _, err = a.next(); err == nil {
				s.Selector, err = a.selector(e, 0)
				family = uint8(s.Selector.Family)
			}
		case w == "limit":
			err = a.limit(&s.Lifetime)
		case w == "encap":
			s.Encap, err = a.encap()
		case w == "coa":
			if coaSeen {
				return duparg("coa", w)
			}
			coaSeen = true
			var v string
			if v, err = a.next(); err == nil {
				var p netip.Prefix
				p, _, err = parsePrefix("coa", v, family)
				s.CoAddr = p.Addr()
			}
		case w == "ctx":
			s.SecCtx, err = a.secCtx(s.SecCtx)
		case w == "offload":
			s.Offload, err = a.offload(e)
		case w == "output-mark":
			if outMark.Value, err = a.u32(`value after "output-mark" is invalid`); err == nil && a.nextOK() && a.w[a.i+1] == "mask" {
				a.i++
				outMark.Mask, err = a.u32("mask value is invalid\n")
			}
		case w == "if_id":
			s.IfID, err = a.u32(`value after "if_id" is invalid`)
			s.HasIfID = true
		case w == "tfcpad":
			s.TFCPad, err = a.u32(`value after "tfcpad" is invalid`)
		case w == "enc" || w == "auth" || w == "auth-trunc" || w == "aead" || w == "comp":
			switch w {
			case "aead":
				if ealg != "" || aalg != "" || aead != "" {
					return duparg("ALGO-TYPE", w)
				}
				aead = w
			case "enc":
				if ealg != "" || aead != "" {
					return duparg("ALGO-TYPE", w)
				}
				ealg = w
			case "auth", "auth-trunc":
				if aalg != "" || aead != "" {
					return duparg("ALGO-TYPE", w)
				}
				aalg = w
			case "comp":
				if calg != "" {
					return duparg("ALGO-TYPE", w)
				}
				calg = w
			}
			err = a.algo(s, w)
		default:
			if idSeen {
				return invarg("unknown", w)
			}
			idSeen = true
			var id xfrmID
			if id, err = a.id(family, false); err == nil {
				s.Src, s.Dst, s.Proto, s.SPI = id.src.Addr(), id.dst.Addr(), id.proto, id.spi
				if family == 0 {
					family = id.family
				}
			}
		}
		if err != nil {
			return err
		}
	}
	fail := func(format string, args ...any) error {
		return &cliError{code: exitFailure, msg: fmt.Sprintf(format, args...)}
	}
	if s.Flags&xfrm.StateESN != 0 && replayWindow == 0 {
		return &cliError{code: exitUsage, msg: "Error: esn flag set without replay-window."}
	}
	if replayWindow > 4096 {
		return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: replay-window (%d) > XFRMA_REPLAY_ESN_MAX (4096).", replayWindow)}
	}
	if s.Flags&xfrm.StateESN != 0 || replayWindow > 32 {
		s.ReplayESN = &xfrm.ReplayESN{Window: replayWindow, Seq: seq, OSeq: oseq, SeqHi: seqHi, OSeqHi: oseqHi}
	} else {
		if seq != 0 || oseq != 0 {
			s.Replay = &xfrm.Replay{Seq: seq, OSeq: oseq}
		}
		s.ReplayWindow = uint8(replayWindow)
	}
	if !idSeen {
		return fail("Not enough information: ID is required")
	}
	if mark.Mask != 0 {
		s.Mark = &mark
	}
	if outMark != (xfrm.Mark{}) {
		s.SetMark = &outMark
	}
	pr := s.Proto.String()
	switch s.Proto {
	case xfrm.ProtoESP, xfrm.ProtoAH, xfrm.ProtoComp:
		if !(s.Mode == xfrm.ModeTransport || s.Mode == xfrm.ModeTunnel || s.Mode == xfrm.ModeBEET && s.Proto == xfrm.ProtoESP) {
			return fail("MODE value is invalid with XFRM-PROTO value \"%s\"", pr)
		}
		switch {
		case s.Proto == xfrm.ProtoESP && calg != "":
			return fail("ALGO-TYPE value \"comp\" is invalid with XFRM-PROTO value \"%s\"", pr)
		case s.Proto == xfrm.ProtoESP && ealg == "" && aead == "":
			return fail("ALGO-TYPE value \"enc\" or \"aead\" is required with XFRM-PROTO value \"%s\"", pr)
		case s.Proto == xfrm.ProtoAH && (ealg != "" || aead != "" || calg != ""):
			return fail("ALGO-TYPE values \"enc\", \"aead\", and \"comp\" are invalid with XFRM-PROTO value \"%s\"", pr)
		case s.Proto == xfrm.ProtoAH && aalg == "":
			return fail("ALGO-TYPE value \"auth\" or \"auth-trunc\" is required with XFRM-PROTO value \"%s\"", pr)
		case s.Proto == xfrm.ProtoComp && (ealg != "" || aalg != "" || aead != ""):
			return fail("ALGO-TYPE values \"enc\", \"auth\", \"auth-trunc\", and \"aead\" are invalid with XFRM-PROTO value \"%s\"", pr)
		case s.Proto == xfrm.ProtoComp && calg == "":
			return fail("ALGO-TYPE value \"comp\" is required with XFRM-PROTO value \"%s\"", pr)
		}
	default:
		if ealg != "" || aalg != "" || aead != "" || calg != "" {
			return fail("ALGO is invalid with XFRM-PROTO value \"%s\"", pr)
		}
	}
	if s.Proto == xfrm.ProtoRoute2 || s.Proto == xfrm.ProtoHAO {
		switch {
		case s.Mode == 0:
			return fail("\"mode\" is required with XFRM-PROTO value \"%s\"", pr)
		case s.Mode != xfrm.ModeRO && s.Mode != xfrm.ModeInTrigger:
			return fail("MODE value is invalid with XFRM-PROTO value \"%s\"", pr)
		case !coaSeen:
			return fail("\"coa\" is required with XFRM-PROTO value \"%s\"", pr)
		}
	} else if coaSeen {
		return fail("\"coa\" is invalid with XFRM-PROTO value \"%s\"", pr)
	}
	if !s.Src.IsValid() {
		s.Src = unspecifiedLike(s.Dst)
	}
	if !s.Dst.IsValid() {
		s.Dst = unspecifiedLike(s.Src)
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		if update {
			return h.StateUpdate(e.ctx, s)
		}
		return h.StateAdd(e.ctx, s)
	})
}

// unspecifiedLike is the any address of a's family (IPv4 for none).
func unspecifiedLike(a netip.Addr) netip.Addr {
	if a.Is6() {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

// encap reads "encap TYPE SPORT DPORT OADDR".
func (a *xargs) encap() (*xfrm.Encap, error) {
	t, err := a.choice("ENCAP-TYPE value is invalid", "espinudp-nonike", "espinudp", "espintcp")
	if err != nil {
		return nil, err
	}
	e := &xfrm.Encap{Type: [...]uint16{xfrm.EncapESPInUDPNonIKE, xfrm.EncapESPInUDP, xfrm.EncapESPInTCP}[t]}
	sport, err := a.num(16, `SPORT value after "encap" is invalid`)
	if err != nil {
		return nil, err
	}
	dport, err := a.num(16, `DPORT value after "encap" is invalid`)
	if err != nil {
		return nil, err
	}
	e.SrcPort, e.DstPort = uint16(sport), uint16(dport)
	w, err := a.next()
	if err == nil {
		e.OrigAddr, err = parseAddr("encap", w, 0)
	}
	return e, err
}

// required is NEXT_ARG_OK's missarg(what), then the next word.
func (a *xargs) required(what string) (string, error) {
	if !a.nextOK() {
		return "", missarg(what)
	}
	return a.next()
}

// algo reads ALGO-NAME and, but for comp, ALGO-KEYMAT, then the ICV or
// truncation length, into s.
func (a *xargs) algo(s *xfrm.State, typ string) error {
	name, err := a.required("ALGO-NAME")
	if err != nil {
		return err
	}
	if len(name) > 63 {
		name = name[:63] // strlcpy into alg_name[64]
	}
	alg := &xfrm.Algo{Name: name}
	if typ != "comp" {
		key, err := a.required("ALGO-KEYMAT")
		if err == nil {
			alg.Key, err = algoKey(key)
		}
		if err != nil {
			return err
		}
	}
	var length *uint32
	var what string
	*map[string]**xfrm.Algo{"aead": &s.AEAD, "auth-trunc": &s.Auth, "auth": &s.Auth, "enc": &s.Crypt, "comp": &s.Comp}[typ] = alg
	if typ == "aead" {
		length, what = &alg.ICVBits, "ALGO-ICV-LEN"
	} else if typ == "auth-trunc" {
		length, what = &alg.TruncBits, "ALGO-TRUNC-LEN"
	}
	if length == nil {
		return nil
	}
	if !a.nextOK() {
		return missarg(what)
	}
	*length, err = a.u32(what + " value is invalid")
	return err
}

// secCtx is "ctx CTX" (xfrm_sctx_parse: an SELinux context, with its
// NUL, as ip sends it); prev is the one given before, if any.
func (a *xargs) secCtx(prev *xfrm.SecCtx) (*xfrm.SecCtx, error) {
	if prev != nil {
		return nil, duparg("ctx", a.cur())
	}
	w, err := a.next()
	if err != nil {
		return nil, err
	}
	return &xfrm.SecCtx{DOI: 1, Alg: 1, Context: w}, nil
}

// offload is "offload [ dev DEV ] dir DIR".
func (a *xargs) offload(e *env) (*xfrm.Offload, error) {
	o := &xfrm.Offload{}
	w, err := a.next()
	if err == nil && w == "dev" {
		var dev string
		if dev, err = a.next(); err == nil {
			if o.Ifindex, err = e.linkIndex(dev); err == nil && o.Ifindex == 0 {
				err = invarg(`value after "offload dev" is invalid`, dev)
			}
		}
		if err == nil {
			w, err = a.next()
		}
	}
	switch {
	case err != nil:
		return nil, err
	case w != "dir":
		return nil, invarg(`value after "offload dir" is invalid`, w)
	}
	i, err := a.choice("DIR value is invalid", "out", "in")
	o.Flags = uint8(i) << 1 // XFRM_OFFLOAD_INBOUND
	return o, err
}
