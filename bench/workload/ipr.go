package workload

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
	"golang.org/x/sys/unix"
)

func init() {
	register("route-dump", "ipr", iprRouteDump(false))
	register("route-dump", "ipr-collect", iprRouteDump(true))
	register("link-dump", "ipr", iprLinkDump(false, false))
	register("link-dump", "ipr-name", iprLinkDump(true, false))
	register("link-dump", "ipr-light", iprLinkDump(false, true))
	register("addr-dump", "ipr", iprAddrDump)
	register("neigh-dump", "ipr", iprNeighDump)
	register("events", "ipr", iprEvents)
	register("ipdb-start", "ipr", iprIPDBStart)
	register("route-get", "ipr", iprRouteGet)
	register("route-add", "ipr", iprRouteAdd)
	register("veth", "ipr", iprVeth)
}

var bg = context.Background()

func iprDial(env *Env) (*rtm.Handle, error) {
	return rtm.Dial(rtm.WithNetns(env.NS))
}

// iprDialDevice is iprDial, and the index of the device named name.
func iprDialDevice(env *Env, name string) (*rtm.Handle, int32, error) {
	h, err := iprDial(env)
	if err != nil {
		return nil, 0, err
	}
	l, err := h.LinkByName(bg, name)
	if err != nil {
		h.Close()
		return nil, 0, err
	}
	return h, l.Index(), nil
}

// iprDump is an ipr dump contestant on a handle of its own: dump reads
// the objects and counts them (as rnDump and vnDump are the peers').
func iprDump(env *Env, dump func(h *rtm.Handle) (int, error)) (*Instance, error) {
	h, err := iprDial(env)
	if err != nil {
		return nil, err
	}
	return dumpPhase(h, h.Close, dump), nil
}

// iprRouteDump streams the main table's IPv4 routes, reading destination,
// prefix length, gateway and output interface of each; collect gathers
// detached copies with rtm.Collect and reads them afterwards.
func iprRouteDump(collect bool) Maker {
	return func(env *Env) (*Instance, error) {
		filter := &rtm.RouteFilter{Family: unix.AF_INET, Table: unix.RT_TABLE_MAIN}
		if collect {
			return iprDump(env, func(h *rtm.Handle) (int, error) {
				routes, err := rtm.Collect(h.Routes(bg, filter))
				if err != nil {
					return 0, err
				}
				for _, r := range routes {
					readRoute(r)
				}
				return len(routes), nil
			})
		}
		return iprDump(env, func(h *rtm.Handle) (int, error) {
			n := 0
			for r, err := range h.Routes(bg, filter) {
				if err != nil {
					return 0, err
				}
				readRoute(r)
				n++
			}
			return n, nil
		})
	}
}

// readRoute reads the fields every route dump reads.
func readRoute(r rtm.Route) {
	d := r.Dst()
	sink += uint64(d.Bits()) + uint64(r.OutIndex()) + uint64(d.Addr().As4()[2])
	if g := r.Gateway(); g.Is4() {
		sink += uint64(g.As4()[3])
	}
}

// iprLinkDump streams every link, reading index, flags, MTU and name; the
// name is read in place (nla.Attr.TextBytes) unless withName, which calls
// Link.Name and so makes a string per link, as the peers do. skipStats
// sets rtm.LinkFilter.SkipStats: the kernel leaves each link's IPv6
// statistics out (RTEXT_FILTER_SKIP_STATS), which callers that read no
// statistics do not need.
func iprLinkDump(withName, skipStats bool) Maker {
	return func(env *Env) (*Instance, error) {
		var filter *rtm.LinkFilter
		if skipStats {
			filter = &rtm.LinkFilter{SkipStats: true}
		}
		return iprDump(env, func(h *rtm.Handle) (int, error) {
			n := 0
			for l, err := range h.Links(bg, filter) {
				if err != nil {
					return 0, err
				}
				sink += uint64(l.Index()) + uint64(l.Flags()) + uint64(l.MTU())
				if withName {
					sink += uint64(len(l.Name()))
				} else {
					a, _ := l.Chain().Get(unix.IFLA_IFNAME)
					name, _ := nla.Attr(a).TextBytes()
					sink += uint64(len(name))
				}
				n++
			}
			return n, nil
		})
	}
}

func iprAddrDump(env *Env) (*Instance, error) {
	return iprDump(env, func(h *rtm.Handle) (int, error) {
		n := 0
		for a, err := range h.Addrs(bg, nil) {
			if err != nil {
				return 0, err
			}
			p := a.Prefix()
			sink += uint64(a.Index()) + uint64(p.Bits()) + uint64(p.Addr().As16()[15])
			n++
		}
		return n, nil
	})
}

func iprRouteGet(env *Env) (*Instance, error) {
	h, err := iprDial(env)
	if err != nil {
		return nil, err
	}
	return getPhase(getTargets(env.Sizes), h.Close, func(d netip.Addr) (bool, error) {
		r, err := h.RouteGet(bg, rtm.RouteQuery{Dst: d})
		return err == nil && r.OutIndex() != 0, err
	}), nil
}

func iprRouteAdd(env *Env) (*Instance, error) {
	h, oif, err := iprDialDevice(env, Device)
	if err != nil {
		return nil, err
	}
	change := func(del bool) error {
		bt := h.NewBatch()
		for i := 0; i < env.Sizes.Adds; i++ {
			s := rtm.RouteSpec{Dst: AddDst(i), Gateway: Gateway, OutIndex: oif, Table: AddTable}
			var err error
			if del {
				err = bt.RouteDel(s)
			} else {
				err = bt.RouteAdd(s)
			}
			if err != nil {
				return err
			}
		}
		_, err := bt.Run(bg)
		return err
	}
	return addPhases(env, func() error { return change(false) }, func() error { return change(true) }, h.Close)
}

// iprVeth creates and deletes veth pairs with a pipelined batch.
func iprVeth(env *Env) (*Instance, error) {
	h, err := iprDial(env)
	if err != nil {
		return nil, err
	}
	add, del, err := iprVethOps(h, env.Sizes.Veths)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("ipr veth: %w", err)
	}
	return vethPhases(env, add, del, h.Close)
}

// iprVethOps returns the veth workload's operations: pipelined batches of
// LinkAdd, each pair asking for its index, and of LinkDel by that index.
func iprVethOps(h *rtm.Handle, n int) (add, del func() error, err error) {
	add = func() error {
		bt := h.NewBatch()
		for i := 0; i < n; i++ {
			name, peer := VethName(i)
			err := bt.LinkAdd(rtm.LinkSpec{Index: vethIndex(i), Name: name, Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: peer}}})
			if err != nil {
				return err
			}
		}
		_, err := bt.Run(bg)
		return err
	}
	del = func() error {
		bt := h.NewBatch()
		for i := 0; i < n; i++ {
			if err := bt.LinkDel(vethIndex(i)); err != nil {
				return err
			}
		}
		_, err := bt.Run(bg)
		return err
	}
	return add, del, nil
}

// iprNeighDump streams every neighbour, reading destination, link-layer
// address and interface of each.
func iprNeighDump(env *Env) (*Instance, error) {
	return iprDump(env, func(h *rtm.Handle) (int, error) {
		n := 0
		for nb, err := range h.Neighs(bg, nil) {
			if err != nil {
				return 0, err
			}
			if d := nb.Dst(); d.Is4() {
				sink += uint64(d.As4()[3])
			}
			sink += uint64(len(nb.LLAddr())) + uint64(nb.Index())
			n++
		}
		return n, nil
	})
}

// iprEvents subscribes with rtm's Monitor, with its default receive
// buffer; an overrun arrives as an Event with Overrun set, and the stream
// goes on.
func iprEvents(env *Env) (*Instance, error) {
	l := &eventListener{env: env, name: "ipr"}
	l.listen = func(ready func(), stop <-chan struct{}, ev *eventCounts) error {
		h, err := iprDial(env)
		if err != nil {
			return err
		}
		defer h.Close()
		m, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Route})
		if err != nil {
			return err
		}
		defer m.Close()
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		go func() {
			<-stop
			cancel()
		}()
		ready()
		for e, err := range m.Events(ctx) {
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			if e.Overrun {
				ev.overruns.Add(1)
				ev.setNote("an Overrun event; the stream goes on")
				continue
			}
			if r, ok := e.Route(); ok && r.Table() == EventTable {
				ev.seen(r.Dst())
			}
		}
		return nil
	}
	return l.instance(noClose)
}

// iprIPDBStart opens rtm/ipdb over the namespace: subscribe, dump links,
// addresses, routes of every table, rules and neighbours, apply what
// arrived meanwhile. The count is links plus routes, as pyroute2's NDB
// row counts them.
func iprIPDBStart(env *Env) (*Instance, error) {
	h, err := iprDial(env)
	if err != nil {
		return nil, err
	}
	run := func() (Result, error) {
		db, err := ipdb.Open(bg, h)
		if err != nil {
			return Result{}, err
		}
		defer db.Close()
		s := db.Snapshot()
		return Result{Count: s.NumLinks() + s.NumRoutes()}, nil
	}
	return single("start", run, h.Close), nil
}
