package rtm

import (
	"context"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
	"golang.org/x/sys/unix"
)

// Netconf attributes (linux/netconf.h), which x/sys/unix lacks.
const (
	netconfaIfindex                  = 1
	netconfaForwarding               = 2
	netconfaRPFilter                 = 3
	netconfaMCForwarding             = 4
	netconfaProxyNeigh               = 5
	netconfaIgnoreRoutesWithLinkdown = 6
	netconfaInput                    = 7
	netconfaBCForwarding             = 8
)

// The pseudo-interfaces of netconf messages: the settings that apply to
// every interface (net.ipv4.conf.all) and the defaults of new ones
// (net.ipv4.conf.default).
const (
	NetconfIndexAll     int32 = -1 // NETCONFA_IFINDEX_ALL
	NetconfIndexDefault int32 = -2 // NETCONFA_IFINDEX_DEFAULT
)

// Netconf is a view of one RTM_NEWNETCONF message: the forwarding-related
// settings of one interface, or of "all" or "default", in one family
// ("ip netconf show"). Settings a family does not have are absent (IPv6
// has no rp_filter). A Netconf yielded by a dump is valid until the next
// iteration; Clone detaches it.
type Netconf struct{ view[netconfmsg] }

// NetconfFromBytes returns the Netconf in a message payload (the bytes
// after nlmsghdr), for decoding captured messages.
func NetconfFromBytes(b []byte) (Netconf, error) { return viewOf[Netconf](&netconfMsgs, b, nil) }

// Clone returns a copy of c that owns its bytes.
func (c Netconf) Clone() Netconf { return Netconf{c.clone()} }

// Family returns the settings' family: AF_INET, AF_INET6 or AF_MPLS.
func (c Netconf) Family() uint8 { return c.hdr()[0] }

// Index returns NETCONFA_IFINDEX: the interface, or [NetconfIndexAll] or
// [NetconfIndexDefault].
func (c Netconf) Index() int32 {
	v, _ := c.i32(netconfaIfindex)
	return v
}

// Forwarding returns NETCONFA_FORWARDING (net.ipv4.conf.X.forwarding).
func (c Netconf) Forwarding() (int32, bool) { return c.i32(netconfaForwarding) }

// RPFilter returns NETCONFA_RP_FILTER: 0 off, 1 strict, 2 loose (IPv4).
func (c Netconf) RPFilter() (int32, bool) { return c.i32(netconfaRPFilter) }

// MCForwarding returns NETCONFA_MC_FORWARDING, set while a multicast
// routing daemon uses the interface.
func (c Netconf) MCForwarding() (int32, bool) { return c.i32(netconfaMCForwarding) }

// ProxyNeigh returns NETCONFA_PROXY_NEIGH (proxy_arp, proxy_ndp).
func (c Netconf) ProxyNeigh() (int32, bool) { return c.i32(netconfaProxyNeigh) }

// IgnoreRoutesWithLinkdown returns NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN.
func (c Netconf) IgnoreRoutesWithLinkdown() (int32, bool) {
	return c.i32(netconfaIgnoreRoutesWithLinkdown)
}

// Input returns NETCONFA_INPUT, whether MPLS packets are accepted (MPLS).
func (c Netconf) Input() (int32, bool) { return c.i32(netconfaInput) }

// BCForwarding returns NETCONFA_BC_FORWARDING (IPv4 directed broadcast
// forwarding).
func (c Netconf) BCForwarding() (int32, bool) { return c.i32(netconfaBCForwarding) }

// Get returns an attribute by pyroute2-style name ("forwarding",
// "rp_filter", ...).
func (c Netconf) Get(path ...string) (Value, bool) {
	return schema.Lookup(netconfSchema, c.index(), c.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (c Netconf) Attrs() iter.Seq2[string, Value] { return schema.All(netconfSchema, c.Chain()) }

// Netconfs streams the netconf settings of family (AF_INET, AF_INET6,
// AF_MPLS; AF_UNSPEC for all families) of every interface, then of "all"
// and "default" ("ip netconf show"). Each Netconf is valid until the next
// iteration; iterating allocates nothing per message.
func (h *Handle) Netconfs(ctx context.Context, family uint8) iter.Seq2[Netconf, error] {
	return func(yield func(Netconf, error) bool) {
		b, _ := h.newRequest(unix.RTM_GETNETCONF, unix.NLM_F_DUMP, len(netconfmsg{}), family)
		b.End()
		dumpOf(ctx, h, "netconf dump", &netconfMsgs, b, dumpRun{}, func(v view[netconfmsg], err error) bool {
			return yield(Netconf{v}, err)
		})
	}
}

// NetconfGet returns the netconf settings of one interface, or of
// [NetconfIndexAll] or [NetconfIndexDefault], in family (AF_INET,
// AF_INET6 or AF_MPLS) with a single request ("ip netconf show dev
// DEV"). The result owns its bytes.
func (h *Handle) NetconfGet(ctx context.Context, family uint8, index int32) (Netconf, error) {
	op := fmt.Sprintf("netconf get family %d index %d", family, index)
	switch {
	case family != unix.AF_INET && family != unix.AF_INET6 && family != unix.AF_MPLS:
		return Netconf{}, fmt.Errorf("rtm: %s: family %d is not AF_INET, AF_INET6 or AF_MPLS", op, family)
	case index == 0 || index < NetconfIndexDefault:
		return Netconf{}, fmt.Errorf("rtm: %s: invalid interface index", op)
	}
	b, _ := h.newRequest(unix.RTM_GETNETCONF, 0, len(netconfmsg{}), family)
	b.Uint32(netconfaIfindex, uint32(index))
	b.End()
	return getOf[Netconf](ctx, h, op, false, b, &netconfMsgs)
}

// Netconf returns the event's netconf settings, for RTM_NEWNETCONF (and
// RTM_DELNETCONF, sent when an interface goes away).
func (e Event) Netconf() (Netconf, bool) { return eventOf[Netconf](e, &netconfMsgs) }
