package rtm

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"
)

// rtextFilterSkipStats is RTEXT_FILTER_SKIP_STATS (linux/rtnetlink.h):
// the kernel leaves the per-family statistics (IPv6's) out of each link.
const rtextFilterSkipStats = 1 << 3

// LinkLookup returns the indexes of the links match accepts, in dump
// order, like pyroute2's link_lookup: match can test any field,
// LinkWhere("ifname", "eth0") or a function of its own. The dump skips
// the per-family statistics (see LinkFilter.SkipStats).
func (h *Handle) LinkLookup(ctx context.Context, match func(Link) bool) ([]int32, error) {
	var out []int32
	for l, err := range h.Links(ctx, &LinkFilter{SkipStats: true}) {
		if err != nil {
			return out, err
		}
		if match == nil || match(l) {
			out = append(out, l.Index())
		}
	}
	return out, nil
}

// LinkWhere returns a match for LinkLookup (or any filtering of links)
// that accepts the links whose field path (a name or a dotted path, as
// Get takes: "ifname", "flags", "linkinfo.kind", "IFLA_ADDRESS") equals
// want. Integers of any Go type compare by value; strings, booleans,
// netip.Addr, net.HardwareAddr and []byte by content.
func LinkWhere(path string, want any) func(Link) bool {
	p := splitPath(path)
	return func(l Link) bool {
		v, ok := l.Get(p...)
		return ok && valueEquals(v, want)
	}
}

// splitPath splits a dotted path.
func splitPath(path string) []string {
	var p []string
	for {
		i := strings.IndexByte(path, '.')
		if i < 0 {
			return append(p, path)
		}
		p = append(p, path[:i])
		path = path[i+1:]
	}
}

// valueEquals compares a decoded value with a Go value.
func valueEquals(v Value, want any) bool {
	switch w := want.(type) {
	case string:
		s, ok := v.Text()
		return ok && s == w
	case bool:
		if n, ok := v.Uint(); ok {
			return (n != 0) == w
		}
		return w && v.Interface() == true
	case netip.Addr:
		a, ok := v.Addr()
		return ok && a == w
	case net.HardwareAddr:
		return bytes.Equal(v.Bytes(), w)
	case []byte:
		return bytes.Equal(v.Bytes(), w)
	}
	var n int64
	var u uint64
	signed := true
	switch w := want.(type) {
	case int:
		n = int64(w)
	case int8:
		n = int64(w)
	case int16:
		n = int64(w)
	case int32:
		n = int64(w)
	case int64:
		n = w
	case uint:
		u, signed = uint64(w), false
	case uint8:
		u, signed = uint64(w), false
	case uint16:
		u, signed = uint64(w), false
	case uint32:
		u, signed = uint64(w), false
	case uint64:
		u, signed = w, false
	default:
		return fmt.Sprint(v.Interface()) == fmt.Sprint(want)
	}
	if x, ok := v.Int(); ok {
		if signed {
			return x == n
		}
		return x >= 0 && uint64(x) == u
	}
	if x, ok := v.Uint(); ok {
		if signed {
			return n >= 0 && x == uint64(n)
		}
		return x == u
	}
	return false
}

// LinkByAlias returns the first link whose alias (IFLA_IFALIAS) is
// alias, as vishvananda/netlink's LinkByAlias; the kernel cannot filter
// by alias, so it dumps the links (without statistics). No such link is
// ErrNotFound.
func (h *Handle) LinkByAlias(ctx context.Context, alias string) (Link, error) {
	if alias == "" {
		return Link{}, fmt.Errorf("rtm: link by alias: empty alias")
	}
	return h.firstLink(ctx, "alias "+alias, func(l Link) bool {
		a, _ := l.get(unix.IFLA_IFALIAS)
		b, err := a.TextBytes()
		return err == nil && string(b) == alias
	})
}

// LinkByHardwareAddr returns the first link, in index order, whose
// address (IFLA_ADDRESS) is addr. Several links may share one (a bridge
// and its first port, a VLAN and its parent): LinkLookup with
// LinkWhere("address", addr) returns them all. No such link is
// ErrNotFound.
func (h *Handle) LinkByHardwareAddr(ctx context.Context, addr net.HardwareAddr) (Link, error) {
	if len(addr) == 0 {
		return Link{}, fmt.Errorf("rtm: link by address: empty address")
	}
	return h.firstLink(ctx, "address "+addr.String(), func(l Link) bool {
		a, _ := l.get(unix.IFLA_ADDRESS)
		return bytes.Equal(a.Data, addr)
	})
}

// firstLink returns a copy of the first link match accepts.
func (h *Handle) firstLink(ctx context.Context, what string, match func(Link) bool) (Link, error) {
	for l, err := range h.Links(ctx, &LinkFilter{SkipStats: true}) {
		if err != nil {
			return Link{}, err
		}
		if match(l) {
			return l.Clone(), nil
		}
	}
	return Link{}, fmt.Errorf("rtm: link %s: %w", what, ErrNotFound)
}

// LinkByAltName gets the link that has the alternative name name with a
// single request (the kernel looks it up by IFLA_ALT_IFNAME). Names are
// at most 127 bytes. LinkByName also finds links by an alternative name
// of at most 15 bytes.
func (h *Handle) LinkByAltName(ctx context.Context, name string) (Link, error) {
	if err := checkAltName(name); err != nil {
		return Link{}, fmt.Errorf("rtm: link get: %w", err)
	}
	b := h.newBuilder()
	linkRequest(b, unix.RTM_GETLINK, 0, unix.AF_UNSPEC, 0)
	b.String(unix.IFLA_ALT_IFNAME, name)
	b.Uint32(unix.IFLA_EXT_MASK, rtextFilterSkipStats)
	b.End()
	return h.getLink(ctx, b)
}
