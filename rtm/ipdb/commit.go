package ipdb

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Step is one change of a commit, in the order Commit applies them.
type Step struct {
	// Index is the step's position in the commit, from 0.
	Index int
	// Stage is the step's stage: "create", "attributes", "ports",
	// "addresses", "neighbours", "routes", "rules", "netns" or "remove".
	Stage string
	// Change is what the step changes.
	Change Change
}

func (s Step) String() string { return fmt.Sprintf("step %d (%s): %v", s.Index, s.Stage, s.Change) }

// CommitHook is called by Commit after each step is applied and
// acknowledged by the kernel, in order. An error vetoes the commit: every
// step applied so far is rolled back and Commit returns the error.
type CommitHook func(Step) error

// CommitError reports a failed commit: the step that failed or was
// vetoed, why, and, if rolling back failed too, why.
type CommitError struct {
	Step     Step
	Err      error
	Rollback error
}

func (e *CommitError) Error() string {
	s := fmt.Sprintf("ipdb: commit failed at %v: %v", e.Step, e.Err)
	if e.Rollback != nil {
		s += fmt.Sprintf("; rollback failed too: %v", e.Rollback)
	} else {
		s += "; rolled back"
	}
	return s
}

// Unwrap returns the failure and the rollback's error, so that errors.Is
// finds either.
func (e *CommitError) Unwrap() []error {
	if e.Rollback != nil {
		return []error{e.Err, e.Rollback}
	}
	return []error{e.Err}
}

// The stages, in the order Commit applies them.
const (
	stageCreate = iota
	stageAttrs
	stagePorts
	stageAddrs
	stageNeighs
	stageRoutes
	stageRules
	stageNetns
	stageRemove
)

var stageNames = [...]string{"create", "attributes", "ports", "addresses", "neighbours", "routes", "rules", "netns", "remove"}

// step is a planned change: the request that makes it and those that undo
// it, computed from the state before the commit.
type step struct {
	stage int
	// wave orders the steps of a stage that need what earlier ones
	// learn: an interface created on a parent the same commit creates.
	wave   int
	change Change
	// do adds the change's request to a batch; exec makes changes that
	// are not RTNL requests (tun/tap devices). echo, if set, receives
	// the object the request created as the kernel stored it, and
	// resolve runs after the stage: both learn what later stages need (a
	// new link's index).
	do      func(bt *rtm.Batch) error
	exec    func(ctx context.Context, h *rtm.Handle) error
	echo    func(m wire.Message)
	resolve func(ctx context.Context, h *rtm.Handle) error
	// undo adds the requests that undo the change. undoFailed runs them
	// even if the change failed: they restore values, which is harmless
	// if the kernel did not change them, and a failed link change may
	// have applied some of its attributes.
	undo       func(bt *rtm.Batch) error
	undoFailed bool
	// undoExec, if set, undoes an exec step: a change a batch on the
	// handle cannot undo (a link moved to another namespace).
	undoExec func(ctx context.Context, h *rtm.Handle) error
	// describe, if set, describes the step instead of change: the
	// description of a route costs more than planning it, and only a
	// review, a hook or a failure reads it.
	describe func() Change
	// conflict, if set, tells whether the kernel's refusal of the step
	// means that another writer changed its object after the plan was
	// made, and returns the *ConflictError that says so.
	conflict func(err error) error
}

func (s *step) desc() Change {
	if s.describe != nil {
		return s.describe()
	}
	return s.change
}

// ErrConflict is matched by errors.Is when a commit failed because
// another writer changed an object the transaction changes, between the
// moment the commit planned (from the database, caught up with the
// kernel) and the moment the kernel applied the step: a route, address,
// rule, neighbour or interface created or removed meanwhile. The commit
// was rolled back; planning again sees the other writer's change. Changes
// by others to objects the transaction does not touch never fail a
// commit.
var ErrConflict = errors.New("ipdb: conflict with another writer")

// ConflictError is a step refused by the kernel because another writer
// changed its object meanwhile. errors.Is matches it with ErrConflict and
// with the kernel's errno (unix.EEXIST, unix.ENOENT, ...).
type ConflictError struct {
	// Object is the object: "route 10.0.0.0/24 table 254", "interface
	// veth0", "rule priority 100".
	Object string
	// Change is what happened to it: "created" (an add found it there)
	// or "removed" (a change or removal did not find it).
	Change string
	// Err is the kernel's error.
	Err error
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("ipdb: %s was %s by another writer since the commit was planned: %v", e.Object, e.Change, e.Err)
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns the kernel's error.
func (e *ConflictError) Unwrap() error { return e.Err }

// createdMeanwhile classifies the failure of an add whose object the
// plan did not see: EEXIST means another writer created it. An empty
// object is the step's.
func createdMeanwhile(object string) func(error) error {
	return func(err error) error {
		if errors.Is(err, unix.EEXIST) {
			return &ConflictError{Object: object, Change: "created", Err: err}
		}
		return nil
	}
}

// removedMeanwhile classifies the failure of a change or removal of an
// object the plan saw: the kernel's "no such object" errors mean another
// writer removed it (or changed what identifies it).
func removedMeanwhile(object string) func(error) error {
	return func(err error) error {
		for _, e := range []unix.Errno{unix.ENOENT, unix.ESRCH, unix.ENODEV, unix.EADDRNOTAVAIL} {
			if errors.Is(err, e) {
				return &ConflictError{Object: object, Change: "removed", Err: err}
			}
		}
		return nil
	}
}

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
		c := *k
		c.Dev = index
		s.Kind = &c
	case *rtm.GRE:
		c := *k
		c.Dev = index
		s.Kind = &c
	case *rtm.IPIP:
		c := *k
		c.Dev = index
		s.Kind = &c
	case *rtm.SIT:
		c := *k
		c.Dev = index
		s.Kind = &c
	default:
		s.Parent = index
	}
	return s
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

// findRoute finds the route s designates: by destination and table (one
// lookup), and by every other key field s sets (in slot mode, TOS and
// priority as given, zero included). It returns the routes to s's
// destination and the route's position among them.
func (p *planner) findRoute(s *rtm.RouteSpec, slot bool) (k prefixKey, rs []wroute, i int, ok bool) {
	k = destOf(s)
	rs = p.w.routesAt(k)
	i = slices.IndexFunc(rs, func(r wroute) bool { return r.matches(s, slot) })
	return k, rs, i, i >= 0
}

func routeMatches(s, r *rtm.RouteSpec, slot bool) bool {
	switch {
	case r.Dst != s.Dst,
		slot && (r.TOS != s.TOS || r.Priority != s.Priority),
		!slot && s.Priority != 0 && r.Priority != s.Priority,
		!slot && s.TOS != 0 && r.TOS != s.TOS,
		!slot && s.Gateway.IsValid() && r.Gateway != s.Gateway,
		!slot && s.OutIndex != 0 && r.OutIndex != s.OutIndex:
		return false
	}
	return true
}

func hopsOfSpec(s *rtm.RouteSpec) []rtm.NextHopSpec {
	if len(s.NextHops) > 0 {
		return slices.Clone(s.NextHops)
	}
	if s.Gateway.IsValid() || s.OutIndex != 0 {
		return []rtm.NextHopSpec{{Gateway: s.Gateway, OutIndex: s.OutIndex, Weight: 1, Flags: uint8(s.Flags & unix.RTNH_F_ONLINK)}}
	}
	return nil
}

func setHops(s *rtm.RouteSpec, hops []rtm.NextHopSpec) {
	s.Gateway, s.OutIndex, s.NextHops = netip.Addr{}, 0, nil
	if len(hops) == 1 {
		s.Gateway, s.OutIndex = hops[0].Gateway, hops[0].OutIndex
		return
	}
	s.NextHops = hops
	s.Flags &^= unix.RTNH_F_ONLINK
}

// cloneRouteSpec returns a copy of s that shares no slice with it.
func cloneRouteSpec(s *rtm.RouteSpec) rtm.RouteSpec {
	c := *s
	c.MPLSEncap = slices.Clone(s.MPLSEncap)
	c.NextHops = slices.Clone(s.NextHops)
	for i := range c.NextHops {
		c.NextHops[i].MPLSEncap = slices.Clone(c.NextHops[i].MPLSEncap)
	}
	return c
}

// keyOfSpec returns the spec that deletes exactly the route s describes.
func keyOfSpec(s *rtm.RouteSpec) rtm.RouteSpec {
	return rtm.RouteSpec{Dst: s.Dst, Src: s.Src, Table: s.Table, TOS: s.TOS, Priority: s.Priority,
		Type: s.Type, Protocol: s.Protocol, Gateway: s.Gateway, OutIndex: s.OutIndex}
}

func ruleMatches(q, r *rtm.RuleSpec) bool {
	if p, ok := q.Priority.Get(); ok && r.Priority.Or(0) != p {
		return false
	}
	fam := q.Family
	if fam == 0 && q.Src.IsValid() {
		fam = family(q.Src.Addr())
	} else if fam == 0 && q.Dst.IsValid() {
		fam = family(q.Dst.Addr())
	}
	switch {
	case fam != 0 && r.Family != fam,
		q.Table != 0 && r.Table != q.Table,
		q.Src.IsValid() && r.Src != q.Src,
		q.Dst.IsValid() && r.Dst != q.Dst,
		q.IIFName != "" && r.IIFName != q.IIFName,
		q.OIFName != "" && r.OIFName != q.OIFName,
		q.Mark != 0 && r.Mark != q.Mark,
		q.Action != 0 && r.Action != q.Action,
		q.Protocol != 0 && r.Protocol != q.Protocol:
		return false
	}
	return true
}

// Change is one line of a review: what a transaction changes.
type Change struct {
	// Object is what changes: "interface br0", "route 10.0.0.0/24 table
	// 254", "rule priority 100".
	Object string
	// Action is "create", "remove", "set", "+ipaddr", "-ipaddr",
	// "+port", "-port", "+neigh", "-neigh", "+route", "-route", "~route"
	// (a changed route), "+nh", "-nh", "+rule" or "-rule".
	Action string
	// Field names the changed setting of a "set" or "~route": "mtu",
	// "name", "gateway", "metrics.mtu", "nexthops", ...
	Field string
	// Old and New are the values before and after, as text.
	Old, New string
	// Fields lists the settings a "~route", "+nh" or "-nh" changes.
	Fields []Change
}

func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Object + ": " + c.Action)
	if c.Field != "" {
		fmt.Fprintf(&b, " %s %s -> %s", c.Field, c.Old, c.New)
	} else if c.New != "" || c.Old != "" {
		b.WriteString(" " + c.New + c.Old)
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, "; %s %s -> %s", f.Field, f.Old, f.New)
	}
	return b.String()
}

// Review is the pending diff of a transaction, in commit order.
type Review struct {
	Changes []Change
	// Err is why the transaction cannot be planned, if it cannot: a bad
	// argument, an interface or route that does not exist.
	Err error
}

func (r Review) String() string {
	var b strings.Builder
	for _, c := range r.Changes {
		b.WriteString(c.String() + "\n")
	}
	if r.Err != nil {
		b.WriteString("error: " + r.Err.Error() + "\n")
	}
	return b.String()
}

func routeObject(s *rtm.RouteSpec) string {
	return fmt.Sprintf("route %v table %d", s.Dst, tableOf(s).table)
}

func describeRoute(s *rtm.RouteSpec) string {
	var b strings.Builder
	b.WriteString(s.Dst.String())
	if s.Gateway.IsValid() {
		fmt.Fprintf(&b, " via %v", s.Gateway)
	}
	if s.OutIndex != 0 {
		fmt.Fprintf(&b, " dev %d", s.OutIndex)
	}
	for _, h := range s.NextHops {
		fmt.Fprintf(&b, " nexthop via %v dev %d weight %d", h.Gateway, h.OutIndex, max(h.Weight, 1))
	}
	if s.Priority != 0 {
		fmt.Fprintf(&b, " metric %d", s.Priority)
	}
	return b.String()
}

func describeNeigh(s *rtm.NeighSpec) string {
	d := s.Dst.String()
	if len(s.LLAddr) > 0 {
		d += " lladdr " + s.LLAddr.String()
	}
	return d
}

func ruleObject(s *rtm.RuleSpec) string {
	if p, ok := s.Priority.Get(); ok {
		return fmt.Sprintf("rule priority %d", p)
	}
	return "rule"
}

// diffRouteSpecs describes what changes from prev to next.
func diffRouteSpecs(prev, next *rtm.RouteSpec, action string, hop rtm.NextHopSpec) Change {
	c := Change{Object: routeObject(prev), Action: action}
	field := func(name string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			c.Fields = append(c.Fields, Change{Field: name, Old: fmt.Sprint(a), New: fmt.Sprint(b)})
		}
	}
	switch action {
	case "+nh":
		c.New = fmt.Sprintf("via %v dev %d", hop.Gateway, hop.OutIndex)
	case "-nh":
		c.Old = fmt.Sprintf("via %v", hop.Gateway)
	}
	field("gateway", prev.Gateway, next.Gateway)
	field("dev", prev.OutIndex, next.OutIndex)
	field("prefsrc", prev.PrefSrc, next.PrefSrc)
	field("type", prev.Type, next.Type)
	field("protocol", prev.Protocol, next.Protocol)
	field("nexthops", len(prev.NextHops), len(next.NextHops))
	pm, nm := prev.Metrics, next.Metrics
	field("metrics.mtu", pm.MTU, nm.MTU)
	field("metrics.advmss", pm.AdvMSS, nm.AdvMSS)
	field("metrics.hoplimit", pm.HopLimit, nm.HopLimit)
	field("metrics.initcwnd", pm.InitCWnd, nm.InitCWnd)
	field("metrics.initrwnd", pm.InitRWnd, nm.InitRWnd)
	field("metrics.window", pm.Window, nm.Window)
	field("metrics.rtt", pm.RTT, nm.RTT)
	field("metrics.lock", pm.Lock, nm.Lock)
	field("metrics.congctl", pm.CongestionControl, nm.CongestionControl)
	return c
}

// snapshotOps returns the ops and interface table to plan, as copies.
func (tx *Tx) take(clear bool) ([]op, []ifaceRef, []CommitHook, error) {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.err != nil {
		return nil, nil, nil, tx.err
	}
	if tx.done {
		return nil, nil, nil, ErrTxDone
	}
	ops, refs := tx.ops, slices.Clone(tx.ifaces)
	hooks := append(slices.Clone(tx.db.opts.hooks), tx.hooks...)
	if clear {
		tx.ops = nil
	}
	return ops, refs, hooks, nil
}

// Review returns the pending diff, planned against the database's
// current state.
func (tx *Tx) Review() Review {
	ops, refs, _, err := tx.take(false)
	if err != nil {
		return Review{Err: err}
	}
	p, err := plan(newWorld(tx.db.Snapshot()), ops, refs)
	if err != nil {
		return Review{Err: err}
	}
	r := Review{}
	for _, s := range p.steps {
		r.Changes = append(r.Changes, s.desc())
	}
	return r
}

// Plan returns the steps Commit would apply now, without applying them:
// planned, as Commit plans, against the database once it has caught up
// with every change the kernel made until now.
func (tx *Tx) Plan(ctx context.Context) ([]Step, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	ops, refs, _, err := tx.take(false)
	if err != nil {
		return nil, err
	}
	p, err := tx.planCurrent(ctx, ops, refs)
	if err != nil {
		return nil, err
	}
	return p.public(), nil
}

func (p *planner) public() []Step {
	out := make([]Step, len(p.steps))
	for i := range p.steps {
		out[i] = p.stepAt(i)
	}
	return out
}

func (p *planner) stepAt(i int) Step {
	return Step{Index: i, Stage: stageNames[p.steps[i].stage], Change: p.steps[i].desc()}
}

// Commit applies the transaction and closes it. Changes go in dependency
// order (interfaces created, then their attributes, ports, addresses,
// routes, rules, and interface removals last), each stage pipelined in
// one batch, each change confirmed by the kernel's acknowledgement. If a
// change fails or a hook vetoes it, every change already applied is
// undone, in reverse order, and Commit returns a *CommitError naming the
// step, with the rollback's own error if it failed too.
//
// The plan and the inverses are computed from the database, once it has
// applied every notification the kernel queued before Commit was called
// (a barrier in the notification stream): nothing is read again from the
// kernel, so a commit costs in proportion to its changes, whatever the
// size of the tables, and other writers changing other objects meanwhile
// cannot make it fail. If another writer changes an object of the
// transaction between the plan and the step (creates a route it adds,
// removes an address it deletes), the kernel refuses the step and the
// commit rolls back with a *ConflictError, matched by ErrConflict.
//
// When Commit returns, the database shows the outcome: a snapshot taken
// then has every change of a successful commit, and none of a rolled
// back one, with whatever else the kernel changed before (a barrier in
// the notification stream, [rtm.Monitor.Sync], makes sure of it without
// polling). Other changes may follow at any time: those the kernel makes
// by itself, such as IPv6 link-local addresses after a link goes up,
// are for [DB.Wait]. If ctx ends while Commit waits for the database, it
// returns an error that wraps ctx's, and the changes stay applied; if
// the database stopped following the kernel ([DB.Err]), it does not
// wait. A pre callback must not commit: the database cannot show the
// commit before the callback returns.
//
// In SnapshotMode, Commit plans against the database and applies
// nothing.
func (tx *Tx) Commit(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if tx.mode == Direct {
		tx.mu.Lock()
		err := tx.err
		tx.done = true
		tx.mu.Unlock()
		tx.forget()
		return err
	}
	defer tx.forget()
	err := tx.apply(ctx)
	tx.mu.Lock()
	tx.done = true
	tx.mu.Unlock()
	return err
}

// apply plans and applies the recorded ops, and clears them.
func (tx *Tx) apply(ctx context.Context) error {
	if tx.db.closed.Load() {
		return ErrClosed
	}
	ops, refs, hooks, err := tx.take(true)
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		return nil
	}
	if tx.mode == SnapshotMode {
		_, err := plan(newWorld(tx.db.Snapshot()), ops, refs)
		return err
	}
	p, err := tx.planCurrent(ctx, ops, refs)
	if err != nil {
		return err
	}
	err = p.run(ctx, tx.db.h, hooks)
	// Whether the changes stay or were rolled back, the database shows
	// the outcome before Commit returns.
	if werr := tx.db.catchUp(ctx); err == nil {
		err = werr
	}
	// Keep what was learnt (the indexes of new interfaces) for the
	// changes still to come in Direct mode.
	tx.mu.Lock()
	if err == nil {
		copy(tx.ifaces, p.ifaces)
		for i := range tx.ifaces {
			tx.ifaces[i].created = false
		}
	}
	tx.mu.Unlock()
	return err
}

// run applies the plan stage by stage and rolls back on failure.
func (p *planner) run(ctx context.Context, h *rtm.Handle, hooks []CommitHook) error {
	var applied []int // steps applied, in order
	fail := func(i int, err error) error {
		if c := p.steps[i].conflict; c != nil {
			if e := c(err); e != nil {
				if ce, ok := e.(*ConflictError); ok && ce.Object == "" {
					ce.Object = p.steps[i].desc().Object
				}
				err = e
			}
		}
		return &CommitError{Step: p.stepAt(i), Err: err, Rollback: p.rollback(ctx, h, applied)}
	}
	for lo := 0; lo < len(p.steps); {
		hi := lo
		for hi < len(p.steps) && p.steps[hi].stage == p.steps[lo].stage && p.steps[hi].wave == p.steps[lo].wave {
			hi++
		}
		bt := h.NewBatch()
		var inBatch []int
		echo := false
		for i := lo; i < hi; i++ {
			s := &p.steps[i]
			if s.exec != nil {
				if err := s.exec(ctx, h); err != nil {
					return fail(i, err)
				}
				applied = append(applied, i)
				continue
			}
			if err := s.do(bt); err != nil {
				return fail(i, err)
			}
			inBatch = append(inBatch, i)
			echo = echo || s.echo != nil
		}
		var results []error
		var err error
		if echo {
			results, err = bt.RunEcho(ctx, func(j int, m wire.Message) error {
				if e := p.steps[inBatch[j]].echo; e != nil {
					e(m)
				}
				return nil
			})
		} else {
			results, err = bt.Run(ctx)
		}
		if results == nil && err != nil {
			// Nothing is known to have been applied: the batch failed
			// as a whole (a closed handle, a cancelled context).
			return fail(inBatch[0], err)
		}
		failed, failErr := -1, error(nil)
		for j, i := range inBatch {
			if results[j] != nil {
				if failed < 0 {
					failed, failErr = i, results[j]
				}
				if p.steps[i].undoFailed {
					applied = append(applied, i)
					if p.refused == nil {
						p.refused = map[int]bool{}
					}
					p.refused[i] = true
				}
				continue
			}
			applied = append(applied, i)
		}
		if failed >= 0 {
			return fail(failed, failErr)
		}
		for i := lo; i < hi; i++ {
			if r := p.steps[i].resolve; r != nil {
				if err := r(ctx, h); err != nil {
					return fail(i, err)
				}
			}
		}
		for i := lo; i < hi; i++ {
			for _, hook := range hooks {
				if err := hook(p.stepAt(i)); err != nil {
					return fail(i, fmt.Errorf("vetoed by a commit hook: %w", err))
				}
			}
		}
		lo = hi
	}
	return nil
}

// rollback undoes the applied steps in reverse order, in one batch.
func (p *planner) rollback(ctx context.Context, h *rtm.Handle, applied []int) error {
	// A rollback must run even if the commit's context ended.
	ctx = context.WithoutCancel(ctx)
	bt := h.NewBatch()
	var errs []error
	// ignored are the requests of the batch whose errors do not count:
	// those undoing a step the kernel refused.
	var ignored []bool
	flush := func() {
		results, err := bt.Run(ctx)
		for j, r := range results {
			if r != nil && !(j < len(ignored) && ignored[j]) {
				errs = append(errs, r)
			}
		}
		if results == nil && err != nil {
			errs = append(errs, err)
		}
		bt, ignored = h.NewBatch(), nil
	}
	for k := len(applied) - 1; k >= 0; k-- {
		s := &p.steps[applied[k]]
		if s.undoExec != nil {
			// After the undos before it in the batch, before those after.
			flush()
			if err := s.undoExec(ctx, h); err != nil {
				errs = append(errs, fmt.Errorf("undoing %v: %w", s.desc(), err))
			}
			continue
		}
		if s.undo == nil {
			if s.stage == stageRemove {
				errs = append(errs, fmt.Errorf("%v cannot be undone", s.desc()))
			}
			continue
		}
		if err := s.undo(bt); err != nil {
			errs = append(errs, fmt.Errorf("undoing %v: %w", s.desc(), err))
		}
		for len(ignored) < bt.Len() {
			ignored = append(ignored, p.refused[applied[k]])
		}
	}
	flush()
	return errors.Join(errs...)
}
