package ethtool_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

// vethNS makes a namespace with a veth pair va/vb and a handle in it.
func vethNS(t *testing.T) (*genl.Handle, *nstest.NS) {
	t.Helper()
	nstest.Require(t, "genl:ethtool", "link:veth")
	if _, err := exec.LookPath("ethtool"); err != nil {
		if os.Getenv(nstest.RequireEnv) == "1" {
			t.Fatal("no ethtool, the oracle of these tests (scripts/test.sh installs it)")
		}
		t.Skip("no ethtool (scripts/test.sh installs it)")
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "va", "type", "veth", "peer", "name", "vb")
	h := genltest.Dial(t, genl.WithNetns(ns.Name))
	return h, ns
}

// legacy maps the names `ethtool -k` prints for its legacy flags made of
// one feature to the feature's name (the groups of several features,
// tx-checksumming, scatter-gather, tcp-segmentation-offload, are
// printed feature by feature under them).
var legacy = map[string]string{
	"rx-checksumming":              "rx-checksum",
	"generic-segmentation-offload": "tx-generic-segmentation",
	"generic-receive-offload":      "rx-gro",
	"large-receive-offload":        "rx-lro",
	"rx-vlan-offload":              "rx-vlan-hw-parse",
	"tx-vlan-offload":              "tx-vlan-hw-insert",
	"ntuple-filters":               "rx-ntuple-filter",
	"receive-hashing":              "rx-hashing",
}

// legacyGroups are the headings of groups, printed with their features.
var legacyGroups = map[string]bool{"tx-checksumming": true, "scatter-gather": true, "tcp-segmentation-offload": true}

// ethtoolK returns `ethtool -k dev`'s lines by feature name, in the
// format of Feature.String.
func ethtoolK(t *testing.T, ns *nstest.NS, dev string) map[string]string {
	t.Helper()
	out := nstest.Run(t, ns, "ethtool", "-k", dev)
	lines := map[string]string{}
	for _, l := range strings.Split(out, "\n")[1:] {
		l = strings.TrimSpace(l)
		name, rest, ok := strings.Cut(l, ": ")
		if !ok || legacyGroups[name] {
			continue
		}
		if n, ok := legacy[name]; ok {
			name = n
		}
		lines[name] = name + ": " + rest
	}
	if len(lines) < 40 {
		t.Fatalf("ethtool -k %s: %d features:\n%s", dev, len(lines), out)
	}
	return lines
}

// compareK checks every feature `ethtool -k` prints against s.
func compareK(t *testing.T, ns *nstest.NS, s *ethtool.FeatureSet) {
	t.Helper()
	want := ethtoolK(t, ns, s.Name)
	n := 0
	for f := range s.All() {
		w, ok := want[f.Name]
		if !ok {
			continue // ethtool hides it (netns-local, tx-lockless, ...)
		}
		n++
		if got := f.String(); got != w {
			t.Errorf("%s: %q, ethtool -k says %q", s.Name, got, w)
		}
	}
	if n != len(want) {
		t.Errorf("%s: %d features compared, ethtool -k prints %d", s.Name, n, len(want))
	}
}

// TestFeaturesMatchEthtool reads a veth's features and compares them with
// `ethtool -k`, changes some with SetFeatures and reads them back with
// ethtool.
func TestFeaturesMatchEthtool(t *testing.T) {
	h, ns := vethNS(t)
	ctx := context.Background()
	s, err := ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "va"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "va" || s.Index == 0 || s.Len() < 60 {
		t.Fatalf("features of va: %s, index %d, %d features", s.Name, s.Index, s.Len())
	}
	compareK(t, ns, s)

	// By index too.
	s2, err := ethtool.GetFeatures(ctx, h, ethtool.Device{Index: s.Index})
	if err != nil || s2.Name != "va" {
		t.Fatalf("by index %d: %v, %v", s.Index, s2, err)
	}

	gro, _ := s.Get("rx-gro")
	if gro.Active || gro.Fixed() {
		t.Fatalf("rx-gro on a new veth: %v", gro)
	}
	if err := ethtool.SetFeatures(ctx, h, ethtool.Device{Name: "va"}, map[string]bool{"rx-gro": true, "tx-nocache-copy": true}); err != nil {
		t.Fatal(err)
	}
	if got := ethtoolK(t, ns, "va")["rx-gro"]; got != "rx-gro: on" {
		t.Errorf("after SetFeatures rx-gro on, ethtool -k says %q", got)
	}
	s, err = ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "va"})
	if err != nil {
		t.Fatal(err)
	}
	compareK(t, ns, s)

	// A fixed feature is not changed: a FeatureError names it.
	err = ethtool.SetFeatures(ctx, h, ethtool.Device{Name: "va"}, map[string]bool{"rx-lro": true, "rx-gro": false})
	var fe *ethtool.FeatureError
	if !errors.As(err, &fe) || len(fe.Names) != 1 || fe.Names[0] != "rx-lro" {
		t.Errorf("setting the fixed rx-lro: %v", err)
	}
	if got := ethtoolK(t, ns, "va")["rx-gro"]; got != "rx-gro: off" {
		t.Errorf("rx-gro off along with a fixed feature: ethtool -k says %q", got)
	}
}

// TestFeaturesBadInput: what the kernel could not take is refused before
// anything is sent.
func TestFeaturesBadInput(t *testing.T) {
	h, ns := vethNS(t)
	ctx := context.Background()
	before := nstest.Run(t, ns, "ethtool", "-k", "va")
	for _, c := range []struct {
		dev     ethtool.Device
		changes map[string]bool
		want    string
	}{
		{ethtool.Device{Name: "va"}, map[string]bool{"rx-gro": true, "no-such-feature": true}, `unknown features "no-such-feature"`},
		{ethtool.Device{Name: "va"}, map[string]bool{"": true}, `unknown features ""`},
		{ethtool.Device{}, map[string]bool{"rx-gro": true}, "no device"},
		{ethtool.Device{Name: "a-name-longer-than-ifnamsiz"}, map[string]bool{"rx-gro": true}, "longer than 15"},
		{ethtool.Device{Index: -1}, map[string]bool{"rx-gro": true}, "index -1"},
	} {
		err := ethtool.SetFeatures(ctx, h, c.dev, c.changes)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetFeatures(%+v, %v) = %v, want %q", c.dev, c.changes, err, c.want)
		}
	}
	if after := nstest.Run(t, ns, "ethtool", "-k", "va"); after != before {
		t.Errorf("features changed by refused requests:\n%s\n%s", before, after)
	}
	// A device that does not exist: the kernel's ENODEV, with its message.
	_, err := ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "nosuchdev"})
	if !errors.Is(err, unix.ENODEV) {
		t.Errorf("features of a missing device: %v, want ENODEV", err)
	}
}

// TestAllFeatures dumps every device's features and compares each with
// ethtool, then reads them pipelined.
func TestAllFeatures(t *testing.T) {
	h, ns := vethNS(t)
	ctx := context.Background()
	var devs []ethtool.Device
	for s, err := range ethtool.AllFeatures(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		compareK(t, ns, s)
		devs = append(devs, ethtool.Device{Index: s.Index})
	}
	if len(devs) != 3 { // lo, va, vb
		t.Fatalf("%d devices", len(devs))
	}
	devs = append(devs, ethtool.Device{Name: "nosuchdev"})
	sets, errs, err := ethtool.FeaturesOf(ctx, h, devs)
	if err == nil || len(sets) != 4 || errs[3] == nil || !errors.Is(errs[3], unix.ENODEV) {
		t.Fatalf("FeaturesOf: %v, %v", errs, err)
	}
	for i, s := range sets[:3] {
		if errs[i] != nil || s.Index != devs[i].Index {
			t.Fatalf("FeaturesOf %d: %v, %v", i, s, errs[i])
		}
		compareK(t, ns, s)
	}
}

// TestGettersMatchEthtool compares link info, modes and state with
// `ethtool DEV`, channels with `ethtool -l` (also after SetChannels), and
// rings and private flags, which veth lacks, with ethtool's errors.
func TestGettersMatchEthtool(t *testing.T) {
	h, ns := vethNS(t)
	ctx := context.Background()
	dev := ethtool.Device{Name: "va"}
	out := nstest.Run(t, ns, "ethtool", "va")
	li, err := ethtool.GetLinkInfo(ctx, h, dev)
	if err != nil {
		t.Fatal(err)
	}
	lm, err := ethtool.GetLinkModes(ctx, h, dev)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := ethtool.GetLinkState(ctx, h, dev)
	if err != nil {
		t.Fatal(err)
	}
	port := map[uint8]string{0: "Twisted Pair", 0xef: "None", 0xff: "Other"}[li.Port]
	xcvr := map[uint8]string{0: "internal", 1: "external"}[li.Transceiver]
	duplex := map[uint8]string{0: "Half", 1: "Full", 0xff: "Unknown! (255)"}[lm.Duplex]
	an := map[bool]string{false: "off", true: "on"}[lm.Autoneg]
	link := map[bool]string{false: "no", true: "yes"}[ls.Link]
	for _, want := range []string{
		"\tSpeed: " + itoa(lm.Speed) + "Mb/s\n", "\tDuplex: " + duplex + "\n", "\tAuto-negotiation: " + an + "\n",
		"\tPort: " + port + "\n", "\tPHYAD: " + itoa(uint32(li.PHYAddress)) + "\n", "\tTransceiver: " + xcvr + "\n",
		"\tLink detected: " + link + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ethtool va lacks %q:\n%s", want, out)
		}
	}
	if len(lm.Supported) != 0 || len(lm.Advertised) != 0 || !strings.Contains(out, "Supported link modes:   Not reported") {
		t.Errorf("link modes %v %v:\n%s", lm.Supported, lm.Advertised, out)
	}

	checkChannels := func() {
		t.Helper()
		c, err := ethtool.GetChannels(ctx, h, dev)
		if err != nil {
			t.Fatal(err)
		}
		na := func(v uint32, max uint32) string {
			if max == 0 {
				return "n/a"
			}
			return itoa(v)
		}
		want := "Channel parameters for va:\nPre-set maximums:\n" +
			"RX:\t\t" + na(c.RXMax, c.RXMax) + "\nTX:\t\t" + na(c.TXMax, c.TXMax) + "\nOther:\t\t" + na(c.OtherMax, c.OtherMax) + "\nCombined:\t" + na(c.CombinedMax, c.CombinedMax) + "\n" +
			"Current hardware settings:\n" +
			"RX:\t\t" + na(c.RX, c.RXMax) + "\nTX:\t\t" + na(c.TX, c.TXMax) + "\nOther:\t\t" + na(c.Other, c.OtherMax) + "\nCombined:\t" + na(c.Combined, c.CombinedMax) + "\n"
		if got := nstest.Run(t, ns, "ethtool", "-l", "va"); !strings.HasPrefix(got, want) {
			t.Errorf("ethtool -l va:\n%s\nwant:\n%s", got, want)
		}
	}
	checkChannels()
	if err := ethtool.SetChannels(ctx, h, dev, 2, 2); err != nil {
		t.Fatal(err)
	}
	checkChannels()
	if c, _ := ethtool.GetChannels(ctx, h, dev); c.RX != 2 || c.TX != 2 {
		t.Errorf("after SetChannels 2 2: %+v", c)
	}
	if err := ethtool.SetChannels(ctx, h, dev, 1000, 0); !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetChannels beyond the maximum: %v, want EINVAL", err)
	}

	// veth has no rings and no private flags: ethtool says "netlink
	// error: Operation not supported".
	for what, err := range map[string]error{
		"rings":      second(ethtool.GetRings(ctx, h, dev)),
		"priv-flags": second(ethtool.GetPrivFlags(ctx, h, dev)),
	} {
		if !errors.Is(err, unix.EOPNOTSUPP) {
			t.Errorf("%s of a veth: %v, want EOPNOTSUPP", what, err)
		}
	}
	for _, args := range [][]string{{"-g", "va"}, {"--show-priv-flags", "va"}} {
		out, err := nstest.Command(t, ns, "ethtool", args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Operation not supported") {
			t.Errorf("ethtool %v: %v\n%s", args, err, out)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// TestDriverInfoMatchesEthtool compares GetDriverInfo with `ethtool -i`
// (an ioctl: netlink has no driver info).
func TestDriverInfoMatchesEthtool(t *testing.T) {
	_, ns := vethNS(t)
	d, err := ethtool.GetDriverInfo(ns.Handle, "va")
	if err != nil {
		t.Fatal(err)
	}
	if want := nstest.Run(t, ns, "ethtool", "-i", "va"); d.String() != want {
		t.Errorf("driver info:\n%s\nethtool -i:\n%s", d, want)
	}
	if _, err := ethtool.GetDriverInfo(ns.Handle, "nosuchdev"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("driver info of a missing device: %v", err)
	}
}

// TestStats asks for the standard statistics groups of a veth (which has
// none) and refuses an unknown group before sending (replayed from Linux
// 6.18; NLTEST_RECORD=1 records it anew).
func TestStats(t *testing.T) {
	h := vethReplay(t, "stats.nlconv")
	ctx := context.Background()
	groups, err := ethtool.GetStats(ctx, h, ethtool.Device{Name: "va"})
	if err != nil && !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatal(err)
	}
	if err == nil && (len(groups) < 4 || groups[0].Name != "eth-phy" || groups[3].Name != "rmon") {
		t.Errorf("veth statistics groups: %+v", groups)
	}
	if _, err := ethtool.GetStats(ctx, h, ethtool.Device{Name: "va"}, "eth-mac", "no-such-group"); err == nil || !strings.Contains(err.Error(), `unknown statistics group "no-such-group"`) {
		t.Errorf("unknown group: %v", err)
	}
}

// TestDriverStatsMatchEthtool compares GetDriverStats with `ethtool -S`
// (ioctls: netlink has no driver counters).
func TestDriverStatsMatchEthtool(t *testing.T) {
	_, ns := vethNS(t)
	stats, err := ethtool.GetDriverStats(ns.Handle, "va")
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) < 2 || stats[0].Name != "peer_ifindex" {
		t.Fatalf("veth statistics: %+v", stats)
	}
	if want := nstest.Run(t, ns, "ethtool", "-S", "va"); ethtool.FormatDriverStats(stats) != want {
		t.Errorf("driver statistics:\n%s\nethtool -S:\n%s", ethtool.FormatDriverStats(stats), want)
	}
	if _, err := ethtool.GetDriverStats(ns.Handle, "lo"); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("driver statistics of lo: %v", err)
	}
	if _, err := ethtool.GetDriverStats(ns.Handle, "nosuchdev"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("driver statistics of a missing device: %v", err)
	}
}
