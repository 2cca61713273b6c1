package ipdb

// Planning a commit: the world a plan starts from and the planner that
// turns a transaction's operations into ordered steps (commit.go runs
// them).

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// world is the state a plan starts from: a snapshot of the database,
// taken once the database has caught up with the kernel (for Commit and
// Plan) or as it is (for Review and snapshot mode), and the changes the
// plan made to it so far. Every lookup is indexed: planning a change
// costs the same at ten routes and at a million.
type world struct {
	snap *Snapshot
	// routes holds the routes of the destinations the plan changed, by
	// destination in a table: they replace the snapshot's.
	routes map[prefixKey][]wroute
	// rules, once read, are the rules by priority, as the plan left them.
	rules       []rtm.RuleSpec
	rulesLoaded bool
	// hasPrefSrc, if set, reports whether any route may have a as its
	// preferred source, which spares the scan of every route when none
	// has.
	hasPrefSrc func(a netip.Addr) bool
}

func newWorld(s *Snapshot) *world { return &world{snap: s, routes: map[prefixKey][]wroute{}} }

// wroute is a route of the world: the message the database holds until
// the plan changes the route, its spec after. A plan converts a message
// to a spec only if it needs one: removing a route needs its key, and
// its spec only to roll the removal back.
type wroute struct {
	msg  []byte
	spec *rtm.RouteSpec
}

// get returns the route's spec.
func (r *wroute) get() *rtm.RouteSpec {
	if r.spec == nil {
		v, _ := rtm.RouteFromBytes(r.msg)
		s := routeSpecOf(v)
		r.spec = &s
	}
	return r.spec
}

// matches reports whether the route is the one s designates, among the
// routes to its destination (see findRoute).
func (r *wroute) matches(s *rtm.RouteSpec, slot bool) bool {
	if r.spec != nil {
		return routeMatches(s, r.spec, slot)
	}
	v, err := rtm.RouteFromBytes(r.msg)
	if err != nil {
		return false
	}
	switch {
	case slot && (v.TOS() != s.TOS || v.Priority() != s.Priority),
		!slot && s.Priority != 0 && v.Priority() != s.Priority,
		!slot && s.TOS != 0 && v.TOS() != s.TOS,
		!slot && s.Gateway.IsValid() && v.Gateway() != s.Gateway,
		!slot && s.OutIndex != 0 && v.OutIndex() != s.OutIndex:
		return false
	}
	return true
}

// key returns the spec that deletes exactly the route.
func (r *wroute) key() rtm.RouteSpec {
	if r.spec != nil {
		return keyOfSpec(r.spec)
	}
	v, _ := rtm.RouteFromBytes(r.msg)
	return routeKeySpec(v)
}

func (w *world) link(name string) (rtm.Link, bool) { return w.snap.LinkByName(name) }

func (w *world) linkByIndex(i int32) (rtm.Link, bool) { return w.snap.LinkByIndex(i) }

type tableKey struct {
	family uint8
	table  uint32
}

func tableOf(s *rtm.RouteSpec) tableKey {
	t := s.Table
	if t == 0 {
		t = unix.RT_TABLE_MAIN
	}
	return tableKey{family(s.Dst.Addr()), t}
}

// destOf returns the destination in its table that a spec designates:
// the key the database files its routes by.
func destOf(s *rtm.RouteSpec) prefixKey {
	t := tableOf(s)
	return prefixKey{table: t.table, family: t.family, bits: uint8(s.Dst.Bits()), dst: keyAddr(s.Dst.Addr())}
}

// routesAt returns the routes to k's destination, as the plan left them:
// one lookup. The caller must not modify the slice but to convert an
// entry (get): setRoutesAt replaces it.
func (w *world) routesAt(k prefixKey) []wroute {
	if rs, ok := w.routes[k]; ok {
		return rs
	}
	var out []wroute
	if g, ok := w.snap.st.routes.get(k); ok {
		groupEach(g, func(m []byte) bool {
			out = append(out, wroute{msg: m})
			return true
		})
	}
	w.routes[k] = out
	return out
}

func (w *world) setRoutesAt(k prefixKey, rs []wroute) { w.routes[k] = rs }

// ruleList returns the rules by priority, as the plan left them.
func (w *world) ruleList() []rtm.RuleSpec {
	if !w.rulesLoaded {
		for _, r := range w.snap.Rules() {
			w.rules = append(w.rules, ruleSpecOf(r))
		}
		sortRules(w.rules)
		w.rulesLoaded = true
	}
	return w.rules
}

// addrsOf returns the addresses of an interface: one shard's read.
func (w *world) addrsOf(index int32) []rtm.Addr { return w.snap.Addrs(index, 0) }

// routesVia returns the IPv4 routes through a device, not installed by
// the kernel: those it flushes when the device goes down. The database
// has no index by device (it would cost every route memory for the sake
// of a rare change), so this scans every route: bringing a device down
// is the one change whose plan grows with the tables.
func (w *world) routesVia(index int32) []rtm.RouteSpec {
	var out []rtm.RouteSpec
	for r := range w.snap.Routes(&RouteQuery{Family: unix.AF_INET, OutIndex: index}) {
		if r.Protocol() != unix.RTPROT_KERNEL && r.Table() != unix.RT_TABLE_LOCAL {
			out = append(out, routeSpecOf(r))
		}
	}
	return out
}

// routesFrom returns the routes with a preferred source, which the
// kernel flushes with the address. It scans every route, but only when
// the database counts some route with that source.
func (w *world) routesFrom(a netip.Addr) []rtm.RouteSpec {
	if w.hasPrefSrc != nil && !w.hasPrefSrc(a) {
		return nil
	}
	var out []rtm.RouteSpec
	for r := range w.snap.Routes(&RouteQuery{Family: unix.AF_INET, PrefSrc: a}) {
		if r.Protocol() != unix.RTPROT_KERNEL {
			out = append(out, routeSpecOf(r))
		}
	}
	return out
}

// planCurrent plans ops as a commit does: against the database's state
// once it has applied every notification the kernel queued before the
// call, so that it holds whatever any writer changed until now. Nothing
// is read again from the kernel: a commit costs in proportion to its
// changes, and no dump can be interrupted by another writer.
//
// The plan reads the live state, under the database's lock, rather than
// a snapshot: freezing one would make the reader copy every shard the
// commit's own notifications then touch, which costs in proportion to
// the tables. The plan keeps no view of the state past the lock but the
// stored messages, which are never modified.
//
// If the database has stopped following the kernel, its state is stale:
// the kernel's is read afresh instead.
func (tx *Tx) planCurrent(ctx context.Context, ops []op, refs []ifaceRef) (*planner, error) {
	db := tx.db
	if err := db.barrier(ctx); err != nil {
		return nil, fmt.Errorf("ipdb: waiting for the database to catch up before planning: %w", err)
	}
	need := opsScope(ops)
	db.mu.Lock()
	if db.err == nil && db.opts.scope.covers(need) {
		defer db.mu.Unlock()
		w := newWorld(&Snapshot{st: *db.st})
		w.hasPrefSrc = func(a netip.Addr) bool { return db.st.prefsrc[a] > 0 }
		return plan(w, ops, refs)
	}
	db.mu.Unlock()
	// The database does not follow the kernel any more, or it was opened
	// not to mirror what these ops read: read just that from the kernel.
	st, err := load(ctx, db.h, 0, need)
	if err != nil {
		return nil, err
	}
	w := newWorld(&Snapshot{st: *st})
	w.hasPrefSrc = func(a netip.Addr) bool { return st.prefsrc[a] > 0 }
	return plan(w, ops, refs)
}

func sortRules(rs []rtm.RuleSpec) {
	slices.SortStableFunc(rs, func(a, b rtm.RuleSpec) int {
		x, y := a.Priority.Or(0), b.Priority.Or(0)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
}

// planner turns ops into steps against a world.
type planner struct {
	w      *world
	ifaces []ifaceRef
	steps  []step
	// parents are the lower devices set by SetParent, by interface.
	parents map[int]int
	// refused are the steps the kernel refused but whose undo runs all
	// the same (undoFailed): the kernel may refuse the undo for the same
	// reason, which is no failure of the rollback.
	refused map[int]bool
}

func (p *planner) index(ref int) int32 { return p.ifaces[ref].index }

func (p *planner) ifname(ref int) string { return p.ifaces[ref].name }

func (p *planner) add(s step) { p.steps = append(p.steps, s) }

// plan plans ops. ifaces is the transaction's interface table, whose
// indexes the steps fill in as they create interfaces.
func plan(w *world, ops []op, ifaces []ifaceRef) (*planner, error) {
	p := &planner{w: w, ifaces: ifaces, steps: make([]step, 0, len(ops))}
	if len(w.routes) == 0 {
		w.routes = make(map[prefixKey][]wroute, len(ops))
	}
	for i := range p.ifaces {
		r := &p.ifaces[i]
		if r.reuse && r.created {
			if err := p.reuse(i, ops); err != nil {
				return nil, err
			}
		}
		if r.created || r.index != 0 {
			continue
		}
		l, ok := w.link(r.name)
		if !ok {
			return nil, fmt.Errorf("ipdb: interface %s: %w", r.name, ErrNotFound)
		}
		r.index = l.Index()
	}
	for i := range ops {
		if o := &ops[i]; o.kind == opParent {
			if p.parents == nil {
				p.parents = map[int]int{}
			}
			p.parents[o.ref] = o.other
		}
	}
	for i := range ops {
		if err := p.op(&ops[i]); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(p.steps, func(a, b step) int {
		if a.stage != b.stage {
			return a.stage - b.stage
		}
		return a.wave - b.wave
	})
	return p, nil
}

// reuse takes, for an interface the transaction ensures (Tx.Ensure), the
// existing one of its name if it is of the kind the transaction creates.
func (p *planner) reuse(ref int, ops []op) error {
	r := &p.ifaces[ref]
	l, ok := p.w.link(r.name)
	if !ok {
		return nil
	}
	kind := ""
	for i := range ops {
		if o := &ops[i]; o.kind == opCreate && o.ref == ref && o.create.Kind != nil {
			kind = o.create.Kind.Kind()
		}
	}
	if l.Kind() != kind {
		return fmt.Errorf("ipdb: interface %s exists as a %q link, not %q: %w", r.name, l.Kind(), kind, unix.EEXIST)
	}
	r.created, r.index = false, l.Index()
	return nil
}

// wave returns how many interfaces created in the transaction ref's
// creation waits for: its parent (SetParent), its parent's parent, ...
// Each wave of creations is a batch of its own, sent once the indexes of
// the waves before are known.
func (p *planner) wave(ref int) (int, error) {
	n := 0
	for {
		parent, ok := p.parents[ref]
		if !ok || !p.ifaces[parent].created {
			return n, nil
		}
		n++
		if n > len(p.ifaces) {
			return 0, fmt.Errorf("ipdb: interface %s: its parents form a cycle", p.ifname(ref))
		}
		ref = parent
	}
}

// op plans one op: one of an interface, or one that belongs to none.
func (p *planner) op(o *op) error {
	if o.ref == noIface {
		return p.objectOp(o)
	}
	return p.ifaceOp(o)
}

// ifaceOp plans an op of an interface of the transaction.
func (p *planner) ifaceOp(o *op) error {
	ref := o.ref
	obj := func() string { return "interface " + p.ifname(ref) }
	// A new interface has no old values: an empty message reads as zeros.
	old, _ := rtm.LinkFromBytes(make([]byte, unix.SizeofIfInfomsg))
	existing := false
	if !p.ifaces[ref].created {
		if l, ok := p.w.linkByIndex(p.ifaces[ref].index); ok {
			old, existing = l, true
		}
	}
	first := len(p.steps)
	defer func() { p.classify(o, first, existing, obj()) }()
	set := func(field, from, to string, spec func(index int32) rtm.LinkSpec, restore func(index int32) rtm.LinkSpec) {
		s := step{stage: stageAttrs, change: Change{Object: obj(), Action: "set", Field: field, Old: from, New: to}, undoFailed: true}
		s.do = func(bt *rtm.Batch) error { return bt.LinkSet(spec(p.index(ref))) }
		if existing && restore != nil {
			s.undo = func(bt *rtm.Batch) error { return bt.LinkSet(restore(p.index(ref))) }
		}
		p.add(s)
	}
	switch o.kind {
	case opParent:
		if !p.ifaces[ref].created && !p.ifaces[ref].reuse {
			return fmt.Errorf("ipdb: %s: SetParent applies to an interface the transaction creates", obj())
		}
	case opCreate:
		if p.ifaces[ref].reuse && !p.ifaces[ref].created {
			// Ensured, and there already.
			return nil
		}
		spec := *o.create
		parent, hasParent := p.parents[ref]
		wave, err := p.wave(ref)
		if err != nil {
			return err
		}
		p.add(step{stage: stageCreate, wave: wave, change: Change{Object: obj(), Action: "create", New: spec.Kind.Kind()},
			do: func(bt *rtm.Batch) error {
				if hasParent {
					return bt.LinkAdd(withParent(spec, p.index(parent)))
				}
				return bt.LinkAdd(spec)
			},
			echo: func(m wire.Message) {
				// A veth's peer is created without an echo; the name
				// tells the link apart anyway.
				if l, err := rtm.LinkFromBytes(m.Data); err == nil && m.Header.Type == unix.RTM_NEWLINK && l.NameIs(spec.Name) {
					p.ifaces[ref].index = l.Index()
				}
			},
			undo: func(bt *rtm.Batch) error {
				if i := p.index(ref); i != 0 {
					return bt.LinkDel(i)
				}
				// Created in a stage that failed before its indexes were
				// learnt.
				return bt.LinkDelByName(spec.Name)
			},
			resolve: func(ctx context.Context, h *rtm.Handle) error {
				if p.index(ref) != 0 {
					return nil
				}
				// Kernels before 6.3 do not echo new links.
				l, err := h.LinkByName(ctx, spec.Name)
				if err == nil {
					p.ifaces[ref].index = l.Index()
				}
				return err
			}})
	case opTunTap:
		spec := *o.tuntap
		kind := "tun"
		if spec.Tap {
			kind = "tap"
		}
		p.add(step{stage: stageCreate, change: Change{Object: obj(), Action: "create", New: kind},
			exec: func(ctx context.Context, h *rtm.Handle) error {
				_, err := h.TunTapAdd(ctx, spec)
				if err != nil {
					return err
				}
				l, err := h.LinkByName(ctx, spec.Name)
				if err == nil {
					p.ifaces[ref].index = l.Index()
				}
				return err
			},
			undo: func(bt *rtm.Batch) error { return bt.LinkDel(p.index(ref)) }})
	case opUp:
		to, from := "down", ""
		if o.flag {
			to = "up"
		}
		wasUp := existing && old.IsUp()
		if existing {
			from = map[bool]string{true: "up", false: "down"}[wasUp]
		}
		var restore []rtm.RouteSpec
		if existing && wasUp && !o.flag {
			restore = p.w.routesVia(old.Index())
		}
		s := step{stage: stageAttrs, change: Change{Object: obj(), Action: "set", Field: "state", Old: from, New: to}, undoFailed: true}
		s.do = func(bt *rtm.Batch) error { return bt.LinkSet(rtm.LinkSpec{Index: p.index(ref), Up: rtm.Some(o.flag)}) }
		if existing {
			s.undo = func(bt *rtm.Batch) error {
				if err := bt.LinkSet(rtm.LinkSpec{Index: p.index(ref), Up: rtm.Some(wasUp)}); err != nil {
					return err
				}
				// Bringing a link down flushed its IPv4 routes.
				for _, r := range restore {
					if err := bt.RouteReplace(r); err != nil {
						return err
					}
				}
				return nil
			}
		}
		p.add(s)
	case opMTU:
		mtu := o.num
		set("mtu", fmt.Sprint(old.MTU()), fmt.Sprint(mtu),
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, MTU: mtu} },
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, MTU: old.MTU()} })
	case opTxQueueLen:
		n := o.num
		set("txqlen", fmt.Sprint(old.TxQueueLen()), fmt.Sprint(n),
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, TxQueueLen: rtm.Some(n)} },
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, TxQueueLen: rtm.Some(old.TxQueueLen())} })
	case opAddress:
		hw := o.hw
		prev := append([]byte(nil), old.HardwareAddr()...)
		var restore func(int32) rtm.LinkSpec
		if len(prev) > 0 {
			restore = func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, Address: prev} }
		}
		set("address", old.HardwareAddr().String(), hw.String(),
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, Address: hw} }, restore)
	case opRename:
		name := o.name
		prev := old.Name()
		set("name", prev, name,
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, Name: name} },
			func(i int32) rtm.LinkSpec { return rtm.LinkSpec{Index: i, Name: prev} })
	case opMaster:
		master := o.other
		prevMaster := old.MasterIndex()
		action, other := "+port", ""
		if master < 0 {
			action = "-port"
		} else {
			other = p.ifname(master)
		}
		s := step{stage: stagePorts, change: Change{Object: obj(), Action: action, New: other}, undoFailed: true}
		s.do = func(bt *rtm.Batch) error {
			m := int32(0)
			if master >= 0 {
				m = p.index(master)
			}
			return bt.LinkSet(rtm.LinkSpec{Index: p.index(ref), Master: rtm.Some(m)})
		}
		if existing {
			s.undo = func(bt *rtm.Batch) error {
				return bt.LinkSet(rtm.LinkSpec{Index: p.index(ref), Master: rtm.Some(prevMaster)})
			}
		}
		if master >= 0 {
			s.change = Change{Object: "interface " + other, Action: "+port", New: p.ifname(ref)}
		} else {
			s.change = Change{Object: obj(), Action: "-port"}
		}
		p.add(s)
	case opAddrAdd:
		spec := *o.addr
		p.add(step{stage: stageAddrs, change: Change{Object: obj(), Action: "+ipaddr", New: spec.Prefix.String()},
			do: func(bt *rtm.Batch) error {
				s := spec
				s.Index = p.index(ref)
				return bt.AddrAdd(s)
			},
			undo: func(bt *rtm.Batch) error {
				return bt.AddrDel(rtm.AddrSpec{Index: p.index(ref), Prefix: spec.Prefix, Peer: spec.Peer})
			}})
	case opAddrDel:
		want := o.addr.Prefix
		var cur rtm.Addr
		found := false
		var addrs []rtm.Addr
		if existing {
			addrs = p.w.addrsOf(p.ifaces[ref].index)
			for _, a := range addrs {
				if addrPrefix(a) == want {
					cur, found = a, true
					break
				}
			}
		}
		if !found {
			return fmt.Errorf("ipdb: %s has no address %v: %w", obj(), want, ErrNotFound)
		}
		readd := []rtm.AddrSpec{addrSpecOf(cur)}
		var routes []rtm.RouteSpec
		if cur.Family() == unix.AF_INET {
			// Deleting a primary address deletes its secondaries, and the
			// routes that used it as source go with it.
			if cur.Flags()&unix.IFA_F_SECONDARY == 0 {
				for _, a := range addrs {
					if a.Flags()&unix.IFA_F_SECONDARY != 0 &&
						addrPrefix(a).Masked() == want.Masked() {
						readd = append(readd, addrSpecOf(a))
					}
				}
			}
			routes = p.w.routesFrom(cur.IP())
		}
		del := addrDelSpec(cur)
		p.add(step{stage: stageAddrs, change: Change{Object: obj(), Action: "-ipaddr", Old: want.String()},
			do: func(bt *rtm.Batch) error { return bt.AddrDel(del) },
			undo: func(bt *rtm.Batch) error {
				for _, a := range readd {
					if err := bt.AddrReplace(a); err != nil {
						return err
					}
				}
				for _, r := range routes {
					if err := bt.RouteReplace(r); err != nil {
						return err
					}
				}
				return nil
			}})
	case opNeighAdd:
		spec := *o.neigh
		p.add(step{stage: stageNeighs, change: Change{Object: obj(), Action: "+neigh", New: describeNeigh(&spec)},
			do: func(bt *rtm.Batch) error {
				s := spec
				s.Index = p.index(ref)
				return bt.NeighAdd(s)
			},
			undo: func(bt *rtm.Batch) error {
				return bt.NeighDel(rtm.NeighSpec{Index: p.index(ref), Dst: spec.Dst})
			}})
	case opNeighDel:
		var cur rtm.Neigh
		found := false
		if existing {
			cur, found = p.w.snap.Neigh(p.ifaces[ref].index, o.neigh.Dst)
		}
		if !found {
			return fmt.Errorf("ipdb: %s has no neighbour %v: %w", obj(), o.neigh.Dst, ErrNotFound)
		}
		prev := neighSpecOf(cur)
		p.add(step{stage: stageNeighs, change: Change{Object: obj(), Action: "-neigh", Old: describeNeigh(&prev)},
			do:   func(bt *rtm.Batch) error { return bt.NeighDel(rtm.NeighSpec{Index: prev.Index, Dst: prev.Dst}) },
			undo: func(bt *rtm.Batch) error { return bt.NeighReplace(prev) }})
	case opNetns:
		p.add(p.moveStep(ref, o.netns, obj()))
	case opLinkDel:
		p.add(step{stage: stageRemove, change: Change{Object: obj(), Action: "remove"},
			do: func(bt *rtm.Batch) error { return bt.LinkDel(p.index(ref)) }})
	}
	return nil
}

// withParent returns s with its lower device set to the interface of
// that index: a tunnel's underlying device (vxlan, GRE, IPIP, SIT), any
// other kind's link.
func withParent(s rtm.LinkSpec, index int32) rtm.LinkSpec {
	switch k := s.Kind.(type) {
	case *rtm.Vxlan:
		s.Kind = copyWith(k, func(c *rtm.Vxlan) { c.Dev = index })
	case *rtm.GRE:
		s.Kind = copyWith(k, func(c *rtm.GRE) { c.Dev = index })
	case *rtm.IPIP:
		s.Kind = copyWith(k, func(c *rtm.IPIP) { c.Dev = index })
	case *rtm.SIT:
		s.Kind = copyWith(k, func(c *rtm.SIT) { c.Dev = index })
	default:
		s.Parent = index
	}
	return s
}

// copyWith returns a copy of *k changed by set, leaving *k (the caller's
// spec) as it was.
func copyWith[K any](k *K, set func(*K)) *K {
	c := *k
	set(&c)
	return &c
}

// moveStep plans moving an interface into another namespace. The kernel
// takes its addresses and routes away and brings it down; to undo the
// move, the step reads them first (from the kernel: the commit's earlier
// stages changed them), and its undo moves the interface back, under the
// name it has then, and restores them.
func (p *planner) moveStep(ref int, target *netns.Handle, obj string) step {
	var (
		name   string
		up     bool
		addrs  []rtm.AddrSpec
		routes []rtm.RouteSpec
		from   int32
	)
	exec := func(ctx context.Context, h *rtm.Handle) error {
		from = p.index(ref)
		l, err := h.LinkByIndex(ctx, from)
		if err != nil {
			return err
		}
		name, up = l.Name(), l.IsUp()
		err = consistent(ctx, "the addresses of "+obj, func() error {
			addrs = addrs[:0]
			for a, err := range h.Addrs(ctx, &rtm.AddrFilter{Index: from}) {
				if err != nil {
					return err
				}
				// The kernel makes link-local addresses again.
				if !a.IP().IsLinkLocalUnicast() {
					addrs = append(addrs, addrSpecOf(a))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = consistent(ctx, "the routes of "+obj, func() error {
			routes = routes[:0]
			for r, err := range h.Routes(ctx, &rtm.RouteFilter{OutIndex: from}) {
				if err != nil {
					return err
				}
				if mirroredRoute(r) && r.Protocol() != unix.RTPROT_KERNEL && r.Table() != unix.RT_TABLE_LOCAL {
					routes = append(routes, routeSpecOf(r))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return h.LinkSet(ctx, rtm.LinkSpec{Index: from, Netns: rtm.NetnsByHandle(target)})
	}
	undo := func(ctx context.Context, h *rtm.Handle) error {
		self, err := h.OpenNetns()
		if err != nil {
			return err
		}
		defer self.Close()
		there, err := rtm.Dial(rtm.WithNetnsHandle(target))
		if err != nil {
			return err
		}
		defer there.Close()
		l, err := there.LinkByName(ctx, name)
		if err != nil {
			return fmt.Errorf("finding %s in the other namespace: %w", name, err)
		}
		if err := there.LinkSet(ctx, rtm.LinkSpec{Index: l.Index(), Netns: rtm.NetnsByHandle(self)}); err != nil {
			return fmt.Errorf("moving %s back: %w", name, err)
		}
		back, err := h.LinkByName(ctx, name)
		if err != nil {
			return fmt.Errorf("finding %s back: %w", name, err)
		}
		// The kernel keeps the index when it is free; if not, the undos
		// still to come use the new one.
		to := back.Index()
		p.ifaces[ref].index = to
		bt := h.NewBatch()
		var errs []error
		if up {
			errs = append(errs, bt.LinkSet(rtm.LinkSpec{Index: to, Up: rtm.Some(true)}))
		}
		for _, a := range addrs {
			a.Index = to
			errs = append(errs, bt.AddrReplace(a))
		}
		for _, r := range routes {
			if r.OutIndex == from {
				r.OutIndex = to
			}
			errs = append(errs, bt.RouteReplace(r))
		}
		results, err := bt.Run(ctx)
		if results == nil {
			errs = append(errs, err)
		}
		return errors.Join(append(errs, results...)...)
	}
	return step{stage: stageNetns, change: Change{Object: obj, Action: "set", Field: "netns", New: target.ID().String()},
		exec: exec, undoExec: undo}
}

// classify says, for the steps an interface's op planned from first on,
// which refusals by the kernel mean that another writer changed the
// interface meanwhile: it was removed, or the name or address the op
// creates was taken.
func (p *planner) classify(o *op, first int, existing bool, obj string) {
	var created func(error) error
	switch o.kind {
	case opCreate, opTunTap:
		if _, taken := p.w.link(p.ifname(o.ref)); !taken {
			created = createdMeanwhile(obj)
		}
	case opNeighAdd:
		if existing {
			if _, had := p.w.snap.Neigh(p.ifaces[o.ref].index, o.neigh.Dst); !had {
				created = createdMeanwhile("neighbour " + o.neigh.Dst.String() + " of " + obj)
			}
		}
	case opAddrAdd:
		if existing && !slices.ContainsFunc(p.w.addrsOf(p.ifaces[o.ref].index), func(a rtm.Addr) bool { return addrPrefix(a) == o.addr.Prefix }) {
			created = createdMeanwhile("address " + o.addr.Prefix.String() + " of " + obj)
		}
	}
	var removed func(error) error
	if existing {
		removed = removedMeanwhile(obj)
		// The interface is there (ENODEV would say otherwise), but not
		// the address or neighbour the op deletes.
		var what string
		switch o.kind {
		case opAddrDel:
			what = "address " + o.addr.Prefix.String() + " of " + obj
		case opNeighDel:
			what = "neighbour " + o.neigh.Dst.String() + " of " + obj
		}
		if what != "" {
			iface, item := removed, removedMeanwhile(what)
			removed = func(err error) error {
				if errors.Is(err, unix.ENODEV) {
					return iface(err)
				}
				return item(err)
			}
		}
	}
	for i := first; i < len(p.steps); i++ {
		p.steps[i].conflict = func(err error) error {
			for _, f := range []func(error) error{created, removed} {
				if f != nil {
					if ce := f(err); ce != nil {
						return ce
					}
				}
			}
			return nil
		}
	}
}

// objectOp plans an op that belongs to no interface: a route or a rule.
func (p *planner) objectOp(o *op) error {
	switch o.kind {
	case opRouteAdd:
		spec := *o.route
		dev := o.dev
		k := destOf(&spec)
		rs := p.w.routesAt(k)
		// A route already in spec's slot makes the kernel refuse the add:
		// that is the transaction's own error, not another writer's.
		taken := slices.ContainsFunc(rs, func(r wroute) bool { return r.matches(&spec, true) })
		p.w.setRoutesAt(k, append(slices.Clip(rs), wroute{spec: &spec}))
		s := step{stage: stageRoutes,
			describe: func() Change { return Change{Object: routeObject(&spec), Action: "+route", New: describeRoute(&spec)} },
			do: func(bt *rtm.Batch) error {
				s := spec
				if dev >= 0 {
					s.OutIndex = p.index(dev)
				}
				return bt.RouteAdd(s)
			},
			undo: func(bt *rtm.Batch) error {
				s := spec
				if dev >= 0 {
					s.OutIndex = p.index(dev)
				}
				return bt.RouteDel(s)
			}}
		if !taken {
			s.conflict = createdMeanwhile("")
		}
		p.add(s)
	case opRouteChange, opNextHopAdd, opNextHopDel, opRouteEdit:
		// An edit finds its route as a removal does; the others by slot.
		k, rs, i, ok := p.findRoute(o.route, o.kind != opRouteEdit)
		if !ok {
			return fmt.Errorf("ipdb: %s: %w", routeObject(o.route), ErrNotFound)
		}
		prev := *rs[i].get()
		next := *o.route
		action := "~route"
		switch o.kind {
		case opRouteEdit:
			next = cloneRouteSpec(&prev)
			o.edit(&next)
			if next.Dst != prev.Dst || tableOf(&next) != tableOf(&prev) || next.TOS != prev.TOS || next.Priority != prev.Priority {
				return fmt.Errorf("ipdb: %s: an edit cannot change the route's destination, table, TOS or priority; remove it and add another", routeObject(&prev))
			}
		case opNextHopAdd, opNextHopDel:
			next = prev
			hops := hopsOfSpec(&prev)
			if o.kind == opNextHopAdd {
				hops = append(hops, *o.hop)
				action = "+nh"
			} else {
				j := slices.IndexFunc(hops, func(h rtm.NextHopSpec) bool {
					return h.Gateway == o.hop.Gateway && (o.hop.OutIndex == 0 || h.OutIndex == o.hop.OutIndex)
				})
				if j < 0 {
					return fmt.Errorf("ipdb: %s has no next hop via %v: %w", routeObject(&prev), o.hop.Gateway, ErrNotFound)
				}
				if len(hops) == 1 {
					return fmt.Errorf("ipdb: %s: removing its last next hop; remove the route instead", routeObject(&prev))
				}
				hops = slices.Delete(hops, j, j+1)
				action = "-nh"
			}
			setHops(&next, hops)
		}
		rs = slices.Clone(rs)
		rs[i] = wroute{spec: &next}
		p.w.setRoutesAt(k, rs)
		var hop rtm.NextHopSpec
		if o.hop != nil {
			hop = *o.hop
		}
		// A change, not a replace: a route deleted since the plan was
		// made fails the commit rather than being created again.
		p.add(step{stage: stageRoutes,
			describe: func() Change { return diffRouteSpecs(&prev, &next, action, hop) },
			do:       func(bt *rtm.Batch) error { return bt.RouteChange(next) },
			undo:     func(bt *rtm.Batch) error { return bt.RouteReplace(prev) },
			conflict: removedMeanwhile("")})
	case opRouteDel:
		k, rs, i, ok := p.findRoute(o.route, false)
		if !ok {
			return fmt.Errorf("ipdb: %s: %w", routeObject(o.route), ErrNotFound)
		}
		prev := rs[i]
		p.w.setRoutesAt(k, slices.Delete(slices.Clone(rs), i, i+1))
		del := prev.key()
		p.add(step{stage: stageRoutes,
			describe: func() Change {
				s := prev.get()
				return Change{Object: routeObject(s), Action: "-route", Old: describeRoute(s)}
			},
			do:       func(bt *rtm.Batch) error { return bt.RouteDel(del) },
			undo:     func(bt *rtm.Batch) error { return bt.RouteAdd(*prev.get()) },
			conflict: removedMeanwhile("")})
	case opRuleAdd:
		spec := *o.rule
		rules := p.w.ruleList()
		s := step{stage: stageRules, change: Change{Object: ruleObject(&spec), Action: "+rule"},
			do:   func(bt *rtm.Batch) error { return bt.RuleAdd(spec) },
			undo: func(bt *rtm.Batch) error { return bt.RuleDel(spec) }}
		if !slices.ContainsFunc(rules, func(r rtm.RuleSpec) bool { return ruleMatches(&spec, &r) }) {
			s.conflict = createdMeanwhile("")
		}
		p.w.rules = append(rules, spec)
		sortRules(p.w.rules)
		p.add(s)
	case opRuleDel:
		rules := p.w.ruleList()
		i := slices.IndexFunc(rules, func(r rtm.RuleSpec) bool { return ruleMatches(o.rule, &r) })
		if i < 0 {
			return fmt.Errorf("ipdb: %s: %w", ruleObject(o.rule), ErrNotFound)
		}
		prev := rules[i]
		p.w.rules = slices.Delete(rules, i, i+1)
		p.add(step{stage: stageRules, change: Change{Object: ruleObject(&prev), Action: "-rule"},
			do:       func(bt *rtm.Batch) error { return bt.RuleDel(prev) },
			undo:     func(bt *rtm.Batch) error { return bt.RuleAdd(prev) },
			conflict: removedMeanwhile("")})
	default:
		return fmt.Errorf("ipdb: internal error: operation %d recorded without its interface", o.kind)
	}
	return nil
}
