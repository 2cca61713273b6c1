package rtm

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// rootSchemas are the message schemas, by message type for the captures.
var rootSchemas = map[string]*schema.Schema{
	"link": linkSchema, "link_bridge": linkBridgeSchema, "addr": addrSchema,
	"route": routeSchema, "nexthop": nexthopSchema, "neigh": neighSchema,
	"neigh_table": neighTableSchema, "rule": ruleSchema,
	"netconf": netconfSchema, "addrlabel": addrLabelSchema, "nsid": netnsIDSchema,
	"mdb": mdbSchema, "bridge_vlan": bridgeVLANSchema, "stats": statsSchema,
}

// walkSchemas calls fn once for every schema reachable from the roots,
// through nests and kind-dependent nests.
func walkSchemas(fn func(path string, s *schema.Schema)) {
	seen := map[*schema.Schema]bool{}
	var walk func(path string, s *schema.Schema)
	walk = func(path string, s *schema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		fn(path, s)
		for _, sp := range s.Attrs {
			walk(path+"/"+sp.Name, sp.Nested)
			for _, k := range sp.ByKind {
				walk(path+"/"+sp.Name+"["+k.Key+"]", k.Schema)
			}
		}
	}
	for name, s := range rootSchemas {
		walk(name, s)
	}
}

func TestSchemaNamesUnique(t *testing.T) {
	n := 0
	walkSchemas(func(path string, s *schema.Schema) {
		n++
		names := map[string]int{}
		for typ, sp := range s.Attrs {
			if sp.Name == "" {
				continue
			}
			if prev, dup := names[sp.Name]; dup {
				t.Errorf("%s: %q names types %d and %d", path, sp.Name, prev, typ)
			}
			names[sp.Name] = typ
			if got, ok := s.Type(sp.Name); !ok || int(got) != typ {
				t.Errorf("%s: lookup(%q) = %d, %v; want %d", path, sp.Name, got, ok, typ)
			}
			if strings.HasPrefix(sp.Name, "attr_") || sp.Name != strings.ToLower(sp.Name) {
				t.Errorf("%s: type %d has name %q", path, typ, sp.Name)
			}
			if (sp.Kind == schema.Nested) != (sp.Nested != nil || sp.ByKind != nil) {
				t.Errorf("%s/%s: nested kind without a schema, or the reverse", path, sp.Name)
			}
			fields := map[string]bool{}
			end := 0
			for i, f := range sp.Fields {
				if fields[f.Name] || f.Off < end {
					t.Errorf("%s/%s: field %q repeated or overlapping", path, sp.Name, f.Name)
				}
				fields[f.Name] = true
				if variable(f.Kind) && i != len(sp.Fields)-1 {
					t.Errorf("%s/%s: variable-length field %q is not last", path, sp.Name, f.Name)
				}
				end = f.Off + fixedSize(f.Kind)
			}
		}
	})
	if n < 40 {
		t.Fatalf("only %d schemas reachable", n)
	}
}

// TestSchemaGenerated checks that the committed zschema_*.go files are
// exactly what the generator in tools/gen (a module of its own) writes, so
// that nobody edits them by hand or changes the generator or its inputs
// without regenerating. The generator's inputs are committed with it
// (pyroute2's nla maps as JSON, the uapi headers), so the comparison is the
// same on every machine; it needs only the go command, which go test puts
// on PATH, and the generator module's dependencies from the module proxy
// or the module cache.
func TestSchemaGenerated(t *testing.T) {
	// Bounded: building the generator may download its dependency.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", "-C", filepath.Join("..", "tools", "gen"), ".", "rtnl", "-check", "-out", mustAbs(t, "."))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	if moduleDownloadFailed(out) && os.Getenv("CI") != "true" {
		t.Skipf("cannot build tools/gen: its dependencies are neither in the module cache nor downloadable (no network?):\n%s", out)
	}
	t.Fatalf("tools/gen rtnl -check: %v\n%s", err, out)
}

// moduleDownloadFailed tells a go command's failure to fetch a module (no
// network, no proxy) from a failure of the program itself.
func moduleDownloadFailed(out []byte) bool {
	s := string(out)
	if strings.Contains(s, "gen: ") {
		return false // the generator ran
	}
	for _, m := range []string{"dial tcp", "no such host", "i/o timeout", "connection refused", "GOPROXY=off"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestSchemaSearchOrder checks the orders that lookup and schema.Choices.find
// search in binary: byName lists every named type once, by name, and
// byKind keys are sorted and distinct, each found by find.
func TestSchemaSearchOrder(t *testing.T) {
	check := func(path string, ks schema.Choices) {
		for i, k := range ks {
			if i > 0 && ks[i-1].Key >= k.Key {
				t.Errorf("%s: byKind key %q after %q", path, k.Key, ks[i-1].Key)
			}
			if got := ks.Find([]byte(k.Key)); got != k.Schema {
				t.Errorf("%s: find(%q) = %v, want %s", path, k.Key, got, k.Schema.Name)
			}
		}
		if got := ks.Find([]byte("no such kind")); got != nil {
			t.Errorf("%s: find of an unknown kind = %s", path, got.Name)
		}
	}
	check("linkDataSchemas", linkDataSchemas)
	check("linkSlaveDataSchemas", linkSlaveDataSchemas)
	walkSchemas(func(path string, s *schema.Schema) {
		named := 0
		for _, sp := range s.Attrs {
			if sp.Name != "" {
				named++
			}
			if sp.ByKind != nil {
				check(path+"/"+sp.Name, sp.ByKind)
			}
		}
		if len(s.ByName) != named {
			t.Errorf("%s: byName has %d types for %d named attributes", path, len(s.ByName), named)
		}
		for i, typ := range s.ByName {
			if int(typ) >= len(s.Attrs) || s.Attrs[typ].Name == "" {
				t.Errorf("%s: byName lists type %d, which has no name", path, typ)
				continue
			}
			if i > 0 && s.Attrs[s.ByName[i-1]].Name >= s.Attrs[typ].Name {
				t.Errorf("%s: byName puts %q after %q", path, s.Attrs[typ].Name, s.Attrs[s.ByName[i-1]].Name)
			}
		}
		if _, ok := s.Type("no_such_attribute"); ok {
			t.Errorf("%s: lookup of an unknown name succeeds", path)
		}
	})
}

func variable(k schema.Kind) bool {
	return k == schema.Addr || k == schema.HW || k == schema.String || k == schema.Binary
}

func fixedSize(k schema.Kind) int {
	switch k {
	case schema.U8:
		return 1
	case schema.U16, schema.BE16:
		return 2
	case schema.U32, schema.S32, schema.BE32:
		return 4
	case schema.U64, schema.BE64:
		return 8
	}
	return 0
}

// checkValues walks every attribute of chain c named by s, recursively,
// and reports attributes the schema should know by name but does not, and
// values whose payload does not fit their kind.
func checkValues(t *testing.T, where string, s *schema.Schema, c nla.Chain, counts map[string]int) {
	t.Helper()
	if err := c.Err(); err != nil {
		t.Errorf("%s: %v", where, err)
	}
	for name, v := range schema.All(s, c) {
		path := where + "/" + name
		counts["attrs"]++
		if typ, unknown := strings.CutPrefix(name, "attr_"); unknown {
			// Types past the end of the schema are newer than the headers
			// the schemas come from; they may appear, named attr_N.
			if n, _ := strconv.Atoi(typ); n < len(s.Attrs) {
				t.Errorf("%s: type inside the schema without a name", path)
			}
			counts["newer"]++
			if testing.Verbose() {
				t.Logf("%s: newer than the headers", path)
			}
			continue
		}
		checkValue(t, path, v, counts)
	}
}

func checkValue(t *testing.T, path string, v Value, counts map[string]int) {
	t.Helper()
	switch k := schema.SpecOf(v).Kind; {
	case k == schema.Flag:
		if len(v.Bytes()) != 0 {
			t.Errorf("%s: flag with %d bytes", path, len(v.Bytes()))
		}
	case fixedSize(k) > 0:
		_, uok := v.Uint()
		_, iok := v.Int()
		// PAD attributes are typed u64 by pyroute2 but sent empty.
		if !uok && !iok && !strings.HasSuffix(path, "pad") {
			t.Errorf("%s: %d-byte payload for a %d-byte number", path, len(v.Bytes()), fixedSize(k))
		}
	case k == schema.Addr:
		if _, ok := v.Addr(); !ok {
			t.Errorf("%s: %d-byte address", path, len(v.Bytes()))
		}
	case k == schema.String:
		if _, ok := v.Text(); !ok {
			t.Errorf("%s: not a string: %q", path, v.Bytes())
		}
	case k == schema.Struct:
		n := 0
		for fname, f := range v.Attrs() {
			checkValue(t, path+"."+fname, f, counts)
			n++
		}
		if n != len(schema.SpecOf(v).Fields) {
			t.Errorf("%s: %d of %d fields fit %d bytes", path, n, len(schema.SpecOf(v).Fields), len(v.Bytes()))
		}
		counts["structs"]++
	case k == schema.Nested:
		if schema.NestedOf(v) == nil {
			// A kind-dependent nest of a kind without a schema.
			counts["opaque"]++
			return
		}
		checkValues(t, path, schema.NestedOf(v), nla.Chain(v.Bytes()), counts)
		counts["nests"]++
	}
}

func TestSchemaCapturesNamed(t *testing.T) {
	for _, c := range []struct{ file, schema string }{
		{"link-dump", "link"}, {"link-get-lo", "link"}, {"addr-dump", "addr"},
		{"route4-dump", "route"}, {"route6-dump", "route"}, {"rule-dump", "rule"},
		{"neigh-dump", "neigh"},
	} {
		counts := map[string]int{}
		for m, err := range wire.Messages(golden.KernelCapture(t, "..", c.file)) {
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			if m.Header.Type < unix.RTM_BASE {
				continue
			}
			fixed := FixedLen(m.Header.Type)
			if fixed == 0 || len(m.Data) < fixed {
				t.Fatalf("%s: message type %d of %d bytes", c.file, m.Header.Type, len(m.Data))
			}
			s := rootSchemas[c.schema]
			if m.Header.Type >= unix.RTM_NEWLINK && m.Header.Type <= unix.RTM_GETLINK {
				s = linkSchema // ip dumps links first to name interfaces
			}
			checkValues(t, fmt.Sprintf("%s#%d", c.file, counts["msgs"]), s, nla.Chain(m.Data[fixed:]), counts)
			counts["msgs"]++
		}
		if counts["msgs"] == 0 || counts["attrs"] == 0 {
			t.Fatalf("%s: nothing decoded: %v", c.file, counts)
		}
		t.Logf("%s: %v", c.file, counts)
	}
}

// ipInfoNames maps the keys of "ip -j -d link show" in info_data and
// info_slave_data to the pyroute2 names of the same quantities, per kind.
// Keys ip prints as words ("state": "disabled"), as seconds (timers) or
// from other attributes (no_linklocal_learn, from br_multi_boolopt) are
// left out.
var ipInfoNames = map[string]map[string]string{
	"vxlan": {
		"id": "vxlan_id", "local": "vxlan_local", "port": "vxlan_port", "learning": "vxlan_learning",
		"ttl": "vxlan_ttl", "ageing": "vxlan_ageing", "udp_csum": "vxlan_udp_csum",
		"udp_zero_csum6_tx": "vxlan_udp_zero_csum6_tx", "udp_zero_csum6_rx": "vxlan_udp_zero_csum6_rx",
		"limit": "vxlan_limit", "tos": "vxlan_tos", "label": "vxlan_label", "proxy": "vxlan_proxy",
		"rsc": "vxlan_rsc", "l2miss": "vxlan_l2miss", "l3miss": "vxlan_l3miss",
	},
	"bridge": {
		"forward_delay": "br_forward_delay", "hello_time": "br_hello_time", "max_age": "br_max_age",
		"ageing_time": "br_ageing_time", "stp_state": "br_stp_state", "priority": "br_priority",
		"vlan_filtering": "br_vlan_filtering", "root_port": "br_root_port",
		"root_path_cost": "br_root_path_cost", "topology_change": "br_topology_change",
		"topology_change_detected": "br_topology_change_detected", "group_addr": "br_group_addr",
		"mcast_snooping": "br_mcast_snooping", "mcast_router": "br_mcast_router",
		"mcast_query_use_ifaddr": "br_mcast_query_use_ifaddr", "mcast_querier": "br_mcast_querier",
		"mcast_hash_elasticity": "br_mcast_hash_elasticity", "mcast_hash_max": "br_mcast_hash_max",
		"mcast_last_member_cnt":   "br_mcast_last_member_cnt",
		"mcast_startup_query_cnt": "br_mcast_startup_query_cnt",
		"mcast_last_member_intvl": "br_mcast_last_member_intvl",
		"mcast_membership_intvl":  "br_mcast_membership_intvl",
		"mcast_querier_intvl":     "br_mcast_querier_intvl", "mcast_query_intvl": "br_mcast_query_intvl",
		"mcast_query_response_intvl": "br_mcast_query_response_intvl",
		"mcast_startup_query_intvl":  "br_mcast_startup_query_intvl",
		"mcast_stats_enabled":        "br_mcast_stats_enabled", "mcast_igmp_version": "br_mcast_igmp_version",
		"mcast_mld_version": "br_mcast_mld_version", "nf_call_iptables": "br_nf_call_iptables",
		"nf_call_ip6tables": "br_nf_call_ip6tables", "nf_call_arptables": "br_nf_call_arptables",
		"vlan_default_pvid": "br_vlan_default_pvid", "vlan_stats_enabled": "br_vlan_stats_enabled",
		"bridge_id": "br_bridge_id", "root_id": "br_root_id",
	},
	"macvlan": {"bcqueuelen": "macvlan_bc_queue_len", "usedbcqueuelen": "macvlan_bc_queue_len_used"},
	"bridge_slave": {
		"priority": "priority", "cost": "cost", "hairpin": "mode", "guard": "guard",
		"root_block": "protect", "fastleave": "fast_leave", "learning": "learning",
		"flood": "unicast_flood", "id": "id", "no": "no", "designated_port": "designated_port",
		"designated_cost": "designated_cost", "topology_change_ack": "topology_change_ack",
		"config_pending": "config_pending", "proxy_arp": "proxyarp", "proxy_arp_wifi": "proxyarp_wifi",
		"multicast_router": "multicast_router", "mcast_flood": "mcast_flood",
		"bcast_flood": "bcast_flood", "mcast_to_unicast": "mcast_to_ucast",
		"neigh_suppress": "neigh_suppress", "vlan_tunnel": "vlan_tunnel", "isolated": "isolated",
		"locked": "locked", "bridge_id": "bridge_id", "root_id": "root_id",
	},
}

// sameAsIP reports whether v holds the quantity ip printed as want.
func sameAsIP(v Value, want any) bool {
	switch w := want.(type) {
	case float64:
		n, ok := v.Uint()
		if !ok {
			i, iok := v.Int()
			return iok && float64(i) == w
		}
		return float64(n) == w
	case bool:
		n, ok := v.Uint()
		return ok && (n != 0) == w
	case string:
		if schema.SpecOf(v).Kind == schema.Struct { // struct ifla_bridge_id
			// iproute2's br_dump_bridge_id prints "%.2x%.2x.%x:%x:%x:%x:%x:%x":
			// MAC bytes without zero padding, as in "8000.a:5d:89:69:33:d5".
			prio, _ := v.Get("prio")
			addr, _ := v.Get("addr")
			p, _ := prio.Uint()
			parts := make([]string, 0, 6)
			for _, b := range addr.Bytes() {
				parts = append(parts, fmt.Sprintf("%x", b))
			}
			return fmt.Sprintf("%04x.%s", p, strings.Join(parts, ":")) == w
		}
		if n, ok := v.Uint(); ok { // ip prints port ids in hex: "0x8001"
			x, err := strconv.ParseUint(strings.TrimPrefix(w, "0x"), 16, 64)
			return err == nil && x == n
		}
		return v.String() == w
	}
	return false
}

func TestSchemaLinkInfoAgainstIP(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge", "vlan_default_pvid", "7", "mcast_hash_max", "1024")
	nstest.IP(t, ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	nstest.IP(t, ns, "link", "set", "veth1", "master", "br0")
	nstest.IP(t, ns, "link", "set", "dev", "veth1", "type", "bridge_slave", "cost", "33", "priority", "9",
		"learning", "off", "hairpin", "on")
	nstest.IP(t, ns, "link", "add", "vx0", "type", "vxlan", "id", "4242", "dstport", "4789", "dev", "veth0",
		"local", "192.0.2.1", "ttl", "5", "tos", "8", "ageing", "77", "maxaddress", "9", "l2miss", "proxy")
	nstest.IP(t, ns, "link", "add", "mv0", "link", "veth0", "type", "macvlan", "mode", "bridge")

	var ipLinks []map[string]any
	nstest.IPJSON(t, ns, &ipLinks, "-d", "link", "show")
	want := map[string]map[string]any{}
	for _, l := range ipLinks {
		want[l["ifname"].(string)] = l
	}
	h, err := Dial(WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	compared := map[string]int{}
	for l, err := range h.Links(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := want[l.Name()]["linkinfo"].(map[string]any)
		for _, part := range []struct{ kindKey, dataKey, attr, suffix string }{
			{"info_kind", "info_data", "data", ""},
			{"info_slave_kind", "info_slave_data", "slave_data", "_slave"},
		} {
			kind, _ := info[part.kindKey].(string)
			data, _ := info[part.dataKey].(map[string]any)
			names := ipInfoNames[kind+part.suffix]
			if names == nil || data == nil {
				continue
			}
			for key, ipValue := range data {
				name, ok := names[key]
				if !ok {
					continue
				}
				v, ok := l.Get("linkinfo", part.attr, name)
				if !ok {
					t.Errorf("%s: no %s/%s for ip's %s=%v", l.Name(), part.attr, name, key, ipValue)
					continue
				}
				if !sameAsIP(v, ipValue) {
					t.Errorf("%s: %s/%s = %v, ip's %s = %v", l.Name(), part.attr, name, v, key, ipValue)
				}
				compared[kind+part.suffix]++
			}
		}
		if l.Name() == "vx0" { // port_range is a struct; link an ifindex
			pr := want["vx0"]["linkinfo"].(map[string]any)["info_data"].(map[string]any)["port_range"].(map[string]any)
			for _, end := range []string{"low", "high"} {
				if v, ok := l.Get("linkinfo", "data", "vxlan_port_range", end); !ok || !sameAsIP(v, pr[end]) {
					t.Errorf("vx0: vxlan_port_range.%s = %v, ip %v", end, v, pr[end])
				}
			}
			if v, ok := l.Get("linkinfo", "data", "vxlan_link"); !ok || !sameAsIP(v, want["veth0"]["ifindex"]) {
				t.Errorf("vx0: vxlan_link = %v, veth0 is %v", v, want["veth0"]["ifindex"])
			}
		}
		for name, v := range l.Attrs() {
			if _, err := json.Marshal(v); err != nil {
				t.Errorf("%s: %s: %v", l.Name(), name, err)
			}
		}
	}
	// ip prints most of these; fewer means the mapping or ip changed.
	for kind, min := range map[string]int{"vxlan": 12, "bridge": 30, "bridge_slave": 20, "macvlan": 2} {
		if compared[kind] < min {
			t.Errorf("compared %d %s values with ip, want at least %d", compared[kind], kind, min)
		}
	}
	t.Logf("compared with ip: %v", compared)
}

func TestSchemaAddrAgainstIP(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")
	nstest.IP(t, ns, "addr", "add", "192.0.2.5/24", "brd", "+", "dev", "d0", "label", "d0:x",
		"valid_lft", "3000", "preferred_lft", "2000")
	nstest.IP(t, ns, "addr", "add", "2001:db8::5/64", "dev", "d0", "nodad")

	var ipLinks []map[string]any
	nstest.IPJSON(t, ns, &ipLinks, "addr", "show", "dev", "d0")
	want := map[string]map[string]any{}
	for _, l := range ipLinks {
		for _, a := range l["addr_info"].([]any) {
			a := a.(map[string]any)
			want[a["local"].(string)] = a
		}
	}
	h, err := Dial(WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	n := 0
	for a, err := range h.Addrs(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		local, _ := a.Get("local")
		if _, ok := local.Addr(); !ok {
			local, _ = a.Get("address")
		}
		w, ok := want[local.String()]
		if !ok {
			continue
		}
		n++
		for key, name := range map[string][]string{
			"label": {"label"}, "broadcast": {"broadcast"},
			"valid_life_time": {"cacheinfo", "ifa_valid"}, "preferred_life_time": {"cacheinfo", "ifa_preferred"},
		} {
			ipValue, ok := w[key]
			if !ok {
				continue
			}
			v, ok := a.Get(name...)
			// ip reads the lifetimes a moment after our dump: a second may pass.
			if strings.HasSuffix(key, "life_time") {
				if got, _ := v.Uint(); !ok || got > uint64(ipValue.(float64))+1 || got+1 < uint64(ipValue.(float64)) {
					t.Errorf("%s: %v = %v, ip's %s = %v", local, name, v, key, ipValue)
				}
				continue
			}
			if !ok || !sameAsIP(v, ipValue) {
				t.Errorf("%s: %v = %v, ip's %s = %v", local, name, v, key, ipValue)
			}
		}
	}
	if n != len(want) {
		t.Fatalf("found %d of ip's %d addresses", n, len(want))
	}
}
