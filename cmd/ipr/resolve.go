package main

// -resolve: addresses printed as host names where iproute2 6.1 prints
// them with format_host, looked up as its resolve_address does
// (gethostbyaddr: /etc/hosts, then DNS, as nsswitch.conf orders them),
// each address once per process. The lookup is the CLI's own, with the
// standard library's resolver; the library packages resolve nothing.

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"
)

var (
	// resolveHosts is -resolve, set afresh by each command line's
	// options (iproute2's resolve_hosts).
	resolveHosts bool
	// resolveCtx bounds the lookups: the command's context.
	resolveCtx context.Context
	// hostNames caches each address's name, "" for none, as
	// resolve_address's hash table does.
	hostNames map[netip.Addr]string
	// hostResolver does the lookups; tests replace it with one whose DNS
	// is unreachable, as it is from their namespaces.
	hostResolver = net.DefaultResolver
)

// hostName returns the name of the 4- or 16-byte address ip, when
// -resolve is on and the address has one.
func hostName(ip []byte) (string, bool) {
	if !resolveHosts {
		return "", false
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return "", false
	}
	// resolve_address looks a v4-mapped address up as IPv4.
	a = a.Unmap()
	if name, ok := hostNames[a]; ok {
		return name, name != ""
	}
	ctx := resolveCtx
	if ctx == nil {
		ctx = context.Background()
	}
	name := ""
	if names, err := hostResolver.LookupAddr(ctx, a.String()); err == nil && len(names) > 0 {
		// gethostbyaddr's h_name has no root dot.
		name = strings.TrimSuffix(names[0], ".")
	}
	if hostNames == nil {
		hostNames = make(map[netip.Addr]string)
	}
	hostNames[a] = name
	return name, name != ""
}

// appendHost appends what iproute2's format_host prints: the address's
// name with -resolve, else the address as appendAddr formats it.
func appendHost(b []byte, fam uint8, ip []byte) []byte {
	if resolveHosts && (fam == unix.AF_INET || fam == unix.AF_INET6) {
		if name, ok := hostName(ip); ok {
			return append(b, name...)
		}
	}
	return appendAddr(b, fam, ip)
}

// hostString is format_host for an address of 4 or 16 bytes.
func hostString(ip []byte) string {
	if name, ok := hostName(ip); ok {
		return name
	}
	return ipString(ip)
}
