package main

// What "ip -s ... flush" prints: the rounds of the flush loops of
// iproute2 6.1's iproute.c (iproute_flush), ipneigh.c (do_show_or_flush)
// and ipaddress.c (ipaddr_flush), and with -s -s each object a round
// deletes, printed as its listing prints it when the dump yields it.

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// flushReport prints a flush's progress. ip opens no JSON document for a
// flush, so that its output is text even with -j.
type flushReport struct {
	e *env
	// p holds what the current round printed until it is written.
	p *printer
	// what names the objects in the round lines: "entries", or
	// "addresses" for "ip address flush".
	what  string
	round int
	err   error // the first failed write
}

func newFlushReport(e *env, what string) *flushReport {
	return &flushReport{e: e, what: what, p: &printer{oneline: e.Oneline, palette: e.palette, stderr: e.Stderr}}
}

// each reports whether each object a round deletes is printed (-s -s).
func (r *flushReport) each() bool { return r.e.Stats.level >= 2 }

// deleted ends a round whose n deletions went through.
func (r *flushReport) deleted(n int) {
	r.round++
	if r.e.Stats.level > 0 {
		r.p.buf = fmt.Appendf(r.p.buf, "\n*** Round %d, deleting %d %s ***\n", r.round, n, r.what)
	}
	r.write()
}

// endRound ends a round whose deletes are in bt: with none, the flush is
// done (true); else it runs them, an object gone with an errno of gone
// being no failure (runFlush), and reports the round.
func (r *flushReport) endRound(ctx context.Context, bt *rtm.Batch, gone ...unix.Errno) (done bool, err error) {
	if bt.Len() == 0 {
		r.done()
		return true, nil
	}
	if err := runFlush(ctx, bt, gone...); err != nil {
		return false, err
	}
	r.deleted(bt.Len())
	return false, nil
}

// write writes what has been printed so far.
func (r *flushReport) write() {
	if len(r.p.buf) == 0 {
		return
	}
	if _, err := r.e.Stdout.Write(r.p.buf); r.err == nil {
		r.err = err
	}
	r.p.buf = r.p.buf[:0]
}

// done ends the flush: nothing was left to delete.
func (r *flushReport) done() {
	switch {
	case r.e.Stats.level == 0:
	case r.round == 0:
		r.p.buf = append(r.p.buf, "Nothing to flush.\n"...)
	default:
		s := ""
		if r.round > 1 {
			s = "s"
		}
		r.p.buf = fmt.Appendf(r.p.buf, "*** Flush is complete after %d round%s ***\n", r.round, s)
	}
}

// finish writes what the flush printed, which ends with err as ip's
// output ends where its flush stopped, and returns err.
func (r *flushReport) finish(err error) error {
	r.write()
	if err == nil {
		err = r.err
	}
	return err
}
