package ethtool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// maxBitsetSize bounds the bits a received bitset may declare: the
// largest string set (link modes) has about 120, netdev features 64; a
// bigger size is garbage, and would make Parse allocate without bound.
const maxBitsetSize = 1 << 16

// ErrBitset is matched (errors.Is) by the errors of malformed bitsets.
var ErrBitset = errors.New("ethtool: malformed bitset")

// Bitset is an ethtool bitset (the ETHTOOL_A_BITSET_* nest): Size bits
// whose bit i is Value[i/32]>>(i%32)&1, and an optional mask of the bits
// that matter (link modes: the mask is what the device supports, the
// value what it advertises; a request's mask says which bits to change).
//
// It reads both encodings the kernel speaks: compact (a u32 array of
// values, one of mask bits) and verbose (a list of bits by index and
// name). Names are those a verbose bitset carried; a compact one names
// its bits by the string set of its kind ([StringSet]). A Bitset is
// meant to be reused: Parse keeps its slices' storage.
type Bitset struct {
	// Size is the number of bits.
	Size int
	// Value holds the bits' values, 32 a word.
	Value []uint32
	// Mask holds the mask, 32 bits a word; nil for a bitset without one
	// (a plain list of bits, ETHTOOL_A_BITSET_NOMASK).
	Mask []uint32
	// Names are the bits' names by index, when the bitset was verbose
	// (empty strings for bits it did not name); nil otherwise.
	Names []string
}

// words returns how many u32 words hold n bits.
func words(n int) int { return (n + 31) / 32 }

// grow returns s resized to n zeroed words, reusing its storage.
func grow(s []uint32, n int) []uint32 {
	if cap(s) < n {
		return make([]uint32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Test reports whether bit i is set in the value.
func (b *Bitset) Test(i int) bool { return testBit(b.Value, i) }

// Masked reports whether bit i is in the mask; every bit is in the mask
// of a bitset without one.
func (b *Bitset) Masked(i int) bool {
	if b.Mask == nil {
		return i >= 0 && i < b.Size
	}
	return testBit(b.Mask, i)
}

// Count returns the number of bits set in the value.
func (b *Bitset) Count() int {
	n := 0
	for _, w := range b.Value {
		n += bits.OnesCount32(w)
	}
	return n
}

func testBit(w []uint32, i int) bool {
	return i >= 0 && i/32 < len(w) && w[i/32]>>(i%32)&1 != 0
}

func setBit(w []uint32, i int, on bool) {
	if on {
		w[i/32] |= 1 << (i % 32)
	} else {
		w[i/32] &^= 1 << (i % 32)
	}
}

// Parse decodes v into b, compact or verbose. names, if not nil, is the
// bitset's string set: a verbose bit given by name alone is looked up in
// it (the kernel always sends indexes; requests may name bits only). It
// never panics: a malformed bitset is an error matching ErrBitset.
func (b *Bitset) Parse(v BitsetView, names []string) error {
	if err := v.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrBitset, err)
	}
	size, ok := v.Size()
	if !ok {
		return fmt.Errorf("%w: no size", ErrBitset)
	}
	if size > maxBitsetSize {
		return fmt.Errorf("%w: %d bits", ErrBitset, size)
	}
	b.Size = int(size)
	n := words(b.Size)
	b.Value = grow(b.Value, n)
	nomask := v.Nomask()
	if nomask {
		b.Mask = nil
	} else {
		b.Mask = grow(b.Mask, n)
	}
	b.Names = b.Names[:0]
	if bitsView, ok := v.Bits(); ok {
		return b.parseVerbose(bitsView, names, nomask)
	}
	b.Names = nil
	value, _ := v.Value()
	if err := readWords(b.Value, value, "value"); err != nil {
		return err
	}
	if !nomask {
		mask, _ := v.Mask()
		if err := readWords(b.Mask, mask, "mask"); err != nil {
			return err
		}
	}
	return nil
}

// readWords copies a compact bitset's u32 array (host order) into w,
// which holds exactly the words of its size.
func readWords(w []uint32, data []byte, what string) error {
	if len(data) != 4*len(w) {
		return fmt.Errorf("%w: %s of %d bytes for %d words", ErrBitset, what, len(data), len(w))
	}
	for i := range w {
		w[i] = binary.NativeEndian.Uint32(data[4*i:])
	}
	return nil
}

func (b *Bitset) parseVerbose(v BitsetBitsView, names []string, nomask bool) error {
	if err := v.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrBitset, err)
	}
	for bit := range v.Bit() {
		i := -1
		if idx, ok := bit.Index(); ok {
			i = int(min(idx, maxBitsetSize))
		}
		name, hasName := bit.NameBytes()
		if i < 0 && hasName {
			i = lookup(names, name)
			if i < 0 {
				return fmt.Errorf("%w: unknown bit %q", ErrBitset, name)
			}
		}
		if i < 0 || i >= b.Size {
			return fmt.Errorf("%w: bit %d of %d", ErrBitset, i, b.Size)
		}
		if hasName {
			if len(b.Names) < b.Size {
				b.Names = append(b.Names, make([]string, b.Size-len(b.Names))...)
			}
			if b.Names[i] != string(name) {
				b.Names[i] = string(name)
			}
		}
		// A bitset without a mask lists the bits that are set; one with
		// a mask lists the mask's bits, flagged when set in the value.
		setBit(b.Value, i, nomask || bit.Value())
		if !nomask {
			setBit(b.Mask, i, true)
		}
	}
	if len(b.Names) == 0 {
		b.Names = nil
	}
	return nil
}

// lookup returns the index of name in names, or -1.
func lookup(names []string, name []byte) int {
	for i, n := range names {
		if n == string(name) {
			return i
		}
	}
	return -1
}

// Name returns the name of bit i: from the verbose bitset, else from
// names (its string set), else "".
func (b *Bitset) Name(i int, names []string) string {
	if i >= 0 && i < len(b.Names) && b.Names[i] != "" {
		return b.Names[i]
	}
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return ""
}

// Encode writes b in the compact encoding: its size, its value and, when
// b has one, its mask (else ETHTOOL_A_BITSET_NOMASK). It is what a set
// request sends once names are resolved to bits.
func (b *Bitset) Encode(e BitsetEncoder) {
	n := words(b.Size)
	if b.Size < 0 || len(b.Value) < n || b.Mask != nil && len(b.Mask) < n {
		e.E.Fail(fmt.Errorf("ethtool: a bitset of %d bits with %d value and %d mask words", b.Size, len(b.Value), len(b.Mask)))
		return
	}
	if b.Mask == nil {
		e.Nomask()
	}
	e.Size(uint32(b.Size))
	e.Value(appendWords(nil, b.Value[:n]))
	if b.Mask != nil {
		e.Mask(appendWords(nil, b.Mask[:n]))
	}
}

func appendWords(dst []byte, w []uint32) []byte {
	for _, x := range w {
		dst = binary.NativeEndian.AppendUint32(dst, x)
	}
	return dst
}

// NamedBit is one bit of a verbose bitset written by name.
type NamedBit struct {
	// Name is the bit's name in its string set ("rx-gro").
	Name string
	// On is the value to give the bit.
	On bool
}

// EncodeNamed writes bits in the verbose encoding, by name and with a
// mask (only the bits listed change), as `ethtool -K dev rx-gro on`
// sends them; the kernel resolves the names against the string set. An
// empty name is refused.
func EncodeNamed(e BitsetEncoder, bits []NamedBit) {
	e.Bits(func(l BitsetBitsEncoder) {
		for _, b := range bits {
			if b.Name == "" {
				e.E.Fail(errors.New("ethtool: a bit without a name"))
				return
			}
			l.Bit(func(be BitsetBitEncoder) {
				be.Name(b.Name)
				if b.On {
					be.Value()
				}
			})
		}
	})
}
