package workload

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/jsimonetti/rtnetlink/v2/driver"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// The jsimonetti/rtnetlink (v2, on mdlayher/netlink) contestants, on a
// Conn opened in the namespace through netlink.Config.NetNS.

func init() {
	register("route-dump", "rtnetlink", rnDump(func(c *rtnetlink.Conn) (int, error) {
		routes, err := c.Route.List()
		n := 0
		for _, r := range routes {
			if r.Family != unix.AF_INET || r.Table != unix.RT_TABLE_MAIN {
				continue
			}
			a := &r.Attributes
			sink += uint64(r.DstLength) + uint64(a.OutIface) + uint64(a.Dst[2])
			if len(a.Gateway) > 0 {
				sink += uint64(a.Gateway[len(a.Gateway)-1])
			}
			n++
		}
		return n, err
	}))
	register("link-dump", "rtnetlink", rnDump(func(c *rtnetlink.Conn) (int, error) {
		links, err := c.Link.List()
		for _, l := range links {
			sink += uint64(l.Index) + uint64(l.Flags) + uint64(l.Attributes.MTU) + uint64(len(l.Attributes.Name))
		}
		return len(links), err
	}))
	register("addr-dump", "rtnetlink", rnDump(func(c *rtnetlink.Conn) (int, error) {
		addrs, err := c.Address.List()
		for _, a := range addrs {
			ip := a.Attributes.Address
			sink += uint64(a.Index) + uint64(a.PrefixLength) + uint64(ip[len(ip)-1])
		}
		return len(addrs), err
	}))
	register("neigh-dump", "rtnetlink", rnDump(func(c *rtnetlink.Conn) (int, error) {
		neighs, err := c.Neigh.List()
		for _, n := range neighs {
			sink += uint64(n.Index) + uint64(n.State) + uint64(len(n.Attributes.LLAddress))
		}
		return len(neighs), err
	}))
	register("route-get", "rtnetlink", rnRouteGet)
	register("route-add", "rtnetlink", rnRouteAdd)
	register("veth", "rtnetlink", rnVeth)
	register("events", "rtnetlink", rnEvents)
}

func rnDial(env *Env, groups uint32) (*rtnetlink.Conn, error) {
	f, err := os.Open("/run/netns/" + env.NS)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the socket is in the namespace once dialled
	return rtnetlink.Dial(&netlink.Config{NetNS: int(f.Fd()), Groups: groups})
}

func rnDump(f func(c *rtnetlink.Conn) (int, error)) Maker {
	return func(env *Env) (*Instance, error) {
		c, err := rnDial(env, 0)
		if err != nil {
			return nil, err
		}
		return dumpPhase(c, c.Close, f), nil
	}
}

func rnRouteGet(env *Env) (*Instance, error) {
	c, err := rnDial(env, 0)
	if err != nil {
		return nil, err
	}
	return getPhase(getTargets(env.Sizes), c.Close, func(d netip.Addr) (bool, error) {
		a := d.As4()
		routes, err := c.Route.Get(&rtnetlink.RouteMessage{
			Family: unix.AF_INET, DstLength: 32,
			Attributes: rtnetlink.RouteAttributes{Dst: net.IP(a[:])},
		})
		return err == nil && len(routes) == 1 && routes[0].Attributes.OutIface != 0, err
	}), nil
}

func rnRouteAdd(env *Env) (*Instance, error) {
	c, err := rnDial(env, 0)
	if err != nil {
		return nil, err
	}
	links, err := c.Link.List()
	if err != nil {
		c.Close()
		return nil, err
	}
	var oif uint32
	for _, l := range links {
		if l.Attributes.Name == Device {
			oif = l.Index
		}
	}
	gw := Gateway.As4()
	route := func(i int, add bool) *rtnetlink.RouteMessage {
		d := AddDst(i)
		a := d.Addr().As4()
		m := &rtnetlink.RouteMessage{
			Family: unix.AF_INET, DstLength: uint8(d.Bits()), Table: AddTable,
			Attributes: rtnetlink.RouteAttributes{Dst: net.IP(a[:]), Gateway: net.IP(gw[:]), OutIface: oif},
		}
		if add {
			m.Protocol, m.Scope, m.Type = unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, unix.RTN_UNICAST
		}
		return m
	}
	add := func() error {
		for i := 0; i < env.Sizes.Adds; i++ {
			if err := c.Route.Add(route(i, true)); err != nil {
				return err
			}
		}
		return nil
	}
	del := func() error {
		for i := 0; i < env.Sizes.Adds; i++ {
			if err := c.Route.Delete(route(i, false)); err != nil {
				return err
			}
		}
		return nil
	}
	return addPhases(env, add, del, c.Close)
}

// vethIndex is the interface index the Go contestants that can choose one
// (ipr, rtnetlink) give the i-th veth of the veth workload, so that they
// delete by index without looking links up.
func vethIndex(i int) int32 { return 1_000_000 + int32(i) }

func rnVeth(env *Env) (*Instance, error) {
	c, err := rnDial(env, 0)
	if err != nil {
		return nil, err
	}
	add := func() error {
		for i := 0; i < env.Sizes.Veths; i++ {
			name, peer := VethName(i)
			err := c.Link.New(&rtnetlink.LinkMessage{
				Index: uint32(vethIndex(i)),
				Attributes: &rtnetlink.LinkAttributes{
					Name: name,
					Info: &rtnetlink.LinkInfo{Kind: "veth", Data: &driver.Veth{
						PeerInfo: &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{Name: peer}},
					}},
				},
			})
			if err != nil {
				return fmt.Errorf("Link.New %s: %w", name, err)
			}
		}
		return nil
	}
	del := func() error {
		for i := 0; i < env.Sizes.Veths; i++ {
			if err := c.Link.Delete(uint32(vethIndex(i))); err != nil {
				return fmt.Errorf("Link.Delete %d: %w", vethIndex(i), err)
			}
		}
		return nil
	}
	return vethPhases(env, add, del, c.Close)
}

// rnEvents receives on a Conn joined to RTNLGRP_IPV4_ROUTE. An overrun is
// a Receive error matching ENOBUFS; the Conn stays usable.
func rnEvents(env *Env) (*Instance, error) {
	l := &eventListener{env: env, name: "rtnetlink"}
	l.listen = func(ready func(), stop <-chan struct{}, ev *eventCounts) error {
		c, err := rnDial(env, unix.RTMGRP_IPV4_ROUTE)
		if err != nil {
			return err
		}
		defer c.Close()
		go func() {
			<-stop
			c.SetReadDeadline(time.Unix(1, 0))
		}()
		ready()
		for {
			msgs, _, err := c.Receive()
			if err != nil {
				select {
				case <-stop:
					return nil
				default:
				}
				if errors.Is(err, unix.ENOBUFS) {
					ev.overruns.Add(1)
					ev.setNote("ENOBUFS from Receive; the Conn goes on receiving")
					continue
				}
				return err
			}
			for _, m := range msgs {
				r, ok := m.(*rtnetlink.RouteMessage)
				if !ok || (r.Table != EventTable && r.Attributes.Table != EventTable) {
					continue
				}
				a, _ := netip.AddrFromSlice(r.Attributes.Dst)
				ev.seen(netip.PrefixFrom(a.Unmap(), int(r.DstLength)))
			}
		}
	}
	return l.instance(noClose)
}
