package rtm

import (
	"bytes"
	"iter"
)

// view is implemented by every view type: it can be copied out of the
// receive buffer, alone (Clone) or into shared blocks (detach).
type view[T any] interface {
	Clone() T
	detach(a *arena) T
}

// Collect gathers a dump into a slice of detached values. The values'
// bytes are copied into shared blocks of 64 KiB rather than one allocation
// each, so that collecting costs well under one allocation per object; a
// value kept after the others are dropped keeps its block alive, so Clone
// the few values to keep from a large collection. On error, Collect
// returns what it gathered before the error.
func Collect[T view[T]](seq iter.Seq2[T, error]) ([]T, error) {
	var (
		a      arena
		chunks [][]T
		cur    = make([]T, 0, 64)
		n      int
		failed error
	)
	for v, err := range seq {
		if err != nil {
			failed = err
			break
		}
		if len(cur) == cap(cur) {
			// Fixed-size chunks, copied once at the end, cost one extra
			// slot per object where a growing slice costs two or three.
			chunks = append(chunks, cur)
			cur = make([]T, 0, min(2*cap(cur), collectChunk))
		}
		cur = append(cur, v.detach(&a))
		n++
	}
	if len(chunks) == 0 {
		return cur, failed
	}
	out := make([]T, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, cur...), failed
}

// collectChunk is the largest chunk Collect gathers values in.
const collectChunk = 4096

// arena hands out copies of byte slices carved from shared blocks.
type arena struct{ block []byte }

const arenaBlock = 64 << 10

// copy returns a copy of b that lives in the arena, capacity-limited so
// that appending to it cannot overwrite its neighbours.
func (a *arena) copy(b []byte) []byte {
	if len(b) > arenaBlock/4 {
		return bytes.Clone(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

func (l Link) detach(a *arena) Link                   { return Link{b: a.copy(l.b)} }
func (x Addr) detach(a *arena) Addr                   { return Addr{b: a.copy(x.b)} }
func (r Route) detach(a *arena) Route                 { return Route{b: a.copy(r.b)} }
func (n Neigh) detach(a *arena) Neigh                 { return Neigh{b: a.copy(n.b)} }
func (r Rule) detach(a *arena) Rule                   { return Rule{b: a.copy(r.b)} }
func (n Nexthop) detach(a *arena) Nexthop             { return Nexthop{b: a.copy(n.b)} }
func (t NeighTable) detach(a *arena) NeighTable       { return NeighTable{b: a.copy(t.b)} }
func (n NexthopBucket) detach(a *arena) NexthopBucket { return NexthopBucket{b: a.copy(n.b)} }

// zeroHeader stands in for the fixed header of a zero view (the largest
// fixed header, struct tcmsg, is 20 bytes).
var zeroHeader [24]byte

// header returns b, or a zeroed header of n bytes when b is too short to
// hold one: only the zero value of a view is, since its constructors check.
func header(b []byte, n int) []byte {
	if len(b) < n {
		return zeroHeader[:n:n]
	}
	return b
}
