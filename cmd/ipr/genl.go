package main

// Generic netlink for the command line: the handle the mptcp,
// tcp_metrics and sr objects share, and ipr's "genl" object, which prints what
// iproute2's genl(8) "ctrl list" prints.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"golang.org/x/sys/unix"
)

// genlHandle returns the generic-netlink handle, opening it on first use
// in the namespace of -n.
func (e *env) genlHandle() (*genl.Handle, error) {
	return dialOnce(e, &e.gh, genl.WithNetnsHandle, genl.WithTransport, genl.Dial)
}

// genlFamilyError words a family the kernel lacks as libgenl's
// genl_resolve_family does (libnetlink's line for the kernel's error,
// then its own), with the exit status 1 ip has then.
func genlFamilyError(err error) error {
	var nf *genl.FamilyNotFoundError
	if !errors.As(err, &nf) {
		return err
	}
	var errno unix.Errno
	errors.As(err, &errno)
	return &cliError{code: exitFailure, msg: kernelMessage("", errno) + "\nError talking to the kernel"}
}

// genlResolve opens the generic-netlink handle and resolves the family
// called name in it, failing as ip fails for a kernel without it: ip's
// commands of generic-netlink families resolve theirs before they read
// the rest of the command line (libgenl's genl_init_handle).
func genlResolve(e *env, name string) (*genl.Handle, error) {
	h, err := e.genlHandle()
	if err != nil {
		return nil, err
	}
	if _, err := h.Family(e.ctx, name); err != nil {
		return nil, genlFamilyError(err)
	}
	return h, nil
}

// genlFamily is the start of ip's commands of the fou and l2tp
// families: usage without a command or with "help" (any abbreviation),
// else the handle with the family resolved (genlResolve).
func (e *env) genlFamily(name string, argv []string, usage string) (*genl.Handle, error) {
	if len(argv) == 0 || matches(argv[0], "help") {
		return nil, usageText(usage)
	}
	return genlResolve(e, name)
}

// genlShow is the listing of a family's dump as ip's commands of
// generic-netlink families print one (ipseg6.c, ipioam6.c): each object
// print prints, in a JSON array. A kernel without the family fails
// before anything is printed, as ip resolves it first; a refused dump
// ends with the output so far, "Dump terminated" and status 1, ip's JSON
// array left open.
func genlShow[T any](e *env, dump func(context.Context, *genl.Handle) iter.Seq2[T, error], print func(*printer, T)) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	p := e.newPrinter()
	p.openArray("")
	for v, err := range dump(e.ctx, h) {
		if errors.Is(err, genl.ErrFamilyNotFound) {
			return genlFamilyError(err)
		}
		if err != nil {
			if err := e.output(p); err != nil {
				return err
			}
			return dumpTerminated(err)
		}
		print(p, v)
		p.flush()
	}
	return e.endList(p)
}

// genlDo resolves the generic-netlink family and sends req, a change,
// as ip's commands of the SEG6 and IOAM6 families send one: ip exits
// with status 1 when the kernel refuses it.
func genlDo(e *env, family string, req genl.Request) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	return refused(genlFamilyError(h.DoFamily(e.ctx, family, req)), exitFailure, "")
}

const genlUsage = `{ ctrl | list | help }
       ipr genl [ ctrl ] { list | show }
       ipr genl [ ctrl ] get { name NAME | id ID }
`

// runGenl is ipr's "genl" object: the kernel's generic-netlink families
// as genl(8)'s "ctrl list" and "ctrl get" print them.
func runGenl(e *env, argv []string) error {
	if len(argv) > 0 && argv[0] == "ctrl" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return usageText("Usage: ipr genl " + genlUsage)
	}
	switch w := argv[0]; {
	case matches(w, "list") || matches(w, "show") || w == "lst":
		if len(argv) > 1 {
			return usagef("genl list takes no arguments")
		}
		return genlList(e, "", 0)
	case matches(w, "get"):
		if len(argv) != 3 {
			return usageText("Usage: ipr genl " + genlUsage)
		}
		switch argv[1] {
		case "name":
			return genlList(e, argv[2], 0)
		case "id":
			id, err := strconv.ParseUint(argv[2], 0, 16)
			if err != nil || id == 0 {
				return usagef("invalid family id %q", argv[2])
			}
			return genlList(e, "", uint16(id))
		}
		return usageText("Usage: ipr genl " + genlUsage)
	case matches(w, "help"):
		return usageText("Usage: ipr genl " + genlUsage)
	default:
		return &cliError{code: exitUsage, msg: fmt.Sprintf("Command %q is unknown, try \"ipr genl help\".", w)}
	}
}

// genlList writes the families (the one called name, or of id id, when
// either is given) as genl's "ctrl list" and "ctrl get" do.
func genlList(e *env, name string, id uint16) error {
	h, err := e.genlHandle()
	if err != nil {
		return err
	}
	var b strings.Builder
	found := false
	for f, err := range nlctrl.Families(e.ctx, h) {
		if err != nil {
			return err
		}
		if (name != "" && f.Name != name) || (id != 0 && f.ID != id) {
			continue
		}
		found = true
		if err := nlctrl.WriteFamily(&b, f); err != nil {
			return err
		}
	}
	if (name != "" || id != 0) && !found {
		return &cliError{code: exitFailure, msg: kernelMessage("", unix.ENOENT)}
	}
	_, err = e.Stdout.Write([]byte(b.String()))
	return err
}
