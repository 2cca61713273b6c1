package rtm

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The payloads iproute2 6.1 sends, as strace -xx showed them, with the
// device at index 4: "ip stats set dev v0 l3_stats on" (RTM_SETSTATS) and
// "ip stats show dev v0 group offload subgroup cpu_hit" (RTM_GETSTATS
// with IFLA_STATS_GET_FILTERS). Little-endian.
var (
	ipStatsSetL3On    = []byte("\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x05\x00\x02\x00\x01\x00\x00\x00")
	ipStatsGetCPUHit  = []byte("\x00\x00\x00\x00\x04\x00\x00\x00\x08\x00\x00\x00\x0c\x00\x01\x80\x08\x00\x04\x00\x01\x00\x00\x00")
	ipStatsGetLinkAll = []byte("\x00\x00\x00\x00\x04\x00\x00\x00\x01\x00\x00\x00")
)

func TestStatsRequestsMatchIproute2(t *testing.T) {
	golden.LittleEndianOnly(t, "the iproute2 capture is")
	var b wire.Builder
	if err := LinkStatsL3Set(4, true).AppendTo(&rtnl.Req{B: &b}); err != nil {
		t.Fatal(err)
	}
	m, _, _, err := wire.Next(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Type != unix.RTM_SETSTATS || m.Header.Flags != unix.NLM_F_REQUEST|unix.NLM_F_ACK || !bytes.Equal(m.Data, ipStatsSetL3On) {
		t.Errorf("set: type %d flags %#x % x, iproute2 % x", m.Header.Type, m.Header.Flags, m.Data, ipStatsSetL3On)
	}

	h := &Handle{}
	for _, c := range []struct {
		f    *StatsFilter
		want []byte
	}{
		{&StatsFilter{Mask: StatsOffloadXstats, Offload: StatsOffloadCPUHit}, ipStatsGetCPUHit},
		{nil, ipStatsGetLinkAll},
	} {
		sb, err := h.statsRequest(0, 4, c.f)
		if err != nil {
			t.Fatal(err)
		}
		m, _, _, err := wire.Next(sb.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Type != unix.RTM_GETSTATS || !bytes.Equal(m.Data, c.want) {
			t.Errorf("get %+v: % x, iproute2 % x", c.f, m.Data, c.want)
		}
	}
}

func TestStatsRequestsRefuseBadInput(t *testing.T) {
	var b wire.Builder
	if err := LinkStatsL3Set(0, true).AppendTo(&rtnl.Req{B: &b}); err == nil || b.Len() != 0 {
		t.Errorf("index 0: err %v, %d bytes", err, b.Len())
	}
	h := &Handle{}
	if _, err := h.statsRequest(0, 1, &StatsFilter{Offload: 1 << 7}); err == nil {
		t.Error("unknown offload member accepted")
	}
}

// TestLinkStatsMPLS decodes an IFLA_STATS_AF_SPEC nest as a kernel with
// MPLS routing sends it (this one has none), and a truncated one.
func TestLinkStatsMPLS(t *testing.T) {
	counters := make([]byte, 72)
	for i := range 9 {
		binary.NativeEndian.PutUint64(counters[8*i:], uint64(i+1))
	}
	msg := func(c []byte) []byte {
		var b wire.Builder
		b.Begin(unix.RTM_NEWSTATS, 0)
		hdr := b.Fixed(sizeofIfStatsMsg)
		binary.NativeEndian.PutUint32(hdr[4:], 7)
		binary.NativeEndian.PutUint32(hdr[8:], StatsAFSpec)
		af := b.BeginNest(iflaStatsAFSpec)
		mpls := b.BeginNest(unix.AF_MPLS)
		b.Binary(mplsStatsLink, c)
		b.EndNest(mpls)
		b.EndNest(af)
		b.End()
		m, _, _, err := wire.Next(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return m.Data
	}
	s, err := LinkStatsFromBytes(msg(counters))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := s.MPLS()
	if want := (MPLSLinkStats{1, 2, 3, 4, 5, 6, 7, 8, 9}); !ok || m != want {
		t.Errorf("MPLS() = %+v, %v; want %+v", m, ok, want)
	}
	s, err = LinkStatsFromBytes(msg(counters[:20]))
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := s.MPLS(); !ok || m != (MPLSLinkStats{RxPackets: 1, TxPackets: 2}) {
		t.Errorf("short: %+v, %v", m, ok)
	}
	if _, ok := (LinkStats{}).MPLS(); ok {
		t.Error("zero LinkStats has MPLS counters")
	}
}

// TestBond3ADCountersFromZero decodes 802.3ad counters as the kernel
// numbers them: BOND_3AD_STAT_LACPDU_RX is attribute type 0.
func TestBond3ADCountersFromZero(t *testing.T) {
	var b wire.Builder
	b.Begin(unix.RTM_NEWSTATS, 0)
	hdr := b.Fixed(sizeofIfStatsMsg)
	binary.NativeEndian.PutUint32(hdr[4:], 7)
	x := b.BeginNest(iflaStatsLinkXstats)
	bond := b.BeginNest(linkXstatsBond)
	lacp := b.BeginNest(bondXstats3AD)
	for i := range uint16(9) {
		b.Uint64(i, uint64(i+1))
	}
	b.EndNest(lacp)
	b.EndNest(bond)
	b.EndNest(x)
	b.End()
	s := builtView(t, &b, LinkStatsFromBytes)
	got, ok := s.Bond3AD(false)
	if want := (Bond3ADStats{1, 2, 3, 4, 5, 6, 7, 8, 9}); !ok || got != want {
		t.Errorf("Bond3AD = %+v, %v; want %+v", got, ok, want)
	}
}

// TestLinkStatsXstatsReaders decodes the bridge suites (two VLANs,
// multicast, STP) of a device and of a port, and checks that none of the
// typed readers allocates.
func TestLinkStatsXstatsReaders(t *testing.T) {
	u64s := func(first uint64, n int) []byte {
		var d []byte
		for i := range n {
			d = binary.NativeEndian.AppendUint64(d, first+uint64(i))
		}
		return d
	}
	var b wire.Builder
	b.Begin(unix.RTM_NEWSTATS, 0)
	hdr := b.Fixed(sizeofIfStatsMsg)
	binary.NativeEndian.PutUint32(hdr[4:], 7)
	for _, g := range []uint16{iflaStatsLinkXstats, iflaStatsXstatsSlave} {
		x := b.BeginNest(g)
		br := b.BeginNest(linkXstatsBridge)
		for vid := uint16(10); vid <= 20; vid += 10 {
			v := u64s(uint64(vid), 4)
			v = binary.NativeEndian.AppendUint16(v, vid)
			b.Binary(bridgeXstatsVLAN, append(v, 0, 0, 0, 0, 0, 0))
		}
		b.Binary(bridgeXstatsMcast, u64s(100*uint64(g), 32))
		b.Binary(bridgeXstatsSTP, u64s(uint64(g), 6))
		b.EndNest(br)
		b.EndNest(x)
	}
	b.End()
	s := builtView(t, &b, LinkStatsFromBytes)
	for _, slave := range []bool{false, true} {
		g := uint64(iflaStatsLinkXstats)
		if slave {
			g = iflaStatsXstatsSlave
		}
		if st, ok := s.BridgeSTP(slave); !ok || st != (BridgeSTPStats{g, g + 1, g + 2, g + 3, g + 4, g + 5}) {
			t.Errorf("BridgeSTP(%v) = %+v, %v", slave, st, ok)
		}
		m, ok := s.BridgeMcast(slave)
		if !ok || m.IGMPv1Queries != [2]uint64{100 * g, 100*g + 1} || m.IGMPParseErrors != 100*g+14 ||
			m.MLDParseErrors != 100*g+25 || m.McastPackets != [2]uint64{100*g + 28, 100*g + 29} {
			t.Errorf("BridgeMcast(%v) = %+v, %v", slave, m, ok)
		}
		var vids []uint16
		for v := range s.BridgeVLANs(slave) {
			vids = append(vids, v.VID)
			if v.RxBytes != uint64(v.VID) || v.TxPackets != uint64(v.VID)+3 {
				t.Errorf("VLAN %+v", v)
			}
		}
		if len(vids) != 2 || vids[0] != 10 || vids[1] != 20 {
			t.Errorf("BridgeVLANs(%v): %v", slave, vids)
		}
	}
	var sink uint64
	if n := testing.AllocsPerRun(50, func() {
		for _, slave := range []bool{false, true} {
			st, _ := s.BridgeSTP(slave)
			m, _ := s.BridgeMcast(slave)
			bo, _ := s.Bond3AD(slave)
			for v := range s.BridgeVLANs(slave) {
				sink += v.RxBytes
			}
			sink += st.RxBPDU + m.McastBytes[0] + bo.LACPDURx
		}
		mp, _ := s.MPLS()
		sink += mp.RxPackets
	}); n != 0 {
		t.Errorf("the readers allocate %v times", n)
	}
	_ = sink
}
