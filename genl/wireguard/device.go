package wireguard

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"slices"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Device is a WireGuard device as Get returns it: its settings and every
// peer, merged from the messages of the kernel's dump.
type Device struct {
	// Name and Index identify the interface.
	Name  string
	Index uint32
	// PrivateKey and PublicKey are the device's identity; zero when it
	// has none.
	PrivateKey, PublicKey Key
	// ListenPort is the UDP port the device listens on.
	ListenPort uint16
	// FirewallMark marks the device's outgoing packets; 0 for none.
	FirewallMark uint32
	// Peers are the device's peers, in the kernel's order.
	Peers []Peer
}

// Peer is one peer of a Device.
type Peer struct {
	// PublicKey names the peer.
	PublicKey Key
	// PresharedKey is the peer's preshared key, zero for none.
	PresharedKey Key
	// Endpoint is the peer's last known address and port; the zero
	// AddrPort when it has none. An IPv6 scope id becomes a numeric
	// zone.
	Endpoint netip.AddrPort
	// PersistentKeepaliveInterval is the keepalive interval, 0 when off.
	PersistentKeepaliveInterval time.Duration
	// LastHandshake is the time of the last handshake; the zero Time
	// when there was none.
	LastHandshake time.Time
	// ReceiveBytes and TransmitBytes count the peer's traffic.
	ReceiveBytes, TransmitBytes uint64
	// ProtocolVersion is the protocol's version (1).
	ProtocolVersion uint32
	// AllowedIPs are the prefixes routed to the peer. Get shares one
	// array between the peers: each slice's capacity ends at its length,
	// so appending to one copies it.
	AllowedIPs []netip.Prefix
}

// GetRequest returns the WG_CMD_GET_DEVICE dump request of the device l
// names, for [genl.Handle.Dump]; l is checked first.
func GetRequest(l Link) (genl.Request, error) {
	if err := l.check(); err != nil {
		return genl.Request{}, fmt.Errorf("wireguard: %w", err)
	}
	return genl.Request{Command: CmdGetDevice, Attrs: l.encode}, nil
}

// Messages dumps device l and yields a view of each message of the
// kernel's reply, valid until the next iteration: the first carries the
// device's settings, and the peers are spread over all of them, a
// peer with many allowed IPs continued at the start of the next message
// ([Collect] merges them). Iterating allocates nothing per message or
// peer.
func Messages(ctx context.Context, h *genl.Handle, l Link) iter.Seq2[DeviceView, error] {
	return func(yield func(DeviceView, error) bool) {
		req, err := GetRequest(l)
		if err != nil {
			yield(DeviceView{}, err)
			return
		}
		f, err := family(ctx, h)
		if err != nil {
			yield(DeviceView{}, err)
			return
		}
		for m, err := range h.Dump(ctx, f, req) {
			if !yield(DeviceView{m.Attrs}, err) || err != nil {
				return
			}
		}
	}
}

// ErrNilHandle is the error of an operation given a nil *genl.Handle.
var ErrNilHandle = errors.New("wireguard: nil *genl.Handle")

// family resolves the wireguard family through h.
func family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	if h == nil {
		return nil, ErrNilHandle
	}
	return h.Family(ctx, FamilyName)
}

// dumpAttempts bounds how often Get dumps again a device that changed
// while it was dumped (NLM_F_DUMP_INTR), as wg(8) retries.
const dumpAttempts = 5

// Get returns device l with all its peers. A device changed during the
// dump is dumped again, a few times at most. A kernel without WireGuard
// is a *genl.FamilyNotFoundError; a missing device ENODEV, one that is
// not WireGuard EOPNOTSUPP (errors.Is).
func Get(ctx context.Context, h *genl.Handle, l Link) (*Device, error) {
	req, err := GetRequest(l)
	if err != nil {
		return nil, err
	}
	f, err := family(ctx, h)
	if err != nil {
		return nil, err
	}
	var d *Device
	err = wire.Retry(ctx, dumpAttempts, func(ctx context.Context) error {
		d, err = Collect(h.Dump(ctx, f, req))
		return err
	})
	return d, err
}

// Collect merges the messages of a device dump into a Device: the
// device's settings from the first message, the peers of all, a peer the
// kernel split between two messages (its allowed IPs continued) made one.
// It stops at the first error, of the dump or of a malformed message.
// Its allocations do not grow with each peer: the peers and their allowed
// IPs live in shared arrays.
func Collect(msgs iter.Seq2[genl.Message, error]) (*Device, error) {
	var c collector
	if msgs == nil {
		return nil, errors.New("wireguard: Collect of a nil sequence")
	}
	for m, err := range msgs {
		if err != nil {
			return nil, err
		}
		if err := c.add(m); err != nil {
			return nil, err
		}
	}
	return c.device()
}

// collector merges dump messages.
type collector struct {
	d     Device
	seen  bool           // a message was added
	ips   []netip.Prefix // every peer's allowed IPs, in order
	start []int          // where each peer's allowed IPs begin in ips
}

// ErrMalformed is matched (errors.Is) by the error of a dump message that
// does not follow the UAPI.
var ErrMalformed = errors.New("wireguard: malformed device message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

func (c *collector) add(m genl.Message) error {
	if m.Command != CmdGetDevice {
		return malformed("command %d, want WG_CMD_GET_DEVICE", m.Command)
	}
	if err := m.Attrs.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	v := DeviceView{m.Attrs}
	if !c.seen {
		c.seen = true
		c.d = Device{
			Name: v.Name(), Index: v.Index(), PrivateKey: v.PrivateKey(), PublicKey: v.PublicKey(),
			ListenPort: v.ListenPort(), FirewallMark: v.FirewallMark(),
		}
	}
	peers, ok := m.Attrs.Get(DeviceAPeers)
	if !ok {
		return nil
	}
	if err := peers.Nested().Err(); err != nil {
		return fmt.Errorf("%w: peers: %w", ErrMalformed, err)
	}
	for a := range peers.Nested().All() {
		if err := c.addPeer(PeerView{a.Nested()}); err != nil {
			return err
		}
	}
	return nil
}

func (c *collector) addPeer(p PeerView) error {
	if err := p.attrs.Err(); err != nil {
		return fmt.Errorf("%w: peer: %w", ErrMalformed, err)
	}
	// One pass over the attributes, rather than a lookup per field.
	var peer Peer
	var hasKey bool
	var list nla.Attr
	for a := range p.attrs.All() {
		switch a.Kind() {
		case PeerAPublicKey:
			peer.PublicKey, hasKey = keyOf(a)
		case PeerAPresharedKey:
			peer.PresharedKey, _ = keyOf(a)
		case PeerAEndpoint:
			peer.Endpoint = endpoint(a.Data)
		case PeerAPersistentKeepaliveInterval:
			v, _ := a.Uint16()
			peer.PersistentKeepaliveInterval = time.Duration(v) * time.Second
		case PeerALastHandshakeTime:
			peer.LastHandshake = timespec(a.Data)
		case PeerARxBytes:
			peer.ReceiveBytes, _ = a.Uint64()
		case PeerATxBytes:
			peer.TransmitBytes, _ = a.Uint64()
		case PeerAProtocolVersion:
			peer.ProtocolVersion, _ = a.Uint32()
		case PeerAAllowedIPs:
			list = a
		}
	}
	if !hasKey {
		return malformed("peer %d without a %d-byte public key", len(c.d.Peers), KeyLen)
	}
	if n := len(c.d.Peers); n == 0 || c.d.Peers[n-1].PublicKey != peer.PublicKey {
		if n == cap(c.d.Peers) {
			// Double: append grows a large slice by a quarter, copying a
			// device of thousands of peers many times over.
			c.d.Peers = slices.Grow(c.d.Peers, max(n, 16))
		}
		c.d.Peers = append(c.d.Peers, peer)
		c.start = append(c.start, len(c.ips))
	} // else the kernel continues the last peer's allowed IPs
	if list.Data == nil {
		return nil
	}
	if err := list.Nested().Err(); err != nil {
		return fmt.Errorf("%w: allowed IPs: %w", ErrMalformed, err)
	}
	for a := range list.Nested().All() {
		ip, err := allowedIP(a.Nested())
		if err != nil {
			return err
		}
		if len(c.ips) == cap(c.ips) {
			c.ips = slices.Grow(c.ips, max(len(c.ips), 16))
		}
		c.ips = append(c.ips, ip)
	}
	return nil
}

// device returns the merged device, its peers' allowed IPs cut from the
// shared array.
func (c *collector) device() (*Device, error) {
	if !c.seen {
		return nil, malformed("the dump held no message")
	}
	for i := range c.d.Peers {
		end := len(c.ips)
		if i+1 < len(c.start) {
			end = c.start[i+1]
		}
		if c.start[i] < end {
			c.d.Peers[i].AllowedIPs = c.ips[c.start[i]:end:end]
		}
	}
	d := c.d
	return &d, nil
}

// allowedIP decodes one WGALLOWEDIP nest.
func allowedIP(c nla.Chain) (netip.Prefix, error) {
	if err := c.Err(); err != nil {
		return netip.Prefix{}, fmt.Errorf("%w: allowed IP: %w", ErrMalformed, err)
	}
	fa, _ := c.Get(AllowedIPAFamily)
	family, err := fa.Uint16()
	if err != nil {
		return netip.Prefix{}, malformed("allowed IP without its family")
	}
	ma, _ := c.Get(AllowedIPACidrMask)
	bits, err := ma.Uint8()
	if err != nil {
		return netip.Prefix{}, malformed("allowed IP without its prefix length")
	}
	aa, _ := c.Get(AllowedIPAIPAddr)
	var addr netip.Addr
	switch {
	case family == unix.AF_INET && len(aa.Data) == 4:
		addr = netip.AddrFrom4([4]byte(aa.Data))
	case family == unix.AF_INET6 && len(aa.Data) == 16:
		addr = netip.AddrFrom16([16]byte(aa.Data))
	default:
		return netip.Prefix{}, malformed("allowed IP of family %d with a %d-byte address", family, len(aa.Data))
	}
	if int(bits) > addr.BitLen() {
		return netip.Prefix{}, malformed("allowed IP %v/%d", addr, bits)
	}
	return netip.PrefixFrom(addr, int(bits)), nil
}

// DeviceView is a view of one message of a device dump: the device's
// settings (in the first message only) and a share of its peers. It
// aliases the receive buffer; its readers return zero values for what
// the message lacks or holds malformed.
type DeviceView struct {
	attrs nla.Chain
}

// ViewDevice returns the view of m, a WG_CMD_GET_DEVICE reply.
func ViewDevice(m genl.Message) DeviceView { return DeviceView{m.Attrs} }

// Chain returns the message's attributes.
func (d DeviceView) Chain() nla.Chain { return d.attrs }

// Index returns the interface index.
func (d DeviceView) Index() uint32 { return u32(d.attrs, DeviceAIfindex) }

// Name returns the interface name.
func (d DeviceView) Name() string { return genlview.Attr(d.attrs, DeviceAIfname, nla.Attr.Text) }

// PrivateKey returns the device's private key, zero when it has none.
func (d DeviceView) PrivateKey() Key { k, _ := key(d.attrs, DeviceAPrivateKey); return k }

// PublicKey returns the device's public key, zero when it has none.
func (d DeviceView) PublicKey() Key { k, _ := key(d.attrs, DeviceAPublicKey); return k }

// ListenPort returns the UDP port the device listens on.
func (d DeviceView) ListenPort() uint16 {
	return genlview.Attr(d.attrs, DeviceAListenPort, nla.Attr.Uint16)
}

// FirewallMark returns the mark of the device's outgoing packets.
func (d DeviceView) FirewallMark() uint32 { return u32(d.attrs, DeviceAFwmark) }

// Peers yields the views of the message's peers. The first may continue
// the last peer of the previous message: the same public key, with
// allowed IPs only.
func (d DeviceView) Peers() iter.Seq[PeerView] {
	return genlview.Nests(d.attrs, DeviceAPeers, func(c nla.Chain) PeerView { return PeerView{c} })
}

// PeerView is a view of one peer in a device message; its readers return
// zero values for what it lacks or holds malformed.
type PeerView struct {
	attrs nla.Chain
}

// Chain returns the peer's attributes.
func (p PeerView) Chain() nla.Chain { return p.attrs }

func (p PeerView) key(t uint16) (Key, bool) { return key(p.attrs, t) }

// PublicKey returns the peer's public key.
func (p PeerView) PublicKey() Key { k, _ := p.key(PeerAPublicKey); return k }

// PresharedKey returns the peer's preshared key, zero for none.
func (p PeerView) PresharedKey() Key { k, _ := p.key(PeerAPresharedKey); return k }

// Continued reports whether p only continues the allowed IPs of a peer
// of the previous message: the kernel then sends the public key and
// allowed IPs alone, without the protocol version every full peer has.
func (p PeerView) Continued() bool {
	_, ok := p.attrs.Get(PeerAProtocolVersion)
	return !ok
}

// Endpoint returns the peer's address and port, the zero AddrPort when
// it has none; an IPv6 scope id becomes a numeric zone.
func (p PeerView) Endpoint() netip.AddrPort {
	a, _ := p.attrs.Get(PeerAEndpoint)
	return endpoint(a.Data)
}

// endpoint decodes a struct sockaddr_in or sockaddr_in6.
func endpoint(b []byte) netip.AddrPort {
	switch {
	case len(b) >= unix.SizeofSockaddrInet4 && binary.NativeEndian.Uint16(b) == unix.AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), binary.BigEndian.Uint16(b[2:]))
	case len(b) >= unix.SizeofSockaddrInet6 && binary.NativeEndian.Uint16(b) == unix.AF_INET6:
		addr := netip.AddrFrom16([16]byte(b[8:24]))
		if scope := binary.NativeEndian.Uint32(b[24:]); scope != 0 {
			addr = addr.WithZone(zoneName(scope))
		}
		return netip.AddrPortFrom(addr, binary.BigEndian.Uint16(b[2:]))
	}
	return netip.AddrPort{}
}

// PersistentKeepaliveInterval returns the keepalive interval, 0 when off.
func (p PeerView) PersistentKeepaliveInterval() time.Duration {
	return time.Duration(genlview.Attr(p.attrs, PeerAPersistentKeepaliveInterval, nla.Attr.Uint16)) * time.Second
}

// LastHandshake returns the time of the last handshake, the zero Time
// when there was none.
func (p PeerView) LastHandshake() time.Time {
	a, _ := p.attrs.Get(PeerALastHandshakeTime)
	return timespec(a.Data)
}

// timespec decodes a struct __kernel_timespec, all zeros as the zero
// Time.
func timespec(b []byte) time.Time {
	if len(b) != 16 {
		return time.Time{}
	}
	sec := int64(binary.NativeEndian.Uint64(b))
	nsec := int64(binary.NativeEndian.Uint64(b[8:]))
	if sec == 0 && nsec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, nsec)
}

// ReceiveBytes returns the bytes received from the peer.
func (p PeerView) ReceiveBytes() uint64 { return u64(p.attrs, PeerARxBytes) }

// TransmitBytes returns the bytes sent to the peer.
func (p PeerView) TransmitBytes() uint64 { return u64(p.attrs, PeerATxBytes) }

// ProtocolVersion returns the protocol version (1), 0 in a continuation.
func (p PeerView) ProtocolVersion() uint32 { return u32(p.attrs, PeerAProtocolVersion) }

// AllowedIPs yields the peer's allowed IPs in this message, skipping
// malformed ones (which Collect reports).
func (p PeerView) AllowedIPs() iter.Seq[netip.Prefix] {
	return func(yield func(netip.Prefix) bool) {
		list, ok := p.attrs.Get(PeerAAllowedIPs)
		if !ok {
			return
		}
		for a := range list.Nested().All() {
			ip, err := allowedIP(a.Nested())
			if err == nil && !yield(ip) {
				return
			}
		}
	}
}

func key(c nla.Chain, t uint16) (Key, bool) {
	a, _ := c.Get(t)
	return keyOf(a)
}

func keyOf(a nla.Attr) (Key, bool) {
	if len(a.Data) != KeyLen {
		return Key{}, false
	}
	return Key(a.Data), true
}

func u32(c nla.Chain, t uint16) uint32 { return genlview.Attr(c, t, nla.Attr.Uint32) }
func u64(c nla.Chain, t uint16) uint64 { return genlview.Attr(c, t, nla.Attr.Uint64) }

// zoneName returns the numeric zone of a scope id; the small ones, the
// common case, without allocating.
func zoneName(scope uint32) string {
	const digits = "0123456789"
	if scope < 10 {
		return digits[scope : scope+1]
	}
	return fmt.Sprint(scope)
}
