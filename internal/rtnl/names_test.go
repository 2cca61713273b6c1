package rtnl

import "testing"

func TestNames(t *testing.T) {
	names := []string{"zero", "", "two"}
	for _, c := range []struct {
		v    int32
		name string
		ok   bool
	}{{0, "zero", true}, {1, "", false}, {2, "two", true}, {3, "", false}, {-1, "", false}} {
		if n, ok := Name(names, c.v); n != c.name || ok != c.ok {
			t.Errorf("Name(%d) = %q, %v", c.v, n, ok)
		}
	}
	if v, ok := Name(names, uint8(255)); ok {
		t.Errorf("Name(255) = %q", v)
	}
	for _, c := range []struct {
		name string
		v    uint16
		ok   bool
	}{{"zero", 0, true}, {"two", 2, true}, {"", 0, false}, {"one", 0, false}} {
		if v, ok := Value[uint16](names, c.name); v != c.v || ok != c.ok {
			t.Errorf("Value(%q) = %d, %v", c.name, v, ok)
		}
	}
}
