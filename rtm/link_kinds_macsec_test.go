package rtm

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestMACsecCANDecodeGolden decodes iproute2's captured macsec and can
// requests with LinkMACsec and LinkCAN and expects the spec that built the
// same bytes.
func TestMACsecCANDecodeGolden(t *testing.T) {
	if native.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the golden captures are little-endian; this host is big-endian")
	}
	n := 0
	for _, c := range readGolden(t) {
		if c.File != "macsec.txt" && c.File != "can.txt" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			var spec LinkSpec
			g := &goldenEnc{links: c.Links, t: t, capture: &spec}
			if err := goldenSpecs[c.Name](g); err != nil {
				t.Fatal(err)
			}
			l, err := LinkFromBytes(c.Req[16:])
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			switch k := spec.Kind.(type) {
			case *MACsec:
				m, err := LinkMACsec(l.KindData())
				if err != nil {
					t.Fatal(err)
				}
				got, want = m, *k
			case *CAN:
				in, err := LinkCAN(l.KindData())
				if err != nil {
					t.Fatal(err)
				}
				got, want = in.Settings, *k
			default:
				t.Fatalf("kind %T", spec.Kind)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ip %s\ndecoded %+v\nwant    %+v", c.Cmd, got, want)
			}
		})
		n++
	}
	if n < 12 {
		t.Fatalf("only %d macsec and can captures", n)
	}
}

// TestMACsecCANInvalid expects each invalid combination to be refused
// before anything is sent, naming the problem.
func TestMACsecCANInvalid(t *testing.T) {
	for _, c := range []struct {
		name   string
		create bool
		kind   LinkKind
		want   string
	}{
		{"sci and port", true, &MACsec{SCI: Some[uint64](1), Port: 1}, "not both"},
		{"cipher", true, &MACsec{Cipher: 42}, "unknown cipher"},
		{"icvlen low", true, &MACsec{ICVLen: 7}, "ICV length 7"},
		{"icvlen high", true, &MACsec{ICVLen: 17}, "ICV length 17"},
		{"sci and es", true, &MACsec{IncludeSCI: Some(true), EndStation: Some(true)}, "exclude"},
		{"sci and scb", true, &MACsec{IncludeSCI: Some(true), SCB: Some(true)}, "exclude"},
		{"es and scb", true, &MACsec{EndStation: Some(true), SCB: Some(true)}, "exclude"},
		{"window alone", true, &MACsec{Window: Some[uint32](8)}, "needs ReplayProtect"},
		{"replay without window", true, &MACsec{ReplayProtect: Some(true)}, "needs a window"},
		{"validation", true, &MACsec{Validation: Some[MACsecValidation](3)}, "validation mode"},
		{"offload", true, &MACsec{Offload: Some[MACsecOffload](3)}, "offload mode"},
		{"encoding sa", true, &MACsec{EncodingSA: Some[uint8](4)}, "encoding SA 4"},
		{"can create", true, &CAN{RestartMS: Some[uint32](1)}, "existing device"},
		{"can segments without rate", false, &CAN{BitTiming: CANBitTiming{PropSeg: 1}}, "bitrate or a time quantum"},
		{"can bitrate and tq", false, &CAN{BitTiming: CANBitTiming{Bitrate: 500000, TQ: 125}}, "not both"},
		{"can sample point", false, &CAN{DataBitTiming: CANBitTiming{Bitrate: 1, SamplePoint: 1000}}, "sample point 1000"},
		{"can unknown mode", false, &CAN{CtrlModeMask: 0x800}, "unknown CAN control modes"},
		{"can mode outside mask", false, &CAN{CtrlMode: CANFD}, "outside the mask"},
		{"can tdc both", false, &CAN{CtrlMode: CANTDCAuto | CANTDCManual, CtrlModeMask: CANTDCAuto | CANTDCManual}, "both"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b wire.Builder
			lc := linkCtx{b: &b, create: c.create}
			s := LinkSpec{Name: "x0", Kind: c.kind}
			flags := uint16(0)
			if c.create {
				flags = unix.NLM_F_CREATE | unix.NLM_F_EXCL
			} else {
				s = LinkSpec{Index: 3, Kind: c.kind}
			}
			err := encodeLink(&lc, unix.RTM_NEWLINK, flags, &s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
	// The valid extremes pass.
	for _, k := range []LinkKind{&MACsec{ICVLen: 8}, &MACsec{ICVLen: 16, ReplayProtect: Some(false)},
		&MACsec{ReplayProtect: Some(true), Window: Some[uint32](0)}, &MACsec{EncodingSA: Some[uint8](3)}} {
		var b wire.Builder
		lc := linkCtx{b: &b, create: true}
		if err := encodeLink(&lc, unix.RTM_NEWLINK, unix.NLM_F_CREATE, &LinkSpec{Name: "x0", Kind: k}); err != nil {
			t.Errorf("%+v: %v", k, err)
		}
	}
}

// TestMACsecCipherNames checks iproute2's names both ways.
func TestMACsecCipherNames(t *testing.T) {
	for name, want := range map[string]MACsecCipher{"default": MACsecCipherDefault, "gcm-aes-128": MACsecGCMAES128,
		"GCM-AES-256": MACsecGCMAES256, "gcm-aes-xpn-128": MACsecGCMAESXPN128, "gcm-aes-xpn-256": MACsecGCMAESXPN256} {
		got, err := ParseMACsecCipher(name)
		if err != nil || got != want {
			t.Errorf("%s: %v %v", name, got, err)
		}
		if !strings.EqualFold(got.String(), name) && name != "default" {
			t.Errorf("%s prints as %s", name, got)
		}
	}
	if _, err := ParseMACsecCipher("aes"); err == nil {
		t.Error("unknown cipher accepted")
	}
	if s := MACsecCipher(7).String(); s != "0x7" {
		t.Errorf("unknown id prints as %s", s)
	}
	if _, err := MACsecSCI(nil, 1); err == nil {
		t.Error("SCI from an empty address")
	}
}

// TestLinkCANReported decodes what a CAN driver reports beyond the
// settings: limits, clock, state, error counters.
func TestLinkCANReported(t *testing.T) {
	e := nla.NewEncoder(nil)
	var btc [canBitTimingConstLen]byte
	copy(btc[:], "flexcan")
	for i := range 8 {
		native.PutUint32(btc[16+4*i:], uint32(i+1))
	}
	e.Binary(unix.IFLA_CAN_BITTIMING_CONST, btc[:])
	e.Uint32(unix.IFLA_CAN_CLOCK, 40000000)
	e.Uint32(unix.IFLA_CAN_STATE, uint32(CANBusOff))
	e.Binary(unix.IFLA_CAN_BERR_COUNTER, []byte{7, 0, 9, 1})
	e.Binary(unix.IFLA_CAN_CTRLMODE, []byte{0xff, 7, 0, 0, 0x20, 0, 0, 0})
	in, err := LinkCAN(nla.Chain(e.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := CANInfo{BitTimingConst: Some(CANBitTimingConst{"flexcan", 1, 2, 3, 4, 5, 6, 7, 8}), ClockHz: 40000000,
		State: Some(CANBusOff), TxErrors: Some[uint16](7), RxErrors: Some[uint16](0x109),
		Settings: CAN{CtrlModeMask: 0x7ff, CtrlMode: CANFD}}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("got  %+v\nwant %+v", in, want)
	}
	if in.State.Or(0).String() != "BUS-OFF" || CANState(9).String() != "<unknown 9>" {
		t.Errorf("state names: %s %s", in.State.Or(0), CANState(9))
	}
}

// TestMACsecCANDecodeHostile feeds short attributes and random bytes to
// the decoders: errors, never a panic.
func TestMACsecCANDecodeHostile(t *testing.T) {
	for typ := uint16(0); typ < 20; typ++ {
		e := nla.NewEncoder(nil)
		e.Binary(typ, []byte{1})
		if _, err := LinkMACsec(nla.Chain(e.Bytes())); err == nil && typ >= unix.IFLA_MACSEC_SCI && typ <= unix.IFLA_MACSEC_PORT {
			t.Errorf("macsec attribute %d of 1 byte accepted", typ)
		}
		_, err := LinkCAN(nla.Chain(e.Bytes()))
		if err == nil && typ != unix.IFLA_CAN_RESTART && typ != iflaCANTDC && typ >= unix.IFLA_CAN_BITTIMING && typ <= unix.IFLA_CAN_TERMINATION {
			t.Errorf("can attribute %d of 1 byte accepted", typ)
		}
	}
	if _, err := LinkCAN(nla.Chain([]byte{3, 0})); err == nil {
		t.Error("truncated chain accepted")
	}
	if _, err := LinkMACsec(nil); err != nil {
		t.Errorf("empty data: %v", err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		_, err1 := LinkMACsec(nla.Chain(b))
		_, err2 := LinkCAN(nla.Chain(b))
		_ = errors.Join(err1, err2)
	}
}
