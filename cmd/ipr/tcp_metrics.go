package main

// "ipr tcp_metrics": the TCP metrics cache, as iproute2 6.1's
// tcp_metrics.c reads its command line and prints the cache.

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"golang.org/x/sys/unix"
)

const tcpMetricsUsage = "Usage:\tipr tcp_metrics/tcpmetrics { COMMAND | help }\n" +
	"\tipr tcp_metrics { show | flush } SELECTOR\n" +
	"\tipr tcp_metrics delete [ address ] ADDRESS\n" +
	"SELECTOR := [ [ address ] PREFIX ]\n"

// tcpMetricsCommand is one of tcp_metrics.c's CMD_* codes.
type tcpMetricsCommand int

const (
	tcpmList tcpMetricsCommand = 1 << iota
	tcpmDel
	tcpmFlush
)

// runTCPMetrics is do_tcp_metrics.
func runTCPMetrics(e *env, argv []string) error {
	if len(argv) == 0 {
		return tcpMetricsDo(e, tcpmList, nil)
	}
	for _, c := range [...]struct {
		name string
		cmd  tcpMetricsCommand
	}{{"list", tcpmList}, {"lst", tcpmList}, {"show", tcpmList}, {"delete", tcpmDel}, {"remove", tcpmDel}, {"flush", tcpmFlush}} {
		if matches(argv[0], c.name) {
			return tcpMetricsDo(e, c.cmd, argv[1:])
		}
	}
	if matches(argv[0], "help") {
		return usageText(tcpMetricsUsage)
	}
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr tcp_metrics help\".", argv[0])}
}

// tcpmSelector is an address or prefix of the command line (tcp_metrics.c's
// f.daddr and f.saddr): bits is -1 until one is given.
type tcpmSelector struct {
	prefix netip.Prefix
	bits   int
	family uint8
}

func (s *tcpmSelector) specific() bool { return s.bits >= 0 && s.bits == s.prefix.Addr().BitLen() }

// match is inet_addr_match's test of a as tcp_metrics.c applies it.
func (s *tcpmSelector) match(a netip.Addr) bool {
	if s.family != 0 && addrFamily(a) != s.family {
		return false
	}
	if s.bits <= 0 {
		return true
	}
	p, err := a.Prefix(s.bits)
	return err == nil && p.Addr() == s.prefix.Masked().Addr()
}

// getPrefix is iproute2's get_prefix: ADDRESS[/LEN] of family (0: any),
// or ip's message and exit status 1.
func getPrefix(s string, family uint8) (netip.Prefix, error) {
	fail := func() error {
		name := familyName(family)
		if family == 0 {
			name = "any valid"
		}
		return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: %s prefix is expected rather than %q.", name, s)}
	}
	addr, bits, explicit := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" || family != 0 && addrFamily(a) != family {
		return netip.Prefix{}, fail()
	}
	n := a.BitLen()
	if explicit {
		v, ok := cUint(bits, 8)
		if !ok || int(v) > a.BitLen() {
			return netip.Prefix{}, fail()
		}
		n = int(v)
	}
	return netip.PrefixFrom(a, n), nil
}

// tcpMetricsDo is tcpm_do_cmd.
func tcpMetricsDo(e *env, cmd tcpMetricsCommand, argv []string) error {
	switch e.Family {
	case unix.AF_UNSPEC, unix.AF_INET, unix.AF_INET6:
	default:
		return &cliError{code: exitFailure, msg: fmt.Sprintf("Unsupported protocol family: %d", e.Family)}
	}
	if cmd == tcpmFlush && e.Stats.level > 0 {
		return notImplemented(`option -stats with "ip tcp_metrics flush"`)
	}
	dst := tcpmSelector{bits: -1, family: e.Family}
	src := tcpmSelector{bits: -1, family: e.Family}
	// tcp_metrics.c's loop steps over two words per turn: the word after
	// each selector is skipped, whatever it is.
	for i := 0; i < len(argv); i += 2 {
		w := argv[i]
		sel, who := &dst, "address"
		if w == "src" || w == "source" {
			sel, who = &src, w
			if i++; i >= len(argv) {
				return errIncomplete
			}
		} else if w == "addr" || w == "address" {
			who = w
			if i++; i >= len(argv) {
				return errIncomplete
			}
		}
		v := argv[i]
		if matches(v, "help") {
			return usageText(tcpMetricsUsage)
		}
		if sel.bits >= 0 {
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: either %q is duplicate, or %q is a garbage.", who, v)}
		}
		p, err := getPrefix(v, e.Family)
		if err != nil {
			return err
		}
		sel.prefix, sel.bits, sel.family = p, p.Bits(), addrFamily(p.Addr())
		if !sel.specific() && (sel == &src || cmd&tcpmDel != 0) {
			return &cliError{code: exitFailure, msg: fmt.Sprintf("Error: a specific IP address is expected rather than %q", v)}
		}
	}
	if cmd == tcpmDel && !dst.specific() {
		return missarg("address")
	}
	if cmd == tcpmFlush && dst.specific() {
		cmd = tcpmDel // a flush of one address is a delete
	}
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	var srcAddr netip.Addr
	if src.specific() {
		srcAddr = src.prefix.Addr()
	}
	switch {
	case cmd == tcpmFlush && dst.bits <= 0 && src.bits <= 0 && e.Family == unix.AF_UNSPEC:
		// Everything: one request without an address.
		return genlFamilyError(tcpmetrics.Do(e.ctx, h, tcpmetrics.DeleteAll()))
	case cmd == tcpmDel:
		req, err := tcpmetrics.Delete(dst.prefix.Addr(), srcAddr)
		if err != nil {
			return usagef("%v", err)
		}
		return genlFamilyError(tcpmetrics.Do(e.ctx, h, req))
	case cmd == tcpmFlush:
		return tcpMetricsFlush(e, h, &dst, &src)
	case dst.specific():
		// One entry: ip prints it as text, even with -j (it opens no
		// JSON document for it).
		entry, err := tcpmetrics.Get(e.ctx, h, dst.prefix.Addr(), srcAddr)
		if err != nil {
			return genlFamilyError(err)
		}
		p := &printer{palette: e.palette}
		if dst.match(entry.Destination()) && (!entry.Source().IsValid() || src.match(entry.Source())) {
			printTCPMetrics(p, entry)
		}
		return e.output(p)
	}
	p := e.newPrinter()
	return genlFamilyError(listDump(e, p, tcpmetrics.Dump(e.ctx, h), func(entry tcpmetrics.Entry) {
		if dst.match(entry.Destination()) && (!entry.Source().IsValid() || src.match(entry.Source())) {
			printTCPMetrics(p, entry)
		}
	}))
}

// tcpMetricsFlush deletes the entries the selectors match, in rounds, as
// ip's flush does, until a dump finds none.
func tcpMetricsFlush(e *env, h *genl.Handle, dst, src *tcpmSelector) error {
	for round := 0; ; round++ {
		var reqs []genl.Request
		for entry, err := range tcpmetrics.Dump(e.ctx, h) {
			if err != nil {
				return genlFamilyError(err)
			}
			d, s := entry.Destination(), entry.Source()
			if !dst.match(d) || s.IsValid() && !src.match(s) {
				continue
			}
			req, err := tcpmetrics.Delete(d, s)
			if err != nil {
				return err
			}
			reqs = append(reqs, req)
		}
		if len(reqs) == 0 {
			if round == 0 {
				fmt.Fprintln(e.Stderr, "Nothing to flush.")
			}
			return nil
		}
		if err := tcpmetrics.Do(e.ctx, h, reqs...); err != nil {
			return genlFamilyError(err)
		}
	}
}

// printTCPMetrics is tcp_metrics.c's process_msg for one entry.
func printTCPMetrics(p *printer, entry tcpmetrics.Entry) {
	p.openObject("")
	p.colorStr(addrColor(entry.Destination().AsSlice()), "dst", "%s", hostString(entry.Destination().AsSlice()))
	if age, ok := entry.Age(); ok {
		secs := float64(age.Milliseconds()) / 1000
		p.float("age", " age %ssec", secs, 'f', 3)
	}
	if a, ok := entry.Chain().Get(tcpmetrics.TCPMetricsAttrTwTsStamp); ok {
		stamp, _ := a.Uint32()
		var tsval uint32
		if b, ok := entry.Chain().Get(tcpmetrics.TCPMetricsAttrTwTsval); ok {
			tsval, _ = b.Uint32()
		}
		p.str("tw_ts_stamp", " tw_ts %s ago", fmt.Sprintf("%d/%d", tsval, int32(stamp)))
	}
	var rtt, rttvar uint64
	for typ := uint16(tcpmetrics.TCPMetricsAMetricsRTT); typ <= tcpmetrics.TCPMetricsAMetricsRttvarUs; typ++ {
		v, ok := entry.Value(typ)
		if !ok {
			continue
		}
		switch typ {
		case tcpmetrics.TCPMetricsAMetricsRTT:
			if rtt == 0 {
				rtt = uint64(v) * 1000 >> 3
			}
		case tcpmetrics.TCPMetricsAMetricsRttvar:
			if rttvar == 0 {
				rttvar = uint64(v) * 1000 >> 2
			}
		case tcpmetrics.TCPMetricsAMetricsRTTUs:
			rtt = uint64(v >> 3)
		case tcpmetrics.TCPMetricsAMetricsRttvarUs:
			rttvar = uint64(v >> 2)
		case tcpmetrics.TCPMetricsAMetricsSsthresh, tcpmetrics.TCPMetricsAMetricsCwnd, tcpmetrics.TCPMetricsAMetricsReodering:
			name := [...]string{"ssthresh", "cwnd", "reordering"}[typ-tcpmetrics.TCPMetricsAMetricsSsthresh]
			p.jsonUint(name, uint64(v))
			p.text(" %s %d", name, v)
		}
	}
	if rtt != 0 {
		p.float("rtt", "", float64(rtt)/1e6, 'g', 6)
		p.text(" rtt %dus", rtt)
	}
	if rttvar != 0 {
		p.float("rttvar", "", float64(rttvar)/1e6, 'g', 6)
		p.text(" rttvar %dus", rttvar)
	}
	if mss, ok := entry.FastOpenMSS(); ok {
		p.uint("fopen_miss", " fo_mss %d", uint64(mss))
	}
	if drops, ago, ok := entry.FastOpenSynDrops(); ok {
		p.uint("fopen_syn_drops", " fo_syn_drops %d", uint64(drops))
		p.float("fopen_syn_drop_ts", "/%susec ago", float64(ago.Milliseconds())/1e6, 'f', 3)
	}
	if c := entry.FastOpenCookie(); c != nil {
		p.str("fo_cookie", " fo_cookie %s", fmt.Sprintf("%x", c[:min(len(c), 16)]))
	}
	if s := entry.Source(); s.IsValid() {
		p.str("source", " source %s", s.String())
	}
	p.endl()
	p.closeObject()
}

// float is iproute2's print_float: a JSON number in C's "%g", or, in
// text, the value formatted by fmt and prec (Go's strconv) into format's
// one %s; an empty format prints nothing as text.
func (p *printer) float(key, format string, v float64, fmt byte, prec int) {
	if p.json {
		p.member(key)
		p.buf = strconv.AppendFloat(p.buf, v, 'g', 6, 64)
		return
	}
	if format != "" {
		p.textVerb(format, strconv.FormatFloat(v, fmt, prec, 64))
	}
}
