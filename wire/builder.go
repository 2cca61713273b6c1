package wire

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Builder writes requests, each a header, a fixed family header and
// attributes, back to back into one reusable buffer. The embedded
// [nla.Encoder] appends the attributes of the message being built.
//
// Sequence numbers are left zero: the socket that sends the buffer stamps
// them, so that one Builder's output can be sent on any socket.
//
//	var b wire.Builder
//	b.Begin(unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE)
//	ifi := b.Fixed(unix.SizeofIfInfomsg)
//	b.String(unix.IFLA_IFNAME, "br0")
//	b.End()
type Builder struct {
	nla.Encoder
	start int  // offset of the open message's header
	open  bool // a message is begun and not ended
	count int
}

// The zero Builder is ready to use.

// Reset makes b build into buf from its start, forgetting earlier messages
// and errors. Passing the previous b.Bytes()[:0] reuses the buffer.
func (b *Builder) Reset(buf []byte) {
	b.Encoder.Reset(buf[:0])
	b.start, b.open, b.count = 0, false, 0
}

// Begin starts a message of type typ with flags. NLM_F_REQUEST is always
// set: the kernel ignores requests without it.
func (b *Builder) Begin(typ, flags uint16) {
	if b.open {
		b.failf("wire: Begin while the message at offset %d is still open", b.start)
		return
	}
	start := b.Len()
	hdr := b.Reserve(HeaderLen)
	if hdr == nil {
		return
	}
	PutHeader(hdr, unix.NlMsghdr{Type: typ, Flags: flags | unix.NLM_F_REQUEST})
	b.start, b.open = start, true
}

// Fixed appends the n-byte fixed family header of the open message and
// returns it, zeroed, for the caller to fill.
func (b *Builder) Fixed(n int) []byte {
	if !b.open {
		b.failf("wire: Fixed outside a message")
		return nil
	}
	return b.Reserve(n)
}

// End finishes the open message, writing its length.
func (b *Builder) End() {
	if b.Encoder.Err() != nil {
		return
	}
	if !b.open {
		b.failf("wire: End without Begin")
		return
	}
	buf := b.Bytes()
	size := len(buf) - b.start
	native.PutUint32(buf[b.start:], uint32(size))
	b.open = false
	b.count++
}

// Count returns the number of finished messages.
func (b *Builder) Count() int { return b.count }

// Err returns the first error met while building, including a message
// begun and not ended.
func (b *Builder) Err() error {
	if err := b.Encoder.Err(); err != nil {
		return err
	}
	if b.open {
		return errors.New("wire: message begun and not ended")
	}
	return nil
}

func (b *Builder) failf(format string, args ...any) {
	b.Encoder.Fail(fmt.Errorf(format, args...))
}
