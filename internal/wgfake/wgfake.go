// Package wgfake is a WireGuard kernel for tests, on this kernel that
// has none: it keeps devices and peers, applies WG_CMD_SET_DEVICE as
// drivers/net/wireguard/netlink.c does (set_peer, set_allowedip, the
// flags), and answers WG_CMD_GET_DEVICE dumps cut into messages as
// wg_get_device_dump cuts them, a peer's allowed IPs continued in the
// next message when they do not fit. It decodes requests independently
// of genl/wireguard, so that requests built by that package and by
// wgctrl can be applied and compared. Test code only.
package wgfake

import (
	"crypto/ecdh"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// FamilyID is the id the fake gives the wireguard family.
const FamilyID = 0x1d

// Uapi numbers, spelled out here so that the fake does not share the
// package under test's constants.
const (
	cmdGet, cmdSet = 0, 1

	aIfindex, aIfname, aPrivateKey, aPublicKey, aFlags, aListenPort, aFwmark, aPeers = 1, 2, 3, 4, 5, 6, 7, 8

	pPublicKey, pPresharedKey, pFlags, pEndpoint, pKeepalive, pLastHandshake, pRx, pTx, pAllowedIPs, pProtocol = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10

	ipFamily, ipAddr, ipCidr = 1, 2, 3

	fRemove, fReplaceIPs, fUpdateOnly = 1, 2, 4
)

// Kernel is the fake's state. Its fields may be set before use.
type Kernel struct {
	// DumpBudget is the room of each dump message, in bytes (the
	// kernel's skb); 0 means 4096.
	DumpBudget int

	mu      sync.Mutex
	devices []*Device
	// Sets counts the WG_CMD_SET_DEVICE requests applied.
	Sets int
	// Interrupt is how many dumps to come are marked NLM_F_DUMP_INTR, as
	// the kernel marks one during which the device changed.
	Interrupt int
}

// Device is a fake WireGuard device.
type Device struct {
	Name        string
	Index       uint32
	Private     [32]byte
	Public      [32]byte
	HasIdentity bool
	ListenPort  uint16
	Fwmark      uint32
	Peers       []*Peer

	// owner is the allowed-IPs table: which peer each prefix routes to.
	owner map[netip.Prefix]*Peer
	// byKey is the peers' hash table, by public key.
	byKey map[[32]byte]*Peer
}

// Peer is a peer of a fake device.
type Peer struct {
	Public, Preshared [32]byte
	Endpoint          []byte // a sockaddr_in or sockaddr_in6, nil for none
	Keepalive         uint16
	AllowedIPs        []netip.Prefix
	RxBytes, TxBytes  uint64
	HandshakeSec      int64
	HandshakeNsec     int64
}

// AddDevice creates a device.
func (k *Kernel) AddDevice(name string, index uint32) *Device {
	k.mu.Lock()
	defer k.mu.Unlock()
	d := &Device{Name: name, Index: index}
	k.devices = append(k.devices, d)
	return d
}

// Device returns the device called name, nil if none.
func (k *Kernel) Device(name string) *Device {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, d := range k.devices {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// Install makes fake answer nlctrl's lookups of "wireguard" and the
// family's requests.
func (k *Kernel) Install(fake *nltest.Fake) {
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{"wireguard": FamilyID}))
	fake.Handle(FamilyID, k.handle)
}

func (k *Kernel) handle(req wire.Message) ([][]byte, error) {
	m, err := genl.Decode(req, 0)
	if err != nil {
		return nil, unix.EINVAL
	}
	switch m.Command {
	case cmdSet:
		return nil, k.Set(m.Attrs)
	case cmdGet:
		if req.Header.Flags&unix.NLM_F_DUMP != unix.NLM_F_DUMP {
			return nil, unix.EOPNOTSUPP
		}
		payloads, err := k.Dump(m.Attrs)
		k.mu.Lock()
		intr := k.Interrupt > 0
		if intr {
			k.Interrupt--
		}
		k.mu.Unlock()
		out := make([][]byte, len(payloads))
		for i, p := range payloads {
			out[i] = nltest.Message(FamilyID, p)
			if intr {
				h := wire.DecodeHeader(out[i])
				h.Flags |= unix.NLM_F_DUMP_INTR
				wire.PutHeader(out[i], h)
			}
		}
		return out, err
	}
	return nil, unix.EOPNOTSUPP
}

func (k *Kernel) lookup(attrs nla.Chain) (*Device, error) {
	ia, hasIndex := attrs.Get(aIfindex)
	na, hasName := attrs.Get(aIfname)
	if hasIndex == hasName {
		return nil, unix.EBADR
	}
	for _, d := range k.devices {
		if hasIndex {
			if i, err := ia.Uint32(); err == nil && i == d.Index {
				return d, nil
			}
		} else if s, err := na.Text(); err == nil && s == d.Name {
			return d, nil
		}
	}
	return nil, unix.ENODEV
}

// Set applies the attributes of a WG_CMD_SET_DEVICE request.
func (k *Kernel) Set(attrs nla.Chain) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if attrs.Err() != nil {
		return unix.EINVAL
	}
	d, err := k.lookup(attrs)
	if err != nil {
		return err
	}
	k.Sets++
	var flags uint32
	if a, ok := attrs.Get(aFlags); ok {
		if flags, err = a.Uint32(); err != nil {
			return unix.EINVAL
		}
	}
	if flags&^1 != 0 {
		return unix.EOPNOTSUPP
	}
	if a, ok := attrs.Get(aFwmark); ok {
		if d.Fwmark, err = a.Uint32(); err != nil {
			return unix.EINVAL
		}
	}
	if a, ok := attrs.Get(aListenPort); ok {
		if d.ListenPort, err = a.Uint16(); err != nil {
			return unix.EINVAL
		}
	}
	if flags&1 != 0 {
		d.Peers, d.owner, d.byKey = nil, nil, nil
	}
	if a, ok := attrs.Get(aPrivateKey); ok {
		if len(a.Data) != 32 {
			return unix.EINVAL
		}
		d.setPrivate([32]byte(a.Data))
	}
	if a, ok := attrs.Get(aPeers); ok {
		if a.Nested().Err() != nil {
			return unix.EINVAL
		}
		for p := range a.Nested().All() {
			if err := d.setPeer(p.Nested()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *Device) setPrivate(priv [32]byte) {
	if priv == d.Private && d.HasIdentity {
		return
	}
	d.Private = priv
	d.Private[0] &= 248
	d.Private[31] = d.Private[31]&127 | 64
	d.HasIdentity = false
	d.Public = [32]byte{}
	if priv == [32]byte{} {
		return
	}
	key, err := ecdh.X25519().NewPrivateKey(priv[:])
	if err != nil {
		return
	}
	copy(d.Public[:], key.PublicKey().Bytes())
	d.HasIdentity = true
	d.removePeer(d.Public)
}

func (d *Device) find(pub [32]byte) *Peer {
	if d.byKey == nil || len(d.byKey) != len(d.Peers) { // Peers were set from outside
		d.byKey = make(map[[32]byte]*Peer, len(d.Peers))
		for _, p := range d.Peers {
			d.byKey[p.Public] = p
		}
	}
	return d.byKey[pub]
}

func (d *Device) removePeer(pub [32]byte) {
	p := d.find(pub)
	if p == nil {
		return
	}
	d.removeIPsOf(p)
	d.Peers = slices.DeleteFunc(d.Peers, func(q *Peer) bool { return q == p })
	delete(d.byKey, pub)
}

// setPeer is the kernel's set_peer.
func (d *Device) setPeer(c nla.Chain) error {
	if c.Err() != nil {
		return unix.EINVAL
	}
	pa, _ := c.Get(pPublicKey)
	if len(pa.Data) != 32 {
		return unix.EINVAL
	}
	pub := [32]byte(pa.Data)
	var flags uint32
	if a, ok := c.Get(pFlags); ok {
		var err error
		if flags, err = a.Uint32(); err != nil {
			return unix.EINVAL
		}
	}
	if flags&^7 != 0 {
		return unix.EOPNOTSUPP
	}
	if a, ok := c.Get(pProtocol); ok {
		if v, _ := a.Uint32(); v != 1 {
			return unix.EPFNOSUPPORT
		}
	}
	p := d.find(pub)
	if p == nil {
		if flags&(fRemove|fUpdateOnly) != 0 {
			return nil
		}
		flags &^= fReplaceIPs
		if d.HasIdentity && pub == d.Public {
			return nil
		}
		p = &Peer{Public: pub}
		d.Peers = append(d.Peers, p)
		d.byKey[pub] = p
	}
	if flags&fRemove != 0 {
		d.removePeer(pub)
		return nil
	}
	if a, ok := c.Get(pPresharedKey); ok && len(a.Data) == 32 {
		p.Preshared = [32]byte(a.Data)
	}
	if a, ok := c.Get(pEndpoint); ok {
		if len(a.Data) < 16 {
			return unix.EINVAL // the policy's minimum, sizeof(struct sockaddr)
		}
		fam := binary.NativeEndian.Uint16(a.Data)
		if (len(a.Data) == 16 && fam == unix.AF_INET) || (len(a.Data) == 28 && fam == unix.AF_INET6) {
			p.Endpoint = append([]byte(nil), a.Data...)
		}
	}
	if flags&fReplaceIPs != 0 {
		d.removeIPsOf(p)
	}
	if a, ok := c.Get(pAllowedIPs); ok {
		if a.Nested().Err() != nil {
			return unix.EINVAL
		}
		for ip := range a.Nested().All() {
			pfx, err := allowedIP(ip.Nested())
			if err != nil {
				return err
			}
			d.insert(p, pfx)
		}
	}
	if a, ok := c.Get(pKeepalive); ok {
		v, err := a.Uint16()
		if err != nil {
			return unix.EINVAL
		}
		p.Keepalive = v
	}
	return nil
}

func (d *Device) removeIPsOf(p *Peer) {
	for _, ip := range p.AllowedIPs {
		delete(d.owner, ip)
	}
	p.AllowedIPs = nil
}

// insert is the allowed-IPs trie's insertion: a prefix belongs to one
// peer of the device, the last one given it, and is stored masked.
func (d *Device) insert(p *Peer, pfx netip.Prefix) {
	pfx = pfx.Masked()
	if d.owner == nil {
		d.owner = map[netip.Prefix]*Peer{}
	}
	switch q := d.owner[pfx]; q {
	case p:
		return
	case nil:
	default:
		i := slices.Index(q.AllowedIPs, pfx)
		q.AllowedIPs = slices.Delete(q.AllowedIPs, i, i+1)
	}
	d.owner[pfx] = p
	p.AllowedIPs = append(p.AllowedIPs, pfx)
}

func allowedIP(c nla.Chain) (netip.Prefix, error) {
	fa, ok1 := c.Get(ipFamily)
	aa, ok2 := c.Get(ipAddr)
	ca, ok3 := c.Get(ipCidr)
	if !ok1 || !ok2 || !ok3 {
		return netip.Prefix{}, unix.EINVAL
	}
	fam, err1 := fa.Uint16()
	cidr, err2 := ca.Uint8()
	if err1 != nil || err2 != nil {
		return netip.Prefix{}, unix.EINVAL
	}
	switch {
	case fam == unix.AF_INET && cidr <= 32 && len(aa.Data) == 4:
		return netip.PrefixFrom(netip.AddrFrom4([4]byte(aa.Data)), int(cidr)), nil
	case fam == unix.AF_INET6 && cidr <= 128 && len(aa.Data) == 16:
		return netip.PrefixFrom(netip.AddrFrom16([16]byte(aa.Data)), int(cidr)), nil
	}
	return netip.Prefix{}, unix.EINVAL
}

// Dump answers a WG_CMD_GET_DEVICE dump: the payloads (genlmsghdr and
// attributes) of its messages, cut as wg_get_device_dump cuts them.
func (k *Kernel) Dump(attrs nla.Chain) ([][]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	d, err := k.lookup(attrs)
	if err != nil {
		return nil, err
	}
	budget := k.DumpBudget
	if budget == 0 {
		budget = 4096
	}
	budget -= unix.NLMSG_HDRLEN // the skb holds the netlink header too
	var out [][]byte
	// The cursor: the next peer, and when cont its allowed IPs continue
	// from nextIP (the kernel's ctx->next_allowedip).
	next, nextIP, cont := 0, 0, false
	first := true
	for {
		var e nla.Encoder
		hdr := e.Reserve(unix.GENL_HDRLEN)
		hdr[0], hdr[1] = cmdGet, 1
		if first {
			e.Uint16(aListenPort, d.ListenPort)
			e.Uint32(aFwmark, d.Fwmark)
			e.Uint32(aIfindex, d.Index)
			e.String(aIfname, d.Name)
			if d.HasIdentity {
				e.Binary(aPrivateKey, d.Private[:])
				e.Binary(aPublicKey, d.Public[:])
			}
			first = false
		}
		if next >= len(d.Peers) {
			out = append(out, e.Bytes())
			return out, nil
		}
		peers := e.BeginNest(aPeers)
		done := true
		for ; next < len(d.Peers); next++ {
			mark := e.Len()
			ok, stopIP := putPeer(&e, d.Peers[next], nextIP, cont, budget)
			if !ok {
				// The peer does not fit at all: cancelled, next message.
				e.Truncate(mark)
				done = false
				break
			}
			if stopIP >= 0 {
				// Its allowed IPs go on in the next message.
				nextIP, cont = stopIP, true
				done = false
				break
			}
			nextIP, cont = 0, false
		}
		e.EndNest(peers)
		if e.Err() != nil {
			return nil, e.Err()
		}
		if e.Len() > budget {
			return nil, errors.New("wgfake: a message over budget")
		}
		out = append(out, e.Bytes())
		if done {
			return out, nil
		}
		if len(out) > 1<<20 {
			return nil, fmt.Errorf("wgfake: no progress")
		}
	}
}

// putPeer is the kernel's get_peer: it appends p, or when cont only its
// public key and allowed IPs from allowed IP from on, returning false
// when not even its head fits, and the allowed IP to continue at (-1
// when all fit).
func putPeer(e *nla.Encoder, p *Peer, from int, cont bool, budget int) (ok bool, stop int) {
	fits := func() bool { return e.Len() <= budget }
	nest := e.BeginNest(0)
	e.Binary(pPublicKey, p.Public[:])
	if !cont {
		e.Binary(pPresharedKey, p.Preshared[:])
		var ts [16]byte
		binary.NativeEndian.PutUint64(ts[:], uint64(p.HandshakeSec))
		binary.NativeEndian.PutUint64(ts[8:], uint64(p.HandshakeNsec))
		e.Binary(pLastHandshake, ts[:])
		e.Uint16(pKeepalive, p.Keepalive)
		e.Uint64(pTx, p.TxBytes)
		e.Uint64(pRx, p.RxBytes)
		e.Uint32(pProtocol, 1)
		if p.Endpoint != nil {
			e.Binary(pEndpoint, p.Endpoint)
		}
	}
	if !fits() {
		e.EndNest(nest) // the caller truncates it away
		return false, -1
	}
	if from >= len(p.AllowedIPs) {
		e.EndNest(nest)
		return true, -1
	}
	list := e.BeginNest(pAllowedIPs)
	if !fits() {
		e.EndNest(list)
		e.EndNest(nest)
		return false, -1
	}
	for i := from; i < len(p.AllowedIPs); i++ {
		mark := e.Len()
		ip := p.AllowedIPs[i]
		one := e.BeginNest(0)
		e.Uint8(ipCidr, uint8(ip.Bits()))
		if ip.Addr().Is4() {
			e.Uint16(ipFamily, unix.AF_INET)
		} else {
			e.Uint16(ipFamily, unix.AF_INET6)
		}
		e.Addr(ipAddr, ip.Addr())
		e.EndNest(one)
		if !fits() {
			e.Truncate(mark)
			e.EndNest(list)
			e.EndNest(nest)
			return true, i
		}
	}
	e.EndNest(list)
	e.EndNest(nest)
	return true, -1
}
