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
	// The port's on/off switches, by keyword.
	switches := map[string]*rtm.Opt[bool]{
		"guard": &port.Guard, "hairpin": &port.Hairpin, "fastleave": &port.FastLeave,
		"root_block": &port.RootBlock, "learning": &port.Learning, "flood": &port.Flood,
		"mcast_flood": &port.MulticastFlood, "bcast_flood": &port.BroadcastFlood,
		"neigh_suppress": &port.NeighSuppress, "isolated": &port.Isolated,
		"mcast_to_unicast": &port.MulticastToUnicast, "vlan_tunnel": &port.VLANTunnel, "locked": &port.Locked,
	}
	for a.more() {
		var err error
		switch w := a.advance(); w {
		case "dev":
			dev, err = a.value(w)
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
			err = setS8(&port.State, int8(n), 4)
		case "mcast_router":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			err = setS8(&port.MulticastRouter, int8(atoi(v)), 3)
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
			dst, ok := switches[w]
			if !ok {
				return usageText(bridgeLinkUsage)
			}
			err = onOff(w, dst)
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

// setS8 sets one of the port's __s8 options as bridge sends it: not at
// all when negative; one over max the kernel refuses, which rtm checks
// before sending, so the error is the kernel's answer as bridge prints it.
func setS8(dst *rtm.Opt[uint8], v, max int8) error {
	switch {
	case v < 0:
	case v > max:
		return &cliError{code: exitKernel, msg: kernelMessage("", unix.EINVAL)}
	default:
		*dst = rtm.Some(uint8(v))
	}
	return nil
}
