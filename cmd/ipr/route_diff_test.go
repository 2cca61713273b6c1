package main

// Differential tests: "ipr [-j] [-d] route|rule|neigh|nexthop ..." against
// iproute2 6.1's ip on a namespace holding routes of every kind, rules
// with every selector, neighbours in several states and nexthop groups;
// and route save/restore against "ip route save/restore".

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// routeNamespace builds the namespace of the route, rule, neighbour and
// nexthop comparisons with ip itself.
func routeNamespace(t testing.TB) *nstest.NS {
	ns := nstest.New(t)
	// No link-local addresses: their routes would appear between the two
	// runs of a comparison, as DAD completes.
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
	ipCommands(t, ns,
		"link set lo up",
		"link add s0 type veth peer name s1",
		"link set s0 up",
		"link set s1 up",
		"addr add 10.1.0.1/24 dev s0",
		"addr add 10.2.0.1/24 dev s1",
		"addr add 2001:db8:1::1/64 dev s0 nodad",
		// Routes: metrics (locked ones too), multipath with weights,
		// blackhole/unreachable/prohibit, tables over 255, realms, TOS,
		// onlink, IPv6 with pref and expires, seg6 and seg6local, nexthop
		// objects.
		"route add 192.0.2.0/24 via 10.1.0.2 metric 10 mtu lock 1400 advmss 1300 rtt 300ms rttvar 2s features ecn congctl lock cubic hoplimit 9 initcwnd 4 quickack 1",
		"route add 198.51.100.0/24 nexthop via 10.1.0.2 weight 3 nexthop via 10.2.0.2",
		"route add blackhole 203.0.113.0/24 table 100",
		"route add unreachable 203.0.113.128/25 table 1000 proto static",
		"route add prohibit 203.0.113.64/26",
		"route add throw 203.0.113.32/27 table 100",
		"route add 10.9.0.0/16 dev s0 src 10.1.0.1 table 100000 realm 5",
		"route add 10.7.0.0/16 dev s0 realms 3/4 table 100",
		"route add 10.8.0.0/16 via 10.1.0.9 dev s0 onlink tos 0x10",
		"route add default via 10.1.0.254 metric 100 proto dhcp",
		"-6 route add 2001:db8:9::/48 via 2001:db8:1::2 pref high table 100",
		"-6 route add 2001:db8:a::/48 dev s0 metric 7 expires 300",
		"-6 route add 2001:db8:d::/48 from 2001:db8:e::/48 dev s0 pref low",
		"-6 route add 2001:db8:f::/48 nexthop via 2001:db8:1::2 dev s0 weight 5 nexthop via fe80::1 dev s1",
		"addr add 2001:db8:2::1/64 dev s1 nodad",
		"needs seg6: -6 route add 2001:db8:b::/48 encap seg6 mode encap segs 2001:db8::5,2001:db8::6 dev s0",
		"needs seg6local: -6 route add 2001:db8:c::/48 encap seg6local action End.DT6 table 100 dev s0",
		"needs seg6local: -6 route add 2001:db8:c1::/48 encap seg6local action End.X nh6 2001:db8:1::2 dev s0",
		"nexthop add id 1 via 10.1.0.2 dev s0",
		"nexthop add id 2 via 10.2.0.2 dev s1",
		"nexthop add id 3 blackhole",
		"nexthop add id 4 via 2001:db8:1::2 dev s0 proto static",
		"nexthop add id 10 group 1,2/2",
		"nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 100",
		"route add 172.16.0.0/16 nhid 10",
		"route add 172.17.0.0/16 nhid 3 table 100",
		// Rules with every selector.
		"rule add from 10.1.0.0/24 to 192.0.2.0/24 table 100 pref 100",
		"rule add not from 10.3.0.0/16 fwmark 0x10/0xff iif s0 oif s1 tos 0x10 lookup 1000 pref 101",
		"rule add uidrange 100-200 ipproto tcp sport 1000-2000 dport 80 table main suppress_prefixlength 0 pref 102",
		"rule add fwmark 7 blackhole pref 103",
		"rule add goto 200 pref 104",
		"rule add nop pref 105",
		"rule add prohibit from 10.5.0.0/16 pref 106 protocol static",
		"rule add unreachable to 10.6.0.0/16 pref 107 realms 3/4",
		"rule add tun_id 77 table 100 pref 108 suppress_ifgroup 5",
		"rule add l3mdev pref 109",
		"rule add from 10.1.2.3 ipproto udp sport 53 table 100000 pref 110",
		"rule add ipproto gre table 100 pref 111", "rule add ipproto 99 table 100 pref 112",
		"-6 rule add from 2001:db8::/32 table 100 pref 100",
		"-6 rule add to 2001:db8:1::/48 prohibit pref 101 dport 443",
		// Neighbours in several states, proxies, and FDB entries on a
		// bridge and a VXLAN device (which "neigh show" does not list).
		"neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev s0",
		"neigh add 10.1.0.6 lladdr 02:00:00:00:00:06 dev s0 nud stale",
		"neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev s0 nud reachable",
		"neigh add 10.1.0.8 lladdr 02:00:00:00:00:08 dev s0 nud noarp",
		"neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev s0 nud delay",
		"neigh add 10.1.0.10 lladdr 02:00:00:00:00:0a dev s0 nud probe",
		"neigh add 10.1.0.11 dev s0 nud failed",
		"neigh add 10.2.0.5 lladdr 02:00:00:00:00:15 dev s1 extern_learn protocol zebra",
		"neigh add 2001:db8:1::5 lladdr 02:00:00:00:00:25 dev s0 router",
		"neigh add proxy 10.1.0.99 dev s0",
		"neigh add proxy 2001:db8:1::99 dev s0",
	)
	if nstest.Have(t, "link:bridge", "link:vxlan") {
		ipCommands(t, ns,
			"link add br0 type bridge",
			"link set br0 up",
			"link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1 dev s0 nolearning",
			"link set vx0 master br0",
			"link set vx0 up",
		)
		for _, cmd := range []string{
			"fdb add 02:00:00:00:01:01 dev vx0 master static",
			"fdb append 00:00:00:00:00:00 dev vx0 dst 10.1.0.50",
			"fdb add 02:00:00:00:01:02 dev vx0 dst 10.1.0.51 self",
		} {
			nstest.Run(t, ns, "bridge", strings.Fields(cmd)...)
		}
	}
	// Forwarding, for "route get ... iif".
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
	return ns
}

// ipCommand runs "ip -n NS cmd". A command that needs an optional kernel
// feature says so, as "needs FEATURE: cmd", and is left out when the
// kernel lacks it, so that the rest is still compared.
func ipCommand(t testing.TB, ns *nstest.NS, cmd string) {
	t.Helper()
	if rest, ok := strings.CutPrefix(cmd, "needs "); ok {
		feature, c, _ := strings.Cut(rest, ": ")
		if !nstest.Have(t, feature) {
			return
		}
		cmd = c
	}
	nstest.IP(t, ns, strings.Fields(cmd)...)
}

// routeCommands are compared with ip's, as JSON and as text.
var routeCommands = []string{
	"route", "-d route", "route show table all", "-d route show table all", "-6 route",
	"-6 -d route show table all", "route show table 100", "route show table 100000", "route show table local",
	"route show proto static table all", "route show proto dhcp", "route show type blackhole table all",
	"route show scope link", "route show dev s0", "route show table all dev s1", "route show root 10.0.0.0/8",
	"route show match 10.8.1.1", "route show exact 10.8.0.0/16", "route show 192.0.2.0/24",
	"route show via 10.1.0.2", "route show src 10.1.0.1", "route show default", "route show metric 10",
	"route show tos 0x10", "route show realms 3/4 table all", "-6 route show from 2001:db8:e::/48",
	"-6 route show table all type local", "route show cached", "route show table all protocol all scope all",
	"route get 192.0.2.5", "-d route get 192.0.2.5", "route get 198.51.100.7", "-6 route get 2001:db8:a::1",
	"route get 10.1.0.9 from 10.1.0.1 mark 9 uid 5 ipproto tcp sport 5 dport 80", "route get 172.16.0.1",
	"route get fibmatch 192.0.2.5", "route get 10.2.0.9 oif s1", "route get 10.1.0.77 from 10.2.0.5 iif s1",
	"rule", "-6 rule", "-d rule", "rule show table 100", "rule show pref 101", "rule show not",
	"rule show from 10.1.0.0/24", "rule show iif s0", "rule show fwmark 0x10/0xff", "rule show protocol static",
	"neigh", "-4 neigh", "-6 neigh", "neigh show nud all", "neigh show nud stale", "neigh show nud noarp",
	"neigh show dev s0", "neigh show proxy", "neigh show to 10.1.0.0/29", "neigh show nud none",
	"neigh show proto zebra",
	"nexthop", "-d nexthop", "nexthop show id 10", "nexthop show groups", "nexthop show dev s1",
	"-6 nexthop", "nexthop get id 11",
}

var (
	expiresJSON = regexp.MustCompile(`"expires":[0-9]+`)
	expiresText = regexp.MustCompile(`expires [0-9]+sec`)
)

// maskExpires hides the countdown of IPv6 route lifetimes, which moves
// between the two runs; the key must still be present on both sides.
func maskExpires(s string) string {
	return expiresText.ReplaceAllString(expiresJSON.ReplaceAllString(s, `"expires":0`), "expires #sec")
}

func TestRouteShowMatchesIproute2(t *testing.T) {
	ns := routeNamespace(t)
	for _, cmd := range routeCommands {
		t.Run(cmd, func(t *testing.T) {
			args := strings.Fields(cmd)
			ours := iprOK(t, append([]string{"-n", ns.Name, "-j"}, args...)...)
			theirs := nstest.IP(t, ns, append([]string{"-j"}, args...)...)
			compareJSON(t, maskExpires(ours), maskExpires(theirs))

			ours = iprOK(t, append([]string{"-n", ns.Name}, args...)...)
			theirs = nstest.IP(t, ns, args...)
			if o, th := maskExpires(ours), maskExpires(theirs); o != th {
				t.Errorf("text differs\nipr:\n%s\nip:\n%s", ours, theirs)
			}
		})
	}
	// The namespace has what the comparisons are about.
	all := nstest.IP(t, ns, "-d", "route", "show", "table", "all")
	for _, want := range []string{"nexthop via", "weight 3", "mtu lock 1400", "table 100000", "blackhole",
		"unreachable", "prohibit", "pref high", "expires", "onlink", "encap seg6 ", "encap seg6local", "nh_info"} {
		if want == "encap seg6 " && !nstest.Have(t, "seg6") || want == "encap seg6local" && !nstest.Have(t, "seg6local") {
			continue
		}
		if !strings.Contains(all, want) {
			t.Errorf("the namespace has no route with %q:\n%s", want, all)
		}
	}
}

// maskSaveHeaders zeroes each saved message's sequence number and port id,
// which belong to the socket that dumped it, and its cache information.
func maskSaveHeaders(t *testing.T, b []byte) []byte {
	t.Helper()
	return maskSavedMessages(t, b, func(payload []byte) {
		// RTA_CACHEINFO holds counters and IPv6 lifetimes that move.
		if r, err := rtm.RouteFromBytes(payload); err == nil {
			if a, ok := r.Chain().Get(unix.RTA_CACHEINFO); ok {
				clear(a.Data)
			}
		}
	})
}

func TestRouteSaveRestoreCLI(t *testing.T) {
	ns := routeNamespace(t)
	for _, sel := range []string{"", "table all", "-6 table all", "table 100", "table all type blackhole",
		"table all proto static", "dev s0", "root 10.0.0.0/8", "table all scope link"} {
		args := strings.Fields(sel)
		var ipArgs, iprArgs []string
		if len(args) > 0 && args[0] == "-6" {
			ipArgs, iprArgs, args = []string{"-6"}, []string{"-6"}, args[1:]
		}
		theirs := nstest.IP(t, ns, append(append(ipArgs, "route", "save"), args...)...)
		ours := iprOK(t, append(append(append([]string{"-n", ns.Name}, iprArgs...), "route", "save"), args...)...)
		if !bytes.Equal(maskSaveHeaders(t, []byte(ours)), maskSaveHeaders(t, []byte(theirs))) {
			t.Errorf("route save %s: %d bytes, ip's %d bytes; they differ", sel, len(ours), len(theirs))
		}
		if len(theirs) <= 4 {
			t.Errorf("route save %s: ip saved nothing; the selection should not be empty", sel)
		}
	}

	// ipr route restore of ip's dump gives what ip route restore gives,
	// in namespaces with the links and addresses the dump needs. (Routes
	// through nexthop groups do not restore, with ip as with ipr: the
	// kernel dumps their hops beside the group's id.)
	fresh := func(routes ...string) *nstest.NS {
		n := nstest.New(t)
		nstest.Run(t, n, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
		for _, cmd := range append([]string{"link set lo up", "link add s0 type veth peer name s1",
			"link set s0 up", "link set s1 up", "addr add 10.1.0.1/24 dev s0", "addr add 10.2.0.1/24 dev s1",
			"addr add 2001:db8:1::1/64 dev s0 nodad"}, routes...) {
			ipCommand(t, n, cmd)
		}
		// The routes the kernel adds once it sees the links' carrier,
		// which the comparison must not catch half made.
		nstest.WaitIP(t, n, []string{"local 2001:db8:1::1 dev s0 proto kernel metric 0 ",
			"multicast ff00::/8 dev s0 ", "multicast ff00::/8 dev s1 "}, "-6", "route", "show", "table", "local")
		return n
	}
	src := fresh("route add 192.0.2.0/24 via 10.1.0.2 metric 10 mtu lock 1400",
		"route add 198.51.100.0/24 nexthop via 10.1.0.2 weight 3 nexthop via 10.2.0.2",
		"route add blackhole 203.0.113.0/24 table 100", "route add 10.9.0.0/16 dev s0 src 10.1.0.1 table 100000",
		"-6 route add 2001:db8:9::/48 via 2001:db8:1::2 pref high table 100",
		"needs seg6: -6 route add 2001:db8:b::/48 encap seg6 mode encap segs 2001:db8::5 dev s0")
	dump := nstest.IP(t, src, "route", "save", "table", "all")
	oracle, ours := fresh(), fresh()
	if out, err := nstest.RunFileInput(t, oracle, []byte(dump), "ip", "route", "restore"); err != nil {
		t.Fatalf("ip route restore: %v: %s", err, out)
	}
	if _, errs, code := iprIn(ours, dump, "route", "restore"); code != 0 {
		t.Fatalf("ipr route restore: exit %d: %s", code, errs)
	}
	// Sorted: routes to one prefix through different links (each link's
	// ff00::/8) are listed in the order the kernel happened to see the
	// links' carrier come up.
	for _, fam := range []string{"-4", "-6"} {
		want := sortedJSON(t, nstest.IP(t, oracle, fam, "-j", "route", "show", "table", "all"))
		if got := sortedJSON(t, nstest.IP(t, ours, fam, "-j", "route", "show", "table", "all")); got != want {
			t.Errorf("%s after ipr route restore:\n%s\nafter ip route restore:\n%s", fam, got, want)
		}
	}
	// Into a namespace without s1's address, the routes through it fail.
	bare := nstest.New(t)
	for _, cmd := range []string{"link add s0 type veth peer name s1", "link set s0 up",
		"addr add 10.1.0.1/24 dev s0"} {
		nstest.IP(t, bare, strings.Fields(cmd)...)
	}
	// As ip, with the kernel's refusal: status 2 and its message.
	if _, errs, code := iprIn(bare, dump, "route", "restore"); code != 2 || !strings.HasPrefix(errs, "Error: ") {
		t.Errorf("ipr route restore without an address: exit %d, %q; want 2 and the kernel's message", code, errs)
	}
	// ip ignores arguments to restore; ipr refuses them.
	if _, errs, code := ipr("-n", ours.Name, "route", "restore", "extra"); code != 255 || !strings.Contains(errs, "no arguments") {
		t.Errorf("route restore extra: exit %d, %q", code, errs)
	}
	if _, errs, code := iprIn(ours, "junk", "route", "restore"); code != 1 ||
		errs != "Magic mismatch (1 elems, 6b6e756a magic)\n" {
		t.Errorf("restore of junk: exit %d, %q", code, errs)
	}
}

// sortedJSON returns the elements of a JSON array, one per line, sorted:
// neighbour tables list entries in hash order, which differs between
// namespaces.
func sortedJSON(t *testing.T, s string) string {
	t.Helper()
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(s), &elems); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, s)
	}
	lines := make([]string, len(elems))
	for i, e := range elems {
		lines[i] = string(e)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestRouteChanges(t *testing.T) {
	ns := nstest.New(t)
	n := ns.Name
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
	for _, cmd := range []string{"link set lo up", "link add d0 type veth peer name d1", "link set d0 up",
		"link set d1 up", "addr add 10.5.0.1/24 dev d0", "addr add 10.6.0.1/24 dev d1",
		"addr add 2001:db8:5::1/64 dev d0 nodad"} {
		nstest.IP(t, ns, strings.Fields(cmd)...)
	}
	// Each ipr command is matched by the same command run with ip in
	// another namespace: the resulting tables must be equal.
	other := nstest.New(t)
	nstest.Run(t, other, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
	for _, cmd := range []string{"link set lo up", "link add d0 type veth peer name d1", "link set d0 up",
		"link set d1 up", "addr add 10.5.0.1/24 dev d0", "addr add 10.6.0.1/24 dev d1",
		"addr add 2001:db8:5::1/64 dev d0 nodad"} {
		nstest.IP(t, other, strings.Fields(cmd)...)
	}
	steps := []string{
		"route add 192.0.2.0/24 via 10.5.0.2 metric 5 mtu lock 1300 advmss 1200 initcwnd 3 congctl cubic",
		"route add 198.51.100.0/24 nexthop via 10.5.0.2 weight 4 nexthop via 10.6.0.2 dev d1",
		"route add blackhole 203.0.113.0/24 table 300",
		"route add 192.0.2.64/26 via 10.5.0.2 rtt 100 rttvar lock 30ms rto_min 0.2s features ecn realms 3/4",
		"route add 192.0.2.128/26 nexthop via 10.5.0.2 realms 7 nexthop via 10.6.0.2 realms 1/2",
		"route add 10/8 via 10.5.0.2 table 301",
		"route add default via fe80::1 dev d0",
		"rule add from all table 302 pref 108",
		"rule add from 0/0 to all table 303 pref 109",
		"route add unreachable 203.0.113.128/25 proto static",
		"route add 10.9.0.0/16 dev d0 src 10.5.0.1 table 100000 scope link",
		"route add 10.8.0.0/16 via 10.5.0.9 dev d0 onlink tos 0x10",
		"route add local 10.5.0.77 dev d0",
		"route replace 192.0.2.0/24 via 10.6.0.2 metric 5",
		"route append 192.0.2.0/24 via 10.5.0.3 metric 5",
		"route prepend 192.0.2.0/24 via 10.5.0.4 metric 5",
		"route change 10.9.0.0/16 dev d1 src 10.6.0.1 table 100000",
		"-6 route add 2001:db8:9::/48 via 2001:db8:5::2 pref high metric 20",
		"-6 route add 2001:db8:a::/48 dev d0 expires 600",
		"route del blackhole 203.0.113.0/24 table 300",
		"route del 203.0.113.128/25",
		"route del 192.0.2.0/24 via 10.5.0.3 metric 5",
		"nexthop add id 7 via 10.5.0.2 dev d0",
		"nexthop add id 8 via 10.6.0.2 dev d1 proto static",
		"nexthop add id 9 group 7,3/8",
		"nexthop add id 6 blackhole",
		"route add 172.16.0.0/16 nhid 9",
		"nexthop replace id 9 group 7/8,2",
		"nexthop del id 6",
		"rule add from 10.1.0.0/24 to 192.0.2.0/24 table 100 pref 100",
		"rule add not from 10.3.0.0/16 fwmark 0x10/0xff iif d0 oif d1 tos 0x10 lookup 1000 pref 101",
		"rule add uidrange 100-200 ipproto tcp sport 1000-2000 dport 80 table main suppress_prefixlength 0 pref 102",
		"rule add fwmark 7 blackhole pref 103",
		"rule add goto 200 pref 104",
		"rule add prohibit from 10.5.0.0/16 pref 106 protocol static",
		"rule add unreachable to 10.6.0.0/16 pref 107 realms 3/4",
		"-6 rule add from 2001:db8::/32 table 100 pref 100",
		"rule del pref 104",
		"neigh add 10.5.0.5 lladdr 02:00:00:00:00:05 dev d0",
		"neigh add 10.5.0.6 lladdr 02:00:00:00:00:06 dev d0 nud stale",
		"neigh add 2001:db8:5::5 lladdr 02:00:00:00:00:25 dev d0 router nud reachable",
		"neigh add proxy 10.5.0.99 dev d0",
		"neigh replace 10.5.0.6 lladdr 02:00:00:00:00:16 dev d0 nud permanent",
		"neigh add 10.6.0.7 lladdr 02:00:00:00:00:17 dev d1 extern_learn protocol zebra",
		"neigh del 10.5.0.5 dev d0",
	}
	if nstest.Have(t, "lwt_ip", "lwt_ip6") {
		steps = append(steps,
			"route add 10.12.0.0/16 encap ip id 42 dst 198.51.100.7 ttl 64 tos 10 key csum dev d0",
			"-6 route add 2001:db8:c::/48 encap ip6 id 7 dst 2001:db8:9::1 hoplimit 3 tc 20 seq dev d0")
	}
	for _, step := range steps {
		iprOK(t, append([]string{"-n", n}, strings.Fields(step)...)...)
		nstest.IP(t, other, strings.Fields(step)...)
	}
	for _, show := range []string{"route show table all", "-6 route show table all", "rule", "-6 rule",
		"neigh show", "neigh show proxy", "-d nexthop"} {
		args := append([]string{"-j"}, strings.Fields(show)...)
		got := sortedJSON(t, maskExpires(nstest.IP(t, ns, args...)))
		want := sortedJSON(t, maskExpires(nstest.IP(t, other, args...)))
		if got != want {
			t.Errorf("%s after ipr's changes:\n%s\nafter ip's:\n%s", show, got, want)
		}
	}

	// Flushes, by selector.
	iprOK(t, "-n", n, "route", "flush", "table", "100000")
	iprOK(t, "-n", n, "route", "flush", "proto", "boot", "type", "unicast")
	iprOK(t, "-n", n, "neigh", "flush", "dev", "d0", "nud", "all")
	iprOK(t, "-n", n, "rule", "flush")
	iprOK(t, "-n", n, "nexthop", "flush")
	for _, c := range []struct{ show, unwanted string }{
		{"route show table 100000", "10.9.0.0"},
		{"route show", "192.0.2.0/24"},
		{"route show", "10.8.0.0"},
		{"neigh show dev d0", "10.5.0.6"},
		{"rule", "lookup 100"},
		{"nexthop", "id"},
	} {
		if out := nstest.IP(t, ns, strings.Fields(c.show)...); strings.Contains(out, c.unwanted) {
			t.Errorf("%s still shows %s after flush:\n%s", c.show, c.unwanted, out)
		}
	}
	if out := nstest.IP(t, ns, "route", "show"); !strings.Contains(out, "10.5.0.0/24") {
		t.Errorf("flush proto boot removed the kernel's route:\n%s", out)
	}
	if out := nstest.IP(t, ns, "rule"); !strings.Contains(out, "lookup local") {
		t.Errorf("rule flush removed the local rule:\n%s", out)
	}
}

func TestRouteErrors(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")
	nstest.IP(t, ns, "link", "set", "d0", "up")
	nstest.IP(t, ns, "addr", "add", "10.5.0.1/24", "dev", "d0")
	checkErrors(t, ns, []errorCase{
		{"route add", 255, "no destination"},
		{"route add 10.0.0.0/33 dev d0", 1, `Error: any valid prefix is expected rather than "10.0.0.0/33".`},
		{"route add 10.0.0.1/24 dev d0", 255, "host bits are set"},
		{"route add 10.0.0.0/24 dev nosuch", 0, `Cannot find device "nosuch"`},
		{"route add 10.0.0.0/24 via 10.5.0.2 via 10.5.0.3", 255, "use nexthop syntax"},
		{"route add 10.0.0.0/24 table nosuch dev d0", 255, `invalid table "nosuch"`},
		{"route add 10.0.0.0/24 nexthop via 10.5.0.2 weight 0", 255, "weight"},
		{"route add 10.0.0.0/24 nexthop", 255, "unexpected end of line"},
		{"route add 10.0.0.0/24 via 10.9.9.9", 0, "network is unreachable"},
		{"route add 10.5.0.0/24 dev d0 proto kernel scope link src 10.5.0.1", 0, "exists"},
		{"route del 10.77.0.0/16", 0, "no such process"},
		{"route show table", 0, ""},
		{"route show type frob", 255, `invalid type "frob"`},
		{"route show dev nosuch", 0, `Cannot find device "nosuch"`},
		{"route flush", 1, `"ipr route flush" requires arguments.`},
		{"route get", 255, "need at least a destination"},
		{"route get 10.5.0.9 iif nosuch", 0, `Cannot find device "nosuch"`},
		{"route get 10.5.0.9 sport x", 255, `invalid sport "x"`},
		{"route frob", 255, `Command "frob" is unknown, try "ipr route help".`},
		{"rule add pref 5 frob", 255, `Error: argument "frob" is wrong: Failed to parse rule type`},
		{"rule del pref 12345", 0, "no such file"},
		{"rule add fwmark x table 5", 255, "invalid fwmark"},
		{"neigh add 10.5.0.9 dev d0 lladdr zz", 1, `"zz" is invalid lladdr.`},
		{"neigh add 10.5.0.9", 0, ""},
		{"neigh show nud frob", 255, `invalid nud state "frob"`},
		{"neigh flush", 1, "Flush requires arguments."},
		{"nexthop add id 5 group 0", 255, "invalid group member"},
		{"nexthop del id 99", 0, "no such file"},
		{"nexthop get", 255, "get needs"},
	})
}

func BenchmarkRouteShowJSON(b *testing.B) {
	ns := routeNamespace(b)
	args := []string{"-n", ns.Name, "-j", "route", "show", "table", "all"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		if code := run(args, nil, &out, &out); code != 0 {
			b.Fatalf("exit %d: %s", code, out.String())
		}
	}
}
