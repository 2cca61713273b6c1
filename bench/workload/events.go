package workload

import (
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// The event workload: a listener subscribed to IPv4 route events counts
// what it observes while a generator makes Sizes.Events route changes
// (adding Events/2 routes to EventTable, then deleting them) as fast as
// pipelined requests allow. Every listener keeps its library's default
// receive buffer, so the burst overruns it; afterwards one marker route is
// added to see whether the listener still receives: how it recovers.

// eventQuiet is how long the listener must see nothing before the burst
// counts as over.
const eventQuiet = 300 * time.Millisecond

type eventCounts struct {
	marker   netip.Prefix
	events   atomic.Int64
	overruns atomic.Int64
	gotMark  atomic.Bool
	ended    atomic.Bool
	last     atomic.Int64 // UnixNano of the last event
	mu       sync.Mutex
	note     string
}

// seen records a route event of EventTable.
func (e *eventCounts) seen(dst netip.Prefix) {
	if dst == e.marker {
		e.gotMark.Store(true)
	} else {
		e.events.Add(1)
	}
	e.last.Store(time.Now().UnixNano())
}

func (e *eventCounts) setNote(s string) {
	e.mu.Lock()
	e.note = s
	e.mu.Unlock()
}

// eventListener runs one library's listener. listen subscribes, calls
// ready, and records events in ev until stop is closed.
type eventListener struct {
	env    *Env
	name   string
	listen func(ready func(), stop <-chan struct{}, ev *eventCounts) error
}

// Generate makes n route changes in the namespace from outside the
// listener's process when the runner sets it; otherwise in-process.
func (env *Env) generate(n int) error {
	if env.Generate != nil {
		return env.Generate(n)
	}
	return GenerateEvents(env.NS, n)
}

// GenerateEvents adds n/2 routes to EventTable and deletes them again,
// pipelined.
func GenerateEvents(ns string, n int) error {
	c, err := rawDial(ns, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	oif, err := c.linkIndex(Device)
	if err != nil {
		return err
	}
	var reqs []byte
	for _, typ := range []uint16{unix.RTM_NEWROUTE, unix.RTM_DELROUTE} {
		reqs = reqs[:0]
		for i := 0; i < n/2; i++ {
			reqs = c.appendRoute(reqs, typ, EventDst(i), Gateway, oif, EventTable)
		}
		if err := c.pipelineAll(reqs); err != nil {
			return err
		}
	}
	return nil
}

func (l *eventListener) instance(closeFn func() error) (*Instance, error) {
	run := func() (Result, error) {
		n := l.env.Sizes.Events / 2 * 2
		ev := &eventCounts{marker: EventDst(n / 2)}
		stop := make(chan struct{})
		ready := make(chan struct{})
		errc := make(chan error, 1)
		go func() { errc <- l.listen(func() { close(ready) }, stop, ev) }()
		select {
		case <-ready:
		case err := <-errc:
			return Result{}, err
		}
		start := time.Now()
		ev.last.Store(start.UnixNano())
		if err := l.env.generate(n); err != nil {
			close(stop)
			<-errc
			return Result{}, fmt.Errorf("generator: %w", err)
		}
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
			if time.Since(time.Unix(0, ev.last.Load())) > eventQuiet {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		lastMS := int(time.Unix(0, ev.last.Load()).Sub(start).Milliseconds())
		recovered, err := addMarker(l.env.NS, ev)
		close(stop)
		if lerr := <-errc; err == nil {
			err = lerr
		}
		ev.mu.Lock()
		note := ev.note
		ev.mu.Unlock()
		if note == "" && ev.overruns.Load() == 0 {
			note = "no overrun"
		}
		r := Result{
			Count: int(ev.events.Load()),
			Note:  note,
			Extra: map[string]int{"overruns": int(ev.overruns.Load()), "recovered": b2i(recovered), "changes": n, "last_event_ms": lastMS},
		}
		return r, err
	}
	return single("events", run, closeFn), nil
}

// addMarker adds the marker route, waits for the listener to report it and
// deletes it again.
func addMarker(ns string, ev *eventCounts) (bool, error) {
	c, err := rawDial(ns, 0)
	if err != nil {
		return false, err
	}
	defer c.Close()
	oif, err := c.linkIndex(Device)
	if err != nil {
		return false, err
	}
	if err := c.pipelineAll(c.appendRoute(nil, unix.RTM_NEWROUTE, ev.marker, Gateway, oif, EventTable)); err != nil {
		return false, err
	}
	for deadline := time.Now().Add(2 * time.Second); !ev.gotMark.Load() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	err = c.pipelineAll(c.appendRoute(nil, unix.RTM_DELROUTE, ev.marker, Gateway, oif, EventTable))
	return ev.gotMark.Load(), err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rawEvents receives into one reused 32 KiB buffer; an overrun is an
// ENOBUFS from recvfrom, after which the socket goes on receiving.
func rawEvents(env *Env) (*Instance, error) {
	l := &eventListener{env: env, name: "raw"}
	l.listen = func(ready func(), stop <-chan struct{}, ev *eventCounts) error {
		c, err := rawDial(env.NS, unix.RTMGRP_IPV4_ROUTE)
		if err != nil {
			return err
		}
		defer c.Close()
		tv := unix.NsecToTimeval((50 * time.Millisecond).Nanoseconds())
		if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			return err
		}
		ready()
		for {
			n, _, err := unix.Recvfrom(c.fd, c.buf, 0)
			if err != nil {
				select {
				case <-stop:
					return nil
				default:
				}
				switch err {
				case unix.EAGAIN, unix.EINTR:
					continue
				case unix.ENOBUFS:
					ev.overruns.Add(1)
					ev.setNote("ENOBUFS from recvfrom; the socket goes on receiving")
					continue
				}
				return err
			}
			for b := c.buf[:n]; len(b) >= unix.NLMSG_HDRLEN+unix.SizeofRtMsg; {
				l := int(native.Uint32(b))
				if l < unix.NLMSG_HDRLEN || l > len(b) {
					break
				}
				typ := native.Uint16(b[4:])
				if (typ == unix.RTM_NEWROUTE || typ == unix.RTM_DELROUTE) && b[unix.NLMSG_HDRLEN+4] == EventTable {
					ev.seen(rawRouteDst(b[unix.NLMSG_HDRLEN:l]))
				}
				b = b[min((l+3)&^3, len(b)):]
			}
		}
	}
	return l.instance(noClose)
}

// rawRouteDst reads an IPv4 route message's destination.
func rawRouteDst(m []byte) netip.Prefix {
	bits := int(m[1])
	for a := m[unix.SizeofRtMsg:]; len(a) >= 4; {
		l := int(native.Uint16(a))
		if l < 4 || l > len(a) {
			break
		}
		if native.Uint16(a[2:])&0x3fff == unix.RTA_DST && l == 8 {
			return netip.PrefixFrom(netip.AddrFrom4([4]byte(a[4:8])), bits)
		}
		a = a[min((l+3)&^3, len(a)):]
	}
	return netip.Prefix{}
}
