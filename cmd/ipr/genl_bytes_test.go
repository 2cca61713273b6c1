package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// capturing is a transport that keeps a copy of every request it sends,
// as sent (stamped with its flags), for the byte comparisons with ip.
type capturing struct {
	socket.Transport
	mu   *sync.Mutex
	sent *[][]byte
}

func (c capturing) keep(req []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for m, err := range wire.Messages(req) {
		if err != nil {
			break
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "type %#x flags %#x ", m.Header.Type, m.Header.Flags)
		*c.sent = append(*c.sent, append(b.Bytes(), hex.EncodeToString(m.Data)...))
	}
}

func (c capturing) Execute(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	defer c.keep(req)
	return c.Transport.Execute(ctx, req, onReply)
}

func (c capturing) Query(ctx context.Context, req []byte, onReply func(wire.Message) error) error {
	defer c.keep(req)
	return c.Transport.Query(ctx, req, onReply)
}

func (c capturing) Batch(ctx context.Context, msgs []byte, results []error, onReply func(int, wire.Message) error) error {
	defer c.keep(msgs)
	return c.Transport.Batch(ctx, msgs, results, onReply)
}

func (c capturing) Dump(ctx context.Context, req []byte) iter.Seq2[wire.Message, error] {
	return func(yield func(wire.Message, error) bool) {
		defer c.keep(req)
		for m, err := range c.Transport.Dump(ctx, req) {
			if !yield(m, err) {
				return
			}
		}
	}
}

// iprRequests runs ipr with args in ns and returns the generic-netlink
// requests it sent to family id fam, as "type T flags F PAYLOAD-HEX".
func iprRequests(t *testing.T, ns *nstest.NS, fam uint16, args ...string) []string {
	return iprProtoRequests(t, ns, unix.NETLINK_GENERIC, fam, args...)
}

// iprProtoRequests is iprRequests for the netlink protocol proto.
func iprProtoRequests(t *testing.T, ns *nstest.NS, proto int, fam uint16, args ...string) []string {
	var mu sync.Mutex
	var sent [][]byte
	transport = func(p int, cfg *socket.Config) (socket.Transport, error) {
		c, err := socket.Dial(p, cfg)
		if err != nil {
			return nil, err
		}
		if p != proto {
			return c, nil
		}
		return capturing{Transport: c, mu: &mu, sent: &sent}, nil
	}
	defer func() { transport = nil }()
	iprIn(ns, "", args...)
	prefix := fmt.Sprintf("type %#x ", fam)
	var out []string
	for _, s := range sent {
		if strings.HasPrefix(string(s), prefix) {
			out = append(out, string(s))
		}
	}
	return out
}

// ipRequests runs ip with args in ns under strace and returns the
// requests it sent to family id fam, in iprRequests's form.
func ipRequests(t *testing.T, ns *nstest.NS, fam uint16, args ...string) []string {
	trace := filepath.Join(t.TempDir(), "strace")
	cmd := exec.Command("strace", append([]string{"-f", "-o", trace, "-e", "trace=sendmsg,sendto", "-e", "write=all", "ip", "-n", ns.Name}, args...)...)
	cmd.Run() // ip may fail: what it sent is the point
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The hex dumps (" | 00000  24 00 ...  text |") of each sent buffer.
	var bufs [][]byte
	var cur []byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, " | ") {
			if cur != nil {
				bufs, cur = append(bufs, cur), nil
			}
			continue
		}
		if len(line) < 60 {
			t.Fatalf("strace dump line %q", line)
		}
		b, err := hex.DecodeString(strings.ReplaceAll(line[10:58], " ", ""))
		if err != nil {
			t.Fatalf("strace dump line %q: %v", line, err)
		}
		cur = append(cur, b...)
	}
	if cur != nil {
		bufs = append(bufs, cur)
	}
	var out []string
	for _, b := range bufs {
		for m, err := range wire.Messages(b) {
			if err != nil || m.Header.Type != fam {
				break
			}
			out = append(out, fmt.Sprintf("type %#x flags %#x %s", m.Header.Type, m.Header.Flags, hex.EncodeToString(m.Data)))
		}
	}
	return out
}

// TestGenlRequestsMatchIP checks, byte for byte, the requests ipr sends
// for mptcp and tcp_metrics commands against those ip sends for the same
// command line (strace shows them), each pair run in fresh namespaces
// set up alike, whether the kernel then accepts them or not.
func TestGenlRequestsMatchIP(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
	nstest.Require(t, "genl:mptcp_pm", "genl:tcp_metrics")
	ctx := context.Background()
	// Family ids are the kernel's, the same in every namespace.
	h, err := genl.Dial(genl.WithNetns(nstest.New(t).Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ids := map[string]uint16{}
	for _, name := range []string{"mptcp_pm", "tcp_metrics"} {
		f, err := h.Family(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = f.ID
	}
	fresh := func() *nstest.NS {
		ns := nstest.New(t)
		nstest.IP(t, ns, "link", "set", "lo", "up")
		nstest.IP(t, ns, "addr", "add", "10.9.0.1/24", "dev", "lo")
		nstest.IP(t, ns, "mptcp", "endpoint", "add", "10.0.0.1", "id", "3", "signal")
		return ns
	}
	for _, cmd := range []string{
		"mptcp endpoint add 10.0.0.2 id 4 signal dev lo",
		"mptcp endpoint add dead::1 subflow backup fullmesh dev lo",
		"mptcp endpoint add 10.9.0.1 port 10000 signal",
		"mptcp endpoint add 10.0.0.5",
		"mptcp endpoint show id 3",
		"mptcp endpoint show",
		"mptcp endpoint delete id 3",
		"mptcp endpoint delete id 0 10.0.0.1",
		"mptcp endpoint change id 3 backup",
		"mptcp endpoint change 10.0.0.1 nofullmesh",
		"mptcp endpoint change backup",
		"mptcp endpoint flush",
		"mptcp limits set subflows 2 add_addr_accepted 1",
		"mptcp limits set add_addr_accepted 5",
		"mptcp limits show",
		"tcp_metrics delete 10.1.2.3",
		// The word after each selector is skipped (tcp_metrics.c's loop
		// steps twice): "x" is never read.
		"tcp_metrics delete src fd00::2 x fd00::1",
		"tcp_metrics flush",
		"tcp_metrics show 10.1.2.3",
		"tcp_metrics show",
	} {
		fam := ids["mptcp_pm"]
		if strings.HasPrefix(cmd, "tcp_metrics") {
			fam = ids["tcp_metrics"]
		}
		args := strings.Fields(cmd)
		ours, theirs := iprRequests(t, fresh(), fam, args...), ipRequests(t, fresh(), fam, args...)
		if len(theirs) == 0 || strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
			t.Errorf("%s: requests differ\nipr:\n%s\nip:\n%s", cmd, strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
		}
	}
}
