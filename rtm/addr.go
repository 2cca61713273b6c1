package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Addr is a view of one RTM_NEWADDR message: an address on an interface.
// An Addr yielded by a dump is valid until the next iteration; Clone
// detaches it.
type Addr struct{ view[ifaddrmsg] }

// AddrFromBytes returns the Addr in a message payload (the bytes after
// nlmsghdr), for decoding captured messages.
func AddrFromBytes(b []byte) (Addr, error) { return viewOf[Addr](&addrMsgs, b, nil) }

// Clone returns a copy of a that owns its bytes.
func (a Addr) Clone() Addr { return Addr{a.clone()} }

// Family returns AF_INET or AF_INET6.
func (a Addr) Family() uint8 { return a.hdr()[0] }

// PrefixLen returns ifa_prefixlen.
func (a Addr) PrefixLen() int { return int(a.hdr()[1]) }

// Flags returns the IFA_F_* flags: IFA_FLAGS when present (it holds all
// 32 bits), else the header's 8.
func (a Addr) Flags() uint32 {
	if at, ok := a.get(unix.IFA_FLAGS); ok {
		if v, err := at.Uint32(); err == nil {
			return v
		}
	}
	return uint32(a.hdr()[2])
}

// Scope returns ifa_scope (RT_SCOPE_*).
func (a Addr) Scope() uint8 { return a.hdr()[3] }

// Index returns the interface index.
func (a Addr) Index() int32 { return int32(native.Uint32(a.hdr()[4:])) }

// Local returns IFA_LOCAL: the address itself on IPv4 (absent on IPv6).
func (a Addr) Local() netip.Addr { return a.ip(unix.IFA_LOCAL) }

// Address returns IFA_ADDRESS: on IPv6 the address itself, on IPv4 the
// peer address of a point-to-point link or else the local address again.
func (a Addr) Address() netip.Addr { return a.ip(unix.IFA_ADDRESS) }

// IP returns the interface's own address: IFA_LOCAL if present, else
// IFA_ADDRESS.
func (a Addr) IP() netip.Addr {
	if ip := a.Local(); ip.IsValid() {
		return ip
	}
	return a.Address()
}

// Prefix returns IP with PrefixLen, host bits kept, as "ip addr" shows
// it: 192.0.2.1/24.
func (a Addr) Prefix() netip.Prefix { return netip.PrefixFrom(a.IP(), a.PrefixLen()) }

// Peer returns the point-to-point peer: IFA_ADDRESS when it differs from
// IFA_LOCAL, else the zero Addr.
func (a Addr) Peer() netip.Addr {
	l, p := a.Local(), a.Address()
	if l.IsValid() && p.IsValid() && l != p {
		return p
	}
	return netip.Addr{}
}

// Broadcast returns IFA_BROADCAST.
func (a Addr) Broadcast() netip.Addr { return a.ip(unix.IFA_BROADCAST) }

// Label returns IFA_LABEL (IPv4 only).
func (a Addr) Label() string { return a.text(unix.IFA_LABEL) }

// Protocol returns IFA_PROTO, who added the address (IFAPROT_*), or 0.
func (a Addr) Protocol() uint8 { return a.u8or(ifaProto, 0) }

// RoutePriority returns IFA_RT_PRIORITY, the metric of the prefix route.
func (a Addr) RoutePriority() uint32 { return a.u32or(unix.IFA_RT_PRIORITY, 0) }

// AddrCacheInfo is struct ifa_cacheinfo: lifetimes in seconds
// (0xffffffff is forever) and timestamps in hundredths of a second since
// boot.
type AddrCacheInfo struct {
	Preferred, Valid uint32
	Created, Updated uint32
}

// Forever is the lifetime of an address that never expires.
const Forever = 0xffffffff

// CacheInfo returns IFA_CACHEINFO.
func (a Addr) CacheInfo() (AddrCacheInfo, bool) {
	at, ok := a.get(unix.IFA_CACHEINFO)
	if !ok || len(at.Data) < 16 {
		return AddrCacheInfo{}, false
	}
	d := at.Data
	return AddrCacheInfo{native.Uint32(d), native.Uint32(d[4:]), native.Uint32(d[8:]), native.Uint32(d[12:])}, true
}

// Get returns an attribute by pyroute2-style name ("local", "label",
// ("cacheinfo", "ifa_valid")).
func (a Addr) Get(path ...string) (Value, bool) {
	return a.lookup(addrSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (a Addr) GetAll(path ...string) iter.Seq[Value] { return a.lookupAll(addrSchema, path) }

// Attrs yields every attribute with its pyroute2-style name.
func (a Addr) Attrs() iter.Seq2[string, Value] { return schema.All(addrSchema, a.Chain()) }

// AddrFilter selects the addresses a dump returns.
type AddrFilter struct {
	// Family is AF_INET, AF_INET6, or 0 for both. Kernel-side.
	Family uint8
	// Index keeps the addresses of one interface. Kernel-side. (The
	// kernel never flags such a dump when it races with a change; see
	// Handle.Addrs for how ipr catches it.)
	Index int32
	// Scope, if ScopeSet, keeps addresses of that scope. User space: the
	// kernel does not filter address dumps by scope.
	Scope    uint8
	ScopeSet bool
	// Label keeps IPv4 addresses with this label. User space.
	Label string
}

func (f *AddrFilter) keep(a Addr) bool {
	if f == nil {
		return true
	}
	// The kernel-side fields too: without strict checking the kernel
	// ignores them.
	if (f.Family != 0 && a.Family() != f.Family) || (f.Index != 0 && a.Index() != f.Index) {
		return false
	}
	if f.ScopeSet && a.Scope() != f.Scope {
		return false
	}
	if f.Label != "" {
		at, _ := a.get(unix.IFA_LABEL)
		b, _ := at.TextBytes()
		if string(b) != f.Label {
			return false
		}
	}
	return true
}

// Addrs streams the addresses that f selects (every address when f is
// nil). Each Addr is valid until the next iteration; iterating allocates
// nothing per address.
//
// Under concurrent changes (see "Consistency under concurrent changes" in
// the package documentation): the kernel resumes an address dump at a
// position in each interface's list, and flags neither a dump filtered by
// interface nor one that raced with an IPv6 address change, so Addrs
// yields an address at most once, and ends in an error matching
// wire.ErrDumpInterrupted when the kernel flagged the dump, when it sent
// an address twice, or when the kernel had to resume the dump after a
// full datagram and an address of the family was removed while it ran
// (Addrs subscribes to address notifications for the length of the
// dump). Without that error, every address present throughout the dump
// was yielded.
func (h *Handle) Addrs(ctx context.Context, f *AddrFilter) iter.Seq2[Addr, error] {
	return func(yield func(Addr, error) bool) {
		b, ifa := h.newRequest(unix.RTM_GETADDR, unix.NLM_F_DUMP, unix.SizeofIfAddrmsg, 0)
		if ifa != nil && f != nil {
			ifa[0] = f.Family
			native.PutUint32(ifa[4:], uint32(f.Index))
		}
		b.End()
		spec := watchSpec{groups: addrGroups, ngroups: 2, types: [2]uint16{unix.RTM_DELADDR, unix.RTM_DELADDR}}
		if f != nil {
			spec.forFamily(f.Family)
		}
		h.streamAddrs(ctx, b, f, spec, yield)
	}
}

// streamAddrs runs the address dump in b, watched as spec says, and
// yields the addresses f keeps, each once.
func (h *Handle) streamAddrs(ctx context.Context, b *wire.Builder, f *AddrFilter, spec watchSpec, yield func(Addr, error) bool) {
	watch, err := h.watchDump(ctx, "address dump", spec, b)
	if err != nil {
		yield(Addr{}, err)
		return
	}
	defer watch.close()
	seen := getDupSet()
	defer putDupSet(seen)
	if !dumpOf(ctx, h, "address dump", &addrMsgs, b, dumpRun{stats: &watch.stats, idx: &watch.idx}, func(v view[ifaddrmsg], err error) bool {
		if a := (Addr{v}); err != nil || f.keep(a) && !seen.addrSeen(a) {
			return yield(a, err)
		}
		return true
	}) {
		return
	}
	if err := seen.err("address dump"); err != nil {
		yield(Addr{}, err)
		return
	}
	if err := watch.err(ctx, "address dump"); err != nil {
		yield(Addr{}, err)
	}
}

// addrGroups are the groups that report address changes, IPv4 first.
var addrGroups = [2]Group{GroupIPv4Addr, GroupIPv6Addr}

// AddrSpec describes an address to add, replace or delete.
type AddrSpec struct {
	// Index is the interface's index. Required.
	Index int32
	// Prefix is the address and its prefix length: 192.0.2.1/24.
	Prefix netip.Prefix
	// Peer is the remote address of a point-to-point link (IPv4 only),
	// with the prefix length that applies to it.
	Peer netip.Prefix
	// Broadcast is the IPv4 broadcast address, if any.
	Broadcast netip.Addr
	// Label is an IPv4 address label, which iproute2 requires to begin
	// with the interface name.
	Label string
	// Scope is the address scope (RT_SCOPE_*). Zero means iproute2's
	// default: host for loopback addresses, universe otherwise.
	Scope uint8
	// Flags are IFA_F_* flags such as unix.IFA_F_NODAD.
	Flags uint32
	// ValidLifetime and PreferredLifetime are in seconds; both zero means
	// forever, and setting either requires PreferredLifetime <=
	// ValidLifetime.
	ValidLifetime, PreferredLifetime uint32
	// Protocol records who added the address (IFA_PROTO).
	Protocol uint8
	// RoutePriority sets the metric of the prefix route (IFA_RT_PRIORITY).
	RoutePriority uint32
}

func (s *AddrSpec) validate(del bool) error {
	if s.Index <= 0 {
		return fmt.Errorf("invalid interface index %d", s.Index)
	}
	if err := checkPrefix("address", s.Prefix); err != nil {
		return err
	}
	if err := checkPrefix("peer", s.Peer); err != nil {
		return err
	}
	if !s.Prefix.IsValid() {
		return errors.New("no valid address prefix")
	}
	a := s.Prefix.Addr()
	if a.Is4In6() {
		return fmt.Errorf("address %v is IPv4-mapped IPv6; use the IPv4 form", a)
	}
	is4 := a.Is4()
	if s.Peer.IsValid() && s.Peer.Addr().Is4() != is4 {
		return fmt.Errorf("peer %v and address %v differ in family", s.Peer, s.Prefix)
	}
	if s.Broadcast.IsValid() && (!is4 || !s.Broadcast.Is4()) {
		return fmt.Errorf("broadcast %v needs an IPv4 address", s.Broadcast)
	}
	if s.Label != "" && (!is4 || len(s.Label) >= unix.IFNAMSIZ) {
		return fmt.Errorf("label %q: labels are IPv4-only and at most %d bytes", s.Label, unix.IFNAMSIZ-1)
	}
	if !del && (s.ValidLifetime != 0 || s.PreferredLifetime != 0) && s.PreferredLifetime > s.ValidLifetime {
		return fmt.Errorf("preferred lifetime %d exceeds valid lifetime %d", s.PreferredLifetime, s.ValidLifetime)
	}
	return nil
}

// encode writes an RTM_NEWADDR or RTM_DELADDR request for s, laid out as
// iproute2 lays out the same command.
func (s *AddrSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(typ == unix.RTM_DELADDR); err != nil {
		return err
	}
	local := s.Prefix.Addr()
	family := uint8(unix.AF_INET6)
	if local.Is4() {
		family = unix.AF_INET
	}
	ifa := beginMsg(b, typ, flags, unix.SizeofIfAddrmsg, family, s.Index)
	plen := s.Prefix.Bits()
	if s.Peer.IsValid() {
		plen = s.Peer.Bits()
	}
	scope := s.Scope
	if scope == 0 && typ != unix.RTM_DELADDR && local.IsLoopback() {
		scope = unix.RT_SCOPE_HOST
	}
	if ifa != nil {
		ifa[1], ifa[3] = uint8(plen), scope
		if s.Flags <= 0xff {
			ifa[2] = uint8(s.Flags)
		}
	}
	b.Addr(unix.IFA_LOCAL, local)
	if s.Peer.IsValid() {
		b.Addr(unix.IFA_ADDRESS, s.Peer.Addr())
	} else {
		b.Addr(unix.IFA_ADDRESS, local)
	}
	if s.Broadcast.IsValid() {
		b.Addr(unix.IFA_BROADCAST, s.Broadcast)
	}
	if s.Label != "" {
		b.String(unix.IFA_LABEL, s.Label)
	}
	if s.Flags > 0xff {
		b.Uint32(unix.IFA_FLAGS, s.Flags)
	}
	if s.ValidLifetime != 0 || s.PreferredLifetime != 0 {
		var cache [16]byte
		native.PutUint32(cache[0:], s.PreferredLifetime)
		native.PutUint32(cache[4:], s.ValidLifetime)
		b.Binary(unix.IFA_CACHEINFO, cache[:])
	}
	putU32(b, unix.IFA_RT_PRIORITY, s.RoutePriority)
	putU8(b, ifaProto, s.Protocol)
	b.End()
	return nil
}

func (s *AddrSpec) opName(verb string) string { return withPrefix(verb, s.Prefix) }

// The address changes.
var (
	addrAddOp     = change{"address add", unix.RTM_NEWADDR, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	addrReplaceOp = change{"address replace", unix.RTM_NEWADDR, unix.NLM_F_CREATE | unix.NLM_F_REPLACE}
	addrChangeOp  = change{"address change", unix.RTM_NEWADDR, unix.NLM_F_REPLACE}
	addrDelOp     = change{"address del", unix.RTM_DELADDR, 0}
)

// AddrAdd is the request to add an address; it fails with EEXIST if the
// address is already there ("ip address add").
func AddrAdd(s AddrSpec) Request { return &specRequest[AddrSpec, *AddrSpec]{addrAddOp, s} }

// AddrReplace is the request to add an address or update the existing
// one's settings ("ip address replace").
func AddrReplace(s AddrSpec) Request { return &specRequest[AddrSpec, *AddrSpec]{addrReplaceOp, s} }

// AddrChange is the request to update an existing address's settings
// ("ip address change"): AddrReplace without NLM_F_CREATE. Whether the
// kernel then adds a missing address is its own choice (Linux does, for
// IPv4 and IPv6 alike); use AddrReplace to say that it should.
func AddrChange(s AddrSpec) Request { return &specRequest[AddrSpec, *AddrSpec]{addrChangeOp, s} }

// AddrDel is the request to delete an address ("ip address del").
func AddrDel(s AddrSpec) Request { return &specRequest[AddrSpec, *AddrSpec]{addrDelOp, s} }

// AddrAdd adds an address; it fails with EEXIST if it is already there.
func (h *Handle) AddrAdd(ctx context.Context, s AddrSpec) error { return h.Do(ctx, AddrAdd(s)) }

// AddrReplace adds an address or updates the existing one's settings.
func (h *Handle) AddrReplace(ctx context.Context, s AddrSpec) error {
	return h.Do(ctx, AddrReplace(s))
}

// AddrChange updates an existing address's settings (see [AddrChange]).
func (h *Handle) AddrChange(ctx context.Context, s AddrSpec) error {
	return h.Do(ctx, AddrChange(s))
}

// AddrDel deletes an address.
func (h *Handle) AddrDel(ctx context.Context, s AddrSpec) error { return h.Do(ctx, AddrDel(s)) }

// AddrAdd adds an address-add request.
func (bt *Batch) AddrAdd(s AddrSpec) error { return bt.queue(addrAddOp, s.encode) }

// AddrReplace adds an address-replace request.
func (bt *Batch) AddrReplace(s AddrSpec) error { return bt.queue(addrReplaceOp, s.encode) }

// AddrChange adds an address-change request.
func (bt *Batch) AddrChange(s AddrSpec) error { return bt.queue(addrChangeOp, s.encode) }

// AddrDel adds an address-delete request.
func (bt *Batch) AddrDel(s AddrSpec) error { return bt.queue(addrDelOp, s.encode) }

// AddrFlush deletes every address f selects, in one pipelined batch, and
// returns how many it deleted. Deleting a primary IPv4 address can take
// its secondaries with it; those are not errors.
func (h *Handle) AddrFlush(ctx context.Context, f *AddrFilter) (int, error) {
	var specs []AddrSpec
	for a, err := range h.Addrs(ctx, f) {
		if err != nil {
			return 0, err
		}
		specs = append(specs, AddrSpec{Index: a.Index(), Prefix: netip.PrefixFrom(a.IP(), a.PrefixLen()), Peer: peerPrefix(a)})
	}
	if len(specs) == 0 {
		return 0, nil
	}
	bt := h.NewBatch()
	for i := range specs {
		if err := bt.AddrDel(specs[i]); err != nil {
			return 0, err
		}
	}
	results, err := bt.Run(ctx)
	n := 0
	for _, r := range results {
		if r == nil || errors.Is(r, unix.EADDRNOTAVAIL) {
			n++
		}
	}
	if err != nil {
		var failed error
		for _, r := range results {
			if r != nil && !errors.Is(r, unix.EADDRNOTAVAIL) {
				failed = r
				break
			}
		}
		if failed != nil {
			return n, failed
		}
	}
	return n, nil
}

func peerPrefix(a Addr) netip.Prefix {
	if p := a.Peer(); p.IsValid() {
		return netip.PrefixFrom(p, a.PrefixLen())
	}
	return netip.Prefix{}
}
