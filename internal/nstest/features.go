package nstest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// The environment of the kernel feature probes (see the package
// documentation).
const (
	// AssumeMissingEnv is the environment variable listing, comma
	// separated, features to treat as missing whatever the kernel has;
	// "all" names every feature.
	AssumeMissingEnv = "IPR_TEST_ASSUME_MISSING"
	// SkipLogEnv is the environment variable naming a file to which each
	// skip for a missing feature appends "FEATURE\tTEST\n".
	SkipLogEnv = "IPR_TEST_SKIPLOG"
	// SkipMarker begins the message of every skip for a missing feature.
	SkipMarker = "nstest: kernel lacks feature "
)

// feature is a kernel feature a test may ask for by name.
type feature struct {
	name string
	// what says what the feature is and, where one option governs it,
	// the kernel configuration that provides it.
	what  string
	probe func(*scratch) (bool, error)
}

// Markers in iproute2's error output that mean the kernel lacks what was
// asked for, rather than that the request was wrong.
var (
	lwtMissing   = []string{"lwt encapsulation type not supported"}
	notSupported = []string{"Operation not supported", "Address family not supported"}
	linkMissing  = []string{"Unknown device type"}
	qdiscMissing = []string{"qdisc kind is unknown"}
	clsMissing   = []string{"TC classifier not found", "Unknown filter"}
	actMissing   = []string{"Failed to load TC action module"}
	genlMissing  = []string{"No such file or directory"}
	mruleMissing = []string{"Rule family not supported", "Address family not supported"}
)

var (
	registryOnce sync.Once
	registry     []feature
)

// features returns the table of features, built on first use.
func features() []feature {
	registryOnce.Do(func() { registry = buildRegistry() })
	return registry
}

func buildRegistry() []feature {
	list := []feature{
		{"seg6", "seg6 lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL)",
			ipProbe(lwtMissing, "-6", "route", "add", "2001:db8:5e6::/48", "encap", "seg6", "mode", "encap",
				"segs", "2001:db8::5,2001:db8::6", "dev", "p0")},
		{"seg6local", "seg6local lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL)",
			ipProbe(lwtMissing, "-6", "route", "add", "2001:db8:5e7::/48", "encap", "seg6local", "action", "End", "dev", "p0")},
		{"lwt_ip", "IPv4 tunnel-key lightweight tunnels (CONFIG_NET_IP_TUNNEL)",
			ipProbe(lwtMissing, "route", "add", "10.252.0.0/16", "encap", "ip", "id", "1", "dst", "192.0.2.9", "dev", "p0")},
		{"lwt_ip6", "IPv6 tunnel-key lightweight tunnels (CONFIG_NET_IP_TUNNEL)",
			ipProbe(lwtMissing, "-6", "route", "add", "2001:db8:5ea::/48", "encap", "ip6", "id", "1", "dst", "2001:db8::9", "dev", "p0")},
		{"mpls", "MPLS routing (CONFIG_MPLS_ROUTING)", probeMPLS},
		{"mpls_iptunnel", "MPLS lightweight tunnels (CONFIG_MPLS_IPTUNNEL)",
			ipProbe(lwtMissing, "route", "add", "10.255.0.0/16", "encap", "mpls", "100", "dev", "p0")},
		{"vlan_filtering", "bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)",
			ipProbe(notSupported, "link", "add", "pbr0", "type", "bridge", "vlan_filtering", "1")},
		{"nexthop", "nexthop objects (Linux 5.3)",
			ipProbe(notSupported, "nexthop", "add", "id", "1", "via", "192.0.2.2", "dev", "p0")},
		{"multipath", "multipath routes (CONFIG_IP_ROUTE_MULTIPATH)",
			ipProbe([]string{"Multipath support not enabled"}, "route", "add", "10.254.0.0/16",
				"nexthop", "via", "192.0.2.2", "nexthop", "via", "192.0.2.3")},
		{"policy_routing", "policy routing rules (CONFIG_IP_MULTIPLE_TABLES)",
			ipProbe(notSupported, "rule", "add", "pref", "100", "from", "10.253.0.0/16", "table", "100")},
		{"ipv6_subtrees", "IPv6 source routes (CONFIG_IPV6_SUBTREES)",
			ipProbe([]string{"IPV6_SUBTREES"}, "-6", "route", "add", "2001:db8:5e8::/48",
				"from", "2001:db8:5e9::/48", "dev", "p0")},
		{"mrule", "IPv4 multicast routing policy rules, \"ip mrule\" (CONFIG_IP_MROUTE_MULTIPLE_TABLES)",
			ipProbe(mruleMissing, "mrule", "add", "iif", "p0", "table", "5")},
		{"mrule6", "IPv6 multicast routing policy rules, \"ip -6 mrule\" (CONFIG_IPV6_MROUTE_MULTIPLE_TABLES)",
			ipProbe(mruleMissing, "-6", "mrule", "add", "iif", "p0", "table", "5")},
		{"link:tun", "tun/tap devices (CONFIG_TUN, and /dev/net/tun)",
			ipProbe([]string{"No such file or directory", "No such device"}, "tuntap", "add", "pt0", "mode", "tap")},
		{"nftables", "nf_tables (CONFIG_NF_TABLES)", probeNftables},
		{"vnifilter", "VXLAN VNI filtering, RTM_NEWTUNNEL (Linux 5.18)", probeVNIFilter},
		{"gso_ipv4_max_size", "the IPv4 GSO and GRO limits of links (Linux 6.3)", linkAttrProbe(unix.IFLA_GSO_IPV4_MAX_SIZE)},
		{"nexthop:wide_weights", "16-bit nexthop group weights (Linux 6.12)", probeWideWeights},
		{"nexthop:resilient", "resilient nexthop groups and their buckets (Linux 5.13)", probeResilient},
		// Rule selectors newer than many kernels and than iproute2 6.1.
		{"rule:dscp", "the DSCP rule selector (Linux 6.12)",
			ruleProbe(unix.AF_INET, fraDSCP, rawnl.Attr(fraDSCP, []byte{46}))},
		{"rule:dscp_mask", "the DSCP mask rule selector (Linux 6.17)",
			ruleProbe(unix.AF_INET, fraDSCPMask, rawnl.Attr(fraDSCP, []byte{0x20}), rawnl.Attr(fraDSCPMask, []byte{0x38}))},
		{"rule:flowlabel", "the IPv6 flow label rule selector (Linux 6.13)",
			ruleProbe(unix.AF_INET6, fraFlowLabel, rawnl.Attr(fraFlowLabel, beUint32(0x12340)), rawnl.Attr(fraFlowLabelMask, beUint32(0xffff0)))},
		{"rule:port_mask", "rule port masks (Linux 6.15)",
			ruleProbe(unix.AF_INET, fraDportMask, rawnl.Attr(unix.FRA_IP_PROTO, []byte{unix.IPPROTO_UDP}),
				rawnl.Attr(unix.FRA_DPORT_RANGE, slices.Concat(nlUint16(0x1200), nlUint16(0x1200))), rawnl.Attr(fraDportMask, nlUint16(0xff00)))},
	}
	// Link kinds: "ip link add NAME [link p0] type KIND ARGS..." with
	// arguments that a kernel with the kind accepts.
	for _, k := range []struct {
		kind, config string
		lower        bool // needs a lower device
		args         []string
	}{
		{"bareudp", "CONFIG_BAREUDP", false, []string{"dstport", "6635", "ethertype", "mpls_uc"}},
		{"batadv", "CONFIG_BATMAN_ADV", false, nil},
		{"bond", "CONFIG_BONDING", false, nil},
		{"bridge", "CONFIG_BRIDGE", false, nil},
		{"dummy", "CONFIG_DUMMY", false, nil},
		{"erspan", "CONFIG_NET_IPGRE", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1", "seq", "key", "1", "erspan_ver", "1", "erspan", "3"}},
		{"geneve", "CONFIG_GENEVE", false, []string{"id", "1", "remote", "192.0.2.9"}},
		{"gtp", "CONFIG_GTP", false, []string{"role", "ggsn"}},
		{"gre", "CONFIG_NET_IPGRE", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1"}},
		{"gretap", "CONFIG_NET_IPGRE", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1"}},
		{"ifb", "CONFIG_IFB", false, nil},
		{"ip6gre", "CONFIG_IPV6_GRE", false, []string{"remote", "2001:db8::9", "local", "2001:db8::1"}},
		{"hsr", "CONFIG_HSR", false, []string{"slave1", "p0", "slave2", "p1"}},
		{"ip6erspan", "CONFIG_IPV6_GRE", false, []string{"remote", "2001:db8::9", "local", "2001:db8::1", "seq", "key", "1", "erspan_ver", "1", "erspan", "3"}},
		{"ip6tnl", "CONFIG_IPV6_TUNNEL", false, []string{"remote", "2001:db8::9", "local", "2001:db8::1"}},
		{"ipip", "CONFIG_NET_IPIP", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1"}},
		{"ipvlan", "CONFIG_IPVLAN", true, nil},
		{"ipvtap", "CONFIG_IPVTAP", true, nil},
		{"macsec", "CONFIG_MACSEC", true, nil},
		{"macvlan", "CONFIG_MACVLAN", true, nil},
		{"macvtap", "CONFIG_MACVTAP", true, nil},
		{"netkit", "CONFIG_NETKIT", false, nil},
		{"nlmon", "CONFIG_NLMON", false, nil},
		{"sit", "CONFIG_IPV6_SIT", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1"}},
		{"team", "CONFIG_NET_TEAM", false, nil},
		{"vcan", "CONFIG_CAN_VCAN", false, nil},
		{"veth", "CONFIG_VETH", false, []string{"peer", "name", "pkpeer"}},
		{"vlan", "CONFIG_VLAN_8021Q", true, []string{"id", "7"}},
		{"vti", "CONFIG_NET_IPVTI", false, []string{"remote", "192.0.2.9", "local", "192.0.2.1"}},
		{"vti6", "CONFIG_IPV6_VTI", false, []string{"remote", "2001:db8::9", "local", "2001:db8::1"}},
		{"vxcan", "CONFIG_CAN_VXCAN", false, []string{"peer", "name", "pkvxpeer"}},
		{"vrf", "CONFIG_NET_VRF", false, []string{"table", "10"}},
		{"vxlan", "CONFIG_VXLAN", false, []string{"id", "1", "dstport", "4789"}},
		{"wireguard", "CONFIG_WIREGUARD", false, nil},
		{"xfrm", "CONFIG_XFRM_INTERFACE", false, []string{"if_id", "1"}},
	} {
		name := "pk" + k.kind
		if len(name) > 15 {
			name = name[:15]
		}
		args := []string{"link", "add", name}
		if k.lower {
			args = append(args, "link", "p0")
		}
		args = append(append(args, "type", k.kind), k.args...)
		list = append(list, feature{"link:" + k.kind, k.kind + " links (" + k.config + ")", ipProbe(linkMissing, args...)})
	}
	// Queueing disciplines, on p0's root (or p1's ingress), removed again
	// so that the next can take the place.
	for _, q := range []tcKind{
		{"bfifo", "CONFIG_NET_SCH_FIFO", nil},
		{"cake", "CONFIG_NET_SCH_CAKE", nil},
		{"drr", "CONFIG_NET_SCH_DRR", nil},
		{"ets", "CONFIG_NET_SCH_ETS", []string{"bands", "2"}},
		{"fq", "CONFIG_NET_SCH_FQ", nil},
		{"fq_codel", "CONFIG_NET_SCH_FQ_CODEL", nil},
		{"hfsc", "CONFIG_NET_SCH_HFSC", nil},
		{"htb", "CONFIG_NET_SCH_HTB", nil},
		{"netem", "CONFIG_NET_SCH_NETEM", nil},
		{"pfifo", "CONFIG_NET_SCH_FIFO", nil},
		{"pie", "CONFIG_NET_SCH_PIE", nil},
		{"prio", "CONFIG_NET_SCH_PRIO", nil},
		{"red", "CONFIG_NET_SCH_RED", []string{"limit", "400000", "avpkt", "1000", "bandwidth", "10mbit"}},
		{"sfq", "CONFIG_NET_SCH_SFQ", nil},
		{"tbf", "CONFIG_NET_SCH_TBF", []string{"rate", "1mbit", "burst", "10k", "latency", "50ms"}},
	} {
		add := append([]string{"qdisc", "add", "dev", "p0", "root", "handle", "1:", q.kind}, q.args...)
		list = append(list, feature{"qdisc:" + q.kind, q.kind + " qdiscs (" + q.config + ")",
			tcProbe(qdiscMissing, nil, add, []string{"qdisc", "del", "dev", "p0", "root"})})
	}
	for _, q := range []string{"clsact", "ingress"} {
		list = append(list, feature{"qdisc:" + q, q + " qdiscs (CONFIG_NET_SCH_INGRESS)",
			tcProbe(qdiscMissing, nil, []string{"qdisc", "add", "dev", "p1", q}, []string{"qdisc", "del", "dev", "p1", q})})
	}
	// Classifiers, on p0's ingress (a clsact qdisc made for them).
	for i, c := range []tcKind{
		{"basic", "CONFIG_NET_CLS_BASIC", nil},
		{"cgroup", "CONFIG_NET_CLS_CGROUP", nil},
		{"flower", "CONFIG_NET_CLS_FLOWER", nil},
		{"fw", "CONFIG_NET_CLS_FW", nil},
		{"matchall", "CONFIG_NET_CLS_MATCHALL", nil},
		{"route", "CONFIG_NET_CLS_ROUTE4", nil},
		{"u32", "CONFIG_NET_CLS_U32", nil},
		{"bpf", "CONFIG_NET_CLS_BPF", []string{"bytecode", "1,6 0 0 0,"}},
		{"flow", "CONFIG_NET_CLS_FLOW", []string{"hash", "keys", "src"}},
	} {
		add := append([]string{"filter", "add", "dev", "p0", "ingress", "pref", fmt.Sprint(i + 1), "protocol", "all", c.kind}, c.args...)
		list = append(list, feature{"cls:" + c.kind, c.kind + " classifiers (" + c.config + ")",
			tcProbe(clsMissing, []string{"qdisc", "add", "dev", "p0", "clsact"}, add, nil)})
	}
	// Actions, added to the scratch namespace's action tables.
	for _, a := range []tcKind{
		{"connmark", "CONFIG_NET_ACT_CONNMARK", nil},
		{"csum", "CONFIG_NET_ACT_CSUM", []string{"ip4h"}},
		{"ct", "CONFIG_NET_ACT_CT", nil},
		{"gact", "CONFIG_NET_ACT_GACT", []string{"pass"}},
		{"mirred", "CONFIG_NET_ACT_MIRRED", []string{"egress", "redirect", "dev", "p1"}},
		{"nat", "CONFIG_NET_ACT_NAT", []string{"ingress", "10.0.0.1", "10.0.0.2"}},
		{"pedit", "CONFIG_NET_ACT_PEDIT", []string{"ex", "munge", "ip", "ttl", "set", "1"}},
		{"police", "CONFIG_NET_ACT_POLICE", []string{"rate", "1mbit", "burst", "10k"}},
		{"sample", "CONFIG_NET_ACT_SAMPLE", []string{"rate", "10", "group", "1"}},
		{"skbedit", "CONFIG_NET_ACT_SKBEDIT", []string{"mark", "1"}},
		{"tunnel_key", "CONFIG_NET_ACT_TUNNEL_KEY", []string{"unset"}},
		{"vlan", "CONFIG_NET_ACT_VLAN", []string{"pop"}},
	} {
		add := append([]string{"actions", "add", "action", a.kind}, a.args...)
		list = append(list, feature{"act:" + a.kind, a.kind + " actions (" + a.config + ")", tcProbe(actMissing, nil, add, nil)})
	}
	// Generic-netlink families, by the name the kernel registers.
	for _, g := range []struct{ family, what string }{
		{"devlink", "devlink (CONFIG_NET_DEVLINK)"},
		{"ethtool", "ethtool netlink (CONFIG_ETHTOOL_NETLINK)"},
		{"fou", "foo-over-UDP (CONFIG_NET_FOU)"},
		{"ila", "Identifier-Locator Addressing (CONFIG_IPV6_ILA)"},
		{"IOAM6", "IPv6 IOAM (CONFIG_IPV6_IOAM6_LWTUNNEL)"},
		{"l2tp", "L2TPv3 (CONFIG_L2TP)"},
		{"macsec", "MACsec (CONFIG_MACSEC)"},
		{"mptcp_pm", "the MPTCP path manager (CONFIG_MPTCP)"},
		{"netdev", "the netdev family (Linux 6.3)"},
		{"nl80211", "nl80211 (CONFIG_CFG80211)"},
		{"SEG6", "the SEG6 family (CONFIG_IPV6_SEG6_HMAC or seg6)"},
		{"TASKSTATS", "taskstats (CONFIG_TASKSTATS)"},
		{"tcp_metrics", "TCP metrics (CONFIG_INET)"},
		{"team", "team (CONFIG_NET_TEAM)"},
		{"wireguard", "WireGuard (CONFIG_WIREGUARD)"},
	} {
		list = append(list, feature{"genl:" + g.family, "the generic-netlink family " + g.what, genlProbe(g.family)})
	}
	// Operations of generic-netlink families that came after the family.
	list = append(list,
		feature{"netdev:queue", "netdev's queue-get (Linux 6.8)", genlOpProbe("netdev", 10)},
		feature{"netdev:napi", "netdev's napi-get (Linux 6.8)", genlOpProbe("netdev", 11)},
		// A kernel without HMAC support still registers SEG6 (for the
		// tunnel source) and answers the HMAC commands with its ENOTSUPP.
		feature{"seg6:hmac", "the HMAC keys of SRv6 (CONFIG_IPV6_SEG6_HMAC)",
			ipProbe(append([]string{"Unknown error 524"}, genlMissing...), "sr", "hmac", "show")},
		feature{"xfrm", "XFRM netlink, \"ip xfrm\" (CONFIG_XFRM_USER)",
			ipProbe(xfrmMissing, "xfrm", "policy", "count")},
		// Each SA kind needs its protocol's module and the algorithms the
		// probe names; the SA goes with the scratch namespace.
		feature{"xfrm:esp", "IPv4 ESP SAs with cbc(aes) and hmac(sha256) (CONFIG_INET_ESP, CONFIG_CRYPTO_AES)",
			ipProbe(xfrmMissing, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
				"spi", "0x100", "enc", "cbc(aes)", "0x"+strings.Repeat("11", 16), "auth", "hmac(sha256)", "0x"+strings.Repeat("22", 32))},
		feature{"xfrm:esp6", "IPv6 ESP SAs with cbc(aes) and hmac(sha256) (CONFIG_INET6_ESP, CONFIG_CRYPTO_AES)",
			ipProbe(xfrmMissing, "xfrm", "state", "add", "src", "2001:db8::1", "dst", "2001:db8::2", "proto", "esp",
				"spi", "0x100", "enc", "cbc(aes)", "0x"+strings.Repeat("11", 16), "auth", "hmac(sha256)", "0x"+strings.Repeat("22", 32))},
		feature{"xfrm:aead", "IPv4 ESP SAs with rfc4106(gcm(aes)) (CONFIG_INET_ESP, CONFIG_CRYPTO_GCM)",
			ipProbe(xfrmMissing, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
				"spi", "0x101", "aead", "rfc4106(gcm(aes))", "0x"+strings.Repeat("33", 20), "128")},
		feature{"xfrm:ah", "IPv4 AH SAs with hmac(sha1) (CONFIG_INET_AH)",
			ipProbe(xfrmMissing, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "ah",
				"spi", "0x102", "auth", "hmac(sha1)", "0x"+strings.Repeat("44", 20))},
		feature{"xfrm:comp", "IPv4 IPComp SAs with deflate (CONFIG_INET_IPCOMP)",
			ipProbe(xfrmMissing, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "comp",
				"spi", "0x103", "comp", "deflate")},
	)
	return list
}

// xfrmMissing are the errors of a kernel without XFRM netlink, an SA
// protocol ("Requested type not found") or an algorithm ("Requested CRYPT
// algorithm not found").
var xfrmMissing = []string{"not found", "Protocol not supported"}

// tcKind is a traffic-control kind the features table probes for: its
// name, the kernel option that builds it, and the arguments tc needs
// after the kind to add one.
type tcKind struct {
	kind, config string
	args         []string
}

// lookup returns the feature called name.
func lookup(name string) (*feature, bool) {
	all := features()
	for i := range all {
		if all[i].name == name {
			return &all[i], true
		}
	}
	return nil, false
}

// probeResult is the cached answer of a feature's probe.
type probeResult struct {
	present bool
	err     error
}

var (
	probeMu sync.Mutex
	probed  map[string]probeResult
	// probeRuns counts each feature's probes, for the cache's test.
	probeRuns map[string]int
)

// probe answers, for each of names, whether the kernel has it, probing
// those not yet probed in one scratch namespace.
func probe(names []string) map[string]probeResult {
	probeMu.Lock()
	defer probeMu.Unlock()
	if probed == nil {
		probed, probeRuns = map[string]probeResult{}, map[string]int{}
	}
	var s *scratch
	for _, n := range names {
		if _, ok := probed[n]; ok {
			continue
		}
		f, _ := lookup(n)
		if s == nil {
			s = &scratch{}
			defer s.close()
		}
		present, err := f.probe(s)
		if err != nil {
			err = fmt.Errorf("nstest: probing kernel feature %s: %w", n, err)
		}
		probed[n] = probeResult{present, err}
		probeRuns[n]++
	}
	out := make(map[string]probeResult, len(names))
	for _, n := range names {
		out[n] = probed[n]
	}
	return out
}

// missing applies the feature policy to names: it fails t for a name that
// is not a known feature (or a bad IPR_TEST_ASSUME_MISSING), applies the
// privilege policy, probes, and returns the missing features with the skip
// message of each.
func missing(t testing.TB, names []string) (absent []string, why map[string]string) {
	t.Helper()
	for _, n := range names {
		if _, ok := lookup(n); !ok {
			t.Fatalf("nstest: unknown kernel feature %q (see the table in internal/nstest/features.go)", n)
		}
	}
	assumed, err := assumedMissing()
	if err != nil {
		t.Fatal(err)
	}
	RequirePrivileged(t)
	var toProbe []string
	for _, n := range names {
		if !assumed(n) {
			toProbe = append(toProbe, n)
		}
	}
	if len(toProbe) > 0 {
		ipPath(t) // the probes' tool, under the same policy
	}
	results := probe(toProbe)
	why = map[string]string{}
	for _, n := range names {
		f, _ := lookup(n)
		if assumed(n) {
			why[n] = fmt.Sprintf("%s%s: %s (assumed missing by %s)", SkipMarker, n, f.what, AssumeMissingEnv)
		} else if r := results[n]; r.err != nil {
			t.Fatal(r.err)
		} else if r.present {
			continue
		} else {
			why[n] = fmt.Sprintf("%s%s: %s", SkipMarker, n, f.what)
		}
		if !slices.Contains(absent, n) {
			absent = append(absent, n)
		}
	}
	return absent, why
}

// assumedMissing parses IPR_TEST_ASSUME_MISSING, afresh on each call so
// that a test can set it with t.Setenv.
func assumedMissing() (func(string) bool, error) {
	v := strings.TrimSpace(os.Getenv(AssumeMissingEnv))
	if v == "" {
		return func(string) bool { return false }, nil
	}
	var names []string
	for _, n := range strings.Split(v, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
		case n == "all":
			return func(string) bool { return true }, nil
		default:
			if _, ok := lookup(n); !ok {
				return nil, fmt.Errorf("nstest: %s names an unknown kernel feature %q", AssumeMissingEnv, n)
			}
			names = append(names, n)
		}
	}
	return func(n string) bool { return slices.Contains(names, n) }, nil
}

// Require skips t unless the kernel has every one of features, with a
// message that names those it lacks. An unknown feature name fails t;
// then the privilege policy of [RequirePrivileged] applies, since probing
// needs root.
func Require(t testing.TB, features ...string) {
	t.Helper()
	absent, why := missing(t, features)
	if len(absent) == 0 {
		return
	}
	msgs := make([]string, len(absent))
	for i, n := range absent {
		msgs[i] = why[n]
		logSkip(t, n, t.Name())
	}
	t.Skip(strings.Join(msgs, "; "))
}

// reported remembers which missing features Have has reported for which
// test, so that each is reported once per test.
var (
	reportedMu sync.Mutex
	reported   map[reportKey]bool
)

type reportKey struct {
	t    testing.TB
	name string
}

// Have reports whether the kernel has every one of features, for a test
// that leaves out only the part that needs them. Each missing feature is
// reported once per test: for a *testing.T as a skipped subtest named
// after the feature, whose message names it, so that the skip is counted;
// for a benchmark in its log. An unknown feature name fails t; then the
// privilege policy of [RequirePrivileged] applies, since probing needs
// root.
func Have(t testing.TB, features ...string) bool {
	t.Helper()
	absent, why := missing(t, features)
	for _, n := range absent {
		reportedMu.Lock()
		if reported == nil {
			reported = map[reportKey]bool{}
		}
		k := reportKey{t, n}
		done := reported[k]
		reported[k] = true
		reportedMu.Unlock()
		if done {
			continue
		}
		t.Cleanup(func() {
			reportedMu.Lock()
			delete(reported, k)
			reportedMu.Unlock()
		})
		if tt, ok := t.(*testing.T); ok {
			tt.Run(n, func(t *testing.T) {
				logSkip(t, n, t.Name())
				t.Skip(why[n])
			})
		} else {
			logSkip(t, n, t.Name())
			t.Logf("leaving out what needs it: %s", why[n])
		}
	}
	return len(absent) == 0
}

// logSkip appends the skip to the file IPR_TEST_SKIPLOG names, if any.
func logSkip(t testing.TB, feature, test string) {
	t.Helper()
	path := os.Getenv(SkipLogEnv)
	if path == "" {
		return
	}
	// One write of one short line to a file opened for appending, so that
	// the lines of test binaries running at once do not interleave.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = f.WriteString(feature + "\t" + test + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Errorf("nstest: recording the skip in %s: %v", SkipLogEnv, err)
	}
}

// scratch is the namespace in which probes run, made on first use: lo up,
// and a veth pair p0/p1, up, with p0 at 192.0.2.1/24 and 2001:db8::1/64.
type scratch struct {
	name   string
	handle *netns.Handle
	ip     string
	err    error // of the set-up, returned to every probe
	ready  bool
	pre    []string // tc commands already run
	n      int
}

// setup makes the namespace if it is not made yet.
func (s *scratch) setup() error {
	if s.ready || s.err != nil {
		return s.err
	}
	s.ready = true
	if s.ip, s.err = exec.LookPath("ip"); s.err != nil {
		return s.err
	}
	sweepOnce.Do(sweepOrphans)
	for {
		s.name = fmt.Sprintf("ipr-test-%d-%d", os.Getpid(), counter.Add(1))
		err := netns.Add(s.name)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			s.name, s.err = "", err
			return err
		}
	}
	if s.handle, s.err = netns.Open(s.name); s.err != nil {
		return s.err
	}
	for _, c := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "p0", "type", "veth", "peer", "name", "p1"},
		{"link", "set", "p0", "up"},
		{"link", "set", "p1", "up"},
		{"addr", "add", "192.0.2.1/24", "dev", "p0"},
		{"addr", "add", "2001:db8::1/64", "dev", "p0", "nodad"},
	} {
		if _, err := s.run(append([]string{s.ip, "-n", s.name}, c...)); err != nil {
			s.err = fmt.Errorf("setting up the scratch namespace: %w", err)
			return s.err
		}
	}
	return nil
}

func (s *scratch) close() {
	if s.handle != nil {
		s.handle.Close()
	}
	if s.name != "" {
		netns.Delete(s.name)
	}
}

// run runs argv and returns its standard error; a failure's error carries
// the command and its standard error.
func (s *scratch) run(argv []string) (string, error) {
	// A probe must not wait forever on a wedged tool.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stderr.String(), err
}

// try runs argv: the feature is present if it succeeds, absent if it fails
// with one of the markers in its standard error; any other failure is the
// probe's error.
func (s *scratch) try(absent []string, argv []string) (bool, error) {
	stderr, err := s.run(argv)
	if err == nil {
		return true, nil
	}
	for _, m := range absent {
		if strings.Contains(stderr, m) {
			return false, nil
		}
	}
	return false, err
}

// ipProbe probes with "ip -n SCRATCH args...".
func ipProbe(absent []string, args ...string) func(*scratch) (bool, error) {
	return func(s *scratch) (bool, error) {
		if err := s.setup(); err != nil {
			return false, err
		}
		return s.try(absent, append([]string{s.ip, "-n", s.name}, args...))
	}
}

// tcProbe probes with "tc add..." in the scratch namespace, after running
// pre once per namespace if it is not nil, and runs del afterwards if it
// is not nil.
func tcProbe(absent, pre, add, del []string) func(*scratch) (bool, error) {
	return func(s *scratch) (bool, error) {
		if err := s.setup(); err != nil {
			return false, err
		}
		tc := []string{s.ip, "netns", "exec", s.name, "tc"}
		if key := strings.Join(pre, " "); pre != nil && !slices.Contains(s.pre, key) {
			if _, err := s.run(append(slices.Clone(tc), pre...)); err != nil {
				return false, err
			}
			s.pre = append(s.pre, key)
		}
		ok, err := s.try(absent, append(slices.Clone(tc), add...))
		if ok && del != nil {
			_, err = s.run(append(slices.Clone(tc), del...))
		}
		return ok, err
	}
}

// genlProbe asks the kernel for a generic-netlink family with iproute2's
// genl; families are the kernel's, not a namespace's.
func genlProbe(family string) func(*scratch) (bool, error) {
	return func(s *scratch) (bool, error) {
		genl, err := exec.LookPath("genl")
		if err != nil {
			return false, err
		}
		return s.try(genlMissing, []string{genl, "ctrl", "get", "name", family})
	}
}

// genlOpProbe asks nlctrl whether family has the operation op; a kernel
// without the family lacks it too.
func genlOpProbe(family string, op uint32) func(*scratch) (bool, error) {
	return func(*scratch) (bool, error) {
		c, err := dialNetlink(unix.NETLINK_GENERIC)
		if err != nil {
			return false, err
		}
		defer c.close()
		body := []byte{unix.CTRL_CMD_GETFAMILY, 2, 0, 0}
		body = append(body, rawnl.Attr(unix.CTRL_ATTR_FAMILY_NAME, append([]byte(family), 0))...)
		msgs, err := c.request(unix.GENL_ID_CTRL, 0, body)
		if errors.Is(err, unix.ENOENT) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for _, m := range msgs {
			for _, a := range nlAttrList(m.Data[min(len(m.Data), unix.GENL_HDRLEN):]) {
				if a.typ != unix.CTRL_ATTR_OPS {
					continue
				}
				for _, o := range nlAttrList(a.data) {
					for _, x := range nlAttrList(o.data) {
						if x.typ == unix.CTRL_ATTR_OP_ID && len(x.data) == 4 && binary.NativeEndian.Uint32(x.data) == op {
							return true, nil
						}
					}
				}
			}
		}
		return false, nil
	}
}

// rawAttr is one attribute that nlAttrs split.
type rawAttr struct {
	typ  uint16
	data []byte
}

// nlAttrList splits b into attributes, stopping at the first malformed one.
func nlAttrList(b []byte) []rawAttr {
	var out []rawAttr
	for len(b) >= 4 {
		n := int(binary.NativeEndian.Uint16(b))
		if n < 4 || n > len(b) {
			break
		}
		out = append(out, rawAttr{binary.NativeEndian.Uint16(b[2:]) &^ (unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER), b[4:n]})
		b = b[min(len(b), (n+3)&^3):]
	}
	return out
}

// probeMPLS checks for the MPLS label table size of the scratch
// namespace, which exists only with MPLS routing, and sets it, as a test of
// MPLS routes must.
func probeMPLS(s *scratch) (bool, error) {
	if err := s.setup(); err != nil {
		return false, err
	}
	present := true
	err := netns.Do(s.handle, func() error {
		// /proc/sys/net is the namespace of the thread that opens it.
		err := os.WriteFile("/proc/sys/net/mpls/platform_labels", []byte("16"), 0)
		if errors.Is(err, fs.ErrNotExist) {
			present, err = false, nil
		}
		return err
	})
	return present && err == nil, err
}

// probeNftables lists the scratch namespace's nf_tables tables over
// NETLINK_NETFILTER (iproute2 has no nft).
func probeNftables(s *scratch) (bool, error) {
	if err := s.setup(); err != nil {
		return false, err
	}
	var present bool
	err := netns.Do(s.handle, func() error {
		c, err := dialNetlink(unix.NETLINK_NETFILTER)
		if errors.Is(err, unix.EPROTONOSUPPORT) {
			return nil // no nfnetlink at all
		}
		if err != nil {
			return err
		}
		defer c.close()
		// nfgenmsg {family AF_UNSPEC, version 0, res_id 0}.
		_, err = c.request(unix.NFNL_SUBSYS_NFTABLES<<8|unix.NFT_MSG_GETTABLE, unix.NLM_F_DUMP, make([]byte, 4))
		switch {
		case err == nil:
			present = true
		case errors.Is(err, unix.EINVAL), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EPROTONOSUPPORT):
			err = nil // nfnetlink without nf_tables
		}
		return err
	})
	return present, err
}

// probeWideWeights adds a nexthop group with a weight over 256 over
// rtnetlink (iproute2 6.1 cannot): older kernels refuse the high byte of
// the weight, which was reserved.
func probeWideWeights(s *scratch) (bool, error) {
	if err := s.setup(); err != nil {
		return false, err
	}
	for _, c := range [][]string{
		{"nexthop", "add", "id", "100", "dev", "p0"},
		{"nexthop", "add", "id", "101", "via", "192.0.2.9", "dev", "p0"},
	} {
		if _, err := s.run(append([]string{s.ip, "-n", s.name}, c...)); err != nil {
			return false, err
		}
	}
	// struct nhmsg, NHA_ID, and NHA_GROUP holding struct nexthop_grp
	// {id, weight, weight_high, resvd2} with the weights less one.
	grp := slices.Concat(nlUint32(100), []byte{0, 0}, nlUint16(0), nlUint32(101), []byte{43, 1}, nlUint16(0))
	req := slices.Concat(make([]byte, 8), rawnl.Attr(unix.NHA_ID, nlUint32(102)), rawnl.Attr(unix.NHA_GROUP, grp))
	return s.routeConn(func(c *nlConn) (bool, error) {
		_, err := c.request(unix.RTM_NEWNEXTHOP, unix.NLM_F_CREATE|unix.NLM_F_EXCL, req)
		if errors.Is(err, unix.EINVAL) {
			return false, nil
		}
		return err == nil, err
	})
}

// probeResilient adds a resilient nexthop group of two buckets: kernels
// without nexthop objects or without resilient groups refuse it.
func probeResilient(s *scratch) (bool, error) {
	if err := s.setup(); err != nil {
		return false, err
	}
	ip := []string{s.ip, "-n", s.name, "nexthop", "add"}
	if ok, err := s.try(notSupported, append(slices.Clone(ip), "id", "110", "dev", "p0")); !ok {
		return false, err
	}
	absent := append(slices.Clone(notSupported), "Invalid group type", "Unknown attribute", "Invalid argument")
	return s.try(absent, append(ip, "id", "111", "group", "110", "type", "resilient", "buckets", "2"))
}

// routeConn runs f over an rtnetlink socket of the scratch namespace and
// returns what f found.
func (s *scratch) routeConn(f func(c *nlConn) (bool, error)) (bool, error) {
	var present bool
	err := netns.Do(s.handle, func() error {
		c, err := dialNetlink(unix.NETLINK_ROUTE)
		if err != nil {
			return err
		}
		defer c.close()
		present, err = f(c)
		return err
	})
	return present, err
}

// linkAttrProbe asks for p0 over rtnetlink and looks for the link
// attribute want in the reply: kernels report every link attribute they
// know.
func linkAttrProbe(want uint16) func(*scratch) (bool, error) {
	return func(s *scratch) (bool, error) {
		if err := s.setup(); err != nil {
			return false, err
		}
		return s.routeConn(func(c *nlConn) (present bool, err error) {
			req := slices.Concat(make([]byte, unix.SizeofIfInfomsg), rawnl.Attr(unix.IFLA_IFNAME, []byte("p0\x00")))
			msgs, err := c.request(unix.RTM_GETLINK, 0, req)
			for _, m := range msgs {
				if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < unix.SizeofIfInfomsg {
					continue
				}
				if _, ok := nlAttrs(m.Data[unix.SizeofIfInfomsg:])[want]; ok {
					present = true
				}
			}
			return present, err
		})
	}
}

// probeVNIFilter adds a VNI to a VXLAN device in VNI filtering mode:
// a kernel without the tunnel messages answers "bridge vni add" with
// EOPNOTSUPP (and one without VXLAN refuses the device).
func probeVNIFilter(s *scratch) (bool, error) {
	if err := s.setup(); err != nil {
		return false, err
	}
	ok, err := s.try(linkMissing, []string{s.ip, "-n", s.name, "link", "add", "pkvnifilter", "type", "vxlan",
		"dstport", "4791", "external", "vnifilter"})
	if !ok || err != nil {
		return ok, err
	}
	bridge, err := exec.LookPath("bridge")
	if err != nil {
		return false, err
	}
	return s.try(notSupported, []string{bridge, "-n", s.name, "vni", "add", "dev", "pkvnifilter", "vni", "1"})
}

// Rule attributes newer than x/sys/unix (linux/fib_rules.h).
const (
	fraDSCP          = 25
	fraFlowLabel     = 26
	fraFlowLabelMask = 27
	fraDportMask     = 29
	fraDSCPMask      = 30
)

// ruleProbe adds a rule of family with the attributes attrs (encoded by
// nlAttr) in the scratch namespace, over rtnetlink since iproute2 may not
// know them, and looks for the attribute want in the kernel's dump of it:
// a kernel older than the attribute either refuses it or, parsing rules
// liberally, ignores it.
func ruleProbe(family uint8, want uint16, attrs ...[]byte) func(*scratch) (bool, error) {
	return func(s *scratch) (bool, error) {
		if err := s.setup(); err != nil {
			return false, err
		}
		s.n++
		prio := uint32(1000 + s.n)
		// struct fib_rule_hdr: family, dst_len, src_len, tos, table,
		// res1, res2, action (FR_ACT_TO_TBL), flags.
		hdr := []byte{family, 0, 0, 0, 0, 0, 0, unix.FR_ACT_TO_TBL, 0, 0, 0, 0}
		req := slices.Concat(append([][]byte{hdr, rawnl.Attr(unix.FRA_PRIORITY, nlUint32(prio)),
			rawnl.Attr(unix.FRA_TABLE, nlUint32(10))}, attrs...)...)
		return s.routeConn(func(c *nlConn) (present bool, err error) {
			_, err = c.request(unix.RTM_NEWRULE, unix.NLM_F_CREATE|unix.NLM_F_EXCL, req)
			if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ERANGE) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			rules, err := c.request(unix.RTM_GETRULE, unix.NLM_F_DUMP, hdr)
			for _, r := range rules {
				if r.Header.Type != unix.RTM_NEWRULE || len(r.Data) < len(hdr) {
					continue
				}
				found := nlAttrs(r.Data[len(hdr):])
				if p := found[unix.FRA_PRIORITY]; len(p) == 4 && binary.NativeEndian.Uint32(p) == prio {
					_, present = found[want]
				}
			}
			return present, err
		})
	}
}

// nlAttrs decodes an attribute chain into its payloads by type (the last
// of a repeated type), stopping at the first malformed attribute.
func nlAttrs(b []byte) map[uint16][]byte {
	found := map[uint16][]byte{}
	for _, a := range nlAttrList(b) {
		found[a.typ] = a.data
	}
	return found
}

func nlUint32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func nlUint16(v uint16) []byte { return binary.NativeEndian.AppendUint16(nil, v) }
func beUint32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// nlConn is a netlink socket for the probes that iproute2 cannot express.
type nlConn struct {
	fd  int
	seq uint32
}

// dialNetlink opens a netlink socket of protocol proto in the calling
// thread's namespace.
func dialNetlink(proto int) (*nlConn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	// A reply that never comes must not hang the test.
	tv := unix.Timeval{Sec: 10}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	return &nlConn{fd: fd}, nil
}

func (c *nlConn) close() { unix.Close(c.fd) }

// request sends a request of type typ with body, acknowledged, and returns
// the messages of the reply up to the acknowledgement or the dump's end;
// the kernel's error is an unix.Errno.
func (c *nlConn) request(typ, flags uint16, body []byte) ([]syscall.NetlinkMessage, error) {
	c.seq++
	req := rawnl.Msg(typ, flags|unix.NLM_F_REQUEST|unix.NLM_F_ACK, c.seq, 0, body)
	if err := unix.Sendto(c.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("netlink request: %w", err)
	}
	var out []syscall.NetlinkMessage
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(c.fd, buf, 0)
		if err != nil {
			return nil, fmt.Errorf("netlink reply: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, fmt.Errorf("netlink reply: %w", err)
		}
		for _, m := range msgs {
			if m.Header.Seq != c.seq {
				continue
			}
			switch m.Header.Type {
			case unix.NLMSG_DONE:
				return out, nil
			case unix.NLMSG_ERROR:
				if len(m.Data) < 4 {
					return nil, errors.New("netlink reply: short error")
				}
				if errno := unix.Errno(-int32(binary.NativeEndian.Uint32(m.Data))); errno != 0 {
					return nil, fmt.Errorf("netlink reply: %w", errno)
				}
				return out, nil
			default:
				m.Data = slices.Clone(m.Data)
				out = append(out, m)
			}
		}
	}
}
