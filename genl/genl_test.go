package genl_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// dialNS opens a handle in a throwaway namespace.
func dialNS(t *testing.T) *genl.Handle {
	t.Helper()
	h, _ := genltest.DialNS(t)
	return h
}

// TestFamilyResolve resolves nlctrl and the families this kernel may
// have, checks what nlctrl says of them, and that the result is cached
// until Forget.
func TestFamilyResolve(t *testing.T) {
	ctx := context.Background()
	h := dialNS(t)
	f, err := h.Family(ctx, "nlctrl")
	if err != nil || f != genl.Ctrl {
		t.Fatalf("Family(nlctrl) = %v, %v; want genl.Ctrl", f, err)
	}
	resolved := 0
	for _, c := range []struct{ name, group string }{
		{"ethtool", "monitor"}, {"netdev", "mgmt"}, {"tcp_metrics", ""}, {"TASKSTATS", ""},
	} {
		if !nstest.Have(t, "genl:"+c.name) {
			continue
		}
		resolved++
		f, err := h.Family(ctx, c.name)
		if err != nil {
			t.Fatalf("Family(%s): %v", c.name, err)
		}
		if f.Name != c.name || f.ID < unix.GENL_MIN_ID || f.Version == 0 || len(f.Ops) == 0 {
			t.Errorf("Family(%s) = %+v", c.name, f)
		}
		if c.group != "" {
			if id, ok := f.Group(c.group); !ok || id == 0 {
				t.Errorf("%s: group %q: %d, %v", c.name, c.group, id, ok)
			}
		}
		again, err := h.Family(ctx, c.name)
		if err != nil || again != f {
			t.Errorf("Family(%s) again = %p, %v; want the cached %p", c.name, again, err, f)
		}
		h.Forget(c.name)
		fresh, err := h.Family(ctx, c.name)
		if err != nil || fresh == f || fresh.ID != f.ID {
			t.Errorf("Family(%s) after Forget = %p (id %d), %v; want a new lookup of id %d", c.name, fresh, fresh.ID, err, f.ID)
		}
	}
	if resolved == 0 {
		t.Log("none of ethtool, netdev, tcp_metrics, TASKSTATS here: only nlctrl resolved")
	}
}

// TestFamilyNotFound checks the typed error of an absent family: it
// matches ErrFamilyNotFound and ENOENT, and names the family. Replayed
// from Linux 6.18, which lacks wireguard (NLTEST_RECORD=1 records it anew
// on a kernel without it).
func TestFamilyNotFound(t *testing.T) {
	ctx := context.Background()
	if nltest.Recording() && nstest.Have(t, "genl:wireguard") {
		t.Skip("recording needs a kernel without wireguard")
	}
	h := replayHandle(t, "notfound")
	for _, name := range []string{"nosuchfamily", "wireguard"} {
		f, err := h.Family(ctx, name)
		if f != nil || !errors.Is(err, genl.ErrFamilyNotFound) || !errors.Is(err, unix.ENOENT) {
			t.Fatalf("Family(%s) = %v, %v; want ErrFamilyNotFound over ENOENT", name, f, err)
		}
		var nf *genl.FamilyNotFoundError
		if !errors.As(err, &nf) || nf.Name != name || !strings.Contains(err.Error(), `"`+name+`"`) {
			t.Errorf("Family(%s): error %q (%T) does not name the family", name, err, err)
		}
	}
}

// TestNilContext checks that every call refuses a nil context before
// sending anything, against a fake kernel that would answer them all.
func TestNilContext(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{"ethtool": 0x15}))
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	var nilCtx context.Context
	if _, err := h.Family(nilCtx, "ethtool"); err == nil {
		t.Error("Family(nil ctx) succeeded")
	}
	if err := h.Do(nilCtx, genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}, nil); err == nil {
		t.Error("Do(nil ctx) succeeded")
	}
	if err := h.Query(nilCtx, genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}, nil); err == nil {
		t.Error("Query(nil ctx) succeeded")
	}
	n := 0
	for _, err := range h.Dump(nilCtx, genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}) {
		n++
		if err == nil {
			t.Error("Dump(nil ctx) yielded a message")
		}
	}
	if n != 1 {
		t.Errorf("Dump(nil ctx) yielded %d times, want one error", n)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// countFamilies dumps the family list and returns its length.
func countFamilies(t *testing.T, h *genl.Handle) int {
	t.Helper()
	n := 0
	for m, err := range h.Dump(context.Background(), genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}) {
		if err != nil {
			t.Fatal(err)
		}
		if _, err := genl.ParseFamily(m); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

// TestDumpPanic checks that a panic in the body of a loop over a dump,
// mid-way, leaves the handle usable: the socket it ran on is closed, not
// pooled with the rest of the dump unread.
func TestDumpPanic(t *testing.T) {
	h := dialNS(t)
	want := countFamilies(t, h)
	if want < 2 {
		t.Fatalf("%d families: too few to stop mid-way", want)
	}
	open := h.Open()
	func() {
		defer func() {
			if r := recover(); r != "stop" {
				t.Fatalf("recovered %v", r)
			}
		}()
		for range h.Dump(context.Background(), genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY}) {
			panic("stop")
		}
	}()
	// The socket the panic left mid-dump is closed, not pooled.
	if got := h.Open(); got != open-1 {
		t.Errorf("%d sockets open after the panic, %d before: the interrupted one was kept", got, open)
	}
	for range 3 {
		if got := countFamilies(t, h); got != want {
			t.Fatalf("after a panic mid-dump: %d families, want %d", got, want)
		}
	}
	if f, err := h.Family(context.Background(), "nlctrl"); err != nil || f.ID != unix.GENL_ID_CTRL {
		t.Fatalf("Family(nlctrl) after the panic: %v, %v", f, err)
	}
}

// TestExtAck checks that a request the kernel rejects carries its
// extended ACK: the errno, and the offending attribute located (replayed
// from Linux 6.18; NLTEST_RECORD=1 records it anew).
func TestExtAck(t *testing.T) {
	h := replayHandle(t, "extack")
	// CTRL_ATTR_FAMILY_ID is a u16: one byte breaks nlctrl's policy.
	err := h.Query(context.Background(), genl.Ctrl, genl.Request{
		Command: unix.CTRL_CMD_GETFAMILY,
		Attrs:   func(e *nla.Encoder) { e.Uint8(unix.CTRL_ATTR_FAMILY_ID, 1) },
	}, func(genl.Message) error { return nil })
	var we *wire.Error
	if !errors.As(err, &we) || we.Message == "" {
		t.Fatalf("Query with a short family id: %v; want a *wire.Error with the kernel's message", err)
	}
	if len(we.Attr) != 1 || we.Attr[0] != unix.CTRL_ATTR_FAMILY_ID {
		t.Errorf("extended ACK located %v (offset %d), want [%d]; message %q", we.Attr, we.Offset, unix.CTRL_ATTR_FAMILY_ID, we.Message)
	}
	if !strings.Contains(err.Error(), "nlctrl") {
		t.Errorf("error %q does not name the family", err)
	}
}

// TestUnresolvedFamily checks that a request to a Family without an id is
// refused before anything is sent.
func TestUnresolvedFamily(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{}))
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	if err := h.Do(context.Background(), &genl.Family{Name: "x"}, genl.Request{}, nil); err == nil {
		t.Error("Do to a family without an id succeeded")
	}
	if err := h.Do(context.Background(), nil, genl.Request{}, nil); err == nil {
		t.Error("Do to a nil family succeeded")
	}
	// A user header of the wrong size is refused too.
	err := h.Do(context.Background(), genl.Ctrl, genl.Request{Command: unix.CTRL_CMD_GETFAMILY, User: []byte{1, 2, 3, 4}}, nil)
	if err == nil || errors.As(err, new(*wire.Error)) {
		t.Errorf("Do with a user header nlctrl lacks: %v; want a local error", err)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestCacheInvalidation checks that nlctrl's CTRL_CMD_DELFAMILY and
// CTRL_CMD_NEWFAMILY notifications drop the family they name from the
// cache, and nothing else. (The kernel sends them when a module
// registers or unregisters a family; a test may not load modules, so the
// notifications are made here and given to the cache's handling.)
func TestCacheInvalidation(t *testing.T) {
	ctx := context.Background()
	h := dialNS(t)
	if !nstest.Have(t, "genl:ethtool") || !nstest.Have(t, "genl:netdev") {
		t.Skip("needs the ethtool and netdev families (genl:ethtool, genl:netdev)")
	}
	nl, err := h.Family(ctx, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	nd, err := h.Family(ctx, "netdev")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Watching() {
		t.Fatal("a handle over sockets does not watch nlctrl's notifications")
	}
	for _, cmd := range []uint8{unix.CTRL_CMD_DELFAMILY, unix.CTRL_CMD_NEWFAMILY} {
		var e nla.Encoder
		e.Reserve(unix.GENL_HDRLEN)[0] = cmd
		e.String(unix.CTRL_ATTR_FAMILY_NAME, "ethtool")
		e.Uint16(unix.CTRL_ATTR_FAMILY_ID, nl.ID)
		h.Invalidate(nltest.Message(unix.GENL_ID_CTRL, e.Bytes()))
		again, err := h.Family(ctx, "ethtool")
		if err != nil || again == nl {
			t.Errorf("command %d: ethtool still cached (%p, %v)", cmd, again, err)
		}
		nl = again
		if same, err := h.Family(ctx, "netdev"); err != nil || same != nd {
			t.Errorf("command %d on ethtool dropped netdev (%p, %v)", cmd, same, err)
		}
	}
}

// TestBatch pipelines lookups of nlctrl: each result is its own, a
// failure (an absent family) among successes included, and the echoed
// replies reach onReply with their request's index (replayed from Linux
// 6.18; NLTEST_RECORD=1 records it anew).
func TestBatch(t *testing.T) {
	h := replayHandle(t, "batch")
	get := func(name string) genl.Request {
		return genl.Request{Command: unix.CTRL_CMD_GETFAMILY, Flags: unix.NLM_F_ECHO,
			Attrs: func(e *nla.Encoder) { e.String(unix.CTRL_ATTR_FAMILY_NAME, name) }}
	}
	names := map[int]string{}
	results, err := h.Batch(context.Background(), genl.Ctrl, []genl.Request{get("nlctrl"), get("nosuchfamily"), get("nlctrl")},
		func(i int, m genl.Message) error {
			f, err := genl.ParseFamily(m)
			names[i] = f.Name
			return err
		})
	if len(results) != 3 || results[0] != nil || !errors.Is(results[1], unix.ENOENT) || results[2] != nil {
		t.Fatalf("results %v", results)
	}
	if !errors.Is(err, unix.ENOENT) {
		t.Errorf("batch error %v, want the failure's ENOENT", err)
	}
	if names[0] != "nlctrl" || names[2] != "nlctrl" {
		t.Errorf("replies by request: %v", names)
	}
	if !strings.Contains(results[1].Error(), "nlctrl command 3") {
		t.Errorf("result %q does not name the request", results[1])
	}
}
