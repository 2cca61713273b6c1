package rtm

import (
	"iter"

	"github.com/ipr-go/ipr/internal/rtnl"
)

// detacher is implemented by every view type: it can be copied out of the
// receive buffer, alone (Clone) or into shared blocks (detach).
type detacher[T any] interface {
	Clone() T
	detach(a *arena) T
}

// Collect gathers a dump into a slice of detached values. The values'
// bytes are copied into shared blocks of 64 KiB rather than one allocation
// each, so that collecting costs well under one allocation per object; a
// value kept after the others are dropped keeps its block alive, so Clone
// the few values to keep from a large collection. On error, Collect
// returns what it gathered before the error.
func Collect[T detacher[T]](seq iter.Seq2[T, error]) ([]T, error) {
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

// arena is where Collect copies the values it gathers.
type arena = rtnl.Arena

// arenaBlock is the size of an arena's blocks.
const arenaBlock = rtnl.ArenaBlock

func (l Link) detach(a *arena) Link                   { return Link{l.view.detach(a)} }
func (x Addr) detach(a *arena) Addr                   { return Addr{x.view.detach(a)} }
func (r Route) detach(a *arena) Route                 { return Route{r.view.detach(a)} }
func (n Neigh) detach(a *arena) Neigh                 { return Neigh{n.view.detach(a)} }
func (r Rule) detach(a *arena) Rule                   { return Rule{r.view.detach(a)} }
func (n Nexthop) detach(a *arena) Nexthop             { return Nexthop{n.view.detach(a)} }
func (t NeighTable) detach(a *arena) NeighTable       { return NeighTable{t.view.detach(a)} }
func (n NexthopBucket) detach(a *arena) NexthopBucket { return NexthopBucket{n.view.detach(a)} }
