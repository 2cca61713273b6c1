package rtm

import (
	"encoding/binary"
	"fmt"
	"testing"
)

// TestViewGetNames checks that the views' shared Get, GetAll and Attrs
// name the attributes by each view's own schema, for the views whose
// headers share a layout (Netconf and NetnsID) too, and "attr_N" where a
// view has none (VXLANVNIs).
func TestViewGetNames(t *testing.T) {
	// msg is a 4- or 8-byte header, then one u32 attribute of type 1.
	msg := func(hdr int) []byte {
		b := make([]byte, hdr+8)
		binary.NativeEndian.PutUint16(b[hdr:], 8)
		binary.NativeEndian.PutUint16(b[hdr+2:], 1)
		binary.NativeEndian.PutUint32(b[hdr+4:], 7)
		return b
	}
	type getter interface {
		Get(...string) (Value, bool)
	}
	nsid, _ := NetnsIDFromBytes(msg(4))
	nc, _ := NetconfFromBytes(msg(4))
	vni, _ := VXLANVNIsFromBytes(msg(8))
	for _, c := range []struct {
		v    getter
		name string
	}{
		{nsid, "nsid"}, {nsid, "NETNSA_NSID"}, {nc, "ifindex"},
	} {
		v, ok := c.v.Get(c.name)
		if !ok || fmt.Sprint(v.Interface()) != "7" {
			t.Errorf("%T Get(%q) = %v, %v", c.v, c.name, v, ok)
		}
	}
	if _, ok := nsid.Get("ifindex"); ok {
		t.Error("NetnsID answers Netconf's name")
	}
	if v, ok := vni.Get("attr_1"); !ok || len(v.Bytes()) != 4 {
		t.Errorf("VXLANVNIs Get(attr_1) = %v, %v", v, ok)
	}
	for name := range vni.Attrs() {
		if name != "attr_1" {
			t.Errorf("VXLANVNIs attribute named %q", name)
		}
	}
	n := 0
	for range nsid.GetAll("nsid") {
		n++
	}
	if n != 1 {
		t.Errorf("NetnsID GetAll(nsid): %d values", n)
	}
}
