package main

// "ipr mrule": the policy rules that choose a multicast routing table,
// which iproute2 6.1's do_multirule handles as "ip rule" in the families
// RTNL_FAMILY_IPMR and RTNL_FAMILY_IP6MR; and "ipr rule save" and "ipr
// rule restore", which both objects share.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// mruleFamily is do_multirule: the family of -4 or -6 becomes its
// multicast routing family before "ip rule" runs.
func mruleFamily(e *env, _ []string) error {
	switch e.Family {
	case unix.AF_UNSPEC, unix.AF_INET:
		e.Family = rtm.RTNLFamilyIPMR
	case unix.AF_INET6:
		e.Family = rtm.RTNLFamilyIP6MR
	case rtm.RTNLFamilyIPMR, rtm.RTNLFamilyIP6MR:
	default:
		return &cliError{code: exitUsage, msg: fmt.Sprintf("Multicast rules are only supported for IPv4/IPv6, was: %d", e.Family)}
	}
	return nil
}

// isMulticastFamily reports whether family is one of mrule's, in which
// iproute2 6.1 parses no address: every prefix fails (errMRoutePrefix).
func isMulticastFamily(family uint8) bool {
	return family == rtm.RTNLFamilyIPMR || family == rtm.RTNLFamilyIP6MR
}

// dumpRequest is a dump request of type typ with the fixed header hdr
// and no attributes, as iproute2's rtnl_*dump_req send them.
func dumpRequest(typ uint16, hdr []byte) []byte {
	req := make([]byte, wire.HeaderLen, wire.HeaderLen+len(hdr))
	binary.NativeEndian.PutUint32(req, uint32(wire.HeaderLen+len(hdr)))
	binary.NativeEndian.PutUint16(req[4:], typ)
	return append(req, hdr...)
}

// ruleSave is "rule save": every rule of the family (IPv4's unless -6
// is given) as the kernel dumps them; ip takes no selector.
func ruleSave(e *env, a *args) error {
	if a.more() {
		return failf(`"ip rule save" does not take any arguments.`)
	}
	if err := ruleDump.create(e); err != nil {
		return err
	}
	var hdr [sizeofFibRuleHdr]byte
	hdr[0] = ruleFamily(e)
	err := saveDump(e, dumpRequest(unix.RTM_GETRULE, hdr[:]))
	return ruleDumpError(e, err, false)
}

// sizeofFibRuleHdr is the size of struct fib_rule_hdr.
const sizeofFibRuleHdr = 12

// ruleFamily is the family "ip rule" lists and saves: -4's unless -6
// (or mrule's family) is given.
func ruleFamily(e *env) uint8 {
	if e.Family == 0 {
		return unix.AF_INET
	}
	return e.Family
}

// ruleDumpError is how ip ends a rule dump the kernel refused (as a
// kernel without multicast routing refuses mrule's families): the
// kernel's message, "Dump terminated" and status 255, after what it had
// printed: a listing's opening of its JSON array (json).
func ruleDumpError(e *env, err error, json bool) error {
	var ke *wire.Error
	if !errors.As(err, &ke) {
		return err
	}
	if json && e.JSON {
		open := "["
		if e.Pretty {
			open = "[ "
		}
		io.WriteString(e.Stdout, open)
	}
	fmt.Fprintf(e.Stderr, "%s\nDump terminated\n", kernelMessage(ke.Message, ke.Errno))
	return errExit(exitUsage)
}
