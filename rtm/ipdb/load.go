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
// gen.
func load(ctx context.Context, h *rtm.Handle, gen uint64) (*state, error) {
	var st *state
	var sl slab
	steps := []struct {
		what string
		run  func() error
	}{
		{"links", func() error {
			for l, err := range h.Links(ctx, nil) {
				if err != nil {
					return err
				}
				if l.Family() == unix.AF_UNSPEC {
					st.setLink(&sl, l.Bytes())
				}
			}
			return nil
		}},
		{"addresses", func() error {
			for a, err := range h.Addrs(ctx, nil) {
				if err != nil {
					return err
				}
				st.setAddr(&sl, a.Bytes())
			}
			return nil
		}},
		{"routes", func() error {
			for r, err := range h.Routes(ctx, nil) {
				if err != nil {
					return err
				}
				if mirroredRoute(r) {
					st.setRoute(&sl, r.Bytes(), 0)
				}
			}
			return nil
		}},
		{"rules", func() error {
			for r, err := range h.Rules(ctx, nil) {
				if err != nil {
					return err
				}
				if f := r.Family(); f == unix.AF_INET || f == unix.AF_INET6 {
					st.setRule(r.Bytes())
				}
			}
			return nil
		}},
		{"neighbours", func() error {
			for n, err := range h.Neighs(ctx, nil) {
				if err != nil {
					return err
				}
				if mirroredNeigh(n) {
					st.setNeigh(&sl, n.Bytes())
				}
			}
			return nil
		}},
	}
	st = newState(gen)
	for _, s := range steps {
		err := retryDump(func() error {
			st.clearKind(s.what)
			return s.run()
		})
		if err != nil {
			return nil, fmt.Errorf("ipdb: loading %s: %w", s.what, err)
		}
	}
	return st, nil
}

// clearKind empties one kind of object, before a dump is retried.
func (st *state) clearKind(what string) {
	switch what {
	case "links":
		st.links, st.names = cowMap[indexKey, []byte]{}, cowMap[nameKey, int32]{}
	case "addresses":
		st.addrs = cowMap[addrKey, []byte]{}
	case "routes":
		st.routes, st.nroutes = cowMap[prefixKey, []byte]{}, 0
		clear(st.prefsrc)
	case "rules":
		st.rules = cowMap[ruleKey, struct{}]{}
	case "neighbours":
		st.neighs = cowMap[neighKey, []byte]{}
	}
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
