package socket

import (
	"fmt"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// ErrOverrun reports that the kernel dropped messages for this socket
// because its receive queue was full (ENOBUFS). What was lost cannot be
// recovered from the socket: a subscriber must resynchronise, for instance
// by dumping again. The socket itself stays usable. errors.Is(err,
// unix.ENOBUFS) is true for it as well.
var ErrOverrun error = overrunError{}

type overrunError struct{}

func (overrunError) Error() string {
	return "socket: receive queue overrun (ENOBUFS): the kernel dropped messages"
}

func (overrunError) Is(target error) bool { return target == unix.ENOBUFS }

// TruncatedError reports a datagram larger than the receive buffer. The
// datagram is lost; the buffer has been grown to fit it, and the socket
// checks sizes before receiving from then on, so that it cannot happen
// twice. Requests that make the kernel send very large messages (link
// dumps with VF information on SR-IOV hosts) should turn peeking on
// beforehand with [Conn.SetPeek], as the rtm package does.
type TruncatedError struct {
	Size   int // the datagram's size
	Buffer int // the buffer's size when it arrived
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("socket: %d-byte datagram truncated by a %d-byte receive buffer and lost", e.Size, e.Buffer)
}

// AckError returns the error a failed acknowledgement ack of req means,
// as every [Transport] reports it: ack's error, naming the attribute of
// req the kernel rejected (found through cfg.FixedLen) when the kernel
// gave only its offset.
func (cfg *Config) AckError(ack wire.Ack, req []byte) error {
	err := ack.Err(cfg.FixedLen)
	// Ack.Err returns a bare *wire.Error: a type assertion, not
	// errors.As, whose reflection every program would carry.
	e, ok := err.(*wire.Error)
	if ok && e.Attr == nil && e.Offset >= wire.HeaderLen && cfg.FixedLen != nil && len(req) >= wire.HeaderLen {
		if fixed := cfg.FixedLen(e.Request.Type); fixed >= 0 {
			e.Attr = wire.Locate(req[wire.HeaderLen:], fixed, e.Offset-wire.HeaderLen)
		}
	}
	return err
}

// DumpEndError returns the error that m, the NLMSG_DONE or NLMSG_ERROR
// ending a dump of req, means, as every [Transport]'s Dump reports it:
// the kernel's error, or else wire.ErrDumpInterrupted when interrupted
// says a message of the dump was flagged NLM_F_DUMP_INTR, or else nil.
func (cfg *Config) DumpEndError(m wire.Message, req []byte, interrupted bool) error {
	ack, err := wire.DecodeAck(m)
	if err == nil && ack.Errno != 0 {
		err = cfg.AckError(ack, req)
	}
	if err == nil && interrupted {
		err = wire.ErrDumpInterrupted
	}
	return err
}

// ReportWarning passes the extended-ACK warning of a successful ack, if
// it has one, to cfg.Warn, as every [Transport] does.
func (cfg *Config) ReportWarning(ack wire.Ack) {
	if cfg.Warn != nil {
		if w := ack.Warning(); w != "" {
			cfg.Warn(ack.Request, w)
		}
	}
}
