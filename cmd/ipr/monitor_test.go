package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
)

// monitorChanges are applied while ip and ipr monitor: every object kind
// ip monitor prints, created, changed and deleted.
// (No link that comes and goes at once: a printer that names it may ask
// the kernel after it is gone, for ip as for ipr, a race either can lose.)
var monitorChanges = []string{
	"link add m0 type veth peer name m1", "link set m0 up", "link set m1 up",
	"stats set dev m0 l3_stats on", "stats set dev m0 l3_stats off", "addr add 10.3.0.1/24 dev m0",
	"addr add 2001:db8::1/64 dev m0 nodad", "route add 10.4.0.0/16 via 10.3.0.2",
	"route add 10.5.0.0/16 via 10.3.0.2 table 100 metric 5", "-6 route add 2001:db8:1::/64 via 2001:db8::2",
	"neigh add 10.3.0.5 lladdr 02:00:00:00:00:05 dev m0", "neigh add proxy 10.3.0.6 dev m0",
	"rule add from 10.9.0.0/16 table 5", "-6 rule add to 2001:db8::/32 table 6 pref 77",
	"nexthop add id 7 via 10.3.0.2 dev m0", "nexthop add id 8 group 7", "nexthop del id 8", "nexthop del id 7",
	"rule del from 10.9.0.0/16 table 5", "neigh del 10.3.0.5 dev m0", "route del 10.4.0.0/16",
	"addr del 10.3.0.1/24 dev m0", "link set m0 mtu 1400", "link set m0 name m9 alias renamed",
	"link del m9",
}

// syncBuffer is a bytes.Buffer safe for a writer process and a reader.
// Lines equal to one of drop are left out of what String returns.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	drop []string
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return dropLines(s.b.String(), s.drop)
}

// TestMonitorMatchesIP runs "ip monitor" and "ipr monitor" side by side
// on the same namespace, with several option sets, applies
// monitorChanges, and compares what they print. Both are known to listen
// once each has printed the event of a first marker change; the changes
// are over once each has printed the event of a last one.
func TestMonitorMatchesIP(t *testing.T) {
	nstest.RequirePrivileged(t)
	for _, opts := range [][]string{
		{"monitor"}, {"monitor", "label"}, {"monitor", "all"}, {"-d", "monitor", "label"},
		{"monitor", "link", "address"}, {"monitor", "route", "rule"}, {"-4", "monitor", "label"},
		{"-6", "monitor", "route", "neigh", "label"}, {"monitor", "neigh", "nexthop", "label"},
		{"monitor", "label", "dev", "lo"}, {"monitor", "all-nsid", "label"}, {"monitor", "netconf", "label"},
		{"monitor", "stats", "mroute", "prefix", "label"},
	} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			ns := nstest.New(t)
			nstest.IP(t, ns, "link", "set", "lo", "up")
			ipOut, iprOut := startMonitors(t, append([]string{"ip", "-n", ns.Name}, opts...),
				append([]string{"-n", ns.Name}, opts...))
			for _, cmd := range monitorChanges {
				exec.Command("ip", append([]string{"-n", ns.Name}, strings.Fields(cmd)...)...).Run()
			}
			// A last change that each option set prints one way or
			// another; then both have printed everything once they
			// agree and have printed it.
			for _, cmd := range []string{
				"link set lo alias ipr-monitor-end", "addr add 127.0.0.9/8 dev lo label lo:end",
				"rule add pref 4242 table 4242", "-6 route add unreachable 2001:db8:ffff::4242/128",
				"neigh add 127.0.0.42 lladdr 00:00:00:00:42:42 dev lo", "stats set dev lo l3_stats on",
			} {
				nstest.IP(t, ns, strings.Fields(cmd)...)
			}
			exec.Command("ip", "netns", "exec", ns.Name, "sysctl", "-qw", "net.ipv4.conf.lo.rp_filter=2").Run()
			ended := func(s string) bool {
				for _, m := range []string{"ipr-monitor-end", "lo:end", "4242", "42:42", "rp_filter loose", "lo:\n    l3_stats on"} {
					if strings.Contains(s, m) {
						return true
					}
				}
				return false
			}
			got, want := awaitSame(iprOut.String, ipOut.String, ended)
			if got != want {
				t.Errorf("ipr %s differs from ip: %s", strings.Join(opts, " "), firstDiff(got, want))
			}
		})
	}
}

// awaitSame polls ours and theirs, two monitors' outputs as the caller
// compares them, until they are equal and done says the last change has
// shown, or for 10 seconds at most; it returns them as last read.
func awaitSame(ours, theirs func() string, done func(string) bool) (got, want string) {
	for range 2000 {
		got, want = ours(), theirs()
		if got == want && done(got) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return got, want
}

// startMonitors starts iproute2's monitor (the command line theirs) and
// ipr's (run as a process, with the arguments ours), each writing its
// standard output and error to a buffer, and returns once both listen:
// their sockets have joined groups. Both stop when the test ends.
func startMonitors(t *testing.T, theirs, ours []string) (theirOut, ourOut *syncBuffer) {
	theirOut, ourOut = &syncBuffer{drop: otherNamespaceErrors}, new(syncBuffer)
	theirCmd := exec.Command(theirs[0], theirs[1:]...)
	theirCmd.Stdout, theirCmd.Stderr = theirOut, theirOut
	ourCmd := exec.Command(os.Args[0], ours...)
	ourCmd.Env = append(os.Environ(), cliMainEnv+"=1")
	ourCmd.Stdout, ourCmd.Stderr = ourOut, ourOut
	for _, c := range []*exec.Cmd{theirCmd, ourCmd} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			c.Process.Signal(syscall.SIGTERM)
			c.Wait()
		})
	}
	// Both must have joined every group before the test changes anything.
	// A monitor joins groups one system call at a time (ipr one
	// setsockopt a group; ip and bridge bind the first 32 at once, then
	// set the others), so a socket that has joined one group may not have
	// joined the rest yet, and only the first 32 show in /proc. Both are
	// taken as complete when what /proc shows has not changed for 20 ms
	// and is the same for both (ip's monitors join what ipr's do), or, for
	// tools that join every group (bridge, ip xfrm), has not changed for
	// 100 ms.
	var ourGroups, theirGroups string
	stable := 0
	for range 2000 {
		prevOurs, prevTheirs := ourGroups, theirGroups
		theirGroups, ourGroups = groups(theirCmd.Process.Pid, theirCmd.Process.Pid), groups(theirCmd.Process.Pid, ourCmd.Process.Pid)
		if theirGroups != "" && ourGroups != "" && ourGroups == prevOurs && theirGroups == prevTheirs {
			stable++
		} else {
			stable = 0
		}
		if stable == 20 || stable == 4 && ourGroups == theirGroups {
			return theirOut, ourOut
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never joined a group (%q), or ipr never did (%q)", theirs[0], theirGroups, ourGroups)
	return nil, nil
}

// groups returns the multicast groups below 32 that the netlink sockets
// (RTNL and XFRM) of process pid have joined in the namespace of process
// inNS (whose main thread is in it: ipr's is not, its socket is made on
// another thread), as "protocol:mask" words, or "" if none has joined a
// group: /proc/INNS/net/netlink lists the namespace's sockets with their
// groups and inodes, and /proc/PID/fd the process's sockets.
func groups(inNS, pid int) string {
	inodes := map[string]bool{}
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/net/netlink", inNS))
	var joined []string
	for _, line := range strings.Split(string(b), "\n") {
		// sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
		f := strings.Fields(line)
		if len(f) >= 10 && (f[1] == "0" || f[1] == "6") && f[3] != "00000000" && inodes[f[9]] {
			joined = append(joined, f[1]+":"+f[3])
		}
	}
	slices.Sort(joined)
	return strings.Join(joined, " ")
}

// TestMonitorFileMatchesIP prints files of messages, rtmon's (with time
// stamps) and "ip route save"'s, with ip and ipr.
func TestMonitorFileMatchesIP(t *testing.T) {
	ns := cliNamespace(t)
	dir := t.TempDir()
	saved := filepath.Join(dir, "routes")
	out, _, code := ipRun(t, ns, "", "route", "save", "table", "all")
	if code != 0 {
		t.Fatal("ip route save failed")
	}
	if err := os.WriteFile(saved, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	// rtmon records link, address and route events, after a dump of
	// what exists.
	recorded := filepath.Join(dir, "rtmon")
	if _, err := exec.LookPath("rtmon"); err == nil {
		rtmon := exec.Command("ip", "netns", "exec", ns.Name, "rtmon", "file", recorded)
		if err := rtmon.Start(); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range monitorChanges[:6] {
			ipCommand(t, ns, cmd)
		}
		for range 10000 {
			if st, err := os.Stat(recorded); err == nil && st.Size() > 4096 {
				break
			}
			nstest.IP(t, ns, "link", "set", "lo", "alias", "x")
		}
		rtmon.Process.Signal(syscall.SIGTERM)
		rtmon.Wait()
	}
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte("this is not netlink at all, and it is long enough"), 0o644)
	truncated := filepath.Join(dir, "truncated")
	os.WriteFile(truncated, []byte(out[:len(out)/2+3]), 0o644)
	for _, args := range [][]string{
		{"monitor", "file", saved}, {"monitor", "file", saved, "label"}, {"monitor", "route", "file", saved},
		{"-d", "monitor", "file", saved}, {"monitor", "file", recorded}, {"monitor", "file", recorded, "all"},
		{"monitor", "file", garbage}, {"monitor", "file", truncated}, {"monitor", "file", filepath.Join(dir, "none")},
		{"monitor", "file"}, {"monitor", "help"}, {"monitor", "frob"}, {"monitor", "dev"},
		{"monitor", "dev", "ipr-no-such-dev"},
	} {
		if args[len(args)-1] == recorded {
			if _, err := os.Stat(recorded); err != nil {
				continue
			}
		}
		sameAsIP(t, ns, nil, args...)
	}
}

// firstDiff shows where two outputs part: the first differing line of
// each, with the line before.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			prev := ""
			if i > 0 {
				prev = g[i-1]
			}
			return fmt.Sprintf("line %d, after %q:\nipr: %q\nip:  %q", i+1, prev, a, b)
		}
	}
	return "(equal)"
}
