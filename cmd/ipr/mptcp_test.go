package main

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// sameAsIP runs args with ipr and with ip in ns and compares standard
// output, standard error and exit status; mask, if not nil, rewrites
// what legitimately differs between two runs (ages).
func sameAsIP(t *testing.T, ns *nstest.NS, mask func(string) string, args ...string) {
	t.Helper()
	sameAsIPIn(t, ns, "", mask, args...)
}

// sameAsIPIn is sameAsIP with stdin for the standard input of each.
func sameAsIPIn(t *testing.T, ns *nstest.NS, stdin string, mask func(string) string, args ...string) {
	t.Helper()
	if diff := diffFromIP(t, ns, stdin, mask, args...); diff != "" {
		t.Error(diff)
	}
}

// diffFromIP runs args with ipr and with ip and describes how they
// differ, or returns "".
func diffFromIP(t *testing.T, ns *nstest.NS, stdin string, mask func(string) string, args ...string) string {
	t.Helper()
	out, errs, code := iprIn(ns, stdin, args...)
	ipOut, ipErrs, ipCode := ipRun(t, ns, stdin, args...)
	if mask != nil {
		out, ipOut = mask(out), mask(ipOut)
	}
	// Usages name the command after a tab ("Usage:\tip mptcp ...").
	errs = strings.ReplaceAll(asIP(errs), "\tipr ", "\tip ")
	if code != ipCode || errs != ipErrs || out != ipOut {
		return fmt.Sprintf("%s:\nipr: exit %d, stdout %q, stderr %q\nip:  exit %d, stdout %q, stderr %q",
			strings.Join(args, " "), code, out, errs, ipCode, ipOut, ipErrs)
	}
	return ""
}

// eachSameAsIP is sameAsIP for each command line.
func eachSameAsIP(t *testing.T, ns *nstest.NS, mask func(string) string, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		sameAsIP(t, ns, mask, strings.Fields(cmd)...)
	}
}

// TestMptcpMatchesIP compares ipr mptcp with ip mptcp: endpoints and
// limits set by one and shown by both, and every command-line mistake
// and kernel refusal, with ip's messages and exit statuses.
func TestMptcpMatchesIP(t *testing.T) {
	nstest.Require(t, "genl:mptcp_pm")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	show := func() {
		t.Helper()
		for _, cmd := range []string{"mptcp endpoint", "mptcp endpoint show", "-j mptcp endpoint show", "-j -p mptcp endpoint",
			"mptcp e s id 3", "-j mptcp endpoint show id 4", "mptcp limits", "-j mptcp limits show", "mptcp l s"} {
			sameAsIP(t, ns, nil, strings.Fields(cmd)...)
		}
	}
	show() // empty
	nstest.IP(t, ns, "mptcp", "endpoint", "add", "10.0.0.1", "id", "3", "signal", "dev", "lo")
	for _, cmd := range []string{
		"mptcp endpoint add dead::1 subflow backup fullmesh dev lo",
		"mptcp endpoint add 10.0.0.5",
		"mptcp endpoint add 10.0.0.6 id 0x20 backup",
		"mptcp limits set subflows 3 add_addr_accepted 4",
	} {
		if out, errs, code := iprIn(ns, "", strings.Fields(cmd)...); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
	show()
	for _, cmd := range []string{
		"mptcp endpoint change id 4 nobackup", "mptcp endpoint change 10.0.0.5 backup fullmesh",
		"mptcp endpoint delete id 0 10.0.0.5", "mptcp endpoint delete id 3",
	} {
		if out, errs, code := iprIn(ns, "", strings.Fields(cmd)...); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
	show()
	// Failures, which change nothing.
	eachSameAsIP(t, ns, nil,
		"mptcp", "mptcp help", "mptcp foo", "mptcp endpoint foo", "mptcp limits foo", "mptcp monitor x",
		"mptcp endpoint add", "mptcp endpoint add foo", "mptcp endpoint add 1.2.3.4 id", "mptcp endpoint add 1.2.3.4 id x",
		"mptcp endpoint add 1.2.3.4 id 256", "mptcp endpoint add 1.2.3.4 dev nope", "mptcp endpoint add 1.2.3.4 dev a/b",
		"mptcp endpoint add 1.2.3.4 port 5", "mptcp endpoint add 1.2.3.4 port x signal", "mptcp endpoint add 1.2.3.4 signal fullmesh",
		"mptcp endpoint add 10.0.0.6", "mptcp endpoint delete", "mptcp endpoint delete id 3 1.2.3.4", "mptcp endpoint delete id 0",
		"mptcp endpoint delete id 77", "mptcp endpoint change id 3 port 4 backup", "mptcp endpoint change id 3 signal",
		"mptcp endpoint change backup", "mptcp endpoint show id 99", "mptcp endpoint show 10.9.9.9",
		"mptcp limits set subflows x", "mptcp limits set foo 1", "mptcp limits set subflows 100", "mptcp limits set subflows",
	)
	show()
	if out, errs, code := iprIn(ns, "", "mptcp", "endpoint", "flush"); code != 0 || out != "" || errs != "" {
		t.Fatalf("ipr mptcp endpoint flush: exit %d, %q, %q", code, out, errs)
	}
	show()
}

// TestMptcpMonitorMatchesIP runs ipr mptcp monitor and ip mptcp monitor
// side by side while an MPTCP connection opens and closes over the
// namespace's loopback device: they must print the same lines.
func TestMptcpMonitorMatchesIP(t *testing.T) {
	nstest.Require(t, "genl:mptcp_pm")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var iprOut syncBuffer
	var iprErr bytes.Buffer
	ipOut, err := os.Create(filepath.Join(t.TempDir(), "ip.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer ipOut.Close()
	ipText := func() string {
		b, _ := os.ReadFile(ipOut.Name())
		return string(b)
	}
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"-n", ns.Name, "mptcp", "monitor"}, strings.NewReader(""), &iprOut, &iprErr)
	}()
	ip := exec.Command("ip", "-n", ns.Name, "mptcp", "monitor")
	ip.Stdout = ipOut
	if err := ip.Start(); err != nil {
		t.Fatal(err)
	}
	defer ip.Process.Kill()
	// Both must subscribe before anything happens: wait until two
	// generic-netlink sockets of the namespace are in the events group.
	waitSubscribers(t, ns, 2)
	err = netns.Do(ns.Handle, func() error { _, _, err := nstest.MPTCPExchange(ctx); return err })
	if err != nil {
		// A kernel with the path manager has MPTCP sockets (and Go falls
		// back to TCP where there are none): a failure here is a fault.
		t.Fatalf("no MPTCP connection: %v", err)
	}
	// The connection's events: its listener created and closed, each
	// side created, established and closed: 8 lines, from both.
	deadline := time.Now().Add(30 * time.Second) // a bound, not a measure
	for (strings.Count(ipText(), "\n") < 8 || strings.Count(iprOut.String(), "\n") < 8) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	ip.Process.Kill()
	ip.Wait()
	if code := <-done; code != 0 {
		t.Errorf("ipr mptcp monitor: exit %d, %s", code, iprErr.String())
	}
	if want := ipText(); iprOut.String() != want || !strings.Contains(want, "ESTABLISHED") {
		t.Errorf("ipr mptcp monitor:\n%s\nip mptcp monitor:\n%s", iprOut.String(), want)
	}
}

// waitSubscribers waits until n generic-netlink sockets of ns are members
// of the MPTCP events group, as /proc/net/netlink shows them (its Groups
// mask holds the first 32 groups; beyond those it waits a second).
func waitSubscribers(t *testing.T, ns *nstest.NS, n int) {
	t.Helper()
	h, err := genl.Dial(genl.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	f, err := mptcp.Family(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := f.Group(mptcp.EventsGroup)
	if !ok || g == 0 || g > 32 {
		time.Sleep(time.Second)
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		members := 0
		for _, line := range strings.Split(nstest.Run(t, ns, "cat", "/proc/net/netlink"), "\n") {
			fields := strings.Fields(line)
			if len(fields) < 4 || fields[1] != "16" { // NETLINK_GENERIC
				continue
			}
			if mask, err := strconv.ParseUint(fields[3], 16, 32); err == nil && mask&(1<<(g-1)) != 0 {
				members++
			}
		}
		if members >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d monitors subscribed to group %d", members, n, g)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestGenlListMatchesGenl compares ipr genl list (and ctrl list, ctrl
// get) with iproute2's genl ctrl list and get, byte for byte, in a
// throwaway namespace.
func TestGenlListMatchesGenl(t *testing.T) {
	if _, err := exec.LookPath("genl"); err != nil {
		t.Skip("iproute2's genl command is not installed")
	}
	ns := nstest.New(t)
	want := nstest.Run(t, ns, "genl", "ctrl", "list")
	for _, cmd := range []string{"genl list", "genl ctrl list", "genl show"} {
		out, errs, code := iprIn(ns, "", strings.Fields(cmd)...)
		if code != 0 || errs != "" || out != want {
			t.Errorf("ipr %s: exit %d, stderr %q, stdout:\n%q\ngenl ctrl list:\n%q", cmd, code, errs, out, want)
		}
	}
	want = nstest.Run(t, ns, "genl", "ctrl", "get", "name", "nlctrl")
	if out, _, code := iprIn(ns, "", "genl", "ctrl", "get", "name", "nlctrl"); code != 0 || out != want {
		t.Errorf("ipr genl ctrl get name nlctrl: exit %d, %q; genl: %q", code, out, want)
	}
	if _, errs, code := iprIn(ns, "", "genl", "get", "name", "nosuchfamily"); code != 1 || errs == "" {
		t.Errorf("ipr genl get name nosuchfamily: exit %d, %q", code, errs)
	}
}

// TestMptcpEventLine checks the monitor's lines for events built by hand,
// with every attribute ip prints, in the form ipmptcp.c's printf calls
// give them; the kernel test above checks real events against ip itself.
func TestMptcpEventLine(t *testing.T) {
	var e nla.Encoder
	e.Reserve(unix.GENL_HDRLEN)[0] = mptcp.MPTCPEventSubClosed
	e.Uint32(mptcp.MPTCPAttrToken, 0xabc)
	e.Uint8(mptcp.MPTCPAttrLocID, 2)
	e.Uint8(mptcp.MPTCPAttrRemID, 7)
	e.Addr(mptcp.MPTCPAttrSaddr6, netip.MustParseAddr("2001:db8::1"))
	e.Addr(mptcp.MPTCPAttrDaddr6, netip.MustParseAddr("2001:db8::2"))
	e.Uint16BE(mptcp.MPTCPAttrSport, 443)
	e.Uint16BE(mptcp.MPTCPAttrDport, 50000)
	e.Uint8(mptcp.MPTCPAttrBackup, 1)
	e.Uint8(mptcp.MPTCPAttrError, 104)
	e.Uint16(mptcp.MPTCPAttrFlags, 0x1f)
	e.Uint32(mptcp.MPTCPAttrTimeout, 30)
	e.Int32(mptcp.MPTCPAttrIfIdx, 3)
	e.Uint32(mptcp.MPTCPAttrResetReason, 1)
	e.Uint32(mptcp.MPTCPAttrResetFlags, 0)
	msg := func(b []byte) mptcp.Event {
		m, err := genl.Decode(wire.Message{Header: unix.NlMsghdr{Type: 0x20}, Data: b}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return mptcp.ParseEvent(m)
	}
	const want = "[     SF_CLOSED] token=00000abc remid=7 locid=2 saddr6=2001:db8::1 daddr6=2001:db8::2 sport=443 dport=50000" +
		" backup=1 error=104 flags=1f timeout=30 ifindex=3 reset_reason=1 reset_flags=0x0\n"
	if got := string(appendMptcpEvent(nil, msg(e.Bytes()))); got != want {
		t.Errorf("line:\n%q\nwant\n%q", got, want)
	}
	if got := string(appendMptcpEvent(nil, msg([]byte{mptcp.MPTCPEventListenerCreated, 1, 0, 0}))); got != "[UNKNOWN 15]\n" {
		t.Errorf("listener event: %q", got)
	}
}

// TestGenlFamilyMissing runs the mptcp and tcp_metrics commands against a
// fake kernel without those families: ip's two lines (libnetlink's and
// libgenl's) and its exit status 1, without root.
func TestGenlFamilyMissing(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, func(wire.Message) ([][]byte, error) { return nil, unix.ENOENT })
	useTransport(t, fake.Dial)
	const want = "RTNETLINK answers: No such file or directory\nError talking to the kernel\n"
	for _, cmd := range []string{"mptcp endpoint show", "mptcp limits", "mptcp endpoint flush", "mptcp monitor", "mptcp foo",
		"tcp_metrics show", "tcp_metrics flush", "tcp_metrics delete 10.0.0.1", "tcp_metrics show 10.0.0.1"} {
		out, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		if code != 1 || out != "" || errs != want {
			t.Errorf("ipr %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", cmd, code, out, errs, want)
		}
	}
}
