package ethtool_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

// vethNS makes a namespace with a veth pair va/vb and a handle in it.
func vethNS(t *testing.T) (*genl.Handle, *nstest.NS) {
	t.Helper()
	nstest.Require(t, "genl:ethtool", "link:veth")
	if _, err := exec.LookPath("ethtool"); err != nil {
		t.Skip("no ethtool (scripts/test.sh installs it)")
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "va", "type", "veth", "peer", "name", "vb")
	h, err := genl.Dial(genl.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
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
	s, err := ethtool.Features(ctx, h, ethtool.Device{Name: "va"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "va" || s.Index == 0 || s.Len() < 60 {
		t.Fatalf("features of va: %s, index %d, %d features", s.Name, s.Index, s.Len())
	}
	compareK(t, ns, s)

	// By index too.
	s2, err := ethtool.Features(ctx, h, ethtool.Device{Index: s.Index})
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
	s, err = ethtool.Features(ctx, h, ethtool.Device{Name: "va"})
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
	_, err := ethtool.Features(ctx, h, ethtool.Device{Name: "nosuchdev"})
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
