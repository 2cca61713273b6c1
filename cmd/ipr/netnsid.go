package main

// The names of the namespaces a link's peer lives in: iproute2's
// get_name_from_nsid, for "link-netns NAME".

import (
	"context"
	"encoding/binary"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// nsidName returns the name of the named namespace to which the namespace
// ipr works in gives id, as ip prints it in "link-netns NAME". The ids of
// all named namespaces are asked for once, on first use.
func (e *env) nsidName(id int32) (string, bool) {
	if !e.nsidsLoaded {
		e.nsidsLoaded = true
		e.nsids = namespaceIDs(e.ctx, e.ns)
	}
	name, ok := e.nsids[id]
	return name, ok
}

// namespaceIDs asks the kernel, in ns (nil: the current namespace), for
// the id of each named namespace (RTM_GETNSID with NETNSA_FD), as ip asks
// for them. A namespace without an id, or one that cannot be opened, is
// left out: the link's id is then printed as a number, as ip prints it.
func namespaceIDs(ctx context.Context, ns *netns.Handle) map[int32]string {
	names, err := netns.List()
	if err != nil || len(names) == 0 {
		return nil
	}
	c, err := socket.Dial(unix.NETLINK_ROUTE, &socket.Config{Netns: ns})
	if err != nil {
		return nil
	}
	defer c.Close()
	ids := make(map[int32]string, len(names))
	// struct nlmsghdr, struct rtgenmsg (padded to 4 bytes), NETNSA_FD.
	const reqLen = unix.NLMSG_HDRLEN + 4 + 8
	var req [reqLen]byte
	for _, name := range names {
		h, err := netns.Open(name)
		if err != nil {
			continue
		}
		req = [reqLen]byte{}
		binary.NativeEndian.PutUint32(req[0:], reqLen)
		binary.NativeEndian.PutUint16(req[4:], unix.RTM_GETNSID)
		binary.NativeEndian.PutUint16(req[20:], 8)
		binary.NativeEndian.PutUint16(req[22:], unix.NETNSA_FD)
		binary.NativeEndian.PutUint32(req[24:], uint32(h.Fd()))
		_ = c.Execute(ctx, req[:], func(m wire.Message) error {
			if len(m.Data) < 4 {
				return nil
			}
			if a, ok := nla.Chain(m.Data[4:]).Get(unix.NETNSA_NSID); ok {
				if id := int32(attrU32(a)); id >= 0 {
					if _, taken := ids[id]; !taken {
						ids[id] = name
					}
				}
			}
			return nil
		})
		h.Close()
		if ctx.Err() != nil {
			break
		}
	}
	return ids
}
