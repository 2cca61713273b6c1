package tc

import (
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
)

// TestFilterAndActionOptionsByName reads the options and actions of the
// filters tc sent (testdata/iproute2) by the names of tc.yaml, and
// checks them against what the kind's decoder reads.
func TestFilterAndActionOptionsByName(t *testing.T) {
	if !isLittleEndian() {
		t.Skip("the golden captures are little-endian")
	}
	byKey := map[string]golden.Case{}
	for _, c := range readTCGolden(t) {
		byKey[c.Key()] = c
	}
	filter := func(key string) Filter {
		t.Helper()
		c, ok := byKey[key]
		if !ok {
			t.Fatalf("no capture %s", key)
		}
		f, err := FilterFromBytes(c.Req[16:])
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	uint := func(f Filter, want uint64, path ...string) {
		t.Helper()
		v, ok := f.Get(path...)
		if !ok {
			t.Errorf("%v: absent", path)
			return
		}
		if got, ok := v.Uint(); !ok || got != want {
			t.Errorf("%v = %v, want %d", path, v, want)
		}
	}
	text := func(f Filter, want string, path ...string) {
		t.Helper()
		v, ok := f.Get(path...)
		if got, _ := v.Text(); !ok || got != want {
			t.Errorf("%v = %v (%v), want %q", path, v, ok, want)
		}
	}
	u32 := filter("u32/handle-flowid")
	uint(u32, 0x10010, "options", "classid")
	uint(u32, 2, "options", "sel", "nkeys")
	// tc.yaml's spelling: the sub-message's selector, and hyphens.
	uint(u32, 0x10010, "options", "u32", "classid")
	fl := filter("flower/l3l4")
	uint(fl, 0x0800, "options", "key_eth_type")
	uint(fl, 80, "options", "key_tcp_dst")
	uint(fl, 0x0800, "options", "flower", "key-eth-type")
	if _, ok := fl.Get("options", "u32", "key_eth_type"); ok {
		t.Error("another kind's name reads")
	}
	uint(fl, 1000, "options", "key_port_src_min")
	text(fl, "gact", "options", "act", "1", "kind")
	if _, ok := fl.Get("options", "act", "2"); ok {
		t.Error("a second action where there is one")
	}
	mirred := filter("u32/mirred")
	text(mirred, "mirred", "options", "act", "1", "kind")
	// tc.yaml gives mirred's parms no struct: they read as bytes, a
	// struct tc_mirred whose last member is the device's index.
	if v, ok := mirred.Get("options", "act", "1", "options", "parms"); !ok || len(v.Bytes()) != 28 || native.Uint32(v.Bytes()[24:]) != 2 {
		t.Errorf("mirred parms: %v %v", v, ok)
	}
	uint(filter("matchall/classid"), 0x10003, "options", "classid")
	uint(filter("fw/mask"), 0xff, "options", "mask")
	text(filter("fw/mask"), "p1", "options", "indev")
	uint(filter("bpf/bytecode"), 1, "options", "ops_len")
	// Every action of every captured filter reads by name as its view
	// reads it.
	n := 0
	for _, c := range byKey {
		f, err := FilterFromBytes(c.Req[16:])
		if err != nil || f.Kind() == "" {
			continue
		}
		for a := range f.Actions() {
			v, ok := f.Get("options", "act", itoa(int(a.Order)), "kind")
			if kind, _ := v.Text(); !ok || kind != a.Kind() {
				t.Errorf("%s: action %d by name: %v, view %q", c.Key(), a.Order, v, a.Kind())
			}
			if k, ok := a.Get("kind"); !ok || k.String() != a.Kind() {
				t.Errorf("%s: ActionView.Get(kind) = %v", c.Key(), k)
			}
			for range a.Values() {
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d actions read", n)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
