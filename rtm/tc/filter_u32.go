package tc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/ipr-go/ipr/nla"
)

// U32 is the u32 classifier: matches of 32-bit words at offsets of the
// packet (a selector), in hash tables that filters link to ("u32 match
// ip dst 1.2.3.4/32 flowid 1:10", "u32 divisor 256", "u32 ht 800::
// match ... hashkey mask 0xff at 12 link 2:").
type U32 struct {
	// ClassID is the class a match selects ("classid", "flowid").
	ClassID Handle
	// Divisor makes the filter a hash table of that many buckets (a
	// power of two up to 256), whose handle is "N:".
	Divisor uint32
	// Link is the hash table a match continues in ("link 2:").
	Link uint32
	// Hash is the hash table and bucket the filter goes in ("ht 800::",
	// "ht 2:5:"), as a u32 handle without node.
	Hash uint32
	// Sel is the selector: the keys, and the offset and hash key
	// settings. Nil sends none (a hash table).
	Sel *U32Sel
	// Indev restricts the filter to packets received on a device.
	Indev string
	// Actions run on a match.
	Actions []Action
	// Police is the legacy policer of the filter (TCA_U32_POLICE, tc's
	// "police" without "action").
	Police *Police
	// Flags are FilterSkipHW or FilterSkipSW.
	Flags uint32
	// PacketCounts are the per-key hit counts of a dump with
	// statistics (read only).
	PacketCounts *U32Counts
}

// U32Counts are the hit counters a dump with statistics reports (struct
// tc_u32_pcnt): packets that reached the filter, that matched, and per
// key.
type U32Counts struct {
	Reached, Matched uint64
	Keys             []uint64
}

// Flags of filters (TCA_CLS_FLAGS_*), for the kinds that take them.
const (
	FilterSkipHW   = 1 << 0 // "skip_hw"
	FilterSkipSW   = 1 << 1 // "skip_sw"
	FilterInHW     = 1 << 2 // "in_hw", reported
	FilterNotInHW  = 1 << 3 // "not_in_hw", reported
	FilterVerbose  = 1 << 4 // "verbose"
	filterSkipBoth = FilterSkipHW | FilterSkipSW
)

// U32Sel is a u32 selector (struct tc_u32_sel): keys, each a masked
// 32-bit word at an offset, optionally relative to a variable offset read
// from the packet, and the hash key of a filter that links to a table.
type U32Sel struct {
	// Flags are U32Terminal, U32Offset, U32VarOffset, U32Eat.
	Flags uint8
	// Off, OffMask, OffShift and OffOff are the offset tc's "offset"
	// sets: "offset plus OFF" (Off), or "offset at OFFOFF mask OFFMASK
	// shift OFFSHIFT" (a variable offset read from the packet).
	OffShift uint8
	OffMask  uint16
	Off      uint16
	OffOff   int16
	// HashMask and HashOff are the hash key: "hashkey mask M at OFF".
	HashOff  int16
	HashMask uint32
	Keys     []U32Key
}

// Flags of [U32Sel].
const (
	U32Terminal  = 1 // TC_U32_TERMINAL: a match classifies (classid or actions)
	U32Offset    = 2 // TC_U32_OFFSET: "offset plus"
	U32VarOffset = 4 // TC_U32_VAROFFSET: "offset at"
	U32Eat       = 8 // TC_U32_EAT: later links see the packet past the offset
)

// U32Key is one key (struct tc_u32_key): the 32-bit word at Off (plus
// the selector's offset when NextHeader) matches Val under Mask. Mask and
// Val are the word as it is on the wire, big-endian: the byte at Off is
// their top byte.
type U32Key struct {
	Mask, Val uint32
	Off       int32
	// NextHeader makes Off relative to the header after the one the
	// selector's offset reaches (tc's offmask -1, "nexthdr+").
	NextHeader bool
}

// u32SelLen and u32KeyLen are the sizes of tc_u32_sel (without keys) and
// tc_u32_key; u32MaxKeys the most keys tc sends.
const (
	u32SelLen  = 16
	u32KeyLen  = 16
	u32MaxKeys = 128
)

// Match adds a key for the 32-bit word at off, as tc's pack_key does: a
// key at the same offset is merged with it, and keys that contradict
// each other are an error. Off must be a multiple of 4.
func (s *U32Sel) Match(val, mask uint32, off int32, nextHeader bool) error {
	val &= mask
	for i := range s.Keys {
		k := &s.Keys[i]
		if k.Off == off && k.NextHeader == nextHeader {
			if (val^k.Val)&(mask&k.Mask) != 0 {
				return fmt.Errorf("tc: u32: key at offset %d contradicts an earlier key", off)
			}
			k.Val |= val
			k.Mask |= mask
			return nil
		}
	}
	if len(s.Keys) >= u32MaxKeys {
		return fmt.Errorf("tc: u32: more than %d keys", u32MaxKeys)
	}
	if off%4 != 0 {
		return fmt.Errorf("tc: u32: offset %d is not a multiple of 4", off)
	}
	s.Keys = append(s.Keys, U32Key{Mask: mask, Val: val, Off: off, NextHeader: nextHeader})
	return nil
}

// Match16 adds a key for the 16-bit field at off ("match u16 VAL MASK at
// OFF"), as tc's pack_key16 places it in its word.
func (s *U32Sel) Match16(val, mask uint16, off int32, nextHeader bool) error {
	v, m := uint32(val), uint32(mask)
	if off&3 == 0 {
		v, m = v<<16, m<<16
	}
	return s.Match(v, m, off&^3, nextHeader)
}

// Match8 adds a key for the byte at off ("match u8 VAL MASK at OFF").
func (s *U32Sel) Match8(val, mask uint8, off int32, nextHeader bool) error {
	shift := [4]uint{24, 16, 8, 0}[off&3]
	return s.Match(uint32(val)<<shift, uint32(mask)<<shift, off&^3, nextHeader)
}

// MatchPrefix adds the keys for an address prefix at off: an IPv4 prefix
// is one word ("match ip dst 1.2.3.4/32" is off 16), an IPv6 one up to
// four ("match ip6 dst 2001:db8::/32" is off 24).
func (s *U32Sel) MatchPrefix(p netip.Prefix, off int32, nextHeader bool) error {
	if !p.IsValid() {
		return errors.New("tc: u32: invalid prefix")
	}
	b := p.Addr().AsSlice()
	bits := p.Bits()
	if p.Addr().Is4() {
		mask := uint32(0)
		if bits > 0 {
			mask = ^uint32(0) << (32 - bits)
		}
		return s.Match(binary.BigEndian.Uint32(b), mask, off, nextHeader)
	}
	for i := 0; i < bits; i += 32 {
		mask := ^uint32(0)
		if i+32 > bits {
			mask = ^uint32(0) << (32 - (bits - i))
		}
		if err := s.Match(binary.BigEndian.Uint32(b[i/8:]), mask, off+int32(i/8), nextHeader); err != nil {
			return err
		}
	}
	return nil
}

// ParseU32Handle parses a u32 handle as tc writes it: "HT:HASH:NODE" in
// hexadecimal, each part optional ("800::800", "2:", "1:5:").
func ParseU32Handle(s string) (uint32, error) {
	var parts [3]uint32
	n := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ':' {
			continue
		}
		if n == 3 {
			return 0, fmt.Errorf("tc: u32 handle %q: too many parts", s)
		}
		if f := s[start:i]; f != "" {
			v, err := strconv.ParseUint(f, 16, 32)
			if err != nil {
				return 0, fmt.Errorf("tc: u32 handle %q: %w", s, err)
			}
			parts[n] = uint32(v)
		}
		n++
		start = i + 1
	}
	ht, hash, node := parts[0], parts[1], parts[2]
	if ht > 0xfff || hash > 0xff || node > 0xfff {
		return 0, fmt.Errorf("tc: u32 handle %q: out of range (hash table 3, bucket 2, node 3 hex digits)", s)
	}
	return ht<<20 | hash<<12 | node, nil
}

// FormatU32Handle formats a u32 handle as tc prints it ("800::800").
func FormatU32Handle(h uint32) string { return string(AppendU32Handle(nil, h)) }

// AppendU32Handle appends h as tc prints it (sprint_u32_handle).
func AppendU32Handle(b []byte, h uint32) []byte {
	if h == 0 {
		return append(b, "none"...)
	}
	ht, hash, node := h>>20, h>>12&0xff, h&0xfff
	if ht != 0 {
		b = strconv.AppendUint(b, uint64(ht), 16)
		b = append(b, ':')
	}
	if hash != 0 {
		b = strconv.AppendUint(b, uint64(hash), 16)
	}
	if node != 0 {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(node), 16)
	}
	return b
}

// Kind returns "u32".
func (*U32) Kind() string { return "u32" }

func (u *U32) appendOpts(e *nla.Encoder) error {
	if u.Divisor != 0 && (u.Divisor > 256 || u.Divisor&(u.Divisor-1) != 0) {
		return fmt.Errorf("divisor %d is not a power of two up to 256", u.Divisor)
	}
	if u.Link&0xfff != 0 {
		return fmt.Errorf("link %s names a node, not a hash table", FormatU32Handle(u.Link))
	}
	if err := checkSkipFlags(u.Flags); err != nil {
		return err
	}
	if err := checkIndev(u.Indev); err != nil {
		return err
	}
	putU32(e, tcaU32Classid, u.ClassID)
	putU32(e, tcaU32Divisor, u.Divisor)
	putU32(e, tcaU32Link, u.Link)
	if u.Indev != "" {
		e.String(tcaU32Indev, u.Indev)
	}
	if len(u.Actions) > 0 {
		if err := appendActions(e, tcaU32Act, u.Actions); err != nil {
			return err
		}
	}
	if u.Police != nil {
		if err := appendPolice(e, tcaU32Police, u.Police); err != nil {
			return err
		}
	}
	putU32(e, tcaU32Hash, u.Hash)
	if s := u.Sel; s != nil {
		if len(s.Keys) > u32MaxKeys {
			return fmt.Errorf("%d keys, at most %d", len(s.Keys), u32MaxKeys)
		}
		flags := s.Flags
		if u.ClassID != 0 || len(u.Actions) > 0 || u.Police != nil {
			flags |= U32Terminal
		}
		if p := structAttr(e, tcaU32Sel, u32SelLen+u32KeyLen*len(s.Keys)); p != nil {
			p[0], p[1], p[2] = flags, s.OffShift, uint8(len(s.Keys))
			binary.BigEndian.PutUint16(p[4:], s.OffMask)
			native.PutUint16(p[6:], s.Off)
			native.PutUint16(p[8:], uint16(s.OffOff))
			native.PutUint16(p[10:], uint16(s.HashOff))
			binary.BigEndian.PutUint32(p[12:], s.HashMask)
			for i, k := range s.Keys {
				q := p[u32SelLen+u32KeyLen*i:]
				binary.BigEndian.PutUint32(q, k.Mask)
				binary.BigEndian.PutUint32(q[4:], k.Val)
				native.PutUint32(q[8:], uint32(k.Off))
				if k.NextHeader {
					native.PutUint32(q[12:], ^uint32(0))
				}
			}
		}
	}
	putU32(e, tcaU32Flags, u.Flags)
	return nil
}

func (u *U32) parts() filterParts {
	return filterParts{tcaU32Classid, tcaU32Act, tcaU32Police, &u.ClassID, &u.Actions, &u.Police}
}

func (u *U32) decode(opts nla.Chain) error {
	return u.parts().decode(opts, func(a nla.Attr) error {
		switch a.Kind() {
		case tcaU32Divisor:
			u.Divisor, _ = a.Uint32()
		case tcaU32Link:
			u.Link, _ = a.Uint32()
		case tcaU32Hash:
			u.Hash, _ = a.Uint32()
		case tcaU32Indev:
			u.Indev, _ = a.Text()
		case tcaU32Flags:
			u.Flags, _ = a.Uint32()
		case tcaU32Sel:
			s, err := decodeU32Sel(a.Data)
			if err != nil {
				return err
			}
			u.Sel = s
		case tcaU32Pcnt:
			d := a.Data
			if len(d) < 16 {
				return nil
			}
			c := &U32Counts{Reached: native.Uint64(d), Matched: native.Uint64(d[8:])}
			for d = d[16:]; len(d) >= 8; d = d[8:] {
				c.Keys = append(c.Keys, native.Uint64(d))
			}
			u.PacketCounts = c
		}
		return nil
	})
}

func decodeU32Sel(p []byte) (*U32Sel, error) {
	if len(p) < u32SelLen {
		return nil, fmt.Errorf("u32 selector of %d bytes", len(p))
	}
	s := &U32Sel{Flags: p[0], OffShift: p[1], OffMask: binary.BigEndian.Uint16(p[4:]), Off: native.Uint16(p[6:]),
		OffOff: int16(native.Uint16(p[8:])), HashOff: int16(native.Uint16(p[10:])), HashMask: binary.BigEndian.Uint32(p[12:])}
	n := int(p[2])
	if len(p) < u32SelLen+u32KeyLen*n {
		return nil, fmt.Errorf("u32 selector of %d keys in %d bytes", n, len(p))
	}
	s.Keys = make([]U32Key, n)
	for i := range s.Keys {
		q := p[u32SelLen+u32KeyLen*i:]
		s.Keys[i] = U32Key{Mask: binary.BigEndian.Uint32(q), Val: binary.BigEndian.Uint32(q[4:]),
			Off: int32(native.Uint32(q[8:])), NextHeader: native.Uint32(q[12:]) != 0}
	}
	return s, nil
}
