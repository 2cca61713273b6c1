package rtm_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// saveNamespace builds links and addresses (which route restore does not
// recreate) and, with fill, routes of many kinds in several tables.
func saveNamespace(t *testing.T, fill bool) *nstest.NS {
	t.Helper()
	ns := nstest.New(t)
	// No link-local addresses: their local routes would appear, as DAD
	// completes, between the dumps and snapshots that are compared.
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
	cmds := [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "s0", "type", "veth", "peer", "name", "s1"},
		{"link", "set", "s0", "up"},
		{"link", "set", "s1", "up"},
		{"addr", "add", "10.1.0.1/24", "dev", "s0"},
		{"addr", "add", "10.2.0.1/24", "dev", "s1"},
		{"addr", "add", "2001:db8:1::1/64", "dev", "s0", "nodad"},
	}
	if fill {
		cmds = append(cmds, [][]string{
			{"route", "add", "192.0.2.0/24", "via", "10.1.0.2", "metric", "10", "mtu", "1400", "advmss", "1300"},
			{"route", "add", "198.51.100.0/24", "nexthop", "via", "10.1.0.2", "weight", "3", "nexthop", "via", "10.2.0.2"},
			{"route", "add", "blackhole", "203.0.113.0/24", "table", "100"},
			{"route", "add", "unreachable", "203.0.113.128/25", "table", "1000", "proto", "static"},
			{"route", "add", "prohibit", "203.0.113.64/26"},
			{"route", "add", "10.9.0.0/16", "dev", "s0", "src", "10.1.0.1", "table", "100000"},
			{"route", "add", "10.8.0.0/16", "via", "10.1.0.9", "dev", "s0", "onlink"},
			{"route", "add", "2001:db8:9::/48", "via", "2001:db8:1::2", "pref", "high", "table", "100"},
			{"route", "add", "2001:db8:a::/48", "dev", "s0", "metric", "7"},
		}...)
		if nstest.Have(t, "seg6") {
			cmds = append(cmds, []string{"route", "add", "2001:db8:b::/48", "encap", "seg6", "mode", "encap", "segs", "2001:db8::5,2001:db8::6", "dev", "s0"})
		}
	}
	for _, c := range cmds {
		nstest.IP(t, ns, c...)
	}
	// The routes the kernel adds once it sees the links' carrier, which
	// the comparisons of two namespaces must not catch half made.
	nstest.WaitIP(t, ns, []string{"local 2001:db8:1::1 dev s0 proto kernel metric 0 ",
		"multicast ff00::/8 dev s0 ", "multicast ff00::/8 dev s1 "}, "-6", "route", "show", "table", "local")
	return ns
}

// ipSave runs "ip route save ARGS" in ns and returns its output.
func ipSave(t *testing.T, ns *nstest.NS, args ...string) []byte {
	t.Helper()
	return []byte(nstest.IP(t, ns, append([]string{"route", "save"}, args...)...))
}

// maskHeaders zeroes each saved message's sequence number and port id,
// which belong to the socket that dumped it.
func maskHeaders(t *testing.T, b []byte) []byte {
	t.Helper()
	b = bytes.Clone(b)
	for off := 4; off < len(b); {
		if len(b)-off < 16 {
			t.Fatalf("truncated header at offset %d", off)
		}
		n := int(binary.NativeEndian.Uint32(b[off:]))
		clear(b[off+8 : off+16])
		off += (n + 3) &^ 3
	}
	return b
}

func TestRouteSaveMatchesIP(t *testing.T) {
	ns := saveNamespace(t, true)
	h := dialIn(t, ns.Name)
	for _, c := range []struct {
		args   []string
		filter rtm.RouteFilter
	}{
		{nil, rtm.RouteFilter{Family: unix.AF_INET, Table: unix.RT_TABLE_MAIN}},
		{[]string{"table", "all"}, rtm.RouteFilter{}},
		{[]string{"table", "100"}, rtm.RouteFilter{Family: unix.AF_INET, Table: 100}},
		{[]string{"-6", "table", "all"}, rtm.RouteFilter{Family: unix.AF_INET6}},
		{[]string{"table", "all", "proto", "static"}, rtm.RouteFilter{Protocol: unix.RTPROT_STATIC}},
		{[]string{"table", "all", "type", "blackhole"}, rtm.RouteFilter{Type: unix.RTN_BLACKHOLE}},
		{[]string{"table", "all", "scope", "link"}, rtm.RouteFilter{Scope: unix.RT_SCOPE_LINK, ScopeSet: true}},
	} {
		args := c.args
		var ipArgs []string
		if len(args) > 0 && args[0] == "-6" {
			ipArgs, args = []string{"-6"}, args[1:]
		}
		theirs := []byte(nstest.IP(t, ns, append(append(ipArgs, "route", "save"), args...)...))
		var ours bytes.Buffer
		n, err := h.RouteSave(ctx, &ours, &c.filter)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if !bytes.Equal(maskHeaders(t, ours.Bytes()), maskHeaders(t, theirs)) {
			t.Errorf("%v: RouteSave wrote %d bytes (%d routes), ip route save %d bytes; they differ",
				c.args, ours.Len(), n, len(theirs))
		}
		if n == 0 {
			t.Errorf("%v: nothing saved; the selection should not be empty", c.args)
		}
	}
}

// ipRestore runs "ip route restore" in ns with dump as its standard input,
// a file, since ip seeks in it.
func ipRestore(t *testing.T, ns *nstest.NS, dump []byte) error {
	t.Helper()
	if out, err := nstest.RunFileInput(t, ns, dump, "ip", "route", "restore"); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// routeTables returns ip's JSON listing of every route of both families,
// a route a line, sorted: the kernel lists routes to one prefix through
// different links (each link's fe80::/64 and ff00::/8) in the order it
// added them, which is the order in which it happened to see the links'
// carrier come up.
func routeTables(t *testing.T, ns *nstest.NS) string {
	t.Helper()
	var lines []string
	for _, family := range []string{"-4", "-6"} {
		var routes []json.RawMessage
		nstest.IPJSON(t, ns, &routes, family, "route", "show", "table", "all")
		for _, r := range routes {
			lines = append(lines, string(r))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestRouteRestoreRoundTrips restores a dump of ip's with ip (the oracle)
// and with RouteRestore, and RouteSave's dump with ip, each into a fresh
// namespace, and compares the resulting tables. (The restored tables are
// not the original: IPv6 local routes dumped with metric 0 come back with
// the default metric 1024 beside the kernel's own, with ip as with ipr.)
func TestRouteRestoreRoundTrips(t *testing.T) {
	src := saveNamespace(t, true)
	dump := ipSave(t, src, "table", "all")

	oracle := saveNamespace(t, false)
	if err := ipRestore(t, oracle, dump); err != nil {
		t.Fatalf("ip route restore: %v", err)
	}
	want := routeTables(t, oracle)
	if orig := routeTables(t, src); !strings.Contains(want, `"dst":"198.51.100.0/24"`) || !strings.Contains(orig, `"dst":"198.51.100.0/24"`) {
		t.Fatalf("the oracle's restore lacks the multipath route:\n%s", want)
	}

	// ip's dump, restored by RouteRestore.
	dst := saveNamespace(t, false)
	h := dialIn(t, dst.Name)
	n, err := h.RouteRestore(ctx, bytes.NewReader(dump))
	if err != nil {
		t.Fatalf("RouteRestore of ip's dump: %v", err)
	}
	if n == 0 {
		t.Errorf("RouteRestore added no routes")
	}
	if got := routeTables(t, dst); got != want {
		t.Errorf("after RouteRestore:\n%s\nafter ip route restore:\n%s", got, want)
	}
	// Restoring again adds nothing new and fails nothing, as with ip.
	if _, err := h.RouteRestore(ctx, bytes.NewReader(dump)); err != nil {
		t.Errorf("second RouteRestore: %v", err)
	}
	if err := ipRestore(t, oracle, dump); err != nil {
		t.Errorf("second ip route restore: %v", err)
	}
	if got, want := routeTables(t, dst), routeTables(t, oracle); got != want {
		t.Errorf("after a second restore:\n%s\nip:\n%s", got, want)
	}

	// RouteSave's dump, restored by ip.
	hs := dialIn(t, src.Name)
	var ours bytes.Buffer
	if _, err := hs.RouteSave(ctx, &ours, nil); err != nil {
		t.Fatal(err)
	}
	dst2 := saveNamespace(t, false)
	if err := ipRestore(t, dst2, ours.Bytes()); err != nil {
		t.Fatalf("ip route restore of RouteSave's dump: %v", err)
	}
	if got := routeTables(t, dst2); got != want {
		t.Errorf("RouteSave's dump restored by ip:\n%s\nip's dump:\n%s", got, want)
	}
}

func TestRouteRestoreErrors(t *testing.T) {
	src := saveNamespace(t, true)
	dump := ipSave(t, src, "table", "all")

	// A namespace without s1's address: the routes through 10.2.0.2 fail,
	// the others are restored.
	ns := nstest.New(t)
	for _, c := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "s0", "type", "veth", "peer", "name", "s1"},
		{"link", "set", "s0", "up"},
		{"addr", "add", "10.1.0.1/24", "dev", "s0"},
	} {
		nstest.IP(t, ns, c...)
	}
	h := dialIn(t, ns.Name)
	n, err := h.RouteRestore(ctx, bytes.NewReader(dump))
	var be *socket.BatchError
	if !errors.As(err, &be) || be.Failed == 0 {
		t.Fatalf("restore into a namespace lacking an address: %d routes, %v; want a *socket.BatchError", n, err)
	}
	if n == 0 {
		t.Errorf("no route restored; only those needing s1 should fail")
	}
	if !strings.Contains(err.Error(), "route restore") {
		t.Errorf("error %q does not name the operation", err)
	}
	// ip agrees that the dump does not restore cleanly there.
	if err := ipRestore(t, ns, dump); err == nil {
		t.Errorf("ip route restore succeeded where RouteRestore failed")
	}

	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "reading the magic"},
		{"bad magic", []byte{1, 2, 3, 4}, "not a route dump"},
		{"truncated header", append(bytes.Clone(dump[:4]), 1, 2, 3), "truncated header"},
		{"truncated message", dump[:30], "truncated"},
		{"huge length", append(bytes.Clone(dump[:4]), 0xff, 0xff, 0xff, 0x7f, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "length"},
		{"not a route", append(bytes.Clone(dump[:4]), 28, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "not RTM_NEWROUTE"},
	} {
		if _, err := h.RouteRestore(ctx, bytes.NewReader(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
		if c.name == "not a route" {
			continue // ip sends any message type back; not tried
		}
		if err := ipRestore(t, ns, c.data); err == nil {
			t.Errorf("%s: ip route restore accepted what RouteRestore rejects", c.name)
		}
	}
}
