package main

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestL2tpMatchesIP compares ipr l2tp with ip l2tp, recorded under
// scripts/fakegenl's shim (this kernel has no l2tp family): the requests
// of each command line, byte for byte; the listings of tunnels and
// sessions, as text, JSON and one line per object, including what ip
// shows of a reply that leaves an attribute out; the messages and exit
// statuses of command lines ip refuses.
func TestL2tpMatchesIP(t *testing.T) {
	t.Run("requests", func(t *testing.T) { testShimRequests(t, "l2tp") })
	t.Run("tunnels", func(t *testing.T) { testShimShow(t, "l2tp", "tunnels", "l2tp", "show", "tunnel") })
	t.Run("sessions", func(t *testing.T) { testShimShow(t, "l2tp", "sessions", "l2tp", "show", "session") })
	t.Run("errors", func(t *testing.T) { testShimErrors(t, "l2tp") })
}

// TestFouL2tpWithoutFamily compares ipr with ip on this kernel, which
// has neither family: ip resolves the family before it reads the
// command, so every command fails alike, with nothing on standard
// output; help needs no family.
func TestFouL2tpWithoutFamily(t *testing.T) {
	if nstest.Have(t, "genl:fou") || nstest.Have(t, "genl:l2tp") {
		t.Skip("the kernel has the fou or the l2tp family")
	}
	ns := nstest.New(t)
	eachSameAsIP(t, ns, nil, "fou show", "-j fou show", "fou add port 1 gue", "fou bogus", "fou help",
		"l2tp show tunnel", "-j l2tp show session", "l2tp add tunnel", "l2tp bogus", "l2tp help")
}
