package seg6

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Family resolves the SEG6 family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")

// ErrHMACNotSupported is the kernel's ENOTSUPP (524, an errno of the
// kernel's own that libc has no name for), which a kernel built without
// CONFIG_IPV6_SEG6_HMAC answers to every HMAC request: errors.Is(err,
// ErrHMACNotSupported) tells it from a refusal of the request itself.
var ErrHMACNotSupported error = unix.Errno(524)

// The by-name schema of the family's messages, written by hand as static
// data, with the uapi names in lower case. ByName lists the types in the
// byte order of their names (checked by TestSchema).
var seg6Schema = &schema.Schema{
	Name: "seg6",
	Attrs: []schema.Attr{
		AttrDst:       {Name: "dst", Kind: schema.Addr},
		AttrDstLen:    {Name: "dstlen", Kind: schema.S32},
		AttrHMACKeyID: {Name: "hmackeyid", Kind: schema.U32},
		AttrSecret:    {Name: "secret", Kind: schema.Binary},
		AttrSecretLen: {Name: "secretlen", Kind: schema.U8},
		AttrAlgID:     {Name: "algid", Kind: schema.U8},
		AttrHMACInfo:  {Name: "hmacinfo", Kind: schema.Binary},
	},
	ByName: []uint16{AttrAlgID, AttrDst, AttrDstLen, AttrHMACInfo, AttrHMACKeyID, AttrSecret, AttrSecretLen},
}

// HMACKey is a view of one HMAC key (a SEG6_CMD_DUMPHMAC reply). It
// aliases the message it came from: in [HMACKeys], valid until the next
// iteration ([HMACKey.Clone] detaches it).
type HMACKey struct {
	attrs nla.Chain
}

// ParseHMACKey returns the view of m, a SEG6_CMD_DUMPHMAC reply.
func ParseHMACKey(m genl.Message) (HMACKey, error) {
	if err := m.Attrs.Err(); err != nil {
		return HMACKey{}, fmt.Errorf("seg6: %w", err)
	}
	k := HMACKey{attrs: m.Attrs}
	if k.ID() == 0 {
		return HMACKey{}, errors.New("seg6: HMAC key without an id")
	}
	return k, nil
}

// Clone returns a copy of k that does not alias the receive buffer.
func (k HMACKey) Clone() HMACKey { return HMACKey{attrs: append(nla.Chain(nil), k.attrs...)} }

// Chain is the key's attributes (SEG6_ATTR_*), raw.
func (k HMACKey) Chain() nla.Chain { return k.attrs }

// Get returns the attribute called name ("hmackeyid", "algid",
// "secretlen", "secret").
func (k HMACKey) Get(name string) (genl.Value, bool) {
	return schema.Lookup(seg6Schema, nil, k.attrs, []string{name})
}

// Attrs yields every attribute of the key, by name.
func (k HMACKey) Attrs() iter.Seq2[string, genl.Value] { return schema.All(seg6Schema, k.attrs) }

// ID is the key's id (never 0: the kernel refuses it).
func (k HMACKey) ID() uint32 {
	if a, ok := k.attrs.Get(AttrHMACKeyID); ok {
		if v, err := a.Uint32(); err == nil {
			return v
		}
	}
	return 0
}

// Algorithm is the key's hash.
func (k HMACKey) Algorithm() Algorithm { return Algorithm(k.uint8(AttrAlgID)) }

func (k HMACKey) uint8(typ uint16) uint8 {
	if a, ok := k.attrs.Get(typ); ok {
		if v, err := a.Uint8(); err == nil {
			return v
		}
	}
	return 0
}

// Secret is the key's secret, aliasing the message: the secret
// attribute, as long as the secret-length attribute says (the kernel
// sends both alike).
func (k HMACKey) Secret() []byte {
	a, ok := k.attrs.Get(AttrSecret)
	if !ok {
		return nil
	}
	return a.Data[:min(len(a.Data), int(k.uint8(AttrSecretLen)))]
}

// HMACKeys lists the HMAC keys (SEG6_CMD_DUMPHMAC). Each view is valid
// until the next iteration; iterating allocates nothing per key. A
// kernel without HMAC support fails it with [ErrHMACNotSupported].
func HMACKeys(ctx context.Context, h *genl.Handle) iter.Seq2[HMACKey, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdDumpHMAC}, ParseHMACKey)
}

// TunnelSource is the source address the kernel gives the outer IPv6
// header of the packets its seg6 routes encapsulate (SEG6_CMD_GET_TUNSRC):
// the unspecified address (::) until one is set.
func TunnelSource(ctx context.Context, h *genl.Handle) (netip.Addr, error) {
	return genl.QueryFamily(ctx, h, FamilyName, genl.Request{Command: CmdGetTunSrc}, parseTunSrc)
}

func parseTunSrc(m genl.Message) (netip.Addr, error) {
	a, ok := m.Attrs.Get(AttrDst)
	if !ok {
		return netip.Addr{}, errors.New("seg6: tunnel source reply without an address")
	}
	addr, err := a.Addr()
	if err != nil || !addr.Is6() {
		return netip.Addr{}, fmt.Errorf("seg6: tunnel source of %d bytes", len(a.Data))
	}
	return addr, nil
}

// SetTunnelSource is the request that makes addr, an IPv6 address (the
// unspecified address lets the kernel choose again), the tunnel source.
func SetTunnelSource(addr netip.Addr) (genl.Request, error) {
	if !addr.Is6() || addr.Zone() != "" {
		return genl.Request{}, fmt.Errorf("seg6: %w: tunnel source %q is not an IPv6 address", ErrInvalid, addr)
	}
	return genl.Request{Command: CmdSetTunSrc, Attrs: func(e *nla.Encoder) { e.Addr(AttrDst, addr) }}, nil
}

// SetHMAC is the request that makes secret, with algorithm alg, the HMAC
// key id (replacing the key of that id, if there is one). An empty
// secret deletes the key instead, as the kernel reads it. The secret is
// copied.
func SetHMAC(id uint32, alg Algorithm, secret []byte) (genl.Request, error) {
	switch {
	case id == 0:
		return genl.Request{}, fmt.Errorf("seg6: %w: HMAC key id 0", ErrInvalid)
	case len(secret) > SecretMaxLen:
		return genl.Request{}, fmt.Errorf("seg6: %w: HMAC secret of %d bytes, more than %d", ErrInvalid, len(secret), SecretMaxLen)
	}
	secret = append([]byte(nil), secret...)
	// ip's order: id, length, algorithm, then the secret if there is one.
	return genl.Request{Command: CmdSetHMAC, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrHMACKeyID, id)
		e.Uint8(AttrSecretLen, uint8(len(secret)))
		e.Uint8(AttrAlgID, uint8(alg))
		if len(secret) > 0 {
			e.Binary(AttrSecret, secret)
		}
	}}, nil
}

// DeleteHMAC is the request that deletes the HMAC key id: [SetHMAC] with
// an empty secret (the kernel wants an algorithm there, and ignores it).
func DeleteHMAC(id uint32) (genl.Request, error) { return SetHMAC(id, SHA256, nil) }

// Do resolves the SEG6 family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
