package xfrm_test

import (
	"bytes"
	"net/netip"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/xfrm"
	"golang.org/x/sys/unix"
)

// sentRequest runs "ip -n NS args..." under strace and returns the type
// and payload of the first XFRM request it sends. ip may fail (this
// kernel may lack the SA's protocol or algorithm): the request is what
// counts.
func sentRequest(t *testing.T, ns *nstest.NS, args ...string) (typ uint16, flags string, payload []byte) {
	t.Helper()
	argv := append([]string{"-f", "-e", "trace=sendmsg", "-xx", "-s", "65536", "ip", "-n", ns.Name}, args...)
	out, _ := exec.Command("strace", argv...).CombinedOutput()
	re := regexp.MustCompile(`nlmsg_type=(0x[0-9a-f]+)[^,]*, nlmsg_flags=([A-Z_|]+), nlmsg_seq=\d+, nlmsg_pid=\d+}, "((?:\\x[0-9a-f]{2})*)"`)
	m := re.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no XFRM request in the strace of ip %s:\n%s", strings.Join(args, " "), out)
	}
	v, _ := strconv.ParseUint(string(m[1][2:]), 16, 16)
	hex := strings.ReplaceAll(string(m[3]), `\x`, "")
	payload = make([]byte, len(hex)/2)
	for i := range payload {
		b, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		payload[i] = byte(b)
	}
	return uint16(v), string(m[2]), payload
}

func key(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func hexKey(b byte, n int) string {
	return "0x" + strings.Repeat(strconv.FormatUint(uint64(b)|0x100, 16)[1:], n)
}

// TestRequestBytes compares the requests of StateAdd and PolicyAdd with
// those of ip xfrm, byte for byte (but the header's sequence number and
// the padding ip leaves uninitialized).
func TestRequestBytes(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("no strace")
	}
	ns := nstest.New(t)
	nstest.Require(t, "xfrm")
	a1, a2 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	b1, b2 := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	for _, c := range []struct {
		name string
		args string
		spec any      // what xfrm.Request takes
		typ  uint16   // for an id
		mask [][2]int // byte ranges of the payload ip leaves uninitialized
	}{
		{name: "esp-cbc-trunc", args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 reqid 1 mode tunnel enc cbc(aes) " +
			hexKey(0x11, 16) + " auth-trunc hmac(sha256) " + hexKey(0x22, 32) + " 128",
			spec: &xfrm.State{Src: a1, Dst: a2, Proto: xfrm.ProtoESP, SPI: 0x100, Reqid: 1, Mode: xfrm.ModeTunnel,
				Crypt: &xfrm.Algo{Name: "cbc(aes)", Key: key(0x11, 16)}, Auth: &xfrm.Algo{Name: "hmac(sha256)", Key: key(0x22, 32), TruncBits: 128}}},
		{name: "aead-mark-ifid", args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x200 aead rfc4106(gcm(aes)) " +
			hexKey(0x33, 20) + " 128 replay-window 32 mark 7 mask 0xff if_id 5 tfcpad 64 output-mark 9",
			spec: &xfrm.State{Src: a1, Dst: a2, Proto: xfrm.ProtoESP, SPI: 0x200, ReplayWindow: 32,
				AEAD: &xfrm.Algo{Name: "rfc4106(gcm(aes))", Key: key(0x33, 20), ICVBits: 128},
				Mark: &xfrm.Mark{Value: 7, Mask: 0xff}, IfID: 5, HasIfID: true, TFCPad: 64, SetMark: &xfrm.Mark{Value: 9}}},
		{name: "ah6-sel-limit", args: "xfrm state add src 2001:db8::1 dst 2001:db8::2 proto ah spi 0x300 auth hmac(sha1) " +
			hexKey(0x44, 20) + " sel src 2001:db8:1::/64 dst 2001:db8:2::/64 proto tcp sport 22 limit time-hard 60 limit byte-soft 1000",
			spec: &xfrm.State{Src: b1, Dst: b2, Proto: xfrm.ProtoAH, SPI: 0x300, Auth: &xfrm.Algo{Name: "hmac(sha1)", Key: key(0x44, 20)},
				Selector: xfrm.Selector{Src: netip.MustParsePrefix("2001:db8:1::/64"), Dst: netip.MustParsePrefix("2001:db8:2::/64"),
					Proto: unix.IPPROTO_TCP, SrcPort: 22},
				Lifetime: xfrm.Lifetime{HardAddSeconds: 60, SoftBytes: 1000}}},
		{name: "esp-encap-esn", args: "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x400 enc cbc(aes) " + hexKey(0x55, 16) +
			" encap espinudp 4500 4501 0.0.0.0 replay-window 64 flag esn replay-seq 3",
			spec: &xfrm.State{Src: a1, Dst: a2, Proto: xfrm.ProtoESP, SPI: 0x400, Crypt: &xfrm.Algo{Name: "cbc(aes)", Key: key(0x55, 16)},
				Encap: &xfrm.Encap{Type: xfrm.EncapESPInUDP, SrcPort: 4500, DstPort: 4501, OrigAddr: netip.IPv4Unspecified()},
				Flags: xfrm.StateESN, ReplayESN: &xfrm.ReplayESN{Window: 64, Seq: 3}},
			// struct xfrm_encap_tmpl's padding, after the algorithm.
			mask: [][2]int{{224 + 4 + 84 + 4 + 6, 224 + 4 + 84 + 4 + 8}}},
		{name: "policy-tmpl", args: "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto udp dport 53 dir out priority 100 ptype main " +
			"mark 3 mask 0xff if_id 9 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 7 mode tunnel",
			spec: &xfrm.Policy{Selector: xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/16"),
				Proto: unix.IPPROTO_UDP, DstPort: 53}, Dir: xfrm.DirOut, Priority: 100, HasType: true,
				Mark: &xfrm.Mark{Value: 3, Mask: 0xff}, IfID: 9, HasIfID: true,
				Templates: []xfrm.Template{{Src: a1, Dst: a2, Proto: xfrm.ProtoESP, Reqid: 7, Mode: xfrm.ModeTunnel}}},
			// struct xfrm_userpolicy_type's reserved fields.
			mask: [][2]int{{168 + 4 + 1, 168 + 4 + 6}}},
		{name: "policy6-block", args: "xfrm policy add src 2001:db8:1::/64 dst 2001:db8:2::/64 dir fwd action block limit time-soft 30",
			spec: &xfrm.Policy{Selector: xfrm.Selector{Src: netip.MustParsePrefix("2001:db8:1::/64"), Dst: netip.MustParsePrefix("2001:db8:2::/64")},
				Dir: xfrm.DirFwd, Action: xfrm.ActionBlock, Lifetime: xfrm.Lifetime{SoftAddSeconds: 30}}},
		{name: "policy-any", args: "xfrm policy add dir in",
			spec: &xfrm.Policy{Dir: xfrm.DirIn}},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ, flags, want := sentRequest(t, ns, strings.Fields(c.args)...)
			req, err := xfrm.Request(c.spec, c.typ)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(flags, "NLM_F_REQUEST") {
				t.Errorf("ip's flags %s", flags)
			}
			gotTyp := uint16(req[4]) | uint16(req[5])<<8
			got := req[16:]
			for _, m := range c.mask {
				if m[1] <= len(got) && m[1] <= len(want) {
					copy(got[m[0]:m[1]], want[m[0]:m[1]])
				}
			}
			if gotTyp != typ || !bytes.Equal(got, want) {
				t.Errorf("type %#x, ip's %#x; payload differs at %d\n got %x\nwant %x", gotTyp, typ, diffAt(got, want), got, want)
			}
		})
	}
}

func diffAt(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
