package rtm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Some kernel dumps resume each datagram at a position in a list (the
// n-th address of a device, the n-th entry of a hash chain or of a
// bridge's FDB, the n-th route to a destination) and do not flag the dump
// when the list changed meanwhile: an object added before the position
// makes the next datagram repeat one, an object removed makes it skip one.
// A repeated object is proof that the dump is inconsistent, so those dumps
// remember the identity of each object they yield (a dupSet), and end with
// wire.ErrDumpInterrupted when one comes twice; the second copy is not
// yielded. A skipped object leaves no trace in the dump, so the dumps of
// addresses, neighbours and FDB entries also watch for removals while they
// run (a removalWatch). See "Consistency under concurrent changes" in the
// package documentation for what each dump guarantees.

// dupSet remembers the identities of the objects a dump yielded, as
// 64-bit hashes under a seed drawn for each dump: a collision, which would
// report a consistent dump as interrupted, is as unlikely as 2^-64 per
// pair and does not repeat on the retry.
type dupSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
	dup  bool
	// For routes: the destination of the current run of routes, and
	// copies of the run's messages (see routeSeen).
	runFamily uint8
	runTable  uint32
	runDst    [16]byte
	runDstLen int
	runMsgs   []byte
	runEnds   []int
}

// dupFree keeps a few dupSets for reuse, so that a dump allocates nothing
// per object once its set has grown. (A sync.Pool would do, but drops
// items at random, so that a dump would sometimes regrow its set.)
var dupFree struct {
	sync.Mutex
	sets []*dupSet
}

const (
	// maxFreeDupSets is how many dupSets are kept: as many as dumps
	// commonly run at once.
	maxFreeDupSets = 4
	// maxPooledDupSet is the largest set kept for reuse: a set that grew
	// for a huge dump is left to the garbage collector rather than kept.
	maxPooledDupSet = 1 << 16
)

func getDupSet() *dupSet {
	var s *dupSet
	dupFree.Lock()
	if n := len(dupFree.sets); n > 0 {
		s = dupFree.sets[n-1]
		dupFree.sets[n-1] = nil
		dupFree.sets = dupFree.sets[:n-1]
	}
	dupFree.Unlock()
	if s == nil {
		s = &dupSet{m: make(map[uint64]struct{})}
	}
	s.seed = maphash.MakeSeed()
	s.dup = false
	s.runMsgs, s.runEnds = s.runMsgs[:0], s.runEnds[:0]
	return s
}

func putDupSet(s *dupSet) {
	if len(s.m) > maxPooledDupSet {
		return
	}
	clear(s.m)
	if cap(s.runMsgs) > arenaBlock {
		s.runMsgs, s.runEnds = nil, nil
	}
	dupFree.Lock()
	if len(dupFree.sets) < maxFreeDupSets {
		dupFree.sets = append(dupFree.sets, s)
	}
	dupFree.Unlock()
}

// seen records the identity whose hash is h and reports whether it was
// already there, marking the dump inconsistent if so.
func (s *dupSet) seen(h uint64) bool {
	if _, ok := s.m[h]; ok {
		s.dup = true
		return true
	}
	s.m[h] = struct{}{}
	return false
}

// err is the error a dump ends with when an object came twice.
func (s *dupSet) err(op string) error {
	if !s.dup {
		return nil
	}
	return fmt.Errorf("rtm: %s: an object came twice: %w", op, wire.ErrDumpInterrupted)
}

// writeField writes b with its length, so that consecutive fields cannot
// run into each other.
func writeField(h *maphash.Hash, b []byte) {
	var n [2]byte
	native.PutUint16(n[:], uint16(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// addrSeen reports whether an address with a's identity was yielded: the
// kernel keeps one address per family, interface, prefix length, local
// address and peer.
func (s *dupSet) addrSeen(a Addr) bool {
	var k [2 + 4 + 2*(1+16)]byte
	hd := a.hdr()
	copy(k[0:2], hd[0:2]) // family, prefix length
	copy(k[2:6], hd[4:8]) // interface
	local, _ := a.get(unix.IFA_LOCAL)
	peer, _ := a.get(unix.IFA_ADDRESS)
	n := putKeyField(k[:], 6, local.Data)
	n = putKeyField(k[:], n, peer.Data)
	return s.seen(maphash.Bytes(s.seed, k[:n]))
}

// neighSeen reports whether a neighbour with n's identity was yielded:
// one per family, interface and address (proxy entries are dumped
// apart).
func (s *dupSet) neighSeen(n Neigh) bool {
	var k [1 + 4 + 1 + 1 + 16]byte
	hd := n.hdr()
	k[0] = hd[0]          // family
	copy(k[1:5], hd[4:8]) // interface
	k[5] = hd[10] & unix.NTF_PROXY
	dst, _ := n.get(unix.NDA_DST)
	return s.seen(maphash.Bytes(s.seed, k[:putKeyField(k[:], 6, dst.Data)]))
}

// putKeyField writes an address of up to 16 bytes, with its length, at
// k[off:], and returns the offset after it. Longer data (never seen) is
// cut to 16 bytes: the identity is then coarser, never wrong the other
// way, since both copies of a repeat are cut alike.
func putKeyField(k []byte, off int, b []byte) int {
	if len(b) > 16 {
		b = b[:16]
	}
	k[off] = byte(len(b))
	return off + 1 + copy(k[off+1:], b)
}

// fdbSeen reports whether an FDB entry with n's identity was yielded. An
// entry is told apart by its device, whose table holds it (NTF_SELF,
// NTF_MASTER) and every attribute but those that age (NDA_CACHEINFO,
// NDA_PROBES) or that the kernel may change in place (NDA_FLAGS_EXT): a
// VXLAN device reports one message per remote, differing in NDA_DST,
// NDA_PORT, NDA_VNI or NDA_IFINDEX.
func (s *dupSet) fdbSeen(n Neigh) bool {
	var h maphash.Hash
	h.SetSeed(s.seed)
	hd := n.hdr()
	h.WriteByte(hd[0])
	h.Write(hd[4:8])
	h.WriteByte(hd[10] & (unix.NTF_SELF | unix.NTF_MASTER | unix.NTF_PROXY | unix.NTF_ROUTER))
	for at := range n.Chain().All() {
		switch at.Type & nla.TypeMask {
		case unix.NDA_CACHEINFO, unix.NDA_PROBES, ndaFlagsExt:
			continue
		}
		var t [2]byte
		native.PutUint16(t[:], at.Type)
		h.Write(t[:])
		writeField(&h, at.Data)
	}
	return s.seen(h.Sum64())
}

// removalWatch catches what duplicate detection cannot: an object removed
// during a dump that resumes by position makes it skip another one, and
// the kernel does not flag it. The watch subscribes to the objects' group
// before the dump starts and, once the dump is over, reads every
// notification queued until then (up to a [Monitor.Sync] barrier): any
// removal among them marks the dump interrupted. Additions need no watch:
// they make the dump repeat an object, which the dupSet sees.
type removalWatch struct {
	m       *Monitor
	delType uint16
	// keep tells the removals that concern the dump, by family.
	keep func(family uint8) bool
}

// watchRemovals starts a removalWatch on groups for messages of type
// delType whose family keep accepts.
func (h *Handle) watchRemovals(groups []Group, delType uint16, keep func(uint8) bool) (*removalWatch, error) {
	// A small queue: a watch that overflows it reports an interruption,
	// which is the truth (many changes happened), without waiting.
	m, err := h.Monitor(groups, WithMonitorBuffer(256<<10))
	if err != nil {
		return nil, err
	}
	return &removalWatch{m: m, delType: delType, keep: keep}, nil
}

// close ends the watch.
func (w *removalWatch) close() { w.m.Close() }

// removed reports whether an object was removed since the watch started.
// It waits only for the kernel's answer to its barrier, which comes after
// the notifications already queued; an overrun counts as a removal, and
// ends the wait, since the answer may have been dropped with the rest.
func (w *removalWatch) removed(ctx context.Context) (bool, error) {
	seq, err := w.m.Sync()
	if err != nil {
		return false, err
	}
	for ev, err := range w.m.Events(ctx) {
		switch {
		case err != nil:
			return false, err
		case ev.Overrun:
			return true, nil
		case ev.Sync == seq:
			return false, nil
		case ev.Type == w.delType && len(ev.Data) > 0 && w.keep(ev.Data[0]):
			return true, nil
		}
	}
	return false, ctx.Err()
}

// watchErr is the error a dump yields when its removalWatch cannot start.
func watchErr(op string, err error) error {
	if errors.Is(err, ErrClosed) {
		return err
	}
	return fmt.Errorf("rtm: %s: %w", op, err)
}

// removedErr is the error a dump ends with when an object was removed
// while it ran.
func removedErr(op string) error {
	return fmt.Errorf("rtm: %s: an object was removed during the dump: %w", op, wire.ErrDumpInterrupted)
}

// routeSeen reports whether a route with r's identity came already. The
// kernel resumes a route dump after the last destination it sent, and by
// position only among the routes to one destination address (of any
// prefix length, metric, TOS or type: one leaf of the IPv4 trie, one node
// of the IPv6 tree), which it sends together. A repeat therefore follows
// its first copy within one run of routes to a destination, so only that
// run is kept, as copies of its messages (the receive buffer they came in
// is reused): a route dump needs no memory per route, and a route whose
// destination is its own costs a copy, not a hash.
func (s *dupSet) routeSeen(r Route) bool {
	dst, _ := r.get(unix.RTA_DST)
	family, table := r.Family(), r.Table()
	if len(s.runEnds) == 0 || family != s.runFamily || table != s.runTable ||
		!bytes.Equal(dst.Data, s.runDst[:s.runDstLen]) {
		// A destination longer than 16 bytes (none is) never matches,
		// which only leaves its repeats undetected.
		s.runFamily, s.runTable = family, table
		s.runDstLen = copy(s.runDst[:], dst.Data)
		s.runMsgs, s.runEnds = s.runMsgs[:0], s.runEnds[:0]
	} else {
		id := s.routeIdentity(r.b)
		start := 0
		for _, end := range s.runEnds {
			if s.routeIdentity(s.runMsgs[start:end]) == id {
				s.dup = true
				return true
			}
			start = end
		}
	}
	s.runMsgs = append(s.runMsgs, r.b...)
	s.runEnds = append(s.runEnds, len(s.runMsgs))
	return false
}

// routeIdentity hashes a route message but for what ages (RTA_CACHEINFO,
// RTA_EXPIRES): the kernel refuses a route alike in all else.
func (s *dupSet) routeIdentity(msg []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	if len(msg) < unix.SizeofRtMsg {
		h.Write(msg)
		return h.Sum64()
	}
	h.Write(msg[:unix.SizeofRtMsg])
	for at := range nla.Chain(msg[unix.SizeofRtMsg:]).All() {
		switch at.Type & nla.TypeMask {
		case unix.RTA_CACHEINFO, unix.RTA_EXPIRES:
			continue
		}
		var t [2]byte
		native.PutUint16(t[:], at.Type)
		h.Write(t[:])
		writeField(&h, at.Data)
	}
	return h.Sum64()
}
