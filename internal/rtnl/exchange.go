package rtnl

import (
	"syscall"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
)

// DumpReq describes a dump that a package other than rtm (rtm/tc, ...) runs
// through an rtm.Handle (Handle.RunDump), so that rtm need not import it.
// The handle streams the replies as its own dumps do: one attribute index
// for the whole dump, rebuilt for each message, no allocation per object.
type DumpReq struct {
	// Op names the dump in errors ("qdisc show").
	Op string
	// What names one message in errors ("qdisc").
	What string
	// Type is the type of the messages the dump yields (RTM_NEWQDISC);
	// messages of other types are skipped.
	Type uint16
	// HeaderLen is the length of the fixed header that starts each
	// message (the tcmsg); a shorter message ends the dump in an error.
	HeaderLen int
	// Request appends the dump request (Begin, fixed header, attributes,
	// End) to b.
	Request func(b *wire.Builder) error
	// Identity, if set, appends to key the bytes that identify the
	// object of a message: the kernel resumes tc dumps by position, and
	// an object that comes twice is dropped and ends the dump in
	// wire.ErrDumpInterrupted.
	Identity func(data []byte, key []byte) []byte
	// Removed, if not zero, is the type of the notifications (in group
	// Group) that remove the dump's objects: the dump watches for them
	// while it runs and ends in wire.ErrDumpInterrupted when one may
	// have made it skip an object.
	Removed uint16
	// Group is the multicast group of Removed's notifications.
	Group uint32
	// Each receives the payload of every message of type Type and the
	// index of its attributes (valid until Each returns), or the error
	// that ends the dump (with nil data). It returns false to stop.
	Each func(data []byte, idx *nla.Index, err error) bool
}

// GetReq describes a request answered by one object, which a package other
// than rtm sends through an rtm.Handle (Handle.RunGet).
type GetReq struct {
	// Op names the request in errors ("qdisc get").
	Op string
	// Type is the type of the reply (RTM_NEWQDISC); others are skipped.
	Type uint16
	// Missing is the errno by which the kernel says the object does not
	// exist: it then also matches rtm.ErrNotFound. Zero if none.
	Missing syscall.Errno
	// Request appends the request to b.
	Request func(b *wire.Builder) error
	// Reply receives the payload of the reply, which it may keep: it is
	// a copy.
	Reply func(data []byte) error
}
