package nltest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// conversation writes a one-exchange conversation by hand: socket 1 sends
// req (stamped as a dump with seq 7) and receives replies.
func conversation(req []byte, replies ...[]byte) string {
	r := append([]byte(nil), req...)
	wire.PutHeader(r, unix.NlMsghdr{Len: uint32(len(r)), Type: unix.RTM_GETLINK,
		Flags: unix.NLM_F_REQUEST | unix.NLM_F_DUMP, Seq: 7})
	var sb strings.Builder
	sb.WriteString("# nltest conversation v1\n")
	fmt.Fprintf(&sb, "> 1 %x\n", r)
	for _, p := range replies {
		fmt.Fprintf(&sb, "< 1 %x\n", p)
	}
	return sb.String()
}

// reply addresses a message to socket 1's request 7, in a dump.
func reply(m []byte, flags uint16) []byte {
	h := wire.DecodeHeader(m)
	h.Seq, h.Pid, h.Flags = 7, 1, flags
	wire.PutHeader(m, h)
	return m
}

func done(errno unix.Errno) []byte {
	m := nltest.Message(unix.NLMSG_DONE, []byte{byte(-int32(errno)), byte(-int32(errno) >> 8), byte(-int32(errno) >> 16), byte(-int32(errno) >> 24)})
	return reply(m, unix.NLM_F_MULTI)
}

func TestReplayServesRecordedReplies(t *testing.T) {
	lo := reply(nltest.Message(unix.RTM_NEWLINK, nltest.Link{Index: 1, Name: "lo"}.Payload()), unix.NLM_F_MULTI)
	conv := conversation(rawnl.LinkDump(), append(lo, done(0)...))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	if r.Left() != 1 {
		t.Fatalf("Left() = %d before replaying, want 1", r.Left())
	}
	var got []int32
	for m, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		l, err := rtm.LinkFromBytes(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Index())
	}
	if len(got) != 1 || got[0] != 1 || r.Left() != 0 || r.Err() != nil {
		t.Errorf("replayed links %v, %d left, err %v; want [1], 0, nil", got, r.Left(), r.Err())
	}
	// Past the end of the conversation, nothing is answered.
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		var me *nltest.MismatchError
		if !errors.As(err, &me) || me.Line != 0 {
			t.Errorf("a request past the end: %v, want a *MismatchError at line 0", err)
		}
	}
}

func TestReplayRefusesOtherRequests(t *testing.T) {
	conv := conversation(rawnl.LinkDump(), done(0))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	other := rawnl.LinkDump()
	other[wire.HeaderLen] = unix.AF_INET // another family
	for _, err := range tr.Dump(context.Background(), other) {
		var me *nltest.MismatchError
		if !errors.As(err, &me) || me.Line != 2 || !bytes.Equal(me.Got, other) {
			t.Errorf("another request: %v, want a *MismatchError naming line 2", err)
		}
	}
	if r.Err() == nil || r.Left() != 1 {
		t.Errorf("after a mismatch: Err %v, Left %d; want the mismatch, 1", r.Err(), r.Left())
	}
}

func TestReplayKernelError(t *testing.T) {
	conv := conversation(rawnl.LinkDump(), done(unix.EPERM))
	r, err := nltest.NewReplayer(strings.NewReader(conv))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := r.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		var we *wire.Error
		if !errors.Is(err, unix.EPERM) || !errors.As(err, &we) {
			t.Errorf("a dump the kernel refused: %v, want a *wire.Error wrapping EPERM", err)
		}
	}
}

// ReplayFile's dialer replays the file, or returns from every dial the
// error reading it, naming the file.
func TestReplayFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.nlconv")
	bad := filepath.Join(dir, "bad.nlconv")
	if err := os.WriteFile(good, []byte(conversation(rawnl.LinkDump(), done(unix.EPERM))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a conversation\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := nltest.ReplayFile(good)(unix.NETLINK_ROUTE, &socket.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if !errors.Is(err, unix.EPERM) {
			t.Errorf("the replayed dump: %v, want the recorded EPERM", err)
		}
	}
	missing := nltest.ReplayFile(filepath.Join(dir, "missing.nlconv"))
	for range 2 {
		if _, err := missing(unix.NETLINK_ROUTE, &socket.Config{}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("dialing a missing file: %v, want fs.ErrNotExist", err)
		}
	}
	if _, err := nltest.ReplayFile(bad)(unix.NETLINK_ROUTE, &socket.Config{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("dialing a file that is no conversation: %v, want an error naming it", err)
	}
}

func TestReadConversationErrors(t *testing.T) {
	for _, text := range []string{
		"not a conversation\n",
		"# nltest conversation v1\n> 1\n",
		"# nltest conversation v1\n> x 00\n",
		"# nltest conversation v1\n= 1 00\n",
		"# nltest conversation v1\n< 1 0g\n",
	} {
		if _, err := nltest.NewReplayer(strings.NewReader(text)); err == nil {
			t.Errorf("NewReplayer(%q) accepted it", text)
		}
	}
}

func TestFakeDefaults(t *testing.T) {
	f := nltest.NewFake()
	tr, _ := f.Dial(unix.NETLINK_ROUTE, &socket.Config{})
	var b wire.Builder
	b.Begin(unix.RTM_GETNEIGH, 0)
	b.Fixed(unix.SizeofNdMsg)
	b.End()
	if err := tr.Query(context.Background(), b.Bytes(), nil); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("a request nobody handles: %v, want EOPNOTSUPP", err)
	}
	n := 0
	for _, err := range tr.Dump(context.Background(), rawnl.LinkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 || f.Requests(unix.RTM_GETLINK) != 1 {
		t.Errorf("a dump nobody handles gave %d messages (%d requests counted), want an empty dump", n, f.Requests(unix.RTM_GETLINK))
	}
	// A handler's error that is not an errno is sent as EINVAL.
	f.Handle(unix.RTM_GETNEIGH, func(wire.Message) ([][]byte, error) { return nil, errors.New("no") })
	if err := tr.Query(context.Background(), b.Bytes(), nil); !errors.Is(err, unix.EINVAL) {
		t.Errorf("a handler failing with a plain error: %v, want EINVAL", err)
	}
}

// TestFakeNotifies checks that a change reaches the monitors of its group
// only, and that Monitor.Sync's barrier comes after it.
func TestFakeNotifies(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := nltest.NewRTNL()
	h, err := rtm.Dial(rtm.WithTransport(f.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	m4, err := h.Monitor([]rtm.Group{rtm.GroupIPv4Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer m4.Close()
	m6, err := h.Monitor([]rtm.Group{rtm.GroupIPv6Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer m6.Close()
	p := netip.MustParsePrefix("192.0.2.1/24")
	if err := h.AddrAdd(ctx, rtm.AddrSpec{Index: 1, Prefix: p}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*rtm.Monitor{m4, m6} {
		id, err := m.Sync()
		if err != nil {
			t.Fatal(err)
		}
		var got []netip.Prefix
		for ev, err := range m.Events(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Sync == id {
				break
			}
			if a, ok := ev.Addr(); ok && ev.IsNew() {
				got = append(got, a.Prefix())
			}
		}
		want := 0
		if m == m4 {
			want = 1
		}
		if len(got) != want || want == 1 && got[0] != p {
			t.Errorf("monitor events %v; want %d of %v", got, want, p)
		}
	}
	if err := h.AddrDel(ctx, rtm.AddrSpec{Index: 1, Prefix: netip.MustParsePrefix("192.0.2.9/24")}); !errors.Is(err, unix.EADDRNOTAVAIL) {
		t.Errorf("deleting a missing address: %v, want EADDRNOTAVAIL", err)
	}
}

// TestRecordReplay records a conversation with a real kernel (root) and
// replays it: the same calls get the same answers, and a different call
// is refused.
func TestRecordReplay(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ctx := context.Background()
	calls := func(h *rtm.Handle) (string, error) {
		var sb strings.Builder
		for l, err := range h.Links(ctx, nil) {
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&sb, "%d %s %d\n", l.Index(), l.Name(), l.MTU())
		}
		v0, err := h.LinkByName(ctx, "v0")
		if err != nil {
			return "", err
		}
		err = h.AddrAdd(ctx, rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		fmt.Fprintf(&sb, "add: %v\n", err)
		err = h.AddrAdd(ctx, rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		fmt.Fprintf(&sb, "again: %v\n", err)
		b := h.NewBatch()
		b.AddrAdd(rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.2/24")})
		b.AddrAdd(rtm.AddrSpec{Index: v0.Index(), Prefix: netip.MustParsePrefix("192.0.2.1/24")})
		res, err := b.Run(ctx)
		fmt.Fprintf(&sb, "batch: %v %v\n", res, err)
		return sb.String(), nil
	}

	var conv bytes.Buffer
	rec := nltest.NewRecorder(&conv)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name), rtm.WithTransport(rec.Dial))
	if err != nil {
		t.Fatal(err)
	}
	live, err := calls(h)
	h.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}

	r, err := nltest.NewReplayer(bytes.NewReader(conv.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	h, err = rtm.Dial(rtm.WithTransport(r.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	replayed, err := calls(h)
	if err != nil || replayed != live || r.Left() != 0 {
		t.Errorf("replay: %v, %d requests left\n got:\n%s\nwant:\n%s", err, r.Left(), replayed, live)
	}
	if !strings.Contains(live, "again: rtm: address add") || !strings.Contains(live, "file exists") {
		t.Errorf("the recorded calls lack the kernel's refusal:\n%s", live)
	}
	if _, err := h.LinkByName(ctx, "v0"); err == nil || r.Err() == nil {
		t.Errorf("a request past the recording: %v (replayer: %v), want a mismatch", err, r.Err())
	}
}
