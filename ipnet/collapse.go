package ipnet

import (
	"iter"
	"math/bits"
	"slices"
)

// SummarizeAddressRange4 returns an iterator over the fewest networks that
// together cover exactly first..last, in ascending order (Python's
// summarize_address_range). first after last is a *ValueError.
func SummarizeAddressRange4(first, last Addr4) (iter.Seq[Net4], error) {
	if first.v > last.v {
		return nil, valueErr("last IP address must be greater than first")
	}
	return func(yield func(Net4) bool) { summarize4(first.v, last.v, yield) }, nil
}

// summarize4 yields the CIDR blocks of first..last; it reports false if
// yield asked to stop.
func summarize4(first, last uint32, yield func(Net4) bool) bool {
	for {
		// The largest aligned block at first that does not pass last.
		n := bits.TrailingZeros32(first) // 32 for 0
		if m := bits.Len64(uint64(last-first)+1) - 1; m < n {
			n = m
		}
		if !yield(Net4{first, uint8(32 - n)}) {
			return false
		}
		end := first | uint32(uint64(1)<<n-1)
		if end == last {
			return true
		}
		first = end + 1
	}
}

// SummarizeAddressRange6 returns an iterator over the fewest networks that
// together cover exactly first..last, in ascending order (Python's
// summarize_address_range). Scope ids are ignored. first after last is a
// *ValueError.
func SummarizeAddressRange6(first, last Addr6) (iter.Seq[Net6], error) {
	if last.u.Less(first.u) {
		return nil, valueErr("last IP address must be greater than first")
	}
	return func(yield func(Net6) bool) { summarize6(first.u, last.u, yield) }, nil
}

func summarize6(first, last Uint128, yield func(Net6) bool) bool {
	for {
		n := first.TrailingZeros() // 128 for 0
		span, _ := last.Sub(first)
		m := 128
		if span != maxUint128 {
			m = span.addOne().BitLen() - 1
		}
		if m < n {
			n = m
		}
		if !yield(Net6{Addr6{u: first}, uint8(128 - n)}) {
			return false
		}
		end := first.Or(mask6(128 - n).Not())
		if end == last {
			return true
		}
		first = end.addOne()
	}
}

// CollapseAddresses4 returns an iterator over the fewest networks that
// cover exactly the given addresses and networks, in ascending order
// (Python's collapse_addresses). Overlapping and adjacent inputs merge;
// duplicates and order of the input do not matter. The merging is done
// before CollapseAddresses4 returns; the iterator only splits the merged
// ranges into networks, so it may be ranged over more than once.
func CollapseAddresses4(addrs []Addr4, nets []Net4) iter.Seq[Net4] {
	// Each range packs as first<<32 | last, so sorting the integers sorts
	// the ranges by first address.
	r := make([]uint64, 0, len(addrs)+len(nets))
	for _, a := range addrs {
		r = append(r, uint64(a.v)<<32|uint64(a.v))
	}
	for _, n := range nets {
		r = append(r, uint64(n.ip)<<32|uint64(n.BroadcastAddress().v))
	}
	r = mergeRanges4(r)
	return func(yield func(Net4) bool) {
		for _, x := range r {
			if !summarize4(uint32(x>>32), uint32(x), yield) {
				return
			}
		}
	}
}

// mergeRanges4 sorts the packed ranges and merges overlapping and adjacent
// ones in place.
func mergeRanges4(r []uint64) []uint64 {
	if len(r) == 0 {
		return r
	}
	sortUint64(r)
	out := r[:1]
	for _, x := range r[1:] {
		cur := &out[len(out)-1]
		first, last := x>>32, x&0xffffffff
		if curLast := *cur & 0xffffffff; first <= curLast+1 {
			if last > curLast {
				*cur = *cur&^0xffffffff | last
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// range6 is an inclusive range of IPv6 addresses.
type range6 struct{ first, last Uint128 }

// CollapseAddresses6 is CollapseAddresses4 for IPv6. Scope ids are
// ignored, as Python's result has none.
func CollapseAddresses6(addrs []Addr6, nets []Net6) iter.Seq[Net6] {
	r := make([]range6, 0, len(addrs)+len(nets))
	for _, a := range addrs {
		r = append(r, range6{a.u, a.u})
	}
	for _, n := range nets {
		r = append(r, range6{n.a.u, n.BroadcastAddress().u})
	}
	r = mergeRanges6(r)
	return func(yield func(Net6) bool) {
		for _, x := range r {
			if !summarize6(x.first, x.last, yield) {
				return
			}
		}
	}
}

func mergeRanges6(r []range6) []range6 {
	if len(r) == 0 {
		return r
	}
	sortRanges6(r)
	out := r[:1]
	for _, x := range r[1:] {
		cur := &out[len(out)-1]
		if !cur.last.Less(x.first) || cur.last != maxUint128 && cur.last.addOne() == x.first {
			if cur.last.Less(x.last) {
				cur.last = x.last
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// sortUint64 sorts packed IPv4 ranges by their first address (the high 32
// bits) with a three-pass LSD radix sort; the order of ranges with equal
// first addresses does not matter to mergeRanges4. Small inputs use
// pdqsort.
func sortUint64(r []uint64) {
	if len(r) < 256 {
		slices.Sort(r)
		return
	}
	tmp := make([]uint64, len(r))
	src, dst := r, tmp
	for shift := uint(32); shift < 64; shift += 11 {
		var count [1 << 11]int
		for _, x := range src {
			count[x>>shift&(1<<11-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, x := range src {
			k := x >> shift & (1<<11 - 1)
			dst[count[k]] = x
			count[k]++
		}
		src, dst = dst, src
	}
	copy(r, src) // three passes leave the result in tmp
}

// sortRanges6 sorts IPv6 ranges by first address: an LSD radix sort on the
// high 64 bits, then insertion sort on the low bits within runs of equal
// high bits (which random input rarely has). Small inputs use pdqsort.
func sortRanges6(r []range6) {
	if len(r) < 256 {
		slices.SortFunc(r, func(a, b range6) int { return a.first.Cmp(b.first) })
		return
	}
	tmp := make([]range6, len(r))
	src, dst := r, tmp
	for shift := uint(0); shift < 64; shift += 8 {
		var count [256]int
		for i := range src {
			count[src[i].first.Hi>>shift&0xff]++
		}
		if count[src[0].first.Hi>>shift&0xff] == len(src) {
			continue // every key has this byte: the pass would not move anything
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			k := src[i].first.Hi >> shift & 0xff
			dst[count[k]] = src[i]
			count[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &r[0] {
		copy(r, src)
	}
	for i := 1; i < len(r); i++ {
		for j := i; j > 0 && r[j].first.Hi == r[j-1].first.Hi && r[j].first.Lo < r[j-1].first.Lo; j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
}
