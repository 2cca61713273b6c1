package main

// bridge link set: a bridge port's settings, as bridge/link.c's
// brlink_modify parses them. ipr changes them as the port's slave data
// (rtm.BridgePort with "ip link set ... type bridge_slave"), which the
// kernel applies with the same code as bridge's IFLA_PROTINFO; the
// settings rtm.BridgePort does not have fail by name.

import (
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

func bridgeLinkSet(e *env, a *args) error {
	var (
		port rtm.BridgePort
		dev  string
	)
	onOff := func(w string, dst *rtm.Opt[bool]) error {
		v, err := a.value(w)
		if err != nil {
			return err
		}
		switch v {
		case "on":
			*dst = rtm.Some(true)
		case "off":
			*dst = rtm.Some(false)
		default:
			// parse_on_off's -EINVAL becomes bridge's exit status.
			fmt.Fprintf(e.Stderr, "Error: argument of %q must be one of \"off\", \"on\", not %q\n", w, v)
			return errExit(256 - 22)
		}
		return nil
	}
	for a.more() {
		var err error
		switch w := a.advance(); w {
		case "dev":
			dev, err = a.value(w)
		case "guard":
			err = onOff(w, &port.Guard)
		case "hairpin":
			err = onOff(w, &port.Hairpin)
		case "fastleave":
			err = onOff(w, &port.FastLeave)
		case "root_block":
			err = onOff(w, &port.RootBlock)
		case "learning":
			err = onOff(w, &port.Learning)
		case "flood":
			err = onOff(w, &port.Flood)
		case "mcast_flood":
			err = onOff(w, &port.MulticastFlood)
		case "bcast_flood":
			err = onOff(w, &port.BroadcastFlood)
		case "neigh_suppress":
			err = onOff(w, &port.NeighSuppress)
		case "isolated":
			err = onOff(w, &port.Isolated)
		case "cost":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			port.Cost = rtm.Some(uint32(atoi(v)))
		case "priority":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			port.Priority = rtm.Some(uint16(atoi(v)))
		case "state":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil {
				n = -1
				for i, s := range stpStates {
					if s == v {
						n = int64(i)
					}
				}
				if n < 0 {
					return failf("Error: invalid STP port state")
				}
			}
			// bridge keeps the number in an __s8 and sends it unless
			// negative; the kernel refuses states over 4, which rtm
			// checks before sending: the kernel's answer, as bridge
			// prints it.
			switch s8 := int8(n); {
			case s8 < 0:
			case s8 > 4:
				return &cliError{code: exitKernel, msg: kernelMessage("", unix.EINVAL)}
			default:
				port.State = rtm.Some(uint8(s8))
			}
		case "mcast_to_unicast":
			err = onOff(w, &port.MulticastToUnicast)
		case "vlan_tunnel":
			err = onOff(w, &port.VLANTunnel)
		case "locked":
			err = onOff(w, &port.Locked)
		case "mcast_router":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			// An __s8, sent unless negative; the kernel refuses modes
			// over 3, which rtm checks before sending.
			switch r := int8(atoi(v)); {
			case r < 0:
			case r > 3:
				return &cliError{code: exitKernel, msg: kernelMessage("", unix.EINVAL)}
			default:
				port.MulticastRouter = rtm.Some(uint8(r))
			}
		case "backup_port":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			h, herr := e.handle()
			if herr != nil {
				return herr
			}
			l, lerr := linkByName(e.ctx, h, v)
			if lerr != nil {
				return failf("Error: device %s does not exist", v)
			}
			port.BackupPort = rtm.Some(l.Index())
		case "nobackup_port":
			port.BackupPort = rtm.Some(int32(0))
		case "learning_sync", "hwmode", "self", "master":
			return notImplemented(`"bridge link set ` + w + `"`)
		default:
			return usageText(bridgeLinkUsage)
		}
		if err != nil {
			return err
		}
	}
	if dev == "" {
		return failf("Device is a required argument.")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	l, err := linkByName(e.ctx, h, dev)
	if err != nil {
		return failf("Cannot find bridge device %q", dev)
	}
	return h.LinkSet(e.ctx, rtm.LinkSpec{Index: l.Index(), Port: &port})
}
