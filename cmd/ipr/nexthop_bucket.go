package main

// "ipr nexthop bucket": list and get the buckets of resilient nexthop
// groups, with the syntax and output of iproute2 6.1's
// "ip nexthop bucket" (ipnh_bucket_list, ipnh_bucket_get,
// print_nexthop_bucket).

import (
	"errors"
	"strconv"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// nexthopBucketVerbs are do_ipnh_bucket's commands, in its order; "help"
// prints the whole of "ip nexthop help", as ip's does.
var nexthopBucketVerbs = [...]verb{
	{name: "list", stats: true, run: nexthopBucketList},
	{name: "show", stats: true, run: nexthopBucketList},
	{name: "lst", stats: true, run: nexthopBucketList},
	{name: "get", stats: true, run: nexthopBucketGet},
	{name: "help"},
}

// nexthopBucket is "nexthop bucket": do_ipnh_bucket's chain of matches,
// listing when no command follows.
func nexthopBucket(e *env, a *args) error {
	o := &object{name: "nexthop", help: "nexthop", usage: nexthopUsage}
	if !a.more() {
		return nexthopBucketList(e, a)
	}
	w := a.advance()
	for _, v := range nexthopBucketVerbs {
		if matches(w, v.name) {
			return o.runVerb(e, v, a)
		}
	}
	return &cliError{code: exitUsage, msg: "Command \"" + w + "\" is unknown, try \"ipr nexthop help\"."}
}

// nexthopUsageError is "ipr nexthop help".
func nexthopUsageError() error { return usageText("Usage: ipr nexthop " + nexthopUsage + "\n") }

// nexthopBucketList is "nexthop bucket list [ id ID ] [ nhid ID ]
// [ dev DEV ] [ vrf NAME ] [ master DEV ]": a dump the kernel filters.
func nexthopBucketList(e *env, a *args) error {
	var (
		f    rtm.NexthopBucketFilter
		devs nexthopDevs
	)
	f.Family = e.Family
	h, err := devs.parseArgs(e, a, &f.OutIndex, &f.MasterIndex, func(w string) (err error) {
		switch {
		case w == "id":
			f.GroupID, err = nexthopIDValue(a)
		case w == "nhid":
			f.NexthopID, err = nexthopIDValue(a)
		case matches(w, "help"):
			err = nexthopUsageError()
		default:
			err = invarg("", w)
		}
		return err
	})
	if err != nil {
		return err
	}
	p := e.newPrinter()
	p.openArray("")
	for b, err := range h.NexthopBuckets(e.ctx, &f) {
		if err != nil {
			// ip exits there, its JSON array left open.
			if werr := e.output(p); werr != nil {
				return werr
			}
			return rtnlDumpRefused(err, "Dump terminated")
		}
		printNexthopBucket(p, b)
		p.flush()
	}
	return e.endList(p)
}

// rtnlDumpRefused is how libnetlink's rtnl_dump_filter callers report a
// dump the kernel refused (a bucket filter naming a nexthop that is not a
// resilient group, a route table the kernel does not have): libnetlink's
// message, which it leaves out for ENOENT and EOPNOTSUPP without an
// extended ACK, then the caller's line (then: "Dump terminated", "Flush
// terminated"), and status 2.
func rtnlDumpRefused(err error, then string) error {
	var ke *wire.Error
	if !errors.As(err, &ke) {
		return err
	}
	msg := then
	if ke.Message != "" || ke.Errno != unix.ENOENT && ke.Errno != unix.EOPNOTSUPP {
		msg = kernelMessage(ke.Message, ke.Errno) + "\n" + msg
	}
	return &cliError{code: exitKernel, msg: msg}
}

// nexthopDevs are the devices of ip's nexthop SELECTOR: "dev DEV",
// "master DEV" and "vrf NAME" (a master that must be a VRF).
type nexthopDevs struct{ dev, master string }

// parse reads the value of w if w is one of them.
func (d *nexthopDevs) parse(e *env, a *args, w string) (ok bool, err error) {
	switch {
	case matches(w, "dev"):
		d.dev, err = a.value(w)
	case matches(w, "master"):
		d.master, err = a.value(w)
	case matches(w, "vrf"):
		if d.master, err = a.value(w); err == nil {
			err = checkVRF(e, d.master)
		}
	default:
		return false, nil
	}
	return true, err
}

// parseArgs reads the words of a selector, the devices here and every
// other word with word, which fails for a word it does not know; then it
// returns the handle, with the devices' indexes set (see resolve).
func (d *nexthopDevs) parseArgs(e *env, a *args, dev, master *int32, word func(w string) error) (*rtm.Handle, error) {
	for a.more() {
		w := a.advance()
		ok, err := d.parse(e, a, w)
		if !ok {
			err = word(w)
		}
		if err != nil {
			return nil, err
		}
	}
	return d.resolve(e, dev, master)
}

// resolve returns the handle and sets the devices' indexes, failing as
// ip's ll_name_to_index and invarg do (status 255, not "Cannot find
// device") for a name that is no device.
func (d *nexthopDevs) resolve(e *env, dev, master *int32) (*rtm.Handle, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	for _, r := range []devRef{{d.dev, dev}, {d.master, master}} {
		if r.name == "" {
			continue
		}
		l, err := h.LinkByName(e.ctx, r.name)
		if errors.Is(err, rtm.ErrNotFound) {
			return nil, invarg("Device does not exist\n", r.name)
		} else if err != nil {
			return nil, err
		}
		*r.index = l.Index()
	}
	return h, nil
}

// checkVRF is iproute2's name_is_vrf test of "vrf NAME": "Invalid VRF"
// unless the device exists and is a VRF.
func checkVRF(e *env, name string) error {
	v, err := vrfGetLink(e, name)
	if isDialError(err) {
		return err
	}
	if err != nil || !v.isVRF {
		return invarg("Invalid VRF\n", name)
	}
	return nil
}

// nexthopIDValue is ipnh_parse_id: a number that fits 32 bits.
func nexthopIDValue(a *args) (uint32, error) {
	v, err := a.uintValue("id", 32, "invalid id value")
	return uint32(v), err
}

// nexthopBucketGet is "nexthop bucket get id ID index INDEX": one
// request, no dump.
func nexthopBucketGet(e *env, a *args) error {
	var (
		id       uint32
		index    uint16
		hasIndex bool
	)
	for a.more() {
		switch w := a.advance(); w {
		case "id":
			v, err := nexthopIDValue(a)
			if err != nil {
				return err
			}
			id = v
		case "index":
			v, err := a.uintValue(w, 16, "invalid bucket index value")
			if err != nil {
				return err
			}
			index, hasIndex = uint16(v), true
		default:
			return nexthopUsageError()
		}
	}
	if id == 0 || !hasIndex {
		return usageText("Usage: ipr nexthop " + nexthopUsage + "\n")
	}
	h, err := e.handle()
	if err != nil {
		return err
	}
	b, err := h.NexthopBucketGet(e.ctx, id, index)
	if err != nil {
		return err
	}
	p := e.newPrinter()
	p.openArray("")
	printNexthopBucket(p, b)
	return e.endList(p)
}

// printNexthopBucket is iproute2's print_nexthop_bucket, which never
// prints "Deleted" (it compares with RTM_DELNEXTHOP).
func printNexthopBucket(p *printer, b rtm.NexthopBucket) {
	p.openObject("")
	if _, ok := b.Chain().Get(unix.NHA_ID); ok {
		p.uint("id", "id %d ", uint64(b.GroupID()))
	}
	if a, ok := b.Chain().Get(13); ok { // NHA_RES_BUCKET
		p.openObject("bucket")
		c := a.Nested()
		if _, ok := c.Get(1); ok {
			p.uint("index", "index %d ", uint64(b.Index()))
		}
		if _, ok := c.Get(2); ok {
			// USER_HZ ticks as seconds, with C's "%g".
			s := strconv.FormatFloat(b.IdleTime().Seconds(), 'g', 6, 64)
			p.number("idle_time", "idle_time %s ", s)
		}
		if _, ok := c.Get(3); ok {
			p.uint("nhid", "nhid %d ", uint64(b.NexthopID()))
		}
		p.closeObject()
	}
	printRouteFlags(p, b.Flags())
	p.endl()
	p.closeObject()
}
