package main

// ip ntable: the neighbour tables' settings and parameters, listed and
// changed as iproute2 6.1's ipntable.c does.

import (
	"encoding/binary"
	"slices"
	"time"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

const ntableUsage = `Usage: ipr ntable change name NAME [ dev DEV ]
        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
        [ PARMS ]
Usage: ipr ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]
`

// ntableVerbs are do_ipntable's commands in its order.
var ntableVerbs = [...]verb{
	{name: "change", run: ntableChange},
	{name: "chg", run: ntableChange},
	{name: "show", stats: true, run: ntableShow},
	{name: "lst", stats: true, run: ntableShow},
	{name: "list", stats: true, run: ntableShow},
	{name: "help"},
}

// linux/neighbour.h's NDTA_* and NDTPA_*.
const (
	ndtaName, ndtaThresh1, ndtaThresh2, ndtaThresh3  = 1, 2, 3, 4
	ndtaConfig, ndtaParms, ndtaStats, ndtaGCInterval = 5, 6, 7, 8

	ndtpaIfindex, ndtpaRefcnt, ndtpaReachable, ndtpaBaseReachable = 1, 2, 3, 4
	ndtpaRetrans, ndtpaGCStale, ndtpaDelayProbe, ndtpaQueueLen    = 5, 6, 7, 8
	ndtpaAppProbes, ndtpaUcastProbes, ndtpaMcastProbes            = 9, 10, 11
	ndtpaAnycastDelay, ndtpaProxyDelay, ndtpaProxyQlen            = 12, 13, 14
	ndtpaLocktime                                                 = 15
)

// ntableNoDev is ipntable.c's NONE_DEV: "dev none", the tables' own
// parameters.
const ntableNoDev = -1

func ntableShow(e *env, a *args) error {
	var (
		index int32
		name  string
	)
	h, err := e.handle()
	if err != nil {
		return err
	}
	for a.more() {
		switch w := a.advance(); w {
		case "dev":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			if v == "none" {
				index = ntableNoDev
			} else if l, err := linkByName(e.ctx, h, v); err == nil {
				index = l.Index()
			} else {
				return invarg(`"DEV" is invalid`, v)
			}
		case "name":
			v, err := a.value(w)
			if err != nil {
				return err
			}
			name = v
		default:
			return invarg("unknown", w)
		}
	}
	names := &linkNames{ctx: e.ctx, h: h, byIndex: map[int32]linkRef{}}
	p := e.newPrinter()
	p.openArray("")
	var tb, tpb nla.Index
	// A dump that does not fit one datagram repeats the message of the
	// table it stopped in (the kernel's neightbl_dump_info resumes with
	// it); ip's larger buffer rarely sees that, so each table is listed
	// once.
	var seen [][2]string
	for t, err := range h.NeighTables(e.ctx, &rtm.NeighTableFilter{Family: e.Family}) {
		if err != nil {
			return err
		}
		if e.Family != 0 && t.Family() != e.Family {
			continue
		}
		tb.Reset(t.Chain())
		if name != "" && t.Name() != name {
			continue
		}
		if _, own := tb.Get(ndtaThresh1); own {
			key := [2]string{familyName(t.Family()), t.Name()}
			if slices.Contains(seen, key) {
				continue
			}
			seen = append(seen, key)
		}
		parms, haveParms := tb.Get(ndtaParms)
		if haveParms {
			tpb.Reset(parms.Nested())
			if i, ok := tpb.Get(ndtpaIfindex); ok {
				if index != 0 && index != int32(attrU32(i)) {
					continue
				}
			} else if index != 0 && index != ntableNoDev {
				continue
			}
		}
		printNtable(p, t, &tb, &tpb, haveParms, names, e.Stats.level > 0)
		p.flush()
	}
	return e.endList(p)
}

// printNtable is ipntable.c's print_ntable.
func printNtable(p *printer, t rtm.NeighTable, tb, tpb *nla.Index, haveParms bool, names *linkNames, stats bool) {
	p.openObject("")
	p.str("family", "%s ", familyName(t.Family()))
	if _, ok := tb.Get(ndtaName); ok {
		p.str("name", "%s ", t.Name())
	}
	p.nl()
	_, t1 := tb.Get(ndtaThresh1)
	_, t2 := tb.Get(ndtaThresh2)
	_, t3 := tb.Get(ndtaThresh3)
	gc, gcOK := tb.Get(ndtaGCInterval)
	if t1 || t2 || t3 || gcOK {
		p.textString("    ")
		for _, th := range [...]struct {
			t   uint16
			key string
		}{{ndtaThresh1, "thresh1"}, {ndtaThresh2, "thresh2"}, {ndtaThresh3, "thresh3"}} {
			if a, ok := tb.Get(th.t); ok {
				p.uint(th.key, th.key+" %d ", uint64(attrU32(a)))
			}
		}
		if gcOK {
			p.uint("gc_interval", "gc_int %d ", attrU64(gc))
		}
		p.nl()
	}
	if a, ok := tb.Get(ndtaConfig); ok && stats && len(a.Data) >= 32 {
		printNdtConfig(p, a.Data)
	}
	if haveParms {
		printNdtParams(p, tpb, names)
	}
	if a, ok := tb.Get(ndtaStats); ok && stats && len(a.Data) >= 88 {
		printNdtStats(p, a.Data)
	}
	p.textString("\n")
	p.closeObject()
}

// printNdtParams is ipntable.c's print_ndtparams.
func printNdtParams(p *printer, tpb *nla.Index, names *linkNames) {
	if a, ok := tpb.Get(ndtpaIfindex); ok {
		p.textString("    dev ")
		p.colorStr(colorIfname, "dev", "%s ", names.name(int32(attrU32(a))))
		p.nl()
	}
	for _, line := range ndtParamsLines {
		p.textString("    ")
		for _, f := range line {
			if a, ok := tpb.Get(f.kind); ok {
				v := uint64(attrU32(a))
				if f.u64 {
					v = attrU64(a)
				}
				p.uint(f.key, f.key+" %d ", v)
			}
		}
		p.nl()
	}
}

// ndtParamsLines are the NDTPA_* numbers print_ndtparams prints after the
// device, a line each, by their JSON key (also their word in text) and
// size (u64: 8 bytes, else 4).
var ndtParamsLines = [...][]struct {
	kind uint16
	key  string
	u64  bool
}{
	{{ndtpaRefcnt, "refcnt", false}, {ndtpaReachable, "reachable", true}, {ndtpaBaseReachable, "base_reachable", true},
		{ndtpaRetrans, "retrans", true}},
	{{ndtpaGCStale, "gc_stale", true}, {ndtpaDelayProbe, "delay_probe", true}, {ndtpaQueueLen, "queue", false}},
	{{ndtpaAppProbes, "app_probes", false}, {ndtpaUcastProbes, "ucast_probes", false},
		{ndtpaMcastProbes, "mcast_probes", false}},
	{{ndtpaAnycastDelay, "anycast_delay", true}, {ndtpaProxyDelay, "proxy_delay", true},
		{ndtpaProxyQlen, "proxy_queue", false}, {ndtpaLocktime, "locktime", true}},
}

// printNdtConfig is ipntable.c's print_ndtconfig of struct ndt_config.
func printNdtConfig(p *printer, b []byte) {
	u16 := func(off int) uint64 { return uint64(binary.NativeEndian.Uint16(b[off:])) }
	u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(b[off:]) }
	p.uint("key_length", "    config key_len %d ", u16(0))
	p.uint("entry_size", "entry_size %d ", u16(2))
	p.uint("entries", "entries %d ", uint64(u32(4)))
	p.nl()
	p.str("last_flush", "        last_flush %s ", ntableTimeDelta(u32(8)))
	p.str("last_rand", "last_rand %s ", ntableTimeDelta(u32(12)))
	p.nl()
	p.uint("hash_rnd", "        hash_rnd %d ", uint64(u32(16)))
	mask := uint64(u32(20))
	if p.json {
		p.str("hash_mask", "", cHex(mask))
	} else {
		p.text("hash_mask %08x ", mask)
	}
	p.uint("hash_chain_gc", "hash_chain_gc %d ", uint64(u32(24)))
	p.uint("proxy_qlen", "proxy_qlen %d ", uint64(u32(28)))
	p.nl()
}

// ntableTimeDelta is ipntable.c's ntable_strtime_delta: the local time
// msec milliseconds ago.
func ntableTimeDelta(msec uint32) string {
	if msec == 0 {
		return "(error)"
	}
	return time.Unix(time.Now().Unix()-int64(msec/1000), 0).Format("2006-01-02 15:04:05")
}

// printNdtStats is ipntable.c's print_ndtstats of struct ndt_stats.
func printNdtStats(p *printer, b []byte) {
	u64 := func(i int) uint64 { return binary.NativeEndian.Uint64(b[8*i:]) }
	p.textString("    stats ")
	field := 0
	for _, key := range [...]string{
		"allocs", "destroys", "hash_grows", "", "res_failed", "lookups", "hits", "",
		"rcv_probes_mcast", "rcv_probes_ucast", "", "periodic_gc_runs", "forced_gc_runs", "", "table_fulls",
	} {
		if key == "" {
			p.nl()
			p.textString("    ")
			continue
		}
		p.uint(key, key+" %d ", u64(field))
		field++
	}
	p.nl()
}

func ntableChange(e *env, a *args) error {
	var (
		s       rtm.NeighTableSpec
		name    string
		changes bool
	)
	h, err := e.handle()
	if err != nil {
		return err
	}
	u32 := func(w string, dst *rtm.Opt[uint32]) error {
		n, err := a.numberValue(w, 32)
		*dst, changes = rtm.Some(uint32(n)), true
		return err
	}
	msec := func(w string, dst *rtm.Opt[time.Duration]) error {
		n, err := a.numberValue(w, 64)
		*dst, changes = rtm.Some(time.Duration(n)*time.Millisecond), true
		return err
	}
	for a.more() {
		var err error
		switch w := a.advance(); w {
		case "name":
			err = a.onceValue(w, "NAME", &name)
		case "thresh1":
			err = u32(w, &s.Thresh1)
		case "thresh2":
			err = u32(w, &s.Thresh2)
		case "thresh3":
			err = u32(w, &s.Thresh3)
		case "gc_int":
			err = msec(w, &s.GCInterval)
		case "dev":
			v, verr := a.value(w)
			if verr != nil {
				return verr
			}
			l, lerr := linkByName(e.ctx, h, v)
			if lerr != nil {
				return errNoDevice(v)
			}
			s.Index = l.Index()
		case "base_reachable":
			err = msec(w, &s.BaseReachableTime)
		case "retrans":
			err = msec(w, &s.RetransTime)
		case "gc_stale":
			err = msec(w, &s.GCStaleTime)
		case "delay_probe":
			err = msec(w, &s.DelayProbeTime)
		case "queue":
			err = u32(w, &s.QueueLen)
		case "app_probes":
			err = u32(w, &s.AppProbes)
		case "ucast_probes":
			err = u32(w, &s.UcastProbes)
		case "mcast_probes":
			err = u32(w, &s.McastProbes)
		case "anycast_delay":
			err = msec(w, &s.AnycastDelay)
		case "proxy_delay":
			err = msec(w, &s.ProxyDelay)
		case "proxy_queue":
			err = u32(w, &s.ProxyQueueLen)
		case "locktime":
			err = msec(w, &s.LockTime)
		default:
			return invarg("unknown", w)
		}
		if err != nil {
			return err
		}
	}
	if name == "" {
		return &cliError{code: exitUsage, msg: `Error: argument "NAME" is required`}
	}
	if !changes {
		return &cliError{code: exitUsage, msg: "Not enough information: changeable attributes required."}
	}
	s.Name, s.Family = name, e.Family
	if s.Family == 0 {
		// ip sends family 0 and the kernel finds the table by name;
		// rtm wants the family, which the name gives.
		switch name {
		case "arp_cache":
			s.Family = unix.AF_INET
		case "ndisc_cache":
			s.Family = unix.AF_INET6
		default:
			// No table has that name: the kernel says so for any
			// family.
			s.Family = unix.AF_INET
		}
	}
	return h.Do(e.ctx, rtm.NeighTableSet(s))
}
