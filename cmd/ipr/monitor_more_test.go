package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// monitorEvents builds a file of the notifications that ip monitor
// prints with its mroute, prefix and stats printers, as the kernel sends
// them (multicast routes need a routing daemon, prefixes a router, so
// they are built here), with the variants each printer treats apart:
// deletions, missing attributes, wrong families and types.
func monitorEvents(t *testing.T, lo int32) []byte {
	var b wire.Builder
	u32 := func(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
	mroute := func(typ uint16, family, rtType uint8, iif int32, withStats bool) {
		b.Begin(typ, 0)
		rt := b.Fixed(unix.SizeofRtMsg)
		rt[0], rt[1], rt[2], rt[4], rt[5], rt[7] = family, 32, 32, unix.RT_TABLE_DEFAULT, 17, rtType
		b.Uint32(unix.RTA_TABLE, unix.RT_TABLE_DEFAULT)
		if family == rtnlFamilyIPMR {
			b.Binary(unix.RTA_SRC, []byte{10, 0, 0, 1})
			b.Binary(unix.RTA_DST, []byte{239, 1, 2, 3})
		} else {
			b.Binary(unix.RTA_SRC, []byte{0x20, 1, 0xd, 0xb8, 15: 1})
			b.Binary(unix.RTA_DST, []byte{0xff, 0x0e, 15: 5})
		}
		b.Uint32(unix.RTA_IIF, uint32(iif))
		// Two outgoing interfaces: struct rtnexthop, hops is the TTL.
		var mp []byte
		for _, o := range [][2]int32{{lo, 1}, {lo, 4}} {
			mp = binary.NativeEndian.AppendUint16(mp, 8)
			mp = append(mp, 0, byte(o[1]))
			mp = binary.NativeEndian.AppendUint32(mp, uint32(o[0]))
		}
		b.Binary(unix.RTA_MULTIPATH, mp)
		if withStats {
			st := binary.NativeEndian.AppendUint64(nil, 12)
			st = binary.NativeEndian.AppendUint64(st, 3400)
			st = binary.NativeEndian.AppendUint64(st, 2)
			b.Binary(unix.RTA_MFC_STATS, st)
			b.Uint64(unix.RTA_EXPIRES, 1234)
		}
		b.End()
	}
	prefix := func(family, ndType, plen, flags uint8, addr []byte, cache bool) {
		b.Begin(unix.RTM_NEWPREFIX, 0)
		h := b.Fixed(sizeofPrefixMsg)
		h[0] = family
		binary.NativeEndian.PutUint32(h[4:], uint32(lo))
		h[8], h[9], h[10] = ndType, plen, flags
		if addr != nil {
			b.Binary(prefixAddress, addr)
		}
		if cache {
			b.Binary(prefixCacheinfo, append(u32(604800), u32(2592000)...))
		}
		b.End()
	}
	stats := func(request, used byte, withUsed bool) {
		b.Begin(unix.RTM_NEWSTATS, 0)
		h := b.Fixed(12)
		binary.NativeEndian.PutUint32(h[4:], uint32(lo))
		binary.NativeEndian.PutUint32(h[8:], 1<<3)
		// The kernel's nests carry no NLA_F_NESTED here, and ip's
		// parser would not see them if they did.
		l3 := rawnl.Attr(1, []byte{request})
		if withUsed {
			l3 = append(l3, rawnl.Attr(2, []byte{used})...)
		}
		b.Binary(4, rawnl.Attr(2, rawnl.Attr(3, l3)))
		b.End()
	}
	a6 := []byte{0x20, 1, 0xd, 0xb8, 0, 1, 15: 0}
	mroute(unix.RTM_NEWROUTE, rtnlFamilyIPMR, unix.RTN_MULTICAST, lo, true)
	mroute(unix.RTM_DELROUTE, rtnlFamilyIPMR, unix.RTN_MULTICAST, lo, false)
	mroute(unix.RTM_NEWROUTE, rtnlFamilyIP6MR, unix.RTN_MULTICAST, 0, true)
	mroute(unix.RTM_NEWROUTE, rtnlFamilyIPMR, unix.RTN_UNICAST, lo, false)
	prefix(unix.AF_INET6, 3, 64, ifPrefixOnlink|ifPrefixAutoconf, a6, true)
	prefix(unix.AF_INET6, 3, 48, 0, a6, false)
	prefix(unix.AF_INET6, 3, 64, ifPrefixAutoconf, nil, true)
	prefix(unix.AF_INET, 3, 24, 0, []byte{10, 0, 0, 0}, false)
	prefix(unix.AF_INET6, 4, 64, 0, a6, false)
	stats(1, 0, true)
	stats(0, 0, false)
	stats(1, 1, true)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMonitorMroutePrefixStatsMatchIP prints multicast route, prefix and
// statistics notifications from a file with ip and ipr, with the options
// that change them.
func TestMonitorMroutePrefixStatsMatchIP(t *testing.T) {
	ns := nstest.New(t)
	file := filepath.Join(t.TempDir(), "events")
	if err := os.WriteFile(file, monitorEvents(t, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"monitor", "file", file}, {"monitor", "file", file, "label"}, {"-s", "monitor", "file", file, "all"},
		{"-d", "-s", "monitor", "file", file}, {"-4", "monitor", "file", file, "label"},
		{"monitor", "file", file, "dev", "lo"}, {"monitor", "mroute", "prefix", "stats", "file", file},
	} {
		sameAsIP(t, ns, nil, args...)
	}
}
