package rtm

// Link changes: creating, changing and deleting links.
//
// A change is described by a [LinkSpec]: the generic settings every link
// has (name, MTU, address, master, ...) and, in its Kind field, the typed
// settings of one kind of link ([Veth], [Bridge], [Vxlan], ...). Every
// setting is a Go field of a definite type, so that a misspelt option does
// not compile and a value of the wrong type cannot be given.
//
// Optional settings whose zero value is itself a setting (group 0,
// learning off, a transmit queue of length 0) are of type [Opt]: the zero
// Opt leaves the setting alone, Some(v) sets it to v, zero included.
// Settings whose zero value is not a meaningful setting (an MTU, a name, a
// parent index) are plain fields, zero meaning "unset". Each field's
// documentation says which applies.
//
// Requests are laid out attribute for attribute as iproute2 6.1 lays out the
// same command, with options in the order of the spec's fields; the golden
// tests hold the encoders to it.

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Netns designates a network namespace to move a link into (or to create a
// veth peer in). The zero Netns designates none: the link stays where it is.
type Netns struct {
	by   uint8 // nsBy*
	name string
	fd   int
}

const (
	nsNone uint8 = iota
	nsByName
	nsByFd
	nsByPID
)

// NetnsByName designates the named namespace (iproute2's /run/netns/NAME).
// [Handle] calls open it for the duration of the request; batches cannot
// keep it open until they run, and reject it: use [NetnsByHandle] there.
func NetnsByName(name string) Netns { return Netns{by: nsByName, name: name} }

// NetnsByFd designates the namespace an open file descriptor refers to
// (IFLA_NET_NS_FD). The descriptor must stay open until the request is sent.
func NetnsByFd(fd int) Netns { return Netns{by: nsByFd, fd: fd} }

// NetnsByHandle designates the namespace h refers to. h must stay open
// until the request is sent.
func NetnsByHandle(h *netns.Handle) Netns {
	if h == nil {
		return Netns{by: nsByFd, fd: -1}
	}
	return Netns{by: nsByFd, fd: h.Fd()}
}

// NetnsByPID designates the network namespace of process pid
// (IFLA_NET_NS_PID).
func NetnsByPID(pid int) Netns { return Netns{by: nsByPID, fd: pid} }

// IsSet reports whether n designates a namespace.
func (n Netns) IsSet() bool { return n.by != nsNone }

// String describes n.
func (n Netns) String() string {
	switch n.by {
	case nsByName:
		return "netns " + n.name
	case nsByFd:
		return fmt.Sprintf("netns fd %d", n.fd)
	case nsByPID:
		return fmt.Sprintf("netns pid %d", n.fd)
	}
	return "no netns"
}

func (n Netns) validate() error {
	switch n.by {
	case nsByName:
		if _, err := netns.Path(n.name); err != nil {
			return err
		}
	case nsByFd:
		if n.fd < 0 {
			return fmt.Errorf("invalid namespace descriptor %d", n.fd)
		}
	case nsByPID:
		if n.fd <= 0 {
			return fmt.Errorf("invalid namespace pid %d", n.fd)
		}
	}
	return nil
}

// LinkSpec describes a link to create, or the changes to make to one.
// Only the settings given are sent.
type LinkSpec struct {
	// Index selects the link to change. When creating, a nonzero Index
	// asks for that interface index.
	Index int32
	// Name is the name of a new link; when changing a link selected by
	// Index, a new name for it. When changing with Index 0, Name selects
	// the link instead. At most 15 bytes.
	Name string

	// Up brings the link up or down (IFF_UP).
	Up Opt[bool]
	// Address is the link-layer address (IFLA_ADDRESS).
	Address net.HardwareAddr
	// Broadcast is the link-layer broadcast address (IFLA_BROADCAST).
	Broadcast net.HardwareAddr
	// TxQueueLen is the transmit queue length (IFLA_TXQLEN); 0 is valid.
	TxQueueLen Opt[uint32]
	// MTU sets the MTU; 0 leaves it alone.
	MTU uint32
	// Netns moves the link into another namespace, or creates it there.
	Netns Netns
	// Multicast, AllMulticast and Promisc set IFF_MULTICAST, IFF_ALLMULTI
	// and IFF_PROMISC; ARP(false) sets IFF_NOARP.
	Multicast, AllMulticast, Promisc, ARP Opt[bool]
	// Master enslaves the link to the bridge, bond or VRF of that index;
	// Some(0) releases it (iproute2's nomaster).
	Master Opt[int32]
	// NumTxQueues and NumRxQueues set the number of queues of a new link;
	// 0 leaves the kernel's default.
	NumTxQueues, NumRxQueues uint32
	// Alias sets the interface alias (IFLA_IFALIAS); Some("") clears it.
	Alias Opt[string]
	// Group moves the link to a device group (IFLA_GROUP); 0 is the
	// default group.
	Group Opt[uint32]
	// Parent is the index of the lower device of a new vlan, macvlan,
	// macvtap, ipvlan or ipvtap (IFLA_LINK, iproute2's "link DEV"); 0 for
	// none.
	Parent int32

	// XDP attaches or detaches an XDP program (IFLA_XDP).
	XDP *XDP
	// Carrier sets the carrier of a device that lets user space set it,
	// such as a tun device (IFLA_CARRIER).
	Carrier Opt[bool]
	// VFs sets SR-IOV virtual functions of a physical link
	// (IFLA_VFINFO_LIST, iproute2's "vf N ...").
	VFs []VF
	// LinkMode sets the link mode: 0 default, 1 dormant (IFLA_LINKMODE,
	// iproute2's "mode").
	LinkMode Opt[uint8]
	// OperState sets the operational state, OperStateUp or
	// OperStateDormant (IFLA_OPERSTATE, iproute2's "state").
	OperState Opt[OperState]
	// AddrGenMode sets how IPv6 link-local addresses are generated
	// (IFLA_INET6_ADDR_GEN_MODE).
	AddrGenMode Opt[AddrGenMode]
	// LinkNetnsID is the namespace id (see RTM_NEWNSID) in which Parent,
	// or a tunnel's lower device, is looked up (IFLA_LINK_NETNSID,
	// iproute2's link-netnsid).
	LinkNetnsID Opt[int32]
	// ProtoDown sets the protocol-down state, by which a control plane
	// keeps a link down whatever its carrier (IFLA_PROTO_DOWN).
	ProtoDown Opt[bool]
	// ProtoDownReasonMask and ProtoDownReasonValue change the bits of
	// the protocol-down reasons selected by the mask to those of the value
	// (IFLA_PROTO_DOWN_REASON); a zero mask sends nothing.
	ProtoDownReasonMask, ProtoDownReasonValue uint32
	// GSOMaxSize, GSOMaxSegs and GROMaxSize limit segmentation offloads
	// (IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_GRO_MAX_SIZE);
	// GSOIPv4MaxSize and GROIPv4MaxSize are the IPv4 limits (Linux 6.3).
	GSOMaxSize, GSOMaxSegs, GROMaxSize, GSOIPv4MaxSize, GROIPv4MaxSize Opt[uint32]
	// TargetNetnsID makes the request act in the namespace of that id
	// rather than the handle's (IFLA_TARGET_NETNSID).
	TargetNetnsID Opt[int32]

	// Kind is the kind of link, with its settings: required when creating,
	// optional when changing (to change kind-specific settings).
	Kind LinkKind
	// Port changes the link's settings as a port of its master, such as
	// a [BridgePort]. Kind and Port cannot both be set.
	Port LinkPort
}

// LinkKind is the kind of a link with its settings (IFLA_INFO_KIND and
// IFLA_INFO_DATA): [Veth], [Bridge], [Vxlan], [Macvlan], [IPVlan], [Vlan],
// [Bond], [GRE], [IPIP], [SIT], [VRF], [Geneve], [Ifb], [Dummy],
// [Team], [Wireguard], [Netkit], [VTI], [Xfrm], [BareUDP], [VCAN],
// [VXCAN], [CAN], [MACsec], [GTP], [HSR], [IPoIB], [Nlmon], [Batadv], [IP6Tnl], and ERSPAN as a
// [GRE] with ERSPAN settings. Its methods are
// unexported; a kind this package has no type for is given by name with
// raw data as an [OpenKind].
type LinkKind interface {
	// Kind returns the kernel's name of the kind: "veth", "bridge", ...
	Kind() string
	validate(c *linkCtx) error
	// encodeData appends the IFLA_INFO_DATA attributes, if any.
	encodeData(c *linkCtx)
}

// LinkPort is the settings of a link as a port of its master
// (IFLA_INFO_SLAVE_DATA), such as [BridgePort].
type LinkPort interface {
	// PortKind returns the kind of master the settings are for: "bridge".
	PortKind() string
	validate() error
	encodeData(b *wire.Builder)
}

// linkCtx carries one request's encoding state.
type linkCtx struct {
	b      *wire.Builder
	create bool
	// batch is set in batches, which cannot hold namespaces open.
	batch bool
	// opened are the namespaces opened by name, closed after sending.
	opened []*netns.Handle
}

func (c *linkCtx) close() {
	for _, h := range c.opened {
		h.Close()
	}
	c.opened = nil
}

// ethernetKind reports whether links of a kind must have a unicast
// Ethernet address. A switch, not a map: a package-level map literal is
// built at package init.
func ethernetKind(kind string) bool {
	switch kind {
	case "veth", "bridge", "vxlan", "macvlan", "macvtap", "ifb", "dummy",
		"bond", "gretap", "ip6gretap", "geneve", "vlan":
		return true
	}
	return false
}

func (s *LinkSpec) validate(c *linkCtx, peer bool) error {
	if s.Index < 0 {
		return fmt.Errorf("invalid interface index %d", s.Index)
	}
	if s.Name != "" {
		if err := checkName(s.Name); err != nil {
			return err
		}
	}
	if !c.create && !peer && s.Index == 0 && s.Name == "" {
		return errors.New("no link selected: set Index or Name")
	}
	kind := ""
	if s.Kind != nil {
		kind = s.Kind.Kind()
	}
	if s.Address != nil {
		if err := checkHardwareAddr("address", s.Address); err != nil {
			return err
		}
		if ethernetKind(kind) {
			if len(s.Address) != 6 {
				return fmt.Errorf("address %v: a %s link needs a 6-byte Ethernet address", s.Address, kind)
			}
			if s.Address[0]&1 != 0 {
				return fmt.Errorf("address %v is a multicast address", s.Address)
			}
			if [6]byte(s.Address) == [6]byte{} {
				return fmt.Errorf("address %v is all zeros", s.Address)
			}
		}
	}
	if s.Broadcast != nil {
		if err := checkHardwareAddr("broadcast", s.Broadcast); err != nil {
			return err
		}
	}
	if m, ok := s.Master.Get(); ok && m < 0 {
		return fmt.Errorf("invalid master index %d", m)
	}
	if s.Parent < 0 {
		return fmt.Errorf("invalid parent index %d", s.Parent)
	}
	if s.Parent != 0 && !c.create {
		return errors.New("the parent (IFLA_LINK) can only be set when creating a link")
	}
	if a, ok := s.Alias.Get(); ok {
		if len(a) >= ifAliasSize {
			return fmt.Errorf("alias of %d bytes is longer than %d", len(a), ifAliasSize-1)
		}
		for i := 0; i < len(a); i++ {
			if a[i] == 0 {
				return fmt.Errorf("alias %q contains a NUL byte", a)
			}
		}
	}
	if err := s.Netns.validate(); err != nil {
		return err
	}
	if s.Netns.by == nsByName && c.batch {
		return fmt.Errorf("%v: a batch cannot hold a namespace open until it runs; open it and use NetnsByHandle", s.Netns)
	}
	if err := s.validateSettings(peer); err != nil {
		return err
	}
	if peer {
		if s.Kind != nil || s.Port != nil || s.Parent != 0 {
			return errors.New("a veth peer has no Kind, Port or Parent of its own")
		}
		return nil
	}
	if s.Kind != nil && s.Port != nil {
		return fmt.Errorf("Kind (%s) and Port (%s port) are exclusive", kind, s.Port.PortKind())
	}
	if c.create && s.Kind == nil {
		return errors.New("creating a link needs a Kind")
	}
	if s.Kind != nil {
		if err := s.Kind.validate(c); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
	}
	if s.Port != nil {
		if err := s.Port.validate(); err != nil {
			return fmt.Errorf("%s port: %w", s.Port.PortKind(), err)
		}
	}
	return nil
}

// ifAliasSize is IFALIASZ (linux/if.h), the alias limit with its NUL.
const ifAliasSize = 256

func checkHardwareAddr(what string, a net.HardwareAddr) error {
	if len(a) == 0 || len(a) > 32 {
		return fmt.Errorf("invalid %s %q: %d bytes", what, a.String(), len(a))
	}
	return nil
}

// header fills the ifinfomsg of s.
func (s *LinkSpec) header(ifi []byte) {
	if ifi == nil {
		return
	}
	var flags, change uint32
	bit := func(o Opt[bool], mask uint32, invert bool) {
		if v, ok := o.Get(); ok {
			change |= mask
			if v != invert {
				flags |= mask
			}
		}
	}
	bit(s.Up, unix.IFF_UP, false)
	bit(s.ARP, unix.IFF_NOARP, true)
	bit(s.Promisc, unix.IFF_PROMISC, false)
	bit(s.AllMulticast, unix.IFF_ALLMULTI, false)
	bit(s.Multicast, unix.IFF_MULTICAST, false)
	native.PutUint32(ifi[4:], uint32(s.Index))
	native.PutUint32(ifi[8:], flags)
	native.PutUint32(ifi[12:], change)
}

// encodeCommon appends the settings iproute2's iplink_parse emits as it
// reads them, in the order of its options.
func (s *LinkSpec) encodeCommon(c *linkCtx) error {
	b := c.b
	if s.Address != nil {
		b.Binary(unix.IFLA_ADDRESS, s.Address)
	}
	if s.Broadcast != nil {
		b.Binary(unix.IFLA_BROADCAST, s.Broadcast)
	}
	putOpt(b.Uint32, unix.IFLA_TXQLEN, s.TxQueueLen)
	putU32(b, unix.IFLA_MTU, s.MTU)
	s.encodeXDP(b)
	switch s.Netns.by {
	case nsByName:
		h, err := netns.Open(s.Netns.name)
		if err != nil {
			return err
		}
		c.opened = append(c.opened, h)
		b.Uint32(unix.IFLA_NET_NS_FD, uint32(h.Fd()))
	case nsByFd:
		b.Uint32(unix.IFLA_NET_NS_FD, uint32(s.Netns.fd))
	case nsByPID:
		b.Uint32(unix.IFLA_NET_NS_PID, uint32(s.Netns.fd))
	}
	s.encodeCarrierVFs(b)
	if v, ok := s.Master.Get(); ok {
		b.Uint32(unix.IFLA_MASTER, uint32(v))
	}
	putU32(b, unix.IFLA_NUM_TX_QUEUES, s.NumTxQueues)
	putU32(b, unix.IFLA_NUM_RX_QUEUES, s.NumRxQueues)
	putOpt(b.Uint32, unix.IFLA_GROUP, s.Group)
	if v, ok := s.Alias.Get(); ok {
		// Not NUL-terminated, as iproute2 sends it.
		b.Binary(unix.IFLA_IFALIAS, []byte(v))
	}
	s.encodeLate(b)
	return nil
}

// encodeLink writes an RTM_NEWLINK or RTM_DELLINK request for s.
func encodeLink(c *linkCtx, typ, flags uint16, s *LinkSpec) error {
	if err := s.validate(c, false); err != nil {
		return err
	}
	b := c.b
	b.Begin(typ, flags|unix.NLM_F_ACK)
	s.header(b.Fixed(unix.SizeofIfInfomsg))
	if err := s.encodeCommon(c); err != nil {
		return err
	}
	putU32(b, unix.IFLA_LINK, s.Parent)
	if s.Name != "" {
		b.String(unix.IFLA_IFNAME, s.Name)
	}
	switch {
	case s.Kind != nil:
		info := beginNest(b, unix.IFLA_LINKINFO)
		b.Binary(unix.IFLA_INFO_KIND, []byte(s.Kind.Kind()))
		data := beginNest(b, unix.IFLA_INFO_DATA)
		s.Kind.encodeData(c)
		data.EndOrDrop(&b.Encoder)
		endNest(b, info)
	case s.Port != nil:
		info := beginNest(b, unix.IFLA_LINKINFO)
		b.Binary(unix.IFLA_INFO_KIND, []byte(s.Port.PortKind()+"_slave"))
		data := beginNest(b, unix.IFLA_INFO_SLAVE_DATA)
		s.Port.encodeData(b)
		data.EndOrDrop(&b.Encoder)
		endNest(b, info)
	}
	b.End()
	return nil
}

// encodePeer writes the VETH_INFO_PEER payload: an ifinfomsg and the
// peer's settings, in the order link_veth.c writes them.
func encodePeer(c *linkCtx, s *LinkSpec) error {
	b := c.b
	s.header(b.Reserve(unix.SizeofIfInfomsg))
	if err := s.encodeCommon(c); err != nil {
		return err
	}
	if s.Name != "" {
		b.String(unix.IFLA_IFNAME, s.Name)
	}
	return nil
}

// beginNest begins a nest without NLA_F_NESTED, as ip does; the link
// attributes' nests are parsed by the kernel either way.
func beginNest(b *wire.Builder, typ uint16) rtnl.PlainNest { return rtnl.BeginPlain(&b.Encoder, typ) }

func endNest(b *wire.Builder, n rtnl.PlainNest) { n.End(&b.Encoder) }

// linkOp names a link request in errors.
func linkOp(verb string, s *LinkSpec) string {
	switch {
	case s.Name != "" && (s.Index == 0 || verb == "add" || verb == "replace"):
		return "link " + verb + " " + s.Name
	case s.Index != 0:
		return fmt.Sprintf("link %s index %d", verb, s.Index)
	}
	return "link " + verb
}

// linkChangeRequest is a link change: what LinkAdd, LinkSet, ... return.
type linkChangeRequest struct {
	change // verb is "link add", "link set", ...
	s      LinkSpec
	// byName marks LinkDelByName's request, which needs a name.
	byName bool
}

func (q *linkChangeRequest) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = linkOp(q.verb[len("link "):], &q.s)
		r.Missing = unix.ENODEV
	}
	// A request sent alone may open namespaces by name; they stay open
	// until it is sent. A batch cannot hold them open.
	c := linkCtx{b: r.B, batch: !r.Named}
	err := q.encodeCtx(&c)
	for _, h := range c.opened {
		r.Opened = append(r.Opened, h)
	}
	return err
}

// encode is AppendTo for a batch.
func (q *linkChangeRequest) encode(b *wire.Builder) error {
	c := linkCtx{b: b, batch: true}
	return q.encodeCtx(&c)
}

func (q *linkChangeRequest) encodeCtx(c *linkCtx) error {
	if q.byName && q.s.Name == "" {
		return errors.New("empty interface name")
	}
	c.create = q.flags&unix.NLM_F_CREATE != 0
	return encodeLink(c, q.typ, q.flags, &q.s)
}

// The link changes.
var (
	linkAddOp     = change{"link add", unix.RTM_NEWLINK, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	linkReplaceOp = change{"link replace", unix.RTM_NEWLINK, unix.NLM_F_CREATE | unix.NLM_F_REPLACE}
	linkSetOp     = change{"link set", unix.RTM_NEWLINK, 0}
	linkDelOp     = change{"link del", unix.RTM_DELLINK, 0}
)

// LinkAdd is the request to create a link; it fails with EEXIST if the
// name is taken ("ip link add").
func LinkAdd(s LinkSpec) Request { return &linkChangeRequest{change: linkAddOp, s: s} }

// LinkReplace is the request to create a link or, if one of that name
// exists, change it to match s ("ip link replace").
func LinkReplace(s LinkSpec) Request { return &linkChangeRequest{change: linkReplaceOp, s: s} }

// LinkSet is the request to change an existing link, selected by s.Index
// (or by s.Name if Index is 0): only the settings s gives change ("ip link
// set"). Sent alone, a missing link is ErrNotFound.
func LinkSet(s LinkSpec) Request { return &linkChangeRequest{change: linkSetOp, s: s} }

// LinkDel is the request to delete the link of that index; deleting one
// end of a veth pair deletes both. Sent alone, a missing link is
// ErrNotFound.
func LinkDel(index int32) Request {
	return &linkChangeRequest{change: linkDelOp, s: LinkSpec{Index: index}}
}

// LinkDelByName is the request to delete the link of that name (or
// alternative name).
func LinkDelByName(name string) Request {
	return &linkChangeRequest{linkDelOp, LinkSpec{Name: name}, true}
}

// LinkAdd creates a link; it fails with EEXIST if the name is taken.
func (h *Handle) LinkAdd(ctx context.Context, s LinkSpec) error { return h.Do(ctx, LinkAdd(s)) }

// LinkReplace creates a link, or if one of that name exists, changes it
// to match s (iproute2's "ip link replace").
func (h *Handle) LinkReplace(ctx context.Context, s LinkSpec) error {
	return h.Do(ctx, LinkReplace(s))
}

// LinkSet changes an existing link, selected by s.Index (or by s.Name if
// Index is 0): only the settings s gives change ("ip link set" and "ip link
// change"). A missing link is ErrNotFound.
func (h *Handle) LinkSet(ctx context.Context, s LinkSpec) error { return h.Do(ctx, LinkSet(s)) }

// LinkDel deletes the link of that index; deleting one end of a veth pair
// deletes both. A missing link is ErrNotFound.
func (h *Handle) LinkDel(ctx context.Context, index int32) error { return h.Do(ctx, LinkDel(index)) }

// LinkDelByName deletes the link of that name (or alternative name).
func (h *Handle) LinkDelByName(ctx context.Context, name string) error {
	return h.Do(ctx, LinkDelByName(name))
}

// encodeAltNames writes an RTM_NEWLINKPROP or RTM_DELLINKPROP request.
func encodeAltNames(b *wire.Builder, typ, flags uint16, index int32, names []string) error {
	if index <= 0 {
		return fmt.Errorf("invalid interface index %d", index)
	}
	if len(names) == 0 {
		return errors.New("no alternative names given")
	}
	for _, n := range names {
		if err := checkAltName(n); err != nil {
			return err
		}
	}
	linkRequest(b, typ, flags|unix.NLM_F_ACK, unix.AF_UNSPEC, index)
	// IFLA_PROP_LIST is strictly validated: it needs NLA_F_NESTED.
	n := b.BeginNest(unix.IFLA_PROP_LIST)
	for _, name := range names {
		b.String(unix.IFLA_ALT_IFNAME, name)
	}
	b.EndNest(n)
	b.End()
	return nil
}

// altIfNameSize is ALTIFNAMSIZ (linux/if.h).
const altIfNameSize = 128

// checkAltName validates an alternative name as the kernel's
// dev_valid_name does, with ALTIFNAMSIZ for the length.
func checkAltName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("invalid alternative name %q", name)
	case len(name) >= altIfNameSize:
		return fmt.Errorf("alternative name %q is %d bytes, longer than %d", name, len(name), altIfNameSize-1)
	}
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '/', ':', 0, ' ', '\t', '\n', '\r', '\v', '\f':
			return fmt.Errorf("alternative name %q contains %q", name, name[i])
		}
	}
	return nil
}

// altNameRequest adds or removes alternative names: what
// LinkAltNameAdd and LinkAltNameDel return.
type altNameRequest struct {
	change
	index int32
	names []string
}

func (q *altNameRequest) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = fmt.Sprintf("%s index %d", q.verb, q.index)
		r.Missing = unix.ENODEV
	}
	return encodeAltNames(r.B, q.typ, q.flags, q.index, q.names)
}

// LinkAltNameAdd is the request to add alternative names to a link
// (RTM_NEWLINKPROP, "ip link property add altname"). Names are at most
// 127 bytes.
func LinkAltNameAdd(index int32, names ...string) Request {
	return &altNameRequest{change{"link altname add", unix.RTM_NEWLINKPROP, unix.NLM_F_CREATE | unix.NLM_F_EXCL | unix.NLM_F_APPEND}, index, names}
}

// LinkAltNameDel is the request to remove alternative names from a link
// (RTM_DELLINKPROP).
func LinkAltNameDel(index int32, names ...string) Request {
	return &altNameRequest{change{"link altname del", unix.RTM_DELLINKPROP, 0}, index, names}
}

// LinkAltNameAdd adds alternative names to a link (RTM_NEWLINKPROP, "ip
// link property add altname"). Names are at most 127 bytes.
func (h *Handle) LinkAltNameAdd(ctx context.Context, index int32, names ...string) error {
	return h.Do(ctx, LinkAltNameAdd(index, names...))
}

// LinkAltNameDel removes alternative names from a link (RTM_DELLINKPROP).
func (h *Handle) LinkAltNameDel(ctx context.Context, index int32, names ...string) error {
	return h.Do(ctx, LinkAltNameDel(index, names...))
}

// LinkAdd adds a link-create request (see [Handle.LinkAdd]).
func (bt *Batch) LinkAdd(s LinkSpec) error { return bt.addLink(linkAddOp, s, false) }

// LinkReplace adds a link-replace request (see [Handle.LinkReplace]).
func (bt *Batch) LinkReplace(s LinkSpec) error { return bt.addLink(linkReplaceOp, s, false) }

// LinkSet adds a link-change request (see [Handle.LinkSet]).
func (bt *Batch) LinkSet(s LinkSpec) error { return bt.addLink(linkSetOp, s, false) }

// LinkDel adds a link-delete request (see [Handle.LinkDel]).
func (bt *Batch) LinkDel(index int32) error {
	return bt.addLink(linkDelOp, LinkSpec{Index: index}, false)
}

// LinkDelByName adds a link-delete request naming the link.
func (bt *Batch) LinkDelByName(name string) error {
	return bt.addLink(linkDelOp, LinkSpec{Name: name}, true)
}

// addLink queues a link change without making it a Request (see
// Batch.queue).
func (bt *Batch) addLink(c change, s LinkSpec, byName bool) error {
	q := linkChangeRequest{c, s, byName}
	return bt.addLazy(q.verb, q.encode)
}
