package seg6

import (
	"context"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
)

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
		return HMACKey{}, fmt.Errorf("seg6: HMAC key without an id (%d bytes of attributes)", len(m.Attrs))
	}
	return k, nil
}

// Clone returns a copy of k that does not alias the receive buffer.
func (k HMACKey) Clone() HMACKey { return HMACKey{attrs: append(nla.Chain(nil), k.attrs...)} }

// Chain is the key's attributes (SEG6_ATTR_*), raw.
func (k HMACKey) Chain() nla.Chain { return k.attrs }

// ID is the key's id (never 0: the kernel refuses it).
func (k HMACKey) ID() uint32 { return genlview.Attr(k.attrs, AttrHMACKeyID, nla.Attr.Uint32) }

// Algorithm is the key's hash.
func (k HMACKey) Algorithm() Algorithm {
	return Algorithm(genlview.Attr(k.attrs, AttrAlgID, nla.Attr.Uint8))
}

// Secret is the key's secret, aliasing the message: the secret
// attribute, as long as the secret-length attribute says (the kernel
// sends both alike).
func (k HMACKey) Secret() []byte {
	a, ok := k.attrs.Get(AttrSecret)
	if !ok {
		return nil
	}
	return a.Data[:min(len(a.Data), int(genlview.Attr(k.attrs, AttrSecretLen, nla.Attr.Uint8)))]
}

// HMACKeys lists the HMAC keys (SEG6_CMD_DUMPHMAC). Each view is valid
// until the next iteration; iterating allocates nothing per key. A
// kernel without HMAC support fails it with [ErrHMACNotSupported].
func HMACKeys(ctx context.Context, h *genl.Handle) iter.Seq2[HMACKey, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdDumpHMAC}, ParseHMACKey)
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
