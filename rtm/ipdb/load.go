package ipdb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"slices"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// loadAttempts bounds the dumps of one table in one load: a dump that the
// kernel flags as interrupted (NLM_F_DUMP_INTR), or that shows one object
// twice, is taken again, at most this many times in all. Each attempt is
// one dump of the table; there is no pause between them, since the
// kernel's state does not settle by waiting.
const loadAttempts = 5

// ErrInconsistent is matched by errors.Is when every dump of a table was
// inconsistent: the kernel flagged it as interrupted by concurrent
// changes (the error also matches wire.ErrDumpInterrupted), or it showed
// an object twice. The database then keeps the state it had: it never
// takes a table it could not read whole.
var ErrInconsistent = errors.New("ipdb: the kernel's dumps stayed inconsistent under concurrent changes")

// errDuplicate reports a dump that showed one object twice: the kernel
// resumed it at a shifted position, so it may also have skipped some.
var errDuplicate = errors.New("an object appeared twice in one dump")

// errChanged reports a dump during which the objects it reads changed,
// which the kernel does not flag for every kind (see loadRules).
var errChanged = errors.New("changed during the dump")

// consistent runs dump, which reads one table into a fresh container,
// until it returns without an inconsistency, at most loadAttempts times.
// It returns dump's other errors as they are, and ErrInconsistent,
// wrapping the last inconsistency, when no attempt was consistent. An
// attempt's result must be discarded when it fails: the caller keeps
// only what the successful one built.
func consistent(ctx context.Context, what string, dump func() error) error {
	for i := 1; ; i++ {
		err := dump()
		if err == nil {
			return nil
		}
		if !errors.Is(err, wire.ErrDumpInterrupted) && !errors.Is(err, errDuplicate) && !errors.Is(err, errChanged) {
			return fmt.Errorf("ipdb: loading %s: %w", what, err)
		}
		if i == loadAttempts {
			return fmt.Errorf("%w: loading %s, %d dumps in a row: %w", ErrInconsistent, what, i, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("ipdb: loading %s: %w", what, ctx.Err())
		}
	}
}

// load reads the namespace's state, the part sc selects (nil for
// everything), into a new state of generation gen. Messages are copied
// into slabs, and routes, addresses and neighbours are gathered in bulk
// (see bulk): a load does little more than the dumps themselves.
//
// Each table comes from one consistent dump (see consistent), unfiltered
// by the kernel: its filtered dumps can skip or repeat objects without a
// flag. A table that could not be read consistently fails the whole load.
func load(ctx context.Context, h *rtm.Handle, gen uint64, sc *scope) (*state, error) {
	st := newState(gen)
	var sl slab
	err := consistent(ctx, "links", func() error {
		st.links, st.names = cowMap[indexKey, []byte]{}, cowMap[nameKey, int32]{}
		for l, err := range h.Links(ctx, nil) {
			if err != nil {
				return err
			}
			if l.Family() != unix.AF_UNSPEC {
				continue
			}
			if _, dup := st.links.get(indexKey(l.Index())); dup {
				return fmt.Errorf("link %d: %w", l.Index(), errDuplicate)
			}
			st.setLink(&sl, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sc.has(KindAddrs) {
		if st.addrs, err = loadUnique(ctx, "addresses", "address", st.gen, h.Addrs(ctx, nil), addrKeyOf, nil); err != nil {
			return nil, err
		}
	}
	if sc.has(KindRoutes) {
		err = consistent(ctx, "routes", func() error { return st.loadRoutes(ctx, h, sc) })
		if err != nil {
			return nil, err
		}
	}
	if sc.has(KindRules) {
		if err = st.loadRules(ctx, h); err != nil {
			return nil, err
		}
	}
	if sc.has(KindNeighs) {
		if st.neighs, err = loadUnique(ctx, "neighbours", "neighbour", st.gen, h.Neighs(ctx, nil), neighKeyOf, mirroredNeigh); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// loadUnique reads, in one consistent dump (see consistent), the objects
// of a dump that keep keeps (all when keep is nil) into a map by key, of
// generation gen, copying their messages in bulk. An object that comes
// twice makes the attempt fail. table names the objects in errors
// ("addresses"), what one of them ("address").
func loadUnique[K hashable, V interface{ Bytes() []byte }](ctx context.Context, table, what string, gen uint64, dump iter.Seq2[V, error], key func(V) K, keep func(V) bool) (cowMap[K, []byte], error) {
	var m cowMap[K, []byte]
	err := consistent(ctx, table, func() error {
		var objs bulk[K]
		for v, err := range dump {
			if err != nil {
				return err
			}
			if keep == nil || keep(v) {
				copy(objs.add(key(v), len(v.Bytes())), v.Bytes())
			}
		}
		built, err := objs.buildUnique(gen, what)
		if err == nil {
			m = built
		}
		return err
	})
	return m, err
}

// loadRules reads the rules into st, replacing any st had.
//
// The kernel resumes a rule dump at a position in its list, and flags
// nothing when rules before that position come or go meanwhile: a rule
// that never changed can be skipped, or shown twice. So the dump has a
// witness, a subscription to the rule groups taken before it: a dump is
// consistent when no rule notification arrived by the end of it. Rules
// change seldom, and there are few: this costs one socket per attempt.
func (st *state) loadRules(ctx context.Context, h *rtm.Handle) error {
	return consistent(ctx, "rules", func() error {
		// A witness of its own for each attempt: after an overrun, the
		// kernel drops further notifications, the barrier's answer
		// among them, without saying so again, so a witness that
		// overran once could wait for that answer forever.
		w, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Rule, rtm.GroupIPv6Rule}, rtm.WithMonitorBuffer(64<<10))
		if err != nil {
			return fmt.Errorf("ipdb: loading rules: %w", err)
		}
		defer w.Close()
		rules := cowMap[ruleKey, struct{}]{}
		for r, err := range h.Rules(ctx, nil) {
			if err != nil {
				return err
			}
			if f := r.Family(); f == unix.AF_INET || f == unix.AF_INET6 {
				rules.set(st.gen, ruleKey(r.Bytes()), struct{}{})
			}
		}
		calm, err := quiet(ctx, w)
		if err != nil {
			return err
		}
		if !calm {
			return fmt.Errorf("rules: %w", errChanged)
		}
		st.rules = rules
		return nil
	})
}

// quiet reports whether no notification (and no overrun) arrived on w
// since the last call: it asks for a barrier and reads up to it. The
// kernel answers the barrier after every notification it had queued.
func quiet(ctx context.Context, w *rtm.Monitor) (bool, error) {
	id, err := w.Sync()
	if err != nil {
		return false, err
	}
	calm := true
	for ev, err := range w.Events(ctx) {
		switch {
		case err != nil:
			return false, err
		case ev.Overrun:
			// The barrier's answer may be lost with the rest: the
			// witness is of no more use (see loadRules).
			return false, nil
		case ev.Sync == id:
			return calm, nil
		case ev.Sync == 0:
			calm = false
		}
	}
	return false, errors.New("ipdb: the witness's event stream ended")
}

// loadRoutes reads the routes sc selects into st, replacing any st had:
// in one dump, or one per table when sc names the only tables mirrored,
// so that the routes of the others are not even read. The kernel walks a
// table the same way whether the dump names it or not: naming it costs
// no consistency.
func (st *state) loadRoutes(ctx context.Context, h *rtm.Handle, sc *scope) error {
	var routes bulk[prefixKey]
	n := 0
	prefsrc := map[netip.Addr]int{}
	dump := func(f *rtm.RouteFilter) error {
		for r, err := range h.Routes(ctx, f) {
			if err != nil {
				return err
			}
			if !mirroredRoute(r) {
				continue
			}
			key, src := scanRoute(r)
			if !sc.table(key.table) {
				continue
			}
			m := r.Bytes()
			g := routes.add(key, groupLenSize+len(m))
			native.PutUint32(g, uint32(len(m)))
			copy(g[groupLenSize:], m)
			n++
			if src.IsValid() {
				prefsrc[src]++
			}
		}
		return nil
	}
	if sc == nil || len(sc.only) == 0 {
		if err := dump(nil); err != nil {
			return err
		}
	} else {
		for i, t := range sc.only {
			if slices.Contains(sc.only[:i], t) || !sc.table(t) {
				continue
			}
			if err := dump(&rtm.RouteFilter{Table: t}); err != nil {
				return err
			}
		}
	}
	// Counted into a scratch state, so that a failed attempt leaves st's
	// counts as they were.
	tmp := &state{gen: st.gen, nroutes: n, prefsrc: prefsrc}
	dup := false
	m := routes.build(st.gen, func(g, one []byte) []byte {
		// Several routes to one destination: the group of the earlier
		// ones takes the later one, as a notification would add it.
		// count counts it again. The same route twice is a dump that
		// went back.
		msg := one[groupLenSize:]
		groupEach(g, func(o []byte) bool {
			if sameContent(o, msg, unix.SizeofRtMsg, routeVolatile...) {
				dup = true
			}
			return !dup
		})
		r, _ := rtm.RouteFromBytes(msg)
		tmp.count(r.PrefSrc(), -1)
		g, _ = tmp.addToGroup(heap{}, g, r, 0)
		return g
	})
	if dup {
		return fmt.Errorf("route: %w", errDuplicate)
	}
	st.routes, st.nroutes, st.prefsrc = m, tmp.nroutes, tmp.prefsrc
	return nil
}

// diffStates returns the events that turn old into cur: removals first
// (routes, rules, neighbours, addresses, links), then additions and
// changes (links, addresses, routes, neighbours, rules).
func diffStates(old, cur *state) []Event {
	var dels, news []Event
	diffMap(&old.routes, &cur.routes, func(o, c []byte) {
		// Compare the groups route by route.
		var before []Event
		groupEach(o, func(m []byte) bool {
			before = append(before, Event{Type: unix.RTM_DELROUTE, Data: m, Synthetic: true})
			return true
		})
		var after [][]byte
		groupEach(c, func(m []byte) bool { after = append(after, m); return true })
		for _, e := range diffRoutes(before, after) {
			if e.Type == unix.RTM_DELROUTE {
				dels = append(dels, e)
			} else {
				news = append(news, e)
			}
		}
	})
	rules := diffSimple(&old.rules, &cur.rules, func(k ruleKey, _ struct{}) []byte { return []byte(k) },
		unix.RTM_NEWRULE, unix.RTM_DELRULE, func(a, b []byte) bool { return true })
	neighs := diffSimple(&old.neighs, &cur.neighs, func(_ neighKey, v []byte) []byte { return v },
		unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH, func(a, b []byte) bool { return sameContent(a, b, unix.SizeofNdMsg, neighVolatile...) })
	addrs := diffSimple(&old.addrs, &cur.addrs, func(_ addrKey, v []byte) []byte { return v },
		unix.RTM_NEWADDR, unix.RTM_DELADDR, func(a, b []byte) bool { return sameContent(a, b, unix.SizeofIfAddrmsg, addrVolatile...) })
	links := diffSimple(&old.links, &cur.links, func(_ indexKey, v []byte) []byte { return v },
		unix.RTM_NEWLINK, unix.RTM_DELLINK, sameLink)
	out := dels
	out = append(out, rules.dels...)
	out = append(out, neighs.dels...)
	out = append(out, addrs.dels...)
	out = append(out, links.dels...)
	out = append(out, links.news...)
	out = append(out, addrs.news...)
	out = append(out, news...)
	out = append(out, neighs.news...)
	out = append(out, rules.news...)
	return out
}

// diffMap calls pair for each key of either map whose values differ, with
// nil for a missing value.
func diffMap[K hashable](old, cur *cowMap[K, []byte], pair func(o, c []byte)) {
	diffShards(old, cur, func(_ K, o []byte, inOld bool, c []byte, _ bool) {
		if !inOld || string(o) != string(c) {
			pair(o, c)
		}
	})
}

// diffShards calls each for every key of either map in the shards that
// differ (the others are shared, hence equal), with its value in each map
// and whether it has one there (the zero V when not).
func diffShards[K hashable, V any](old, cur *cowMap[K, V], each func(k K, o V, inOld bool, c V, inCur bool)) {
	for i := range old.shards {
		os, cs := old.shards[i], cur.shards[i]
		if os == cs {
			continue
		}
		var zero V
		if os != nil {
			for k, o := range os.m {
				c, ok := zero, false
				if cs != nil {
					c, ok = cs.m[k]
				}
				each(k, o, true, c, ok)
			}
		}
		if cs != nil {
			for k, c := range cs.m {
				if os != nil {
					if _, ok := os.m[k]; ok {
						continue
					}
				}
				each(k, zero, false, c, true)
			}
		}
	}
}

type diffResult struct{ dels, news []Event }

// diffSimple diffs maps whose values are single messages.
func diffSimple[K hashable, V any](old, cur *cowMap[K, V], msg func(K, V) []byte, newType, delType uint16, same func(a, b []byte) bool) diffResult {
	var r diffResult
	diffShards(old, cur, func(k K, o V, inOld bool, c V, inCur bool) {
		switch {
		case !inCur:
			r.dels = append(r.dels, Event{Type: delType, Data: msg(k, o), Synthetic: true})
		case !inOld || !same(msg(k, o), msg(k, c)):
			r.news = append(r.news, Event{Type: newType, Data: msg(k, c), Synthetic: true})
		}
	})
	return r
}
