package main

// Differential tests of the saved files ("ip address save/showdump/
// restore", the checks every save and restore command shares, "ip rule
// save/restore"), of "ip address change" and of "ip mrule", against
// iproute2 6.1's ip.

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

// addrSaveNamespace builds a namespace with addresses of every shape a
// saved file holds: IPv4 with labels, secondaries and peers, IPv6 with
// flags; none with a lifetime, which would count down between two saves.
func addrSaveNamespace(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	nstest.Run(t, ns, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
	ipCommands(t, ns, "link set lo up",
		"link add s0 type veth peer name s1",
		"addr add 10.1.0.1/24 brd + dev s0",
		"addr add 10.1.0.2/24 dev s0 label s0:x",
		"addr add 10.2.0.1 peer 10.2.0.9/32 dev s1 scope link",
		"addr add 2001:db8::1/64 dev s0 nodad noprefixroute",
		"addr add 2001:db8:1::1/64 dev s1 nodad metric 7")
	return ns
}

// maskSeqPid zeroes each saved message's sequence number and port id,
// which belong to the socket that dumped it.
func maskSeqPid(t *testing.T, b []byte) []byte {
	t.Helper()
	return maskSavedMessages(t, b, nil)
}

// maskSavedMessages is maskSeqPid on a copy of the save file b (its
// 4-byte magic, then the messages), which also hands each message's
// payload (past the nlmsghdr) to also, if not nil, to mask more of it.
func maskSavedMessages(t *testing.T, b []byte, also func(payload []byte)) []byte {
	t.Helper()
	b = bytes.Clone(b)
	for off := 4; off < len(b); {
		if len(b)-off < 16 {
			t.Fatalf("dump truncated at offset %d", off)
		}
		n := int(binary.NativeEndian.Uint32(b[off:]))
		if n < 16 || off+n > len(b) {
			t.Fatalf("bad message length %d at offset %d", n, off)
		}
		clear(b[off+8 : off+16])
		if also != nil {
			also(b[off+16 : off+n])
		}
		off += (n + 3) &^ 3
	}
	return b
}

// ipWithInput runs ip in ns with a file holding in as standard input (a
// file: ip route restore seeks in it).
func ipWithInput(t *testing.T, ns *nstest.NS, in []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := nstest.Command(t, ns, "ip", args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, &out, &errb
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("ip %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// sameWithInput checks that ipr, given in on standard input, prints and
// exits as ip does.
func sameWithInput(t *testing.T, ns *nstest.NS, in []byte, args ...string) {
	t.Helper()
	want, wantErr, wantCode := ipWithInput(t, ns, in, args...)
	got, gotErr, gotCode := iprIn(ns, string(in), args...)
	if got != want || gotErr != wantErr || gotCode != wantCode {
		t.Errorf("%s:\nipr (exit %d): %q %q\nip (exit %d):  %q %q",
			strings.Join(args, " "), gotCode, got, gotErr, wantCode, want, wantErr)
	}
}

func TestAddrSaveMatchesIP(t *testing.T) {
	ns := addrSaveNamespace(t)
	for _, sel := range []string{"", "dev s0", "-4", "-6 dev s1", "to 10.1.0.0/16", "label s0:x", "scope link"} {
		args := strings.Fields(sel)
		if len(args) > 0 && strings.HasPrefix(args[0], "-") {
			args = append([]string{args[0], "addr", "save"}, args[1:]...)
		} else {
			args = append([]string{"addr", "save"}, args...)
		}
		theirs := nstest.IP(t, ns, args...)
		ours := iprOK(t, append([]string{"-n", ns.Name}, args...)...)
		if !bytes.Equal(maskSeqPid(t, []byte(ours)), maskSeqPid(t, []byte(theirs))) {
			t.Errorf("addr save %s: %d bytes, ip's %d bytes; they differ", sel, len(ours), len(theirs))
		}
	}
	sameBytesAsIP(t, ns, nil, "addr save dev nosuch0", "addr save dev", "addr save up bogus0", "addr save master nosuch0")

	// showdump prints ip's file as ip does, in every output mode.
	dump := []byte(nstest.IP(t, ns, "addr", "save"))
	// A file cut short prints what comes before the cut; messages of
	// other types, or too short, print their index alone.
	odd := func(typ uint16, payload ...byte) []byte {
		b := binary.NativeEndian.AppendUint32(nil, uint32(16+len(payload)))
		b = binary.NativeEndian.AppendUint16(b, typ)
		return append(append(b, make([]byte, 10)...), payload...)
	}
	cut := append(bytes.Clone(dump), dump[4:20]...)
	strange := slices.Concat(dump[:4], odd(unix.RTM_NEWADDR, 0, 0, 0, 7), odd(unix.RTM_NEWLINK, 2, 24, 0, 0, 5, 0, 0, 0), dump[4:])
	for _, opts := range []string{"", "-j", "-j -p", "-o", "-br", "-d", "-s"} {
		for _, in := range [][]byte{dump, cut, strange} {
			sameWithInput(t, ns, in, append(strings.Fields(opts), "addr", "showdump")...)
		}
	}

	// restore of ip's file into twin namespaces, one by ip and one by
	// ipr, leaves the same addresses; a second restore finds them there,
	// and both report each one as existing.
	fresh := func() *nstest.NS {
		n := nstest.New(t)
		nstest.Run(t, n, "sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1")
		ipCommands(t, n, "link set lo up", "link add s0 type veth peer name s1")
		return n
	}
	oracle, ours := fresh(), fresh()
	for range 2 {
		want, wantErr, wantCode := ipWithInput(t, oracle, dump, "addr", "restore")
		got, gotErr, gotCode := iprIn(ours, string(dump), "addr", "restore")
		if got != want || gotErr != wantErr || gotCode != wantCode {
			t.Errorf("addr restore: ipr (exit %d) %q %q; ip (exit %d) %q %q", gotCode, got, gotErr, wantCode, want, wantErr)
		}
	}
	// veth's MAC addresses are random.
	mac := regexp.MustCompile(`"address":"[0-9a-f:]{17}"`)
	if want, got := nstest.IP(t, oracle, "-j", "addr"), nstest.IP(t, ours, "-j", "addr"); mac.ReplaceAllString(got, "") != mac.ReplaceAllString(want, "") || !strings.Contains(got, "2001:db8:1::1") {
		t.Errorf("after ipr addr restore:\n%s\nafter ip addr restore:\n%s", got, want)
	}
}

// TestSavedFileErrorsMatchIP feeds the restore and showdump commands
// files that are not theirs, or are broken, and checks that ipr fails as
// ip does.
func TestSavedFileErrorsMatchIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link set lo up")
	header := func(magic uint32, msgs ...[]byte) []byte {
		b := binary.NativeEndian.AppendUint32(nil, magic)
		for _, m := range msgs {
			b = append(b, m...)
		}
		return b
	}
	msg := func(size uint32, typ uint16, payload int) []byte {
		b := binary.NativeEndian.AppendUint32(nil, size)
		b = binary.NativeEndian.AppendUint16(b, typ)
		return append(b, make([]byte, 10+payload)...)
	}
	for _, d := range []savedDump{addrDump, routeDump, ruleDump} {
		obj := map[uint32]string{addrDump.magic: "addr", routeDump.magic: "route", ruleDump.magic: "rule"}[d.magic]
		for name, in := range map[string][]byte{
			"empty":           nil,
			"junk":            []byte("junk"),
			"short magic":     header(d.magic)[:3],
			"magic only":      header(d.magic),
			"other magic":     header(d.magic ^ 1),
			"short header":    append(header(d.magic), 1, 2, 3),
			"short message":   header(d.magic, msg(64, unix.RTM_NEWADDR, 8)),
			"too long":        header(d.magic, msg(99999, unix.RTM_NEWADDR, 0)),
			"shorter than 16": header(d.magic, msg(8, unix.RTM_NEWADDR, 0)),
		} {
			t.Run(obj+" "+name, func(t *testing.T) {
				sameWithInput(t, ns, in, obj, "restore")
				if obj != "rule" {
					sameWithInput(t, ns, in, obj, "showdump")
				}
			})
		}
	}
}

// TestSaveRefusesTerminal checks the save commands' refusal to write
// to a terminal, and the restore commands' refusal to read from one.
func TestSaveRefusesTerminal(t *testing.T) {
	ns := nstest.New(t)
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	for _, cmd := range []string{"addr save", "route save", "rule save", "mrule save",
		"addr restore", "addr showdump", "route restore", "route showdump", "rule restore", "-6 mrule restore"} {
		args := append([]string{"-n", ns.Name}, strings.Fields(cmd)...)
		c := exec.Command("ip", args...)
		var ipOut, ipErr bytes.Buffer
		c.Stdin, c.Stdout, c.Stderr = tty, &ipOut, &ipErr
		if strings.Contains(cmd, "save") {
			c.Stdin, c.Stdout = nil, tty
		}
		wantCode := 0
		if err := c.Run(); err != nil {
			wantCode = err.(*exec.ExitError).ExitCode()
		}
		var errb bytes.Buffer
		var code int
		if strings.Contains(cmd, "save") {
			code = run(args, strings.NewReader(""), tty, &errb)
		} else {
			var out bytes.Buffer
			code = run(args, tty, &out, &errb)
		}
		if code != wantCode || errb.String() != ipErr.String() || wantCode == 0 {
			t.Errorf("%s on a terminal: ipr exit %d %q; ip exit %d %q", cmd, code, errb.String(), wantCode, ipErr.String())
		}
	}
}

// TestRuleSaveRestoreMatchesIP saves the rules with ip and ipr, and
// restores ip's file with each into twin namespaces.
func TestRuleSaveRestoreMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link add s0 type veth peer name s1",
		"rule add pref 100 from 10.0.0.0/8 iif s0 table 100",
		"rule add pref 101 fwmark 0x10/0xff uidrange 100-200 prohibit",
		"-6 rule add pref 102 to 2001:db8::/32 oif s1 table 300")
	for _, fam := range []string{"-4", "-6"} {
		theirs := nstest.IP(t, ns, fam, "rule", "save")
		ours := iprOK(t, "-n", ns.Name, fam, "rule", "save")
		if !bytes.Equal(maskSeqPid(t, []byte(ours)), maskSeqPid(t, []byte(theirs))) {
			t.Errorf("%s rule save: %d bytes, ip's %d bytes; they differ", fam, len(ours), len(theirs))
		}
		oracle, mine := nstest.New(t), nstest.New(t)
		want, wantErr, wantCode := ipWithInput(t, oracle, []byte(theirs), fam, "rule", "restore")
		got, gotErr, gotCode := iprIn(mine, theirs, fam, "rule", "restore")
		if got != want || gotErr != wantErr || gotCode != wantCode {
			t.Errorf("%s rule restore: ipr (exit %d) %q %q; ip (exit %d) %q %q", fam, gotCode, got, gotErr, wantCode, want, wantErr)
		}
		if want, got := nstest.IP(t, oracle, fam, "-d", "rule"), nstest.IP(t, mine, fam, "-d", "rule"); got != want {
			t.Errorf("%s rules after ipr rule restore:\n%s\nafter ip rule restore:\n%s", fam, got, want)
		}
	}
	sameBytesAsIP(t, ns, nil, "rule save pref 100")
}

// TestAddrChangeMatchesIP changes addresses with ipr and ip: the same
// outcome, and the same refusals.
func TestAddrChangeMatchesIP(t *testing.T) {
	ns, twin := addrSaveNamespace(t), addrSaveNamespace(t)
	for _, cmd := range []string{
		"addr change 10.1.0.1/24 dev s0 valid_lft 1000 preferred_lft 500",
		"addr chg 2001:db8::1/64 dev s0 nodad",
		"addr change 10.1.0.2/24 dev s0 label s0:y metric 9",
		"addr change 10.3.0.1/24 dev s1",
	} {
		args := strings.Fields(cmd)
		iprOK(t, append([]string{"-n", ns.Name}, args...)...)
		nstest.IP(t, twin, args...)
	}
	// The lifetimes count down from when each was set; veth's MAC
	// addresses are random.
	lft := regexp.MustCompile(`(valid|preferred)_lft \d+sec|link/ether \S+`)
	if want, got := nstest.IP(t, twin, "addr"), nstest.IP(t, ns, "addr"); lft.ReplaceAllString(got, "") != lft.ReplaceAllString(want, "") {
		t.Errorf("after ipr addr change:\n%s\nafter ip addr change:\n%s", got, want)
	}
	sameBytesAsIP(t, ns, nil, "addr change 10.1.0.1/24 dev nosuch0", "addr change 10.1.0.1/24",
		"addr chang 10.1.0.1/24 dev s0")
}

// TestMruleMatchesIP runs "ip mrule" commands with ipr and ip. Without
// multicast routing in the kernel, both fail alike; with it, they list
// the same rules.
func TestMruleMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	ipCommands(t, ns, "link add s0 type veth peer name s1")
	sameBytesAsIP(t, ns, nil, "mrule add from 10.0.0.0/8 table 5", "-6 mrule show to 2001:db8::/32",
		"-f link mrule", "-0 mrule show", "mrule save x", "mrule restore")
	for _, fam := range []string{"-4", "-6"} {
		feature := map[string]string{"-4": "mrule", "-6": "mrule6"}[fam]
		if !nstest.Have(t, feature) {
			// The kernel refuses the family: the same messages and
			// statuses, and the same partial JSON.
			sameBytesAsIP(t, ns, []string{fam}, "mrule", "mrule show", "-j mrule show", "-j -p mrule show",
				"mrule flush", "mrule add iif s0 table 5", "mrule del pref 5", "mrule save")
			continue
		}
		for _, cmd := range []string{"mrule add iif s0 table 5 pref 10", "mrule add iif s1 lookup 300 pref 11"} {
			iprOK(t, append([]string{"-n", ns.Name, fam}, strings.Fields(cmd)...)...)
		}
		sameBytesAsIP(t, ns, []string{fam}, "mrule", "-j mrule show", "mrule show pref 10", "-d mrule show",
			"mrule add iif s0 table 5 pref 10")
		iprOK(t, "-n", ns.Name, fam, "mrule", "flush")
		sameBytesAsIP(t, ns, []string{fam}, "mrule")
	}
}
