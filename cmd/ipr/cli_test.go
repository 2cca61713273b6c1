package main

// Differential tests of the command line itself against iproute2 6.1's
// ip: global options, object and command abbreviations, help, exit
// statuses, error messages, -batch, and the empty JSON objects "ip -j"
// lists for filtered-out links.

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/socket"
)

// TestMain lets a test run ipr as a separate process (as another user):
// with cliMainEnv set, the test binary is ipr.
func TestMain(m *testing.M) {
	if os.Getenv(cliMainEnv) == "1" {
		if filepath.Base(os.Args[0]) == "bridge" {
			os.Exit(runBridgeContext(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		}
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const cliMainEnv = "IPR_TEST_CLI_MAIN"

// ipRun runs the real ip with args, in ns if not nil. Its standard
// error leaves out otherNamespaceErrors.
func ipRun(t *testing.T, ns *nstest.NS, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if ns != nil {
		args = append([]string{"-n", ns.Name}, args...)
	}
	stdout, stderr, code = runCmd(t, exec.Command("ip", args...), stdin)
	return stdout, dropLines(stderr, otherNamespaceErrors), code
}

// otherNamespaceErrors are what ip prints of other tests' namespaces:
// to name a namespace ("link-netns NAME", "ip netns list", ip monitor's
// start) it asks the kernel for the id of every name in /run/netns, and
// one that another test is deleting (unmounted, not yet unlinked) draws
// this extended ACK, which ip prints and goes on. It is noise of the
// machine the tests share, not of what a test compares.
var otherNamespaceErrors = []string{"Error: Peer netns reference is invalid."}

// dropLines returns s without the lines equal to one of drop.
func dropLines(s string, drop []string) string {
	if len(drop) == 0 || s == "" {
		return s
	}
	var kept strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if !slices.Contains(drop, strings.TrimSuffix(line, "\n")) {
			kept.WriteString(line)
		}
	}
	return kept.String()
}

func runCmd(t *testing.T, cmd *exec.Cmd, stdin string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", cmd, err)
	}
	return out.String(), errb.String(), code
}

// iprIn runs ipr in-process with args, in ns if not nil. Its standard
// error leaves out otherNamespaceErrors, as ipRun's does: where ip asks
// for every namespace's id and reports a failure, so does ipr.
func iprIn(ns *nstest.NS, stdin string, args ...string) (stdout, stderr string, code int) {
	if ns != nil {
		args = append([]string{"-n", ns.Name}, args...)
	}
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), dropLines(errb.String(), otherNamespaceErrors), code
}

// useTransport makes d the kernel of the in-process runs (transport)
// until t ends.
func useTransport(t testing.TB, d socket.Dialer) {
	transport = d
	t.Cleanup(func() { transport = nil })
}

// asIP rewrites ipr's name for itself in a message to ip's, where the
// two differ only by it ("try \"ipr help\"", "Usage: ipr ...").
func asIP(s string) string {
	return strings.NewReplacer(`"ipr `, `"ip `, "Usage: ipr ", "Usage: ip ", "\tipr ", "\tip ", "Usage:\tipr ", "Usage:\tip ", "\n       ipr ", "\n       ip ", "\n          ipr ", "\n          ip ").Replace(s)
}

// ipCommands runs each command line with ip in ns, to set up a test.
func ipCommands(t testing.TB, ns *nstest.NS, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		ipCommand(t, ns, cmd)
	}
}

// sameBytesAsIP runs each command line (prefix, then the line's words;
// a word of two single quotes is the empty word) with ipr and with ip
// in ns: standard output, standard error and exit status must be the
// same, byte for byte.
func sameBytesAsIP(t *testing.T, ns *nstest.NS, prefix []string, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		args := append(append([]string(nil), prefix...), strings.Fields(cmd)...)
		for i, w := range args {
			if w == "''" {
				args[i] = ""
			}
		}
		out, errs, code := iprIn(ns, "", args...)
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
		if out != ipOut || errs != ipErrs || code != ipCode {
			t.Errorf("%s:\nipr (exit %d): %s%s\nip (exit %d):  %s%s", cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
	}
}

// errorCase is a failing command line, the exit status it fails with
// and what its message says (see checkError).
type errorCase struct {
	args string
	code int
	msg  string
}

// checkErrors is checkError for each case.
func checkErrors(t *testing.T, ns *nstest.NS, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		checkError(t, ns, strings.Fields(c.args), c.code, c.msg)
	}
}

// checkError checks a failing command line: with code 0, that ipr fails
// exactly as ip does (status and standard error); else that ipr exits
// with code and says msg.
func checkError(t *testing.T, ns *nstest.NS, args []string, code int, msg string) {
	t.Helper()
	out, errs, got := iprIn(ns, "", args...)
	if code != 0 {
		if got != code || !strings.Contains(errs, msg) || out != "" {
			t.Errorf("ipr %s: exit %d, stdout %q, stderr %q; want exit %d and %q",
				strings.Join(args, " "), got, out, errs, code, msg)
		}
		return
	}
	ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
	if got != ipCode || asIP(errs) != ipErrs || out != ipOut {
		t.Errorf("ipr %s: exit %d, stdout %q, stderr %q; ip: exit %d, stdout %q, stderr %q",
			strings.Join(args, " "), got, out, errs, ipCode, ipOut, ipErrs)
	}
	if got == 0 {
		t.Errorf("ipr %s: exit 0, want a failure", strings.Join(args, " "))
	}
}

// TestObjectLookup checks the lookup against iproute2 6.1's command
// table: the first object in ip.c's order that the word abbreviates.
func TestObjectLookup(t *testing.T) {
	for word, want := range map[string]string{
		"a": "address", "ad": "address", "addr": "address", "address": "address",
		"addrl": "addrlabel", "m": "maddress", "r": "route", "ro": "route", "ru": "rule",
		"n": "neighbor", "ne": "neighbor", "neigh": "neighbor", "neighbour": "neighbour",
		"neighbor": "neighbor", "nt": "ntable", "l": "link", "li": "link", "l2": "l2tp",
		"t": "tunnel", "tun": "tunnel", "tunt": "tuntap", "ta": "tap", "tc": "tcpmetrics",
		"net": "netns", "netc": "netconf", "nex": "nexthop", "s": "sr", "st": "stats",
		"h": "help", "help": "help", "x": "xfrm", "mr": "mroute", "mru": "mrule",
		"v": "vrf", "i": "ila", "io": "ioam", "c": "calc", "mp": "mptcp",
	} {
		o, ok := lookupObject(word)
		if !ok || o.name != want {
			t.Errorf("lookupObject(%q) = %v, %v; want %q", word, o, ok, want)
		}
	}
	for _, word := range []string{"", "foo", "links", "addresses", "z"} {
		if o, ok := lookupObject(word); ok {
			t.Errorf("lookupObject(%q) = %q, want none", word, o.name)
		}
	}
}

// cliNamespace is a namespace with lo up and a veth pair, one end up
// with an address, the other down and in group 5.
func cliNamespace(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	ipCommands(t, ns,
		"link set lo up",
		"link add va type veth peer name vb",
		"link set va up",
		"link set vb group 5",
		"addr add 10.1.1.1/24 dev va",
		"addr add 10.1.1.5/24 label va:sec dev va", // secondary
		"route add 10.9.0.0/16 via 10.1.1.2",
	)
	return ns
}

// TestAbbreviationsMatchIP runs abbreviated objects and commands through
// both and compares the JSON they print and their exit statuses.
func TestAbbreviationsMatchIP(t *testing.T) {
	ns := cliNamespace(t)
	for _, cmd := range []string{
		"a", "ad", "addr", "address", "a s", "a l", "a sh", "a lst", "addr show dev va",
		"r", "ro", "r s", "r l", "r lst", "route list",
		"ru", "rule", "ru s", "ru l",
		"n", "ne", "neigh", "neighbor", "neighbour", "n s", "n l",
		"l", "li", "link", "l sh", "l l", "l lst", "link show va",
		"-4 a", "-6 a", "-0 a", "-f inet a", "-fa inet6 a", "-family link a",
		"-d l", "-det l", "--json l", "-4 r",
	} {
		args := append([]string{"-j"}, strings.Fields(cmd)...)
		out, errs, code := iprIn(ns, "", args...)
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
		if code != ipCode || errs != ipErrs {
			t.Errorf("%s: ipr exit %d, stderr %q; ip exit %d, stderr %q", strings.Join(args, " "), code, errs, ipCode, ipErrs)
			continue
		}
		compareJSON(t, out, ipOut)
	}
}

// TestHelpMatchesIP checks "help" at both levels and a command line with
// no object: usage on standard error only, exit status 255, as ip.
func TestHelpMatchesIP(t *testing.T) {
	for _, cmd := range []string{
		"", "help", "h", "-help", "--help", "-f help", "-b", "-family", "-batch",
		"link help", "l h", "addr help", "a he", "route help", "rule help", "neigh help", "nexthop help",
	} {
		args := strings.Fields(cmd)
		out, errs, code := iprIn(nil, "", args...)
		ipOut, ipErrs, ipCode := ipRun(t, nil, "", args...)
		if code != ipCode || out != ipOut {
			t.Errorf("%q: ipr exit %d, stdout %q; ip exit %d, stdout %q", cmd, code, out, ipCode, ipOut)
		}
		if !strings.HasPrefix(errs, "Usage: ipr ") || !strings.HasPrefix(ipErrs, "Usage: ip ") {
			t.Errorf("%q: ipr stderr %q; ip stderr %q", cmd, errs, ipErrs)
		}
	}
	// The object's own usage, not the command's.
	_, errs, _ := iprIn(nil, "", "link", "help")
	if !strings.HasPrefix(errs, "Usage: ipr link ") {
		t.Errorf("ipr link help: %q", errs)
	}
}

// TestCommandLineErrorsMatchIP compares failures with ip's, status and
// message, in a namespace where each fails without changing anything.
func TestCommandLineErrorsMatchIP(t *testing.T) {
	ns := cliNamespace(t)
	for _, cmd := range []string{
		// Mistakes on the command line: 255 (1 for an unknown object).
		"-foo link", "-f foo link", "link foo", "addr frob", "r frob", "nosuch", "-rcvbuf x link",
		"link set dev va name a/b", "link set dev va name 0123456789abcdef",
		"link show master nope", "addr add 10.0.0.1/24", "link add", "link add foo", "link set", "link del",
		"link set mtu 5", "neigh add 10.1.1.7", "link show dev", "link set dev va mtu", "route show table",
		"addr show scope",
		// Kernel refusals: 2, with the extended ACK's message or errno.
		"addr del 10.7.7.7/24 dev va", "-6 addr del 2001:db8::7/64 dev va",
		"route add 10.9.0.0/16 via 10.1.1.2", "route del 10.77.0.0/16", "link del lo",
		"rule del pref 5", "nexthop del id 5", "route get 10.200.0.1",
		"link add va type veth peer name vc", "addr add 10.1.1.1/24 dev va",
		// Devices that do not exist: 1.
		"link set dev nope up", "link show dev nope", "addr show dev nope", "addr add 10.2.2.2/24 dev nope",
		"route add 10.3.0.0/16 dev nope", "route show dev nope", "link del nope", "neigh show dev nope",
	} {
		checkError(t, ns, strings.Fields(cmd), 0, "")
	}
	// An empty word cannot travel through strings.Fields above.
	checkError(t, ns, []string{"link", "set", "dev", "va", "name", ""}, 0, "")
	// -n with a namespace that does not exist, or no name at all.
	checkError(t, nil, []string{"-n", "ipr-test-no-such-ns", "link"}, 0, "")
	checkError(t, nil, []string{"-n"}, 0, "")
}

// TestUnimplementedFailByName checks that what ip does and ipr does not
// yet fails by name with status 255, never with different output.
func TestUnimplementedFailByName(t *testing.T) {
	for cmd, what := range map[string]string{
		"tunnel show": `"ip tunnel"`,
	} {
		out, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		want := "Error: " + what + " is not implemented by ipr.\n"
		if code != 255 || out != "" || errs != want {
			t.Errorf("ipr %s: exit %d, stdout %q, stderr %q; want 255 and %q", cmd, code, out, errs, want)
		}
	}
}

// TestAcceptedOptions checks options that change nothing ipr prints:
// accepted, with the same output as without them.
func TestAcceptedOptions(t *testing.T) {
	ns := cliNamespace(t)
	want, _, _ := iprIn(ns, "", "-j", "link")
	for _, opts := range []string{
		"-h", "-human", "-iec", "-t", "-timestamp", "-ts", "-l 3", "-loops 3", "-rc 65536", "-a",
		"-c=never", "-color=never", "-c=auto", "-c", "--", "-4 -0",
	} {
		args := append(strings.Fields("-j "+opts), "link")
		if opts == "-c" {
			// Colour is ip's for text only; with -j it changes nothing.
			args = []string{"-c", "-j", "link"}
		}
		out, errs, code := iprIn(ns, "", args...)
		ipOut, _, ipCode := ipRun(t, ns, "", args...)
		if code != 0 || ipCode != 0 || out != want {
			t.Errorf("ipr %s: exit %d (ip %d), stderr %q, stdout differs: %v", strings.Join(args, " "), code, ipCode, errs, out != want)
			continue
		}
		compareJSON(t, out, ipOut)
	}
	out, _, code := iprIn(nil, "", "-V")
	if code != 0 || !strings.HasPrefix(out, "ipr utility, ") {
		t.Errorf("ipr -V: exit %d, %q", code, out)
	}
}

// TestJSONPlaceholdersMatchIP checks that "-j" lists an empty object for
// each link that the link filters of "link show" and "addr show" drop,
// and for each address the address filters drop, byte for byte as ip.
func TestJSONPlaceholdersMatchIP(t *testing.T) {
	ns := cliNamespace(t)
	sameBytesAsIP(t, ns, []string{"-j"},
		"link show up", "link show group 5", "link show group default", "link show type veth",
		"link show dev vb up", "link show master va", "addr show up", "addr show group 5",
		"-4 addr show up", "addr show scope link", "addr show type veth", "addr show label foo",
		"-6 addr show up", "addr show secondary", "addr show primary", "addr show scope host",
		"addr show to 10.1.1.5", "addr show label va:sec", "-4 addr show dev va scope global",
	)
}

// TestBatchMatchesIP runs batch files through both: output, messages,
// "Command failed FILE:LINE" and exit status, with and without -force.
func TestBatchMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	dir := t.TempDir()
	files := map[string]string{
		// ip's commands leak state into the next (after "link show",
		// "addr show" prints no addresses): no such pairs here.
		"ok":       "addr show dev va  # trailing\n# a comment\n\n  route show \\\n  dev va\nlink show lo\n",
		"kernel":   "addr del 10.7.7.7/24 dev va\nlink show lo\nlink show nope\n\"link\" 'show' \"va\"\n",
		"usage":    "link show lo\nlink frob\nlink show va\n",
		"family":   "-4 addr\n",
		"objects":  "a s dev va\nr\nn\nnosuch\nl sh lo\n",
		"continue": "link show \\\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{
		"-batch ok", "-force -batch ok", "-batch kernel", "-force -batch kernel", "-batch usage",
		"-force -batch usage", "-batch family", "-batch objects", "-force -batch objects",
		"-batch continue", "-batch nofile", "-4 -batch ok",
	} {
		args := strings.Fields(cmd)
		for i, a := range args {
			if _, ok := files[a]; ok || a == "nofile" {
				args[i] = filepath.Join(dir, a)
			}
		}
		sameAsIP(t, ns, nil, args...)
	}
	// Standard input, as "-batch -".
	in := "link show lo\naddr del 10.7.7.7/24 dev va\n"
	out, errs, code := iprIn(ns, in, "-force", "-batch", "-")
	ipOut, ipErrs, ipCode := ipRun(t, ns, in, "-force", "-batch", "-")
	if out != ipOut || errs != ipErrs || code != ipCode {
		t.Errorf("-batch -:\nipr (exit %d): %q %q\nip (exit %d):  %q %q", code, out, errs, ipCode, ipOut, ipErrs)
	}
}

// TestUnprivilegedMatchesIP runs ipr and ip as nobody, in a fresh network
// namespace of their own: the refusals read as ip's, without the
// library's internals (socket calls, namespace paths).
func TestUnprivilegedMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	// The test binary is ipr with cliMainEnv set; nobody must be able to
	// run it, which the build directory does not allow.
	bin := nstest.ExecutableCopy(t, "ipr")
	asNobody := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), cliMainEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{
			// A namespace of the child's own, so that the refused
			// requests go nowhere near the host's.
			Cloneflags: syscall.CLONE_NEWNET,
			Credential: &syscall.Credential{Uid: 65534, Gid: 65534},
		}
		return cmd
	}
	for _, cmd := range []string{
		"link add vz type veth peer name vy",
		"addr add 10.4.4.4/24 dev lo",
		"link set lo up",
		"-n " + ns.Name + " link show",
		"-n " + ns.Name + " link add vz type veth",
		"netns add ipr-nobody-test", "netns delete ipr-nobody-test", "netns set " + ns.Name + " 9",
		"netns exec " + ns.Name + " true", "tuntap add mode tap tpz", "maddr add 01:00:5e:01:02:03 dev lo",
		"ntable change name arp_cache dev lo queue 3", "netns attach ipr-nobody-test 1",
	} {
		args := strings.Fields(cmd)
		out, errs, code := runCmd(t, asNobody(bin, args...), "")
		ipOut, ipErrs, ipCode := runCmd(t, asNobody("ip", args...), "")
		if out != ipOut || errs != ipErrs || code != ipCode || code == 0 {
			t.Errorf("%s as nobody:\nipr (exit %d): %q %q\nip (exit %d):  %q %q", cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
	}
}

// TestLinkNetnsNameMatchesIP checks that a veth whose peer lives in a
// named namespace shows "link-netns NAME" in text, as ip prints it, and
// the id alone in JSON.
func TestLinkNetnsNameMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	peer := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "xa", "type", "veth", "peer", "name", "xb", "netns", peer.Name)
	for _, cmd := range []string{"link show xa", "-d link show xa", "addr show dev xa", "link"} {
		args := strings.Fields(cmd)
		out, errs, code := iprIn(ns, "", args...)
		ipOut, ipErrs, ipCode := ipRun(t, ns, "", args...)
		if out != ipOut || errs != ipErrs || code != ipCode {
			t.Errorf("%s:\nipr (exit %d): %s%s\nip (exit %d):  %s%s", cmd, code, out, errs, ipCode, ipOut, ipErrs)
		}
		if !strings.Contains(out, " link-netns "+peer.Name) {
			t.Errorf("%s: no \"link-netns %s\" in %q", cmd, peer.Name, out)
		}
	}
	out, _, _ := iprIn(ns, "", "-j", "link", "show", "xa")
	ipOut, _, _ := ipRun(t, ns, "", "-j", "link", "show", "xa")
	compareJSON(t, out, ipOut)
}

// TestOnelineMatchesIP checks -o against ip, byte for byte: iproute2's
// line breaks within a record become backslashes, and "addr show" lists
// each address on a line of its own that names its link.
func TestOnelineMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	ipCommands(t, ns,
		"link set va alias hello",
		"link property add dev va altname vaalt",
		"route add 10.8.0.0/16 nexthop via 10.1.1.2 nexthop via 10.1.1.3",
		"neigh add 10.1.1.9 lladdr 02:00:00:00:00:01 dev va",
		"rule add pref 5 table 5",
	)
	sameBytesAsIP(t, ns, nil,
		"-o link", "-o -d link", "-o link show up", "-o addr", "-o -4 addr", "-o -6 addr", "-o -0 addr",
		"-o addr show up", "-o addr show group 5", "-o addr show secondary", "-o addr show label va:sec",
		"-o route", "-o -d route", "-o route show table all", "-o neigh", "-o rule",
		"-j -o addr", "-j -o addr show up", "-j -o link",
	)
}

// TestBriefMatchesIP checks -br against ip, byte for byte, in text and
// JSON: "link show" and "addr show" print iproute2's brief forms, the
// other objects their usual output.
func TestBriefMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	ipCommands(t, ns,
		"addr add 10.2.0.1 peer 10.2.0.2/32 dev va metric 7",
		"link add br0 type bridge",
		"link set vb master br0",
	)
	sameBytesAsIP(t, ns, nil,
		"-br link", "-br link show up", "-br link show master br0", "-br -d link", "-br -o link",
		"-br addr", "-br -4 addr", "-br -6 addr", "-br -0 addr", "-br addr show up", "-br addr show secondary",
		"-br addr show label va:sec", "-br -o addr", "-br route", "-br neigh",
		"-j -br link", "-j -br addr", "-j -br addr show up", "-j -br -0 addr", "-j -br addr show group 5",
	)
}

// TestStatsMatchesIP checks -s (once and twice, with -h and -iec) on
// "link show" and "addr show" against ip, byte for byte, after traffic on
// lo gives its counters several digits. Nothing else sends in the
// namespace (va has no carrier), so the counters stand still between the
// two listings once the traffic has been delivered.
func TestStatsMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	err := netns.Do(ns.Handle, func() error {
		c, err := net.Dial("udp4", "127.0.0.1:9")
		if err != nil {
			return err
		}
		defer c.Close()
		payload := make([]byte, 1400)
		for i := 0; i < 1500; i++ {
			c.Write(payload) // refusals (ICMP port unreachable) are expected
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Wait until the last datagram has been counted.
	var last string
	for i := 0; i < 100; i++ {
		cur := nstest.IP(t, ns, "-s", "-j", "link", "show", "lo")
		if cur == last {
			break
		}
		last = cur
	}
	sameBytesAsIP(t, ns, nil,
		"-s link", "-s -s link", "-s -h link", "-s -s -h link", "-s -h -iec link", "-s -s -human -iec link",
		"-s link show lo", "-s -o link", "-s -br link", "-s link show up",
		"-s addr", "-s -s addr", "-s -h addr", "-s -o addr", "-s -br addr", "-s -4 addr",
		"-j -s link", "-j -s -s link", "-j -s addr", "-j -s -s addr show dev lo",
	)
	if out := nstest.IP(t, ns, "-s", "-h", "link", "show", "lo"); !strings.Contains(out, "M ") {
		t.Errorf("lo's counters did not reach millions, the -h test is weak:\n%s", out)
	}
}

// TestStatNumMatchesPrintNum checks the -h formatting of counters at the
// edges of its units against iproute2's print_num, worked by hand (its
// unit prefixes are lower-case "k" even with -iec: "ki").
func TestStatNumMatchesPrintNum(t *testing.T) {
	for _, c := range []struct {
		v    uint64
		iec  bool
		want string
	}{
		{999, false, "  999 "}, {1000, false, "1.00k "}, {9999, false, "10.00k "}, {10000, false, "10.0k "},
		{123456, false, " 123k "}, {1023, true, " 1023 "}, {1024, true, "1.00ki "}, {1 << 20, true, "1.00Mi "},
		{1<<64 - 1, false, "18.4E "}, {1<<64 - 1, true, "16.0Ei "},
	} {
		got := string(appendStatNum(nil, 5, c.v, statsOptions{human: true, iec: c.iec}))
		if got != c.want {
			t.Errorf("appendStatNum(%d, iec %v) = %q, want %q", c.v, c.iec, got, c.want)
		}
	}
}

// TestPrettyMatchesIP checks -j -p against ip, byte for byte: iproute2's
// json_writer layout, with strings that hold its delimiters.
func TestPrettyMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	for _, cmd := range [][]string{
		{"link", "set", "va", "alias", `a "q", [b] {c}: \ d`},
		{"route", "add", "10.8.0.0/16", "nexthop", "via", "10.1.1.2", "nexthop", "via", "10.1.1.3"},
		{"rule", "add", "pref", "5", "table", "5"},
	} {
		nstest.IP(t, ns, cmd...)
	}
	sameBytesAsIP(t, ns, nil,
		"-j -p link", "-j -p -d link", "-p -j addr", "-j -p addr show up", "-j -p link show dev vb up",
		"-j -p route", "-j -pretty route show table all", "-j -p rule", "-j -p neigh", "-j -p -br addr",
		"-j -p -o addr", "-p link",
	)
}
