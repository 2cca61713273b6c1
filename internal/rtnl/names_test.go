package rtnl

import "testing"

// stringer is an enumeration with a String method, which Name must not
// call for a value without a name.
type stringer uint8

func (s stringer) String() string { return Name(nil, s, "%d") }

func TestNames(t *testing.T) {
	names := []string{"zero", "", "two"}
	for v, want := range map[int32]string{0: "zero", 1: "n1", 2: "two", 3: "n3", -1: "n-1"} {
		if n := Name(names, v, "n%d"); n != want {
			t.Errorf("Name(%d) = %q, want %q", v, n, want)
		}
	}
	if n := Name(names, stringer(255), "%d"); n != "255" {
		t.Errorf("Name(stringer 255) = %q", n)
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
