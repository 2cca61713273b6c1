package genl_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/genl/mptcp"
	"github.com/ipr-go/ipr/genl/netdev"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/genl/wireguard"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

// TestHostileNetnsDeleted opens a handle in a namespace of its own and
// deletes the namespace from the body of a loop over a dump, while a
// monitor waits: the dump ends, later calls and the monitor still work
// (the handle's sockets and namespace reference keep the namespace
// alive), a monitor waiting with a deadline returns at it, and Close
// ends everything.
func TestHostileNetnsDeleted(t *testing.T) {
	nstest.RequirePrivileged(t)
	// nstest's naming, so that an orphan left by a killed run is swept.
	name := fmt.Sprintf("ipr-test-%d-%d", os.Getpid(), 900000+time.Now().Nanosecond()%100000)
	if err := netns.Add(name); err != nil {
		t.Fatal(err)
	}
	// After Add, which keeps the process's own namespace open for good.
	leaks := hostile.Baseline(t)
	t.Cleanup(func() {
		if err := netns.Delete(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Logf("delete %s: %v", name, err)
		}
	})
	h := genltest.Dial(t, genl.WithNetns(name))
	ctx := hostileCtx(t)
	mon := ctrlNotify(t, h)
	waiter := ctrlNotify(t, h) // a monitor's events have one reader
	waiting := waitInBackground(waiter)
	hostile.Within(t, "a dump whose namespace is deleted midway", func() {
		deleted := false
		for _, err := range nlctrl.Families(ctx, h) {
			if err != nil {
				t.Logf("the dump: %v", err)
				return
			}
			if !deleted {
				deleted = true
				if err := netns.Delete(name); err != nil {
					t.Error(err)
				}
			}
		}
		if !deleted {
			t.Error("the dump yielded nothing")
		}
	})
	if _, err := os.Stat("/run/netns/" + name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the namespace is still named: %v", err)
	}
	fiftyCalls(t, h, "after the namespace was deleted")
	if nstest.Have(t, "genl:netdev") {
		hostile.Within(t, "a netdev dump after the namespace was deleted", func() {
			n, err := firstErr(netdev.Devices(ctx, h))
			if err != nil || n != 1 {
				t.Errorf("netdev devices of the deleted namespace: %d, %v; want lo alone", n, err)
			}
		})
	}
	awaitSync(t, ctx, mon, "after the namespace was deleted")
	hostile.Within(t, "a monitor with a deadline in a deleted namespace", func() {
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		for _, err := range mon.Events(short) {
			if err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("Events: %v, want the deadline", err)
				}
				return
			}
		}
	})
	h.Close()
	waiter.Close()
	hostile.Within(t, "the waiting monitor after Close", func() {
		if err := <-waiting; err == nil {
			t.Error("no error")
		}
	})
	mon.Close()
	leaks("after the handle of a deleted namespace was closed")
}

// TestHostileFamilyAbsent checks that every family package reports a
// family the kernel lacks as genl.ErrFamilyNotFound (and unix.ENOENT,
// what nlctrl answered), naming it, against a scripted kernel that knows
// only nlctrl (so the test runs unprivileged).
func TestHostileFamilyAbsent(t *testing.T) {
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{}))
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	ctx := context.Background()
	for _, c := range []struct {
		family string
		call   func() error
	}{
		{"netdev", func() error { return seqErr(netdev.Devices(ctx, h)) }},
		{"netdev", func() error { return errOf(netdev.Monitor(ctx, h)) }},
		{"tcp_metrics", func() error { return seqErr(tcpmetrics.Dump(ctx, h)) }},
		{"tcp_metrics", func() error { return tcpmetrics.Do(ctx, h, tcpmetrics.DeleteAll()) }},
		{"mptcp_pm", func() error { return seqErr(mptcp.Endpoints(ctx, h)) }},
		{"mptcp_pm", func() error { return errOf(mptcp.GetLimits(ctx, h)) }},
		{"ethtool", func() error { return errOf(ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "lo"})) }},
		{"ethtool", func() error { return seqErr(ethtool.AllFeatures(ctx, h)) }},
		{"devlink", func() error { return seqErr(devlink.Devices(ctx, h)) }},
		{"wireguard", func() error { return errOf(wireguard.Get(ctx, h, wireguard.Link{Name: "wg0"})) }},
	} {
		hostile.Within(t, c.family, func() {
			err := c.call()
			if !errors.Is(err, genl.ErrFamilyNotFound) || !errors.Is(err, unix.ENOENT) {
				t.Errorf("%s absent: %v, want ErrFamilyNotFound and ENOENT", c.family, err)
			}
			var nf *genl.FamilyNotFoundError
			if errors.As(err, &nf) && nf.Name != c.family {
				t.Errorf("%s absent: the error names %q", c.family, nf.Name)
			}
		})
	}
	// A name nlctrl's policy refuses (longer than GENL_NAMSIZ-1) is
	// refused before sending; the kernel's answer was a bare EINVAL.
	before := fake.Requests(unix.GENL_ID_CTRL)
	if _, err := h.Family(ctx, "ipr_no_such_family"); err == nil || !strings.Contains(err.Error(), "longer than 15 bytes") {
		t.Errorf("a family name of 18 bytes: %v, want a name-length error", err)
	}
	if n := fake.Requests(unix.GENL_ID_CTRL) - before; n != 0 {
		t.Errorf("a family name of 18 bytes was sent (%d requests)", n)
	}
}

// TestHostileFamilyAbsentKernel checks the same against the running
// kernel, where the library's answer must agree with nstest's probes of
// the same families (which is what lets kernel tests skip by feature
// name, and IPR_TEST_ASSUME_MISSING pretend a family away).
func TestHostileFamilyAbsentKernel(t *testing.T) {
	ctx := context.Background()
	kh, _ := dialHostile(t)
	if _, err := kh.Family(ctx, "ipr_nosuch"); !errors.Is(err, genl.ErrFamilyNotFound) {
		t.Errorf("a family no kernel has: %v, want ErrFamilyNotFound", err)
	}
	if _, err := kh.Family(ctx, "ipr_no_such_family"); err == nil || !strings.Contains(err.Error(), "longer than 15 bytes") {
		t.Errorf("a family name of 18 bytes: %v, want a name-length error", err)
	}
	for _, family := range []string{"devlink", "ethtool", "mptcp_pm", "netdev", "tcp_metrics", "wireguard"} {
		_, err := kh.Family(ctx, family)
		if err != nil && !errors.Is(err, genl.ErrFamilyNotFound) {
			t.Errorf("family %s: %v", family, err)
			continue
		}
		have := nstest.Have(t, "genl:"+family)
		switch {
		case err != nil && have:
			t.Errorf("family %s: nstest's probe found it, the library did not: %v", family, err)
		case err == nil && !have:
			// The probe failed, or IPR_TEST_ASSUME_MISSING names it.
			if os.Getenv(nstest.AssumeMissingEnv) == "" {
				t.Errorf("family %s: the library found it, nstest's probe did not", family)
			}
		}
	}
}
