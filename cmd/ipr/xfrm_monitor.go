package main

// "ipr xfrm monitor": iproute2 6.1's ip/xfrm_monitor.c, for the SA,
// policy, expiry, flush, acquire and default-policy notifications.
// Reports, asynchronous events and NAT-T mapping changes are not printed
// yet: each is named on standard error instead.

import (
	"fmt"

	"github.com/ipr-go/ipr/xfrm"
)

// xfrmMonitorUsage is xfrm_monitor.c's usage text.
const xfrmMonitorUsage = "Usage: ipr xfrm monitor [ nokeys ] [ all-nsid ] [ all | OBJECTS | help ]\n" +
	"OBJECTS := { acquire | expire | SA | aevent | policy | report }\n"

// xfrmMonitorGroups are the objects do_xfrm_monitor takes, in its order
// of matches(), and their groups.
var xfrmMonitorGroups = []struct {
	name  string
	group uint32
}{
	{"acquire", xfrm.GroupAcquire}, {"expire", xfrm.GroupExpire}, {"SA", xfrm.GroupSA},
	{"aevent", xfrm.GroupAEvents}, {"policy", xfrm.GroupPolicy}, {"report", xfrm.GroupReport},
}

// runXfrmMonitor is do_xfrm_monitor.
func runXfrmMonitor(e *env, argv []string) error {
	var groups []uint32
	nokeys, allNSID := false, false
words:
	for _, w := range argv {
		switch {
		case matches(w, "file"):
			return notImplemented(`"ip xfrm monitor file"`)
		case w == "nokeys":
			nokeys = true
		case w == "all":
		case matches(w, "all-nsid"):
			allNSID = true
		default:
			for _, g := range xfrmMonitorGroups {
				if matches(w, g.name) {
					groups = append(groups, g.group)
					continue words
				}
			}
			if matches(w, "help") {
				return usageText(xfrmMonitorUsage)
			}
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Argument %q is unknown, try \"ipr xfrm monitor help\".", w)}
		}
	}
	if e.Timestamp {
		return notImplemented(`option -timestamp with "ip xfrm monitor"`)
	}
	return xfrmDo(e, func(h *xfrm.Handle) error {
		monitor := h.Monitor
		if allNSID {
			monitor = h.MonitorAllNamespaces
		}
		m, err := monitor(groups...)
		if err != nil {
			return err
		}
		defer m.Close()
		p := newXfrmPrinter(e)
		for ev, err := range m.Events(e.ctx) {
			if err != nil {
				if e.ctx.Err() != nil {
					return nil // interrupted
				}
				return err
			}
			if !ev.Overrun {
				xfrmPrintEvent(e, p, ev, nokeys, allNSID)
			}
		}
		return nil
	})
}

// xfrmPrintEvent is xfrm_accept_msg; allNSID prefixes the namespace
// the event came from, as all-nsid does.
func xfrmPrintEvent(e *env, p *xfrmPrinter, ev xfrm.Event, nokeys, allNSID bool) {
	if allNSID {
		if ev.NSID < 0 {
			p.b.WriteString("[nsid current]")
		} else {
			p.f("[nsid %d]", ev.NSID)
		}
	}
	verb := map[xfrm.EventType]string{xfrm.EventDelSA: "Deleted ", xfrm.EventUpdSA: "Updated ", xfrm.EventExpire: "Expired ",
		xfrm.EventDelPolicy: "Deleted ", xfrm.EventUpdPolicy: "Updated ", xfrm.EventPolicyExpire: "Expired "}[ev.Type()]
	hard := func() {
		if ev.Type() == xfrm.EventExpire || ev.Type() == xfrm.EventPolicyExpire {
			h := 0
			if ev.Hard() {
				h = 1
			}
			p.f("\thard %d%s", h, p.sl)
		}
	}
	if s, ok := ev.State(); ok {
		p.b.WriteString(verb)
		p.state(s, nokeys)
		hard()
	} else if v, ok := ev.Policy(); ok {
		p.b.WriteString(verb)
		p.policy(v, uint16(e.Family))
		hard()
	} else if proto, ok := ev.FlushedProto(); ok {
		p.f("Flushed state proto %s%s", proto, p.sl)
	} else if ev.Type() == xfrm.EventFlushPolicy {
		p.b.WriteString("Flushed policy ")
		if t, ok := ev.FlushedPolicyType(); ok {
			p.f("ptype %s ", xfrmName(uint8(t), "main", "sub"))
		}
		p.b.WriteString(p.sl)
	} else if acq, ok := ev.Acquire(); ok {
		xfrmPrintAcquire(p, acq, uint16(e.Family))
	} else if d, ok := ev.Defaults(); ok {
		// ip's own line ends, whatever -o says.
		p.b.WriteString(xfrmDefaults(d))
		fmt.Fprint(e.Stdout, p.b.String())
		p.b.Reset()
		return
	} else {
		p.b.Reset()
		fmt.Fprintf(e.Stderr, "ipr: xfrm monitor: notification %d is not printed by ipr yet\n", ev.Type())
		return
	}
	p.flush()
}

// xfrmPrintAcquire is xfrm_acquire_print; fam is -f's, for an acquire of
// no family.
func xfrmPrintAcquire(p *xfrmPrinter, a xfrm.AcquireView, fam uint16) {
	if f := a.Family(); f != 0 {
		fam = f
	}
	p.f("acquire proto %s ", a.Proto())
	if spi := a.SPI(); p.stats > 0 || spi != 0 {
		p.f("spi 0x%08x", spi)
		if p.stats > 0 {
			p.f("(%d)", spi)
		}
		p.b.WriteString(" ")
	}
	p.b.WriteString(p.sl)
	p.selector(a.Selector(), fam, "  sel ")
	p.policyAt(a.Policy(), fam, "    ", "  policy ")
	if p.stats > 0 {
		auth, crypt, comp := a.Algos()
		p.f("  seq 0x%08d enc-mask %08x auth-mask %08x comp-mask %08x", a.Seq(), crypt, auth, comp)
	}
	p.b.WriteString(p.sl)
}
