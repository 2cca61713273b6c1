package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// vfTest is one VF of a fake physical function, as the kernel's
// rtnl_fill_vfinfo reports it.
type vfTest struct {
	num, vlan, qos             uint32
	proto                      uint16 // the VLAN list's protocol; 0 for a kernel without IFLA_VF_VLAN_LIST
	txRate, minTx, maxTx       uint32
	noRate, noBroadcast        bool
	spoofchk, trust, rss, link uint32
	stats                      []uint64 // IFLA_VF_STATS_RX_PACKETS.. in order, PAD skipped; nil for none
	guids                      bool     // IB node and port GUIDs
}

// vfTestLink is a physical function: its ARPHRD type, name, number of VFs
// (IFLA_NUM_VF; 0 for none) and VFs.
type vfTestLink struct {
	index  uint32
	arphrd uint16
	name   string
	numVF  uint32
	vfs    []vfTest
}

// vfTestLinks are the links the VF listings are compared on: a current
// kernel's Ethernet PF with two VFs (VLAN lists, rates, every setting on
// and off, counters with and without the dropped ones), an older
// kernel's (one VLAN, settings not reported, no counters), an InfiniBand
// PF (20-byte addresses, GUIDs) and a link with a VF list but no
// IFLA_NUM_VF, which ip ignores.
var vfTestLinks = []vfTestLink{
	{index: 10, arphrd: unix.ARPHRD_ETHER, name: "pf0", numVF: 2, vfs: []vfTest{
		{num: 0, vlan: 100, qos: 3, proto: unix.ETH_P_8021Q, spoofchk: 1, link: unix.IFLA_VF_LINK_STATE_AUTO,
			stats: []uint64{1001, 2002, 300003, 400004, 5, 6, 7, 8}},
		{num: 1, vlan: 200, proto: unix.ETH_P_8021AD, txRate: 100, minTx: 10, maxTx: 100, trust: 1, rss: 1,
			link: unix.IFLA_VF_LINK_STATE_DISABLE, stats: []uint64{123456789, 98765432, 123456789012, 9876543210987, 77777, 88888}},
	}},
	{index: 11, arphrd: unix.ARPHRD_ETHER, name: "pf1", numVF: 1, vfs: []vfTest{
		{num: 0, vlan: 5, qos: 1, noRate: true, noBroadcast: true, spoofchk: vfSettingUnset, trust: vfSettingUnset,
			rss: vfSettingUnset, link: unix.IFLA_VF_LINK_STATE_ENABLE},
	}},
	{index: 12, arphrd: unix.ARPHRD_INFINIBAND, name: "ib0", numVF: 1, vfs: []vfTest{
		{num: 0, proto: unix.ETH_P_8021Q, guids: true, spoofchk: 0, link: unix.IFLA_VF_LINK_STATE_AUTO,
			stats: []uint64{0, 0, 0, 0, 0, 0, 0, 0}},
	}},
	{index: 13, arphrd: unix.ARPHRD_ETHER, name: "pf3", vfs: []vfTest{{num: 0, link: unix.IFLA_VF_LINK_STATE_AUTO}}},
}

// message is the link's RTM_NEWLINK.
func (l vfTestLink) message() []byte {
	u32 := func(v ...uint32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.NativeEndian.AppendUint32(b, x)
		}
		return b
	}
	alen := vfAddrLen(l.arphrd)
	addr := func(last byte) []byte {
		b := make([]byte, alen)
		for i := range b {
			b[i] = byte(i * 0x11)
		}
		b[0], b[alen-1] = 2, last
		return b
	}
	p := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint16(p[2:], l.arphrd)
	binary.NativeEndian.PutUint32(p[4:], l.index)
	binary.NativeEndian.PutUint32(p[8:], unix.IFF_UP|unix.IFF_BROADCAST|unix.IFF_MULTICAST|unix.IFF_RUNNING|unix.IFF_LOWER_UP)
	p = appendAttr(p, unix.IFLA_IFNAME, append([]byte(l.name), 0))
	p = appendAttr(p, unix.IFLA_TXQLEN, u32(1000))
	p = appendAttr(p, unix.IFLA_OPERSTATE, []byte{6})
	p = appendAttr(p, unix.IFLA_LINKMODE, []byte{0})
	p = appendAttr(p, unix.IFLA_MTU, u32(1500))
	p = appendAttr(p, unix.IFLA_GROUP, u32(0))
	p = appendAttr(p, unix.IFLA_ADDRESS, addr(byte(l.index)))
	p = appendAttr(p, unix.IFLA_BROADCAST, bytes.Repeat([]byte{0xff}, alen))
	var stats []byte
	for i := range uint64(24) {
		stats = binary.NativeEndian.AppendUint64(stats, (i+1)*uint64(l.index))
	}
	p = appendAttr(p, unix.IFLA_STATS64, stats)
	if l.numVF != 0 {
		p = appendAttr(p, unix.IFLA_NUM_VF, u32(l.numVF))
	}
	var list []byte
	for _, vf := range l.vfs {
		mac := make([]byte, 32)
		copy(mac, addr(0x80+byte(vf.num)))
		info := appendAttr(nil, unix.IFLA_VF_MAC, append(u32(vf.num), mac...))
		if !vf.noBroadcast {
			info = appendAttr(info, unix.IFLA_VF_BROADCAST, append(bytes.Repeat([]byte{0xff}, alen), make([]byte, 32-alen)...))
		}
		info = appendAttr(info, unix.IFLA_VF_VLAN, u32(vf.num, vf.vlan, vf.qos))
		info = appendAttr(info, unix.IFLA_VF_TX_RATE, u32(vf.num, vf.txRate))
		if !vf.noRate {
			info = appendAttr(info, unix.IFLA_VF_RATE, u32(vf.num, vf.minTx, vf.maxTx))
		}
		info = appendAttr(info, unix.IFLA_VF_SPOOFCHK, u32(vf.num, vf.spoofchk))
		info = appendAttr(info, unix.IFLA_VF_LINK_STATE, u32(vf.num, vf.link))
		info = appendAttr(info, unix.IFLA_VF_RSS_QUERY_EN, u32(vf.num, vf.rss))
		info = appendAttr(info, unix.IFLA_VF_TRUST, u32(vf.num, vf.trust))
		if vf.proto != 0 {
			vlan := append(u32(vf.num, vf.vlan, vf.qos), byte(vf.proto>>8), byte(vf.proto), 0, 0)
			info = appendAttr(info, unix.IFLA_VF_VLAN_LIST, appendAttr(nil, unix.IFLA_VF_VLAN_INFO, vlan))
		}
		if vf.guids {
			// struct ifla_vf_guid as x86-64 lays it out: the GUID after
			// 4 bytes of padding.
			info = appendAttr(info, unix.IFLA_VF_IB_NODE_GUID, binary.NativeEndian.AppendUint64(u32(vf.num, 0), 0x0011223344556677))
			info = appendAttr(info, unix.IFLA_VF_IB_PORT_GUID, binary.NativeEndian.AppendUint64(u32(vf.num, 0), 0x8899aabbccddeeff))
		}
		if vf.stats != nil {
			var s []byte
			for i, v := range vf.stats {
				t := uint16(i)
				if t >= unix.IFLA_VF_STATS_PAD {
					t++
				}
				s = appendAttr(s, t, binary.NativeEndian.AppendUint64(nil, v))
			}
			info = appendAttr(info, unix.IFLA_VF_STATS, s)
		}
		list = appendAttr(list, unix.IFLA_VF_INFO, info)
	}
	p = appendAttr(p, unix.IFLA_VFINFO_LIST, list)
	return nltest.Message(unix.RTM_NEWLINK, p)
}

// vfGoldenCommands are the command lines compared.
var vfGoldenCommands = []string{
	"link show", "-d link show", "-o link show", "-s link show", "-s -s link show", "-h -s link show",
	"-iec -h -s link show dev pf0", "-j link show", "-j -s link show", "-j -p -s -d link show dev ib0",
	"-d addr show", "-s -d addr show", "-j -s -d addr show", "-br link show",
}

// TestLinkVFPrintAsIP prints links with SR-IOV VFs, which this kernel
// cannot have, with ipr through nltest's fake kernel and compares with
// what ip 6.1 printed for the same messages under the fakertnl shim
// (testdata/linkvfprint.txt; IPR_LINKVF_WRITE=1 rewrites it, with gcc
// and ip).
func TestLinkVFPrintAsIP(t *testing.T) {
	if binaryNativeIsBigEndian() {
		t.Skip("the golden is little-endian")
	}
	var msgs [][]byte
	for _, l := range vfTestLinks {
		msgs = append(msgs, l.message())
	}
	golden := filepath.Join("testdata", "linkvfprint.txt")
	if os.Getenv("IPR_LINKVF_WRITE") != "" {
		dir := t.TempDir()
		so := filepath.Join(dir, "fakertnl.so")
		if out, err := exec.Command("gcc", "-shared", "-fPIC", "-o", so, "../../scripts/fakertnl/fakertnl.c").CombinedOutput(); err != nil {
			t.Fatalf("gcc: %v\n%s", err, out)
		}
		var hexes []string
		for _, m := range msgs {
			hexes = append(hexes, hex.EncodeToString(m))
		}
		replies := filepath.Join(dir, "msgs")
		if err := os.WriteFile(replies, []byte(strings.Join(hexes, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, cmd := range vfGoldenCommands {
			c := exec.Command("ip", strings.Fields(cmd)...)
			c.Env = append(os.Environ(), "LD_PRELOAD="+so, "FAKERTNL_REPLIES="+replies)
			out, err := c.Output()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			b.WriteString("=== " + cmd + " exit " + strconv.Itoa(code) + " bytes " + strconv.Itoa(len(out)) + "\n")
			b.Write(out)
			b.WriteString("\n")
		}
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goldens, err := readLinkGoldens(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { transport = nil }()
	fake := nltest.NewRTNL()
	fake.Handle(unix.RTM_GETLINK, func(req wire.Message) ([][]byte, error) {
		if req.Header.Flags&unix.NLM_F_DUMP != 0 {
			var out [][]byte
			for _, m := range msgs {
				out = append(out, append([]byte(nil), m...))
			}
			return out, nil
		}
		index := binary.NativeEndian.Uint32(req.Data[4:])
		name := ""
		if a, ok := nla.Chain(req.Data[unix.SizeofIfInfomsg:]).Get(unix.IFLA_IFNAME); ok {
			name = strings.TrimRight(string(a.Data), "\x00")
		}
		for i, l := range vfTestLinks {
			if l.index == index || name == l.name {
				return [][]byte{append([]byte(nil), msgs[i]...)}, nil
			}
		}
		return nil, unix.ENODEV
	})
	transport = fake.Dial
	for _, g := range goldens {
		out, errs, code := iprIn(nil, "", strings.Fields(g.opts)...)
		if code != g.code || out != g.stdout {
			t.Errorf("ipr %s: exit %d (ip %d), stderr %q\nipr:\n%s\nip:\n%s", g.opts, code, g.code, errs, out, g.stdout)
		}
	}
	if len(goldens) != len(vfGoldenCommands) {
		t.Errorf("%d goldens for %d commands: rewrite them", len(goldens), len(vfGoldenCommands))
	}
}
