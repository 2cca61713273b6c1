package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
)

// EmatchOperand compares a match's value: equal, greater or less than.
type EmatchOperand uint8

// The operands (TCF_EM_OPND_*).
const (
	EmatchEq EmatchOperand = 0
	EmatchGt EmatchOperand = 1
	EmatchLt EmatchOperand = 2
)

// The layers a match's offset counts from (TCF_LAYER_*).
const (
	EmatchLayerLink      = 0
	EmatchLayerNetwork   = 1
	EmatchLayerTransport = 2
)

// nibbles packs two 4-bit fields declared lo first in a C bitfield
// byte, as the machine's compiler lays them out.
func nibbles(lo, hi uint8) byte {
	if isLittleEndian() {
		return lo&0xf | hi<<4
	}
	return lo<<4 | hi&0xf
}

// unnibbles reads a byte packed by nibbles.
func unnibbles(b byte) (lo, hi uint8) {
	if isLittleEndian() {
		return b & 0xf, b >> 4
	}
	return b >> 4, b & 0xf
}

func isLittleEndian() bool { return native.Uint16([]byte{1, 0}) == 1 }

// EmatchCmp compares a 1, 2 or 4-byte field of the packet, at Offset
// from the start of Layer, masked, with Value ("cmp(u16 at 0 layer 2
// mask 0xff00 gt 10)", struct tcf_em_cmp).
type EmatchCmp struct {
	// Align is the field's size in bytes: 1, 2 or 4.
	Align  uint8
	Offset uint16
	Layer  uint8
	Mask   uint32
	Value  uint32
	Op     EmatchOperand
	// Trans converts the field from network byte order ("trans").
	Trans bool
}

// EmatchKind returns EmatchKindCmp.
func (*EmatchCmp) EmatchKind() uint16 { return EmatchKindCmp }

func (c *EmatchCmp) appendData(e *nla.Encoder) error {
	if c.Align != 1 && c.Align != 2 && c.Align != 4 {
		return fmt.Errorf("cmp: invalid alignment %d", c.Align)
	}
	if c.Layer > EmatchLayerTransport || c.Op > EmatchLt {
		return errors.New("cmp: layer or operand out of range")
	}
	b := e.Reserve(12)
	if b == nil {
		return e.Err()
	}
	native.PutUint32(b[0:], c.Value)
	native.PutUint32(b[4:], c.Mask)
	native.PutUint16(b[8:], c.Offset)
	var flags uint8
	if c.Trans {
		flags = 1 // TCF_EM_CMP_TRANS
	}
	b[10] = nibbles(c.Align, flags)
	b[11] = nibbles(c.Layer, uint8(c.Op))
	return nil
}

func (c *EmatchCmp) decode(d []byte) error {
	if len(d) < 12 {
		return errors.New("cmp: short data")
	}
	c.Value, c.Mask, c.Offset = native.Uint32(d), native.Uint32(d[4:]), native.Uint16(d[8:])
	var flags, op uint8
	c.Align, flags = unnibbles(d[10])
	c.Layer, op = unnibbles(d[11])
	c.Op, c.Trans = EmatchOperand(op), flags&1 != 0
	return nil
}

// EmatchU32 matches a 32-bit word of the packet, masked, at Offset from
// the network header or, with NextHdr, from the transport header
// ("u32(u16 0x1122 0xffff at nexthdr+4)", struct tc_u32_key). Value and
// Mask are in host order, as tc prints them; tc's u8 and u16 forms are
// shifted into the word by their offset.
type EmatchU32 struct {
	Value, Mask uint32
	Offset      int32
	NextHdr     bool
}

// EmatchKind returns EmatchKindU32.
func (*EmatchU32) EmatchKind() uint16 { return EmatchKindU32 }

func (u *EmatchU32) appendData(e *nla.Encoder) error {
	if u.Offset%4 != 0 {
		return fmt.Errorf("u32: offset %d is not a multiple of 4", u.Offset)
	}
	b := e.Reserve(16)
	if b == nil {
		return e.Err()
	}
	putBE32(b[0:], u.Mask)
	putBE32(b[4:], u.Value&u.Mask)
	native.PutUint32(b[8:], uint32(u.Offset))
	if u.NextHdr {
		native.PutUint32(b[12:], 0xffffffff)
	}
	return nil
}

func (u *EmatchU32) decode(d []byte) error {
	if len(d) < 16 {
		return errors.New("u32: short data")
	}
	u.Mask, u.Value = be32(d), be32(d[4:])
	u.Offset, u.NextHdr = int32(native.Uint32(d[8:])), native.Uint32(d[12:]) != 0
	return nil
}

func putBE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// EmatchNbyte matches the bytes Needle at Offset from the start of
// Layer ("nbyte(\"abc\" at 12 layer 1)", struct tcf_em_nbyte).
type EmatchNbyte struct {
	Needle []byte
	Offset uint16
	Layer  uint8
}

// EmatchKind returns EmatchKindNbyte.
func (*EmatchNbyte) EmatchKind() uint16 { return EmatchKindNbyte }

func (n *EmatchNbyte) appendData(e *nla.Encoder) error {
	if len(n.Needle) == 0 || len(n.Needle) > 0xfff {
		return fmt.Errorf("nbyte: needle of %d bytes (1 to 4095)", len(n.Needle))
	}
	if n.Layer > EmatchLayerTransport {
		return fmt.Errorf("nbyte: layer %d out of range", n.Layer)
	}
	b := e.Reserve(4 + len(n.Needle))
	if b == nil {
		return e.Err()
	}
	native.PutUint16(b, n.Offset)
	l := uint16(len(n.Needle))
	if isLittleEndian() {
		native.PutUint16(b[2:], l|uint16(n.Layer)<<12)
	} else {
		native.PutUint16(b[2:], l<<4|uint16(n.Layer))
	}
	copy(b[4:], n.Needle)
	return nil
}

func (n *EmatchNbyte) decode(d []byte) error {
	if len(d) < 4 {
		return errors.New("nbyte: short data")
	}
	n.Offset = native.Uint16(d)
	v := native.Uint16(d[2:])
	l := v & 0xfff
	n.Layer = uint8(v >> 12)
	if !isLittleEndian() {
		l, n.Layer = v>>4, uint8(v&0xf)
	}
	if int(l) > len(d)-4 {
		return errors.New("nbyte: needle longer than the data")
	}
	n.Needle = append([]byte(nil), d[4:4+l]...)
	return nil
}

// EmatchMeta compares two values, each a meta attribute of the packet
// or a constant ("meta(nf_mark gt 24)", "meta(dev eq \"eth0\")").
type EmatchMeta struct {
	Left, Right EmatchMetaValue
	Op          EmatchOperand
}

// EmatchMetaValue is an operand of a meta match (struct tcf_meta_val and
// its value attribute).
type EmatchMetaValue struct {
	// ID is the meta attribute (TCF_META_ID_*: 5 for dev, 12 for
	// nf_mark, ...); 0 for a constant.
	ID uint16
	// Var compares as bytes (TCF_META_TYPE_VAR), not as an integer.
	Var   bool
	Shift uint8
	// Int is an integer constant, or an integer attribute's mask (0
	// for none).
	Int uint32
	// Bytes is a constant compared as bytes (Var, ID 0).
	Bytes []byte
}

// The attributes of a meta match (TCA_EM_META_*).
const (
	emMetaHdr    = 1
	emMetaLvalue = 2
	emMetaRvalue = 3
)

// EmatchKind returns EmatchKindMeta.
func (*EmatchMeta) EmatchKind() uint16 { return EmatchKindMeta }

func (v *EmatchMetaValue) kind() uint16 {
	k := v.ID & 0xfff
	if !v.Var {
		k |= 1 << 12 // TCF_META_TYPE_INT
	}
	return k
}

// appendValue appends an operand's value as tc's dump_value does: an
// integer always, bytes for a constant only.
func (v *EmatchMetaValue) appendValue(e *nla.Encoder, typ uint16) {
	switch {
	case !v.Var:
		e.Uint32(typ, v.Int)
	case v.ID == 0:
		e.Binary(typ, v.Bytes)
	}
}

func (m *EmatchMeta) appendData(e *nla.Encoder) error {
	if m.Left.ID > 0xfff || m.Right.ID > 0xfff {
		return errors.New("meta: id out of range")
	}
	if m.Op > EmatchLt {
		return fmt.Errorf("meta: invalid operand %d", m.Op)
	}
	var h [8]byte
	native.PutUint16(h[0:], m.Left.kind())
	h[2], h[3] = m.Left.Shift, uint8(m.Op)
	native.PutUint16(h[4:], m.Right.kind())
	h[6] = m.Right.Shift
	e.Binary(emMetaHdr, h[:])
	m.Left.appendValue(e, emMetaLvalue)
	m.Right.appendValue(e, emMetaRvalue)
	return nil
}

func (m *EmatchMeta) decode(d []byte) error {
	c := nla.Chain(d)
	h, ok := c.Get(emMetaHdr)
	if !ok || len(h.Data) < 8 {
		return errors.New("meta: missing header")
	}
	val := func(v *EmatchMetaValue, hd []byte, typ uint16) {
		k := native.Uint16(hd)
		v.ID, v.Var, v.Shift = k&0xfff, k>>12 == 0, hd[2]
		a, ok := c.Get(typ)
		if !ok {
			return
		}
		if !v.Var {
			v.Int, _ = a.Uint32()
		} else if v.ID == 0 {
			v.Bytes = append([]byte(nil), a.Data...)
		}
	}
	val(&m.Left, h.Data[0:4], emMetaLvalue)
	val(&m.Right, h.Data[4:8], emMetaRvalue)
	m.Op = EmatchOperand(h.Data[3])
	return c.Err()
}

// EmatchCanID matches CAN frames by identifier ("canid(sff 0x123 eff
// 0x1234:0xff)"): each rule is a struct can_filter, whose ID carries
// CAN_EFF_FLAG for an extended frame format identifier.
type EmatchCanID struct {
	Rules []CanFilter
}

// CanFilter is a CAN identifier and mask (struct can_filter).
type CanFilter struct {
	ID, Mask uint32
}

// EmatchKind returns EmatchKindCanID.
func (*EmatchCanID) EmatchKind() uint16 { return EmatchKindCanID }

func (c *EmatchCanID) appendData(e *nla.Encoder) error {
	if len(c.Rules) == 0 || len(c.Rules) > 400 {
		return fmt.Errorf("canid: %d rules (1 to 400)", len(c.Rules))
	}
	b := e.Reserve(8 * len(c.Rules))
	if b == nil {
		return e.Err()
	}
	for i, r := range c.Rules {
		native.PutUint32(b[8*i:], r.ID)
		native.PutUint32(b[8*i+4:], r.Mask)
	}
	return nil
}

func (c *EmatchCanID) decode(d []byte) error {
	c.Rules = make([]CanFilter, 0, len(d)/8)
	for ; len(d) >= 8; d = d[8:] {
		c.Rules = append(c.Rules, CanFilter{native.Uint32(d), native.Uint32(d[4:])})
	}
	return nil
}
