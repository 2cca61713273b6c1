package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// NetnsIDAuto asks the kernel to choose the id in a [NetnsIDSpec]
// ("ip netns set NAME auto"); it is also the id a namespace without one
// reports (NETNSA_NSID_NOT_ASSIGNED).
const NetnsIDAuto int32 = -1

// NetnsID is a view of one RTM_NEWNSID message: the id that the
// namespace the handle works in (or the target namespace of the dump)
// gives a peer namespace ("ip netns list-id"). A NetnsID yielded by a
// dump is valid until the next iteration; Clone detaches it.
type NetnsID struct{ view[netconfmsg] }

// NetnsIDFromBytes returns the NetnsID in a message payload (the bytes
// after nlmsghdr), for decoding captured messages.
func NetnsIDFromBytes(b []byte) (NetnsID, error) { return viewOf[NetnsID](&nsidMsgs, b, nil) }

// Clone returns a copy of n that owns its bytes.
func (n NetnsID) Clone() NetnsID { return NetnsID{n.clone()} }

// ID returns NETNSA_NSID, or [NetnsIDAuto] (-1, not assigned) when it is
// absent.
func (n NetnsID) ID() int32 {
	if v, ok := n.i32(unix.NETNSA_NSID); ok {
		return v
	}
	return NetnsIDAuto
}

// CurrentID returns NETNSA_CURRENT_NSID: in a dump of another
// namespace's ids ([NetnsIDFilter.TargetID]), the id that the handle's
// namespace gives the same peer, when it gives one.
func (n NetnsID) CurrentID() (int32, bool) { return n.i32(unix.NETNSA_CURRENT_NSID) }

// Get returns an attribute by pyroute2-style name ("nsid",
// "current_nsid").
func (n NetnsID) Get(path ...string) (Value, bool) {
	return schema.Lookup(netnsIDSchema, n.index(), n.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (n NetnsID) Attrs() iter.Seq2[string, Value] { return schema.All(netnsIDSchema, n.Chain()) }

// NetnsIDFilter selects the ids a dump returns.
type NetnsIDFilter struct {
	// TargetID lists the ids of the namespace that has this id in the
	// handle's namespace, instead of the handle's own ("ip netns list-id
	// target-nsid ID"); each then carries CurrentID. Kernel-side.
	TargetID Opt[int32]
	// ID keeps one id ("ip netns list-id nsid ID"). User space.
	ID Opt[int32]
}

// NetnsIDs streams the ids the handle's namespace (or f's target) gives
// its peers ("ip netns list-id"). Each NetnsID is valid until the next
// iteration; iterating allocates nothing per id.
func (h *Handle) NetnsIDs(ctx context.Context, f *NetnsIDFilter) iter.Seq2[NetnsID, error] {
	return func(yield func(NetnsID, error) bool) {
		if f != nil {
			if t, ok := f.TargetID.Get(); ok && t < 0 {
				yield(NetnsID{}, fmt.Errorf("rtm: nsid dump: invalid target id %d", t))
				return
			}
		}
		b, _ := h.newRequest(unix.RTM_GETNSID, unix.NLM_F_DUMP, len(netconfmsg{}), 0)
		if f != nil {
			if t, ok := f.TargetID.Get(); ok {
				b.Uint32(unix.NETNSA_TARGET_NSID, uint32(t))
			}
		}
		b.End()
		dumpOf(ctx, h, "nsid dump", &nsidMsgs, b, dumpRun{}, func(v view[netconfmsg], err error) bool {
			n := NetnsID{v}
			if err == nil && f != nil {
				if id, ok := f.ID.Get(); ok && n.ID() != id {
					return true
				}
			}
			return yield(n, err)
		})
	}
}

// NetnsRef names a namespace to the kernel: by a file descriptor of it
// (an open /run/netns/NAME or /proc/PID/ns/net, as netns.Handle.Fd
// returns) or by the pid of a process in it. Exactly one is set.
type NetnsRef struct {
	Fd  int
	Pid int
}

func (r NetnsRef) validate() error {
	switch {
	case r.Fd < 0 || r.Pid < 0:
		return fmt.Errorf("negative fd %d or pid %d", r.Fd, r.Pid)
	case (r.Fd == 0) == (r.Pid == 0):
		return errors.New("the namespace needs exactly one of a file descriptor and a pid")
	}
	return nil
}

func (r NetnsRef) put(b *wire.Builder) {
	if r.Fd != 0 {
		b.Uint32(unix.NETNSA_FD, uint32(r.Fd))
	} else {
		b.Uint32(unix.NETNSA_PID, uint32(r.Pid))
	}
}

func (r NetnsRef) String() string {
	if r.Fd != 0 {
		return fmt.Sprintf("fd %d", r.Fd)
	}
	return fmt.Sprintf("pid %d", r.Pid)
}

// NetnsIDOf returns the id that the handle's namespace gives the
// namespace ns ("ip netns identify"-like, RTM_GETNSID), or [NetnsIDAuto]
// when it gives none.
func (h *Handle) NetnsIDOf(ctx context.Context, ns NetnsRef) (int32, error) {
	op := "nsid get " + ns.String()
	if err := ns.validate(); err != nil {
		return 0, fmt.Errorf("rtm: %s: %w", op, err)
	}
	b, _ := h.newRequest(unix.RTM_GETNSID, 0, len(netconfmsg{}), 0)
	ns.put(b)
	b.End()
	n, err := getOf[NetnsID](ctx, h, op, false, b, &nsidMsgs)
	if err != nil {
		return 0, err
	}
	return n.ID(), nil
}

// NetnsIDSpec gives a peer namespace an id in the handle's namespace
// ("ip netns set NAME NSID").
type NetnsIDSpec struct {
	// Netns is the peer. Required.
	Netns NetnsRef
	// ID is the id, or [NetnsIDAuto] for the kernel to choose one.
	ID int32
}

func (s *NetnsIDSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.Netns.validate(); err != nil {
		return err
	}
	if s.ID < NetnsIDAuto {
		return fmt.Errorf("invalid id %d", s.ID)
	}
	b.Begin(typ, flags)
	b.Fixed(len(netconfmsg{}))
	b.Uint32(unix.NETNSA_NSID, uint32(s.ID))
	s.Netns.put(b)
	b.End()
	return nil
}

func (s *NetnsIDSpec) opName(verb string) string {
	return fmt.Sprintf("%s %d for %v", verb, s.ID, s.Netns)
}

var nsidSetOp = change{"nsid set", unix.RTM_NEWNSID, 0}

// NetnsIDSet is the request to give a peer namespace an id; EEXIST if the
// peer has one or the id is taken. The kernel takes ids back only when a
// namespace goes away (RTM_DELNSID is a notification, not a request).
func NetnsIDSet(s NetnsIDSpec) Request {
	return &specRequest[NetnsIDSpec, *NetnsIDSpec]{nsidSetOp, s}
}

// NetnsID returns the event's namespace id, for RTM_NEWNSID and
// RTM_DELNSID ([GroupNSID]).
func (e Event) NetnsID() (NetnsID, bool) { return eventOf[NetnsID](e, &nsidMsgs) }
