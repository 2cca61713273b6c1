package fuzz

import (
	"errors"
	"testing"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// FuzzWireMessages checks, on arbitrary datagrams, that framing never
// panics, that the messages it yields tile the datagram exactly, and that
// acknowledgement decoding, error construction and attribute location
// never panic and keep their invariants.
func FuzzWireMessages(f *testing.F) {
	var b wire.Builder
	b.Begin(unix.RTM_NEWLINK, unix.NLM_F_ACK)
	b.Fixed(unix.SizeofIfInfomsg)
	b.String(unix.IFLA_IFNAME, "br0")
	b.End()
	f.Add(b.Bytes())
	fixed := func(t uint16) int {
		switch {
		case t >= unix.RTM_NEWLINK && t <= unix.RTM_SETLINK:
			return unix.SizeofIfInfomsg
		case t >= unix.RTM_NEWROUTE && t <= unix.RTM_GETROUTE:
			return unix.SizeofRtMsg
		}
		return int(t % 24)
	}
	f.Fuzz(func(t *testing.T, dgram []byte) {
		covered := 0
		for m, err := range wire.Messages(dgram) {
			if err != nil {
				var fe *wire.FrameError
				if !errors.As(err, &fe) || fe.Offset != covered || !errors.Is(err, wire.ErrMalformed) {
					t.Fatalf("framing error %v at %d, covered %d", err, fe.Offset, covered)
				}
				return
			}
			if int(m.Header.Len) != wire.HeaderLen+len(m.Data) {
				t.Fatalf("header length %d, data %d", m.Header.Len, len(m.Data))
			}
			covered = min(covered+wire.Align(int(m.Header.Len)), len(dgram))
			if m.Header.Type == unix.NLMSG_ERROR || m.Header.Type == unix.NLMSG_DONE {
				ack, err := wire.DecodeAck(m)
				if err != nil {
					continue
				}
				_ = ack.Warning()
				if err := ack.Err(fixed); err != nil {
					var e *wire.Error
					if !errors.As(err, &e) || !errors.Is(err, ack.Errno) {
						t.Fatalf("ack error %v does not unwrap to %v", err, ack.Errno)
					}
					_ = e.Error()
				} else if ack.Errno != 0 {
					t.Fatalf("errno %v without an error", ack.Errno)
				}
			}
			// Locating any offset in any payload is safe.
			for _, off := range []int{0, 4, 16, len(m.Data) / 2, len(m.Data)} {
				_ = wire.Locate(m.Data, int(m.Header.Type%32), off)
			}
		}
		if covered != len(dgram) {
			t.Fatalf("messages cover %d of %d bytes", covered, len(dgram))
		}
	})
}

// FuzzWireBuilder checks that whatever a Builder accepts frames back into
// the same messages.
func FuzzWireBuilder(f *testing.F) {
	f.Add(uint16(16), uint16(5), "veth0", []byte{1, 2, 3}, uint8(2))
	f.Fuzz(func(t *testing.T, typ, flags uint16, name string, blob []byte, count uint8) {
		var b wire.Builder
		for i := 0; i < int(count%8); i++ {
			b.Begin(typ, flags)
			b.Fixed(int(typ % 24))
			b.String(1, name)
			b.Binary(2, blob)
			b.End()
		}
		if b.Err() != nil {
			return // a NUL in name, or an oversized blob
		}
		n := 0
		for m, err := range wire.Messages(b.Bytes()) {
			if err != nil {
				t.Fatal(err)
			}
			if m.Header.Type != typ || m.Header.Flags != flags|unix.NLM_F_REQUEST {
				t.Fatalf("header %+v", m.Header)
			}
			n++
		}
		if n != int(count%8) || b.Count() != n {
			t.Fatalf("built %d messages, framed %d", b.Count(), n)
		}
	})
}
