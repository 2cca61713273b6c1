package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The printers against whatever a kernel might say: every show command
// runs against fake kernels that answer each of its requests with the
// fuzzer's bytes as the reply's payload (a link for "link show", a route
// for "route show", a generic-netlink message for the families' shows).
// No command may panic, hang or fail silently, and what -j prints is
// JSON whenever the command succeeds.

// showCommands are the commands FuzzShowCommands runs: only commands that
// read.
var showCommands = []string{
	"link show", "-d -s -s link show", "-j -d -s link show", "-br link show", "-o -d link show",
	"link xstats type bridge", "-j link xstats type bond_slave", "link afstats",
	"addr show", "-d -j addr show", "-br addr", "-6 addr show",
	"route show", "-d route show table all", "-j -6 route show table all", "route get 1.2.3.4",
	"neigh show", "-d -s neigh show", "-j neigh show",
	"rule show", "-j rule show", "-6 rule show",
	"nexthop show", "-j -s nexthop show", "nexthop bucket show",
	"ntable show", "-j ntable show", "netconf show", "-j netconf show",
	"mroute show", "addrlabel list", "stats show", "-j stats show",
	"qdisc show", "-s -d qdisc show", "-j -s qdisc show", "class show dev v0", "-s class show dev v0",
	"filter show dev v0", "-j filter show dev v0 ingress", "actions ls action gact", "-j actions ls action police",
	"chain show dev v0",
	"bridge fdb show", "bridge -d vlan show", "bridge -j vlan show", "bridge mdb show", "bridge -d link show",
	"bridge vni show",
	"tcp_metrics show", "-j tcp_metrics show", "mptcp endpoint show", "mptcp limits show", "macsec show",
	"fou show", "l2tp show tunnel", "l2tp show session", "ila list", "ioam namespace show", "ioam schema show",
	"genl ctrl list", "xfrm state list", "-s -d xfrm state list", "xfrm policy list", "-s xfrm policy list",
	"xfrm state count", "xfrm policy getdefault",
}

// genlFamilies are the families the fake generic-netlink kernel knows.
var genlFamilies = []string{"l2tp", "fou", "ila", "macsec", "mptcp_pm", "IOAM6", "SEG6", "tcp_metrics", "nlctrl"}

// replyKernel returns a dialer of fake kernels that answer every read
// request with one message carrying payload: RTNL's RTM_GET* with the
// RTM_NEW* of the same object, XFRM's gets with their replies, and each
// generic-netlink family's requests with a message of the family.
func replyKernel(payload []byte) socket.Dialer {
	answer := func(typ uint16) nltest.Handler {
		return func(wire.Message) ([][]byte, error) { return [][]byte{nltest.Message(typ, payload)}, nil }
	}
	rt := nltest.NewFake()
	for get := uint16(unix.RTM_GETLINK); get <= unix.RTM_MAX; get += 4 {
		rt.Handle(get, answer(get-2))
	}
	gn := nltest.NewFake()
	ids := map[string]uint16{}
	for i, fam := range genlFamilies {
		id := uint16(0x20 + i)
		ids[fam] = id
		gn.Handle(id, answer(id))
	}
	controller := nltest.GenlController(ids)
	gn.Handle(unix.GENL_ID_CTRL, func(req wire.Message) ([][]byte, error) {
		// A dump of the families (genl ctrl list) gets the payload; a
		// family asked for by name resolves.
		if req.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			return [][]byte{nltest.Message(unix.GENL_ID_CTRL, payload)}, nil
		}
		return controller(req)
	})
	xf := nltest.NewFake()
	// linux/xfrm.h: GETSA, GETPOLICY, GETAE, GETSADINFO, GETSPDINFO and
	// GETDEFAULT, and the type of each one's reply.
	for get, reply := range map[uint16]uint16{18: 16, 21: 19, 31: 30, 35: 34, 37: 36, 40: 40} {
		xf.Handle(get, answer(reply))
	}
	return kernels(rt, gn, xf)
}

// showSeeds are payloads for the fuzzer to start from: the corpora of
// the library's view fuzzers (links, routes, tc objects, XFRM states...
// as the kernel sends them).
func showSeeds(f testing.TB) [][]byte {
	dirs, err := filepath.Glob("../../fuzz/testdata/fuzz/Fuzz*")
	if err != nil || len(dirs) == 0 {
		f.Fatalf("no fuzz corpora: %v", err)
	}
	var seeds [][]byte
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			// go test fuzz v1, then one Go value a line: the first
			// []byte is the payload.
			for _, l := range strings.Split(string(b), "\n") {
				if q, ok := strings.CutPrefix(l, "[]byte("); ok {
					if s, err := strconv.Unquote(strings.TrimSuffix(q, ")")); err == nil {
						seeds = append(seeds, []byte(s))
					}
					break
				}
			}
		}
	}
	if len(seeds) < 100 {
		f.Fatalf("only %d seed payloads", len(seeds))
	}
	return seeds
}

// checkShow runs one of showCommands over a kernel that answers with
// payload, and says what is wrong, or "".
func checkShow(cmd string, payload []byte) string {
	transport = replyKernel(payload)
	args := strings.Fields(cmd)
	if msg := robustRun(args); msg != "" {
		return msg
	}
	// tc 6.1 prints some filters' options (route, fw, flow, cgroup,
	// basic's ematches, u32's offsets) as text inside its JSON; ipr
	// prints what tc prints.
	if !strings.Contains(cmd, "-j") || strings.Contains(cmd, "filter") {
		return ""
	}
	var out, errb bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errb); code == 0 && !json.Valid(out.Bytes()) {
		return "exit 0 but its output is not JSON:\n" + out.String()
	}
	return ""
}

// TestShowCommandsOnSeeds runs every show command over every seed
// payload of FuzzShowCommands, which runs one command a payload.
func TestShowCommandsOnSeeds(t *testing.T) {
	t.Cleanup(func() { transport = nil })
	for _, p := range showSeeds(t) {
		for _, cmd := range showCommands {
			if msg := checkShow(cmd, p); msg != "" {
				t.Fatalf("ipr %s over %q: %s", cmd, p, msg)
			}
		}
	}
}

// FuzzShowCommands runs one of showCommands (the first argument, modulo
// their number) over kernels that answer with the fuzzer's payload (see
// replyKernel).
func FuzzShowCommands(f *testing.F) {
	for i, p := range showSeeds(f) {
		f.Add(uint8(i), p)
	}
	f.Fuzz(func(t *testing.T, which uint8, payload []byte) {
		t.Cleanup(func() { transport = nil })
		cmd := showCommands[int(which)%len(showCommands)]
		if msg := checkShow(cmd, payload); msg != "" {
			t.Fatalf("ipr %s: %s", cmd, msg)
		}
	})
}

// monitorTypes are the notifications FuzzMonitorFile's seeds carry, one
// a payload in turn: every RTNL object ip monitor prints.
var monitorTypes = []uint16{
	unix.RTM_NEWLINK, unix.RTM_DELLINK, unix.RTM_NEWADDR, unix.RTM_DELADDR, unix.RTM_NEWROUTE, unix.RTM_DELROUTE,
	unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH, unix.RTM_NEWRULE, unix.RTM_DELRULE, unix.RTM_NEWNEXTHOP,
	unix.RTM_DELNEXTHOP, unix.RTM_NEWNETCONF, unix.RTM_NEWNSID, unix.RTM_DELNSID, unix.RTM_NEWSTATS,
	unix.RTM_NEWMDB, unix.RTM_NEWVLAN, unix.RTM_NEWPREFIX, unix.RTM_NEWADDRLABEL, unix.RTM_NEWTUNNEL,
	unix.RTM_NEWNEXTHOPBUCKET, unix.RTM_NEWNEIGHTBL, unix.RTM_NEWMULTICAST, unix.RTM_NEWANYCAST,
}

// checkMonitorFile writes file as a saved stream of notifications and
// runs "ipr monitor file" on it (plainly, and with -d and -t), over an
// empty fake kernel for the names it asks for; it says what is wrong,
// or "".
func checkMonitorFile(t *testing.T, file []byte) string {
	transport = replyKernel(nil)
	name := filepath.Join(t.TempDir(), "monitor")
	if err := os.WriteFile(name, file, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]string{nil, {"-d"}, {"-t", "-s"}} {
		if msg := robustRun(append(opts, "monitor", "all", "file", name)); msg != "" {
			return strings.Join(opts, " ") + ": " + msg
		}
	}
	return ""
}

// monitorSeed is payload as one saved notification of type typ.
func monitorSeed(typ uint16, payload []byte) []byte {
	return nltest.Message(typ, payload)
}

// TestMonitorFileOnSeeds replays every seed payload as a notification
// of every type in monitorTypes.
func TestMonitorFileOnSeeds(t *testing.T) {
	t.Cleanup(func() { transport = nil })
	for _, p := range showSeeds(t) {
		var file []byte
		for _, typ := range monitorTypes {
			file = append(file, monitorSeed(typ, p)...)
		}
		if msg := checkMonitorFile(t, file); msg != "" {
			t.Fatalf("ipr monitor file over %q: %s", p, msg)
		}
	}
}

// FuzzMonitorFile replays the fuzzer's bytes as a saved stream of
// notifications.
func FuzzMonitorFile(f *testing.F) {
	for i, p := range showSeeds(f) {
		f.Add(monitorSeed(monitorTypes[i%len(monitorTypes)], p))
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		t.Cleanup(func() { transport = nil })
		if msg := checkMonitorFile(t, file); msg != "" {
			t.Fatalf("ipr monitor file: %s", msg)
		}
	})
}
