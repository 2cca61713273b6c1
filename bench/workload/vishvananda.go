package workload

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// The vishvananda/netlink contestants, on a Handle opened in the
// namespace with NewHandleAt.

func init() {
	register("route-dump", "vishvananda-iter", vnRouteDump(true))
	register("route-dump", "vishvananda-list", vnRouteDump(false))
	register("link-dump", "vishvananda", vnDump(func(h *netlink.Handle) (int, error) {
		links, err := h.LinkList()
		for _, l := range links {
			a := l.Attrs()
			sink += uint64(a.Index) + uint64(a.Flags) + uint64(a.MTU) + uint64(len(a.Name))
		}
		return len(links), err
	}))
	register("addr-dump", "vishvananda", vnDump(func(h *netlink.Handle) (int, error) {
		addrs, err := h.AddrList(nil, netlink.FAMILY_ALL)
		for _, a := range addrs {
			ones, _ := a.Mask.Size()
			sink += uint64(a.LinkIndex) + uint64(ones) + uint64(a.IP[len(a.IP)-1])
		}
		return len(addrs), err
	}))
	register("neigh-dump", "vishvananda", vnDump(func(h *netlink.Handle) (int, error) {
		neighs, err := h.NeighList(0, netlink.FAMILY_ALL)
		for _, n := range neighs {
			sink += uint64(n.LinkIndex) + uint64(n.State) + uint64(len(n.HardwareAddr))
		}
		return len(neighs), err
	}))
	register("route-get", "vishvananda", vnRouteGet)
	register("route-add", "vishvananda", vnRouteAdd)
	register("veth", "vishvananda", vnVeth)
	register("events", "vishvananda", vnEvents)
}

func vnHandle(env *Env) (*netlink.Handle, netns.NsHandle, error) {
	ns, err := netns.GetFromName(env.NS)
	if err != nil {
		return nil, 0, err
	}
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		ns.Close()
		return nil, 0, err
	}
	return h, ns, nil
}

func ipnetPrefix(n *net.IPNet) netip.Prefix {
	if n == nil {
		return netip.Prefix{}
	}
	a, _ := netip.AddrFromSlice(n.IP)
	ones, _ := n.Mask.Size()
	return netip.PrefixFrom(a.Unmap(), ones)
}

func vnCloser(h *netlink.Handle, ns netns.NsHandle) func() error {
	return func() error { h.Close(); return ns.Close() }
}

func vnDump(f func(h *netlink.Handle) (int, error)) Maker {
	return func(env *Env) (*Instance, error) {
		h, ns, err := vnHandle(env)
		if err != nil {
			return nil, err
		}
		return dumpPhase(h, vnCloser(h, ns), f), nil
	}
}

// vnRouteDump reads the main table's IPv4 routes (the default of
// RouteList) with the iterator or the slice API.
func vnRouteDump(iter bool) Maker {
	read := func(r *netlink.Route) {
		ones, _ := r.Dst.Mask.Size()
		sink += uint64(ones) + uint64(r.LinkIndex) + uint64(r.Dst.IP[2])
		if len(r.Gw) > 0 {
			sink += uint64(r.Gw[len(r.Gw)-1])
		}
	}
	return vnDump(func(h *netlink.Handle) (int, error) {
		if iter {
			n := 0
			err := h.RouteListFilteredIter(netlink.FAMILY_V4, &netlink.Route{}, 0, func(r netlink.Route) bool {
				read(&r)
				n++
				return true
			})
			return n, err
		}
		routes, err := h.RouteList(nil, netlink.FAMILY_V4)
		for i := range routes {
			read(&routes[i])
		}
		return len(routes), err
	})
}

func vnRouteGet(env *Env) (*Instance, error) {
	h, ns, err := vnHandle(env)
	if err != nil {
		return nil, err
	}
	dsts := getTargets(env.Sizes)
	ips := make([]net.IP, len(dsts))
	for i, d := range dsts {
		a := d.As4()
		ips[i] = net.IP(a[:])
	}
	return getPhase(ips, vnCloser(h, ns), func(ip net.IP) (bool, error) {
		routes, err := h.RouteGet(ip)
		return err == nil && len(routes) == 1 && routes[0].LinkIndex != 0, err
	}), nil
}

func vnRouteAdd(env *Env) (*Instance, error) {
	h, ns, err := vnHandle(env)
	if err != nil {
		return nil, err
	}
	dev, err := h.LinkByName(Device)
	if err != nil {
		vnCloser(h, ns)()
		return nil, err
	}
	gw := Gateway.As4()
	route := func(i int) *netlink.Route {
		d := AddDst(i)
		a := d.Addr().As4()
		return &netlink.Route{
			Dst:       &net.IPNet{IP: net.IP(a[:]), Mask: net.CIDRMask(d.Bits(), 32)},
			Gw:        net.IP(gw[:]),
			LinkIndex: dev.Attrs().Index,
			Table:     AddTable,
		}
	}
	add := func() error {
		for i := 0; i < env.Sizes.Adds; i++ {
			if err := h.RouteAdd(route(i)); err != nil {
				return err
			}
		}
		return nil
	}
	del := func() error {
		for i := 0; i < env.Sizes.Adds; i++ {
			if err := h.RouteDel(route(i)); err != nil {
				return err
			}
		}
		return nil
	}
	return addPhases(env, add, del, vnCloser(h, ns))
}

// vnVeth creates pairs with LinkAdd, which looks each new link up to fill
// in its index, and deletes them with LinkDel on the links it returned.
func vnVeth(env *Env) (*Instance, error) {
	h, ns, err := vnHandle(env)
	if err != nil {
		return nil, err
	}
	links := make([]*netlink.Veth, env.Sizes.Veths)
	add := func() error {
		for i := range links {
			name, peer := VethName(i)
			links[i] = &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: name}, PeerName: peer}
			if err := h.LinkAdd(links[i]); err != nil {
				return fmt.Errorf("LinkAdd %s: %w", name, err)
			}
		}
		return nil
	}
	del := func() error {
		for _, l := range links {
			if err := h.LinkDel(l); err != nil {
				return fmt.Errorf("LinkDel %s: %w", l.Name, err)
			}
		}
		return nil
	}
	return vethPhases(env, add, del, vnCloser(h, ns))
}

// vnEvents subscribes with RouteSubscribeWithOptions. Its receiving
// goroutine reports a receive error (ENOBUFS on an overrun) to
// ErrorCallback and ends the subscription: the channel closes.
func vnEvents(env *Env) (*Instance, error) {
	ns, err := netns.GetFromName(env.NS)
	if err != nil {
		return nil, err
	}
	l := &eventListener{env: env, name: "vishvananda"}
	l.listen = func(ready func(), stop <-chan struct{}, ev *eventCounts) error {
		ch := make(chan netlink.RouteUpdate, 1024)
		done := make(chan struct{})
		var cbErr error
		err := netlink.RouteSubscribeWithOptions(ch, done, netlink.RouteSubscribeOptions{
			Namespace: &ns,
			ErrorCallback: func(err error) {
				ev.overruns.Add(1)
				cbErr = err
			},
		})
		if err != nil {
			return err
		}
		ready()
		for {
			select {
			case u, ok := <-ch:
				if !ok {
					ev.ended.Store(true)
					ev.setNote(fmt.Sprintf("subscription ended by %v; must resubscribe and relist", cbErr))
					<-stop
					close(done)
					return nil
				}
				if u.Table == EventTable || u.Table == unix.RT_TABLE_MAIN {
					ev.seen(ipnetPrefix(u.Dst))
				}
			case <-stop:
				close(done)
				return nil
			}
		}
	}
	return l.instance(func() error { return ns.Close() })
}
