package ethtool_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/testrun"
)

// TestNilHandle: every call on a nil handle is an error, not a panic.
func TestNilHandle(t *testing.T) {
	ctx := context.Background()
	dev := ethtool.Device{Name: "va"}
	for what, err := range map[string]error{
		"Family":       second(ethtool.Family(ctx, nil)),
		"GetFeatures":  second(ethtool.GetFeatures(ctx, nil, dev)),
		"SetFeatures":  ethtool.SetFeatures(ctx, nil, dev, map[string]bool{"rx-gro": true}),
		"StringSet":    second(ethtool.StringSet(ctx, nil, dev, ethtool.StringSetFeatures)),
		"GetChannels":  second(ethtool.GetChannels(ctx, nil, dev)),
		"SetChannels":  ethtool.SetChannels(ctx, nil, dev, 1, 1),
		"GetLinkModes": second(ethtool.GetLinkModes(ctx, nil, dev)),
		"GetStats":     second(ethtool.GetStats(ctx, nil, dev)),
	} {
		if err == nil {
			t.Errorf("%s with a nil handle: no error", what)
		}
	}
	for _, err := range ethtool.AllFeatures(ctx, nil) {
		if err == nil {
			t.Error("AllFeatures with a nil handle: no error")
		}
	}
	if _, _, err := ethtool.FeaturesOf(ctx, nil, []ethtool.Device{dev}); err == nil {
		t.Error("FeaturesOf with a nil handle: no error")
	}
}

// TestContexts: a nil or cancelled context is an error, and the handle
// stays usable (replayed from Linux 6.18; NLTEST_RECORD=1 records it
// anew).
func TestContexts(t *testing.T) {
	h := vethReplay(t, "contexts.nlconv")
	dev := ethtool.Device{Name: "va"}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var nilCtx context.Context
	if _, err := ethtool.GetFeatures(nilCtx, h, dev); err == nil {
		t.Error("GetFeatures with a nil context: no error")
	}
	if _, err := ethtool.GetChannels(cancelled, h, dev); !errors.Is(err, context.Canceled) {
		t.Errorf("GetChannels with a cancelled context: %v", err)
	}
	for _, err := range ethtool.AllFeatures(cancelled, h) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("AllFeatures with a cancelled context: %v", err)
		}
	}
	if _, err := ethtool.GetFeatures(context.Background(), h, dev); err != nil {
		t.Errorf("after cancelled calls: %v", err)
	}
}

// TestConcurrent reads and sets features from several goroutines on one
// handle (run with -race).
func TestConcurrent(t *testing.T) {
	h, _ := vethNS(t)
	ctx := context.Background()
	errs := testrun.Parallel(8, 5, func(i, j int) error {
		switch (i + j) % 3 {
		case 0:
			s, err := ethtool.GetFeatures(ctx, h, ethtool.Device{Name: "vb"})
			if err == nil && s.Name != "vb" {
				err = errors.New("features of " + s.Name)
			}
			return err
		case 1:
			var errs []error
			n := 0
			for _, err := range ethtool.AllFeatures(ctx, h) {
				if err != nil {
					errs = append(errs, err)
				}
				n++
			}
			if n != 3 {
				errs = append(errs, errors.New("dumped a wrong number of devices"))
			}
			return errors.Join(errs...)
		default:
			return ethtool.SetFeatures(ctx, h, ethtool.Device{Name: "va"}, map[string]bool{"rx-gro": j%2 == 0})
		}
	})
	for _, err := range errs {
		t.Error(err)
	}
}
