package ethtool_test

import (
	"context"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
)

// TestMonitorFeatures subscribes to the family's "monitor" group, turns
// rx-gro on, and decodes the FEATURES_NTF the kernel sends with
// FeatureSet.Parse; a channels change arrives as CHANNELS_NTF.
func TestMonitorFeatures(t *testing.T) {
	h, _ := vethNS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := ethtool.Family(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	names, err := ethtool.StringSet(ctx, h, ethtool.Device{}, ethtool.StringSetFeatures)
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.Monitor(genl.Subscription{Family: f, Group: "monitor"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := ethtool.SetFeatures(ctx, h, ethtool.Device{Name: "va"}, map[string]bool{"rx-gro": true}); err != nil {
		t.Fatal(err)
	}
	if err := ethtool.SetChannels(ctx, h, ethtool.Device{Name: "va"}, 2, 0); err != nil {
		t.Fatal(err)
	}
	var s ethtool.FeatureSet
	gotFeatures, gotChannels := false, false
	for ev, err := range m.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Command {
		case ethtool.EthtoolMsgFeaturesNtf:
			if err := s.Parse(ev.Message, names); err != nil {
				t.Fatal(err)
			}
			if gro, _ := s.Get("rx-gro"); s.Name != "va" || !gro.Active {
				t.Errorf("features notification: %s, rx-gro %v", s.Name, gro)
			}
			gotFeatures = true
		case ethtool.EthtoolMsgChannelsNtf:
			v, err := ethtool.ParseChannelsNtf(ev.Message)
			if err != nil {
				t.Fatal(err)
			}
			if rx, _ := v.RXCount(); rx != 2 {
				t.Errorf("channels notification: rx %d", rx)
			}
			gotChannels = true
		}
		if gotFeatures && gotChannels {
			return
		}
	}
	t.Errorf("notifications: features %v, channels %v", gotFeatures, gotChannels)
}
