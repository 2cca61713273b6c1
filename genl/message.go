package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Message is a view of one generic-netlink message: its netlink header,
// its genlmsghdr (command and version) and its attributes, which follow
// the family's own header, if it has one. It aliases the receive buffer:
// in a dump it is valid until the next iteration; [Message.Clone]
// detaches it.
type Message struct {
	// Header is the netlink header; Header.Type is the family id.
	Header unix.NlMsghdr
	// Command is the genlmsghdr's cmd: the family's operation.
	Command uint8
	// Version is the genlmsghdr's version.
	Version uint8
	// User is the family's own fixed header (Family.HeaderSize bytes,
	// most families have none).
	User []byte
	// Attrs are the message's attributes.
	Attrs nla.Chain
}

// ErrShort is matched (errors.Is) by the error of a message too short for
// its genlmsghdr and the family's header.
var ErrShort = errors.New("genl: message shorter than its headers")

// Decode returns the view of m, a generic-netlink message whose family
// has a user header of hdrsize bytes (0 for most). It allocates nothing
// unless m is malformed.
func Decode(m wire.Message, hdrsize int) (Message, error) {
	if hdrsize < 0 || len(m.Data) < unix.GENL_HDRLEN+hdrsize {
		return Message{}, fmt.Errorf("%w: %d bytes, want %d", ErrShort, len(m.Data), unix.GENL_HDRLEN+max(hdrsize, 0))
	}
	off := nla.Align(unix.GENL_HDRLEN + hdrsize)
	if off > len(m.Data) {
		off = len(m.Data)
	}
	return Message{
		Header:  m.Header,
		Command: m.Data[0],
		Version: m.Data[1],
		User:    m.Data[unix.GENL_HDRLEN : unix.GENL_HDRLEN+hdrsize],
		Attrs:   nla.Chain(m.Data[off:]),
	}, nil
}

// Clone returns a copy of m that does not alias the receive buffer.
func (m Message) Clone() Message {
	buf := make([]byte, len(m.User)+len(m.Attrs))
	copy(buf, m.User)
	copy(buf[len(m.User):], m.Attrs)
	m.User = buf[:len(m.User):len(m.User)]
	m.Attrs = nla.Chain(buf[len(m.User):])
	return m
}

// Request is a generic-netlink request to a family.
type Request struct {
	// Command is the family's operation (genlmsghdr's cmd).
	Command uint8
	// Version, if not zero, replaces the family's version in the
	// genlmsghdr.
	Version uint8
	// Flags are netlink flags beyond those of the exchange (NLM_F_REQUEST,
	// NLM_F_ACK, NLM_F_DUMP are set by Do, Query and Dump): NLM_F_CREATE,
	// NLM_F_EXCL, NLM_F_ECHO...
	Flags uint16
	// User is the family's own fixed header, if it has one; it must be
	// Family.HeaderSize bytes long.
	User []byte
	// Attrs, if not nil, appends the request's attributes.
	Attrs func(e *nla.Encoder)
}

// build writes r, to family f, into a pooled builder.
func (h *Handle) build(f *Family, r *Request, flags uint16) *wire.Builder {
	b := h.newBuilder()
	h.append(b, f, r, flags)
	return b
}

// append writes r, to family f, into b after what b holds.
func (h *Handle) append(b *wire.Builder, f *Family, r *Request, flags uint16) {
	b.Begin(f.ID, flags|r.Flags)
	hdr := b.Fixed(unix.GENL_HDRLEN)
	if hdr != nil {
		hdr[0] = r.Command
		hdr[1] = r.Version
		if r.Version == 0 {
			hdr[1] = uint8(f.Version)
		}
	}
	if len(r.User) != int(f.HeaderSize) {
		b.Fail(fmt.Errorf("family %s: a user header of %d bytes, want %d", f.Name, len(r.User), f.HeaderSize))
	} else if len(r.User) > 0 {
		if u := b.Fixed(nla.Align(len(r.User))); u != nil {
			copy(u, r.User)
		}
	}
	if r.Attrs != nil {
		r.Attrs(&b.Encoder)
	}
	b.End()
}

// check refuses what cannot be sent: no family, or one never resolved.
func check(f *Family) error {
	if f == nil || f.ID == 0 {
		return errors.New("genl: request to an unresolved family")
	}
	return nil
}

// ErrOpNotSupported is matched (errors.Is) by the error of a request for
// an operation the family lacks in the running kernel (an operation added
// by a later kernel), as is unix.EOPNOTSUPP, the kernel's answer to it.
var ErrOpNotSupported = errors.New("genl: operation not supported")

// OpNotSupportedError is the error of a request for an operation that the
// family, as the running kernel registered it, lacks or cannot do that way
// (a dump of an operation without one): refused before anything is sent.
type OpNotSupportedError struct {
	// Family is the family's name.
	Family string
	// Command is the operation asked for.
	Command uint8
	// Dump says that a dump was asked for.
	Dump bool
}

// Error names the family and the operation.
func (e *OpNotSupportedError) Error() string {
	how := "operation"
	if e.Dump {
		how = "dump of operation"
	}
	return fmt.Sprintf("genl: family %s has no %s %d in the running kernel", e.Family, how, e.Command)
}

// Is makes errors.Is(err, ErrOpNotSupported) and errors.Is(err,
// unix.EOPNOTSUPP) true.
func (e *OpNotSupportedError) Is(target error) bool {
	return target == ErrOpNotSupported || target == unix.EOPNOTSUPP
}

// checkOp refuses a request for an operation that f, as the kernel
// described it, lacks, or lacks the dump or do of. A family described
// without operations (Ctrl, or one built by hand) is not checked, nor
// is an operation whose flags say neither.
func checkOp(f *Family, cmd uint8, dump bool) error {
	if len(f.Ops) == 0 {
		return nil
	}
	flags, ok := f.Op(uint32(cmd))
	want := uint32(unix.GENL_CMD_CAP_DO)
	if dump {
		want = unix.GENL_CMD_CAP_DUMP
	}
	if !ok || flags&(unix.GENL_CMD_CAP_DO|unix.GENL_CMD_CAP_DUMP) != 0 && flags&want == 0 {
		return &OpNotSupportedError{Family: f.Name, Command: cmd, Dump: dump}
	}
	return nil
}

// op names a request in errors: "FAMILY command N".
func op(f *Family, cmd uint8) string {
	if f == nil {
		return fmt.Sprintf("command %d", cmd)
	}
	return fmt.Sprintf("%s command %d", f.Name, cmd)
}

// Do sends r to family f and waits for the kernel's acknowledgement.
// onReply, if not nil, sees each reply before it (with NLM_F_ECHO in
// r.Flags, the kernel echoes what it did); a view is valid during the
// call only.
func (h *Handle) Do(ctx context.Context, f *Family, r Request, onReply func(Message) error) error {
	if err := check(f); err != nil {
		return err
	}
	if err := checkOp(f, r.Command, false); err != nil {
		return err
	}
	return h.exchange(ctx, f, &r, unix.NLM_F_ACK, false, onReply)
}

// Query sends the get request r to family f and passes the kernel's reply
// to onReply (a view valid during the call only); no acknowledgement is
// asked for.
func (h *Handle) Query(ctx context.Context, f *Family, r Request, onReply func(Message) error) error {
	if err := check(f); err != nil {
		return err
	}
	if err := checkOp(f, r.Command, false); err != nil {
		return err
	}
	return h.exchange(ctx, f, &r, 0, true, onReply)
}

func (h *Handle) exchange(ctx context.Context, f *Family, r *Request, flags uint16, query bool, onReply func(Message) error) error {
	if ctx == nil {
		return errNilContext
	}
	if h == nil {
		return errNilHandle
	}
	b := h.build(f, r, flags)
	defer h.builder.Put(b)
	if err := b.Err(); err != nil {
		return fmt.Errorf("genl: %s: %w", op(f, r.Command), err)
	}
	c, err := h.get(ctx)
	if err != nil {
		return err
	}
	defer h.discard(&c)
	hdrsize := int(f.HeaderSize)
	var each func(wire.Message) error
	if onReply != nil {
		each = func(m wire.Message) error {
			v, err := Decode(m, hdrsize)
			if err != nil {
				return err
			}
			return onReply(v)
		}
	}
	if query {
		err = c.Query(ctx, b.Bytes(), each)
	} else {
		err = c.Execute(ctx, b.Bytes(), each)
	}
	h.put(&c)
	if err != nil {
		return opError(op(f, r.Command), err)
	}
	return nil
}

// Dump sends the dump request r to family f and yields a view of each
// message of the reply, valid until the next iteration (Clone keeps one).
// Iterating allocates nothing per message. Breaking out of the loop, or a
// panic in its body, stops the dump; the handle stays usable.
func (h *Handle) Dump(ctx context.Context, f *Family, r Request) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		if err := check(f); err != nil {
			yield(Message{}, err)
			return
		}
		if err := checkOp(f, r.Command, true); err != nil {
			yield(Message{}, err)
			return
		}
		if ctx == nil {
			yield(Message{}, errNilContext)
			return
		}
		if h == nil {
			yield(Message{}, errNilHandle)
			return
		}
		hdrsize := int(f.HeaderSize)
		for m, err := range h.dump(ctx, op(f, r.Command), h.build(f, &r, unix.NLM_F_DUMP)) {
			if err != nil {
				yield(Message{}, err)
				return
			}
			v, err := Decode(m, hdrsize)
			if err != nil {
				yield(Message{}, fmt.Errorf("genl: %s: %w", op(f, r.Command), err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}
