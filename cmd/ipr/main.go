// Command ipr is a drop-in for ip(8) over the ipr library.
//
// Usage:
//
//	ipr [ OPTIONS ] OBJECT { COMMAND | help }
//	ipr [ -force ] -batch FILENAME
//
// The command line is read as iproute2 6.1 reads it: global options in
// ip.c's order, each accepted by any prefix that reaches it first in that
// order ("-s" is -stats, "-h" is -human, "-f" is -family); objects looked
// up in ip.c's command table, the first prefix match winning ("r" is
// route, "n" is neighbor); and each object's commands likewise in the
// order of its do_* function. Exit statuses are ip's: 255 for a mistake on
// the command line, 2 for a request the kernel refused, 1 for the rest.
//
// The bridge command is part of ipr: "ipr bridge [ OPTIONS ] OBJECT ..."
// runs bridge(8)'s command line (its own options, objects link, fdb and
// monitor, its messages), and so does ipr run through a link named
// "bridge" ("ln -s ipr bridge"), as a drop-in for iproute2's bridge.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/xfrm"
)

// env is the command value every object command receives: the parsed
// global options, the process's standard streams (so that commands are
// testable in-process), a context cancelled by SIGINT and SIGTERM, and
// the RTNL handle, opened on first use and shared by the commands of a
// batch.
type env struct {
	JSON    bool         // -j: JSON output
	Details bool         // -d: detailed output
	Netns   string       // -n NETNS: run inside the named network namespace
	Family  uint8        // -4, -6, -0, -f FAMILY: unix.AF_*, else 0
	Oneline bool         // -o: one line per record
	Brief   bool         // -br: brief output of "link show" and "addr show"
	Pretty  bool         // -p: JSON laid out for people
	Stats   statsOptions // -s (counted), -h, -iec: link counters
	Force   bool         // -force: also XDP's replace-an-attached-program
	All     bool         // -all: "netns exec" and "netns delete" act on every named namespace
	// Timestamp is -t (and -ts, which sets TimestampShort too): "monitor"
	// stamps each event.
	Timestamp, TimestampShort bool
	// Echo is -echo: change requests print what the kernel echoes.
	Echo bool
	// palette is -color's, nil without color (color.go).
	palette *palette
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer

	ctx context.Context
	// ns is the namespace -n named, opened while the options are parsed
	// (as ip does), so that a wrong name fails before anything else.
	ns *netns.Handle
	h  *rtm.Handle
	// gh is the generic-netlink handle, opened on first use (genl.go).
	gh *genl.Handle
	// xh is the XFRM handle, opened on first use (xfrm.go).
	xh *xfrm.Handle
	// nsids are the names of the namespaces by the ids this one gives
	// them, asked for on first use (see nsidName).
	nsids       map[int32]string
	nsidsLoaded bool
	// inBatch is set while -batch runs commands: "netns exec" then runs
	// its command in a child and goes on, as ip does.
	inBatch bool
}

// handle returns the RTNL handle, opening it on first use.
func (e *env) handle() (*rtm.Handle, error) {
	return dialOnce(e, &e.h, rtm.WithNetnsHandle, rtm.WithTransport, rtm.Dial)
}

// dialOnce returns *cached, dialing it on first use (rtm's or genl's
// Dial, with their options of the same names) in the namespace of -n and
// over the test transport, if any.
func dialOnce[H, O any](e *env, cached **H, withNetns func(*netns.Handle) O, withTransport func(socket.Dialer) O,
	dial func(...O) (*H, error)) (*H, error) {
	if *cached != nil {
		return *cached, nil
	}
	var opts []O
	if e.ns != nil {
		opts = append(opts, withNetns(e.ns))
	}
	if transport != nil {
		opts = append(opts, withTransport(transport))
	}
	h, err := dial(opts...)
	if err != nil {
		return nil, dialError(e.Netns, err)
	}
	*cached = h
	return h, nil
}

// close releases the handle and the namespace.
func (e *env) close() {
	release(&e.h)
	release(&e.gh)
	release(&e.xh)
	release(&e.ns)
}

// release closes the handle *h, if one is open, and forgets it.
func release[H interface {
	comparable
	io.Closer
}](h *H) {
	var none H
	if *h != none {
		(*h).Close()
		*h = none
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	run := runContext
	if filepath.Base(os.Args[0]) == "bridge" {
		// A link to ipr named "bridge" is the bridge command.
		run = runBridgeContext
	}
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runBridgeContext executes one bridge command line.
func runBridgeContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	defer e.close()
	return runBridge(e, args)
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	defer e.close()
	var g globals
	rest, err := g.parse(e, args)
	if err != nil {
		return report(stderr, err)
	}
	e.Force = g.force
	if g.batch != "" {
		return runBatch(e, g.batch, g.force, doCmd)
	}
	if len(rest) == 0 {
		return report(stderr, errMainUsage)
	}
	return report(stderr, doCmd(e, rest))
}
