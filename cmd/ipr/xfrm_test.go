package main

import (
	"context"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/wire"
	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// xfrmPolicyAdds are policies added with ip in one namespace and with
// ipr in its twin.
var xfrmPolicyAdds = []string{
	"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 443 dir out priority 100 mark 3 mask 0xff if_id 9 " +
		"tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 7 mode tunnel",
	"xfrm policy add src 2001:db8:1::/64 dst 2001:db8:2::/64 dir fwd action block ptype sub limit time-hard 600",
	"xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir in tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel level use",
	"xfrm policy add dst 10.3.0.0/24 proto icmp type 8 code 0 dir out flag localok tmpl dst 192.0.2.9 proto ah spi 0x10 mode transport",
	"xfrm policy add src 10.4.0.0/24 proto gre key 7 dir in priority 7",
	"xfrm policy update src 10.2.0.0/16 dst 10.1.0.0/16 dir in priority 9 tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel",
}

// xfrmListings are compared byte for byte, ip's and ipr's.
var xfrmListings = []string{
	"xfrm policy", "xfrm policy list", "-o xfrm policy", "xfrm policy list dir in", "xfrm policy list ptype sub",
	"-6 xfrm policy", "xfrm policy list src 10.1.0.0/16", "xfrm policy list action block", "xfrm policy list priority 7",
	"xfrm policy count", "-s xfrm policy count", "-s -s xfrm policy count",
	"xfrm policy get dir out src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 443 mark 3 mask 0xff if_id 9",
	"xfrm state", "xfrm state list", "-s xfrm state", "xfrm state count", "-s xfrm state count",
	"xfrm state list proto esp", "xfrm state list reqid 5", "xfrm state list mode transport", "xfrm state list nokeys",
	"xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000", "xfrm policy getdefault",
}

// TestXfrmParity adds the same policies with ip and with ipr in twin
// namespaces and compares the listings of both (timestamps and kernel
// indexes aside, -s listings are compared in one namespace).
func TestXfrmParity(t *testing.T) {
	a, b := nstest.New(t), nstest.New(t)
	nstest.Require(t, "xfrm")
	for _, cmd := range xfrmPolicyAdds {
		nstest.IP(t, a, strings.Fields(cmd)...)
		if out, errs, code := iprIn(b, "", strings.Fields(cmd)...); code != 0 {
			t.Fatalf("ipr %s: exit %d: %s%s", cmd, code, out, errs)
		}
	}
	// SAs of the kinds the kernel has (none without esp4), in both.
	k := func(b string, n int) string { return " 0x" + strings.Repeat(b, n) }
	for _, c := range []struct{ feature, cmd string }{
		{"xfrm:esp", "xfrm state add src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x100 reqid 1 mode tunnel enc cbc(aes)" + k("11", 16) +
			" auth-trunc hmac(sha256)" + k("22", 32) + " 128 mark 7 mask 0xff if_id 5 sel src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp" +
			" dport 80 replay-window 16 flag noecn limit time-hard 600 output-mark 3"},
		{"xfrm:esp", "xfrm state add src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x101 enc cbc(aes)" + k("33", 16) +
			" auth hmac(sha1)" + k("44", 20) + " encap espinudp 4500 4501 0.0.0.0 replay-window 64 flag esn replay-seq 3"},
		{"xfrm:aead", "xfrm state add src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x102 aead rfc4106(gcm(aes))" + k("55", 20) + " 128 tfcpad 32"},
		{"xfrm:esp6", "xfrm state add src 2001:db8::1 dst 2001:db8::9 proto esp spi 0x103 mode beet enc cbc(aes)" + k("66", 16)},
		{"xfrm:ah", "xfrm state add src 10.0.0.1 dst 10.0.0.9 proto ah spi 0x104 auth hmac(sha1)" + k("77", 20)},
		{"xfrm:comp", "xfrm state add src 10.0.0.1 dst 10.0.0.9 proto comp spi 0x105 comp deflate"},
	} {
		if !nstest.Have(t, c.feature) {
			continue
		}
		nstest.IP(t, a, strings.Fields(c.cmd)...)
		if out, errs, code := iprIn(b, "", strings.Fields(c.cmd)...); code != 0 {
			t.Fatalf("ipr %s: exit %d: %s%s", c.cmd, code, out, errs)
		}
	}
	// Larval SAs, which need no ESP module, in both: what allocspi prints
	// is compared too.
	for _, cmd := range []string{
		"xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel reqid 5 min 0x1000 max 0x1000",
		"xfrm state allocspi src 2001:db8::1 dst 2001:db8::2 proto ah mode transport min 0x2000 max 0x2000",
		"xfrm state allocspi src 10.0.0.3 dst 10.0.0.4 proto comp seq 7 mark 5 min 0x30 max 0x30",
	} {
		ipOut, _, _ := ipRun(t, a, "", strings.Fields(cmd)...)
		out, errs, code := iprIn(b, "", strings.Fields(cmd)...)
		if out != ipOut || code != 0 {
			t.Errorf("%s: ipr (exit %d):\n%s%s\nip:\n%s", cmd, code, out, errs, ipOut)
		}
	}
	for _, cmd := range xfrmListings {
		if strings.HasPrefix(cmd, "-s xfrm state") && !strings.Contains(cmd, "count") {
			continue // add times
		}
		ipOut, ipErrs, ipCode := ipRun(t, a, "", strings.Fields(cmd)...)
		out, errs, code := iprIn(b, "", strings.Fields(cmd)...)
		if out != ipOut || asIP(errs) != ipErrs || code != ipCode {
			t.Errorf("%s:\nipr (exit %d):\n%s%s\nip (exit %d):\n%s%s", cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
	}
	// Everything, -s included, on one namespace.
	sameBytesAsIP(t, a, nil, append([]string{"-s xfrm policy", "-s -o xfrm policy", "-s xfrm state"}, xfrmListings...)...)
	// Changes, and the listings after them.
	for _, cmd := range []string{
		"xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000",
		"xfrm policy delete dir out src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 443 mark 3 mask 0xff if_id 9",
		"xfrm policy deleteall dir in",
		"xfrm state deleteall proto ah",
		"xfrm policy flush ptype sub",
		"xfrm policy setdefault in block out accept",
		"xfrm policy setdefault fwd block",
		"xfrm policy set hthresh4 24 16 hthresh6 64 48",
	} {
		nstest.IP(t, a, strings.Fields(cmd)...)
		if out, errs, code := iprIn(b, "", strings.Fields(cmd)...); code != 0 {
			t.Fatalf("ipr %s: exit %d: %s%s", cmd, code, out, errs)
		}
		for _, l := range []string{"xfrm policy", "xfrm state", "xfrm policy count", "xfrm state count", "xfrm policy getdefault",
			"-s -s xfrm policy count"} {
			ipOut, _, _ := ipRun(t, a, "", strings.Fields(l)...)
			out, _, _ := iprIn(b, "", strings.Fields(l)...)
			if out != ipOut {
				t.Errorf("after %s, %s:\nipr:\n%s\nip:\n%s", cmd, l, out, ipOut)
			}
		}
	}
	nstest.IP(t, a, "xfrm", "policy", "flush")
	iprIn(b, "", "xfrm", "policy", "flush")
	sameBytesAsIP(t, b, nil, "xfrm policy", "xfrm state flush", "xfrm state")
}

// TestXfrmErrors: command-line mistakes fail as ip's do.
func TestXfrmErrors(t *testing.T) {
	ns := nstest.New(t)
	nstest.Require(t, "xfrm")
	checkErrors(t, ns, []errorCase{
		{args: "xfrm policy add src 10.0.0.0/8"},
		{args: "xfrm policy add dir sideways"},
		{args: "xfrm policy add dir in action maybe"},
		{args: "xfrm policy get dir in"},
		{args: "xfrm policy delete dir in index 3 src 10.0.0.0/8"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 1 enc cbc(aes) 0x00"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 mode ro enc cbc(aes) 0x00"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto bogus"},
		{args: "xfrm state add src 10.0.0.1 dst fd00::1 proto esp"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 replay-window 5000 enc cbc(aes) 0x00"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 mode tunnel enc cbc(aes) 0x" + strings.Repeat("11", 16) +
			" flag esn"},
		{args: "xfrm state flush proto bogus"},
		{args: "xfrm policy flush ptype bogus"},
		{args: "xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x77"},
		{args: "xfrm policy delete dir out src 10.9.0.0/16"},
		{args: "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp spi 5"},
		{args: "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 5"},
		{args: "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 9 max 5"},
		{args: "xfrm state allocspi mode tunnel"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0xzz"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x" + strings.Repeat("ab", 513)},
		{args: "xfrm state get"}, {args: "xfrm state add"}, {args: "xfrm policy add"}, {args: "xfrm state list src"},
		{args: "xfrm policy list dir"}, {args: "xfrm state add src"}, {args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes)"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 aead x 0x00"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc a 0x00 enc b 0x00"},
		{args: "xfrm state add proto esp spi 1 mark"}, {args: "xfrm policy add dir in tmpl"}, {args: "xfrm policy add dir in tmpl mode"},
		{args: "xfrm policy add dir in src 10.0.0.0/8 proto tcp type 3"}, {args: "xfrm policy add dir in proto udp key 5"},
		{args: "xfrm policy add dir in dir out"}, {args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 0x10000 comp deflate"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto route2 spi 5"}, {args: "xfrm state flush proto esp proto ah"},
		{args: "xfrm state deleteall bogus bogus"}, {args: "xfrm policy deleteall dir sideways"}, {args: "xfrm monitor bogus"},
		{args: "xfrm monitor help"}, {args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 limit"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 limit time-soft x"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 encap bogus 1 2 0.0.0.0"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 offload dev nosuch0 dir in"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 offload dir sideways"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 offload up"},
		{args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 ctx a ctx b"},
		{args: "xfrm policy setdefault in"}, {args: "xfrm policy setdefault in maybe"}, {args: "xfrm policy setdefault up block"},
		{args: "xfrm policy setdefault in block in accept"}, {args: "xfrm policy set hthresh4 33 0"},
		{args: "xfrm policy set hthresh6 1 129"}, {args: "xfrm policy set hthresh4 1"}, {args: "xfrm policy set bogus"},
		{args: "xfrm policy set hthresh4 1 1 hthresh4 2 2"},
		{args: "xfrm"}, {args: "xfrm help"}, {args: "xfrm state help"}, {args: "xfrm policy help"}, {args: "xfrm bogus"},
		{args: "xfrm state bogus"}, {args: "xfrm policy bogus"}, {args: "xfrm sa help"}, {args: "xfrm policy list dir up"},
	})
}

// TestXfrmPrintHostile prints random messages as every notification, as
// the monitor would: no panic, whatever the kernel (or a fake) sends.
func TestXfrmPrintHostile(t *testing.T) {
	e := &env{ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard, Stats: statsOptions{level: 2}}
	defer e.close()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		data := make([]byte, r.IntN(400))
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		// Some valid attribute headers after the fixed part, now and then.
		if n := len(data); n > 240 && i%2 == 0 {
			binary.NativeEndian.PutUint16(data[232:], uint16(n-232))
			binary.NativeEndian.PutUint16(data[234:], uint16(1+r.IntN(31)))
		}
		for typ := xfrm.EventNewSA; typ <= xfrm.EventMapping; typ++ {
			ev := xfrm.Event{Message: wire.Message{Header: unix.NlMsghdr{Type: uint16(typ)}, Data: data}, NSID: int32(i%3) - 1}
			xfrmPrintEvent(e, newXfrmPrinter(e), ev, i%3 == 0, i%2 == 0)
		}
	}
}

// TestXfrmRequestBytes compares the requests ipr's command lines send
// with those ip's send (strace), byte for byte: the SAs this kernel may
// refuse (no esp4) still show what each command line makes.
func TestXfrmRequestBytes(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("no strace")
	}
	ns := nstest.New(t)
	nstest.Require(t, "xfrm")
	key := func(b string, n int) string { return "0x" + strings.Repeat(b, n) }
	for _, c := range []struct {
		typ  uint16
		args string
	}{
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 reqid 1 mode tunnel enc cbc(aes) " + key("11", 16) +
			" auth-trunc hmac(sha256) " + key("22", 32) + " 128"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x101 aead rfc4106(gcm(aes)) " + key("33", 20) +
			" 128 replay-window 32 mark 7 mask 0xff if_id 5 tfcpad 64 output-mark 9 mask 0xf0 flag noecn af-unspec extra-flag dont-encap-dscp"},
		{0x10, "xfrm state add src 2001:db8::1 dst 2001:db8::2 proto ah spi 0x300 auth hmac(sha1) " + key("44", 20) +
			" sel src 2001:db8:1::/64 dst 2001:db8:2::/64 proto tcp sport 22 dport 80 limit time-hard 60 limit byte-soft 1000 seq 9"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x400 mode beet enc cbc(aes) secretsecretsecr" +
			" replay-window 64 flag esn replay-seq 3 replay-oseq 4 replay-seq-hi 5 replay-oseq-hi 6"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 0x500 comp deflate sel proto gre key 1.2.3.4"},
		{0x10, "xfrm state add src fd00::1 dst fd00::2 proto route2 mode ro coa fd00::3"},
		{0x1a, "xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 enc cbc(aes) " + key("55", 16) +
			" sel src 10.1.0.0/24 proto icmp type 8 code 0 replay-seq 7 replay-oseq 8"},
		{0x11, "xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mark 3 mask 7"},
		{0x12, "xfrm state get dst 10.0.0.2 proto ah spi 0x100"},
		{0x16, "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto comp mode transport"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x106 enc cbc(aes) 0x123 auth hmac(md5) 0x"},
		{0x1c, "xfrm state flush proto ah"},
		{0x1c, "xfrm state flush"},
		{0x13, "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto udp dport 53 dir out priority 100 ptype main action allow " +
			"flag icmp mark 3 mask 0xff if_id 9 limit packet-hard 5 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 7 mode tunnel " +
			"tmpl dst 10.0.0.9 proto ah spi 0x10 level use"},
		{0x19, "xfrm policy update src 2001:db8::/32 dir in index 0x10"},
		{0x14, "xfrm policy delete dir out src 10.1.0.0/16 dst 10.2.0.0/16 proto udp dport 53 ptype sub mark 3 if_id 4"},
		{0x15, "xfrm policy get index 8 dir fwd"},
		{0x1d, "xfrm policy flush"},
		{0x27, "xfrm policy setdefault in block fwd accept"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x107 enc cbc(aes) 0x00 ctx system_u:object_r:x_t:s0 offload dev lo dir in"},
		{0x10, "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x108 enc cbc(aes) 0x00 offload dir out"},
		{0x13, "xfrm policy add dst 10.7.0.0/16 dir out ctx unconfined_u:object_r:y_t:s0 priority 3"},
		{0x14, "xfrm policy delete dst 10.7.0.0/16 dir out ctx unconfined_u:object_r:y_t:s0"},
		{0x24, "xfrm policy set hthresh4 32 0 hthresh6 128 7"},
		{0x28, "xfrm policy getdefault"},
		{0x23, "xfrm state count"},
		{0x25, "xfrm policy count"},
	} {
		args := strings.Fields(c.args)
		ip := ipRequests(t, ns, c.typ, args...)
		ipr := iprProtoRequests(t, ns, unix.NETLINK_XFRM, c.typ, args...)
		if len(ipr) == 1 && len(ip) == 1 && strings.HasPrefix(ipr[0], ip[0]) && strings.Trim(ipr[0][len(ip[0]):], "0") == "" {
			// ip's flush and default requests end with their 1- or
			// 3-byte struct, unpadded; ipr's are padded to 4, as the
			// builder aligns.
			ipr[0] = ip[0]
		}
		if strings.Join(ip, "\n") != strings.Join(ipr, "\n") || len(ip) == 0 {
			t.Errorf("%s:\nipr %q\nip  %q", c.args, ipr, ip)
		}
	}
}
