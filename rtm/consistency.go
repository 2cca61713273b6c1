package rtm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
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
// run (a watch), and the rule dump, whose rules can be alike, for any
// change. See "Consistency under concurrent changes" in the package
// documentation for what each dump guarantees.

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

// A watch catches what duplicate detection cannot: an object removed
// during a dump that resumes by position makes it skip another one, and
// the kernel does not flag it. Before the dump request is sent, the watch
// socket joins the objects' groups; once the dump is over, and only if
// the kernel had to resume it after a full datagram (see
// socket.DumpStats.Resumed: no other dump can have skipped anything), it
// reads every notification queued until a barrier: any change of a
// watched type marks the dump interrupted. Additions need no watch where
// objects have an identity: they make the dump repeat one, which the
// dupSet sees.
//
// The barrier is a request that the kernel answers under RTNL (a get of
// the loopback device), on the watch socket: a writer that changes an
// object and notifies the change under RTNL, as address, rule and
// user-requested neighbour changes do, has queued its notification by the
// time the answer comes, even when the dump itself ran under RCU only and
// raced with the writer between the change and its notification. A dump
// that fits one datagram needs none of this, which keeps small dumps at
// the cost of two system calls per group (join, leave) and one receive.
type watch struct {
	h *Handle
	// c is the watch's socket; nil when the handle talks to a transport
	// of WithTransport, which has no groups to join: such a watch sees
	// nothing (a stand-in for the kernel changes nothing behind a dump).
	c    *socket.Conn
	conn *conn // c, as the handle holds it
	// stats is how the kernel delivered the dump.
	stats socket.DumpStats
	spec  watchSpec
	// barrier is the barrier request, built once.
	barrier wire.Builder
	joined  int
	// broken is set when the socket met an overrun or an error: it is
	// closed rather than pooled.
	broken bool
	// idx indexes the attributes of the dump's current object: a view
	// points at it, and a pooled watch makes it cost nothing per dump.
	idx nla.Index
}

// watchSpec says what a dump watches for: notifications in groups whose
// type is one of types and whose family is family (any when 0; any but
// AF_BRIDGE with notBridge).
type watchSpec struct {
	groups    [2]Group
	ngroups   int
	types     [2]uint16
	family    uint8
	notBridge bool
}

// maxWatchedMsg bounds the length of one message of a watched dump
// (addresses, neighbours, FDB entries, rules: a few hundred bytes at
// most), for socket.DumpStats.Resumed.
const maxWatchedMsg = 1024

// watchPool keeps a Handle's idle watch sockets: opening one (a socket
// and its 32 KiB buffer) costs more than a small dump.
type watchPool struct {
	mu   sync.Mutex
	idle []*watch
}

// maxIdleWatches is how many idle watches a Handle keeps.
const maxIdleWatches = 4

// forFamily narrows s, whose groups are IPv4's and then IPv6's, to the
// notifications of family: a dump of one family need not hear of the
// other's changes.
func (s *watchSpec) forFamily(family uint8) {
	s.family = family
	switch family {
	case unix.AF_INET:
		s.ngroups = 1
	case unix.AF_INET6:
		s.groups[0], s.ngroups = s.groups[1], 1
	}
}

// watchDump starts the watch of the dump built in b (see startWatch); on
// error, which names op, it returns b to its pool, as the dump will not
// run.
func (h *Handle) watchDump(ctx context.Context, op string, spec watchSpec, b *wire.Builder) (*watch, error) {
	w, err := h.startWatch(ctx, spec)
	if err != nil {
		h.builder.Put(b)
		return nil, watchErr(op, err)
	}
	return w, nil
}

// startWatch takes an idle watch, or opens one, and joins the groups of
// spec. Call it before the dump request is sent, and close the watch
// after the dump.
func (h *Handle) startWatch(ctx context.Context, spec watchSpec) (*watch, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if h.pool.Closed() {
		return nil, ErrClosed
	}
	var w *watch
	h.watches.mu.Lock()
	if n := len(h.watches.idle); n > 0 {
		w = h.watches.idle[n-1]
		h.watches.idle[n-1] = nil
		h.watches.idle = h.watches.idle[:n-1]
	}
	h.watches.mu.Unlock()
	if w == nil && h.pool.Dialer != nil {
		return &watch{h: h, spec: spec}, nil
	}
	if w == nil {
		c, err := h.pool.Dial()
		if err != nil {
			return nil, err
		}
		w = &watch{h: h, c: c.S, conn: c}
		// Any request answered in order, under RTNL, will do: the
		// loopback device, which every namespace has at index 1.
		linkRequest(&w.barrier, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, 1)
		w.barrier.Uint32(unix.IFLA_EXT_MASK, 0)
		w.barrier.End()
	}
	w.spec, w.stats = spec, socket.DumpStats{}
	for _, g := range spec.groups[:spec.ngroups] {
		if err := w.c.JoinGroup(uint32(g)); err != nil {
			w.broken = true
			w.close()
			return nil, err
		}
		w.joined++
	}
	return w, nil
}

// close leaves the watch's groups, empties its queue without waiting and
// pools it, unless it overran or failed.
func (w *watch) close() {
	if w.c == nil {
		return
	}
	for ; w.joined > 0; w.joined-- {
		if w.c.LeaveGroup(uint32(w.spec.groups[w.joined-1])) != nil {
			w.broken = true
		}
	}
	for !w.broken {
		_, ok, err := w.c.TryRecv(context.Background())
		if err != nil {
			w.broken = true
		}
		if !ok {
			break
		}
	}
	h := w.h
	if !w.broken && !h.pool.Closed() {
		h.watches.mu.Lock()
		if len(h.watches.idle) < maxIdleWatches {
			h.watches.idle = append(h.watches.idle, w)
			w = nil
		}
		h.watches.mu.Unlock()
	}
	if w != nil {
		h.pool.CloseConn(w.conn)
	}
}

// changed reports whether a watched change may have made the dump skip
// an object: only when the kernel resumed the dump after a full datagram
// and a watched notification came before the barrier's answer. An
// overrun counts as a change, and ends the wait, since the answer may
// have been dropped with the rest.
func (w *watch) changed(ctx context.Context) (bool, error) {
	if w.c == nil || !w.stats.Resumed(maxWatchedMsg) {
		return false, nil
	}
	seq, err := w.c.Send(w.barrier.Bytes())
	if err != nil {
		w.broken = true
		return false, err
	}
	pid := w.c.PortID()
	for {
		d, err := w.c.Recv(ctx)
		if err == socket.ErrOverrun {
			w.broken = true
			return true, nil
		}
		if err != nil {
			w.broken = true
			return false, err
		}
		for m, err := range wire.Messages(d.Data) {
			if err != nil {
				w.broken = true
				return false, err
			}
			if m.Header.Seq == seq && m.Header.Pid == pid {
				return false, nil
			}
			if w.watched(m) {
				return true, nil
			}
		}
	}
}

// watched reports whether m is a notification the watch is for.
func (w *watch) watched(m wire.Message) bool {
	if m.Header.Type != w.spec.types[0] && m.Header.Type != w.spec.types[1] || len(m.Data) == 0 {
		return false
	}
	family := m.Data[0]
	switch {
	case w.spec.family != 0:
		return family == w.spec.family
	case w.spec.notBridge:
		return family != unix.AF_BRIDGE
	}
	return true
}

// watchErr is the error a dump yields when its watch cannot start.
func watchErr(op string, err error) error {
	if errors.Is(err, ErrClosed) || errors.Is(err, errNilContext) {
		return err
	}
	return fmt.Errorf("rtm: %s: %w", op, err)
}

// err is the error a dump ends with, nil when the watch saw no change
// that could have made it skip an object.
func (w *watch) err(ctx context.Context, op string) error {
	changed, err := w.changed(ctx)
	switch {
	case err != nil:
		return watchErr(op, err)
	case changed:
		what := "removed"
		if w.spec.types[0] != w.spec.types[1] {
			what = "added or removed"
		}
		return fmt.Errorf("rtm: %s: an object was %s during the dump: %w", op, what, wire.ErrDumpInterrupted)
	}
	return nil
}

// routeSeen reports whether a route with r's identity came already. The
// kernel resumes a route dump after the last destination it sent, and by
// position only among the routes to one destination address (of any
// prefix length, metric, TOS or type: one leaf of the IPv4 trie, one node
// of the IPv6 tree), which it sends together. A repeat therefore follows
// its first copy within one run of routes to a destination, so only that
// run is kept, as copies of its messages (the receive buffer they came in
// is reused): a route dump needs no memory per route, and a route whose
// destination is its own costs a copy, not a hash. table and dst are
// r's (see Route.tableAndDst).
func (s *dupSet) routeSeen(r Route, table uint32, dst nla.Attr) bool {
	family := r.Family()
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
