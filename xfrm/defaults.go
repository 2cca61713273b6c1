package xfrm

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/wire"
)

// DefaultAction is what the kernel does with the packets of a direction
// that no policy matches (XFRM_USERPOLICY_*).
type DefaultAction uint8

// The default actions of linux/xfrm.h.
const (
	DefaultUnspec DefaultAction = iota // XFRM_USERPOLICY_UNSPEC: in a change, leave as it is
	DefaultBlock                       // XFRM_USERPOLICY_BLOCK
	DefaultAccept                      // XFRM_USERPOLICY_ACCEPT
)

// String returns iproute2's name of a ("unspec", "block", "accept").
func (a DefaultAction) String() string {
	if a > DefaultAccept {
		return "unknown"
	}
	return nameOf(uint8(a), "unspec", "block", "accept")
}

// Defaults are the default actions of the three directions (struct
// xfrm_userpolicy_default), as "ip xfrm policy getdefault" shows them.
type Defaults struct {
	In, Fwd, Out DefaultAction
}

// defaultsAt decodes a struct xfrm_userpolicy_default.
func defaultsAt(b []byte) (Defaults, bool) {
	if len(b) < sizeofDefault {
		return Defaults{}, false
	}
	return Defaults{In: DefaultAction(b[0]), Fwd: DefaultAction(b[1]), Out: DefaultAction(b[2])}, true
}

// PolicyDefaults returns the default actions (XFRM_MSG_GETDEFAULT).
func (h *Handle) PolicyDefaults(ctx context.Context) (d Defaults, err error) {
	build := func(b *wire.Builder) {
		b.Begin(msgGetDefault, 0)
		b.Fixed(sizeofDefault)
		b.End()
	}
	parse := func(m wire.Message) (Defaults, error) {
		d, ok := defaultsAt(m.Data)
		if !ok {
			return d, fmt.Errorf("xfrm: policy getdefault: reply of %d bytes: %w", len(m.Data), wire.ErrMalformed)
		}
		return d, nil
	}
	err = request(h, ctx, "policy getdefault", func() error { return nil }, build, parse, func(v Defaults) { d = v })
	return d, err
}

// SetPolicyDefaults sets the default actions (XFRM_MSG_SETDEFAULT); a
// direction whose action is DefaultUnspec keeps its own.
func (h *Handle) SetPolicyDefaults(ctx context.Context, d Defaults) error {
	validate := func() error {
		if d.In > DefaultAccept || d.Fwd > DefaultAccept || d.Out > DefaultAccept {
			return fmt.Errorf("default actions %+v", d)
		}
		return nil
	}
	return h.change(ctx, "policy setdefault", validate, func(b *wire.Builder) {
		b.Begin(msgSetDefault, 0)
		if f := b.Fixed(sizeofDefault); f != nil {
			f[0], f[1], f[2] = uint8(d.In), uint8(d.Fwd), uint8(d.Out)
		}
		b.End()
	})
}

// Defaults returns the default actions an EventDefaults tells of (the
// kernel's notification of a change, an XFRM_MSG_GETDEFAULT).
func (ev Event) Defaults() (Defaults, bool) {
	if ev.Type() != EventDefaults {
		return Defaults{}, false
	}
	return defaultsAt(ev.Message.Data)
}

// HashThresh are the prefix lengths up to which the kernel hashes
// policies by their local and remote addresses (struct xfrmu_spdhthresh):
// policies with shorter prefixes are searched in a list.
type HashThresh struct {
	Local, Remote uint8
}

// SetSPDHashThresholds sets the hash thresholds of IPv4 and IPv6
// policies (XFRM_MSG_NEWSPDINFO, as "ip xfrm policy set hthresh4 L R
// hthresh6 L R"); a nil one is left as it is. SPDInfo reads them.
func (h *Handle) SetSPDHashThresholds(ctx context.Context, v4, v6 *HashThresh) error {
	validate := func() error {
		if v4 != nil && (v4.Local > 32 || v4.Remote > 32) || v6 != nil && (v6.Local > 128 || v6.Remote > 128) {
			return fmt.Errorf("hash thresholds %v %v past the address lengths", v4, v6)
		}
		return nil
	}
	return h.change(ctx, "policy set", validate, func(b *wire.Builder) {
		b.Begin(msgNewSPDInfo, 0)
		if f := b.Fixed(4); f != nil {
			native.PutUint32(f, 0xffffffff)
		}
		if v4 != nil {
			b.Binary(spdIPv4HThresh, []byte{v4.Local, v4.Remote})
		}
		if v6 != nil {
			b.Binary(spdIPv6HThresh, []byte{v6.Local, v6.Remote})
		}
		b.End()
	})
}
