package devlink

import (
	"encoding/binary"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nla"
)

// TestDecodeValueWidths pins decodeValue (88027ff: uintSize and
// nla.Attr.Uint): an unsigned value reads only at its type's width, any
// other payload decodes to the zero ParamValue, as do an unknown type
// and a missing payload; a string needs its NUL; a bool is the payload's
// presence.
func TestDecodeValueWidths(t *testing.T) {
	ne := binary.NativeEndian
	data := func(p []byte) nla.Chain {
		if p == nil {
			return nil
		}
		return nla.Chain(rawnl.Attr(DevlinkAttrParamValueData, p))
	}
	u16 := ne.AppendUint16(nil, 0xbeef)
	u32 := ne.AppendUint32(nil, 0xdeadbeef)
	u64 := ne.AppendUint64(nil, 0x0123456789abcdef)
	for _, c := range []struct {
		typ     uint8
		payload []byte
		want    ParamValue
	}{
		{ParamTypeU8, []byte{0xfe}, ParamValue{Type: ParamTypeU8, Uint: 0xfe}},
		{ParamTypeU16, u16, ParamValue{Type: ParamTypeU16, Uint: 0xbeef}},
		{ParamTypeU32, u32, ParamValue{Type: ParamTypeU32, Uint: 0xdeadbeef}},
		{ParamTypeU64, u64, ParamValue{Type: ParamTypeU64, Uint: 0x0123456789abcdef}},
		{ParamTypeU8, u16, ParamValue{}},
		{ParamTypeU16, []byte{1}, ParamValue{}},
		{ParamTypeU16, u32, ParamValue{}},
		{ParamTypeU32, u64, ParamValue{}},
		{ParamTypeU32, []byte{1, 2, 3}, ParamValue{}},
		{ParamTypeU64, u32, ParamValue{}},
		{ParamTypeU64, []byte{}, ParamValue{}},
		{ParamTypeU32, nil, ParamValue{}},
		{ParamTypeString, []byte("on\x00"), ParamValue{Type: ParamTypeString, String: "on"}},
		{ParamTypeBool, []byte{}, ParamValue{Type: ParamTypeBool, Bool: true}},
		{ParamTypeBool, nil, ParamValue{Type: ParamTypeBool}},
		{0, u32, ParamValue{}},
		{7, u32, ParamValue{}},
		{255, []byte{1}, ParamValue{}},
	} {
		if got := decodeValue(c.typ, data(c.payload)); got != c.want {
			t.Errorf("type %d, payload % x: %+v, want %+v", c.typ, c.payload, got, c.want)
		}
	}
}
