package ethtool

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/genl"
)

// Device names a network device in an ethtool request: by Index when it
// is not zero, else by Name. The zero Device is refused before anything
// is sent.
type Device struct {
	// Index is the interface index.
	Index int
	// Name is the interface name (at most 15 bytes).
	Name string
}

// ifNameSize is IFNAMSIZ: a name and its NUL.
const ifNameSize = 16

// check refuses a Device the kernel could not match.
func (d Device) check() error {
	switch {
	case d.Index < 0 || d.Index > 1<<31-1:
		return fmt.Errorf("ethtool: interface index %d", d.Index)
	case d.Index == 0 && d.Name == "":
		return errors.New("ethtool: no device (neither an index nor a name)")
	case len(d.Name) >= ifNameSize:
		return fmt.Errorf("ethtool: interface name %q is longer than %d bytes", d.Name, ifNameSize-1)
	}
	return nil
}

// String returns the name, or "index N".
func (d Device) String() string {
	if d.Index != 0 {
		return fmt.Sprintf("index %d", d.Index)
	}
	return d.Name
}

// Header returns the writer of the request header that names d, with
// flags (EthtoolFlag*): what the generated requests take, as in
//
//	ethtool.ChannelsSetRequest(func(e ethtool.ChannelsEncoder) {
//		e.Header(dev.Header(0))
//		e.RXCount(2)
//	})
//
// A Device that check refuses fails the encoder, so that nothing is sent.
func (d Device) Header(flags uint32) func(HeaderEncoder) {
	return func(e HeaderEncoder) {
		if err := d.check(); err != nil {
			e.E.Fail(err)
			return
		}
		if d.Index != 0 {
			e.DevIndex(uint32(d.Index))
		} else {
			e.DevName(d.Name)
		}
		if flags != 0 {
			e.Flags(flags)
		}
	}
}

// Family resolves the ethtool family on h (cached by h). A kernel
// without it (CONFIG_ETHTOOL_NETLINK off) is a *genl.FamilyNotFoundError.
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	if h == nil {
		return nil, errors.New("ethtool: nil handle")
	}
	return h.Family(ctx, EthtoolFamilyName)
}

// query sends the get request r for dev and passes the one reply to
// onReply, after checking it is a reply of the operation (cmd).
func query(ctx context.Context, h *genl.Handle, dev Device, r genl.Request, onReply func(genl.Message) error) error {
	if err := dev.check(); err != nil {
		return err
	}
	f, err := Family(ctx, h)
	if err != nil {
		return err
	}
	got := false
	err = h.Query(ctx, f, r, func(m genl.Message) error {
		got = true
		return onReply(m)
	})
	if err != nil {
		return fmt.Errorf("ethtool: %s: %w", dev, err)
	}
	if !got {
		return fmt.Errorf("ethtool: %s: no reply", dev)
	}
	return nil
}
