package ipnet

import (
	"math/bits"
)

// Uint128 is an unsigned 128-bit integer, the integer value of an IPv6
// address (Python's int(IPv6Address)). Hi holds the most significant 64
// bits. The zero value is 0. Arithmetic is done on the two halves with
// math/bits, so it never allocates.
type Uint128 struct {
	Hi, Lo uint64
}

// Uint128From64 returns n as a Uint128.
func Uint128From64(n uint64) Uint128 { return Uint128{Lo: n} }

// maxUint128 is 2**128-1, Python's IPv6 _ALL_ONES.
var maxUint128 = Uint128{^uint64(0), ^uint64(0)}

// IsZero reports whether u is 0.
func (u Uint128) IsZero() bool { return u.Hi|u.Lo == 0 }

// Cmp returns -1, 0 or +1 as u is less than, equal to or greater than v.
func (u Uint128) Cmp(v Uint128) int {
	switch {
	case u.Hi < v.Hi:
		return -1
	case u.Hi > v.Hi:
		return 1
	case u.Lo < v.Lo:
		return -1
	case u.Lo > v.Lo:
		return 1
	}
	return 0
}

// Less reports whether u < v.
func (u Uint128) Less(v Uint128) bool {
	return u.Hi < v.Hi || u.Hi == v.Hi && u.Lo < v.Lo
}

// Add returns u+v modulo 2**128 and whether the true sum overflowed.
func (u Uint128) Add(v Uint128) (sum Uint128, carry bool) {
	lo, c := bits.Add64(u.Lo, v.Lo, 0)
	hi, c := bits.Add64(u.Hi, v.Hi, c)
	return Uint128{hi, lo}, c != 0
}

// Sub returns u-v modulo 2**128 and whether the true difference was negative.
func (u Uint128) Sub(v Uint128) (diff Uint128, borrow bool) {
	lo, b := bits.Sub64(u.Lo, v.Lo, 0)
	hi, b := bits.Sub64(u.Hi, v.Hi, b)
	return Uint128{hi, lo}, b != 0
}

// addOne returns u+1 modulo 2**128.
func (u Uint128) addOne() Uint128 {
	lo, c := bits.Add64(u.Lo, 1, 0)
	return Uint128{u.Hi + c, lo}
}

// subOne returns u-1 modulo 2**128.
func (u Uint128) subOne() Uint128 {
	lo, b := bits.Sub64(u.Lo, 1, 0)
	return Uint128{u.Hi - b, lo}
}

// And returns u&v.
func (u Uint128) And(v Uint128) Uint128 { return Uint128{u.Hi & v.Hi, u.Lo & v.Lo} }

// Or returns u|v.
func (u Uint128) Or(v Uint128) Uint128 { return Uint128{u.Hi | v.Hi, u.Lo | v.Lo} }

// Xor returns u^v.
func (u Uint128) Xor(v Uint128) Uint128 { return Uint128{u.Hi ^ v.Hi, u.Lo ^ v.Lo} }

// Not returns ^u.
func (u Uint128) Not() Uint128 { return Uint128{^u.Hi, ^u.Lo} }

// Lsh returns u<<n; shifts of 128 or more give 0.
func (u Uint128) Lsh(n uint) Uint128 {
	if n >= 64 {
		return Uint128{u.Lo << (n - 64), 0}
	}
	return Uint128{u.Hi<<n | u.Lo>>(64-n), u.Lo << n}
}

// Rsh returns u>>n; shifts of 128 or more give 0.
func (u Uint128) Rsh(n uint) Uint128 {
	if n >= 64 {
		return Uint128{0, u.Hi >> (n - 64)}
	}
	return Uint128{u.Hi >> n, u.Lo>>n | u.Hi<<(64-n)}
}

// BitLen returns the number of bits needed to represent u (Python's
// int.bit_length); BitLen of 0 is 0.
func (u Uint128) BitLen() int {
	if u.Hi != 0 {
		return 64 + bits.Len64(u.Hi)
	}
	return bits.Len64(u.Lo)
}

// TrailingZeros returns the number of trailing zero bits in u; it is 128
// for 0.
func (u Uint128) TrailingZeros() int {
	if u.Lo != 0 {
		return bits.TrailingZeros64(u.Lo)
	}
	return 64 + bits.TrailingZeros64(u.Hi)
}

// String returns u in decimal, as Python prints an int.
func (u Uint128) String() string {
	var buf [40]byte
	return string(appendDecimal(buf[:0], false, u))
}

// appendDecimal appends the decimal form of the 129-bit value
// carry*2**128 + u. The carry bit lets error messages print sums such as
// (2**128-1)+1 exactly, as Python does.
func appendDecimal(b []byte, carry bool, u Uint128) []byte {
	const tenPow19 = 10_000_000_000_000_000_000
	var top uint64
	if carry {
		top = 1
	}
	var chunks [3]uint64 // base 10**19 digits, least significant first
	n := 0
	for {
		var r uint64
		top, r = bits.Div64(0, top, tenPow19)
		u.Hi, r = bits.Div64(r, u.Hi, tenPow19)
		u.Lo, r = bits.Div64(r, u.Lo, tenPow19)
		chunks[n] = r
		n++
		if top|u.Hi|u.Lo == 0 {
			break
		}
	}
	b = appendUint(b, chunks[n-1])
	for i := n - 2; i >= 0; i-- {
		var d [19]byte
		v := chunks[i]
		for j := 18; j >= 0; j-- {
			d[j] = byte('0' + v%10)
			v /= 10
		}
		b = append(b, d[:]...)
	}
	return b
}

// appendUint appends v in decimal.
func appendUint(b []byte, v uint64) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// mask6 returns the IPv6 netmask for prefix length bits (0..128).
func mask6(bits int) Uint128 {
	return maxUint128.Lsh(uint(128 - bits))
}

// mask4 returns the IPv4 netmask for prefix length bits (0..32).
func mask4(bits int) uint32 {
	return ^uint32(0) << (32 - uint(bits)) // Go defines a shift by 32 as 0
}
