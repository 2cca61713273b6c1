package wireguard

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Link names a WireGuard device: by Name, or by Index when Name is empty.
type Link struct {
	// Name is the interface's name (WGDEVICE_A_IFNAME).
	Name string
	// Index is the interface's index (WGDEVICE_A_IFINDEX), used when Name
	// is empty.
	Index uint32
}

// check refuses a Link that names no device, or names it wrongly; its
// errors lack the package's prefix, which callers add.
func (l Link) check() error {
	switch {
	case l.Name == "" && l.Index == 0:
		return errors.New("no device: set Link.Name or Link.Index")
	case l.Name != "" && l.Index != 0:
		return errors.New("link has both a name and an index (the kernel takes exactly one)")
	case len(l.Name) >= unix.IFNAMSIZ:
		return fmt.Errorf("device name %q longer than %d bytes", l.Name, unix.IFNAMSIZ-1)
	}
	for i := 0; i < len(l.Name); i++ {
		if l.Name[i] == 0 {
			return fmt.Errorf("device name %q holds a NUL byte", l.Name)
		}
	}
	return nil
}

// encode appends the attribute that identifies the device.
func (l Link) encode(e *nla.Encoder) {
	if l.Name != "" {
		e.String(DeviceAIfname, l.Name)
	} else {
		e.Uint32(DeviceAIfindex, l.Index)
	}
}

// size is what encode appends.
func (l Link) size() int {
	if l.Name != "" {
		return nla.Align(4 + len(l.Name) + 1)
	}
	return 8
}

// DeviceConfig is a change to a WireGuard device (WG_CMD_SET_DEVICE): the
// nil or false fields are left as they are, as `wg set` leaves what it
// is not given.
type DeviceConfig struct {
	// Link is the device to change.
	Link Link
	// PrivateKey, if not nil, becomes the device's private key; the zero
	// Key removes it (the device then has no identity).
	PrivateKey *Key
	// ListenPort, if not nil, becomes the UDP port; 0 picks a random one.
	ListenPort *uint16
	// FirewallMark, if not nil, becomes the mark of outgoing packets; 0
	// removes it.
	FirewallMark *uint32
	// ReplacePeers removes every peer the device has before Peers are
	// applied (WGDEVICE_F_REPLACE_PEERS), as `wg setconf` does.
	ReplacePeers bool
	// Peers are the peers to add, change or remove, in order.
	Peers []PeerConfig
}

// PeerConfig is a change to one peer, named by its public key: a new
// peer is added (unless UpdateOnly), an existing one changed. The zero
// or nil fields are left as they are.
type PeerConfig struct {
	// PublicKey names the peer; it must not be the zero Key.
	PublicKey Key
	// Remove removes the peer (WGPEER_F_REMOVE_ME); an absent peer is no
	// error.
	Remove bool
	// UpdateOnly changes the peer only if it exists: it is never added
	// (WGPEER_F_UPDATE_ONLY).
	UpdateOnly bool
	// PresharedKey, if not nil, becomes the peer's preshared key; the
	// zero Key removes it.
	PresharedKey *Key
	// Endpoint, if valid, becomes the peer's address and UDP port. It
	// needs a port (0 is an error, as in wg(8), whose endpoints are
	// host:port). An IPv4-mapped IPv6 address is sent as IPv4, as
	// wgctrl does; an IPv6 zone must be numeric (an interface index,
	// the sockaddr_in6's scope id): names are resolved in some network
	// namespace, not necessarily the device's.
	Endpoint netip.AddrPort
	// PersistentKeepaliveInterval, if not nil, becomes the interval of
	// keepalives, in whole seconds up to 65535; 0 turns them off.
	PersistentKeepaliveInterval *time.Duration
	// ReplaceAllowedIPs removes the peer's allowed IPs before AllowedIPs
	// are added (WGPEER_F_REPLACE_ALLOWEDIPS); with no AllowedIPs it
	// clears them.
	ReplaceAllowedIPs bool
	// AllowedIPs are added to the peer's allowed IPs. As in wg(8), a
	// prefix may have host bits set (10.0.0.1/24): the kernel clears
	// them and keeps 10.0.0.0/24, which a later Get returns. A
	// prefix longer than its family's bits is invalid in netip already;
	// an IPv4-mapped IPv6 prefix stays IPv6.
	AllowedIPs []netip.Prefix
}

// MaxMessageSize bounds each request Configure sends, netlink header
// included: a large peer list is split into several requests, as wg(8)
// splits it at its socket buffer (a page, at most 8 KiB). A peer whose
// allowed IPs do not fit goes on in the next request, which names the
// peer again (with WGPEER_F_UPDATE_ONLY, so that a peer removed in
// between is not recreated) and adds the rest of them.
const MaxMessageSize = 8192

// Sizes of the attributes a request carries, padding included.
const (
	sizeMsgHeaders  = unix.NLMSG_HDRLEN + unix.GENL_HDRLEN
	sizeNest        = 4
	sizeKey         = 4 + KeyLen
	sizeU32         = 8
	sizeU16         = 8
	sizeSockaddr4   = 4 + unix.SizeofSockaddrInet4
	sizeSockaddr6   = 4 + unix.SizeofSockaddrInet6
	sizeAllowedIPv4 = sizeNest + 8 + 8 + 8
	sizeAllowedIPv6 = sizeNest + 8 + 20 + 8
)

// ConfigError is the error of a configuration refused before anything
// was sent: it names the peer (its index in DeviceConfig.Peers, -1 for
// the device's own fields) and what is wrong.
type ConfigError struct {
	// Peer is the index of the peer at fault, -1 for the device.
	Peer int
	// Err says what is wrong.
	Err error
}

// Error says which peer is at fault and why.
func (e *ConfigError) Error() string {
	if e.Peer < 0 {
		return "wireguard: " + e.Err.Error()
	}
	return fmt.Sprintf("wireguard: peer %d: %v", e.Peer, e.Err)
}

// Unwrap returns what is wrong.
func (e *ConfigError) Unwrap() error { return e.Err }

// ErrEndpointPort is matched (errors.Is) by the error of an endpoint
// without a port.
var ErrEndpointPort = errors.New("endpoint without a port")

// check validates c before anything is encoded.
func (c *DeviceConfig) check() error {
	if err := c.Link.check(); err != nil {
		return &ConfigError{Peer: -1, Err: err}
	}
	for i := range c.Peers {
		if err := c.Peers[i].check(); err != nil {
			return &ConfigError{Peer: i, Err: err}
		}
	}
	return nil
}

func (p *PeerConfig) check() error {
	if p.PublicKey.IsZero() {
		return errors.New("no public key (the zero Key names no peer)")
	}
	if p.Endpoint != (netip.AddrPort{}) {
		a := p.Endpoint.Addr()
		if !a.IsValid() {
			return fmt.Errorf("endpoint %v has no address", p.Endpoint)
		}
		if p.Endpoint.Port() == 0 {
			return fmt.Errorf("%w: %v", ErrEndpointPort, a)
		}
		if _, err := scopeID(a); err != nil {
			return err
		}
	}
	if ka := p.PersistentKeepaliveInterval; ka != nil {
		if *ka < 0 || *ka > 65535*time.Second || *ka%time.Second != 0 {
			return fmt.Errorf("persistent keepalive interval %v: want whole seconds from 0 to 65535", *ka)
		}
	}
	for _, ip := range p.AllowedIPs {
		if !ip.IsValid() {
			return fmt.Errorf("allowed IP %v is not a valid prefix", ip)
		}
	}
	return nil
}

// scopeID returns the sockaddr_in6 scope id of a's zone, which must be
// numeric.
func scopeID(a netip.Addr) (uint32, error) {
	z := a.Zone()
	if z == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(z, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("endpoint %v: the zone must be an interface index, not a name", a)
	}
	return uint32(id), nil
}

// chunk is the part of a configuration one request carries: peers
// [peer, endPeer) where the first starts at allowed IP firstIP (a
// continuation when not 0) and the last one, if endIP is not -1, stops
// before allowed IP endIP.
type chunk struct {
	first         bool
	peer, endPeer int
	firstIP       int
	endIP         int
}

// plan splits c into requests of at most max bytes each.
func (c *DeviceConfig) plan(max int) ([]chunk, error) {
	base := sizeMsgHeaders + c.Link.size()
	devAttrs := 0
	if c.PrivateKey != nil {
		devAttrs += sizeKey
	}
	if c.ListenPort != nil {
		devAttrs += sizeU16
	}
	if c.FirewallMark != nil {
		devAttrs += sizeU32
	}
	if c.ReplacePeers {
		devAttrs += sizeU32
	}
	if len(c.Peers) == 0 {
		return []chunk{{first: true, endIP: -1}}, nil
	}
	var chunks []chunk
	cur := chunk{first: true, endIP: -1}
	size := base + devAttrs + sizeNest
	empty := true // cur carries no peer yet
	i, ip := 0, 0
	for i < len(c.Peers) {
		p := &c.Peers[i]
		head := p.headSize(ip > 0)
		if len(p.AllowedIPs) > ip {
			head += sizeNest + allowedIPSize(p.AllowedIPs[ip])
		}
		if size+head > max {
			if empty {
				return nil, &ConfigError{Peer: i, Err: fmt.Errorf("does not fit in a %d-byte request", max)}
			}
			cur.endPeer = i
			chunks = append(chunks, cur)
			cur = chunk{peer: i, firstIP: ip, endIP: -1}
			size, empty = base+sizeNest, true
			continue
		}
		empty = false
		size += head
		if len(p.AllowedIPs) > ip {
			ip++ // the first, counted in head
		}
		for ; ip < len(p.AllowedIPs); ip++ {
			n := allowedIPSize(p.AllowedIPs[ip])
			if size+n > max {
				break
			}
			size += n
		}
		if ip < len(p.AllowedIPs) {
			// The peer's allowed IPs go on in the next request.
			cur.endPeer, cur.endIP = i+1, ip
			chunks = append(chunks, cur)
			cur = chunk{peer: i, firstIP: ip, endIP: -1}
			size, empty = base+sizeNest, true
			continue
		}
		i, ip = i+1, 0
	}
	cur.endPeer = len(c.Peers)
	return append(chunks, cur), nil
}

// headSize is the size of p's nest without its allowed IPs; a
// continuation carries the public key and flags alone.
func (p *PeerConfig) headSize(continued bool) int {
	n := sizeNest + sizeKey
	if p.flags(continued) != 0 {
		n += sizeU32
	}
	if continued {
		return n
	}
	if p.PresharedKey != nil {
		n += sizeKey
	}
	if p.Endpoint.IsValid() {
		if p.Endpoint.Addr().Unmap().Is4() {
			n += sizeSockaddr4
		} else {
			n += sizeSockaddr6
		}
	}
	if p.PersistentKeepaliveInterval != nil {
		n += sizeU16
	}
	return n
}

func allowedIPSize(p netip.Prefix) int {
	if p.Addr().Is4() {
		return sizeAllowedIPv4
	}
	return sizeAllowedIPv6
}

// flags returns p's WGPEER_A_FLAGS, for its first request or a
// continuation.
func (p *PeerConfig) flags(continued bool) uint32 {
	var f uint32
	if p.Remove {
		f |= PeerFRemoveMe
	}
	if p.UpdateOnly || continued {
		f |= PeerFUpdateOnly
	}
	if p.ReplaceAllowedIPs && !continued {
		f |= PeerFReplaceAllowedIPs
	}
	return f
}

// encode appends the attributes of chunk k of c, in the order wgctrl
// writes them.
func (c *DeviceConfig) encode(e *nla.Encoder, k chunk) {
	c.Link.encode(e)
	if k.first {
		if c.PrivateKey != nil {
			e.Binary(DeviceAPrivateKey, c.PrivateKey[:])
		}
		if c.ListenPort != nil {
			e.Uint16(DeviceAListenPort, *c.ListenPort)
		}
		if c.FirewallMark != nil {
			e.Uint32(DeviceAFwmark, *c.FirewallMark)
		}
		if c.ReplacePeers {
			e.Uint32(DeviceAFlags, DeviceFReplacePeers)
		}
	}
	if k.endPeer <= k.peer {
		return
	}
	peers := e.BeginNest(DeviceAPeers)
	for i := k.peer; i < k.endPeer; i++ {
		p := &c.Peers[i]
		from, to := 0, len(p.AllowedIPs)
		if i == k.peer {
			from = k.firstIP
		}
		if i == k.endPeer-1 && k.endIP >= 0 {
			to = k.endIP
		}
		// Netlink arrays number their elements, as wgctrl does (the
		// kernel ignores the number).
		p.encode(e, uint16(i-k.peer), from > 0, p.AllowedIPs[from:to])
	}
	e.EndNest(peers)
}

// encode appends peer p as element n of the peer array.
func (p *PeerConfig) encode(e *nla.Encoder, n uint16, continued bool, ips []netip.Prefix) {
	nest := e.BeginNest(n)
	e.Binary(PeerAPublicKey, p.PublicKey[:])
	if f := p.flags(continued); f != 0 {
		e.Uint32(PeerAFlags, f)
	}
	if !continued {
		if p.PresharedKey != nil {
			e.Binary(PeerAPresharedKey, p.PresharedKey[:])
		}
		if p.Endpoint.IsValid() {
			encodeEndpoint(e, p.Endpoint)
		}
		if ka := p.PersistentKeepaliveInterval; ka != nil {
			e.Uint16(PeerAPersistentKeepaliveInterval, uint16(*ka/time.Second))
		}
	}
	if len(ips) > 0 {
		list := e.BeginNest(PeerAAllowedIPs)
		for j, ip := range ips {
			one := e.BeginNest(uint16(j))
			if ip.Addr().Is4() {
				e.Uint16(AllowedIPAFamily, unix.AF_INET)
			} else {
				e.Uint16(AllowedIPAFamily, unix.AF_INET6)
			}
			e.Addr(AllowedIPAIPAddr, ip.Addr())
			e.Uint8(AllowedIPACidrMask, uint8(ip.Bits()))
			e.EndNest(one)
		}
		e.EndNest(list)
	}
	e.EndNest(nest)
}

// encodeEndpoint appends ap as a struct sockaddr_in or sockaddr_in6.
func encodeEndpoint(e *nla.Encoder, ap netip.AddrPort) {
	a := ap.Addr().Unmap()
	if a.Is4() {
		var sa [unix.SizeofSockaddrInet4]byte
		binary.NativeEndian.PutUint16(sa[0:], unix.AF_INET)
		binary.BigEndian.PutUint16(sa[2:], ap.Port())
		a4 := a.As4()
		copy(sa[4:], a4[:])
		e.Binary(PeerAEndpoint, sa[:])
		return
	}
	var sa [unix.SizeofSockaddrInet6]byte
	binary.NativeEndian.PutUint16(sa[0:], unix.AF_INET6)
	binary.BigEndian.PutUint16(sa[2:], ap.Port())
	a16 := a.As16()
	copy(sa[8:], a16[:])
	scope, _ := scopeID(a) // checked before
	binary.NativeEndian.PutUint32(sa[24:], scope)
	e.Binary(PeerAEndpoint, sa[:])
}

// ConfigureRequests returns the WG_CMD_SET_DEVICE requests that apply
// cfg, split so that each is at most MaxMessageSize bytes: the first
// carries the device's own fields (private key, port, mark,
// ReplacePeers) and the later ones only peers. cfg is validated first:
// an invalid one is a [*ConfigError] and no request. The requests read
// cfg when they are encoded: it must not change until they are sent.
func ConfigureRequests(cfg *DeviceConfig) ([]genl.Request, error) {
	if cfg == nil {
		return nil, &ConfigError{Peer: -1, Err: errors.New("nil DeviceConfig")}
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	chunks, err := cfg.plan(MaxMessageSize)
	if err != nil {
		return nil, err
	}
	reqs := make([]genl.Request, len(chunks))
	for i, k := range chunks {
		reqs[i] = genl.Request{Command: CmdSetDevice, Attrs: func(e *nla.Encoder) { cfg.encode(e, k) }}
	}
	return reqs, nil
}

// Configure applies cfg to its device: the requests of
// [ConfigureRequests], pipelined in a batch. The kernel applies them in
// order; when one fails the ones after it still run (each is a
// self-contained change), and the error is the first failure's. A
// kernel without WireGuard is a *genl.FamilyNotFoundError.
func Configure(ctx context.Context, h *genl.Handle, cfg *DeviceConfig) error {
	reqs, err := ConfigureRequests(cfg)
	if err != nil {
		return err
	}
	f, err := family(ctx, h)
	if err != nil {
		return err
	}
	if len(reqs) == 1 {
		return h.Do(ctx, f, reqs[0], nil)
	}
	results, err := h.Batch(ctx, f, reqs, nil)
	for _, r := range results {
		if r != nil {
			return r
		}
	}
	return err
}
