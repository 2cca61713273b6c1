package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"
)

// HeaderLen is the size of struct nlmsghdr.
const HeaderLen = unix.SizeofNlMsghdr

// Align rounds n up to the 4-byte message alignment (NLMSG_ALIGN).
func Align(n int) int { return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1) }

var native = binary.NativeEndian

// Message is one netlink message. Data aliases the buffer it was read from
// and is valid only as long as that buffer is.
type Message struct {
	Header unix.NlMsghdr
	// Data is the payload after the header: the fixed family header (such
	// as struct ifinfomsg) followed by attributes.
	Data []byte
}

// DecodeHeader reads a struct nlmsghdr from the start of b, which must hold
// at least [HeaderLen] bytes.
func DecodeHeader(b []byte) unix.NlMsghdr {
	_ = b[HeaderLen-1]
	return unix.NlMsghdr{
		Len:   native.Uint32(b[0:]),
		Type:  native.Uint16(b[4:]),
		Flags: native.Uint16(b[6:]),
		Seq:   native.Uint32(b[8:]),
		Pid:   native.Uint32(b[12:]),
	}
}

// PutHeader writes h to the start of b, which must hold at least
// [HeaderLen] bytes.
func PutHeader(b []byte, h unix.NlMsghdr) {
	_ = b[HeaderLen-1]
	native.PutUint32(b[0:], h.Len)
	native.PutUint16(b[4:], h.Type)
	native.PutUint16(b[6:], h.Flags)
	native.PutUint32(b[8:], h.Seq)
	native.PutUint32(b[12:], h.Pid)
}

// ErrMalformed is matched, through errors.Is, by every [*FrameError].
var ErrMalformed = errors.New("wire: malformed netlink message")

// FrameError reports a datagram whose messages do not frame correctly: a
// truncated header or a length field that lies.
type FrameError struct {
	Offset int    // byte offset of the bad message header in the datagram
	Reason string // what is wrong with it
}

func (e *FrameError) Error() string {
	return fmt.Sprintf("wire: malformed netlink message at offset %d: %s", e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrMalformed) true for every FrameError.
func (e *FrameError) Is(target error) bool { return target == ErrMalformed }

// Next splits the first message off b. It returns the message and the rest
// of b after it; at the end of b it returns an empty rest and ok=false with
// a nil error. A header that is truncated or whose length is impossible
// yields a [*FrameError]. It never reads outside b.
func Next(b []byte) (m Message, rest []byte, ok bool, err error) {
	if len(b) == 0 {
		return Message{}, nil, false, nil
	}
	if len(b) < HeaderLen {
		return Message{}, nil, false, &FrameError{Reason: fmt.Sprintf("%d bytes left, shorter than a header", len(b))}
	}
	n := native.Uint32(b)
	if n < HeaderLen || uint64(n) > uint64(len(b)) {
		return Message{}, nil, false, &FrameError{Reason: fmt.Sprintf("length %d outside [%d, %d]", n, HeaderLen, len(b))}
	}
	m = Message{Header: DecodeHeader(b), Data: b[HeaderLen:n:n]}
	// The last message of a datagram may lack its padding.
	return m, b[min(Align(int(n)), len(b)):], true, nil
}

// Messages yields the messages of datagram b in order. A framing error is
// yielded once, with a zero Message, and ends the sequence; FrameError's
// Offset is relative to the start of b.
func Messages(b []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		rest := b
		for {
			m, next, ok, err := Next(rest)
			if err != nil {
				// Next returns a bare *FrameError.
				if fe, ok := err.(*FrameError); ok {
					fe.Offset = len(b) - len(rest)
				}
				yield(Message{}, err)
				return
			}
			if !ok || !yield(m, nil) {
				return
			}
			rest = next
		}
	}
}
