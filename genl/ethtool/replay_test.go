package ethtool_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
	"golang.org/x/sys/unix"
)

// TestReplayVeth decodes a recorded conversation about a veth pair va/vb
// (Linux 6.18), without root: features read, dumped, read pipelined and
// set (including a fixed one), channels, link modes and state, a device
// that does not exist and an operation veth lacks. NLTEST_RECORD=1
// records it anew, as root, in a throwaway namespace.
func TestReplayVeth(t *testing.T) {
	ctx := context.Background()
	h := vethReplay(t, "veth.nlconv")
	va := ethtool.Device{Name: "va"}

	s, err := ethtool.GetFeatures(ctx, h, va)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"rx-gro":                 "rx-gro: off",
		"rx-lro":                 "rx-lro: off [fixed]",
		"tx-checksum-ip-generic": "tx-checksum-ip-generic: on",
		"tx-checksum-ipv4":       "tx-checksum-ipv4: off [fixed]",
		"highdma":                "highdma: on",
		"loopback":               "loopback: off [fixed]",
	}
	for name, w := range want {
		if f, ok := s.Get(name); !ok || f.String() != w {
			t.Errorf("%s: %v, %v; want %q", name, f, ok, w)
		}
	}
	if s.Name != "va" || s.Len() < 60 {
		t.Errorf("features of %s: %d", s.Name, s.Len())
	}

	var names []string
	for s, err := range ethtool.AllFeatures(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, s.Name)
	}
	if len(names) != 3 || names[0] != "lo" {
		t.Errorf("dumped the features of %v", names)
	}

	sets, errs, err := ethtool.FeaturesOf(ctx, h, []ethtool.Device{va, {Name: "vb"}, {Name: "nosuchdev"}})
	if err == nil || sets[0] == nil || sets[0].Name != "va" || sets[1] == nil || sets[1].Name != "vb" || sets[2] != nil || !errors.Is(errs[2], unix.ENODEV) {
		t.Errorf("FeaturesOf: %v, %v, %v", sets, errs, err)
	}

	if err := ethtool.SetFeatures(ctx, h, va, map[string]bool{"rx-gro": true}); err != nil {
		t.Fatal(err)
	}
	if s, err = ethtool.GetFeatures(ctx, h, va); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Get("rx-gro"); !f.Active || !f.Wanted {
		t.Errorf("rx-gro after setting it on: %v", f)
	}
	var fe *ethtool.FeatureError
	if err := ethtool.SetFeatures(ctx, h, va, map[string]bool{"rx-lro": true}); !errors.As(err, &fe) || fe.Names[0] != "rx-lro" {
		t.Errorf("setting the fixed rx-lro: %v", err)
	}

	c, err := ethtool.GetChannels(ctx, h, va)
	if err != nil || c.RXMax == 0 || c.RX != 1 || c.CombinedMax != 0 {
		t.Errorf("channels: %+v, %v", c, err)
	}
	lm, err := ethtool.GetLinkModes(ctx, h, va)
	if err != nil || lm.Speed != 10000 || lm.Duplex != 1 || lm.Autoneg {
		t.Errorf("link modes: %+v, %v", lm, err)
	}
	ls, err := ethtool.GetLinkState(ctx, h, va)
	if err != nil || ls.Link {
		t.Errorf("link state: %+v, %v", ls, err)
	}
	if _, err := ethtool.GetRings(ctx, h, va); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("rings of a veth: %v", err)
	}
	if _, err := ethtool.GetChannels(ctx, h, ethtool.Device{Name: "nosuchdev"}); !errors.Is(err, unix.ENODEV) {
		t.Errorf("channels of a missing device: %v", err)
	}
	groups, err := ethtool.GetStats(ctx, h, va, "eth-mac")
	if err != nil || len(groups) != 1 || groups[0].Name != "eth-mac" {
		t.Errorf("statistics: %+v, %v", groups, err)
	}
}

// vethReplay returns a handle of one socket over the conversation name,
// recorded anew with NLTEST_RECORD=1 in a namespace with a veth pair va/vb.
func vethReplay(t *testing.T, name string) *genl.Handle {
	t.Helper()
	if nltest.Recording() {
		nstest.Require(t, "genl:ethtool", "link:veth")
	}
	return genltest.Replay(t, name, func(ns *nstest.NS) {
		nstest.IP(t, ns, "link", "add", "va", "type", "veth", "peer", "name", "vb")
	}, genl.WithPoolSize(1))
}
