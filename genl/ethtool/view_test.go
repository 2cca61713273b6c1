package ethtool_test

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/gentest"
	"github.com/ipr-go/ipr/nla"
)

// TestViewByName reads attributes written by a generated encoder through
// the typed accessors and by name, through the spec's schemas.
func TestViewByName(t *testing.T) {
	e := nla.NewEncoder(nil)
	c := ethtool.ChannelsEncoder{E: e}
	c.Header(ethtool.Device{Name: "va"}.Header(ethtool.EthtoolFlagCompactBitsets))
	c.RXMax(2)
	c.RXCount(1)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	v := ethtool.ChannelsView{Attrs: nla.Chain(e.Bytes())}
	if n, ok := v.RXMax(); !ok || n != 2 {
		t.Errorf("RXMax = %d, %v", n, ok)
	}
	if _, ok := v.TXMax(); ok {
		t.Error("TXMax present")
	}
	if h, ok := v.Header(); !ok {
		t.Error("no header")
	} else if name, ok := h.DevName(); !ok || name != "va" {
		t.Errorf("DevName = %q, %v", name, ok)
	}
	if name, ok := v.Get("header", "dev_name"); !ok || name.String() != "va" {
		t.Errorf(`Get("header", "dev_name") = %v, %v`, name, ok)
	}
	if n, ok := v.Get("rx_count"); !ok {
		t.Error(`no "rx_count"`)
	} else if u, ok := n.Uint(); !ok || u != 1 {
		t.Errorf("rx_count = %d, %v", u, ok)
	}
	var names []string
	for name := range v.All() {
		names = append(names, name)
	}
	if strings.Join(names, " ") != "header rx_max rx_count" {
		t.Errorf("All: %v", names)
	}
}

// TestGenerated checks that the generated files are what tools/gen writes
// from the pinned spec.
func TestGenerated(t *testing.T) {
	gentest.YNL(t, "specs/ethtool.yaml", "ethtool", "-ops")
}
