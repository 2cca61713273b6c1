package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

// The command line against hostile input: every command line the tests
// and their data hold, cut short at every word and with each word after
// the command replaced by values a parser can trip on, runs against fake
// kernels. None may panic, hang, fail without saying why, or exit with a
// status ip does not use. Objects that reach the host other than through
// netlink (namespaces, tun devices, multicast addresses by ioctl, VRF
// cgroups, monitors that run until stopped, a password read from the
// terminal) are left out: the fakes stand in only for netlink.

// hostileWords are values put in place of a word: empty, signs, numbers
// past every width, malformed addresses, prefixes and MACs, and keywords
// that start a new clause where a value was expected.
var hostileWords = []string{
	"", "-", "-1", "0", "0x", "4294967296", "18446744073709551616", "99999999999999999999999",
	"1e400", "nan", "/", ":", "::", "1.2.3.4/33", "1::2::3", "ff:ff:ff:ff:ff:ff:ff", "0/0", "1:",
	"%", "\x00", "\xff", "dev", "via", "help", "256", "65536", "0xffffffff", ",", "1,", "1-", "1.2.3", "/8",
	"1/", "@", strings.Repeat("9", 400),
}

// verbWords replace the command word: none may abbreviate a command that
// leaves netlink (a monitor, a password prompt).
var verbWords = []string{"", "-1", "zz", "help", "%"}

// unsafeObjects are the objects the test leaves out (see above); the
// command line's first word must abbreviate none of them.
var unsafeObjects = []string{"maddress", "tuntap", "tap", "monitor", "netns", "vrf", "sr", "help"}

// unsafeWords leave a command line out wherever they stand, and where
// the command word abbreviates one of them: commands that wait for
// events, read a password or run a program.
var unsafeWords = []string{"monitor", "hmac", "exec"}

// safeGlobals are the global options a seed may start with.
var safeGlobals = []string{"-d", "-details", "-s", "-stats", "-statistics", "-j", "-json", "-p", "-pretty",
	"-4", "-6", "-0", "-o", "-oneline", "-r", "-resolve", "-br", "-brief", "-c", "-color", "-t", "-ts",
	"-N", "-numeric", "-iec", "-h", "-human"}

// robustSeed is a command line and how many of its first words the
// mutations keep: the global options and the object (and, for the
// bridge command, its own object), so that a mutation never reaches an
// object the test leaves out.
type robustSeed struct {
	words []string
	keep  int
}

// newRobustSeed checks a command line against the lists above.
func newRobustSeed(line string) (robustSeed, bool) {
	words := strings.Fields(line)
	i := 0
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		if !slices.Contains(safeGlobals, words[i]) {
			return robustSeed{}, false
		}
		i++
	}
	if i == len(words) || slices.ContainsFunc(words, func(w string) bool { return slices.Contains(unsafeWords, w) }) {
		return robustSeed{}, false
	}
	o, ok := lookupObject(words[i])
	if !ok || slices.Contains(unsafeObjects, o.name) {
		return robustSeed{}, false
	}
	keep := i + 1
	if o.name == "bridge" {
		if keep == len(words) || strings.HasPrefix(words[keep], "-") || matches(words[keep], "monitor") {
			return robustSeed{}, false
		}
		keep++
	}
	return robustSeed{words: words, keep: keep}, true
}

// robustSeeds gathers command lines: the string constants of this
// package's tests and the quoted strings of the scripts that are whole
// command lines (a safe object, then a command of it), and the tc and
// macsec parsing tables of testdata.
func robustSeeds(t testing.TB) []robustSeed {
	t.Helper()
	lines := map[string]bool{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && !strings.ContainsAny(s, "\n\t") {
					lines[s] = true
				}
			}
			return true
		})
	}
	// The tc tables give kinds' options; they become whole commands.
	prefixes := map[string]string{
		"tcfilterparse.txt": "filter add ",
		"tcactparse.txt":    "actions add action ",
	}
	for file, prefix := range prefixes {
		for _, l := range testdataLines(t, file) {
			if lhs, _, ok := strings.Cut(l, " => "); ok {
				lines[prefix+lhs] = true
			}
		}
	}
	for _, l := range testdataLines(t, "tckindparse.txt") {
		lhs, _, ok := strings.Cut(l, " => ")
		switch {
		case !ok:
		case strings.HasPrefix(lhs, "qdisc "):
			lines["qdisc add dev v0 root "+strings.TrimPrefix(lhs, "qdisc ")] = true
		case strings.HasPrefix(lhs, "class "):
			lines["class add dev v0 parent 1: classid 1:1 "+strings.TrimPrefix(lhs, "class ")] = true
		}
	}
	for _, l := range testdataLines(t, "macsecerrors.txt") {
		if rest, ok := strings.CutPrefix(l, "=== "); ok {
			if args, _, ok := strings.Cut(rest, " exit "); ok {
				lines[args] = true
			}
		}
	}
	// The capture and golden scripts quote the command lines they
	// record ("link add t6 type ip6tnl ...").
	scripts, err := filepath.Glob("../../scripts/*.sh")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, name := range scripts {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, part := range strings.Split(string(b), `"`) {
			if i%2 == 1 && !strings.ContainsAny(part, "$`\\\n") {
				lines[part] = true
			}
		}
	}
	var seeds []robustSeed
	for l := range lines {
		words := strings.Fields(l)
		// A string constant is a command line when it has a command
		// after the object; a lone word is too often something else.
		if len(words) < 2 {
			continue
		}
		if s, ok := newRobustSeed(l); ok {
			seeds = append(seeds, s)
		}
	}
	slices.SortFunc(seeds, func(a, b robustSeed) int { return slices.Compare(a.words, b.words) })
	return seeds
}

// testdataLines returns the lines of a file in testdata.
func testdataLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// robustKernel returns a dialer of fake kernels: RTNL with the links the
// seeds name (lo, v0 to v2, p0, br0, eth0), generic netlink that knows the
// families the command line uses and answers their requests with
// EOPNOTSUPP and their dumps empty, and XFRM that does the same.
func robustKernel() socket.Dialer {
	rt := nltest.NewRTNL()
	for i, name := range []string{"v0", "v1", "v2", "p0", "br0", "eth0", "dummy0", "vx0"} {
		rt.AddLink(nltest.Link{Index: int32(i + 2), Name: name, Kind: "veth", MTU: 1500,
			Flags: unix.IFF_UP | unix.IFF_BROADCAST | unix.IFF_MULTICAST, HardwareAddr: []byte{2, 0, 0, 0, 0, byte(i + 2)}})
	}
	gn := nltest.NewFake()
	ids := map[string]uint16{}
	for i, fam := range []string{"l2tp", "fou", "ila", "macsec", "mptcp_pm", "IOAM6", "SEG6", "tcp_metrics", "ethtool", "netdev", "devlink", "wireguard", "nlctrl"} {
		ids[fam] = uint16(0x20 + i)
	}
	gn.Handle(unix.GENL_ID_CTRL, nltest.GenlController(ids))
	return kernels(rt, gn, nltest.NewFake())
}

// kernels returns a dialer of three fakes: one for each protocol the
// command speaks, whose message types overlap.
func kernels(rt, gn, xf *nltest.Fake) socket.Dialer {
	return func(protocol int, cfg *socket.Config) (socket.Transport, error) {
		switch protocol {
		case unix.NETLINK_ROUTE:
			return rt.Dial(protocol, cfg)
		case unix.NETLINK_GENERIC:
			return gn.Dial(protocol, cfg)
		case unix.NETLINK_XFRM:
			return xf.Dial(protocol, cfg)
		}
		return nil, unix.EPROTONOSUPPORT
	}
}

// robustRun runs one command line and says what is wrong with how it
// ended, or "" if nothing is.
func robustRun(args []string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	type result struct {
		code           int
		stderr, panicS string
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.panicS = fmt.Sprintf("%v at %s", p, panicSite(debug.Stack()))
			}
			done <- r
		}()
		var out, errb bytes.Buffer
		r.code = runContext(ctx, args, strings.NewReader(""), &out, &errb)
		r.stderr = errb.String()
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		return "did not return within 30 s"
	}
	switch {
	case r.panicS != "":
		return "panicked: " + r.panicS
	case r.code < 0 || r.code > 255:
		return fmt.Sprintf("exit status %d, not one a process can have", r.code)
	case r.code != 0 && strings.TrimSpace(r.stderr) == "":
		return fmt.Sprintf("exit status %d with nothing on standard error", r.code)
	}
	return ""
}

// panicSite is the first line of this package's code in a panic's
// stack: where the panic happened.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.Contains(l, "/cmd/ipr/") && !strings.Contains(l, "robust_test.go") && i > 0 &&
			!strings.HasPrefix(lines[i-1], "panic(") {
			return strings.TrimSpace(l)
		}
	}
	return string(stack)
}

// TestCommandLinesNeverPanic runs every seed, each of its prefixes, and
// each with one word after its object replaced (see hostileWords and
// verbWords), left out or repeated, against fake kernels.
func TestCommandLinesNeverPanic(t *testing.T) {
	useTransport(t, robustKernel())
	seeds := robustSeeds(t)
	// The seeds are gathered from the tests; too few means the
	// gathering broke, and the test would pass on nothing.
	if len(seeds) < 300 {
		t.Fatalf("only %d command lines gathered", len(seeds))
	}
	// IPR_MISTAKES_OUT=FILE also writes each command line to FILE, a
	// JSON array a line, for scripts/mistakes_parity.py to run with ip.
	var lines *os.File
	if path := os.Getenv("IPR_MISTAKES_OUT"); path != "" {
		var err error
		if lines, err = os.Create(path); err != nil {
			t.Fatal(err)
		}
		defer lines.Close()
	}
	seen := map[string]bool{}
	runs, failures := 0, 0
	try := func(args []string) {
		key := strings.Join(args, "\x01")
		if seen[key] || failures >= 20 {
			return
		}
		seen[key] = true
		runs++
		if lines != nil {
			b, _ := json.Marshal(args)
			if _, err := lines.Write(append(b, '\n')); err != nil {
				t.Fatal(err)
			}
		}
		if msg := robustRun(args); msg != "" {
			failures++
			t.Errorf("ipr %q: %s", args, msg)
		}
	}
	for _, s := range seeds {
		for n := s.keep; n <= len(s.words); n++ {
			try(s.words[:n])
		}
		for i := s.keep; i < len(s.words); i++ {
			values := hostileWords
			if i == s.keep {
				values = verbWords
			}
			for _, v := range values {
				w := slices.Clone(s.words)
				w[i] = v
				try(w)
			}
			// A word left out, and a word said twice.
			try(slices.Delete(slices.Clone(s.words), i, i+1))
			try(slices.Insert(slices.Clone(s.words), i, s.words[i]))
		}
	}
	t.Logf("%d seeds, %d command lines", len(seeds), runs)
}

// fuzzCommandLine is a seed's command line cut after its first keep+cut
// words (cut modulo the rest's length plus one), followed by the words
// of tail; ok is false when the result may reach past netlink.
func fuzzCommandLine(s robustSeed, cut uint8, tail string) (args []string, ok bool) {
	n := s.keep + int(cut)%(len(s.words)-s.keep+1)
	args = append(slices.Clone(s.words[:n]), strings.Split(tail, " ")...)
	if tail == "" {
		args = args[:n]
	}
	for i, w := range args {
		for _, u := range unsafeWords {
			if w == u || i == s.keep && matches(w, u) {
				return nil, false
			}
		}
	}
	return args, true
}

// FuzzCommandLine runs command lines made of a seed's first words and
// the fuzzer's (see fuzzCommandLine) against fake kernels: none may
// panic, hang or fail silently.
func FuzzCommandLine(f *testing.F) {
	seeds := robustSeeds(f)
	for i, s := range seeds {
		f.Add(uint16(i), uint8(0), strings.Join(s.words[s.keep:], " "))
	}
	f.Fuzz(func(t *testing.T, seed uint16, cut uint8, tail string) {
		args, ok := fuzzCommandLine(seeds[int(seed)%len(seeds)], cut, tail)
		if !ok {
			return
		}
		useTransport(t, robustKernel())
		if msg := robustRun(args); msg != "" {
			t.Fatalf("ipr %q: %s", args, msg)
		}
	})
}
