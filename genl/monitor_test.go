package genl_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// ctrlNote is an nlctrl notification of command cmd about family name.
func ctrlNote(cmd uint8, name string) []byte {
	var e nla.Encoder
	e.Reserve(unix.GENL_HDRLEN)[0] = cmd
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	return nltest.Message(unix.GENL_ID_CTRL, e.Bytes())
}

// TestMonitorFake checks the order of notifications and overruns, and
// that a monitor of nlctrl's notify group drops a family it hears
// unregistered from the handle's cache.
func TestMonitorFake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, fakeController)
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	eth, err := h.Family(ctx, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Monitor(genl.Subscription{Family: eth, Group: "nosuchgroup"}); err == nil {
		t.Error("Monitor of a group ethtool lacks succeeded")
	}
	m, err := h.Monitor(genl.Subscription{Family: eth, Group: "monitor"}, genl.Subscription{Family: genl.Ctrl, Group: "notify"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	var e nla.Encoder
	e.Reserve(unix.GENL_HDRLEN)[0] = 2 // ETHTOOL_MSG_LINKINFO_NTF
	fake.Notify(6, nltest.Message(eth.ID, e.Bytes()))
	fake.Overrun(6)
	fake.Notify(unix.GENL_ID_CTRL, ctrlNote(unix.CTRL_CMD_DELFAMILY, "ethtool"))

	var got []string
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case ev.Overrun:
			got = append(got, "overrun")
		case ev.Header.Type == eth.ID && ev.Command == 2:
			got = append(got, "ethtool")
		case ev.Header.Type == unix.GENL_ID_CTRL && ev.Command == unix.CTRL_CMD_DELFAMILY:
			got = append(got, "delfamily")
		default:
			t.Fatalf("event %+v", ev)
		}
		if len(got) == 3 {
			break
		}
	}
	if len(got) != 3 || got[0] != "ethtool" || got[1] != "overrun" || got[2] != "delfamily" {
		t.Fatalf("events %v, want [ethtool overrun delfamily]", got)
	}
	if _, err := h.Family(ctx, "ethtool"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL); n != 2 {
		t.Errorf("%d lookups: the DELFAMILY notification left ethtool cached (want 2 lookups)", n)
	}
}

// netdevMonitor subscribes to netdev's mgmt group in a throwaway
// namespace, for the tests that add devices there.
func netdevMonitor(t *testing.T) (*nstest.NS, *genl.Family, *genl.Monitor, context.Context) {
	h, ns := genltest.DialNS(t, "genl:netdev")
	ctx := testrun.Context(t, 30*time.Second) // a bound, not a measure
	nd, err := h.Family(ctx, "netdev")
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.Monitor(genl.Subscription{Family: nd, Group: "mgmt"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return ns, nd, m, ctx
}

// TestMonitorNetdev watches netdev's mgmt group while a device is added
// to the namespace: the kernel announces it (NETDEV_CMD_DEV_ADD_NTF).
func TestMonitorNetdev(t *testing.T) {
	ns, nd, m, ctx := netdevMonitor(t)
	nstest.IP(t, ns, "link", "add", "gv0", "type", "veth", "peer", "name", "gv1")
	const devAddNtf, ifindex = 2, 1 // NETDEV_CMD_DEV_ADD_NTF, NETDEV_A_DEV_IFINDEX
	seen := 0
	defer func() {
		if seen == 0 {
			t.Error("no DEV_ADD_NTF")
		}
	}()
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatalf("after %d DEV_ADD_NTF: %v", seen, err)
		}
		if ev.Overrun || ev.Header.Type != nd.ID || ev.Command != devAddNtf {
			continue
		}
		if a, ok := ev.Attrs.Get(ifindex); !ok || len(a.Data) != 4 {
			t.Fatalf("DEV_ADD_NTF without an ifindex: %v", ev.Attrs)
		}
		seen++
		break

	}
}

// TestMonitorSyncIsABarrier adds a device, then asks for a barrier: the
// kernel's announcement of the device (NETDEV_CMD_DEV_ADD_NTF, queued
// when `ip link add` was acknowledged) must come before it, and the
// barrier must come at all, with the id Sync returned.
func TestMonitorSyncIsABarrier(t *testing.T) {
	ns, nd, m, ctx := netdevMonitor(t)
	for round := range 3 {
		name := "sy" + string(rune('0'+round))
		nstest.IP(t, ns, "link", "add", name, "type", "veth", "peer", "name", name+"p")
		id, err := m.Sync()
		if err != nil {
			t.Fatal(err)
		}
		const devAddNtf = 2 // NETDEV_CMD_DEV_ADD_NTF
		adds := 0
		for ev, err := range m.Events(ctx) {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if ev.Overrun {
				t.Fatal("overrun")
			}
			if ev.Sync != 0 {
				if ev.Sync != id {
					t.Fatalf("round %d: barrier %d, want %d", round, ev.Sync, id)
				}
				break
			}
			if ev.Header.Type == nd.ID && ev.Command == devAddNtf {
				adds++
			}
		}
		if adds != 2 { // the veth and its peer
			t.Errorf("round %d: %d DEV_ADD_NTF before the barrier, want 2", round, adds)
		}
	}
}

// TestMonitorSyncFake checks the barrier against a fake kernel, without
// root: notifications queued before Sync come before the Event that
// carries its id, the barrier's reply is no notification, and a second
// barrier has an id of its own.
func TestMonitorSyncFake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound, not a measure
	defer cancel()
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, func(req wire.Message) ([][]byte, error) {
		m, err := genl.Decode(req, 0)
		if err != nil {
			return nil, unix.EINVAL
		}
		if a, ok := m.Attrs.Get(unix.CTRL_ATTR_FAMILY_ID); ok {
			if id, _ := a.Uint16(); id == unix.GENL_ID_CTRL {
				e := familyReply("nlctrl", unix.GENL_ID_CTRL)
				return [][]byte{nltest.Message(unix.GENL_ID_CTRL, e.Bytes())}, nil
			}
		}
		return fakeController(req)
	})
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	m, err := h.Monitor(genl.Subscription{Family: genl.Ctrl, Group: "notify"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	fake.Notify(unix.GENL_ID_CTRL, ctrlNote(unix.CTRL_CMD_NEWFAMILY, "one"))
	first, err := m.Sync()
	if err != nil {
		t.Fatal(err)
	}
	fake.Notify(unix.GENL_ID_CTRL, ctrlNote(unix.CTRL_CMD_NEWFAMILY, "two"))
	second, err := m.Sync()
	if err != nil {
		t.Fatal(err)
	}
	if first == 0 || second == first {
		t.Fatalf("barrier ids %d, %d", first, second)
	}
	var got []string
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Sync != 0 {
			got = append(got, "sync")
			if ev.Sync == second {
				break
			}
			if ev.Sync != first {
				t.Fatalf("barrier %d, want %d", ev.Sync, first)
			}
			continue
		}
		a, _ := ev.Attrs.Get(unix.CTRL_ATTR_FAMILY_NAME)
		name, _ := a.Text()
		got = append(got, name)
	}
	if strings.Join(got, " ") != "one sync two sync" {
		t.Errorf("events %v, want [one sync two sync]", got)
	}
}
