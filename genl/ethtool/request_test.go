package ethtool_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/nla"
)

// ethtoolRequests are the requests Debian's ethtool 6.1 sends, as
// `strace -e trace=sendto -xx` shows them (in a namespace with a veth
// va): the genlmsghdr (command, version 1) and attributes after the
// netlink header.
var ethtoolRequests = []struct {
	cmdline string
	hex     string
	build   genl.Request
}{
	{
		"ethtool -k va (the string set)",
		"0101000004000180100002800c0001800800010004000000",
		ethtool.StrsetGetRequest(func(e ethtool.StrsetEncoder) {
			e.Header(nil)
			e.Stringsets(func(s ethtool.StringsetsEncoder) {
				s.Stringset(func(s ethtool.StringsetEncoder) { s.ID(ethtool.StringSetFeatures) })
			})
		}),
	},
	{
		"ethtool -k va",
		"0b0100001400018007000200766100000800030001000000",
		ethtool.FeaturesGetRequest(func(e ethtool.FeaturesEncoder) {
			e.Header(ethtool.Device{Name: "va"}.Header(ethtool.EthtoolFlagCompactBitsets))
		}),
	},
	{
		"ethtool -K va rx-gro on tx-nocache-copy off",
		"0c01000014000180070002007661000008000300010000003400038030000380140001800b00020072782d67726f" +
			"000004000300180001801400020074782d6e6f63616368652d636f707900",
		ethtool.FeaturesSetRequest(func(e ethtool.FeaturesEncoder) {
			e.Header(ethtool.Device{Name: "va"}.Header(ethtool.EthtoolFlagCompactBitsets))
			e.Wanted(func(b ethtool.BitsetEncoder) {
				ethtool.EncodeNamed(b, []ethtool.NamedBit{{Name: "rx-gro", On: true}, {Name: "tx-nocache-copy"}})
			})
		}),
	},
	{
		"ethtool -L va rx 2",
		"120100000c00018007000200766100000800060002000000",
		ethtool.ChannelsSetRequest(func(e ethtool.ChannelsEncoder) {
			e.Header(ethtool.Device{Name: "va"}.Header(0))
			e.RXCount(2)
		}),
	},
}

// TestRequestsMatchEthtool builds, with the generated builders and
// encoders, the requests ethtool sends and compares the bytes; then it
// decodes ethtool's verbose bitset (bits by name) back.
func TestRequestsMatchEthtool(t *testing.T) {
	for _, c := range ethtoolRequests {
		want, err := hex.DecodeString(c.hex)
		if err != nil {
			t.Fatalf("%s: %v", c.cmdline, err)
		}
		e := nla.NewEncoder(nil)
		c.build.Attrs(e)
		if err := e.Err(); err != nil {
			t.Fatalf("%s: %v", c.cmdline, err)
		}
		got := append([]byte{c.build.Command, 1, 0, 0}, e.Bytes()...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", c.cmdline, got, want)
		}
	}

	// ethtool's FEATURES_SET, decoded: a verbose bitset with a mask and
	// no size, whose bits are named only.
	raw, _ := hex.DecodeString(ethtoolRequests[2].hex)
	m := genl.Message{Command: raw[0], Version: raw[1], Attrs: nla.Chain(raw[4:])}
	v := ethtool.FeaturesView{Attrs: m.Attrs}
	if name, ok := v.Get("header", "dev_name"); !ok || name.String() != "va" {
		t.Errorf("header dev_name: %v, %v", name, ok)
	}
	bv, ok := v.Wanted()
	if !ok {
		t.Fatal("no wanted bitset")
	}
	var n []string
	bits, _ := bv.Bits()
	for bit := range bits.Bit() {
		name, _ := bit.Name()
		if bit.Value() {
			name += " on"
		}
		n = append(n, name)
	}
	if len(n) != 2 || n[0] != "rx-gro on" || n[1] != "tx-nocache-copy" {
		t.Errorf("wanted bits: %v", n)
	}
}
