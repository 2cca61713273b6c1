package main

// Differential tests: "ipr -j [-d] link|addr show" against "ip -j [-d]
// link|addr show" (iproute2 6.1) on a namespace holding one of each kind of
// link and addresses with every flag, field by field and in key order.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// ipr runs one ipr command line in-process.
func ipr(args ...string) (stdout, stderr string, code int) { return iprIn(nil, "", args...) }

// iprOK runs an ipr command that must succeed.
func iprOK(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := ipr(args...)
	if code != 0 {
		t.Fatalf("ipr %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// variedNamespace builds the namespace the comparisons run on, with
// iproute2 itself, so that ipr's output is checked against state it did
// not create.
func variedNamespace(t testing.TB) *nstest.NS {
	ns := nstest.New(t)
	for _, cmd := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "add", "br0", "type", "bridge"},
		{"link", "set", "v1", "master", "br0"},
		{"link", "set", "br0", "up"},
		{"link", "set", "v1", "up"},
		{"link", "set", "v0", "up", "alias", `uplink "one"`},
		{"link", "property", "add", "dev", "v0", "altname", "uplink0"},
		// w0 is up, its peer down: NO-CARRIER and M-DOWN.
		{"link", "add", "w0", "type", "veth", "peer", "name", "w1"},
		{"link", "set", "w0", "up"},
		{"link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1", "dev", "v0"},
		{"link", "add", "vx1", "type", "vxlan", "id", "43", "group", "239.1.1.1", "dev", "v0", "ttl", "10",
			"tos", "inherit", "nolearning", "srcport", "1000", "2000", "ageing", "60", "maxaddress", "100", "l2miss"},
		{"link", "add", "vx6", "type", "vxlan", "id", "44", "remote", "2001:db8::9", "local", "2001:db8::1", "dstport", "8472"},
		{"link", "add", "mv0", "link", "v0", "type", "macvlan", "mode", "bridge"},
		{"link", "set", "mv0", "group", "5", "txqueuelen", "77", "mtu", "1400"},
		{"link", "add", "mv1", "link", "v0", "type", "macvlan", "mode", "source"},
		{"link", "set", "mv1", "type", "macvlan", "macaddr", "add", "02:11:22:33:44:55"},
		{"link", "add", "mt0", "link", "w0", "type", "macvtap", "mode", "private"},
		{"link", "add", "br1", "type", "bridge", "stp_state", "1", "group_fwd_mask", "0x4000", "mcast_snooping", "0",
			"priority", "4096"},
		{"link", "set", "w1", "master", "br1"},
		{"link", "set", "w1", "type", "bridge_slave", "cost", "7", "hairpin", "on", "guard", "on",
			"group_fwd_mask", "0x4001", "learning", "off"},
		{"tuntap", "add", "tap0", "mode", "tap"},
		{"tuntap", "add", "tun0", "mode", "tun", "multi_queue", "user", "0", "group", "0"},

		{"addr", "add", "10.0.0.1/24", "broadcast", "+", "label", "v0:one", "dev", "v0"},
		{"addr", "add", "10.0.0.2/24", "dev", "v0"}, // secondary
		{"addr", "add", "10.0.1.1", "peer", "10.0.1.2/32", "dev", "v0"},
		{"addr", "add", "10.0.2.1/16", "broadcast", "10.0.255.254", "label", "v0:two", "metric", "50", "dev", "v0"},
		{"addr", "add", "10.0.3.1/24", "dev", "v0", "valid_lft", "1000", "preferred_lft", "500"},
		{"addr", "add", "127.0.0.5/8", "dev", "lo"},
		{"addr", "add", "2001:db8::1/64", "nodad", "noprefixroute", "dev", "v0", "valid_lft", "1000", "preferred_lft", "500"},
		{"addr", "add", "2001:db8:1::1/64", "mngtmpaddr", "nodad", "dev", "v0"},
		{"addr", "add", "2001:db8:2::1/64", "home", "nodad", "dev", "v0", "preferred_lft", "0", "valid_lft", "300"},
		{"addr", "add", "::1.2.3.4/128", "nodad", "dev", "br0"},
		// Tentative for good: w0 has no carrier (its peer is down), so DAD
		// never completes there.
		{"addr", "add", "2001:db8:3::1/64", "dev", "w0"},
		{"addr", "add", "192.168.7.1/24", "dev", "mv0"},
	} {
		nstest.IP(t, ns, cmd...)
	}
	settleDAD(t, ns)
	return ns
}

// settleDAD waits until duplicate address detection has finished
// everywhere but on w0, whose addresses stay tentative by design: DAD does
// not run on a link without carrier. Without the wait an address can
// leave the tentative state between the ipr and ip snapshots that a test
// compares.
func settleDAD(t testing.TB, ns *nstest.NS) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var links []struct {
			Name string `json:"ifname"`
		}
		out := nstest.IP(t, ns, "-j", "-6", "addr", "show", "tentative")
		if err := json.Unmarshal([]byte(out), &links); err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, l := range links {
			if l.Name != "w0" && l.Name != "" {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("DAD still running after 10 s: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestShowMatchesIproute2 compares every field "ip -j" prints.
func TestShowMatchesIproute2(t *testing.T) {
	ns := variedNamespace(t)
	for _, cmd := range append([]string{
		"link show",
		"-d link show",
		"addr show",
		"-d addr show",
		"-4 addr show",
		"-6 addr show",
		"-6 -d addr show",
		"link show dev v0",
		"-d link show v1",
		"addr show dev v0",
		"-d link show type vxlan",
		"addr show dynamic",
		"-6 addr show tentative",
		"-6 addr show -tentative",
	}, showFilterCommands...) {
		t.Run(cmd, func(t *testing.T) {
			args := append([]string{"-n", ns.Name, "-j"}, strings.Fields(cmd)...)
			ours := iprOK(t, args...)
			theirs := nstest.IP(t, ns, append([]string{"-j"}, strings.Fields(cmd)...)...)
			compareJSON(t, ours, theirs)
		})
	}
}

// compareJSON compares ipr's JSON with iproute2's, member by member and in
// order. Values that change between the two runs are compared with a
// tolerance (see tolerated). iproute2's empty objects, printed for links
// its filters reject after opening their object, are compared too: ipr
// prints them as well.
func compareJSON(t *testing.T, ours, theirs string) {
	t.Helper()
	a, err := decodeOrdered(ours)
	if err != nil {
		t.Fatalf("ipr printed invalid JSON: %v\n%s", err, ours)
	}
	b, err := decodeOrdered(theirs)
	if err != nil {
		t.Fatalf("ip printed invalid JSON: %v\n%s", err, theirs)
	}
	var diffs []string
	diffValues("", a, b, &diffs)
	if len(diffs) > 0 {
		t.Errorf("ipr and ip differ in %d places:\n%s\nipr: %s\nip:  %s", len(diffs), strings.Join(diffs, "\n"), ours, theirs)
	}
}

// member is one member of a JSON object, kept in order.
type member struct {
	key   string
	value any
}

// decodeOrdered decodes JSON into []member for objects (keeping order),
// []any for arrays and json.Number for numbers (keeping their text).
func decodeOrdered(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := decodeValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := []member{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{k.(string), v})
		}
		_, err := d.Token()
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for d.More() {
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := d.Token()
		return arr, err
	}
	return tok, nil
}

func diffValues(path string, a, b any, diffs *[]string) {
	switch x := a.(type) {
	case []member:
		y, ok := b.([]member)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: ipr has an object, ip %T", path, b))
			return
		}
		keys := func(o []member) []string {
			var k []string
			for _, m := range o {
				k = append(k, m.key)
			}
			return k
		}
		if ka, kb := keys(x), keys(y); strings.Join(ka, ",") != strings.Join(kb, ",") {
			*diffs = append(*diffs, fmt.Sprintf("%s: keys differ:\n  ipr %v\n  ip  %v", path, ka, kb))
			return
		}
		for i := range x {
			diffValues(path+"/"+x[i].key, x[i].value, y[i].value, diffs)
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			*diffs = append(*diffs, fmt.Sprintf("%s: ipr has %d elements, ip %v", path, len(x), describeLen(b)))
			return
		}
		for i := range x {
			diffValues(fmt.Sprintf("%s[%d]", path, i), x[i], y[i], diffs)
		}
	default:
		if a == b || tolerated(path, a, b) {
			return
		}
		*diffs = append(*diffs, fmt.Sprintf("%s: ipr %#v, ip %#v", path, a, b))
	}
}

func describeLen(v any) string {
	if arr, ok := v.([]any); ok {
		return strconv.Itoa(len(arr))
	}
	return fmt.Sprintf("a %T", v)
}

// tolerated accepts the differences that time makes between the two runs,
// which are a fraction of a second apart:
//   - address lifetimes count down in whole seconds: up to 2 s apart;
//   - bridge timers (gc_timer, hold_timer, forward_delay_timer, ...) run:
//     up to 2 s apart, in the same "seconds.hundredths" format.
//
// Every other value must be equal; lifetimes of "forever" (4294967295)
// too, as they do not count.
func tolerated(path string, a, b any) bool {
	x, ok1 := a.(json.Number)
	y, ok2 := b.(json.Number)
	if !ok1 || !ok2 {
		return false
	}
	key := path[strings.LastIndex(path, "/")+1:]
	switch {
	case key == "valid_life_time" || key == "preferred_life_time":
		u, err1 := strconv.ParseUint(string(x), 10, 32)
		v, err2 := strconv.ParseUint(string(y), 10, 32)
		return err1 == nil && err2 == nil && u != math.MaxUint32 && v != math.MaxUint32 &&
			math.Abs(float64(u)-float64(v)) <= 2
	case strings.HasSuffix(key, "_timer"):
		u, err1 := strconv.ParseFloat(string(x), 64)
		v, err2 := strconv.ParseFloat(string(y), 64)
		sameFormat := strings.Count(string(x), ".") == 1 && len(string(x))-strings.Index(string(x), ".") == 3
		return err1 == nil && err2 == nil && sameFormat && math.Abs(u-v) <= 2
	}
	return false
}

// ipJSON runs "ip -n NS -j ARGS" and decodes the result.
func ipJSON(t *testing.T, ns *nstest.NS, args ...string) []map[string]any {
	t.Helper()
	var v []map[string]any
	nstest.IPJSON(t, ns, &v, args...)
	return v
}

// addrInfo returns ip's view of the addresses of dev, by local address.
func addrInfo(t *testing.T, ns *nstest.NS, dev string) map[string]map[string]any {
	t.Helper()
	m := map[string]map[string]any{}
	for _, l := range ipJSON(t, ns, "addr", "show", "dev", dev) {
		infos, _ := l["addr_info"].([]any)
		for _, i := range infos {
			a := i.(map[string]any)
			m[a["local"].(string)] = a
		}
	}
	return m
}

func TestAddrChanges(t *testing.T) {
	ns := nstest.New(t)
	n := ns.Name
	nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")

	iprOK(t, "-n", n, "addr", "add", "10.9.0.1/24", "broadcast", "+", "label", "d0:x", "dev", "d0")
	iprOK(t, "-n", n, "addr", "add", "10.9.0.2/24", "brd", "-", "dev", "d0")
	iprOK(t, "-n", n, "addr", "add", "10.9.1.1", "peer", "10.9.1.2/32", "scope", "link", "dev", "d0")
	iprOK(t, "-n", n, "addr", "add", "2001:db8:9::1/64", "nodad", "noprefixroute", "valid_lft", "100", "preferred_lft", "50", "dev", "d0")
	iprOK(t, "-n", n, "addr", "a", "2001:db8:8::1/64", "nodad", "mngtmpaddr", "home", "dev", "d0")
	got := addrInfo(t, ns, "d0")
	check := func(local, key string, want any) {
		t.Helper()
		a, ok := got[local]
		if !ok {
			t.Errorf("%s missing after addr add; ip shows %v", local, got)
			return
		}
		if fmt.Sprint(a[key]) != fmt.Sprint(want) {
			t.Errorf("%s: ip shows %s=%v, want %v", local, key, a[key], want)
		}
	}
	check("10.9.0.1", "broadcast", "10.9.0.255")
	check("10.9.0.1", "label", "d0:x")
	check("10.9.0.2", "broadcast", "10.9.0.0")
	check("10.9.0.2", "secondary", true)
	check("10.9.1.1", "address", "10.9.1.2")
	check("10.9.1.1", "scope", "link")
	check("2001:db8:9::1", "nodad", true)
	check("2001:db8:9::1", "noprefixroute", true)
	check("2001:db8:9::1", "dynamic", true)
	check("2001:db8:8::1", "mngtmpaddr", true)
	check("2001:db8:8::1", "home", true)
	if v := got["2001:db8:9::1"]["valid_life_time"].(float64); v < 95 || v > 100 {
		t.Errorf("valid_life_time %v, want about 100", v)
	}

	// The whole listing, after ipr's changes, still matches ip's.
	compareJSON(t, iprOK(t, "-n", n, "-j", "addr", "show", "dev", "d0"), nstest.IP(t, ns, "-j", "addr", "show", "dev", "d0"))

	// Adding again fails, as it does with ip.
	checkError(t, ns, []string{"addr", "add", "10.9.0.1/24", "dev", "d0"}, 0, "")
	// Replace changes the existing address's settings.
	iprOK(t, "-n", n, "addr", "replace", "10.9.0.1/24", "label", "d0:x", "valid_lft", "200", "preferred_lft", "100", "dev", "d0")
	if v, _ := addrInfo(t, ns, "d0")["10.9.0.1"]["valid_life_time"].(float64); v < 195 || v > 200 {
		t.Errorf("after replace with valid_lft 200: valid_life_time %v", v)
	}

	// Delete without a prefix length deletes whatever the length is.
	iprOK(t, "-n", n, "addr", "del", "10.9.1.1", "peer", "10.9.1.2/32", "dev", "d0")
	iprOK(t, "-n", n, "addr", "del", "10.9.0.2", "dev", "d0")
	iprOK(t, "-n", n, "addr", "del", "2001:db8:8::1/64", "dev", "d0")
	got = addrInfo(t, ns, "d0")
	for _, gone := range []string{"10.9.1.1", "10.9.0.2", "2001:db8:8::1"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s still there after addr del", gone)
		}
	}
	if _, ok := got["10.9.0.1"]; !ok {
		t.Errorf("10.9.0.1 deleted along with 10.9.0.2")
	}

	// Flush by family and scope leaves the rest.
	iprOK(t, "-n", n, "addr", "add", "10.9.5.1/24", "dev", "d1")
	iprOK(t, "-n", n, "-4", "addr", "flush", "dev", "d0")
	got = addrInfo(t, ns, "d0")
	for local, a := range got {
		if a["family"] == "inet" {
			t.Errorf("%s left after -4 flush dev d0", local)
		}
	}
	if _, ok := got["2001:db8:9::1"]; !ok {
		t.Errorf("-4 flush removed IPv6 address 2001:db8:9::1")
	}
	if _, ok := addrInfo(t, ns, "d1")["10.9.5.1"]; !ok {
		t.Errorf("flush dev d0 removed d1's address")
	}
	iprOK(t, "-n", n, "addr", "flush", "dev", "d0", "scope", "global")
	for local, a := range addrInfo(t, ns, "d0") {
		if a["scope"] == "global" {
			t.Errorf("%s left after flush scope global", local)
		}
	}
	// Flushing primaries takes their secondaries with them.
	iprOK(t, "-n", n, "addr", "add", "10.9.6.1/24", "dev", "d1")
	iprOK(t, "-n", n, "addr", "add", "10.9.6.2/24", "dev", "d1")
	iprOK(t, "-n", n, "addr", "flush", "dev", "d1", "label", "d1")
	if got := addrInfo(t, ns, "d1"); len(got) != 0 {
		t.Errorf("left after flush label d1: %v", got)
	}
}

func TestLinkChanges(t *testing.T) {
	ns := nstest.New(t)
	n := ns.Name
	iprOK(t, "-n", n, "link", "add", "e0", "type", "veth", "peer", "name", "e1", "mtu", "1300")
	iprOK(t, "-n", n, "link", "add", "name", "brx", "type", "bridge", "stp_state", "1", "forward_delay", "400")
	iprOK(t, "-n", n, "link", "set", "e1", "master", "brx")
	iprOK(t, "-n", n, "link", "set", "dev", "e0", "up", "mtu", "1400", "alias", "to brx", "txqueuelen", "500",
		"address", "02:00:00:00:00:01", "group", "7")
	iprOK(t, "-n", n, "link", "add", "vxx", "type", "vxlan", "id", "7", "dstport", "4789", "local", "10.1.1.1",
		"dev", "e0", "nolearning", "ttl", "5")
	iprOK(t, "-n", n, "link", "add", "mvx", "link", "e0", "type", "macvlan", "mode", "private")
	iprOK(t, "-n", n, "link", "set", "e1", "type", "bridge_slave", "cost", "9", "hairpin", "on")

	links := map[string]map[string]any{}
	for _, l := range ipJSON(t, ns, "-d", "link", "show") {
		links[l["ifname"].(string)] = l
	}
	path := func(dev string, keys ...string) any {
		var v any = links[dev]
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	for _, c := range []struct {
		dev  string
		keys []string
		want any
	}{
		{"e1", []string{"mtu"}, 1300.0},
		{"e1", []string{"master"}, "brx"},
		{"e1", []string{"linkinfo", "info_slave_data", "cost"}, 9.0},
		{"e1", []string{"linkinfo", "info_slave_data", "hairpin"}, true},
		{"e0", []string{"mtu"}, 1400.0},
		{"e0", []string{"ifalias"}, "to brx"},
		{"e0", []string{"txqlen"}, 500.0},
		{"e0", []string{"address"}, "02:00:00:00:00:01"},
		{"e0", []string{"group"}, "7"},
		{"brx", []string{"linkinfo", "info_data", "stp_state"}, 1.0},
		{"brx", []string{"linkinfo", "info_data", "forward_delay"}, 400.0},
		{"vxx", []string{"linkinfo", "info_data", "id"}, 7.0},
		{"vxx", []string{"linkinfo", "info_data", "port"}, 4789.0},
		{"vxx", []string{"linkinfo", "info_data", "local"}, "10.1.1.1"},
		{"vxx", []string{"linkinfo", "info_data", "link"}, "e0"},
		{"vxx", []string{"linkinfo", "info_data", "learning"}, false},
		{"vxx", []string{"linkinfo", "info_data", "ttl"}, 5.0},
		{"mvx", []string{"link"}, "e0"},
		{"mvx", []string{"linkinfo", "info_data", "mode"}, "private"},
	} {
		if got := path(c.dev, c.keys...); got != c.want {
			t.Errorf("%s %v: ip shows %#v, want %#v", c.dev, c.keys, got, c.want)
		}
	}
	compareJSON(t, iprOK(t, "-n", n, "-j", "-d", "link", "show"), nstest.IP(t, ns, "-j", "-d", "link", "show"))

	iprOK(t, "-n", n, "link", "set", "e1", "nomaster")
	iprOK(t, "-n", n, "link", "set", "e0", "down", "name", "e9")
	iprOK(t, "-n", n, "link", "del", "mvx")
	iprOK(t, "-n", n, "link", "del", "dev", "brx", "type", "bridge")
	links = map[string]map[string]any{}
	for _, l := range ipJSON(t, ns, "link", "show") {
		links[l["ifname"].(string)] = l
	}
	for _, gone := range []string{"mvx", "brx", "e0"} {
		if _, ok := links[gone]; ok {
			t.Errorf("%s still exists", gone)
		}
	}
	if _, ok := links["e1"]["master"]; ok {
		t.Errorf("e1 still has a master after nomaster: %v", links["e1"])
	}
	if flags := fmt.Sprint(links["e9"]["flags"]); strings.Contains(flags, "UP") {
		t.Errorf("e9 (renamed e0) is up after set down: %s", flags)
	}
}

// TestErrors checks that bad input gets a clear message and the right
// exit status: 2 for usage errors, 1 for failures.
func TestErrors(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1")
	checkErrors(t, ns, []errorCase{
		{"addr add 10.0.0.1/24", 0, ""},
		{"addr add dev d0", 255, "no address given"},
		{"addr add 10.0.0.300/24 dev d0", 1, `Error: any valid prefix is expected rather than "10.0.0.300/24".`},
		{"addr add 10.0.0.1/33 dev d0", 1, `Error: any valid prefix is expected rather than "10.0.0.1/33".`},
		{"addr add 10.0.0.1/24 dev nosuch", 0, `Cannot find device "nosuch"`},
		{"addr add 10.0.0.1/24 broadcast 2001:db8::1 dev d0", 1, `Error: inet address is expected rather than "2001:db8::1".`},
		{"addr add 10.0.0.1/24 valid_lft 10 preferred_lft 20 dev d0", 255, "preferred_lft is greater than valid_lft"},
		{"addr add 10.0.0.1/24 valid_lft soon dev d0", 255, "invalid valid_lft"},
		{"addr add 10.0.0.1/24 scope galactic dev d0", 255, `invalid scope "galactic"`},
		{"addr add 10.0.0.1/24 10.0.0.2/24 dev d0", 255, `Error: either "local" is duplicate, or "10.0.0.2/24" is a garbage.`},
		{"addr del 10.0.0.7/24 dev d0", 0, "cannot assign requested address"},
		{"addr frob", 255, `Command "frob" is unknown, try "ipr address help".`},
		{"addr show scope", 0, ""},
		{"addr show dev nosuch", 0, `Cannot find device "nosuch"`},
		{"addr flush", 1, "Flush requires arguments."},
		{"link show nosuch", 0, `Cannot find device "nosuch"`},
		{"link set d0 mtu", 0, ""},
		{"link set d0 mtu big", 255, `Error: argument "big" is wrong: Invalid "mtu" value`},
		{"link set d0 frobnicate", 255, `Error: either "dev" is duplicate, or "frobnicate" is a garbage.`},
		{"link set d0 trailers off", 255, `"trailers" is not supported`},
		{"link set d0 address 02:00:zz:00:00:01", 255, "invalid address"},
		{"link add x0 type veth frob", 255, `unknown argument "frob"`},
		{"link add x0 type bridge stp_state 2", 255, "want 0 or 1"},
		{"link add x0", 0, ""},
		{"link add d0 type veth peer name d2", 0, "file exists"},
		{"link del nosuch", 0, `Cannot find device "nosuch"`},
	})
}

// TestAppendIPMatchesInetNtop checks the IPv6 formatting against glibc's
// inet_ntop, which iproute2 uses, through Python's socket.inet_ntop.
func TestAppendIPMatchesInetNtop(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	addrs := [][16]byte{
		{}, {15: 1}, {12: 1, 13: 2, 14: 3, 15: 4}, {14: 1, 15: 2}, {13: 1}, {10: 0xff, 11: 0xff, 12: 1, 15: 4},
		{10: 0xff, 11: 0xff}, {0: 0x20, 1: 0x01, 2: 0x0d, 3: 0xb8, 15: 1}, {0: 0xfe, 1: 0x80, 8: 1, 15: 1},
		{0: 1, 15: 1}, {0: 0x20, 1: 1, 4: 0, 5: 1, 15: 1}, {11: 1, 12: 1}, {9: 0xff, 10: 0xff, 12: 1},
		{0: 0xff, 1: 0x02, 15: 0xfb}, {1: 1, 3: 1, 5: 1, 7: 1, 9: 1, 11: 1, 13: 1, 15: 1},
	}
	var script strings.Builder
	script.WriteString("import socket\n")
	for _, a := range addrs {
		fmt.Fprintf(&script, "print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(%q)))\n", hexString(a[:]))
	}
	out, err := exec.Command(py, "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want := strings.Fields(string(out))
	if len(want) != len(addrs) {
		t.Fatalf("python3 printed %d lines for %d addresses", len(want), len(addrs))
	}
	for i, a := range addrs {
		if got := ipString(a[:]); got != want[i] {
			t.Errorf("%x: got %s, inet_ntop gives %s", a, got, want[i])
		}
	}
}

// TestJSONStringRoundTrip checks that appendJSONString produces JSON that
// decodes to the original text for valid UTF-8.
func TestJSONStringRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " back \ slash`, "ctl \x01\x1f\x7f\t\n\r\b\f", "ünï €", "<&>"} {
		var got string
		b := appendJSONString(nil, s)
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Errorf("%q: encoded %s, decoded %q, %v", s, b, got, err)
		}
	}
}

// TestTextMatchesIproute2 compares the plain text output. Lifetimes
// ("NNNsec") and bridge timers count between the runs and are masked;
// everything else must match byte for byte.
func TestTextMatchesIproute2(t *testing.T) {
	ns := variedNamespace(t)
	mask := regexp.MustCompile(`[0-9]+sec\b|_timer +[0-9]+\.[0-9]+`)
	for _, cmd := range []string{
		"link show", "-d link show", "addr show", "-d addr show", "-4 addr show", "-6 addr show",
		"addr show dev v0", "addr show label v0:*", "-d link show type bridge_slave",
	} {
		ours := iprOK(t, append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...)
		theirs := nstest.IP(t, ns, strings.Fields(cmd)...)
		if o, th := mask.ReplaceAllString(ours, "#"), mask.ReplaceAllString(theirs, "#"); o != th {
			t.Errorf("%s: text differs\nipr:\n%s\nip:\n%s", cmd, ours, theirs)
		}
	}
}

func benchmarkShow(b *testing.B, cmd string) {
	ns := variedNamespace(b)
	args := append([]string{"-n", ns.Name}, strings.Fields(cmd)...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := run(args, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// The benchmarks time whole commands, handle setup included, on the
// namespace of the differential tests (16 links, 30 addresses).
func BenchmarkLinkShowJSON(b *testing.B) { benchmarkShow(b, "-j -d link show") }
func BenchmarkAddrShowJSON(b *testing.B) { benchmarkShow(b, "-j addr show") }
func BenchmarkAddrShowText(b *testing.B) { benchmarkShow(b, "addr show") }
