package tc

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
)

// Pedit edits packet bytes: each key ANDs a 32-bit word with Mask and
// XORs (or, extended, adds) Val ("action pedit munge offset 0 u32 set 1",
// "action pedit ex munge ip ttl set 10").
type Pedit struct {
	Keys []PeditKey
	// Extended sends the keys with their header types and commands
	// (TCA_PEDIT_PARMS_EX and TCA_PEDIT_KEYS_EX: tc's "ex").
	Extended bool
}

// PeditKey is one edit (struct tc_pedit_key, and its extended header type
// and command). Mask and Val are the 32-bit word's bits as they are on
// the wire (big-endian): the byte at Off is their top byte.
type PeditKey struct {
	Mask, Val uint32
	Off       int32
	// At, OffMask and Shift make the offset relative to a packet byte
	// ("at AT offmask MASK shift SHIFT").
	At, OffMask uint32
	Shift       uint32
	// Header is the header Off is relative to (PeditNetwork, PeditEth,
	// PeditIPv4, PeditIPv6, PeditTCP, PeditUDP); extended keys only.
	Header uint16
	// Add adds Val instead of setting it; extended keys only.
	Add bool
}

// The headers of [PeditKey.Header] (TCA_PEDIT_KEY_EX_HDR_TYPE_*).
const (
	PeditNetwork = 0
	PeditEth     = 1
	PeditIPv4    = 2
	PeditIPv6    = 3
	PeditTCP     = 4
	PeditUDP     = 5
)

// PeditSet returns the key that sets the size-byte field (1, 2 or 4) at
// offset to value, as tc's "munge offset OFF u8|u16|u32 set VALUE" does.
func PeditSet(offset int32, size int, value uint32) (PeditKey, error) {
	if size != 1 && size != 2 && size != 4 {
		return PeditKey{}, fmt.Errorf("tc: pedit: field of %d bytes, want 1, 2 or 4", size)
	}
	pos := int(offset & 3)
	if pos+size > 4 {
		return PeditKey{}, fmt.Errorf("tc: pedit: %d-byte field at offset %d crosses a 32-bit word", size, offset)
	}
	if size < 4 && value>>(8*size) != 0 {
		return PeditKey{}, fmt.Errorf("tc: pedit: value %#x does not fit %d bytes", value, size)
	}
	shift := uint(4-size-pos) * 8
	field := uint32(1)<<(8*size) - 1
	if size == 4 {
		field = ^uint32(0)
	}
	return PeditKey{Mask: ^(field << shift), Val: value << shift, Off: offset &^ 3}, nil
}

// maxPeditKeys is MAX_OFFS in tc: the most keys one pedit sends.
const maxPeditKeys = 128

// peditKeyLen is sizeof(struct tc_pedit_key); peditSelLen of
// tc_pedit_sel without keys.
const (
	peditKeyLen = 24
	peditSelLen = tcGenLen + 4
)

// ActionKind returns "pedit".
func (*Pedit) ActionKind() string { return "pedit" }

func (p *Pedit) appendOptions(e *nla.Encoder, a *Action) error {
	if len(p.Keys) == 0 && a.Index == 0 {
		return errors.New("no keys")
	}
	if len(p.Keys) > maxPeditKeys {
		return fmt.Errorf("%d keys, at most %d", len(p.Keys), maxPeditKeys)
	}
	typ := uint16(tcaPeditParms)
	if p.Extended {
		typ = tcaPeditParmsEx
	}
	if b := structAttr(e, typ, peditSelLen+peditKeyLen*len(p.Keys)); b != nil {
		a.gen(b, VerdictPass)
		b[20] = uint8(len(p.Keys))
		for i, k := range p.Keys {
			if !p.Extended && (k.Header != 0 || k.Add) {
				return errors.New("header types and add need extended keys")
			}
			q := b[peditSelLen+peditKeyLen*i:]
			binary.BigEndian.PutUint32(q, k.Mask)
			binary.BigEndian.PutUint32(q[4:], k.Val)
			native.PutUint32(q[8:], uint32(k.Off))
			native.PutUint32(q[12:], k.At)
			native.PutUint32(q[16:], k.OffMask)
			native.PutUint32(q[20:], k.Shift)
		}
	}
	if p.Extended {
		keys := e.BeginNest(tcaPeditKeysEx)
		for _, k := range p.Keys {
			n := e.BeginNest(tcaPeditKeyEx)
			e.Uint16(tcaPeditKeyExHtype, k.Header)
			cmd := uint16(tcaPeditKeyExCmdSet)
			if k.Add {
				cmd = tcaPeditKeyExCmdAdd
			}
			e.Uint16(tcaPeditKeyExCmd, cmd)
			e.EndNest(n)
		}
		e.EndNest(keys)
	}
	return nil
}

func (p *Pedit) decode(opts nla.Chain) error {
	a, ok := opts.Get(tcaPeditParmsEx)
	if ok {
		p.Extended = true
	} else if a, ok = opts.Get(tcaPeditParms); !ok {
		return errors.New("no parameters")
	}
	b := a.Data
	if len(b) < peditSelLen {
		return fmt.Errorf("parameters of %d bytes", len(b))
	}
	n := int(b[20])
	if len(b) < peditSelLen+peditKeyLen*n {
		return fmt.Errorf("%d keys in %d bytes", n, len(b))
	}
	p.Keys = make([]PeditKey, n)
	for i := range p.Keys {
		q := b[peditSelLen+peditKeyLen*i:]
		p.Keys[i] = PeditKey{Mask: binary.BigEndian.Uint32(q), Val: binary.BigEndian.Uint32(q[4:]),
			Off: int32(native.Uint32(q[8:])), At: native.Uint32(q[12:]), OffMask: native.Uint32(q[16:]),
			Shift: native.Uint32(q[20:])}
	}
	if ex, ok := opts.Get(tcaPeditKeysEx); ok {
		i := 0
		for k := range ex.Nested().AllOf(tcaPeditKeyEx) {
			if i >= n {
				break
			}
			for f := range k.Nested().All() {
				v, _ := f.Uint16()
				switch f.Kind() {
				case tcaPeditKeyExHtype:
					p.Keys[i].Header = v
				case tcaPeditKeyExCmd:
					p.Keys[i].Add = v == tcaPeditKeyExCmdAdd
				}
			}
			i++
		}
	}
	return nil
}
