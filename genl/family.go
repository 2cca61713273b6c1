package genl

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Family is a generic-netlink family as the kernel's controller (nlctrl)
// describes it.
type Family struct {
	// Name is the family's name ("ethtool", "wireguard").
	Name string
	// ID is the family's id, the netlink message type of its requests;
	// the kernel assigns it when the family registers.
	ID uint16
	// Version is the family's protocol version.
	Version uint32
	// HeaderSize is the length of the family's own fixed header, after
	// the genlmsghdr (0 for most families).
	HeaderSize uint32
	// MaxAttr is the highest attribute type the family accepts.
	MaxAttr uint32
	// Ops are the family's operations.
	Ops []Op
	// Groups are the family's multicast groups.
	Groups []Group
}

// Op is one operation (command) of a family.
type Op struct {
	// ID is the command number.
	ID uint32
	// Flags are the operation's GENL_* flags: GENL_ADMIN_PERM,
	// GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL...
	Flags uint32
}

// Group is one multicast group of a family.
type Group struct {
	// Name is the group's name within its family.
	Name string
	// ID is the group's number, for socket.Config.Groups.
	ID uint32
}

// Group returns the number of the family's multicast group called name.
func (f *Family) Group(name string) (uint32, bool) {
	if f == nil {
		return 0, false
	}
	for _, g := range f.Groups {
		if g.Name == name {
			return g.ID, true
		}
	}
	return 0, false
}

// Op returns the flags of the family's operation cmd, and whether the
// family has it.
func (f *Family) Op(cmd uint32) (flags uint32, ok bool) {
	if f == nil {
		return 0, false
	}
	for _, o := range f.Ops {
		if o.ID == cmd {
			return o.Flags, true
		}
	}
	return 0, false
}

// Ctrl is the controller family, nlctrl, whose id is fixed: requests to
// it need no resolution. Callers must not change it.
var Ctrl = &Family{Name: "nlctrl", ID: unix.GENL_ID_CTRL, Version: 2,
	Groups: []Group{{Name: "notify", ID: unix.GENL_ID_CTRL}}}

// ErrFamilyNotFound is matched (errors.Is) by the error of a family the
// kernel does not have: its module is not loaded, or not built.
var ErrFamilyNotFound = errors.New("genl: family not found")

// FamilyNotFoundError is the error of resolving a family the kernel does
// not have. It matches [ErrFamilyNotFound] and unwraps to the kernel's
// error (unix.ENOENT).
type FamilyNotFoundError struct {
	// Name is the family asked for.
	Name string
	// Err is the kernel's error.
	Err error
}

func (e *FamilyNotFoundError) Error() string {
	return fmt.Sprintf("genl: family %q not found (is its kernel module loaded?)", e.Name)
}

// Is makes errors.Is(err, ErrFamilyNotFound) true.
func (e *FamilyNotFoundError) Is(target error) bool { return target == ErrFamilyNotFound }

// Unwrap returns the kernel's error.
func (e *FamilyNotFoundError) Unwrap() error { return e.Err }

// Family resolves the family called name through nlctrl
// (CTRL_CMD_GETFAMILY). The result is cached per handle: later calls ask
// the kernel nothing until [Handle.Forget] drops it (a family that is
// unregistered and registered again, when its module is reloaded, gets a
// new id). A family the kernel lacks is a [*FamilyNotFoundError].
// The returned Family is shared: callers must not change it.
func (h *Handle) Family(ctx context.Context, name string) (*Family, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if h == nil {
		return nil, errNilHandle
	}
	if name == "" {
		return nil, errors.New("genl: family lookup with no name")
	}
	if len(name) >= unix.GENL_NAMSIZ {
		// nlctrl's policy refuses it (EINVAL): no family has such a name.
		return nil, fmt.Errorf("genl: family name %q longer than %d bytes", name, unix.GENL_NAMSIZ-1)
	}
	if name == Ctrl.Name {
		return Ctrl, nil
	}
	h.famMu.Lock()
	h.watchFamilies(ctx)
	f := h.families[name]
	h.famMu.Unlock()
	if f != nil {
		return f, nil
	}
	var got Family
	var perr error
	err := h.Query(ctx, Ctrl, Request{
		Command: unix.CTRL_CMD_GETFAMILY,
		Attrs:   func(e *nla.Encoder) { e.String(unix.CTRL_ATTR_FAMILY_NAME, name) },
	}, func(m Message) error {
		got, perr = ParseFamily(m)
		return perr
	})
	if errors.Is(err, unix.ENOENT) {
		return nil, &FamilyNotFoundError{Name: name, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("genl: family %s: %w", name, err)
	}
	if perr != nil {
		return nil, fmt.Errorf("genl: family %s: %w", name, perr)
	}
	h.famMu.Lock()
	if h.families == nil {
		h.families = map[string]*Family{}
	}
	f = h.families[name]
	if f == nil {
		f = &got
		h.families[name] = f
	} // else a concurrent lookup won: one Family per name
	h.famMu.Unlock()
	return f, nil
}

// watchFamilies keeps the cache true to the kernel: on a handle over
// sockets, it subscribes, before the first lookup, to nlctrl's notify
// group, and at each lookup reads what is queued there without waiting,
// dropping the families that were unregistered or registered again
// (CTRL_CMD_DELFAMILY, CTRL_CMD_NEWFAMILY), and every family after an
// overrun. A handle over another transport (WithTransport) has no watch:
// its caller uses Forget. Called with famMu held.
func (h *Handle) watchFamilies(ctx context.Context) {
	if h.pool.Dialer != nil || h.pool.Closed() {
		return
	}
	if h.watch == nil {
		w, err := socket.Dial(unix.NETLINK_GENERIC, &socket.Config{
			Netns:             h.pool.NS,
			Groups:            []uint32{unix.GENL_ID_CTRL},
			ReceiveBufferSize: 64 << 10,
		})
		if err != nil {
			// No watch: nothing cached may be trusted; ask each time.
			clear(h.families)
			return
		}
		h.watch = w
		clear(h.families) // cached before the watch began
		return
	}
	for {
		d, ok, err := h.watch.TryRecv(ctx)
		if err != nil {
			// An overrun, or a broken watch: forget everything, and
			// start a new watch at the next lookup if this one failed.
			clear(h.families)
			if !errors.Is(err, socket.ErrOverrun) {
				h.watch.Close()
				h.watch = nil
				return
			}
			continue
		}
		if !ok {
			return
		}
		h.invalidateAll(d.Data)
	}
}

// invalidateAll drops the cached families that the nlctrl notifications
// in datagram d name as unregistered or registered anew. Called with
// famMu held.
func (h *Handle) invalidateAll(d []byte) {
	for m, err := range wire.Messages(d) {
		if err != nil {
			clear(h.families) // unreadable: trust nothing
			return
		}
		v, err := Decode(m, 0)
		if err != nil {
			continue
		}
		h.invalidate(m.Header, v)
	}
}

// invalidate drops the cached family that nlctrl notification v names, if
// it is a CTRL_CMD_DELFAMILY or CTRL_CMD_NEWFAMILY; every family, if it
// names none. Called with famMu held.
func (h *Handle) invalidate(hdr unix.NlMsghdr, v Message) {
	if hdr.Type != unix.GENL_ID_CTRL || (v.Command != unix.CTRL_CMD_NEWFAMILY && v.Command != unix.CTRL_CMD_DELFAMILY) {
		return
	}
	if a, ok := v.Attrs.Get(unix.CTRL_ATTR_FAMILY_NAME); ok {
		if name, err := a.Text(); err == nil {
			delete(h.families, name)
			return
		}
	}
	clear(h.families)
}

// Forget drops the cached family called name, or every cached family
// when name is empty, so that the next [Handle.Family] asks the kernel.
func (h *Handle) Forget(name string) {
	if h == nil {
		return
	}
	h.famMu.Lock()
	if name == "" {
		clear(h.families)
	} else {
		delete(h.families, name)
	}
	h.famMu.Unlock()
}

// ParseFamily decodes a CTRL_CMD_NEWFAMILY message (the reply to
// CTRL_CMD_GETFAMILY, and the notification of a registered family) into
// a detached Family.
func ParseFamily(m Message) (Family, error) {
	var f Family
	for a := range m.Attrs.All() {
		var err error
		switch a.Kind() {
		case unix.CTRL_ATTR_FAMILY_NAME:
			f.Name, err = a.Text()
		case unix.CTRL_ATTR_FAMILY_ID:
			f.ID, err = a.Uint16()
		case unix.CTRL_ATTR_VERSION:
			f.Version, err = a.Uint32()
		case unix.CTRL_ATTR_HDRSIZE:
			f.HeaderSize, err = a.Uint32()
		case unix.CTRL_ATTR_MAXATTR:
			f.MaxAttr, err = a.Uint32()
		case unix.CTRL_ATTR_OPS:
			for o := range a.Nested().All() {
				var op Op
				for x := range o.Nested().All() {
					switch x.Kind() {
					case unix.CTRL_ATTR_OP_ID:
						op.ID, err = x.Uint32()
					case unix.CTRL_ATTR_OP_FLAGS:
						op.Flags, err = x.Uint32()
					}
					if err != nil {
						return Family{}, fmt.Errorf("genl: family operation: %w", err)
					}
				}
				if err := o.Nested().Err(); err != nil {
					return Family{}, fmt.Errorf("genl: family operation: %w", err)
				}
				f.Ops = append(f.Ops, op)
			}
			err = a.Nested().Err()
		case unix.CTRL_ATTR_MCAST_GROUPS:
			for g := range a.Nested().All() {
				var grp Group
				for x := range g.Nested().All() {
					switch x.Kind() {
					case unix.CTRL_ATTR_MCAST_GRP_NAME:
						grp.Name, err = x.Text()
					case unix.CTRL_ATTR_MCAST_GRP_ID:
						grp.ID, err = x.Uint32()
					}
					if err != nil {
						return Family{}, fmt.Errorf("genl: family multicast group: %w", err)
					}
				}
				if err := g.Nested().Err(); err != nil {
					return Family{}, fmt.Errorf("genl: family multicast group: %w", err)
				}
				f.Groups = append(f.Groups, grp)
			}
			err = a.Nested().Err()
		}
		if err != nil {
			return Family{}, fmt.Errorf("genl: family attribute %d: %w", a.Kind(), err)
		}
	}
	if err := m.Attrs.Err(); err != nil {
		return Family{}, fmt.Errorf("genl: family: %w", err)
	}
	if f.ID == 0 || f.Name == "" {
		return Family{}, fmt.Errorf("genl: family message without %s: %w", missing(f), wire.ErrMalformed)
	}
	return f, nil
}

func missing(f Family) string {
	if f.ID == 0 {
		return "an id"
	}
	return "a name"
}
