package uapi

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMatchesHeaders checks each constant against the enum of the kernel
// header it comes from, where the headers are installed (Debian's
// linux-libc-dev).
func TestMatchesHeaders(t *testing.T) {
	want := map[string]int{
		"IFLA_IPTUN_LINK": IFLA_IPTUN_LINK, "IFLA_IPTUN_LOCAL": IFLA_IPTUN_LOCAL, "IFLA_IPTUN_REMOTE": IFLA_IPTUN_REMOTE,
		"IFLA_IPTUN_TTL": IFLA_IPTUN_TTL, "IFLA_IPTUN_TOS": IFLA_IPTUN_TOS, "IFLA_IPTUN_ENCAP_LIMIT": IFLA_IPTUN_ENCAP_LIMIT,
		"IFLA_IPTUN_FLOWINFO": IFLA_IPTUN_FLOWINFO, "IFLA_IPTUN_FLAGS": IFLA_IPTUN_FLAGS, "IFLA_IPTUN_PROTO": IFLA_IPTUN_PROTO,
		"IFLA_IPTUN_PMTUDISC": IFLA_IPTUN_PMTUDISC, "IFLA_IPTUN_6RD_PREFIX": IFLA_IPTUN_6RD_PREFIX,
		"IFLA_IPTUN_6RD_RELAY_PREFIX": IFLA_IPTUN_6RD_RELAY_PREFIX, "IFLA_IPTUN_6RD_PREFIXLEN": IFLA_IPTUN_6RD_PREFIXLEN,
		"IFLA_IPTUN_6RD_RELAY_PREFIXLEN": IFLA_IPTUN_6RD_RELAY_PREFIXLEN, "IFLA_IPTUN_ENCAP_TYPE": IFLA_IPTUN_ENCAP_TYPE,
		"IFLA_IPTUN_ENCAP_FLAGS": IFLA_IPTUN_ENCAP_FLAGS, "IFLA_IPTUN_ENCAP_SPORT": IFLA_IPTUN_ENCAP_SPORT,
		"IFLA_IPTUN_ENCAP_DPORT": IFLA_IPTUN_ENCAP_DPORT, "IFLA_IPTUN_COLLECT_METADATA": IFLA_IPTUN_COLLECT_METADATA,
		"IFLA_IPTUN_FWMARK": IFLA_IPTUN_FWMARK,
		"IFLA_VTI_LINK":     IFLA_VTI_LINK, "IFLA_VTI_IKEY": IFLA_VTI_IKEY, "IFLA_VTI_OKEY": IFLA_VTI_OKEY,
		"IFLA_VTI_LOCAL": IFLA_VTI_LOCAL, "IFLA_VTI_REMOTE": IFLA_VTI_REMOTE, "IFLA_VTI_FWMARK": IFLA_VTI_FWMARK,
		"IFLA_BRIDGE_FLAGS": IFLA_BRIDGE_FLAGS, "IFLA_BRIDGE_MODE": IFLA_BRIDGE_MODE,
		"IFLA_BRIDGE_VLAN_INFO": IFLA_BRIDGE_VLAN_INFO, "IFLA_BRIDGE_VLAN_TUNNEL_INFO": IFLA_BRIDGE_VLAN_TUNNEL_INFO,
		"SEG6_IPTUNNEL_SRH": SEG6_IPTUNNEL_SRH,
		"SEG6_LOCAL_ACTION": SEG6_LOCAL_ACTION, "SEG6_LOCAL_SRH": SEG6_LOCAL_SRH, "SEG6_LOCAL_TABLE": SEG6_LOCAL_TABLE,
		"SEG6_LOCAL_NH4": SEG6_LOCAL_NH4, "SEG6_LOCAL_NH6": SEG6_LOCAL_NH6, "SEG6_LOCAL_IIF": SEG6_LOCAL_IIF,
		"SEG6_LOCAL_OIF": SEG6_LOCAL_OIF, "SEG6_LOCAL_BPF": SEG6_LOCAL_BPF, "SEG6_LOCAL_VRFTABLE": SEG6_LOCAL_VRFTABLE,
		"SEG6_LOCAL_COUNTERS": SEG6_LOCAL_COUNTERS, "SEG6_LOCAL_FLAVORS": SEG6_LOCAL_FLAVORS,
		"SEG6_LOCAL_CNT_PACKETS": SEG6_LOCAL_CNT_PACKETS, "SEG6_LOCAL_CNT_BYTES": SEG6_LOCAL_CNT_BYTES,
		"SEG6_LOCAL_CNT_ERRORS": SEG6_LOCAL_CNT_ERRORS,
	}
	// Newer than some installed headers: checked where the header has them.
	newer := map[string]int{
		"SEG6_LOCAL_FLV_OPERATION": SEG6_LOCAL_FLV_OPERATION, "SEG6_LOCAL_FLV_LCBLOCK_BITS": SEG6_LOCAL_FLV_LCBLOCK_BITS,
		"SEG6_LOCAL_FLV_LCNODE_FUNC_BITS": SEG6_LOCAL_FLV_LCNODE_FUNC_BITS,
	}
	got := map[string]int{}
	for _, h := range []string{"if_tunnel.h", "if_bridge.h", "seg6_iptunnel.h", "seg6_local.h"} {
		b, err := os.ReadFile("/usr/include/linux/" + h)
		if err != nil {
			t.Skipf("no kernel headers: %v", err)
		}
		enumValues(string(b), got)
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || g != v {
			t.Errorf("%s = %d; the header has %d (found: %v)", name, v, g, ok)
		}
	}
	for name, v := range newer {
		if g, ok := got[name]; ok && g != v {
			t.Errorf("%s = %d; the header has %d", name, v, g)
		}
	}
}

var (
	enumRE    = regexp.MustCompile(`(?s)enum\s*\w*\s*\{(.*?)\}`)
	commentRE = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// enumValues adds to vals the members of every enum in src, numbered as C
// numbers them.
func enumValues(src string, vals map[string]int) {
	for _, m := range enumRE.FindAllStringSubmatch(src, -1) {
		v := -1
		for _, member := range strings.Split(commentRE.ReplaceAllString(m[1], ""), ",") {
			name, val, explicit := strings.Cut(strings.TrimSpace(member), "=")
			name = strings.TrimSpace(name)
			if name == "" || strings.HasPrefix(name, "#") {
				continue
			}
			if explicit {
				n, err := strconv.ParseInt(strings.TrimSpace(val), 0, 64)
				if err != nil {
					continue // an expression (FOO_MAX = __FOO_MAX - 1)
				}
				v = int(n)
			} else {
				v++
			}
			vals[name] = v
		}
	}
}
