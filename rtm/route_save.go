package rtm

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// RouteDumpMagic is the 32-bit word, in the host's byte order, that starts
// the files of "ip route save" and [Handle.RouteSave].
const RouteDumpMagic = 0x45311224

// maxSavedRoute bounds one saved message, as iproute2's rtnl_from_file
// bounds it with its 16 KiB buffer.
const maxSavedRoute = 16384

// RouteSave writes the routes f selects in the format of "ip route save":
// [RouteDumpMagic] in host byte order, then each RTM_NEWROUTE message as
// the kernel dumped it, netlink header included. It returns how many
// routes it wrote.
//
// The output is byte for byte what "ip route save" writes for the same
// selection, except for each header's sequence number and port id, which
// belong to the dumping socket. To that end the dump request carries the
// selectors iproute2 puts in it (Family, Table, Protocol, OutIndex,
// Cloned), which decide the headers' NLM_F_DUMP_FILTERED flag; Type and
// Scope are applied here. Like ip, RouteSave skips cached (cloned) routes
// unless f.Cloned asks for them alone. A nil f saves every route of every
// table and family; note that "ip route save" without arguments saves the
// IPv4 main table only (Family AF_INET, Table unix.RT_TABLE_MAIN).
func (h *Handle) RouteSave(ctx context.Context, w io.Writer, f *RouteFilter) (int, error) {
	var magic [4]byte
	native.PutUint32(magic[:], RouteDumpMagic)
	if _, err := w.Write(magic[:]); err != nil {
		return 0, fmt.Errorf("rtm: route save: %w", err)
	}
	if f == nil {
		f = &RouteFilter{}
	}
	b, rt := h.newRequest(unix.RTM_GETROUTE, unix.NLM_F_DUMP, unix.SizeofRtMsg, f.Family)
	if rt != nil {
		rt[5] = f.Protocol
		if f.Cloned {
			native.PutUint32(rt[8:], unix.RTM_F_CLONED)
		}
	}
	if f.Table != 0 {
		b.Uint32(unix.RTA_TABLE, f.Table)
	}
	if f.OutIndex != 0 {
		b.Uint32(unix.RTA_OIF, uint32(f.OutIndex))
	}
	b.End()
	var (
		n   int
		buf []byte
	)
	for m, err := range h.dump(ctx, "route save", b) {
		if err != nil {
			if f.Table != 0 && !f.MissingTableError && errors.Is(err, unix.ENOENT) {
				break // the table does not exist: nothing to save
			}
			return n, err
		}
		if m.Header.Type != unix.RTM_NEWROUTE {
			continue
		}
		r, err := RouteFromBytes(m.Data)
		if err != nil {
			return n, err
		}
		if f.Cloned != (r.Flags()&unix.RTM_F_CLONED != 0) ||
			(f.Type != 0 && r.Type() != f.Type) ||
			(f.ScopeSet && r.Scope() != f.Scope) {
			continue
		}
		buf = append(buf[:0], make([]byte, wire.HeaderLen)...)
		hdr := m.Header
		hdr.Len = uint32(wire.HeaderLen + len(m.Data))
		wire.PutHeader(buf, hdr)
		buf = append(buf, m.Data...)
		if _, err := w.Write(buf); err != nil {
			return n, fmt.Errorf("rtm: route save: %w", err)
		}
		n++
	}
	return n, nil
}

// RouteRestore adds the routes of a file written by "ip route save" or
// [Handle.RouteSave], as "ip route restore" does, and returns how many it
// added.
//
// Like ip it sends each saved message back as an RTM_NEWROUTE request
// with NLM_F_CREATE (not NLM_F_EXCL: an identical route is reported as
// existing, and such routes are skipped silently, uncounted), and in
// ip's order: first the routes without a gateway whose preferred source
// is absent or is their destination (local addresses), then the other
// routes without a gateway (local networks), then those with a gateway.
// The dump reply's own header flags (NLM_F_MULTI, NLM_F_DUMP_FILTERED),
// which iproute2 leaves in, mean nothing in a request and are dropped.
//
// Unlike ip, which stops at the first failure, RouteRestore sends every
// route, pipelined in one batch, and reports the failures together as a
// *socket.BatchError whose Err names the first failed route; errors.Is
// finds its errno. A malformed file is rejected before anything is sent.
func (h *Handle) RouteRestore(ctx context.Context, r io.Reader) (int, error) {
	msgs, err := readRouteDump(r)
	if err != nil {
		return 0, err
	}
	bt := h.NewBatch()
	var order []int // index in msgs of each request of bt
	for pass := 0; pass < 3; pass++ {
		for i, m := range msgs {
			if restorePass(m) != pass {
				continue
			}
			if err := bt.addLazy("route restore", func(b *wire.Builder) error {
				b.Begin(unix.RTM_NEWROUTE, unix.NLM_F_CREATE)
				if p := b.Reserve(len(m)); p != nil {
					copy(p, m)
				}
				b.End()
				return nil
			}); err != nil {
				return 0, err
			}
			order = append(order, i)
		}
	}
	results, err := bt.Run(ctx)
	if results == nil {
		return 0, err
	}
	added := 0
	var be *socket.BatchError
	for i, r := range results {
		switch {
		case r == nil:
			added++
		case errors.Is(r, unix.EEXIST):
		case be == nil:
			be = &socket.BatchError{Failed: 1, First: order[i], Err: r}
		default:
			be.Failed++
		}
	}
	if be != nil {
		return added, be
	}
	return added, nil
}

// readRouteDump reads a saved route dump and returns the payload (struct
// rtmsg and attributes) of each message, checking the magic, the framing
// and the message types.
func readRouteDump(r io.Reader) ([][]byte, error) {
	br := bufio.NewReader(r)
	var magic [4]byte
	if n, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fmt.Errorf("rtm: route restore: reading the magic (%d bytes read): %w", n, err)
	}
	if m := native.Uint32(magic[:]); m != RouteDumpMagic {
		return nil, fmt.Errorf("rtm: route restore: magic %#08x, want %#08x: not a route dump", m, RouteDumpMagic)
	}
	var (
		msgs [][]byte
		hdr  [wire.HeaderLen]byte
		off  = int64(len(magic))
	)
	for {
		n, err := io.ReadFull(br, hdr[:])
		if err == io.EOF {
			return msgs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("rtm: route restore: message at offset %d: truncated header (%d bytes)", off, n)
		}
		h := wire.DecodeHeader(hdr[:])
		switch {
		case h.Len < wire.HeaderLen+unix.SizeofRtMsg || h.Len > maxSavedRoute:
			return nil, fmt.Errorf("rtm: route restore: message at offset %d: length %d outside [%d, %d]",
				off, h.Len, wire.HeaderLen+unix.SizeofRtMsg, maxSavedRoute)
		case h.Type != unix.RTM_NEWROUTE:
			return nil, fmt.Errorf("rtm: route restore: message at offset %d: type %d is not RTM_NEWROUTE", off, h.Type)
		}
		// Messages are padded to 4 bytes in the file, as ip reads them.
		p := make([]byte, wire.Align(int(h.Len)-wire.HeaderLen))
		if n, err := io.ReadFull(br, p); err != nil {
			return nil, fmt.Errorf("rtm: route restore: message at offset %d: truncated (%d of %d bytes)",
				off, wire.HeaderLen+n, wire.HeaderLen+len(p))
		}
		msgs = append(msgs, p[:int(h.Len)-wire.HeaderLen])
		off += int64(wire.HeaderLen + len(p))
	}
}

// restorePass returns the pass of "ip route restore" (0, 1 or 2) that
// restores the route in payload m: iproute2's restore_handler.
func restorePass(m []byte) int {
	r, err := RouteFromBytes(m)
	if err != nil {
		return 2
	}
	c := r.Chain()
	if _, ok := c.Get(unix.RTA_GATEWAY); ok {
		return 2
	}
	src, ok := c.Get(unix.RTA_PREFSRC)
	if !ok {
		return 0
	}
	if dst, ok := c.Get(unix.RTA_DST); ok && string(dst.Data) == string(src.Data) {
		return 0
	}
	return 1
}
