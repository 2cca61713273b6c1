package wire

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Extended-ACK attribute types newer than golang.org/x/sys/unix knows
// (enum nlmsgerr_attrs in linux/netlink.h).
const (
	attrPolicy      = 4 // NLMSGERR_ATTR_POLICY
	attrMissingType = 5 // NLMSGERR_ATTR_MISS_TYPE
	attrMissingNest = 6 // NLMSGERR_ATTR_MISS_NEST
)

// FixedLenFunc returns the length of the fixed family header (struct
// ifinfomsg, struct rtmsg, ...) that starts the payload of a request of the
// given message type, or -1 when it is unknown. Knowing it lets an
// extended-ACK offset be located among the request's attributes.
type FixedLenFunc func(msgType uint16) int

// Ack is a decoded NLMSG_ERROR or NLMSG_DONE payload. Its byte slices alias
// the received datagram; [Ack.Err] copies what it keeps.
type Ack struct {
	// Errno is 0 for a successful acknowledgement or dump.
	Errno unix.Errno
	// Request is the header of the request acknowledged, as the kernel
	// echoed it (NLMSG_ERROR only).
	Request unix.NlMsghdr
	// Echo is the request's payload as the kernel echoed it: present on
	// failures unless NETLINK_CAP_ACK is set.
	Echo []byte
	// TLVs is the extended ACK (NLMSGERR_ATTR_*), present when
	// NETLINK_EXT_ACK is set and the kernel had something to say.
	TLVs nla.Chain
}

// DecodeAck decodes the payload of an NLMSG_ERROR or NLMSG_DONE message.
func DecodeAck(m Message) (Ack, error) {
	d := m.Data
	var a Ack
	switch m.Header.Type {
	case unix.NLMSG_DONE:
		// Old kernels and some families end dumps with an empty DONE.
		if len(d) < 4 {
			return a, nil
		}
		a.Errno = errnoFrom(int32(native.Uint32(d)))
		if m.Header.Flags&unix.NLM_F_ACK_TLVS != 0 {
			a.TLVs = nla.Chain(d[4:])
		}
		return a, nil
	case unix.NLMSG_ERROR:
	default:
		return a, fmt.Errorf("wire: message type %d is neither NLMSG_ERROR nor NLMSG_DONE", m.Header.Type)
	}
	if len(d) < 4+HeaderLen {
		return a, &FrameError{Reason: fmt.Sprintf("NLMSG_ERROR payload of %d bytes, want at least %d", len(d), 4+HeaderLen)}
	}
	a.Errno = errnoFrom(int32(native.Uint32(d)))
	a.Request = DecodeHeader(d[4:])
	rest := d[4+HeaderLen:]
	// The kernel echoes the request's payload on failures, unless the
	// socket capped acks, and then says so with NLM_F_CAPPED.
	if a.Errno != 0 && m.Header.Flags&unix.NLM_F_CAPPED == 0 && a.Request.Len >= HeaderLen {
		n := int(a.Request.Len) - HeaderLen
		if n > len(rest) {
			return a, &FrameError{Reason: fmt.Sprintf("NLMSG_ERROR echoes a %d-byte request in %d bytes", a.Request.Len, len(rest)+HeaderLen)}
		}
		a.Echo, rest = rest[:n:n], rest[min(Align(n), len(rest)):]
	}
	if m.Header.Flags&unix.NLM_F_ACK_TLVS != 0 {
		a.TLVs = nla.Chain(rest)
	}
	return a, nil
}

// errnoFrom turns the kernel's negative error code into an Errno.
func errnoFrom(code int32) unix.Errno {
	if code < 0 {
		return unix.Errno(-code)
	}
	return unix.Errno(code)
}

// Warning returns the extended-ACK message of a successful acknowledgement:
// the kernel's warning about a request it accepted. It is empty when there
// is none.
func (a Ack) Warning() string {
	if a.Errno != 0 {
		return ""
	}
	m, _ := a.TLVs.Get(unix.NLMSGERR_ATTR_MSG)
	s, _ := m.Text()
	return s
}

// Err returns nil for a successful acknowledgement and otherwise an
// [*Error] that owns copies of everything it reports. fixedLen, which may
// be nil, lets the error locate the attribute an extended-ACK offset points
// at within the echoed request.
func (a Ack) Err(fixedLen FixedLenFunc) error {
	if a.Errno == 0 {
		return nil
	}
	e := &Error{Errno: a.Errno, Request: a.Request, Offset: -1, MissingNest: -1}
	if m, ok := a.TLVs.Get(unix.NLMSGERR_ATTR_MSG); ok {
		e.Message, _ = m.Text()
	}
	if o, ok := a.TLVs.Get(unix.NLMSGERR_ATTR_OFFS); ok {
		if v, err := o.Uint32(); err == nil {
			e.Offset = int(v)
		}
	}
	if t, ok := a.TLVs.Get(attrMissingType); ok {
		if v, err := t.Uint32(); err == nil {
			e.MissingType = uint16(v)
		}
	}
	if n, ok := a.TLVs.Get(attrMissingNest); ok {
		if v, err := n.Uint32(); err == nil {
			e.MissingNest = int(v)
		}
	}
	if c, ok := a.TLVs.Get(unix.NLMSGERR_ATTR_COOKIE); ok {
		e.Cookie = append([]byte(nil), c.Data...)
	}
	if p, ok := a.TLVs.Get(attrPolicy); ok {
		e.Policy = decodePolicy(p.Nested())
	}
	if e.Offset >= 0 && a.Echo != nil && fixedLen != nil {
		if fixed := fixedLen(a.Request.Type); fixed >= 0 {
			e.Attr = Locate(a.Echo, fixed, e.Offset-HeaderLen)
		}
	}
	return e
}

// Locate finds the attribute that starts at byte offset off of a request
// payload (the bytes after its nlmsghdr) whose fixed family header is fixed
// bytes long, descending into nested attributes. It returns the path of
// attribute types from the outermost, or nil when off does not fall on an
// attribute.
func Locate(payload []byte, fixed, off int) []uint16 {
	if fixed < 0 || fixed > len(payload) || off < fixed {
		return nil
	}
	var path []uint16
	base := min(Align(fixed), len(payload))
	chain := nla.Chain(payload[base:])
	for {
		found := false
		pos := base
		for a := range chain.All() {
			size := nla.Align(4 + len(a.Data))
			if off >= pos && off < pos+size {
				path = append(path, a.Kind())
				if off == pos || len(a.Data) < 4 {
					return path
				}
				chain, base = a.Nested(), pos+4
				found = true
				break
			}
			pos += size
		}
		if !found {
			if len(path) == 0 {
				return nil
			}
			return path
		}
	}
}

// Policy is the attribute policy an extended ACK says a request violated
// (NLMSGERR_ATTR_POLICY). Fields the kernel did not send are zero; Has
// tells which it sent.
type Policy struct {
	Type        uint32 // NL_ATTR_TYPE_*
	MinSigned   int64
	MaxSigned   int64
	MinUnsigned uint64
	MaxUnsigned uint64
	MinLength   uint32
	MaxLength   uint32
	Mask        uint64
	// Has is a bit set of the NL_POLICY_TYPE_ATTR_* types present.
	Has uint32
}

func decodePolicy(c nla.Chain) *Policy {
	p := &Policy{}
	for a := range c.All() {
		k := a.Kind()
		if k < 32 {
			p.Has |= 1 << k
		}
		switch k {
		case unix.NL_POLICY_TYPE_ATTR_TYPE:
			p.Type, _ = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			p.MinSigned, _ = a.Int64()
		case unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			p.MaxSigned, _ = a.Int64()
		case unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			p.MinUnsigned, _ = a.Uint64()
		case unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			p.MaxUnsigned, _ = a.Uint64()
		case unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			p.MinLength, _ = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			p.MaxLength, _ = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MASK:
			p.Mask, _ = a.Uint64()
		}
	}
	return p
}

// Error is an error the kernel reported for a request or a dump. It
// unwraps to its [unix.Errno].
type Error struct {
	Errno unix.Errno
	// Message is the kernel's extended-ACK explanation, if any.
	Message string
	// Offset is the byte offset, from the start of the request's
	// nlmsghdr, of the attribute the kernel rejected; -1 when not given.
	Offset int
	// Attr is the path of attribute types (outermost first) that Offset
	// points at, when it could be located; see [Locate].
	Attr []uint16
	// MissingType is the type of a required attribute the request lacked;
	// 0 when not given.
	MissingType uint16
	// MissingNest is the offset of the nest that lacked MissingType; -1
	// when the attribute was missing at the top level or not given.
	MissingNest int
	// Policy is the policy the rejected attribute violated, when given.
	Policy *Policy
	// Cookie is the subsystem-specific extended-ACK cookie, when given.
	Cookie []byte
	// Request is the header of the failed request (NLMSG_ERROR only).
	Request unix.NlMsghdr
	// Op, when set by a higher layer, names the operation that failed,
	// such as "link add veth0"; it prefixes the message.
	Op string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Errno.Error())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Attr) > 0 {
		fmt.Fprintf(&b, " (attribute %v at offset %d)", e.Attr, e.Offset)
	} else if e.Offset >= 0 {
		fmt.Fprintf(&b, " (at offset %d)", e.Offset)
	}
	if e.MissingType != 0 {
		fmt.Fprintf(&b, " (missing attribute %d", e.MissingType)
		if e.MissingNest >= 0 {
			fmt.Fprintf(&b, " in the nest at offset %d", e.MissingNest)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the Errno, so that errors.Is(err, unix.EEXIST) works.
func (e *Error) Unwrap() error { return e.Errno }

// ErrDumpInterrupted reports a dump during which the kernel's object list
// changed (NLM_F_DUMP_INTR): every message was delivered, but the set may be
// inconsistent. Dump again to get a consistent one; see [Retry].
var ErrDumpInterrupted = errors.New("wire: dump interrupted by a concurrent change (NLM_F_DUMP_INTR); results may be inconsistent")
