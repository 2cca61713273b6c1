package rtm

import (
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// fdbMessage returns the payload of an FDB entry of port 3 for MAC
// 02:00:00:00:00:01 with remote dst and cache info that varies with age.
func fdbMessage(t *testing.T, dst netip.Addr, age uint32) Neigh {
	t.Helper()
	var b wire.Builder
	b.Begin(unix.RTM_NEWNEIGH, 0)
	nd := b.Fixed(unix.SizeofNdMsg)
	nd[0] = unix.AF_BRIDGE
	native.PutUint32(nd[4:], 3)
	nd[10] = unix.NTF_SELF
	b.Binary(unix.NDA_LLADDR, []byte{2, 0, 0, 0, 0, 1})
	b.Addr(unix.NDA_DST, dst)
	var ci [16]byte
	native.PutUint32(ci[:], age)
	b.Binary(unix.NDA_CACHEINFO, ci[:])
	b.End()
	return builtView(t, &b, NeighFromBytes)
}

// TestDupSetFDB checks that FDB identities tell a VXLAN device's remotes
// apart (one message each) but not two reports of one entry that aged
// in between.
func TestDupSetFDB(t *testing.T) {
	s := getDupSet()
	defer putDupSet(s)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	if s.fdbSeen(fdbMessage(t, a, 1)) || s.fdbSeen(fdbMessage(t, b, 1)) {
		t.Fatal("two remotes of one entry taken for one")
	}
	if s.err("fdb dump") != nil {
		t.Fatal("interrupted without a repeat")
	}
	if !s.fdbSeen(fdbMessage(t, a, 7)) {
		t.Fatal("an entry sent again after aging not recognised")
	}
	if err := s.err("fdb dump"); err == nil {
		t.Fatal("a repeat does not interrupt the dump")
	}
}

// TestDupSetAddr checks that address identities include the prefix
// length and the peer, which the kernel allows to differ on one local
// address.
func TestDupSetAddr(t *testing.T) {
	msg := func(plen uint8, peer string) Addr {
		var b wire.Builder
		b.Begin(unix.RTM_NEWADDR, 0)
		ifa := b.Fixed(unix.SizeofIfAddrmsg)
		ifa[0], ifa[1] = unix.AF_INET, plen
		native.PutUint32(ifa[4:], 2)
		b.Addr(unix.IFA_LOCAL, netip.MustParseAddr("10.0.0.1"))
		b.Addr(unix.IFA_ADDRESS, netip.MustParseAddr(peer))
		b.End()
		return builtView(t, &b, AddrFromBytes)
	}
	s := getDupSet()
	defer putDupSet(s)
	for _, a := range []Addr{msg(24, "10.0.0.1"), msg(32, "10.0.0.1"), msg(32, "10.0.0.2")} {
		if s.addrSeen(a) {
			t.Fatalf("%v peer %v taken for an earlier address", a.Prefix(), a.Address())
		}
	}
	if !s.addrSeen(msg(24, "10.0.0.1")) {
		t.Fatal("a repeated address not recognised")
	}
}

// TestDupSetRoute checks that routes to one destination differing in
// metric are told apart, that one sent again after aging is recognised,
// and that only the current destination's routes are remembered.
func TestDupSetRoute(t *testing.T) {
	msg := func(dst string, metric, expires uint32) Route {
		var b wire.Builder
		b.Begin(unix.RTM_NEWROUTE, 0)
		rt := b.Fixed(unix.SizeofRtMsg)
		p := netip.MustParsePrefix(dst)
		rt[0], rt[1], rt[4] = unix.AF_INET6, uint8(p.Bits()), unix.RT_TABLE_MAIN
		b.Uint32(unix.RTA_TABLE, unix.RT_TABLE_MAIN)
		b.Addr(unix.RTA_DST, p.Addr())
		b.Uint32(unix.RTA_PRIORITY, metric)
		b.Uint32(unix.RTA_EXPIRES, expires)
		b.End()
		return builtView(t, &b, RouteFromBytes)
	}
	s := getDupSet()
	defer putDupSet(s)
	seen := func(r Route) bool {
		table, dst := r.tableAndDst()
		return s.routeSeen(r, table, dst)
	}
	for _, r := range []Route{msg("2001:db8::/64", 100, 9), msg("2001:db8::/64", 200, 9), msg("2001:db8::/48", 100, 9)} {
		if seen(r) {
			t.Fatalf("%v metric %d taken for an earlier route", r.Dst(), r.Priority())
		}
	}
	if !seen(msg("2001:db8::/64", 200, 8)) {
		t.Fatal("a repeated route not recognised")
	}
	if seen(msg("2001:db8:1::/64", 100, 9)) || seen(msg("2001:db8::/64", 100, 9)) {
		t.Fatal("a route after another destination's taken for a repeat")
	}
}

// TestRouteTableAndDst checks the dump's one scan against the accessors:
// the table from RTA_TABLE, else from the header, and the destination.
func TestRouteTableAndDst(t *testing.T) {
	for _, c := range []struct {
		name  string
		attrs func(b *wire.Builder)
	}{
		{"table and dst", func(b *wire.Builder) {
			b.Uint32(unix.RTA_TABLE, 1000)
			b.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0"))
		}},
		{"dst first", func(b *wire.Builder) {
			b.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0"))
			b.Uint32(unix.RTA_TABLE, 1000)
		}},
		{"no table attribute", func(b *wire.Builder) { b.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0")) }},
		{"short table attribute", func(b *wire.Builder) { b.Uint16(unix.RTA_TABLE, 7) }},
		{"nothing", func(b *wire.Builder) {}},
	} {
		var b wire.Builder
		b.Begin(unix.RTM_NEWROUTE, 0)
		rt := b.Fixed(unix.SizeofRtMsg)
		rt[0], rt[1], rt[4] = unix.AF_INET, 16, unix.RT_TABLE_MAIN
		c.attrs(&b)
		b.End()
		r := builtView(t, &b, RouteFromBytes)
		table, dst := r.tableAndDst()
		want, _ := r.get(unix.RTA_DST)
		if table != r.Table() || string(dst.Data) != string(want.Data) {
			t.Errorf("%s: table %d, dst %x; Table() %d, RTA_DST %x", c.name, table, dst.Data, r.Table(), want.Data)
		}
	}
}
