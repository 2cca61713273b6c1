package ipdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// retryDump runs dump again when the kernel reports it interrupted, and
// accepts the last attempt's result if every attempt was: the events
// queued meanwhile, applied after the dump, repair what it missed.
func retryDump(dump func() error) error {
	err := wire.Retry(context.Background(), 3, func(context.Context) error { return dump() })
	if errors.Is(err, wire.ErrDumpInterrupted) {
		return nil
	}
	return err
}

// load reads the namespace's whole state into a new state of generation
// gen. Messages are copied into slabs, and routes, addresses and
// neighbours are gathered in bulk (see bulk): a load does little more
// than the dumps themselves.
func load(ctx context.Context, h *rtm.Handle, gen uint64) (*state, error) {
	st := newState(gen)
	var sl slab
	step := func(what string, run func() error) error {
		if err := retryDump(run); err != nil {
			return fmt.Errorf("ipdb: loading %s: %w", what, err)
		}
		return nil
	}
	err := step("links", func() error {
		st.links, st.names = cowMap[indexKey, []byte]{}, cowMap[nameKey, int32]{}
		for l, err := range h.Links(ctx, nil) {
			if err != nil {
				return err
			}
			if l.Family() == unix.AF_UNSPEC {
				st.setLink(&sl, l)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = step("addresses", func() error {
		var addrs bulk[addrKey]
		for a, err := range h.Addrs(ctx, nil) {
			if err != nil {
				return err
			}
			copy(addrs.add(addrKeyOf(a), len(a.Bytes())), a.Bytes())
		}
		st.addrs = addrs.build(st.gen, nil)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = step("routes", func() error {
		var routes bulk[prefixKey]
		st.nroutes = 0
		clear(st.prefsrc)
		for r, err := range h.Routes(ctx, nil) {
			if err != nil {
				return err
			}
			if mirroredRoute(r) {
				key, prefsrc := scanRoute(r)
				m := r.Bytes()
				g := routes.add(key, groupLenSize+len(m))
				native.PutUint32(g, uint32(len(m)))
				copy(g[groupLenSize:], m)
				st.count(prefsrc, 1)
			}
		}
		st.routes = routes.build(st.gen, func(g, one []byte) []byte {
			// Several routes to one destination: the group of the
			// earlier ones takes the later one, as a notification
			// would add it. count counts it again.
			r, _ := rtm.RouteFromBytes(one[groupLenSize:])
			st.count(r.PrefSrc(), -1)
			g, _ = st.addToGroup(heap{}, g, r, 0)
			return g
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = step("rules", func() error {
		st.rules = cowMap[ruleKey, struct{}]{}
		for r, err := range h.Rules(ctx, nil) {
			if err != nil {
				return err
			}
			if f := r.Family(); f == unix.AF_INET || f == unix.AF_INET6 {
				st.setRule(r.Bytes())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = step("neighbours", func() error {
		var neighs bulk[neighKey]
		for n, err := range h.Neighs(ctx, nil) {
			if err != nil {
				return err
			}
			if mirroredNeigh(n) {
				copy(neighs.add(neighKeyOf(n), len(n.Bytes())), n.Bytes())
			}
		}
		st.neighs = neighs.build(st.gen, nil)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
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
	for i := range old.shards {
		os, cs := old.shards[i], cur.shards[i]
		if os == cs {
			continue
		}
		if os != nil {
			for k, o := range os.m {
				var c []byte
				if cs != nil {
					c = cs.m[k]
				}
				if string(o) != string(c) {
					pair(o, c)
				}
			}
		}
		if cs != nil {
			for k, c := range cs.m {
				if os != nil {
					if _, ok := os.m[k]; ok {
						continue
					}
				}
				pair(nil, c)
			}
		}
	}
}

type diffResult struct{ dels, news []Event }

// diffSimple diffs maps whose values are single messages.
func diffSimple[K hashable, V any](old, cur *cowMap[K, V], msg func(K, V) []byte, newType, delType uint16, same func(a, b []byte) bool) diffResult {
	var r diffResult
	for i := range old.shards {
		os, cs := old.shards[i], cur.shards[i]
		if os == cs {
			continue
		}
		if os != nil {
			for k, o := range os.m {
				var c V
				ok := false
				if cs != nil {
					c, ok = cs.m[k]
				}
				switch {
				case !ok:
					r.dels = append(r.dels, Event{Type: delType, Data: msg(k, o), Synthetic: true})
				case !same(msg(k, o), msg(k, c)):
					r.news = append(r.news, Event{Type: newType, Data: msg(k, c), Synthetic: true})
				}
			}
		}
		if cs != nil {
			for k, c := range cs.m {
				if os != nil {
					if _, ok := os.m[k]; ok {
						continue
					}
				}
				r.news = append(r.news, Event{Type: newType, Data: msg(k, c), Synthetic: true})
			}
		}
	}
	return r
}
