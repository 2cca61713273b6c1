package workload

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
)

// Sizes says how much a benchmark namespace holds and how much the
// workloads that change it create.
type Sizes struct {
	Routes int // IPv4 routes in the main table, each via a gateway
	Links  int // links in the namespace, lo included: veth pairs and bridges
	Neighs int // permanent IPv4 neighbours
	Addrs  int // IPv4 /32 addresses
	Gets   int // route lookups per repetition
	Adds   int // routes added then deleted per repetition
	Veths  int // veth pairs created then deleted per repetition
	Events int // route changes generated for the event workload
	Prefix int // inputs of the ipnet workloads
}

// FullSizes are the sizes the issue asks for.
var FullSizes = Sizes{Routes: 100000, Links: 10000, Neighs: 10000, Addrs: 10000,
	Gets: 10000, Adds: 100000, Veths: 1000, Events: 100000, Prefix: 100000}

// QuickSizes make a smoke run of a couple of minutes.
var QuickSizes = Sizes{Routes: 10000, Links: 1000, Neighs: 1000, Addrs: 1000,
	Gets: 2000, Adds: 10000, Veths: 100, Events: 20000, Prefix: 20000}

// The fixed objects of a benchmark namespace. Every route goes through
// Gateway on Device, whose veth peer is up so that the link has carrier.
const (
	Device     = "bench0"
	DevicePeer = "bench0p"
	// AddTable holds the routes of the add/delete workload and
	// EventTable those of the event generator, so that neither disturbs
	// the main table the dump workloads read.
	AddTable   = 100
	EventTable = 101
)

var (
	// DeviceAddr is Device's address; Gateway is on its subnet.
	DeviceAddr = netip.MustParsePrefix("10.0.0.1/16")
	Gateway    = netip.MustParseAddr("10.0.0.2")
)

// RouteDst returns the i-th main-table route's destination:
// consecutive /24s from 11.0.0.0.
func RouteDst(i int) netip.Prefix { return prefix24(11<<24 + uint32(i)<<8) }

// AddDst returns the i-th destination of the add/delete workload
// (table AddTable), consecutive /24s from 64.0.0.0.
func AddDst(i int) netip.Prefix { return prefix24(64<<24 + uint32(i)<<8) }

// EventDst returns the i-th destination of the event generator (table
// EventTable), consecutive /24s from 128.0.0.0.
func EventDst(i int) netip.Prefix { return prefix24(128<<24 + uint32(i)<<8) }

func prefix24(v uint32) netip.Prefix { return netip.PrefixFrom(addr4(v), 24) }

// addr4 returns the IPv4 address whose integer value is v.
func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// LocalAddr returns the i-th /32 address put on Device.
func LocalAddr(i int) netip.Addr {
	return addr4(172<<24 | 16<<16 + uint32(i))
}

// NeighAddr returns the i-th permanent neighbour on Device.
func NeighAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, 0, byte(1 + i/250), byte(1 + i%250)})
}

// VethName returns the names of the i-th veth pair of the veth workload.
func VethName(i int) (name, peer string) { return fmt.Sprintf("vb%d", i), fmt.Sprintf("vc%d", i) }

// LinkCount is the number of links a namespace filled with s holds.
func (s Sizes) LinkCount() int {
	bridges, pairs := s.fillLinks()
	return 3 + bridges + 2*pairs // lo, Device, DevicePeer
}

func (s Sizes) fillLinks() (bridges, pairs int) {
	bridges = s.Links / 10
	pairs = (s.Links - 3 - bridges) / 2
	return bridges, pairs
}

// CreateNamespace creates the named namespace and fills it with iproute2
// (an independent tool, so the contestants are measured on the state it
// made): IPv6 off, so that no address or neighbour appears by itself
// during the run; Device and its peer up, carrying DeviceAddr; s.Addrs
// addresses, s.Neighs neighbours and s.Routes routes on Device; and
// veth pairs and bridges up to s.Links links.
func CreateNamespace(name string, s Sizes) error {
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns add %s: %v: %s", name, err, out)
	}
	sysctls := []string{
		"net.ipv6.conf.all.disable_ipv6=1",
		"net.ipv6.conf.default.disable_ipv6=1",
	}
	for _, kv := range sysctls {
		k, v, _ := strings.Cut(kv, "=")
		path := "/proc/sys/" + strings.ReplaceAll(k, ".", "/")
		cmd := exec.Command("ip", "netns", "exec", name, "sh", "-c", "echo "+v+" > "+path)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("sysctl %s in %s: %v: %s", kv, name, err, out)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "link add %s type veth peer name %s\n", Device, DevicePeer)
	fmt.Fprintf(&b, "link set %s up\nlink set %s up\n", Device, DevicePeer)
	fmt.Fprintf(&b, "address add %v dev %s\n", DeviceAddr, Device)
	for i := 0; i < s.Addrs; i++ {
		fmt.Fprintf(&b, "address add %v/32 dev %s\n", LocalAddr(i), Device)
	}
	for i := 0; i < s.Neighs; i++ {
		fmt.Fprintf(&b, "neigh add %v lladdr 02:00:00:00:%02x:%02x dev %s nud permanent\n",
			NeighAddr(i), i>>8&0xff, i&0xff, Device)
	}
	bridges, pairs := s.fillLinks()
	for i := 0; i < bridges; i++ {
		fmt.Fprintf(&b, "link add br%d type bridge\n", i)
	}
	for i := 0; i < pairs; i++ {
		fmt.Fprintf(&b, "link add va%d type veth peer name vz%d\n", i, i)
	}
	for i := 0; i < s.Routes; i++ {
		fmt.Fprintf(&b, "route add %v via %v dev %s\n", RouteDst(i), Gateway, Device)
	}
	return IPBatch(name, b.Bytes())
}

// IPBatch runs "ip -n ns -batch -" on the commands.
func IPBatch(ns string, commands []byte) error {
	cmd := exec.Command("ip", "-n", ns, "-batch", "-")
	cmd.Stdin = bytes.NewReader(commands)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ip -n %s -batch: %v: %s", ns, err, bytes.TrimSpace(out))
	}
	return nil
}

// DeleteNamespace deletes the named namespace; the kernel tears its
// links down in the background.
func DeleteNamespace(name string) error {
	if _, err := os.Stat("/run/netns/" + name); err != nil {
		return nil
	}
	if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns del %s: %v: %s", name, err, out)
	}
	return nil
}
