package rtm

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// goldenCase is one request captured from iproute2 by scripts/golden.sh.
type goldenCase struct {
	file, name, cmd string
	links           map[string]int32
	req             []byte
}

// readGolden reads every case in testdata/golden (format documented in
// scripts/golden.sh).
func readGolden(t *testing.T) []goldenCase { return readGoldenFiles(t, "testdata/golden/*.txt") }

// readGoldenFiles reads every case in the files pattern matches.
func readGoldenFiles(t *testing.T, pattern string) []goldenCase {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var cases []goldenCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			key, val, _ := strings.Cut(line, " ")
			switch key {
			case "case":
				cases = append(cases, goldenCase{file: filepath.Base(f), name: val, links: map[string]int32{}})
				continue
			}
			if len(cases) == 0 {
				t.Fatalf("%s: %q before any case", f, line)
			}
			c := &cases[len(cases)-1]
			switch key {
			case "setup":
			case "links":
				for _, kv := range strings.Fields(val) {
					name, idx, _ := strings.Cut(kv, "=")
					n, err := strconv.Atoi(idx)
					if err != nil {
						t.Fatalf("%s: case %s: links %q", f, c.name, kv)
					}
					c.links[name] = int32(n)
				}
			case "cmd":
				c.cmd = val
			case "req":
				if c.req, err = hex.DecodeString(val); err != nil {
					t.Fatalf("%s: case %s: %v", f, c.name, err)
				}
			default:
				t.Fatalf("%s: unknown line %q", f, line)
			}
		}
	}
	return cases
}

// goldenEnc builds a request the way a Handle method would.
type goldenEnc struct {
	b     wire.Builder
	links map[string]int32
	t     *testing.T
}

func (g *goldenEnc) idx(name string) int32 {
	i, ok := g.links[name]
	if !ok {
		g.t.Fatalf("no link %q in the capture's namespace", name)
	}
	return i
}

func (g *goldenEnc) link(typ, flags uint16, s LinkSpec) error {
	c := linkCtx{b: &g.b, create: flags&unix.NLM_F_CREATE != 0}
	defer c.close()
	return encodeLink(&c, typ, flags, &s)
}

func (g *goldenEnc) add(s LinkSpec) error {
	return g.link(unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL, s)
}
func (g *goldenEnc) set(s LinkSpec) error { return g.link(unix.RTM_NEWLINK, 0, s) }

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

var ip = netip.MustParseAddr

// goldenSpecs gives, for each captured case, the rtm call that must send
// the same request.
var goldenSpecs = map[string]func(g *goldenEnc) error{
	// link.txt
	"add-veth": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "veth0", Kind: &Veth{Peer: &LinkSpec{Name: "veth1"}}})
	},
	"add-veth-nopeer": func(g *goldenEnc) error { return g.add(LinkSpec{Name: "veth0", Kind: &Veth{}}) },
	"add-veth-generic": func(g *goldenEnc) error {
		return g.add(LinkSpec{
			Name: "veth0", Up: Some(true), Address: mac("02:00:00:00:00:01"), Broadcast: mac("ff:ff:ff:ff:ff:fe"),
			TxQueueLen: Some[uint32](0), MTU: 1400, Promisc: Some(true), ARP: Some(false),
			NumTxQueues: 4, NumRxQueues: 2, Group: Some[uint32](0),
			Kind: &Veth{Peer: &LinkSpec{Name: "veth1", Address: mac("02:00:00:00:00:02"), TxQueueLen: Some[uint32](7), MTU: 1300}},
		})
	},
	"add-veth-groups": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "veth0", Group: Some[uint32](3), Kind: &Veth{Peer: &LinkSpec{
			Name: "veth1", MTU: 1300, Group: Some[uint32](4), Alias: Some("peer")}}})
	},
	"add-veth-index": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "veth0", Index: 42, Kind: &Veth{Peer: &LinkSpec{Name: "veth1", Index: 43}}})
	},
	"add-veth-peer-netns": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "veth0", Kind: &Veth{Peer: &LinkSpec{Name: "veth1", Netns: NetnsByPID(999999)}}})
	},
	"replace-veth": func(g *goldenEnc) error {
		return g.link(unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_REPLACE,
			LinkSpec{Name: "veth0", MTU: 1400, Kind: &Veth{Peer: &LinkSpec{Name: "veth1"}}})
	},
	"set-up":   func(g *goldenEnc) error { return g.set(LinkSpec{Index: g.idx("p0"), Up: Some(true)}) },
	"set-down": func(g *goldenEnc) error { return g.set(LinkSpec{Index: g.idx("p0"), Up: Some(false)}) },
	"set-generic": func(g *goldenEnc) error {
		return g.set(LinkSpec{
			Index: g.idx("p0"), Up: Some(false), Address: mac("02:00:00:00:00:09"), TxQueueLen: Some[uint32](77),
			MTU: 1280, Promisc: Some(false), ARP: Some(true), Multicast: Some(false), AllMulticast: Some(true),
			Master: Some(g.idx("br0")), Group: Some[uint32](7), Alias: Some("uplink"),
		})
	},
	"set-name":       func(g *goldenEnc) error { return g.set(LinkSpec{Index: g.idx("p0"), Name: "wan0"}) },
	"set-nomaster":   func(g *goldenEnc) error { return g.set(LinkSpec{Index: g.idx("p0"), Master: Some[int32](0)}) },
	"set-group-zero": func(g *goldenEnc) error { return g.set(LinkSpec{Index: g.idx("p0"), Group: Some[uint32](0)}) },
	"set-netns-pid": func(g *goldenEnc) error {
		return g.set(LinkSpec{Index: g.idx("p0"), Netns: NetnsByPID(999999)})
	},
	"del": func(g *goldenEnc) error { return g.link(unix.RTM_DELLINK, 0, LinkSpec{Index: g.idx("p1")}) },
	"altname-add": func(g *goldenEnc) error {
		return encodeAltNames(&g.b, unix.RTM_NEWLINKPROP, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_APPEND,
			g.idx("p0"), []string{"wan0", "wan-uplink"})
	},
	"altname-del": func(g *goldenEnc) error {
		return encodeAltNames(&g.b, unix.RTM_DELLINKPROP, 0, g.idx("p0"), []string{"wan0"})
	},

	// bridge.txt
	"add-bridge": func(g *goldenEnc) error { return g.add(LinkSpec{Name: "br0", Kind: &Bridge{}}) },
	"add-bridge-options": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "br0", Kind: &Bridge{
			ForwardDelay: Some(15 * time.Second), HelloTime: Some(3 * time.Second), MaxAge: Some(25 * time.Second),
			AgeingTime: Some(300 * time.Second), STP: Some(true), Priority: Some[uint16](4096),
			VlanFiltering: Some(true), VlanProtocol: Some[uint16](unix.ETH_P_8021AD), DefaultPVID: Some[uint16](10),
			MulticastSnooping: Some(false), MulticastQuerier: Some(true), NFCallIPTables: Some(true),
		}})
	},
	"set-bridge": func(g *goldenEnc) error {
		return g.set(LinkSpec{Index: g.idx("br0"), Kind: &Bridge{STP: Some(false), DefaultPVID: Some[uint16](0)}})
	},
	"set-port": func(g *goldenEnc) error {
		return g.set(LinkSpec{Index: g.idx("p0"), Port: &BridgePort{
			State: Some[uint8](3), Priority: Some[uint16](5), Cost: Some[uint32](10), Guard: Some(true),
			Hairpin: Some(true), FastLeave: Some(true), RootBlock: Some(true), Learning: Some(false),
			Flood: Some(false), MulticastFlood: Some(false), BroadcastFlood: Some(false), ProxyARP: Some(true),
			NeighSuppress: Some(true), Isolated: Some(true),
		}})
	},

	// vxlan.txt
	"add-vxlan": func(g *goldenEnc) error { return g.add(LinkSpec{Name: "vx0", Kind: &Vxlan{VNI: 42, Port: 4789}}) },
	"add-vxlan-options": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "vx0", Kind: &Vxlan{
			VNI: 1<<24 - 1, Remote: ip("192.0.2.2"), Local: ip("192.0.2.1"), Dev: g.idx("p0"),
			TTL: Some[uint8](64), TOS: Some[uint8](1), Port: 4789, SrcPortMin: 1000, SrcPortMax: 2000,
			Learning: Some(false), Ageing: Some(300 * time.Second), MaxAddresses: Some[uint32](10),
			UDPChecksum: Some(false),
		}})
	},
	"add-vxlan-group6": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "vx0", Kind: &Vxlan{VNI: 7, Group: ip("ff05::100"), Dev: g.idx("p0"), Learning: Some(true)}})
	},

	// macvlan.txt, ipvlan.txt
	"add-macvlan": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "mv0", Parent: g.idx("p0"), Kind: &Macvlan{Mode: MacvlanBridge}})
	},
	"add-macvlan-default": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "mv0", Parent: g.idx("p0"), Kind: &Macvlan{}})
	},
	"add-macvlan-nopromisc": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "mv0", Parent: g.idx("p0"), Kind: &Macvlan{Mode: MacvlanPassthru, Flags: Some(MacvlanNoPromisc)}})
	},
	"add-macvtap": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "mvt0", Parent: g.idx("p0"), Address: mac("02:00:00:00:00:03"), Kind: &Macvlan{Mode: MacvlanVEPA, Tap: true}})
	},
	"add-ipvlan": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "ipv0", Parent: g.idx("p0"), Kind: &IPVlan{Mode: Some(IPVlanL2), Flag: Some(IPVlanBridge)}})
	},
	"add-ipvlan-l3s": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "ipv0", Parent: g.idx("p0"), Kind: &IPVlan{Mode: Some(IPVlanL3S), Flag: Some(IPVlanPrivate)}})
	},
	"add-ipvtap": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "ipvt0", Parent: g.idx("p0"), Kind: &IPVlan{Mode: Some(IPVlanL2), Flag: Some(IPVlanVEPA), Tap: true}})
	},

	// simple.txt
	"add-ifb":       func(g *goldenEnc) error { return g.add(LinkSpec{Name: "ifb0", Kind: &Ifb{}}) },
	"add-dummy":     func(g *goldenEnc) error { return g.add(LinkSpec{Name: "d0", MTU: 9000, Kind: &Dummy{}}) },
	"add-wireguard": func(g *goldenEnc) error { return g.add(LinkSpec{Name: "wg0", Kind: &Wireguard{}}) },
	"add-vrf":       func(g *goldenEnc) error { return g.add(LinkSpec{Name: "vrf0", Kind: &VRF{Table: 10}}) },
	"add-team":      func(g *goldenEnc) error { return g.add(LinkSpec{Name: "t0", Kind: &Team{}}) },

	// vlan.txt
	"add-vlan": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "p0.5", Parent: g.idx("p0"), Kind: &Vlan{ID: 5}})
	},
	"add-vlan-options": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "p0.100", Parent: g.idx("p0"), Kind: &Vlan{
			ID: 100, Protocol: unix.ETH_P_8021AD, ReorderHeader: Some(false), GVRP: Some(true), MVRP: Some(true), LooseBinding: Some(true),
		}})
	},

	// bond.txt
	"add-bond": func(g *goldenEnc) error { return g.add(LinkSpec{Name: "bond0", Kind: &Bond{}}) },
	"add-bond-options": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "bond0", Kind: &Bond{
			Mode: Some(Bond8023AD), Miimon: Some(100 * time.Millisecond), UpDelay: Some(200 * time.Millisecond),
			DownDelay: Some(300 * time.Millisecond), LACPRate: Some[uint8](1), XmitHashPolicy: Some(BondHashLayer34),
			MinLinks: Some[uint32](1), ADSelect: Some[uint8](1),
		}})
	},
	"add-bond-ab": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "bond0", Kind: &Bond{
			Mode: Some(BondActiveBackup), ARPInterval: Some(time.Second),
			ARPIPTargets: []netip.Addr{ip("192.0.2.1"), ip("192.0.2.2")}, FailOverMAC: Some[uint8](1),
		}})
	},

	// tunnel.txt
	"add-gre": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gre1", Kind: &GRE{Remote: ip("192.0.2.2"), Local: ip("192.0.2.1"), TTL: Some[uint8](64)}})
	},
	"add-gre-keys": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gre1", Kind: &GRE{Remote: ip("192.0.2.2"), Local: ip("192.0.2.1"), TTL: Some[uint8](64),
			TOS: 0x10, IKey: Some[uint32](42), OKey: Some[uint32](42), Dev: g.idx("p0")}})
	},
	"add-gre-iokeys": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gre1", Kind: &GRE{Remote: ip("192.0.2.2"), IKey: Some[uint32](1), OKey: Some[uint32](2),
			ICsum: true, OCsum: true, PMTUDisc: Some(false)}})
	},
	"add-gre-local": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gre1", Kind: &GRE{Local: ip("192.0.2.1")}})
	},
	"add-gretap": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gt1", Kind: &GRE{Tap: true, Remote: ip("192.0.2.2"), Local: ip("192.0.2.1")}})
	},
	"add-ip6gre": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "g6", Kind: &GRE{IPv6: true, Remote: ip("2001:db8::2"), Local: ip("2001:db8::1"),
			TTL: Some[uint8](64), IKey: Some[uint32](9), OKey: Some[uint32](9)}})
	},
	"add-ip6gretap": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "g6t", Kind: &GRE{IPv6: true, Tap: true, Remote: ip("2001:db8::2"), Local: ip("2001:db8::1")}})
	},
	"add-ip6gre-dev": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "g6", Kind: &GRE{IPv6: true, Remote: ip("2001:db8::2"), Dev: g.idx("p0")}})
	},
	"add-ipip-remote": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "tun0", Kind: &IPIP{Remote: ip("192.0.2.2")}})
	},
	"add-ipip": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "tun0", Kind: &IPIP{Remote: ip("192.0.2.2"), Local: ip("192.0.2.1"), TTL: 64, Dev: g.idx("p0")}})
	},
	"add-sit": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "sit1", Kind: &SIT{Remote: ip("192.0.2.2"), Local: ip("192.0.2.1"), TTL: 64, TOS: 1}})
	},
	"add-sit-local": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "sit1", Kind: &SIT{Local: ip("192.0.2.1")}})
	},
	"add-geneve": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gnv0", Kind: &Geneve{VNI: 42, Remote: ip("192.0.2.2")}})
	},
	"add-geneve-v4": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gnv0", Kind: &Geneve{VNI: 1, Remote: ip("192.0.2.2"), TTL: 8, Port: 6081, UDPChecksum: Some(true)}})
	},
	"add-geneve-options": func(g *goldenEnc) error {
		return g.add(LinkSpec{Name: "gnv0", Kind: &Geneve{VNI: 1<<24 - 1, Remote: ip("2001:db8::2"), TTL: 64, TOS: 1,
			Port: 6082, UDPChecksum: Some(false)}})
	},
}

// TestLinkRequestsMatchIproute2 builds each captured request with the rtm
// encoders and compares it byte for byte with what iproute2 sent.
func TestLinkRequestsMatchIproute2(t *testing.T) {
	if native.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the golden captures are little-endian; this host is big-endian")
	}
	cases := readGolden(t)
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate golden case %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			build, ok := goldenSpecs[c.name]
			if !ok {
				t.Fatalf("%s: no spec for captured command: ip %s", c.file, c.cmd)
			}
			g := &goldenEnc{links: c.links, t: t}
			if err := build(g); err != nil {
				t.Fatalf("ip %s: %v", c.cmd, err)
			}
			if err := g.b.Err(); err != nil {
				t.Fatal(err)
			}
			got := g.b.Bytes()
			if !bytes.Equal(got, c.req) {
				t.Errorf("ip %s\nrtm:\n%s\niproute2:\n%s", c.cmd, dumpRequest(got), dumpRequest(c.req))
			}
		})
	}
	for name := range goldenSpecs {
		if !seen[name] {
			t.Errorf("spec %s has no golden capture; run scripts/golden.sh", name)
		}
	}
}

// dumpRequest formats a link request attribute by attribute, for failure
// messages. Nests of link requests are recognised by type.
func dumpRequest(b []byte) string {
	var sb strings.Builder
	if len(b) < 32 {
		return hex.EncodeToString(b)
	}
	fmt.Fprintf(&sb, "  header %x ifinfomsg %x\n", b[:16], b[16:32])
	var walk func(c nla.Chain, depth int, nested func(t uint16) bool)
	walk = func(c nla.Chain, depth int, nested func(t uint16) bool) {
		for a := range c.All() {
			fmt.Fprintf(&sb, "%s%d%s: %x\n", strings.Repeat("  ", depth), a.Kind(),
				map[bool]string{true: " (NLA_F_NESTED)"}[a.Type&unix.NLA_F_NESTED != 0], a.Data)
			if nested(a.Kind()) {
				walk(a.Nested(), depth+1, func(t uint16) bool { return t == unix.IFLA_INFO_DATA || t == unix.IFLA_INFO_SLAVE_DATA })
			}
		}
	}
	walk(nla.Chain(b[32:]), 1, func(t uint16) bool { return t == unix.IFLA_LINKINFO || t == unix.IFLA_PROP_LIST })
	return sb.String()
}

// BenchmarkEncodeLinkAdd measures encoding a veth-pair request into a
// reused builder.
func BenchmarkEncodeLinkAdd(b *testing.B) {
	s := LinkSpec{Name: "veth0", MTU: 1400, Up: Some(true), Kind: &Veth{Peer: &LinkSpec{Name: "veth1", MTU: 1400}}}
	var w wire.Builder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.Reset(w.Bytes())
		c := linkCtx{b: &w, create: true}
		if err := encodeLink(&c, unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL, &s); err != nil {
			b.Fatal(err)
		}
	}
}
