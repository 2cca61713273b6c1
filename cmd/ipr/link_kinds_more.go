package main

// The parsers of more link kinds: nlmon, vcan, netkit, vxcan, batadv,
// xfrm, vti, vti6, bareudp, gtp, hsr, ipoib and ip6tnl, as iproute2 6.1's
// link_util modules read their arguments. (This kernel has none of them;
// ip prints their data, ipr does not yet.)

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// parseMoreKind parses the arguments of one of this file's kinds into s;
// ok is false for another kind.
func parseMoreKind(lp *linkParser, kp *kindArgs, a *args, s *rtm.LinkSpec, kind string) (ok bool, err error) {
	switch kind {
	case "nlmon":
		s.Kind = &rtm.Nlmon{}
	case "vcan":
		s.Kind = &rtm.VCAN{}
	case "netkit":
		s.Kind = &rtm.Netkit{}
	case "vxcan":
		if err := parseVeth(lp, kp, a, s, kind); err != nil {
			return true, err
		}
		s.Kind = &rtm.VXCAN{Peer: s.Kind.(*rtm.Veth).Peer}
		return true, nil
	case "batadv":
		b := &rtm.Batadv{}
		s.Kind = b
		return true, kp.parse(map[string]func() error{
			"ra": func() error { v, err := kp.value("ra"); b.RoutingAlgo = v; return err },
		})
	case "xfrm":
		x := &rtm.Xfrm{}
		s.Kind = x
		err := kp.parse(map[string]func() error{
			"dev":      kp.dev(lp, &x.Dev),
			"if_id":    kp.plainU32(&x.IfID),
			"external": func() error { x.External = true; return nil },
		})
		if err == nil && x.IfID == 0 && !x.External {
			err = &cliError{code: exitFailure, msg: "Error: if_id must be non zero."}
		}
		return true, err
	case "vti", "vti6":
		v := &rtm.VTI{IPv6: kind == "vti6"}
		s.Kind = v
		key := func(dst ...*uint32) func() error {
			return func() error {
				k, err := tunnelKey(kp)
				for _, d := range dst {
					*d = k
				}
				return err
			}
		}
		return true, kp.parse(map[string]func() error{
			"key":    key(&v.IKey, &v.OKey),
			"ikey":   key(&v.IKey),
			"okey":   key(&v.OKey),
			"remote": kp.addr(&v.Remote),
			"local":  kp.addr(&v.Local),
			"dev":    kp.dev(lp, &v.Dev),
			"fwmark": kp.plainU32(&v.FwMark),
		})
	case "bareudp":
		u := &rtm.BareUDP{}
		s.Kind = u
		err := kp.parse(map[string]func() error{
			"dstport":      kp.plainU16(&u.Port),
			"ethertype":    func() error { var err error; u.EtherType, err = etherType(kp); return err },
			"srcportmin":   kp.u16(&u.SrcPortMin),
			"multiproto":   func() error { u.MultiProto = true; return nil },
			"nomultiproto": func() error { u.MultiProto = false; return nil },
		})
		if err == nil && u.Port == 0 {
			err = &cliError{code: exitUsage, msg: "missing required argument \"dstport\""}
		}
		if err == nil && u.EtherType == 0 {
			err = &cliError{code: exitUsage, msg: "missing required argument \"ethertype\""}
		}
		return true, err
	case "gtp":
		g := &rtm.GTP{}
		s.Kind = g
		role := false
		err := kp.parse(map[string]func() error{
			"role": func() error {
				v, err := kp.value("role")
				switch v {
				case "sgsn":
					g.Role = rtm.GTPRoleSGSN
				case "ggsn":
					g.Role = rtm.GTPRoleGGSN
				default:
					if err == nil {
						err = invarg("invalid role, use sgsn or ggsn", v)
					}
				}
				role = true
				return err
			},
			"hsize":         kp.plainU32(&g.HashSize),
			"restart_count": kp.u8(&g.RestartCount),
		})
		if err == nil && !role {
			err = &cliError{code: exitFailure, msg: "gtp: role of the gtp device was not specified"}
		}
		return true, err
	case "hsr":
		h := &rtm.HSR{}
		s.Kind = h
		return true, kp.parse(map[string]func() error{
			"supervision": kp.u8(&h.Supervision),
			"version":     kp.u8(&h.Version),
			"proto":       kp.u8(&h.Protocol),
			"slave1":      kp.dev(lp, &h.Port1),
			"slave2":      kp.dev(lp, &h.Port2),
		})
	case "ipoib":
		p := &rtm.IPoIB{}
		s.Kind = p
		return true, kp.parse(map[string]func() error{
			"pkey": kp.u16(&p.PKey),
			"mode": func() error {
				v, err := kp.value("mode")
				switch v {
				case "datagram":
					p.Mode = rtm.Some[uint16](0)
				case "connected":
					p.Mode = rtm.Some[uint16](1)
				default:
					if err == nil {
						err = invarg("mode must be datagram or connected", v)
					}
				}
				return err
			},
			"umcast": kp.u16(&p.UMcast),
		})
	case "ip6tnl":
		t := &rtm.IP6Tnl{}
		s.Kind = t
		hop := func() error {
			v, err := kp.value(kp.word)
			if err != nil {
				return err
			}
			if v == "inherit" {
				t.HopLimit = rtm.Some[uint8](0)
				return nil
			}
			n, perr := strconv.ParseUint(v, 0, 8)
			if perr != nil {
				return invarg("invalid TTL", v)
			}
			t.HopLimit = rtm.Some(uint8(n))
			return nil
		}
		return true, kp.parse(map[string]func() error{
			"mode": func() error {
				v, err := kp.value("mode")
				switch v {
				case "ipv6/ipv6", "ip6ip6":
					t.Proto = unix.IPPROTO_IPV6
				case "ip/ipv6", "ipv4/ipv6", "ipip6", "ip4ip6":
					t.Proto = unix.IPPROTO_IPIP
				case "any/ipv6", "any":
					t.Proto = 0
				default:
					if err == nil {
						err = invarg("Cannot guess tunnel mode.", v)
					}
				}
				return err
			},
			"remote": kp.addr(&t.Remote),
			"local":  kp.addr(&t.Local),
			"dev":    kp.dev(lp, &t.Dev),
			"ttl":    hop, "hoplimit": hop, "hlim": hop,
			"encaplimit": func() error {
				v, err := kp.value("encaplimit")
				if err != nil {
					return err
				}
				if v == "none" {
					t.Flags |= rtm.IP6TnlIgnoreEncapLimit
					return nil
				}
				n, perr := strconv.ParseUint(v, 0, 8)
				if perr != nil {
					return invarg("invalid ELIM", v)
				}
				t.EncapLimit = rtm.Some(uint8(n))
				t.Flags &^= rtm.IP6TnlIgnoreEncapLimit
				return nil
			},
			"fwmark":              kp.plainU32(&t.FwMark),
			"allow-localremote":   func() error { t.Flags |= rtm.IP6TnlAllowLocalRemote; return nil },
			"noallow-localremote": func() error { t.Flags &^= rtm.IP6TnlAllowLocalRemote; return nil },
			"external":            func() error { t.External = true; return nil },
		})
	default:
		return false, nil
	}
	if a.more() {
		return true, usagef("type %s takes no arguments, got %q", kind, a.peek())
	}
	return true, nil
}

// tunnelKey reads a tunnel key as iproute2's tnl_parse_key: a dotted quad
// or a number.
func tunnelKey(kp *kindArgs) (uint32, error) {
	v, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	if strings.Contains(v, ".") {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return 0, invarg("invalid key", v)
		}
		b := a.As4()
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), nil
	}
	n, err := strconv.ParseUint(v, 0, 32)
	if err != nil {
		return 0, invarg("invalid key", v)
	}
	return uint32(n), nil
}

// etherType reads an ethertype by iproute2's name or number
// (ll_proto_a2n, parseEthProto), failing as bareudp's invarg.
func etherType(kp *kindArgs) (uint16, error) {
	v, err := kp.value(kp.word)
	if err != nil {
		return 0, err
	}
	n, err := parseEthProto(v)
	if err != nil {
		return 0, invarg("ethertype", v)
	}
	return n, nil
}
