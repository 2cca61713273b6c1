package main

import "testing"

// TestFouMatchesIP compares ipr fou with ip fou, recorded under
// scripts/fakegenl's shim (this kernel has no fou family): the requests
// of each command line, byte for byte; the listing of a dump, as text
// and JSON; the messages and exit statuses of command lines ip refuses.
func TestFouMatchesIP(t *testing.T) {
	t.Run("requests", func(t *testing.T) { testShimRequests(t, "fou") })
	t.Run("show", func(t *testing.T) { testShimShow(t, "fou", "show", "fou", "show") })
	t.Run("errors", func(t *testing.T) { testShimErrors(t, "fou") })
}
