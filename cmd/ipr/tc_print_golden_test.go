package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The print goldens: tc 6.1's output, under scripts/fakertnl's fake
// kernel, for replies made of every tc fixture (the request bytes tc
// sends for kinds this kernel lacks, made kernel-like: handles and
// reference counts set, statistics and each kind's extended statistics
// added), recorded by scripts/tcprint_golden.sh. TestTCPrintAsTC feeds
// the same replies to ipr through nltest's fake kernel and compares the
// output byte for byte.
const (
	tcprintDir     = "testdata/tcprint"
	tcprintReplies = tcprintDir + "/replies.txt"
)

// Attribute numbers of linux/rtnetlink.h, linux/gen_stats.h and
// linux/pkt_cls.h.
const (
	goldTCA_STATS2         = 7
	goldTCA_STATS          = 3
	goldTCA_XSTATS         = 4
	goldTCA_HW_OFFLOAD     = 12
	goldTCA_CHAIN          = 11
	goldTCA_INGRESS_BLOCK  = 13
	goldTCA_KIND           = 1
	goldTCA_OPTIONS        = 2
	goldTCA_RATE           = 5
	goldTCA_STATS_BASIC    = 1
	goldTCA_STATS_RATE_EST = 2
	goldTCA_STATS_QUEUE    = 3
	goldTCA_STATS_APP      = 4
	goldTCA_ACT_OPTIONS    = 2
	goldTCA_ACT_STATS      = 4
	goldTCA_ROOT_TAB       = 1
	goldTCA_ROOT_COUNT     = 3
	goldSizeofTcMsg        = 20
)

// tcprintOptions are the option sets every case is printed with.
var tcprintOptions = []string{"", "-s", "-d", "-s -d", "-p -s -d", "-j", "-j -s -d", "-j -p -s -d"}

// tcprintCase is one listing: the command (after tc's options) and the
// messages the fake kernel answers it with.
type tcprintCase struct {
	name string
	cmd  string
	msgs [][]byte
}

// nlAttrs splits a chain of attributes (the raw bytes of each, header
// and padding included).
func nlAttrs(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 4 {
		n := int(binary.NativeEndian.Uint16(b))
		if n < 4 || n > len(b) {
			break
		}
		n = min((n+3)&^3, len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func attrType(a []byte) uint16 { return binary.NativeEndian.Uint16(a[2:]) & 0x3fff }

func u32s(vs ...uint32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.NativeEndian.PutUint32(b[4*i:], v)
	}
	return b
}

// words returns n bytes of distinct 32-bit words 1, 2, 3...: extended
// statistics whose every field prints differently.
func words(n int, first ...uint32) []byte {
	b := make([]byte, n)
	for i := 0; i+4 <= n; i += 4 {
		binary.NativeEndian.PutUint32(b[i:], uint32(i/4+1))
	}
	copy(b, u32s(first...))
	return b
}

// qdiscXstats and classXstats are the kinds' extended statistics, of
// the sizes of Linux 6.12's structures (include/uapi/linux/pkt_sched.h).
func qdiscXstats(kind string) []byte {
	if kind == "fq_codel" {
		return words(40, 0) // TCA_FQ_CODEL_XSTATS_QDISC
	}
	return xstatsOfSize(kind, map[string]int{"red": 16, "choke": 20, "codel": 36, "fq": 152, "pie": 40, "fq_pie": 36})
}

func classXstats(kind string) []byte {
	return xstatsOfSize(kind, map[string]int{"htb": 20, "hfsc": 24, "drr": 4, "qfq": 8})
}

// xstatsOfSize returns the extended statistics of kind, sizes[kind]
// bytes of words, nil for a kind without.
func xstatsOfSize(kind string, sizes map[string]int) []byte {
	if n, ok := sizes[kind]; ok {
		return words(n)
	}
	return nil
}

// gnetStats returns TCA_STATS2 (basic, rate estimator, queue and
// application statistics, as gnet_stats_copy_* put them) and the
// compatible TCA_STATS and TCA_XSTATS the kernel adds.
func gnetStats(xstats []byte, rate bool) []byte {
	out := rawnl.Attr(goldTCA_STATS2, gnetStats2(xstats, rate))
	bps, pps := uint32(0), uint32(0)
	if rate {
		bps, pps = 1000, 10
	}
	compat := make([]byte, 40)
	binary.NativeEndian.PutUint64(compat, 123456)
	copy(compat[8:], u32s(789, 3, 4, bps, pps, 2, 3000))
	out = append(out, rawnl.Attr(goldTCA_STATS, compat)...)
	if xstats != nil {
		out = append(out, rawnl.Attr(goldTCA_XSTATS, xstats)...)
	}
	return out
}

// gnetStats2 is the body of TCA_STATS2 (or of TCA_ACT_STATS).
func gnetStats2(xstats []byte, rate bool) []byte {
	var s2 []byte
	if xstats != nil {
		s2 = append(s2, rawnl.Attr(goldTCA_STATS_APP, xstats)...)
	}
	basic := make([]byte, 16)
	binary.NativeEndian.PutUint64(basic, 123456)
	binary.NativeEndian.PutUint32(basic[8:], 789)
	s2 = append(s2, rawnl.Attr(goldTCA_STATS_BASIC, basic)...)
	if rate {
		s2 = append(s2, rawnl.Attr(goldTCA_STATS_RATE_EST, u32s(1000, 10))...)
	}
	// qlen, backlog, drops, requeues, overlimits
	return append(s2, rawnl.Attr(goldTCA_STATS_QUEUE, u32s(2, 3000, 3, 5, 4))...)
}

// kindOf returns the TCA_KIND of a chain of attributes.
func kindOf(attrs [][]byte) string {
	for _, a := range attrs {
		if attrType(a) == goldTCA_KIND {
			return strings.TrimRight(string(a[4:]), "\x00")
		}
	}
	return ""
}

// compatSize is the aligned size of the structure that begins the
// options of the kinds tc nests "compat" (addattr_nest_compat: the
// structure, then a nested TCA_OPTIONS of attributes) and whose dump
// the kernel writes flat (the structure, then the attributes, their
// nests without NLA_F_NESTED).
var compatSize = map[string]int{"mqprio": 84, "prio": 20}

// flattenCompat rewrites TCA_OPTIONS a as the kernel dumps it.
func flattenCompat(a []byte, size int) []byte {
	body := append([]byte(nil), a[4:4+size]...)
	for _, o := range nlAttrs(a[4+size:]) {
		if attrType(o) == goldTCA_OPTIONS {
			for _, in := range nlAttrs(o[4:]) {
				in = append([]byte(nil), in...)
				binary.NativeEndian.PutUint16(in[2:], attrType(in))
				body = append(body, in...)
			}
			continue
		}
		// tc 6.1's mqprio puts its rate nests right after the structure,
		// flagged; mqprio_dump nests them with nla_nest_start_noflag.
		o = append([]byte(nil), o...)
		binary.NativeEndian.PutUint16(o[2:], attrType(o))
		body = append(body, o...)
	}
	return rawnl.Attr(goldTCA_OPTIONS, body)
}

// qdiscReply makes a qdisc or class request's payload a dump reply.
func qdiscReply(typ uint16, payload []byte) []byte {
	tcm := append([]byte(nil), payload[:goldSizeofTcMsg]...)
	attrs := nlAttrs(payload[goldSizeofTcMsg:])
	kind := kindOf(attrs)
	handle := binary.NativeEndian.Uint32(tcm[8:])
	parent := binary.NativeEndian.Uint32(tcm[12:])
	if typ == unix.RTM_NEWQDISC {
		if handle == 0 && parent != 0xfffffff1 {
			binary.NativeEndian.PutUint32(tcm[8:], 0x80010000)
		}
		if parent == 0xffffffff {
			binary.NativeEndian.PutUint32(tcm[16:], 2) // refcnt
		} else {
			binary.NativeEndian.PutUint32(tcm[16:], 1)
		}
	} else {
		binary.NativeEndian.PutUint32(tcm[16:], 0)
	}
	out := tcm
	if kind == "ingress" || kind == "clsact" {
		// ingress_dump and clsact_dump put an empty TCA_OPTIONS.
		hasOpts := false
		for _, a := range attrs {
			hasOpts = hasOpts || attrType(a) == goldTCA_OPTIONS
		}
		if !hasOpts {
			attrs = append(attrs, rawnl.Attr(goldTCA_OPTIONS|unix.NLA_F_NESTED, nil))
		}
	}
	rate := false
	for _, a := range attrs {
		if kind == "netem" && attrType(a) == goldTCA_OPTIONS && len(a) > 4+24 {
			// netem_dump nests TCA_NETEM_LOSS without NLA_F_NESTED (tc
			// sends it with the flag, and tc 6.1 ignores it so).
			a = append([]byte(nil), a...)
			for _, o := range nlAttrs(a[4+24:]) {
				if attrType(o) == 5 {
					binary.NativeEndian.PutUint16(o[2:], 5)
				}
			}
		}
		if kind == "sfq" && attrType(a) == goldTCA_OPTIONS && len(a) >= 4+72 {
			// sfq_dump fills the RED statistics that end tc_sfq_qopt_v1.
			a = append([]byte(nil), a...)
			copy(a[4+48:], words(24))
		}
		if size := compatSize[kind]; size > 0 && attrType(a) == goldTCA_OPTIONS && len(a) >= 4+size {
			a = flattenCompat(a, size)
		}
		switch attrType(a) {
		case goldTCA_RATE:
			rate = true // the estimator is not echoed: its rate is
		default:
			out = append(out, a...)
		}
	}
	if typ == unix.RTM_NEWQDISC {
		out = append(out, rawnl.Attr(goldTCA_HW_OFFLOAD, []byte{0})...)
		out = append(out, gnetStats(qdiscXstats(kind), rate)...)
	} else {
		out = append(out, gnetStats(classXstats(kind), rate)...)
	}
	return nltest.Message(typ, out)
}

// The attribute of each action kind's parameters and times.
var actParmsTM = map[string][2]uint16{
	"bpf": {2, 1}, "connmark": {1, 2}, "csum": {1, 2}, "ct": {1, 2}, "simple": {2, 1}, "gact": {2, 1},
	"mirred": {2, 1}, "mpls": {2, 1}, "nat": {1, 2}, "pedit": {4, 1}, "sample": {2, 1}, "skbedit": {2, 1},
	"tunnel_key": {2, 1}, "vlan": {2, 1}, "police": {1, 6},
}

// actionReply makes the nest of one action (TCA_ACT_KIND, options...)
// the kernel's dump of it: an index if it had none, reference counts,
// times and statistics.
func actionReply(nest []byte, order uint16, index *uint32, bind bool) []byte {
	attrs := nlAttrs(nest[4:])
	kind := kindOf(attrs)
	var out []byte
	for _, a := range attrs {
		if attrType(a) != goldTCA_ACT_OPTIONS {
			out = append(out, a...)
			continue
		}
		out = append(out, rawnl.Attr(goldTCA_ACT_STATS|unix.NLA_F_NESTED, gnetStats2(nil, false))...)
		pt, ok := actParmsTM[kind]
		var opts []byte
		for _, o := range nlAttrs(a[4:]) {
			o = append([]byte(nil), o...)
			if kind == "pedit" && attrType(o) == 5 {
				// tcf_pedit_key_ex_dump nests TCA_PEDIT_KEYS_EX and each
				// TCA_PEDIT_KEY_EX without NLA_F_NESTED.
				binary.NativeEndian.PutUint16(o[2:], 5)
				for _, k := range nlAttrs(o[4:]) {
					binary.NativeEndian.PutUint16(k[2:], attrType(k))
				}
			}
			if ok && attrType(o) == pt[0] && len(o) >= 24 {
				if kind == "police" {
					// struct tc_police: index, action, limit, burst,
					// mtu, rate, peakrate, refcnt, bindcnt, capab
					setIndex(o[4:], index)
					binary.NativeEndian.PutUint32(o[4+44:], 1)
					if bind {
						binary.NativeEndian.PutUint32(o[4+48:], 1)
					}
				} else {
					// struct tc_gen: index, capab, action, refcnt, bindcnt
					setIndex(o[4:], index)
					binary.NativeEndian.PutUint32(o[4+12:], 1)
					if bind {
						binary.NativeEndian.PutUint32(o[4+16:], 1)
					}
				}
			}
			opts = append(opts, o...)
		}
		if ok {
			tm := make([]byte, 32)
			binary.NativeEndian.PutUint64(tm, 1200)     // installed 12 s ago
			binary.NativeEndian.PutUint64(tm[8:], 300)  // used 3 s ago
			binary.NativeEndian.PutUint64(tm[24:], 900) // first used 9 s ago
			opts = append(opts, rawnl.Attr(pt[1], tm)...)
		}
		out = append(out, rawnl.Attr(goldTCA_ACT_OPTIONS|unix.NLA_F_NESTED, opts)...)
	}
	return rawnl.Attr(order, out)
}

func setIndex(parms []byte, index *uint32) {
	if binary.NativeEndian.Uint32(parms) == 0 {
		*index++
		binary.NativeEndian.PutUint32(parms, *index)
	}
}

// actionList makes each action of a TCA_ACT_TAB-like nest kernel-like.
func actionList(list []byte, index *uint32, bind bool) []byte {
	var out []byte
	for _, a := range nlAttrs(list[4:]) {
		out = append(out, actionReply(a, attrType(a), index, bind)...)
	}
	return out
}

// The attribute of each filter kind's action list.
var filterActs = map[string]uint16{"u32": 7, "flower": 3, "matchall": 2, "bpf": 1, "fw": 4, "route": 6, "cgroup": 1, "flow": 9, "basic": 3}

// filterReply makes a filter request kernel-like: a chain attribute and
// actions with their statistics.
func filterReply(m []byte) []byte {
	payload := m[unix.SizeofNlMsghdr:]
	out := append([]byte(nil), payload[:goldSizeofTcMsg]...)
	attrs := nlAttrs(payload[goldSizeofTcMsg:])
	kind := kindOf(attrs)
	hasChain := false
	for _, a := range attrs {
		if attrType(a) == goldTCA_CHAIN {
			hasChain = true
		}
	}
	var index uint32
	for _, a := range attrs {
		switch attrType(a) {
		case goldTCA_OPTIONS:
			var opts []byte
			for _, o := range nlAttrs(a[4:]) {
				if t, ok := filterActs[kind]; ok && attrType(o) == t {
					o = rawnl.Attr(binary.NativeEndian.Uint16(o[2:]), actionList(o, &index, true))
				}
				opts = append(opts, o...)
			}
			out = append(out, rawnl.Attr(binary.NativeEndian.Uint16(a[2:]), opts)...)
		default:
			out = append(out, a...)
		}
		if attrType(a) == goldTCA_KIND && !hasChain {
			out = append(out, rawnl.Attr(goldTCA_CHAIN, u32s(0))...)
		}
	}
	return nltest.Message(unix.RTM_NEWTFILTER, out)
}

// actionsReply makes an RTM_NEWACTION request the reply to a dump (an
// RTM_GETACTION).
func actionsReply(m []byte) []byte {
	payload := m[unix.SizeofNlMsghdr:]
	out := append([]byte(nil), payload[:4]...)
	var index uint32
	n := 0
	for _, a := range nlAttrs(payload[4:]) {
		if attrType(a) == goldTCA_ROOT_TAB {
			n = len(nlAttrs(a[4:]))
			a = rawnl.Attr(binary.NativeEndian.Uint16(a[2:]), actionList(a, &index, false))
		}
		out = append(out, a...)
	}
	out = append(out, rawnl.Attr(goldTCA_ROOT_COUNT, u32s(uint32(n)))...)
	// The kernel answers action dumps with messages of the request's type.
	return nltest.Message(unix.RTM_GETACTION, out)
}

// buildTCPrintCases makes the cases from rtm/tc's fixtures.
func buildTCPrintCases(t *testing.T) []tcprintCase {
	var cases []tcprintCase
	f, err := os.Open("../../rtm/tc/testdata/requests.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 {
			continue
		}
		typ, err := strconv.ParseUint(fields[1], 0, 16)
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Fields(fields[4])
		if typ != unix.RTM_NEWQDISC && typ != unix.RTM_NEWTCLASS || line[1] == "link" {
			continue
		}
		payload, err := hex.DecodeString(fields[3])
		if err != nil {
			t.Fatal(err)
		}
		dev := "p0"
		for i, w := range line {
			if w == "dev" && i+1 < len(line) {
				dev = line[i+1]
			}
		}
		c := tcprintCase{name: "qdisc/" + fields[0], cmd: "qdisc show dev " + dev}
		if typ == unix.RTM_NEWTCLASS {
			c = tcprintCase{name: "class/" + fields[0], cmd: "class show dev " + dev}
		}
		c.msgs = [][]byte{qdiscReply(uint16(typ), payload)}
		cases = append(cases, c)
	}
	files, _ := filepath.Glob("../../rtm/tc/testdata/iproute2/*.txt")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		group := strings.TrimSuffix(filepath.Base(file), ".txt")
		var name, cmd string
		for _, l := range strings.Split(string(b), "\n") {
			key, val, _ := strings.Cut(l, " ")
			switch key {
			case "case":
				name = val
			case "cmd":
				cmd = val
			case "req":
				m, err := hex.DecodeString(val)
				if err != nil || len(m) < unix.SizeofNlMsghdr+goldSizeofTcMsg {
					continue
				}
				words := shellWords(cmd)
				switch typ := binary.NativeEndian.Uint16(m[4:]); {
				case typ == unix.RTM_NEWTFILTER:
					c := tcprintCase{name: "filter/" + group + "-" + name, cmd: "filter show dev p0", msgs: [][]byte{filterReply(m)}}
					if words[2] == "block" {
						// tc looks for a qdisc bound to the block first.
						c.cmd = "filter show block " + words[3]
						block, _ := strconv.ParseUint(words[3], 10, 32)
						clsact := append(u32s(0, 3, 0xffff0000, 0xfffffff1, 1), rawnl.Attr(goldTCA_KIND, []byte("clsact\x00"))...)
						clsact = append(clsact, rawnl.Attr(goldTCA_INGRESS_BLOCK, u32s(uint32(block)))...)
						c.msgs = append(c.msgs, nltest.Message(unix.RTM_NEWQDISC, clsact))
					}
					cases = append(cases, c)
				case typ == unix.RTM_NEWACTION:
					kind := ""
					for i, w := range words {
						if w == "action" && i+1 < len(words) {
							kind = words[i+1]
							break
						}
					}
					if !actionKinds[kind] {
						kind = "gact" // "action pass ..." is gact's
					}
					cases = append(cases, tcprintCase{name: "actions/" + name, cmd: "actions ls action " + kind, msgs: [][]byte{actionsReply(m)}})
				}
			}
		}
	}
	return cases
}

var actionKinds = map[string]bool{"gact": true, "mirred": true, "police": true, "skbedit": true, "pedit": true,
	"vlan": true, "tunnel_key": true, "csum": true, "nat": true, "bpf": true, "ct": true, "connmark": true,
	"sample": true, "mpls": true, "simple": true}

// formatTCPrintReplies is the replies file: per case, "case NAME",
// "cmd ARGS" and each message, "msg HEX" (nlmsghdr included).
func formatTCPrintReplies(cases []tcprintCase) []byte {
	var b bytes.Buffer
	b.WriteString("# Replies for scripts/tcprint_golden.sh, made from rtm/tc's fixtures by\n")
	b.WriteString("# TestTCPrintReplies (IPR_TCPRINT_WRITE=1 rewrites this file); do not edit.\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "\ncase %s\ncmd %s\n", c.name, c.cmd)
		for _, m := range c.msgs {
			fmt.Fprintf(&b, "msg %x\n", m)
		}
	}
	return b.Bytes()
}

// TestTCPrintReplies checks that the committed replies are the ones the
// fixtures make (IPR_TCPRINT_WRITE=1 writes them).
func TestTCPrintReplies(t *testing.T) {
	cases := goldenCases(t, buildTCPrintCases, 0)
	checkReplies(t, tcprintReplies, formatTCPrintReplies(cases), "IPR_TCPRINT_WRITE", "scripts/tcprint_golden.sh")
}

// tcprintFile is the golden file of a case.
func tcprintFile(name string) string {
	return outputGoldenFile(tcprintDir, name)
}

// tcprintPending are the cases whose printers do not yet print what tc
// prints: TestTCPrintAsTC checks that they still differ (so that the
// list shrinks as printers are fixed) rather than that they equal tc's.
// IPR_TCPRINT_ALL=1 shows their differences. None is left.
var tcprintPending = map[string]bool{}

// TestTCPrintAsTC prints every case as ipr does, with each option set,
// and compares with tc's output, byte for byte.
func TestTCPrintAsTC(t *testing.T) {
	cases := goldenCases(t, buildTCPrintCases, 100)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := nltest.NewRTNL()
			for _, l := range []nltest.Link{{Index: 1, Name: "lo", MTU: 65536}, {Index: 2, Name: "p1", MTU: 1500}, {Index: 3, Name: "p0", MTU: 1500}} {
				fake.AddLink(l)
			}
			for _, get := range []uint16{unix.RTM_GETQDISC, unix.RTM_GETTCLASS, unix.RTM_GETTFILTER, unix.RTM_GETACTION} {
				fake.Handle(get, func(req wire.Message) ([][]byte, error) {
					var out [][]byte
					for _, m := range c.msgs {
						if typ := binary.NativeEndian.Uint16(m[4:]); typ == get-2 || typ == get {
							out = append(out, append([]byte(nil), m...))
						}
					}
					return out, nil
				})
			}
			useTransport(t, fake.Dial)
			matchOutputGoldens(t, "tc", tcprintFile(c.name), c.cmd, tcprintPending[c.name], "IPR_TCPRINT_ALL")
		})
	}
}
