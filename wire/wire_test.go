package wire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

var ne = binary.NativeEndian

func TestMessagesFraming(t *testing.T) {
	dgram := bytes.Join([][]byte{
		rawnl.Msg(unix.RTM_NEWLINK, unix.NLM_F_MULTI, 7, 0, []byte{1, 2, 3, 4, 5}),
		rawnl.Msg(unix.RTM_NEWLINK, unix.NLM_F_MULTI, 7, 0, nil),
		rawnl.Msg(unix.NLMSG_DONE, unix.NLM_F_MULTI, 7, 0, []byte{0, 0, 0, 0}),
	}, nil)
	var got []Message
	for m, err := range Messages(dgram) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	if len(got) != 3 || !bytes.Equal(got[0].Data, []byte{1, 2, 3, 4, 5}) || len(got[1].Data) != 0 ||
		got[2].Header.Type != unix.NLMSG_DONE || got[0].Header.Seq != 7 || got[0].Header.Flags != unix.NLM_F_MULTI {
		t.Fatalf("decoded %+v", got)
	}
	// The last message may be unpadded.
	last := rawnl.Msg(unix.RTM_NEWLINK, 0, 1, 0, []byte{9})[:17]
	n := 0
	for m, err := range Messages(last) {
		if err != nil || len(m.Data) != 1 {
			t.Fatalf("unpadded: %+v %v", m, err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("unpadded: %d messages", n)
	}
}

func TestMessagesMalformed(t *testing.T) {
	good := rawnl.Msg(unix.RTM_NEWLINK, 0, 1, 0, []byte{1, 2, 3, 4})
	lying := rawnl.Msg(unix.RTM_NEWLINK, 0, 1, 0, nil)
	ne.PutUint32(lying, 1000)
	short := rawnl.Msg(unix.RTM_NEWLINK, 0, 1, 0, nil)
	ne.PutUint32(short, 8)
	for name, tail := range map[string][]byte{
		"truncated header": {1, 2, 3},
		"length too large": lying,
		"length too small": short,
	} {
		dgram := append(append([]byte(nil), good...), tail...)
		var msgs int
		var gotErr error
		for m, err := range Messages(dgram) {
			if err != nil {
				gotErr = err
				if m.Data != nil {
					t.Errorf("%s: error came with a message", name)
				}
				continue
			}
			msgs++
		}
		var fe *FrameError
		if msgs != 1 || !errors.Is(gotErr, ErrMalformed) || !errors.As(gotErr, &fe) || fe.Offset != len(good) {
			t.Errorf("%s: %d messages, error %v", name, msgs, gotErr)
		}
	}
}

// errorReply lays out an NLMSG_ERROR as the kernel's netlink_ack does.
func errorReply(errno unix.Errno, req []byte, capped bool, tlvs []byte) []byte {
	p := ne.AppendUint32(nil, negErrno(errno))
	flags := uint16(0)
	if capped || errno == 0 {
		p = append(p, req[:16]...)
		if errno != 0 {
			flags |= unix.NLM_F_CAPPED
		}
	} else {
		p = append(p, req...)
	}
	if tlvs != nil {
		flags |= unix.NLM_F_ACK_TLVS
		p = append(p, tlvs...)
	}
	return rawnl.Msg(unix.NLMSG_ERROR, flags, ne.Uint32(req[8:]), 0, p)
}

// sampleRequest builds an RTM_NEWLINK with IFLA_IFNAME and a nested
// IFLA_LINKINFO{IFLA_INFO_KIND, IFLA_INFO_DATA{1: u32}}.
func sampleRequest(t *testing.T) []byte {
	var b Builder
	b.Begin(unix.RTM_NEWLINK, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	b.Fixed(unix.SizeofIfInfomsg)
	b.String(unix.IFLA_IFNAME, "vx0")
	li := b.BeginNest(unix.IFLA_LINKINFO)
	b.String(unix.IFLA_INFO_KIND, "vxlan")
	data := b.BeginNest(unix.IFLA_INFO_DATA)
	b.Uint32(1, 42)
	b.EndNest(data)
	b.EndNest(li)
	b.End()
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), b.Bytes()...)
	ne.PutUint32(out[8:], 99) // as a socket would stamp it
	return out
}

func TestDecodeErrorWithExtAck(t *testing.T) {
	req := sampleRequest(t)
	// Offset of IFLA_INFO_DATA's child: header + ifinfomsg + IFNAME(8) +
	// LINKINFO hdr(4) + INFO_KIND(12) + INFO_DATA hdr(4).
	childOff := 16 + 16 + 8 + 4 + 12 + 4
	policy := bytes.Join([][]byte{
		rawnl.Attr(unix.NL_POLICY_TYPE_ATTR_TYPE, ne.AppendUint32(nil, unix.NL_ATTR_TYPE_U32)),
		rawnl.Attr(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, ne.AppendUint64(nil, 16777215)),
	}, nil)
	tlvs := bytes.Join([][]byte{
		rawnl.Attr(unix.NLMSGERR_ATTR_MSG, []byte("VXLAN ID out of range\x00")),
		rawnl.Attr(unix.NLMSGERR_ATTR_OFFS, ne.AppendUint32(nil, uint32(childOff))),
		rawnl.Attr(attrPolicy|unix.NLA_F_NESTED, policy),
	}, nil)
	for _, capped := range []bool{false, true} {
		reply := errorReply(unix.ERANGE, req, capped, tlvs)
		m, _, _, err := Next(reply)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := DecodeAck(m)
		if err != nil {
			t.Fatal(err)
		}
		if ack.Errno != unix.ERANGE || ack.Request.Seq != 99 || ack.Request.Type != unix.RTM_NEWLINK {
			t.Fatalf("capped=%v: ack %+v", capped, ack)
		}
		if (ack.Echo == nil) != capped {
			t.Fatalf("capped=%v: echo %d bytes", capped, len(ack.Echo))
		}
		err = ack.Err(func(uint16) int { return unix.SizeofIfInfomsg })
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, unix.ERANGE) {
			t.Fatalf("capped=%v: %v", capped, err)
		}
		if e.Message != "VXLAN ID out of range" || e.Offset != childOff || e.Policy == nil ||
			e.Policy.Type != unix.NL_ATTR_TYPE_U32 || e.Policy.MaxUnsigned != 16777215 ||
			e.Policy.Has&(1<<unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U) == 0 {
			t.Fatalf("capped=%v: %+v", capped, e)
		}
		wantPath := []uint16{unix.IFLA_LINKINFO, unix.IFLA_INFO_DATA, 1}
		if capped {
			wantPath = nil // nothing echoed to locate it in
		}
		if !slices.Equal(e.Attr, wantPath) {
			t.Fatalf("capped=%v: Attr = %v, want %v", capped, e.Attr, wantPath)
		}
		if !strings.Contains(e.Error(), "VXLAN ID out of range") || !strings.Contains(e.Error(), "result not representable") && !strings.Contains(e.Error(), "numerical result out of range") {
			t.Errorf("message %q", e.Error())
		}
	}
}

func TestDecodeAckSuccessAndWarning(t *testing.T) {
	req := sampleRequest(t)
	m, _, _, _ := Next(errorReply(0, req, false, nil))
	ack, err := DecodeAck(m)
	if err != nil || ack.Errno != 0 || ack.Err(nil) != nil || ack.Warning() != "" {
		t.Fatalf("plain ack: %+v %v", ack, err)
	}
	m, _, _, _ = Next(errorReply(0, req, false, rawnl.Attr(unix.NLMSGERR_ATTR_MSG, []byte("attribute ignored\x00"))))
	ack, err = DecodeAck(m)
	if err != nil || ack.Err(nil) != nil || ack.Warning() != "attribute ignored" {
		t.Fatalf("warning ack: %+v %v", ack, err)
	}
}

func TestDecodeAckMissingAttribute(t *testing.T) {
	req := sampleRequest(t)
	tlvs := bytes.Join([][]byte{
		rawnl.Attr(attrMissingType, ne.AppendUint32(nil, unix.IFLA_INFO_KIND)),
		rawnl.Attr(attrMissingNest, ne.AppendUint32(nil, 40)),
	}, nil)
	m, _, _, _ := Next(errorReply(unix.EINVAL, req, false, tlvs))
	ack, _ := DecodeAck(m)
	var e *Error
	if err := ack.Err(nil); !errors.As(err, &e) || e.MissingType != unix.IFLA_INFO_KIND || e.MissingNest != 40 || e.Offset != -1 {
		t.Fatalf("%+v", e)
	}
}

func TestDecodeDone(t *testing.T) {
	done := rawnl.Msg(unix.NLMSG_DONE, unix.NLM_F_MULTI|unix.NLM_F_ACK_TLVS, 3, 0,
		append(ne.AppendUint32(nil, negErrno(unix.EINVAL)), rawnl.Attr(unix.NLMSGERR_ATTR_MSG, []byte("Invalid header for link dump\x00"))...))
	m, _, _, _ := Next(done)
	ack, err := DecodeAck(m)
	if err != nil {
		t.Fatal(err)
	}
	err = ack.Err(nil)
	if !errors.Is(err, unix.EINVAL) || !strings.Contains(err.Error(), "Invalid header for link dump") {
		t.Fatalf("DONE error: %v", err)
	}
	m, _, _, _ = Next(rawnl.Msg(unix.NLMSG_DONE, unix.NLM_F_MULTI, 3, 0, nil))
	if ack, err := DecodeAck(m); err != nil || ack.Err(nil) != nil {
		t.Fatalf("empty DONE: %v %v", ack, err)
	}
}

func TestDecodeAckMalformed(t *testing.T) {
	for name, payload := range map[string][]byte{
		"short":      {1, 2},
		"lying echo": append(ne.AppendUint32(nil, negErrno(unix.EINVAL)), rawnl.Msg(unix.RTM_NEWLINK, 0, 1, 0, make([]byte, 40))[:24]...),
	} {
		m, _, _, err := Next(rawnl.Msg(unix.NLMSG_ERROR, 0, 1, 0, payload))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeAck(m); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Errno: unix.EEXIST, Offset: -1, MissingNest: -1, Op: "link add br0"})
	if !errors.Is(err, unix.EEXIST) || !errors.Is(err, fs.ErrExist) || errors.Is(err, unix.ENOENT) {
		t.Fatal("errors.Is does not see through *Error")
	}
	if got := err.Error(); !strings.HasPrefix(got, "link add br0: file exists") {
		t.Fatalf("Error() = %q", got)
	}
}

func TestBuilderLayout(t *testing.T) {
	var b Builder
	for i := 0; i < 2; i++ {
		b.Begin(unix.RTM_GETLINK, unix.NLM_F_DUMP)
		ifi := b.Fixed(unix.SizeofIfInfomsg)
		ifi[0] = unix.AF_UNSPEC
		b.Uint32(unix.IFLA_EXT_MASK, 1)
		b.End()
	}
	if b.Count() != 2 || b.Err() != nil {
		t.Fatalf("count %d err %v", b.Count(), b.Err())
	}
	one := rawnl.Msg(unix.RTM_GETLINK, unix.NLM_F_DUMP|unix.NLM_F_REQUEST, 0, 0,
		append(make([]byte, 16), rawnl.Attr(unix.IFLA_EXT_MASK, ne.AppendUint32(nil, 1))...))
	if want := append(append([]byte(nil), one...), one...); !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("built\n% x\nwant\n% x", b.Bytes(), want)
	}
	// Reuse: no allocation once the buffer is large enough.
	buf := b.Bytes()
	allocs := testing.AllocsPerRun(50, func() {
		b.Reset(buf)
		b.Begin(unix.RTM_GETLINK, unix.NLM_F_DUMP)
		b.Fixed(unix.SizeofIfInfomsg)
		b.Uint32(unix.IFLA_EXT_MASK, 1)
		b.End()
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per reused build", allocs)
	}
}

func TestBuilderMisuse(t *testing.T) {
	cases := map[string]func(b *Builder){
		"end without begin": func(b *Builder) { b.End() },
		"fixed outside":     func(b *Builder) { b.Fixed(4) },
		"double begin":      func(b *Builder) { b.Begin(1, 0); b.Begin(1, 0) },
		"unfinished":        func(b *Builder) { b.Begin(1, 0) },
		"open nest": func(b *Builder) {
			b.Begin(1, 0)
			b.BeginNest(1)
			b.End()
		},
	}
	for name, f := range cases {
		var b Builder
		f(&b)
		if b.Err() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRetryBounded(t *testing.T) {
	calls := 0
	err := Retry(context.Background(), 3, func(context.Context) error { calls++; return ErrDumpInterrupted })
	if calls != 3 || !errors.Is(err, ErrDumpInterrupted) {
		t.Fatalf("calls %d err %v", calls, err)
	}
	calls = 0
	err = Retry(context.Background(), 5, func(context.Context) error {
		calls++
		if calls < 3 {
			return ErrDumpInterrupted
		}
		return nil
	})
	if calls != 3 || err != nil {
		t.Fatalf("calls %d err %v", calls, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls = 0
	err = Retry(ctx, 5, func(context.Context) error { calls++; return ErrDumpInterrupted })
	if calls != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: calls %d err %v", calls, err)
	}
	other := errors.New("boom")
	if err := Retry(context.Background(), 5, func(context.Context) error { return other }); err != other {
		t.Fatalf("other error: %v", err)
	}
}

// dumpDatagram builds a datagram of n route-like messages.
func dumpDatagram(n int) []byte {
	var b Builder
	for i := 0; i < n; i++ {
		b.Begin(unix.RTM_NEWROUTE, unix.NLM_F_MULTI)
		b.Fixed(unix.SizeofRtMsg)
		b.Uint32(unix.RTA_TABLE, 254)
		b.Binary(unix.RTA_DST, []byte{10, byte(i >> 8), byte(i), 0})
		b.Binary(unix.RTA_GATEWAY, []byte{192, 0, 2, 1})
		b.Uint32(unix.RTA_OIF, 2)
		b.End()
	}
	return b.Bytes()
}

func TestIterateZeroAllocs(t *testing.T) {
	dgram := dumpDatagram(100)
	var x nla.Index
	allocs := testing.AllocsPerRun(20, func() {
		n := 0
		for m, err := range Messages(dgram) {
			if err != nil {
				t.Fatal(err)
			}
			x.Reset(nla.Chain(m.Data[unix.SizeofRtMsg:]))
			if _, ok := x.Get(unix.RTA_DST); !ok {
				t.Fatal("no dst")
			}
			n++
		}
		if n != 100 {
			t.Fatal(n)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocs iterating a dump datagram", allocs)
	}
}

func BenchmarkMessages(b *testing.B) {
	dgram := dumpDatagram(300)
	b.ReportAllocs()
	b.SetBytes(int64(len(dgram)))
	for i := 0; i < b.N; i++ {
		n := 0
		for _, err := range Messages(dgram) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 300 {
			b.Fatal(n)
		}
	}
}

func BenchmarkMessagesWithLookups(b *testing.B) {
	dgram := dumpDatagram(300)
	var x nla.Index
	b.ReportAllocs()
	b.SetBytes(int64(len(dgram)))
	for i := 0; i < b.N; i++ {
		for m, err := range Messages(dgram) {
			if err != nil {
				b.Fatal(err)
			}
			x.Reset(nla.Chain(m.Data[unix.SizeofRtMsg:]))
			a, _ := x.Get(unix.RTA_DST)
			g, _ := x.Get(unix.RTA_GATEWAY)
			o, _ := x.Get(unix.RTA_OIF)
			if len(a.Data)+len(g.Data)+len(o.Data) == 0 {
				b.Fatal("missing")
			}
		}
	}
}

func BenchmarkDecodeAck(b *testing.B) {
	var bld Builder
	bld.Begin(unix.RTM_NEWROUTE, unix.NLM_F_ACK)
	bld.Fixed(unix.SizeofRtMsg)
	bld.End()
	m, _, _, _ := Next(errorReply(0, bld.Bytes(), false, nil))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ack, err := DecodeAck(m)
		if err != nil || ack.Err(nil) != nil {
			b.Fatal(err)
		}
	}
}

// negErrno is the kernel's on-the-wire form of an error: -errno as an s32.
func negErrno(e unix.Errno) uint32 { return uint32(-int32(e)) }
