package main

// "ipr macsec show", as iproute2 6.1's ipmacsec.c prints its dump,
// quirks included: "sc" and "sa" show the encoding SA's number as a flag
// (ip reads the SecY's attribute 2 for them), and an XPN packet number
// is cut to 32 bits.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl/macsec"
	"github.com/ipr-go/ipr/nla"
)

// The names of the counters, by attribute type, as ip prints them.
var (
	macsecTxSCStatsNames = []string{"", "OutPktsProtected", "OutPktsEncrypted", "OutOctetsProtected", "OutOctetsEncrypted"}
	macsecSecYStatsNames = []string{"", "OutPktsUntagged", "InPktsUntagged", "OutPktsTooLong", "InPktsNoTag",
		"InPktsBadTag", "InPktsUnknownSCI", "InPktsNoSCI", "InPktsOverrun"}
	macsecRxSCStatsNames = []string{"", "InOctetsValidated", "InOctetsDecrypted", "InPktsUnchecked", "InPktsDelayed",
		"InPktsOK", "InPktsInvalid", "InPktsLate", "InPktsNotValid", "InPktsNotUsingSA", "InPktsUnusedSA"}
	macsecRxSAStatsNames = []string{"", "InPktsOK", "InPktsInvalid", "InPktsNotValid", "InPktsNotUsingSA", "InPktsUnusedSA"}
	macsecTxSAStatsNames = []string{"", "", "", "", "", "", "OutPktsProtected", "OutPktsEncrypted"}
)

// macsecShow is do_show: every device, or the one named.
func macsecShow(e *env, argv []string) error {
	var ifindex uint32
	if len(argv) > 0 {
		i, err := macsecDevice(e, argv)
		if err != nil {
			return err
		}
		if len(argv) > 1 {
			return usageText(macsecUsage)
		}
		ifindex = uint32(i)
	}
	stats := e.Stats.level > 0
	return genlShow(e, macsec.Devices, func(p *printer, d macsec.Device) {
		if ifindex == 0 || d.Ifindex() == ifindex {
			macsecPrintDevice(e, p, d, stats)
		}
	})
}

// macsecPrintDevice is process's printing of one device.
func macsecPrintDevice(e *env, p *printer, d macsec.Device, stats bool) {
	s := d.SecY()
	p.openObject("")
	p.uint("ifindex", "%d: ", uint64(d.Ifindex()))
	p.colorStr(colorIfname, "ifname", "%s: ", e.linkName(int32(d.Ifindex())))
	flag := func(name string, t uint16) {
		if on, ok := s.Flag(t); ok {
			p.onOff(name, name+" %s ", on)
		}
	}
	flag("protect", macsec.SecYAttrProtect)
	if _, ok := s.Chain().Get(macsec.SecYAttrValidate); ok {
		p.str("validate", "validate %s ", nameAt(macsecValidateNames[:], s.Validate(), "(unknown)"))
	}
	flag("sc", macsec.RxSCAttrActive) // sic: attribute 2 of the SecY, its encoding SA
	flag("sa", macsec.SAAttrActive)   // sic, likewise
	flag("encrypt", macsec.SecYAttrEncrypt)
	flag("send_sci", macsec.SecYAttrIncSCI)
	flag("end_station", macsec.SecYAttrES)
	flag("scb", macsec.SecYAttrSCB)
	flag("replay", macsec.SecYAttrReplay)
	if w, ok := s.Window(); ok {
		p.uint("window", "window %d ", uint64(w))
	}
	if _, ok := s.Chain().Get(macsec.SecYAttrCipherSuite); ok {
		p.nl()
		p.str("cipher_suite", "    cipher suite: %s,", s.CipherSuite().String())
	}
	if _, ok := s.Chain().Get(macsec.SecYAttrICVLen); ok {
		p.uint("icv_length", " using ICV length %d\n", uint64(s.ICVLen()))
	}
	xpn := s.CipherSuite().IsXPN()
	p.textString("    ")
	macsecPrintHex(p, "sci", "TXSC: ", uint64(s.SCI()), 16)
	p.uint("encoding_sa", " on SA %d\n", uint64(s.EncodingSA()))
	if stats {
		macsecStats(p, "    ", macsecSecYStatsNames, d.Chain(), macsec.AttrSecYStats)
		macsecStats(p, "    ", macsecTxSCStatsNames, d.Chain(), macsec.AttrTxSCStats)
	}
	p.openArray("sa_list")
	for sa := range d.TxSAs() {
		macsecPrintSA(p, sa, xpn, stats, macsecTxSAStatsNames)
	}
	p.closeArray()
	if _, ok := d.Chain().Get(macsec.AttrRxSCList); ok {
		p.openArray("rx_sc")
		for rx := range d.RxSCs() {
			p.openObject("")
			p.textString("    ")
			macsecPrintHex(p, "sci", "RXSC: ", uint64(rx.SCI()), 16)
			p.textString(",")
			p.jsonBool("active", rx.Active())
			p.textString(" state " + onOffWord(rx.Active()) + "\n")
			if stats {
				macsecStats(p, "    ", macsecRxSCStatsNames, rx.Chain(), macsec.RxSCAttrStats)
			}
			p.openArray("sa_list")
			for sa := range rx.SAs() {
				macsecPrintSA(p, sa, xpn, stats, macsecRxSAStatsNames)
			}
			p.closeArray()
			p.closeObject()
		}
		p.closeArray()
	}
	if o, ok := d.Offload(); ok {
		p.str("offload", "    offload: %s ", nameAt(macsecOffloadNames[:], o, "(unknown)"))
		p.nl()
	}
	p.closeObject()
}

// macsecPrintSA prints a TX or RX SA (print_tx_sc's and print_rx_sc's
// loops).
func macsecPrintSA(p *printer, sa macsec.SA, xpn, stats bool, names []string) {
	p.openObject("")
	p.uint("an", "        %d:", uint64(sa.AN()))
	p.uint("pn", " PN %d,", uint64(uint32(sa.PN()))) // ip's print_uint takes an unsigned int
	if xpn {
		ssci, _ := sa.SSCI()
		macsecPrintHex(p, "ssci", "SSCI ", uint64(ssci), 8)
	}
	p.jsonBool("active", sa.Active())
	p.textString(" state " + onOffWord(sa.Active()) + ",")
	p.str("key", " key %s\n", fmt.Sprintf("%x", sa.KeyID()))
	if stats {
		macsecStats(p, "    ", names, sa.Chain(), macsec.SAAttrStats)
	}
	p.closeObject()
}

// macsecPrintHex is ip's print_0xhex of an SCI or SSCI: in text, after pre,
// v in width zero-padded hex digits; in JSON, C's "%#llx".
func macsecPrintHex(p *printer, key, pre string, v uint64, width int) {
	if p.json {
		p.jsonStr(key, cHex(v))
		return
	}
	p.text("%s%0*x", pre, width, v)
}

func onOffWord(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// macsecStats is print_stats of the counters nest t of c, if c has one:
// in JSON, the counters present; in text, a line of the names and one of
// the numbers, each right-aligned under its name, "-" for one absent.
func macsecStats(p *printer, prefix string, names []string, c nla.Chain, t uint16) {
	a, ok := c.Get(t)
	if !ok {
		return
	}
	vals := make([]string, len(names))
	for st := range a.Nested().All() {
		if k := int(st.Kind()); k < len(names) && names[k] != "" {
			v, _ := st.Uint()
			vals[k] = strconv.FormatUint(v, 10)
			p.jsonUint(names[k], v)
		}
	}
	if p.json {
		return
	}
	var head, row strings.Builder
	head.WriteString(prefix + "stats:")
	row.WriteString(prefix + "      ")
	for i, n := range names {
		if n == "" {
			continue
		}
		head.WriteString(" " + n)
		v := vals[i]
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(&row, "%*s", len(n)+1, v)
	}
	p.textString(head.String() + "\n" + row.String() + "\n")
}
