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
		case "cost", "priority", "state", "mcast_router", "backup_port":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			err = portValue(e, &port, w, v)
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
	h, index, err := bridgeLinkIndex(e, dev, "Cannot find bridge device %q")
	if err != nil {
		return err
	}
	return h.LinkSet(e.ctx, rtm.LinkSpec{Index: index, Port: &port})
}

// bridgeLinkIndex opens the handle and finds the device name, failing
// with bridge's message format (of the name) when it cannot.
func bridgeLinkIndex(e *env, name, format string) (*rtm.Handle, int32, error) {
	h, err := e.handle()
	if err != nil {
		return nil, 0, err
	}
	l, err := linkByName(e.ctx, h, name)
	if err != nil {
		return nil, 0, failf(format, name)
	}
	return h, l.Index(), nil
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

// portValue sets the bridge port option w that takes a value, v.
func portValue(e *env, port *rtm.BridgePort, w, v string) error {
	switch w {
	case "cost":
		port.Cost = rtm.Some(uint32(atoi(v)))
	case "priority":
		port.Priority = rtm.Some(uint16(atoi(v)))
	case "state":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
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
		return setS8(&port.State, int8(n), 4)
	case "mcast_router":
		return setS8(&port.MulticastRouter, int8(atoi(v)), 3)
	case "backup_port":
		_, index, err := bridgeLinkIndex(e, v, "Error: device %s does not exist")
		if err != nil {
			return err
		}
		port.BackupPort = rtm.Some(index)
	}
	return nil
}
