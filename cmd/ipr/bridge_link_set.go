package main

// bridge link set: a bridge port's settings, as bridge/link.c's
// brlink_modify parses and sends them. The request is bridge's, byte for
// byte: an RTM_SETLINK of family AF_BRIDGE with the port settings in
// IFLA_PROTINFO and, for hwmode, self and master, IFLA_BRIDGE_FLAGS and
// IFLA_BRIDGE_MODE in IFLA_AF_SPEC. The kernel hands it to the bridge the
// device is a port of (master, the default), to the device's own driver
// (self: a NIC's embedded switch, whose VEB or VEPA mode hwmode sets), or
// to both; the port settings rtm.BridgePort has go the same way through
// "ip link set ... type bridge_slave", but self and hwmode have no such
// way.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/internal/uapi"
	"golang.org/x/sys/unix"
)

// IFLA_AF_SPEC's bridge flags and modes (linux/if_bridge.h), which
// x/sys/unix lacks; uapi.IFLA_BRIDGE_MODE is with the listing's.
const (
	bridgeFlagsMaster = 1 // BRIDGE_FLAGS_MASTER
	bridgeFlagsSelf   = 2 // BRIDGE_FLAGS_SELF
	bridgeModeVEB     = 0 // BRIDGE_MODE_VEB
	bridgeModeVEPA    = 1 // BRIDGE_MODE_VEPA
)

// bridgePortAttrs are the port settings of bridge link set, in the order
// brlink_modify appends them to IFLA_PROTINFO: the keyword, the attribute
// and its size in bytes.
var bridgePortAttrs = [...]struct {
	word string
	typ  uint16
	size uint8
}{
	{"guard", unix.IFLA_BRPORT_GUARD, 1}, {"hairpin", unix.IFLA_BRPORT_MODE, 1},
	{"fastleave", unix.IFLA_BRPORT_FAST_LEAVE, 1}, {"root_block", unix.IFLA_BRPORT_PROTECT, 1},
	{"flood", unix.IFLA_BRPORT_UNICAST_FLOOD, 1}, {"mcast_router", unix.IFLA_BRPORT_MULTICAST_ROUTER, 1},
	{"mcast_flood", unix.IFLA_BRPORT_MCAST_FLOOD, 1}, {"bcast_flood", unix.IFLA_BRPORT_BCAST_FLOOD, 1},
	{"mcast_to_unicast", unix.IFLA_BRPORT_MCAST_TO_UCAST, 1}, {"learning", unix.IFLA_BRPORT_LEARNING, 1},
	{"learning_sync", unix.IFLA_BRPORT_LEARNING_SYNC, 1}, {"cost", unix.IFLA_BRPORT_COST, 4},
	{"priority", unix.IFLA_BRPORT_PRIORITY, 2}, {"state", unix.IFLA_BRPORT_STATE, 1},
	{"neigh_suppress", unix.IFLA_BRPORT_NEIGH_SUPPRESS, 1}, {"vlan_tunnel", unix.IFLA_BRPORT_VLAN_TUNNEL, 1},
	{"isolated", unix.IFLA_BRPORT_ISOLATED, 1}, {"locked", unix.IFLA_BRPORT_LOCKED, 1},
	{"backup_port", unix.IFLA_BRPORT_BACKUP_PORT, 4},
}

// bridgePortAttr is the index of a keyword in bridgePortAttrs, or -1.
func bridgePortAttr(word string) int {
	for i, a := range bridgePortAttrs {
		if a.word == word {
			return i
		}
	}
	return -1
}

// bridgePortRequest is brlink_modify's message.
type bridgePortRequest struct {
	index int32
	// set says which of bridgePortAttrs are sent, val their values.
	set [len(bridgePortAttrs)]bool
	val [len(bridgePortAttrs)]uint32
	// flags is IFLA_BRIDGE_FLAGS, sent unless 0; mode IFLA_BRIDGE_MODE,
	// sent unless negative.
	flags uint16
	mode  int16
}

// put records a setting as bridge's variable for it holds it: the last
// one given wins, and is sent if send (each setting's own test: "cost"
// is sent unless 0, the on/off ones always, the signed ones unless
// negative).
func (q *bridgePortRequest) put(word string, v uint32, send bool) {
	i := bridgePortAttr(word)
	q.val[i], q.set[i] = v, send
}

// AppendTo appends the request (rtm.Request).
func (q *bridgePortRequest) AppendTo(r *rtnl.Req) error {
	r.Op = "bridge link set"
	b := r.B
	b.Begin(unix.RTM_SETLINK, 0)
	if ifi := b.Fixed(unix.SizeofIfInfomsg); ifi != nil {
		ifi[0] = unix.AF_BRIDGE
		binary.NativeEndian.PutUint32(ifi[4:], uint32(q.index))
	}
	protinfo := b.BeginNest(unix.IFLA_PROTINFO) // with NLA_F_NESTED, as bridge sends it
	for i, a := range bridgePortAttrs {
		switch {
		case !q.set[i]:
		case a.size == 1:
			b.Uint8(a.typ, uint8(q.val[i]))
		case a.size == 2:
			b.Uint16(a.typ, uint16(q.val[i]))
		default:
			b.Uint32(a.typ, q.val[i])
		}
	}
	b.EndNest(protinfo)
	if q.mode >= 0 || q.flags > 0 {
		start := b.Len()
		spec := b.BeginNest(unix.IFLA_AF_SPEC)
		if q.flags > 0 {
			b.Uint16(uapi.IFLA_BRIDGE_FLAGS, q.flags)
		}
		if q.mode >= 0 {
			b.Uint16(uapi.IFLA_BRIDGE_MODE, uint16(q.mode))
		}
		b.EndNest(spec)
		// bridge's IFLA_AF_SPEC has no NLA_F_NESTED.
		if buf := b.Bytes(); len(buf) >= start+4 {
			buf[start+3] &^= unix.NLA_F_NESTED >> 8
		}
	}
	b.End()
	return b.Err()
}

func bridgeLinkSet(e *env, a *args) error {
	q := bridgePortRequest{mode: -1}
	dev := ""
	for a.more() {
		w := a.advance()
		if w == "dev" {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			dev = v
			continue
		}
		if i := bridgePortAttr(w); i >= 0 && bridgePortAttrs[i].size == 1 && w != "mcast_router" && w != "state" {
			v, err := a.value(w)
			if err != nil {
				return err
			}
			switch v {
			case "on":
				q.put(w, 1, true)
			case "off":
				q.put(w, 0, true)
			default:
				// parse_on_off's -EINVAL becomes bridge's exit status.
				fmt.Fprintf(e.Stderr, "Error: argument of %q must be one of \"off\", \"on\", not %q\n", w, v)
				return errExit(256 - 22)
			}
			continue
		}
		switch w {
		case "cost", "priority", "state", "mcast_router", "backup_port", "hwmode":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if err := q.parse(e, w, v); err != nil {
				return err
			}
		case "nobackup_port":
			q.put("backup_port", 0, true)
		case "self":
			q.flags |= bridgeFlagsSelf
		case "master":
			q.flags |= bridgeFlagsMaster
		default:
			return usageText(bridgeLinkUsage)
		}
	}
	if dev == "" {
		return failf("Device is a required argument.")
	}
	index, err := e.linkIndex(dev)
	if err != nil || index == 0 {
		return failf("Cannot find bridge device %q", dev)
	}
	q.index = index
	h, err := e.handle()
	if err != nil {
		return err
	}
	return h.Do(e.ctx, &q)
}

// parse reads the value v of the keyword w, as brlink_modify does.
func (q *bridgePortRequest) parse(e *env, w, v string) error {
	switch w {
	case "cost":
		// A __u32 from atoi, sent unless 0.
		c := uint32(atoi(v))
		q.put(w, c, c > 0)
	case "priority":
		// An __s16 from atoi, sent unless negative.
		p := int16(atoi(v))
		q.put(w, uint32(uint16(p)), p >= 0)
	case "mcast_router":
		// An __s8 from atoi, sent unless negative.
		r := int8(atoi(v))
		q.put(w, uint32(uint8(r)), r >= 0)
	case "state":
		// An __s8 from strtol (which saturates), or a state's name.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			s, ok := stpStateByName(v)
			if !ok {
				return failf("Error: invalid STP port state")
			}
			n = int64(s)
		}
		s := int8(n)
		q.put(w, uint32(uint8(s)), s >= 0)
	case "backup_port":
		index, err := e.linkIndex(v)
		if err != nil || index == 0 {
			return failf("Error: device %s does not exist", v)
		}
		q.put(w, uint32(index), true)
	case "hwmode":
		// hwmode replaces the flags given before it by "self".
		q.flags = bridgeFlagsSelf
		switch v {
		case "vepa":
			q.mode = bridgeModeVEPA
		case "veb":
			q.mode = bridgeModeVEB
		default:
			return failf("Mode argument must be \"vepa\" or \"veb\".")
		}
	}
	return nil
}
