package main

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// TestMissingRouteTableMatchesIP compares how ipr and ip end a listing,
// save or flush of a routing table the kernel does not have (a fresh
// namespace has not even a main IPv4 table): the kernel's "FIB table does
// not exist" with "Dump terminated" or "Flush terminated" and status 2,
// the JSON array left open, except that show and save of the main table
// are quietly empty (iproute2's save_route_errhndlr). The library's dump
// reads a missing table as an empty one unless asked (MissingTableError).
func TestMissingRouteTableMatchesIP(t *testing.T) {
	ns := nstest.New(t)
	eachSameAsIP(t, ns, nil,
		"route show table 4242", "-6 route show table 4242", "-j route show table 4242", "-j -p route show table 4242",
		"route show table 4242 dev lo", "route save table 4242", "route flush table 4242", "-4 route flush table 4242",
		"-s route flush table 4242", "route show table main", "-j route show table main", "-6 route show table main",
		"route save table main", "route flush table main", "route show", "route show table all", "route save")
}
