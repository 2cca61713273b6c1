package tc_test

import (
	"testing"

	"github.com/ipr-go/ipr/rtm/tc"
)

func TestRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		bps  uint64
		text string
	}{
		{"1mbit", 125000, "1Mbit"}, {"1Mbit", 125000, "1Mbit"}, {"100kbit", 12500, "100Kbit"},
		{"1500kbit", 187500, "1500Kbit"}, {"8", 1, "8bit"}, {"1gbit", 125000000, "1Gbit"},
		{"1MBps", 1000000, "8Mbit"}, {"1Kibit", 128, "1024bit"}, {"10.5mbit", 1312500, "10500Kbit"},
		{"1tbit", 125000000000, "1Tbit"}, {"100gbit", 12500000000, "100Gbit"},
	} {
		r, err := tc.ParseRate(c.in)
		if err != nil || uint64(r) != c.bps || r.String() != c.text {
			t.Errorf("ParseRate(%q) = %d %q %v, want %d %q", c.in, uint64(r), r, err, c.bps, c.text)
		}
	}
	for _, bad := range []string{"", "mbit", "1xbit", "1 mbit", "-1mbit", "1e30tbit"} {
		if r, err := tc.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", bad, r)
		}
	}
}

func TestSizeTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    uint32
		text string
	}{
		{"32k", 32768, "32Kb"}, {"1514", 1514, "1514b"}, {"1m", 1048576, "1Mb"}, {"10kb", 10240, "10Kb"},
		{"1kbit", 128, "128b"}, {"1600", 1600, "1600b"}, {"1030", 1030, "1Kb"}, {"2mb", 2097152, "2Mb"},
	} {
		s, err := tc.ParseSize(c.in)
		if err != nil || uint32(s) != c.n || s.String() != c.text {
			t.Errorf("ParseSize(%q) = %d %q %v, want %d %q", c.in, uint32(s), s, err, c.n, c.text)
		}
	}
	for _, c := range []struct {
		in   string
		us   uint32
		text string
	}{
		{"50ms", 50000, "50ms"}, {"1s", 1000000, "1s"}, {"800us", 800, "800us"}, {"1.5ms", 1500, "1.5ms"},
		{"100", 100, "100us"}, {"1234ms", 1234000, "1.23s"}, {"12345", 12345, "12.3ms"},
	} {
		v, err := tc.ParseTime(c.in)
		if err != nil || uint32(v) != c.us || v.String() != c.text {
			t.Errorf("ParseTime(%q) = %d %q %v, want %d %q", c.in, uint32(v), v, err, c.us, c.text)
		}
	}
	for _, bad := range []string{"", "ms", "5h", "1e10s"} {
		if _, err := tc.ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q): no error", bad)
		}
		if _, err := tc.ParseSize(bad); err == nil && bad != "1e10s" {
			t.Errorf("ParseSize(%q): no error", bad)
		}
	}
	if v, err := tc.ParseTime64("5ms"); err != nil || v != 5000000 || v.String() != "5ms" {
		t.Errorf("ParseTime64(5ms) = %d %v %v", v, v, err)
	}
}

func TestHandle(t *testing.T) {
	for _, c := range []struct {
		in   string
		h    tc.Handle
		text string
	}{
		{"1:", 0x10000, "1:"}, {"1:10", 0x10010, "1:10"}, {"ffff:", 0xFFFF0000, "ffff:"}, {"root", tc.HandleRoot, "root"},
		{"none", 0, "none"}, {":5", 5, ":5"}, {"ffff:fff1", tc.HandleIngress, "ffff:fff1"}, {"10020", 0x10020, "1:20"},
	} {
		h, err := tc.ParseHandle(c.in)
		if err != nil || h != c.h || h.String() != c.text {
			t.Errorf("ParseHandle(%q) = %#x %q %v, want %#x %q", c.in, uint32(h), h, err, uint32(c.h), c.text)
		}
	}
	for _, bad := range []string{"", "1:2:3", "10000:", "1:10000", "x:", "1:y", "123456789"} {
		if h, err := tc.ParseHandle(bad); err == nil {
			t.Errorf("ParseHandle(%q) = %v, want an error", bad, h)
		}
	}
	if h, err := tc.ParseQdiscHandle("1:"); err != nil || h != 0x10000 {
		t.Errorf("ParseQdiscHandle(1:) = %v %v", h, err)
	}
	if _, err := tc.ParseQdiscHandle("1:5"); err == nil {
		t.Error("ParseQdiscHandle(1:5): no error")
	}
}

func TestXmitAndRateTable(t *testing.T) {
	// tc_calc_xmittime(125000, 1514): 12112 µs, 189250 ticks.
	if v := tc.XmitTime(125000, 1514); v != 189250 {
		t.Errorf("XmitTime = %d", v)
	}
	if v := tc.XmitSize(125000, 189250); v != 1514 {
		t.Errorf("XmitSize = %d", v)
	}
	var r tc.RateSpec
	rtab := tc.RateTable(&r, 125000, -1, 1600, tc.LinklayerEthernet)
	if r.CellLog != 3 || r.CellAlign != -1 || r.Linklayer != tc.LinklayerEthernet {
		t.Errorf("rate spec %+v", r)
	}
	if rtab[0] != tc.XmitTime(125000, 8) || rtab[255] != tc.XmitTime(125000, 2048) {
		t.Errorf("rtab %d %d", rtab[0], rtab[255])
	}
	est, err := tc.NewEstimator(1000000, 8000000)
	if err != nil || est != (tc.Estimator{Interval: 0, EWMALog: 3}) {
		t.Errorf("NewEstimator(1s, 8s) = %+v %v", est, err)
	}
	if _, err := tc.NewEstimator(16000000, 8000000); err == nil {
		t.Error("NewEstimator(16s): no error")
	}
}
