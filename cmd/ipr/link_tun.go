package main

// The tun link kind (tun and tap devices): printer. ipr creates them
// with the tuntap commands of the rtm package, not with "link add".

import (
	"os/user"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

func printTun(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(unix.IFLA_TUN_TYPE); ok {
		var s string
		switch t := attrU8(a); t {
		case unix.IFF_TUN:
			s = "tun"
		case unix.IFF_TAP:
			s = "tap"
		default:
			s = "UNKNOWN:" + strconv.Itoa(int(t))
		}
		p.str("type", "type %s ", s)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_PI); ok {
		p.onOff("pi", "pi %s ", attrU8(a) != 0)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_VNET_HDR); ok {
		p.onOff("vnet_hdr", "vnet_hdr %s ", attrU8(a) != 0)
	}
	if a, ok := tb.Get(unix.IFLA_TUN_MULTI_QUEUE); !ok || attrU8(a) == 0 {
		p.jsonBool("multi_queue", false)
	} else {
		p.boolean("multi_queue", "multi_queue ", true)
		if a, ok := tb.Get(unix.IFLA_TUN_NUM_QUEUES); ok {
			p.uint("numqueues", "numqueues %d ", uint64(attrU32(a)))
		}
		if a, ok := tb.Get(unix.IFLA_TUN_NUM_DISABLED_QUEUES); ok {
			p.uint("numdisabled", "numdisabled %d ", uint64(attrU32(a)))
		}
	}
	if a, ok := tb.Get(unix.IFLA_TUN_PERSIST); ok {
		p.onOff("persist", "persist %s ", attrU8(a) != 0)
	}
	printTunID(p, tb, unix.IFLA_TUN_OWNER, "user", func(id string) (string, error) {
		u, err := user.LookupId(id)
		if err != nil {
			return "", err
		}
		return u.Username, nil
	})
	printTunID(p, tb, unix.IFLA_TUN_GROUP, "group", func(id string) (string, error) {
		g, err := user.LookupGroupId(id)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	})
}

// printTunID prints the owner or group of a tun device (attribute typ)
// under key: its name as lookup finds it, else its number.
func printTunID(p *printer, tb *nla.Index, typ uint16, key string, lookup func(id string) (string, error)) {
	a, ok := tb.Get(typ)
	if !ok {
		return
	}
	if name, err := lookup(strconv.FormatUint(uint64(attrU32(a)), 10)); err == nil {
		p.str(key, key+" %s ", name)
	} else {
		p.uint(key, key+" %d ", uint64(attrU32(a)))
	}
}
