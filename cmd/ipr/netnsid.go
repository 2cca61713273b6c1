package main

// The names of the namespaces a link's peer lives in: iproute2's
// get_name_from_nsid, for "link-netns NAME".

import (
	"context"

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
// the id of each named namespace, as ip asks for them, and maps each id
// to the first name, in the directory's order, that has it. A namespace
// without an id, or one that cannot be opened, is left out: the link's id
// is then printed as a number, as ip prints it.
func namespaceIDs(ctx context.Context, ns *netns.Handle) map[int32]string {
	names, err := runDirNames()
	if err != nil || len(names) == 0 {
		return nil
	}
	ids := make(map[int32]string, len(names))
	for i, id := range namespaceIDList(ctx, ns, names) {
		if _, taken := ids[id]; id >= 0 && !taken {
			ids[id] = names[i]
		}
	}
	return ids
}

// namespaceIDList returns the id that ns gives each named namespace
// (RTM_GETNSID with NETNSA_FD), or -1 for one without an id or that
// cannot be opened.
func namespaceIDList(ctx context.Context, ns *netns.Handle, names []string) []int32 {
	ids := make([]int32, len(names))
	for i := range ids {
		ids[i] = -1
	}
	if len(names) == 0 {
		return ids
	}
	c, err := dialRaw(&socket.Config{Netns: ns})
	if err != nil {
		return ids
	}
	defer c.Close()
	for i, name := range names {
		h, err := netns.Open(name)
		if err != nil {
			continue
		}
		req := nsidRequest(unix.RTM_GETNSID, [2]uint32{unix.NETNSA_FD, uint32(h.Fd())})
		_ = c.Execute(ctx, req, func(m wire.Message) error {
			if len(m.Data) < 4 {
				return nil
			}
			if a, ok := nla.Chain(m.Data[4:]).Get(unix.NETNSA_NSID); ok {
				ids[i] = int32(attrU32(a))
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
