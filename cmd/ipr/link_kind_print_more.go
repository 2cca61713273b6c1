package main

// The -d printers of the macsec, gtp and ipoib kinds: iproute2 6.1's
// macsec_print_opt, gtp_print_opt and ipoib_print_opt.

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// IFLA_MACSEC_*, IFLA_GTP_* and IFLA_IPOIB_* (linux/if_link.h).
const (
	iflaMACsecSCI           = 1
	iflaMACsecICVLen        = 3
	iflaMACsecCipherSuite   = 4
	iflaMACsecWindow        = 5
	iflaMACsecEncodingSA    = 6
	iflaMACsecEncrypt       = 7
	iflaMACsecProtect       = 8
	iflaMACsecIncSCI        = 9
	iflaMACsecES            = 10
	iflaMACsecSCB           = 11
	iflaMACsecReplayProtect = 12
	iflaMACsecValidation    = 13
	iflaMACsecOffload       = 15
)

// macsecCipherName is ipmacsec.c's cs_id_to_name.
func macsecCipherName(id uint64) string {
	switch id {
	case 0x0080020001000001, 0x0080C20001000001: // MACSEC_DEFAULT_CIPHER_ID, GCM_AES_128
		return "GCM-AES-128"
	case 0x0080C20001000002:
		return "GCM-AES-256"
	case 0x0080C20001000003:
		return "GCM-AES-XPN-128"
	case 0x0080C20001000004:
		return "GCM-AES-XPN-256"
	}
	return "(unknown)"
}

// printMACsecFlag is ipmacsec.c's print_flag: a JSON boolean, or the
// name and on or off.
func printMACsecFlag(p *printer, tb *nla.Index, name string, typ uint16) {
	on, text := jsonSwitch(p, tb, typ, name)
	if !text {
		return
	}
	p.textString(name + " ")
	if on {
		p.textString("on ")
	} else {
		p.textString("off ")
	}
}

// printMACsec is macsec_print_opt.
func printMACsec(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(iflaMACsecSCI); ok {
		var sci uint64
		if len(a.Data) >= 8 {
			sci = binary.BigEndian.Uint64(a.Data)
		}
		p.str("sci", "sci %s ", fmt.Sprintf("%016x", sci))
	}
	printMACsecFlag(p, tb, "protect", iflaMACsecProtect)
	if a, ok := tb.Get(iflaMACsecCipherSuite); ok {
		v, _ := a.Uint64()
		p.str("cipher_suite", "cipher %s ", macsecCipherName(v))
	}
	for _, u := range [...]struct {
		typ        uint16
		key, label string
	}{{iflaMACsecICVLen, "icv_len", "icvlen"}, {iflaMACsecEncodingSA, "encoding_sa", "encodingsa"}} {
		if a, ok := tb.Get(u.typ); ok {
			p.uint(u.key, u.label+" %d ", uint64(attrU8(a)))
		}
	}
	for _, s := range [...]struct {
		typ        uint16
		key, label string
		names      []string
	}{{iflaMACsecValidation, "validation", "validate", macsecValidateNames[:]},
		{iflaMACsecOffload, "offload", "offload", macsecOffloadNames[:]}} {
		if a, ok := tb.Get(s.typ); ok {
			p.str(s.key, s.label+" %s ", nameAt(s.names, attrU8(a), "(unknown)"))
		}
	}
	incSCI, es, replay := "send_sci", "end_station", "replay"
	if p.json {
		incSCI, es, replay = "inc_sci", "es", "replay_protect"
	}
	printMACsecFlag(p, tb, "encrypt", iflaMACsecEncrypt)
	printMACsecFlag(p, tb, incSCI, iflaMACsecIncSCI)
	printMACsecFlag(p, tb, es, iflaMACsecES)
	printMACsecFlag(p, tb, "scb", iflaMACsecSCB)
	printMACsecFlag(p, tb, replay, iflaMACsecReplayProtect)
	if a, ok := tb.Get(iflaMACsecWindow); ok {
		p.int("window", "window %d ", int64(int32(attrU32(a))))
	}
}

// printGTP is gtp_print_opt.
func printGTP(p *printer, tb *nla.Index, _ *linkNames) {
	if a, ok := tb.Get(unix.IFLA_GTP_ROLE); ok {
		p.str("role", "role %s ", nameAt([]string{"ggsn", "sgsn"}, attrU32(a), "unknown"))
	}
	if a, ok := tb.Get(unix.IFLA_GTP_PDP_HASHSIZE); ok {
		p.uint("hsize", "hsize %d ", uint64(attrU32(a)))
	}
	if a, ok := tb.Get(unix.IFLA_GTP_RESTART_COUNT); ok {
		p.uint("restart_count", "restart_count %d ", uint64(attrU8(a)))
	}
}

// hex4 is C's "%.4x".
func hex4(v uint16) string {
	s := strconv.FormatUint(uint64(v), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// printIPoIB is ipoib_print_opt.
func printIPoIB(p *printer, tb *nla.Index, _ *linkNames) {
	a, ok := tb.Get(unix.IFLA_IPOIB_PKEY)
	if !ok || len(a.Data) < 2 {
		return
	}
	// C's "%#.4x": no 0x for zero.
	pkey := "0x" + hex4(attrU16(a))
	if attrU16(a) == 0 {
		pkey = "0000"
	}
	p.str("key", "pkey %s ", pkey)
	a, ok = tb.Get(unix.IFLA_IPOIB_MODE)
	if !ok || len(a.Data) < 2 {
		return
	}
	p.str("mode", "mode %s ", nameAt([]string{"datagram", "connected"}, attrU16(a), "unknown"))
	a, ok = tb.Get(unix.IFLA_IPOIB_UMCAST)
	if !ok || len(a.Data) < 2 {
		return
	}
	p.str("umcast", "umcast %s ", hex4(attrU16(a)))
}
